#!/usr/bin/env python3
"""Run the bad-input battery against the real command line and print a table.

Every case runs ``python -m newsclean`` in a subprocess on invented inputs
in a temporary folder, and checks what a user would see: the exit code, one
line on stderr naming the file and the problem, no traceback, the output, and
that no file is left half-written.

    python benchmarks/reliability.py              # the whole battery (about a minute)
    python benchmarks/reliability.py --quick      # without the 100 MB and 1 GB cases
    python benchmarks/reliability.py -k encoding  # only cases whose name contains a word
    python benchmarks/reliability.py --huge-pages # the 1 GB case made of real pages (slow)

Exit status: 0 when every case passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\nShare on Facebook\n" + ARTICLE + "\nAdvertisement\n"
MB = 1 << 20


@dataclass
class Run:
    rc: int
    out: bytes
    err: str
    seconds: float
    max_rss_mb: int


@dataclass
class Case:
    name: str
    expected: str
    check: Callable[[Path], tuple[bool, str]]
    heavy: bool = False


def run_cli(args: list[str], cwd: Path, *, stdin: bytes | None = None, mem_cap_mb: int | None = None,
            drop_root_read: bool = False, timeout: float = 900, signal_after: tuple[float, int] | None = None,
            signal_when: tuple[Callable[[], bool], int] | None = None, python_args: list[str] | None = None,
            stdout_to: str | None = None, env_extra: dict[str, str] | None = None) -> Run:
    """Run ``python -m newsclean ARGS`` (or ``python PYTHON_ARGS``); stdout goes to a file
    (or to ``stdout_to``, such as /dev/full). A run still going after ``timeout`` seconds
    is killed (a hang fails its case: exit -9, "timed out" on stderr).

    ``signal_after`` sends a signal after some seconds; ``signal_when`` as soon as a
    condition holds (checked every 5 ms while the run goes on)."""
    import threading

    cmd = [sys.executable, *(python_args or ["-m", "newsclean", *args])]
    if drop_root_read:  # root reads every file: drop that power so permissions apply
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]

    def limits() -> None:
        if mem_cap_mb:
            resource.setrlimit(resource.RLIMIT_AS, (mem_cap_mb * MB, mem_cap_mb * MB))

    out_path = cwd / ".stdout"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env_extra or {})}
    start = time.monotonic()
    with open(stdout_to or out_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.PIPE, env=env, preexec_fn=limits)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        if stdin is not None:
            proc.stdin.write(stdin)  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        if signal_after:
            time.sleep(signal_after[0])
            proc.send_signal(signal_after[1])
        if signal_when:
            while proc.poll() is None and not signal_when[0]():
                time.sleep(0.005)
            proc.send_signal(signal_when[1])
        err = proc.stderr.read().decode("utf-8", "replace")  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if not killer.is_alive():
            err += f"\n(timed out after {timeout:g} s)"
        killer.cancel()
    if stdout_to:
        return Run(proc.returncode, b"", err, time.monotonic() - start, usage.ru_maxrss // 1024)
    data = out_path.read_bytes() if out_path.stat().st_size < 300 * MB else b"<large>"
    size = out_path.stat().st_size
    out_path.unlink()
    return Run(proc.returncode, data if data != b"<large>" else b"<%d bytes>" % size, err,
               time.monotonic() - start, usage.ru_maxrss // 1024)


def texts(run: Run) -> list[str]:
    """The cleaned texts of a run with ``--format json`` (one JSON line per page)."""
    try:
        return [json.loads(x)["text"] for x in run.out.splitlines()]
    except (ValueError, KeyError):
        return [f"<not JSON Lines: {run.out[:60]!r}>"]


def one_line(run: Run, name: str, *must: str) -> tuple[bool, str]:
    """Exactly one stderr line names ``name`` and contains every ``must``; no traceback."""
    lines = [x for x in run.err.splitlines() if name in x]
    ok = len(lines) == 1 and all(m in lines[0] for m in must) and "Traceback" not in run.err
    return ok, lines[0] if lines else run.err.strip().splitlines()[-1] if run.err.strip() else "(no message)"


def verdict(ok: bool, run: Run, detail: str) -> tuple[bool, str]:
    return ok, f"exit {run.rc}; {detail}"


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if "newsclean-tmp" in p.name]


# --- the cases -------------------------------------------------------------------

def write(d: Path, name: str | bytes, data: bytes | str) -> Path:
    p = Path(os.fsdecode(os.path.join(os.fsencode(d), os.fsencode(name))))
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def case_file(name: str, data: bytes, expect_rc: int, expect_out: bytes | None, *must: str,
              args: tuple[str, ...] = ()) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        src = write(d, name, data)
        good = write(d, "good.txt", PAGE)
        run = run_cli([*args, src.name, good.name, "--format", "json"], d)  # one JSON line per page
        out_ok = expect_out is None or "".join(texts(run)) == (expect_out + ARTICLE.encode()).decode()
        if must:
            ok, line = one_line(run, src.name, *must)
        else:
            ok, line = src.name not in run.err and "Traceback" not in run.err, "no message"
        return verdict(ok and out_ok and run.rc == expect_rc, run, line if out_ok else f"output {run.out[:60]!r}")
    return check


def line_endings(newline: bytes, want: bytes) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        src = write(d, "page.txt", b"Watch CBS News" + newline + b"First paragraph." + newline + newline + b"Second." + newline)
        run = run_cli([src.name], d)
        expected = b"First paragraph." + want + want + b"Second." + want
        return verdict(run.rc == 0 and run.out == expected, run, f"output {run.out!r}")
    return check


def huge_line(word: bytes) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        body = (word * (100 * MB // len(word)))[: 100 * MB].rstrip()
        src = write(d, "line.txt", b"Watch CBS News\n" + body + b"\n")
        run = run_cli([src.name, "-o", "out.txt"], d, mem_cap_mb=4096)
        out = (d / "out.txt").read_bytes() if (d / "out.txt").exists() else b""
        ok = run.rc == 0 and out == body + b"\n" and "Traceback" not in run.err
        return verdict(ok, run, f"{len(out) // MB} MB out in {run.seconds:.1f} s, peak {run.max_rss_mb} MB"
                       + ("" if ok else f"; {run.err.strip()[-200:]}"))
    return check


# Lines that a careless pattern reads in quadratic time: long runs of one character or of a
# short motif (spaces, brackets, links that never close, separators, words run together).
PATHOLOGICAL = {
    "spaces": "a" + " " * 200_000 + "b", "dot-spaces": "a." + " " * 200_000 + "B", "brackets": "[a" * 100_000,
    "unclosed-links": "[a](" * 50_000, "link-ends": "](" * 100_000, "pipes": "a |" * 66_000, "camel": "aaaB" * 50_000,
    "sentences": "Aa. " * 50_000, "stars": "**a" * 66_000, "gaps": "a   b   c " * 20_000, "quotes": "> " * 100_000,
    "underscores": "_a" * 100_000, "backslashes": "\\" * 200_000, "table": "|" * 200_000,
}


def pathological_lines(layout: str) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        names = [write(d, f"{name}.txt", text + "\n").name for name, text in PATHOLOGICAL.items()]
        run = run_cli([*names, "-o", "out", "--layout", layout, "-j", "1"], d, timeout=120)
        ok = run.rc == 0 and "Traceback" not in run.err and len(list((d / "out").glob("*.txt"))) == len(names)
        return verdict(ok, run, f"{len(names)} pages of 200,000 characters in {run.seconds:.1f} s")
    return check


def make_gigabyte(d: Path, pages: bool) -> Path:
    """1 GiB: 8 MB of pages, then (unless ``pages``) over-long prose lines, each longer than a block."""
    page_block = ((PAGE + "\n") * (8 * MB // (len(PAGE) + 1))).encode()
    long_line = (("A sentence of a very long paragraph that never ends. " * (16 * MB // 54)) + "\n").encode()
    src = d / "huge.txt"
    with open(src, "wb") as fh:
        written = 0
        while written < 1 << 30:
            chunk = page_block if pages or written < 8 * MB else long_line
            chunk = chunk[: (1 << 30) - written]
            fh.write(chunk)
            written += len(chunk)
    return src


def gigabyte_cli(pages: bool) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        src = make_gigabyte(d, pages)
        run = run_cli([src.name, "-o", "out.txt", "-j", "1"], d, mem_cap_mb=1024, timeout=7200)
        out = d / "out.txt"
        ok = run.rc == 0 and out.exists() and "Traceback" not in run.err
        msg = run.err.strip().splitlines()[-1] if run.err.strip() and not ok else ""
        return verdict(ok, run, f"{run.seconds:.0f} s, peak {run.max_rss_mb} MB" + (f"; {msg}" if msg else ""))
    return check


def gigabyte_api(pages: bool) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        src = make_gigabyte(d, pages)
        code = ("import sys; from newsclean.large import clean_large_file; "
                "r = clean_large_file(sys.argv[1], sys.argv[2]); print(r.blocks, r.lines_in, r.bytes_out)")
        run = run_cli([], d, mem_cap_mb=1024, timeout=7200, python_args=["-c", code, src.name, "out.txt"])
        ok = run.rc == 0 and (d / "out.txt").exists() and "Traceback" not in run.err
        blocks = run.out.split()[0].decode() if ok else "?"
        return verdict(ok, run, f"{blocks} blocks, {run.seconds:.0f} s, peak {run.max_rss_mb} MB"
                       + ("" if ok else f"; {run.err.strip()[-200:]}"))
    return check


def unreadable_file(d: Path) -> tuple[bool, str]:
    src = write(d, "secret.txt", PAGE)
    write(d, "good.txt", PAGE)
    src.chmod(0)
    run = run_cli([src.name, "good.txt", "--format", "json"], d, drop_root_read=os.geteuid() == 0)
    ok, line = one_line(run, "secret.txt", "permission denied")
    return verdict(ok and run.rc == 1 and texts(run) == [ARTICLE], run, line)


def unreadable_dir(d: Path) -> tuple[bool, str]:
    write(d, "src/good.txt", PAGE)
    write(d, "src/locked/hidden.txt", PAGE)
    (d / "src" / "locked").chmod(0)
    run = run_cli(["src", "-o", "out", "-j", "1"], d, drop_root_read=os.geteuid() == 0)
    (d / "src" / "locked").chmod(0o755)
    ok, line = one_line(run, "locked", "ermission denied")
    return verdict(ok and run.rc == 1 and (d / "out" / "good.txt").exists(), run, line)


def directory_input(d: Path) -> tuple[bool, str]:
    (d / "folder").mkdir()
    write(d, "good.txt", PAGE)
    run = run_cli(["folder", "good.txt"], d)  # a tree needs somewhere to go: a usage error, nothing cleaned
    ok, line = one_line(run, "folder", "is a directory")
    return verdict(ok and run.rc == 2 and run.out == b"", run, line)


def tree_with_links(d: Path) -> tuple[bool, str]:
    write(d, "src/good.txt", PAGE)
    write(d, "src/sub/deep.txt", PAGE)
    (d / "src" / "broken.txt").symlink_to(d / "src" / "nowhere.txt")
    (d / "src" / "loop-a.txt").symlink_to(d / "src" / "loop-b.txt")
    (d / "src" / "loop-b.txt").symlink_to(d / "src" / "loop-a.txt")
    (d / "src" / "sub" / "up").symlink_to(d / "src")
    run = run_cli(["src", "-o", "out", "-j", "1"], d)
    checks = [one_line(run, "broken.txt", "broken symbolic link"), one_line(run, "loop-a.txt", "symbolic links"),
              one_line(run, "loop-b.txt", "symbolic links")]
    cleaned = (d / "out" / "good.txt").exists() and (d / "out" / "sub" / "deep.txt").exists()
    ok = all(c[0] for c in checks) and cleaned and run.rc == 1
    return verdict(ok, run, "3 problems, one line each; 2 files cleaned; directory loop not followed" if ok
                   else "; ".join(c[1] for c in checks))


def odd_names(d: Path) -> tuple[bool, str]:
    names = [b"with space.txt", b"new\nline.txt", b"bad\xffbyte.txt", "caf\u00e9 \u65e5\u672c.txt".encode()]
    for n in names:
        write(d, b"src/" + n, PAGE)
    run = run_cli(["src", "-o", "out", "-j", "1"], d)
    done = sorted(os.listdir(os.fsencode(d / "out"))) if (d / "out").exists() else []
    ok = run.rc == 0 and done == sorted(names)
    return verdict(ok, run, f"{len(done)} of {len(names)} cleaned under their own names")


def odd_name_message(d: Path) -> tuple[bool, str]:
    write(d, b"src/new\nline.txt", b"\x00\x01")
    write(d, b"src/bad\xffbyte.txt", b"\x00\x01")
    run = run_cli(["src", "-o", "out", "-j", "1"], d)
    lines = run.err.splitlines()
    ok = ("newsclean: src/new\\x0aline.txt: binary file (contains NUL bytes); skipped" in lines
          and "newsclean: src/bad\\xffbyte.txt: binary file (contains NUL bytes); skipped" in lines)
    shown = [x for x in lines if "binary" in x or x.startswith("line.txt")]
    return verdict(ok and run.rc == 1, run, " | ".join(shown)[:160])


def full_disk(d: Path) -> tuple[bool, str]:
    mnt = d / "tiny"
    mnt.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                                                   capture_output=True).returncode == 0
    try:
        target = mnt / "out.txt"
        target.write_text("the previous output\n")
        src = write(d, "big.txt", ("A long article paragraph about the harbor and its repairs. " * 50 + "\n") * 100)
        if mounted:
            run = run_cli([src.name, "-o", str(target), "--force"], d)
            how = "64 KB tmpfs"
        else:  # no mount: make fsync fail the way a full disk does
            code = ("import errno, os, sys\n"
                    "def full(fd): raise OSError(errno.ENOSPC, 'No space left on device')\n"
                    "os.fsync = full\nfrom newsclean.cli import entry\n"
                    f"sys.argv = ['newsclean', {src.name!r}, '-o', {str(target)!r}, '--force', '-j', '1']\nentry()\n")
            run = run_cli([], d, python_args=["-c", code])
            how = "fsync made to fail"
        ok, line = one_line(run, "No space left on device", str(target))
        intact = target.read_text() == "the previous output\n" and not leftovers(mnt)
        return verdict(ok and intact and run.rc == 1, run, f"({how}) {line}; original intact: {intact}")
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], capture_output=True)


def interrupted(sig: int) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        body = ("A long article paragraph about the harbor and its repairs, officials said. " * 30 + "\n\n") * 400
        for i in range(60):
            write(d, f"src/page{i:03}.txt", "Watch CBS News\n" + body)
        expected = None
        # the signal comes once the first outputs are written, with most of the tree to go
        started = lambda: (d / "out").is_dir() and len(list((d / "out").glob("*.txt"))) >= 2  # noqa: E731
        run = run_cli(["src", "-o", "out", "-j", "2"], d, signal_when=(started, sig))
        outs = sorted((d / "out").glob("*.txt")) if (d / "out").exists() else []
        if outs:
            from newsclean import clean

            expected = clean("Watch CBS News\n" + body).encode()
        complete = all(p.read_bytes() == expected for p in outs)
        ok = run.rc == 130 and complete and not leftovers(d) and "Traceback" not in run.err
        last = run.err.strip().splitlines()[-1] if run.err.strip() else "(no message)"
        return verdict(ok, run, f"{len(outs)} of 60 outputs, all complete: {complete}; temp files: {len(leftovers(d))}; {last}")
    return check


def closed_stdout(d: Path) -> tuple[bool, str]:
    src = write(d, "big.txt", (ARTICLE + "\n") * 200000)
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", src.name], cwd=d, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.readline()  # type: ignore[union-attr]
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read().decode()  # type: ignore[union-attr]
    rc = proc.wait()
    return rc == 0 and "Traceback" not in err, f"exit {rc}; {err.strip() or 'no message'}"


def device_input(d: Path) -> tuple[bool, str]:
    write(d, "good.txt", PAGE)
    run = run_cli(["/dev/zero", "good.txt", "--format", "json"], d, timeout=60)
    ok, line = one_line(run, "/dev/zero", "not a regular file")
    return verdict(ok and run.rc == 1 and texts(run) == [ARTICLE], run, line)


def pathological_rule(d: Path) -> tuple[bool, str]:
    rules = write(d, "slow.toml", '[group]\nname = "slow"\ntitle = "Slow"\nprefix = "SL"\n\n[[rule]]\ncode = "SL101"\n'
                  'name = "slow-rule"\nsummary = "s"\nwhy = "w"\npatterns = [\'(?:a|aa)+b\']\ndrops = ["aab"]\n')
    src = write(d, "page.txt", ARTICLE + ("a" * 100 + "\n") * 200 + "aab\n")
    run = run_cli([src.name, "--rules", rules.name, "--explain"], d, timeout=600)
    notes = [x for x in run.err.splitlines() if "note:" in x and "SL101" in x and "timed out on line" in x]
    turned_off = any("turned off for the rest of the page" in x for x in notes)
    ok = run.rc == 0 and 1 <= len(notes) <= 3 and turned_off and ARTICLE.encode() in run.out
    return verdict(ok, run, f"{len(notes)} timeout notes for 200 hard lines, {run.seconds:.1f} s"
                   + ("; rule turned off for the page" if turned_off else
                      " (no per-page budget: every hard line waits for the timeout)"))


def bad_rule_file(data: bytes, must: str) -> Callable[[Path], tuple[bool, str]]:
    def check(d: Path) -> tuple[bool, str]:
        rules = write(d, "bad.toml", data)
        src = write(d, "page.txt", PAGE)
        run = run_cli([src.name, "--rules", rules.name], d)
        ok, line = one_line(run, "bad.toml", must)
        return verdict(ok and run.rc == 2 and run.out == b"", run, line)
    return check


def rule_file_runs_nothing(d: Path) -> tuple[bool, str]:
    marker = d / "ran"
    payload = f'__import__("os").system("touch {marker}")'
    rules = write(d, "evil.toml", f"[group]\nname = 'evil'\ntitle = '{payload}'\nprefix = 'EV'\n\n[[rule]]\ncode = 'EV101'\n"
                                  f"name = 'evil-rule'\nsummary = '{payload}'\nwhy = '{payload}'\nexact = ['{payload}']\n"
                                  f"drops = ['{payload}']\n")
    src = write(d, "page.txt", payload + "\n" + ARTICLE)
    run = run_cli([src.name, "--rules", rules.name], d)
    ok = run.rc == 0 and not marker.exists() and run.out == ARTICLE.encode()
    return verdict(ok, run, "payload line removed as text, nothing executed" if ok else run.err.strip()[-200:])


# --- round two: no silent loss, no hang, no traceback, promises kept ----------------

OTHER = "Watch CBS News\nThe ferry to the island ran again on Tuesday, the operator said.\n"
RULES_OK = ('[group]\nname = "site"\ntitle = "Site"\nprefix = "ST"\n\n[[rule]]\ncode = "ST101"\nname = "site-promo"\n'
            'summary = "s"\nwhy = "w"\nexact = ["support the harbor gazette"]\ndrops = ["Support the Harbor Gazette"]\n')
SLOW_RULE = ('[[rule]]\ncode = "SL{n}"\nname = "slow-rule-{n}"\nsummary = "s"\nwhy = "w"\n'
             'patterns = [\'(?:a|aa)+b\']\ndrops = ["aab"]\n')


def last_line(run: Run) -> str:
    lines = [x for x in run.err.splitlines() if x.strip()]
    return lines[-1] if lines else "(no message)"


def clean_exit(run: Run, rc: int) -> bool:
    return run.rc == rc and "Traceback" not in run.err and "timed out after" not in run.err


def records(n: int, start: int = 0) -> bytes:
    return "".join(json.dumps({"id": i, "text": PAGE}) + "\n" for i in range(start, start + n)).encode()


def private_device(d: Path, name: str, minor: int) -> str:
    """A private copy of /dev/null (minor 3) or /dev/full (7) to write to: as root, a
    regression that replaced the output would otherwise replace the system's device."""
    import stat

    if os.geteuid() != 0:
        return f"/dev/{name}"
    os.mknod(d / name, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return str(d / name)


def same_output_name(d: Path) -> tuple[bool, str]:
    write(d, "a/x.txt", PAGE)
    write(d, "b/x.txt", OTHER)
    write(d, "one/pages/p.txt", PAGE)
    write(d, "two/pages/p.txt", OTHER)
    files = run_cli(["a/x.txt", "b/x.txt", "-o", "out", "-j", "1"], d)
    trees = run_cli(["one/pages", "two/pages", "-o", "out2", "--force"], d)
    ok = (clean_exit(files, 2) and clean_exit(trees, 2) and "a/x.txt" in files.err and "b/x.txt" in files.err
          and not (d / "out").exists() and not (d / "out2").exists())
    return verdict(ok, files, last_line(files))


def input_inside_output(d: Path) -> tuple[bool, str]:
    write(d, "w/pages/a.txt", PAGE)
    write(d, "w/pages/pages/a.txt", OTHER)
    write(d, "rules.toml", RULES_OK)
    tree = run_cli(["w/pages", "-o", "w", "--force"], d)
    rules = run_cli(["w/pages/a.txt", "--rules", "rules.toml", "-o", "rules.toml", "--force"], d)
    saved = run_cli(["w/pages/a.txt", "-o", "o.txt", "--learn-repeats", "--save-repeats", "w/pages/a.txt"], d)
    ok = (all(clean_exit(r, 2) for r in (tree, rules, saved)) and (d / "w/pages/a.txt").read_text() == PAGE
          and (d / "rules.toml").read_text() == RULES_OK)
    return verdict(ok, tree, last_line(tree))


def existing_backup(d: Path) -> tuple[bool, str]:
    write(d, "a.txt", PAGE)
    write(d, "a.txt.orig", "my notes\n")
    write(d, "tree/b.txt", PAGE)
    write(d, "tree/b.txt.txt", OTHER)
    kept = run_cli(["a.txt", "--in-place", "--backup", ".orig"], d)
    other = run_cli(["tree", "--in-place", "--backup", ".txt"], d)
    ok = (clean_exit(kept, 1) and "backup a.txt.orig exists and is kept" in kept.err and clean_exit(other, 2)
          and (d / "a.txt.orig").read_text() == "my notes\n" and (d / "a.txt").read_text() == PAGE
          and (d / "tree/b.txt.txt").read_text() == OTHER)
    return verdict(ok, kept, last_line(kept))


def special_outputs(d: Path) -> tuple[bool, str]:
    import stat
    import threading

    src = write(d, "a.txt", PAGE)
    fifo = d / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True).start()
    to_fifo = run_cli([src.name, "-o", fifo.name, "--force"], d, timeout=30)
    nodes_ok = stat.S_ISFIFO(fifo.lstat().st_mode)
    detail = f"fifo read {got[0][:20]!r}" if got else "fifo got nothing"
    if os.geteuid() == 0:  # a private /dev/null: the real one must never be at risk
        null = Path(private_device(d, "null", 3))
        disk = d / "disk"
        os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 250))
        to_null = run_cli([src.name, "-o", null.name, "--force"], d)
        to_disk = run_cli([src.name, "-o", disk.name, "--force"], d)
        nodes_ok = (nodes_ok and clean_exit(to_null, 0) and stat.S_ISCHR(null.lstat().st_mode)
                    and clean_exit(to_disk, 1) and stat.S_ISBLK(disk.lstat().st_mode))
        detail += "; private char device written to, block device refused"
    ok = clean_exit(to_fifo, 0) and got == [ARTICLE.encode()] and nodes_ok
    return verdict(ok, to_fifo, detail)


