"""No input hangs a run: pipes without writers, orphaned workers, slow user rules, huge records."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import Config, clean, clean_and_explain
from newsclean.cli import main
from newsclean.rules import matcher as matcher_module

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\n" + ARTICLE


def _memory_cap() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def newsclean(*args: object, cwd: Path | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """The real command line, in a process of its own, its memory capped (a regression
    fails the test; it cannot hang the suite or fill the machine's memory)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout, preexec_fn=_memory_cap, **kw)


# --- 8. a named pipe with no writer, on every path that opens inputs ----------------------

@pytest.mark.parametrize("how", ["direct --diff", "tree --diff", "tree --learn-repeats", "named --learn-repeats",
                                 "jsonl", "rule file", "repeats file", "config file"])
def test_a_named_pipe_without_a_writer_never_blocks(tmp_path, how):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.txt").write_text(PAGE)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    os.mkfifo(tree / "p.txt")
    args = {
        "direct --diff": [fifo, "--diff"],
        "tree --diff": [tree, "-o", tmp_path / "out", "--diff"],
        "tree --learn-repeats": [tree, "-o", tmp_path / "out", "--learn-repeats"],
        "named --learn-repeats": [tree / "a.txt", fifo, "-o", tmp_path / "out", "--learn-repeats"],
        "jsonl": ["--jsonl", fifo],
        "rule file": [tree / "a.txt", "--rules", fifo],
        "repeats file": [tree / "a.txt", "--repeats", fifo],
        "config file": [tree / "a.txt", "--config", fifo],
    }[how]
    run = newsclean(*args, timeout=30)
    assert run.returncode in (1, 2) and "Traceback" not in run.stderr
    pipe_lines = [x for x in run.stderr.splitlines() if "pipe" in x]
    assert len(pipe_lines) == 1, run.stderr
    assert "no writer" in pipe_lines[0] or "skipped" in pipe_lines[0]


def test_a_named_pipe_gets_its_writer_a_moment_later(tmp_path):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"sleep 0.3; cat > '{fifo}'"], stdin=subprocess.PIPE)
    writer.stdin.write(PAGE.encode())  # type: ignore[union-attr]
    writer.stdin.close()  # type: ignore[union-attr]
    try:
        run = newsclean(fifo, timeout=30)
        writer.wait(timeout=5)
    finally:
        writer.kill()
    assert run.returncode == 0 and run.stdout == ARTICLE


# --- 9. workers of a killed main process ---------------------------------------------------

def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(x) for x in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    body = ("A long article paragraph about the harbor and its repairs, officials said. " * 30 + "\n\n") * 300
    for i in range(300):
        (src / f"p{i:03}.txt").write_text("Watch CBS News\n" + body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", str(src), "-o", str(tmp_path / "out"), "-j", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and not (len(workers) >= 2 and (tmp_path / "out").exists()):
        workers |= _children(proc.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the run ended before its workers could be seen"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived their main process"


# --- 10. the time of user rules is budgeted per page, across rules -------------------------

SLOW = '[[rule]]\ncode = "SL{n}"\nname = "slow-rule-{n}"\nsummary = "s"\nwhy = "w"\npatterns = [\'(?:a|aa)+b\']\ndrops = ["aab"]\n'


def slow_rules(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "slow.toml"
    path.write_text('[group]\nname = "slow"\ntitle = "Slow"\nprefix = "SL"\n\n'
                    + "\n".join(SLOW.format(n=1000 + i) for i in range(n)))
    return path


def test_many_slow_rules_share_one_budget_per_page(tmp_path):
    rules = slow_rules(tmp_path, 400)
    result = clean_and_explain("a" * 100 + "\n" + "a" * 100 + "\n", Config().with_options(rule_files=[str(rules)]))
    timeouts = [n for n in result.notes if "timed out" in n]
    per_rule = matcher_module.USER_SECONDS_PER_PAGE / matcher_module.USER_TIMEOUT_SECONDS
    assert 1 <= len(timeouts) <= per_rule + 2  # each costs its timeout; then the page's time is spent
    assert "together they spent" in timeouts[-1]
    assert not [n for n in timeouts if "on line 2" in n]  # no rule is tried on the rest of the page


def test_every_timed_out_rule_on_a_line_is_noted(tmp_path, monkeypatch):
    rules = slow_rules(tmp_path, 3)
    result = clean_and_explain("a" * 100 + "\n", Config().with_options(rule_files=[str(rules)]))
    assert [n.split(" (")[0] for n in result.notes if "timed out" in n] == ["rule SL1000", "rule SL1001", "rule SL1002"]


def test_a_rule_that_times_out_is_a_warning_once_per_run(tmp_path):
    rules = slow_rules(tmp_path, 1)
    pages = []
    for i in range(3):
        pages.append(tmp_path / f"p{i}.txt")
        pages[-1].write_text(ARTICLE + ("a" * 100 + "\n") * 5)
    result = CliRunner().invoke(main, ["-j", "1", *map(str, pages), "--rules", str(rules), "-o", str(tmp_path / "out")])
    warnings = [x for x in result.stderr.splitlines() if "warning" in x]
    assert result.exit_code == 0
    assert warnings == [f"newsclean: warning: user rule SL1000 ({rules}) ran out of time (over 0.05 s) on a line and "
                        "kept it; after 3 timeouts on a page it is turned off for the rest of that page "
                        "(--explain shows where)"]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps({"text": p.read_text()}) + "\n" for p in pages))
    result = CliRunner().invoke(main, ["--jsonl", str(jsonl), "--rules", str(rules), "-j", "1"])
    assert [x for x in result.stderr.splitlines() if "warning" in x] == warnings


# --- 11. JSONL: a record limit, devices refused, memory within a small factor --------------

def test_a_record_over_the_limit_is_reported_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    big = json.dumps({"text": "word " * 400_000})  # 2 MB
    src.write_text(json.dumps({"id": 1, "text": PAGE}) + "\n" + big + "\n" + json.dumps({"id": 3, "text": PAGE}) + "\n")
    for args in ([], ["--on-error", "pass"], ["-j", "2"]):
        result = CliRunner().invoke(main, ["--jsonl", str(src), "--max-record-mb", "1", *args])
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"newsclean: {src}:2: record of {len(big) + 1} bytes is longer than the "
                                              f"limit of 1048576 bytes; left out"]
        assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [1, 3]
    assert CliRunner().invoke(main, ["--jsonl", str(src)]).exit_code == 0


