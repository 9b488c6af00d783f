"""What the README promises holds: pipes read, `| head` quiet, SIGTERM is 130, clear messages, a typed API."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import Config, clean, clean_and_explain
from newsclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\n" + ARTICLE
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


# --- 17. a pipe named as an input is read ---------------------------------------------------

@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution needs bash")
def test_process_substitution_is_read(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    script = f'"{sys.executable}" -m newsclean <(cat "{page}") <(cat "{page}") -o "{tmp_path / "out"}/"'
    run = subprocess.run(["bash", "-c", f'"{sys.executable}" -m newsclean <(cat "{page}")'], capture_output=True,
                         text=True, env=ENV, timeout=60)
    assert run.returncode == 0 and run.stdout == ARTICLE and run.stderr == ""
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=ENV, timeout=60)
    assert run.returncode == 0, run.stderr
    assert [p.read_text() for p in (tmp_path / "out").iterdir()] == [ARTICLE, ARTICLE]


# --- 18. `| head` ends quietly ------------------------------------------------------------------

def _head(args: list[str], cwd: Path) -> tuple[int, str]:
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    proc.stdout.readline()  # type: ignore[union-attr]
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read().decode()  # type: ignore[union-attr]
    return proc.wait(timeout=120), err


@pytest.mark.parametrize("kind", ["several files", "jsonl", "jsonl in workers", "large file"])
def test_a_closed_pipe_ends_quietly(tmp_path, kind):
    line = "The harbor reopened on Monday after three weeks of repairs, officials said, line {}.\n"
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("".join(line.format(i) for i in range(20_000)))
    records = "".join(json.dumps({"text": PAGE + line.format(i)}) + "\n" for i in range(20_000))
    (tmp_path / "in.jsonl").write_text(records)
    if kind == "large file":
        from newsclean.io import LARGE_FILE_BYTES

        with open(tmp_path / "big.txt", "w") as fh:
            chunk = "".join(line.format(i) for i in range(10_000))
            for _ in range(LARGE_FILE_BYTES // len(chunk) + 2):
                fh.write(chunk)
    args = {"several files": ["a.txt", "b.txt", "c.txt", "--format", "json"], "jsonl": ["--jsonl", "in.jsonl", "-j", "1"],
            "jsonl in workers": ["--jsonl", "in.jsonl", "-j", "2"], "large file": ["big.txt"]}[kind]
    rc, err = _head(args, tmp_path)
    assert (rc, err) == (0, "")


# --- 19. SIGTERM before the cleaning starts ---------------------------------------------------

@pytest.mark.parametrize("jsonl", [False, True])
def test_sigterm_while_learning_repeats_exits_130_with_a_message(tmp_path, jsonl):
    body = ("A long article paragraph about the harbor and its repairs, officials said. " * 30 + "\n\n") * 300
    if jsonl:
        (tmp_path / "in.jsonl").write_text("".join(json.dumps({"text": f"Page {i}\n" + body}) + "\n" for i in range(300)))
        args = ["--jsonl", "in.jsonl", "--learn-repeats", "-o", "out.jsonl"]
    else:
        (tmp_path / "src").mkdir()
        for i in range(300):
            (tmp_path / "src" / f"p{i:03}.txt").write_text(f"Page {i}\n" + body)
        args = ["src", "-o", "out", "--learn-repeats"]
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", *args], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    time.sleep(1.0)  # started, and still counting lines (the first pass takes several seconds)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().splitlines()[-1] in ("newsclean: interrupted while learning repeats; nothing written",
                                             "newsclean: interrupted")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.jsonl").exists()


# --- 20. messages that say what happened --------------------------------------------------------

def test_an_output_whose_parent_is_a_file_says_so(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    (tmp_path / "notes").write_text("mine\n")
    result = CliRunner().invoke(main, [str(page), "-o", str(tmp_path / "notes" / "out.txt")])
    assert result.exit_code == 1
    assert result.stderr == f"newsclean: {page}: cannot create {tmp_path / 'notes' / 'out.txt'}: {tmp_path / 'notes'} is not a directory\n"


def test_a_trailing_slash_names_a_directory(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    result = CliRunner().invoke(main, [str(page), "-o", f"{tmp_path / 'newdir'}/"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "newdir" / "page.txt").read_text() == ARTICLE
    (tmp_path / "file").write_text("x")
    assert CliRunner().invoke(main, [str(page), "-o", f"{tmp_path / 'file'}/"]).exit_code == 2
    jsonl = CliRunner().invoke(main, ["--jsonl", "-", "-o", f"{tmp_path / 'jdir'}/"], input="{}\n")
    assert jsonl.exit_code == 2 and "names a directory" in jsonl.stderr


@pytest.mark.parametrize("name", ["n" * 244 + ".jsonl", "\u00e9" * 120 + ".jsonl", "\u00e9" * 122 + ".txt"])
def test_a_long_output_name_that_the_system_takes_is_written(tmp_path, name):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    out = tmp_path / name
    args = ["--jsonl", "-", "-o", str(out)] if name.endswith(".jsonl") else [str(page), "-o", str(out)]
    result = CliRunner().invoke(main, args, input=json.dumps({"text": PAGE}) + "\n")
    assert result.exit_code == 0, result.stderr
    assert out.exists() and not [p for p in tmp_path.iterdir() if "newsclean-tmp" in p.name]


# --- 21. the Python API says what it expects ------------------------------------------------------

@pytest.mark.parametrize("call,message", [
    (lambda: clean(None), "clean() expects text (str), not NoneType"),
    (lambda: clean(b"Watch CBS News\n"), "clean() expects text (str), not bytes: decode the bytes first"),
    (lambda: clean_and_explain(42), "clean_and_explain() expects text (str), not int"),
    (lambda: clean(PAGE, ignore="NC3"), 'ignore expects a list of strings, like ignore=["NC3", "comments"], not str'),
    (lambda: clean(PAGE, select="video"), "select expects a list of strings"),
    (lambda: clean(PAGE, rule_files="site.toml"), 'rule_files expects a list of strings, like rule_files=["my-site.toml"]'),
    (lambda: clean(PAGE, ["NC3"]), "config must be a newsclean.Config or None, not list"),
    (lambda: clean(PAGE, ignor=["NC3"]), "unknown option 'ignor'"),
    (lambda: Config(ignore="NC3"), "ignore expects a list of strings"),
])
def test_the_api_says_what_it_expected(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert message in str(info.value)


def test_the_api_still_takes_lists_tuples_and_paths():
    assert clean(PAGE, ignore=["NC3"]) == PAGE
    assert clean(PAGE, ignore=("navigation",)) == PAGE
    assert clean(PAGE, Config().with_options(select=["NC1"], rule_files=[])) == PAGE
    assert Config(ignore=["NC3"]) == Config(ignore=("NC3",)) and clean(PAGE, Config(ignore=["NC3"])) == PAGE


def test_an_output_link_into_a_missing_directory_says_so(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    (tmp_path / "out.txt").symlink_to(tmp_path / "gone" / "out.txt")
    result = CliRunner().invoke(main, [str(page), "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 1
    assert result.stderr == (f"newsclean: {page}: {tmp_path / 'out.txt'}: cannot write: {tmp_path / 'gone'} does not "
                             f"exist (the link leads to {tmp_path / 'gone' / 'out.txt'})\n")
    assert "newsclean-tmp" not in result.stderr
