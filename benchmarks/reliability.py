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
            signal_when: tuple[Callable[[], bool], int] | None = None, python_args: list[str] | None = None) -> Run:
    """Run ``python -m newsclean ARGS`` (or ``python PYTHON_ARGS``); stdout goes to a file.

    ``signal_after`` sends a signal after some seconds; ``signal_when`` as soon as a
    condition holds (checked every 5 ms while the run goes on)."""
    cmd = [sys.executable, *(python_args or ["-m", "newsclean", *args])]
    if drop_root_read:  # root reads every file: drop that power so permissions apply
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]

    def limits() -> None:
        if mem_cap_mb:
            resource.setrlimit(resource.RLIMIT_AS, (mem_cap_mb * MB, mem_cap_mb * MB))

    out_path = cwd / ".stdout"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    start = time.monotonic()
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.PIPE, env=env, preexec_fn=limits)
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
    data = out_path.read_bytes() if out_path.stat().st_size < 300 * MB else b"<large>"
    size = out_path.stat().st_size
    out_path.unlink()
    return Run(proc.returncode, data if data != b"<large>" else b"<%d bytes>" % size, err,
               time.monotonic() - start, usage.ru_maxrss // 1024)


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
        run = run_cli([*args, src.name, good.name], d)
        out_ok = expect_out is None or run.out == expect_out + ARTICLE.encode()
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
    run = run_cli([src.name, "good.txt"], d, drop_root_read=os.geteuid() == 0)
    ok, line = one_line(run, "secret.txt", "permission denied")
    return verdict(ok and run.rc == 1 and run.out == ARTICLE.encode(), run, line)


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
    run = run_cli(["folder", "good.txt"], d)
    ok, line = one_line(run, "folder", "is a directory")
    return verdict(ok and run.rc == 1 and run.out == ARTICLE.encode(), run, line)


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
    run = run_cli(["/dev/zero", "good.txt"], d, timeout=60)
    ok, line = one_line(run, "/dev/zero", "not a regular file")
    return verdict(ok and run.rc == 1 and run.out == ARTICLE.encode(), run, line)


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
        Case("100 MB single line of words", "exit 0, line kept whole", huge_line(b"word "), heavy=True),
        Case("100 MB single word", "exit 0, line kept whole", huge_line(b"x"), heavy=True),
        Case("1 GB file, CLI, memory capped at 1 GB", "exit 0, cleaned block by block", gigabyte_cli(False), heavy=True),
        Case("1 GB file, newsclean.large, memory capped at 1 GB", "cleaned block by block", gigabyte_api(False), heavy=True),
        Case("unreadable file (mode 000)", "exit 1, 'permission denied', others cleaned", unreadable_file),
        Case("unreadable directory in a tree", "exit 1, one line naming it, others cleaned", unreadable_dir),
        Case("directory given without -o", "exit 1, one line, others cleaned", directory_input),
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