def test_a_device_is_refused_for_jsonl():
    run = newsclean("--jsonl", "/dev/zero", timeout=30)
    assert run.returncode == 1 and run.stderr == "newsclean: /dev/zero: is a device, not a regular file; skipped\n"


@pytest.mark.skipif(not hasattr(__import__("resource"), "RLIMIT_AS"), reason="needs an address-space limit")
def test_a_compressed_line_far_larger_than_memory_is_read_through(tmp_path):
    src = tmp_path / "bomb.jsonl.gz"
    with gzip.open(src, "wb", compresslevel=1) as fh:
        fh.write(json.dumps({"id": 1, "text": PAGE}).encode() + b"\n")
        fh.write(b'{"text": "')
        for _ in range(24):
            fh.write(b"a" * (16 << 20))  # 384 MB in one line, more than the process may hold
        fh.write(b'"}\n')
        fh.write(json.dumps({"id": 3, "text": PAGE}).encode() + b"\n")
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20)); "
    code = limit + "import sys; from newsclean.cli import entry; sys.argv = ['newsclean'] + sys.argv[1:]; entry()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code, "--jsonl", str(src), "-j", "1"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert run.returncode == 1, run.stderr[-500:]
    assert "bomb.jsonl.gz:2: record of" in run.stderr and "Traceback" not in run.stderr
    assert [json.loads(x)["id"] for x in run.stdout.splitlines()] == [1, 3]


def test_a_text_of_very_many_lines_is_cleaned_in_blocks():
    from newsclean.large import BLOCK_LINES, clean_page, needs_blocks

    config = Config().with_options(select=["NC1", "NC2", "NC3", "NC4"])
    text = ("Watch CBS News\n" + ARTICLE + "\n") * (BLOCK_LINES // 2)
    assert needs_blocks(text)
    cleaned, stats, _notes, _decisions, _layout, _head = clean_page(text, config, details=False)
    assert cleaned == clean(text, config) and stats["NC301"] == BLOCK_LINES // 2


def test_a_long_run_of_spaces_on_one_line_is_read_once(tmp_path):
    # a glued page's separators were looked for at every space of a run: 200,000 spaces took minutes
    page = tmp_path / "page.txt"
    page.write_text("Harbor news" + " " * 200_000 + "The harbor reopened on Monday, officials said.\n")
    run = newsclean(page, "--layout", "glued", timeout=60)
    assert run.returncode == 0 and "The harbor reopened" in run.stdout


@pytest.mark.parametrize("args", [[], ["--jsonl"]])
def test_a_device_as_standard_input_is_refused(args):
    with open("/dev/zero", "rb") as zero:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        run = subprocess.run([sys.executable, "-m", "newsclean", *args], stdin=zero, capture_output=True, text=True,
                             env=env, timeout=30, preexec_fn=_memory_cap)
    assert run.returncode == 2 and "standard input is a device" in run.stderr and "Traceback" not in run.stderr


def test_standard_input_held_in_memory_has_a_limit(monkeypatch):
    import newsclean.io

    monkeypatch.setattr(newsclean.io, "STDIN_MAX_BYTES", 1000)
    result = CliRunner().invoke(main, ["-"], input=PAGE * 100)
    assert result.exit_code == 2 and "standard input is over 1000 bytes: save it to a file" in result.stderr
    assert CliRunner().invoke(main, ["-"], input=PAGE).stdout == ARTICLE