def in_place_owner_and_links(d: Path) -> tuple[bool, str]:
    src = write(d, "a.txt", PAGE)
    root = os.geteuid() == 0
    if root:
        os.chown(src, 1234, 2345)
    src.chmod(0o640)
    real = write(d, "real.txt", PAGE)
    (d / "link.txt").symlink_to(real.name)
    hard = write(d, "h1.txt", PAGE)
    os.link(hard, d / "h2.txt")
    run = run_cli(["a.txt", "link.txt", "h1.txt", "--in-place", "-j", "1"], d)
    st = src.stat()
    owner = (st.st_uid, st.st_gid) == (1234, 2345) if root else True
    ok = (clean_exit(run, 0) and owner and st.st_mode & 0o777 == 0o640 and (d / "link.txt").is_symlink()
          and real.read_text() == ARTICLE and "has 2 hard links" in run.err)
    return verdict(ok, run, f"owner kept: {owner}; link kept, target cleaned; hard link warned")


def truncated_compressed(d: Path) -> tuple[bool, str]:
    import gzip

    write(d, "cut.jsonl.gz", gzip.compress(records(5)) + gzip.compress(records(5, 5))[:9])
    runs = [run_cli(["--jsonl", "cut.jsonl.gz", "-o", "out.jsonl", "-j", j], d) for j in ("1", "2")]
    try:
        import zstandard

        second = zstandard.ZstdCompressor().compress(records(5, 5))
        write(d, "cut.jsonl.zst", zstandard.ZstdCompressor().compress(records(5)) + second[: len(second) // 2])
        runs += [run_cli(["--jsonl", "cut.jsonl.zst", "-o", "out.jsonl", "-j", j], d) for j in ("1", "2")]
    except ImportError:
        pass
    ok = all(clean_exit(r, 1) and "cannot read" in r.err for r in runs) and not (d / "out.jsonl").exists()
    return verdict(ok, runs[-1], f"{len(runs)} runs; {last_line(runs[-1])}")


def jsonl_bytes_kept(d: Path) -> tuple[bool, str]:
    line = ('{"f": 1e400, "big": 123456789012345678901234567890, "a": 1, "a": 2,\t"text": '
            + json.dumps(PAGE) + ', "s": "caf\\u00e9"}\n')
    write(d, "in.jsonl", line)
    write(d, "clash.jsonl", '{"text": ' + json.dumps(PAGE) + ', "newsclean": 5}\n')
    run = run_cli(["--jsonl", "in.jsonl"], d)
    clash = run_cli(["--jsonl", "clash.jsonl", "--explain"], d)
    ok = (clean_exit(run, 0) and run.out == line.replace(json.dumps(PAGE), json.dumps(ARTICLE)).encode()
          and clean_exit(clash, 1) and "has a field 'newsclean' already" in clash.err)
    return verdict(ok, run, f"output {run.out[:70]!r}")


def fifo_without_writer(d: Path) -> tuple[bool, str]:
    write(d, "tree/a.txt", PAGE)
    os.mkfifo(d / "tree" / "p.txt")
    os.mkfifo(d / "fifo.txt")
    runs = [run_cli(args, d, timeout=30) for args in (
        ["fifo.txt", "--diff"], ["tree", "-o", "out", "--diff"], ["tree", "-o", "out2", "--learn-repeats"],
        ["tree/a.txt", "fifo.txt", "-o", "out3", "--learn-repeats"], ["--jsonl", "fifo.txt"],
        ["tree/a.txt", "--rules", "fifo.txt"], ["tree/a.txt", "--config", "fifo.txt"])]
    ok = all(r.rc in (1, 2) and "Traceback" not in r.err and "timed out after" not in r.err for r in runs)
    return verdict(ok, runs[0], f"{len(runs)} runs, slowest {max(r.seconds for r in runs):.1f} s; {last_line(runs[0])}")


def orphaned_workers(d: Path) -> tuple[bool, str]:
    body = ("A long article paragraph about the harbor and its repairs, officials said. " * 30 + "\n\n") * 300
    for i in range(300):
        write(d, f"src/p{i:03}.txt", "Watch CBS News\n" + body)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", "src", "-o", "out", "-j", "2"], cwd=d, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (len(children) >= 2 and (d / "out").exists()):
        try:
            children |= {int(x) for x in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()}
        except OSError:
            pass
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    killed = time.monotonic()

    def alive(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    while time.monotonic() - killed < 15 and any(alive(c) for c in children):
        time.sleep(0.05)
    left = [c for c in children if alive(c)]
    for c in left:
        os.kill(c, signal.SIGKILL)
    took = time.monotonic() - killed
    ok = len(children) >= 2 and not left
    return ok, f"{len(children)} workers; {'all gone' if not left else f'{len(left)} still running'} {took:.1f} s after kill -9"


def many_slow_rules(d: Path) -> tuple[bool, str]:
    write(d, "slow.toml", '[group]\nname = "slow"\ntitle = "Slow"\nprefix = "SL"\n\n'
          + "\n".join(SLOW_RULE.format(n=1000 + i) for i in range(2000)))
    write(d, "page.txt", "a" * 100 + "\n" + "a" * 100 + "\n")
    run = run_cli(["page.txt", "--rules", "slow.toml"], d, timeout=120)
    warnings = [x for x in run.err.splitlines() if "warning" in x]
    ok = clean_exit(run, 0) and run.seconds < 30 and any("took over" in w for w in warnings)
    return verdict(ok, run, f"{run.seconds:.1f} s for 2000 rules on a 2-line page; {len(warnings)} warnings")


def rule_timeout_warning(d: Path) -> tuple[bool, str]:
    write(d, "slow.toml", '[group]\nname = "slow"\ntitle = "Slow"\nprefix = "SL"\n\n' + SLOW_RULE.format(n=1000))
    for i in range(3):
        write(d, f"p{i}.txt", ARTICLE + ("a" * 100 + "\n") * 5)
    run = run_cli(["p0.txt", "p1.txt", "p2.txt", "--rules", "slow.toml", "-o", "out"], d)
    warnings = [x for x in run.err.splitlines() if "warning" in x]
    ok = clean_exit(run, 0) and len(warnings) == 1 and "SL1000" in warnings[0]
    return verdict(ok, run, warnings[0] if warnings else "no warning")


def jsonl_device_and_limit(d: Path) -> tuple[bool, str]:
    zero = run_cli(["--jsonl", "/dev/zero"], d, timeout=30, mem_cap_mb=2048)
    with open("/dev/zero", "rb") as stream:  # as standard input too
        piped = subprocess.run([sys.executable, "-m", "newsclean", "--jsonl"], stdin=stream, capture_output=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=30)
    write(d, "in.jsonl", records(1) + json.dumps({"text": "word " * 400_000}).encode() + b"\n" + records(1, 2))
    big = run_cli(["--jsonl", "in.jsonl", "--max-record-mb", "1"], d)
    ids = [json.loads(x)["id"] for x in big.out.splitlines()]
    ok = (clean_exit(zero, 1) and "is a device" in zero.err and piped.returncode == 2 and clean_exit(big, 1)
          and "in.jsonl:2: record of" in big.err and ids == [0, 2])
    return verdict(ok, big, last_line(big))


def jsonl_bomb(d: Path) -> tuple[bool, str]:
    import gzip

    with gzip.open(d / "bomb.jsonl.gz", "wb", compresslevel=9) as fh:
        fh.write(records(1) + b'{"text": "')
        for _ in range(3 * 1024 // 16):
            fh.write(b"a" * (16 * MB))
        fh.write(b'"}\n' + records(1, 2))
    run = run_cli(["--jsonl", "bomb.jsonl.gz", "-j", "1"], d, mem_cap_mb=1024, timeout=900)
    ids = [json.loads(x)["id"] for x in run.out.splitlines()] if run.rc == 1 else []
    ok = clean_exit(run, 1) and ids == [0, 2] and "record of" in run.err
    size = (d / "bomb.jsonl.gz").stat().st_size // MB
    return verdict(ok, run, f"{size} MB .gz with a 3 GB line: {run.seconds:.0f} s, peak {run.max_rss_mb} MB")


def deep_record(d: Path) -> tuple[bool, str]:
    write(d, "deep.jsonl", records(1) + b'{"text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n" + records(1, 2))
    runs = [run_cli(["--jsonl", "deep.jsonl", "-j", j], d) for j in ("1", "2")]
    ok = all(clean_exit(r, 1) and "deep.jsonl:2: invalid JSON: nested too deeply" in r.err
             and len(r.out.splitlines()) == 3 for r in runs)
    return verdict(ok, runs[1], last_line(runs[1]))


def bad_site_field(d: Path) -> tuple[bool, str]:
    write(d, "in.jsonl", records(1) + b'{"url": "http://[bad", "text": "x"}\n{"url": ["x"], "text": "x"}\n')
    runs = [run_cli(["--jsonl", "in.jsonl", "--site-field", "url", "--learn-repeats", "-j", j], d) for j in ("1", "2")]
    ok = all(clean_exit(r, 1) and "in.jsonl:2: field 'url'" in r.err and "in.jsonl:3: field 'url'" in r.err
             and len(r.out.splitlines()) == 3 for r in runs)
    return verdict(ok, runs[1], last_line(runs[1]))


def full_outputs(d: Path) -> tuple[bool, str]:
    mnt = d / "tiny"
    mnt.mkdir()
    write(d, "in.jsonl", records(2000))
    write(d, "page.txt", PAGE)
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                                                   capture_output=True).returncode == 0
    runs = []
    try:
        if mounted:
            runs.append(run_cli(["--jsonl", "in.jsonl", "-o", "tiny/out.jsonl"], d))
        if Path("/dev/full").exists():
            full = private_device(d, "full", 7)
            runs += [run_cli(["page.txt", "-o", full], d), run_cli(["--jsonl", "in.jsonl", "-o", full], d),
                     run_cli(["page.txt"], d, stdout_to=full), run_cli(["--jsonl", "in.jsonl"], d, stdout_to=full)]
        left = leftovers(mnt)
    finally:
        if mounted:
            subprocess.run(["umount", str(mnt)], capture_output=True)
    ok = bool(runs) and all(clean_exit(r, 1) and "No space left on device" in r.err for r in runs) and not left
    return verdict(ok, runs[0] if runs else Run(0, b"", "", 0, 0), f"{len(runs)} runs; {last_line(runs[0])}" if runs else "no full device")


def closed_standard_output(d: Path) -> tuple[bool, str]:
    write(d, "page.txt", PAGE)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    to_file = subprocess.run([sys.executable, "-m", "newsclean", "page.txt", "-o", "out.txt"], cwd=d, env=env,
                             stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1), timeout=60)
    to_stdout = subprocess.run([sys.executable, "-m", "newsclean", "page.txt"], cwd=d, env=env,
                               stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1), timeout=60)
    ok = (to_file.returncode == 0 and (d / "out.txt").read_text() == ARTICLE and to_stdout.returncode == 2
          and "standard output is closed" in to_stdout.stderr and "Traceback" not in to_file.stderr + to_stdout.stderr)
    return ok, f"exit {to_file.returncode} with -o; exit {to_stdout.returncode}: {to_stdout.stderr.strip().splitlines()[-1]}"


def nested_repeats_and_bad_cache(d: Path) -> tuple[bool, str]:
    write(d, "page.txt", PAGE)
    write(d, "deep.json", "[" * 100_000 + "]" * 100_000)
    deep = run_cli(["page.txt", "--repeats", "deep.json"], d)
    cache = {"NEWSCLEAN_CACHE_DIR": str(d / "cache")}
    run_cli(["page.txt"], d, env_extra=cache)
    catalog = d / "cache" / "catalog.json"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("watch", "(watch", 1), encoding="utf-8")
    again = run_cli(["page.txt"], d, env_extra=cache)
    ok = clean_exit(deep, 2) and "nested too deeply" in deep.err and clean_exit(again, 0) and again.out == ARTICLE.encode()
    return verdict(ok, deep, f"{last_line(deep)}; tampered cache rebuilt: {again.out == ARTICLE.encode()}")


def process_substitution(d: Path) -> tuple[bool, str]:
    write(d, "page.txt", PAGE)
    run = run_cli([], d, python_args=["-c", "import subprocess, sys; sys.exit(subprocess.call(['bash', '-c', "
                                            f"'{sys.executable} -m newsclean <(cat page.txt)']))"])
    ok = clean_exit(run, 0) and run.out == ARTICLE.encode()
    return verdict(ok, run, f"output {run.out[:40]!r}")


def closed_pipe_everywhere(d: Path) -> tuple[bool, str]:
    line = "The harbor reopened on Monday after three weeks of repairs, officials said, line {}.\n"
    for name in ("a.txt", "b.txt"):
        write(d, name, "".join(line.format(i) for i in range(20_000)))
    write(d, "in.jsonl", "".join(json.dumps({"text": PAGE + line.format(i)}) + "\n" for i in range(20_000)))
    with open(d / "big.txt", "w") as fh:
        for _ in range(20):
            fh.write("".join(line.format(i) for i in range(10_000)))
    results = []
    for args in (["a.txt", "b.txt", "--format", "json"], ["--jsonl", "in.jsonl", "-j", "1"],
                 ["--jsonl", "in.jsonl", "-j", "2"], ["big.txt"]):
        proc = subprocess.Popen([sys.executable, "-m", "newsclean", *args], cwd=d, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        proc.stdout.readline()  # type: ignore[union-attr]
        proc.stdout.close()  # type: ignore[union-attr]
        err = proc.stderr.read().decode()  # type: ignore[union-attr]
        results.append((proc.wait(), err))
    ok = all(rc == 0 and err == "" for rc, err in results)
    return ok, "; ".join(f"exit {rc}" + (f" {err.strip()[:40]}" if err else "") for rc, err in results)


def sigterm_while_learning(d: Path) -> tuple[bool, str]:
    body = ("A long article paragraph about the harbor and its repairs, officials said. " * 30 + "\n\n") * 300
    for i in range(300):
        write(d, f"src/p{i:03}.txt", f"Page {i}\n" + body)
    write(d, "in.jsonl", "".join(json.dumps({"text": f"Page {i}\n" + body}) + "\n" for i in range(300)))
    runs = [run_cli(["src", "-o", "out", "--learn-repeats"], d, signal_after=(1.0, signal.SIGTERM)),
            run_cli(["--jsonl", "in.jsonl", "--learn-repeats", "-o", "out.jsonl"], d, signal_after=(1.0, signal.SIGTERM))]
    ok = all(clean_exit(r, 130) and "interrupted" in r.err for r in runs) and not (d / "out.jsonl").exists()
    return verdict(ok, runs[0], last_line(runs[0]))


def clear_messages(d: Path) -> tuple[bool, str]:
    write(d, "page.txt", PAGE)
    write(d, "notes", "mine\n")
    parent = run_cli(["page.txt", "-o", "notes/out.txt"], d)
    slash = run_cli(["page.txt", "-o", "newdir/"], d)
    long_name = "n" * 244 + ".jsonl"
    named = run_cli(["--jsonl", "-", "-o", long_name], d, stdin=json.dumps({"text": PAGE}).encode() + b"\n")
    write(d, "slow.toml", '[group]\nname = "slow"\ntitle = "Slow"\nprefix = "SL"\n\n'
          + "\n".join(SLOW_RULE.format(n=1000 + i) for i in range(3)))
    write(d, "slow.txt", "a" * 100 + "\n")
    notes = run_cli(["slow.txt", "--rules", "slow.toml", "--explain"], d)
    noted = sorted({x.split("rule ")[1].split(" ")[0] for x in notes.err.splitlines() if "timed out on line" in x})
    ok = (clean_exit(parent, 1) and "notes is not a directory" in parent.err and clean_exit(slash, 0)
          and (d / "newdir" / "page.txt").exists() and clean_exit(named, 0) and (d / long_name).exists()
          and noted == ["SL1000", "SL1001", "SL1002"])
    return verdict(ok, parent, f"{last_line(parent)}; dir/ is a directory; 250-byte name written; timeouts noted: {noted}")


def api_types(d: Path) -> tuple[bool, str]:
    code = ("from newsclean import clean\n"
            "for args, kw in [((None,), {}), ((b'x',), {}), (('x',), {'ignore': 'NC3'})]:\n"
            "    try:\n        clean(*args, **kw)\n    except (TypeError, ValueError) as exc:\n        print(exc)\n")
    run = run_cli([], d, python_args=["-c", code])
    lines = run.out.decode().splitlines()
    ok = clean_exit(run, 0) and len(lines) == 3 and "not NoneType" in lines[0] and "decode the bytes" in lines[1] \
        and "list of strings" in lines[2]
    return verdict(ok, run, " | ".join(x[:50] for x in lines))


def round_two() -> list[Case]:
    return [
        Case("two inputs, one output name (files, trees)", "exit 2, both named, nothing written", same_output_name),
        Case("an output that is an input (tree in output, rule file, table)", "exit 2, inputs intact", input_inside_output),
        Case("--backup onto an existing file or another input", "exit 1 / 2, backup and inputs kept", existing_backup),
        Case("-o onto a FIFO, a device, a block device (--force)", "written to or refused, never replaced", special_outputs),
        Case("--in-place: owner, symlink, hard link", "owner and mode kept, target cleaned, hard link warned",
             in_place_owner_and_links),
        Case("truncated multi-frame .gz / .zst", "exit 1, one line, no output file", truncated_compressed),
        Case("JSONL: 1e400, duplicate keys, explain field clash", "other bytes identical; clash is a bad record",
             jsonl_bytes_kept),
        Case("FIFO without a writer (--diff, --learn-repeats, --jsonl, --rules, --config)", "each ends, one line",
             fifo_without_writer),
        Case("kill -9 of the main process (-j 2)", "workers exit within seconds", orphaned_workers),
        Case("2000 slow user rules on one page", "ends in seconds; warning", many_slow_rules),
        Case("a user rule that times out on several pages", "one warning per rule per run", rule_timeout_warning),
        Case("--jsonl /dev/zero (named, on stdin), a record over the limit", "refused; record reported, run goes on",
             jsonl_device_and_limit),
        Case("3 MB .gz holding a 3 GB line, memory capped at 1 GB", "record reported, others cleaned", jsonl_bomb,
             heavy=True),
        Case("JSONL record nested 100000 deep (-j 1, -j 2)", "exit 1, bad record, others written", deep_record),
        Case("--site-field malformed or not a string", "exit 1, bad records, others written", bad_site_field),
        Case("full disk under --jsonl -o, /dev/full as output", "exit 1, one line, no temp file", full_outputs),
        Case("standard output closed (>&-)", "-o works; stdout needed: exit 2, one line", closed_standard_output),
        Case("nested --repeats file, tampered rule cache", "exit 2, one line; cache rebuilt", nested_repeats_and_bad_cache),
        Case("newsclean <(cat page.txt)", "exit 0, cleaned", process_substitution),
        Case("| head: several files, --jsonl, a large file", "exit 0, nothing on stderr", closed_pipe_everywhere),
        Case("SIGTERM while learning repeats (files, JSONL)", "exit 130, one line, nothing written",
             sigterm_while_learning),
        Case("messages: parent is a file, dir/, 250-byte name, timeouts", "each says what happened", clear_messages),
        Case("Python API: clean(None), clean(b''), ignore='NC3'", "TypeError saying what was expected", api_types),
    ]


def cases() -> list[Case]:
    u = "Caf\u00e9 owners protest the new rent rules.\n"
    return [
        Case("empty file", "exit 0, empty output, one warning line", case_file("empty.txt", b"", 0, b"", "warning: empty input")),
        Case("whitespace-only file", "exit 0, empty output, one warning line",
             case_file("blank.txt", b" \n\t\r\n  ", 0, b"", "warning: only white space")),
        Case("PNG image named .txt", "exit 1, skipped with one line, others cleaned",
             case_file("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, b"", "binary file")),
        Case("text with NUL bytes", "exit 1, skipped with one line", case_file("nul.txt", b"abc\x00def\n", 1, b"", "binary file")),
        Case("control-character junk", "exit 1, skipped with one line",
             case_file("junk.txt", bytes(range(1, 9)) * 300, 1, b"", "binary file")),
        Case("invalid UTF-8 (cp1252)", "exit 0, decoded as cp1252, one warning line",
             case_file("cp.txt", u.encode("cp1252"), 0, u.encode(), "warning: not valid UTF-8", "cp1252")),
        Case("UTF-8 with BOM", "exit 0, BOM not in output", case_file("bom.txt", b"\xef\xbb\xbf" + u.encode(), 0, u.encode())),
        Case("UTF-16 with BOM", "exit 0, decoded", case_file("u16.txt", u.encode("utf-16"), 0, u.encode())),
        Case("UTF-16 without BOM", "exit 0, decoded, one warning line",
             case_file("u16le.txt", u.encode("utf-16-le"), 0, u.encode(), "no byte-order mark")),
        Case("--encoding latin-1", "exit 0, forced decoding, no warning",
             case_file("l1.txt", u.encode("latin-1"), 0, u.encode(), args=("--encoding", "latin-1"))),
        Case("--encoding utf-8 on cp1252", "exit 1, one line with the bad byte",
             case_file("cp2.txt", u.encode("cp1252"), 1, b"", "not valid utf-8 (byte 3)", args=("--encoding", "utf-8"))),
        Case("--encoding no-such-codec", "exit 2 (usage error), one line", lambda d: (lambda r: verdict(
            r.rc == 2 and "no-such-codec" in r.err and "Traceback" not in r.err, r, r.err.strip().splitlines()[0] if r.err else ""))(
            run_cli(["--encoding", "no-such-codec", str(write(d, "p.txt", PAGE))], d))),
        Case("CRLF line endings", "output keeps CRLF", line_endings(b"\r\n", b"\r\n")),
        Case("lone CR line endings", "every CR ends a line; output LF", line_endings(b"\r", b"\n")),
        Case("LF line endings", "output LF", line_endings(b"\n", b"\n")),
        *(Case(f"pathological lines, --layout {layout}", "exit 0 within 2 minutes, every page cleaned",
               pathological_lines(layout)) for layout in ("auto", "lines", "wrapped", "markdown", "nodes", "glued")),
        Case("100 MB single line of words", "exit 0, line kept whole", huge_line(b"word "), heavy=True),
        Case("100 MB single word", "exit 0, line kept whole", huge_line(b"x"), heavy=True),
        Case("1 GB file, CLI, memory capped at 1 GB", "exit 0, cleaned block by block", gigabyte_cli(False), heavy=True),
        Case("1 GB file, newsclean.large, memory capped at 1 GB", "cleaned block by block", gigabyte_api(False), heavy=True),
        Case("unreadable file (mode 000)", "exit 1, 'permission denied', others cleaned", unreadable_file),
        Case("unreadable directory in a tree", "exit 1, one line naming it, others cleaned", unreadable_dir),
        Case("directory given without -o", "exit 2, one line, nothing cleaned", directory_input),
        Case("/dev/zero as input", "exit 1, one line, never reads forever", device_input),
        Case("broken links and link loops in a tree", "exit 1, one line each, rest cleaned", tree_with_links),
        Case("names with spaces, newline, non-UTF-8 bytes", "exit 0, each cleaned under its own name", odd_names),
        Case("problem in a file with an odd name", "one line, name escaped (\\x0a, \\xff)", odd_name_message),
        Case("full disk on write", "exit 1, one line naming the target, original intact, no temp file", full_disk),
        Case("Ctrl-C during a tree", "exit 130, outputs complete or absent, no temp file", interrupted(signal.SIGINT)),
        Case("SIGTERM during a tree", "exit 130, outputs complete or absent, no temp file", interrupted(signal.SIGTERM)),
        Case("stdout closed early (| head)", "exit 0, no traceback", closed_stdout),
        Case("rule file: catastrophic pattern", "finishes; timeouts noted (rule, line); rule off for the page after 3",
             pathological_rule),
        Case("rule file: nested 100000 deep", "exit 2, one line", bad_rule_file(b"x = " + b"[" * 100000 + b"]" * 100000,
                                                                                "nested too deeply")),
        Case("rule file: not UTF-8", "exit 2, one line", bad_rule_file("[group]\nname = 'caf\u00e9'\n".encode("latin-1"),
                                                                      "not UTF-8")),
        Case("rule file: 5 MB", "exit 2, one line", bad_rule_file(b"# " + b"x" * (5 * MB) + b"\n", "too large")),
        Case("rule file: code in every string", "nothing executed", rule_file_runs_nothing),
        *round_two(),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the 100 MB and 1 GB cases")
    ap.add_argument("--huge-pages", action="store_true", help="make the 1 GB file of pages only (slow)")
    ap.add_argument("-k", dest="word", default="", help="only cases whose name contains this")
    args = ap.parse_args(argv)
    selected = [c for c in cases() if args.word.lower() in c.name.lower() and not (args.quick and c.heavy)]
    if args.huge_pages:
        for c in selected:
            if c.name.startswith("1 GB"):
                c.check = (gigabyte_cli if "CLI" in c.name else gigabyte_api)(True)
    rows = []
    for c in selected:
        d = Path(tempfile.mkdtemp(prefix="newsclean-battery-"))
        try:
            ok, detail = c.check(d)
        except Exception as exc:  # a broken case is a failed case, not a crashed battery
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        finally:
            for p in d.rglob("*"):
                if p.is_dir() and not p.is_symlink():
                    p.chmod(0o755)
            shutil.rmtree(d, ignore_errors=True)
        rows.append((c.name, c.expected, "pass" if ok else "FAIL", detail.replace("\n", " ")[:150]))
        print(f"{rows[-1][2]:4}  {c.name}", file=sys.stderr, flush=True)
    widths = [max(len(r[i]) for r in rows + [("case", "expected", "result", "detail")]) for i in range(3)]
    print(f"| {'case':{widths[0]}} | {'expected':{widths[1]}} | {'result':{widths[2]}} | detail |")
    print(f"| {'-' * widths[0]} | {'-' * widths[1]} | {'-' * widths[2]} | --- |")
    for r in rows:
        print(f"| {r[0]:{widths[0]}} | {r[1]:{widths[1]}} | {r[2]:{widths[2]}} | {r[3]} |")
    failed = sum(r[2] != "pass" for r in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} cases pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
