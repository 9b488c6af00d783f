"""Bad input of every kind, through the command line: one clear line per problem, the run goes on."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import clean
from newsclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\n" + ARTICLE


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, stdin=None):
    result = runner.invoke(main, ["-j", "1", *map(str, args)], input=stdin)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def texts(result) -> list[str]:
    """The cleaned texts of a ``--format json`` run (several inputs go to stdout as JSON Lines)."""
    import json

    return [json.loads(line)["text"] for line in result.stdout.splitlines()]


def problem_lines(result, name: str) -> list[str]:
    return [x for x in result.stderr.splitlines() if name in x]


@pytest.mark.parametrize("content,warning", [
    (b"", "empty input; nothing to clean"),
    (b" \n\t\n\r\n   ", "only white space; nothing to clean"),
])
def test_empty_and_blank_files_give_empty_output_and_a_warning(runner, tmp_path, content, warning):
    src = tmp_path / "blank.txt"
    src.write_bytes(content)
    result = run(runner, src)
    assert result.exit_code == 0 and result.stdout == ""
    assert problem_lines(result, "blank.txt") == [f"newsclean: {src}: warning: {warning}"]
    out = tmp_path / "out.txt"
    assert run(runner, src, "-o", out).exit_code == 0 and out.read_bytes() == b""
    assert run(runner, src, "-q").stderr == ""


@pytest.mark.parametrize("content,why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (contains NUL bytes); skipped"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "binary file (contains NUL bytes); skipped"),
    (bytes(range(1, 9)) * 500, "binary file (mostly control characters); skipped"),
])
def test_binary_files_are_skipped_and_the_others_cleaned(runner, tmp_path, content, why):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(content)
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    result = run(runner, binary, page, "--format", "json")
    assert result.exit_code == 1
    assert texts(result) == [ARTICLE]
    assert problem_lines(result, "photo.txt") == [f"newsclean: {binary}: {why}"]


@pytest.mark.parametrize("data,warning", [
    ("Caf\u00e9 owners protest.\n".encode("cp1252"), "warning: not valid UTF-8 (byte 3); decoded as cp1252"),
    (b"\xef\xbb\xbf" + "Caf\u00e9 owners protest.\n".encode(), None),
    ("Caf\u00e9 owners protest.\n".encode("utf-16"), None),
    ("Caf\u00e9 owners protest.\n".encode("utf-32"), None),
    ("Caf\u00e9 owners protest.\n".encode("utf-16-le"), "warning: no byte-order mark; decoded as utf-16-le"),
])
def test_encodings_are_recognised(runner, tmp_path, data, warning):
    src = tmp_path / "enc.txt"
    src.write_bytes(data)
    result = run(runner, src)
    assert result.exit_code == 0
    assert result.stdout_bytes == "Caf\u00e9 owners protest.\n".encode()
    assert problem_lines(result, "enc.txt") == ([f"newsclean: {src}: {warning}"] if warning else [])


def test_forced_encoding(runner, tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes("Caf\u00e9 owners protest.\n".encode("latin-1"))
    ok = run(runner, src, "--encoding", "latin-1")
    assert ok.exit_code == 0 and ok.stdout == "Caf\u00e9 owners protest.\n" and ok.stderr == ""
    bad = run(runner, src, "--encoding", "utf-8")
    assert bad.exit_code == 1 and problem_lines(bad, "latin.txt") == [f"newsclean: {src}: not valid utf-8 (byte 3)"]
    unknown = run(runner, src, "--encoding", "no-such-codec")
    assert unknown.exit_code != 0 and "unknown encoding 'no-such-codec'" in unknown.stderr


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(runner, tmp_path, newline):
    src = tmp_path / "page.txt"
    src.write_bytes(("Watch CBS News" + newline + "First paragraph." + newline + newline + "Second paragraph." + newline).encode())
    result = run(runner, src)
    want = "\r\n" if newline == "\r\n" else "\n"
    assert result.stdout_bytes == f"First paragraph.{want}{want}Second paragraph.{want}".encode()


def test_mixed_line_endings_follow_the_first_break(runner, tmp_path):
    src = tmp_path / "page.txt"
    src.write_bytes(b"Headline here\r\nFirst paragraph.\nSecond paragraph.\rThird paragraph.\n")
    assert run(runner, src).stdout_bytes == b"Headline here\r\nFirst paragraph.\r\nSecond paragraph.\r\nThird paragraph.\r\n"


def test_a_missing_file_a_directory_and_a_device_each_get_one_line(runner, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    (tmp_path / "folder").mkdir()
    result = run(runner, tmp_path / "missing.txt", "/dev/null", page, "--format", "json")
    assert result.exit_code == 1 and texts(result) == [ARTICLE]
    assert problem_lines(result, "missing.txt") == [f"newsclean: {tmp_path / 'missing.txt'}: no such file"]
    folder = run(runner, tmp_path / "folder", page)
    assert folder.exit_code == 2 and folder.stdout == ""
    assert folder.stderr.splitlines() == [f"newsclean: {tmp_path / 'folder'}: is a directory; give -o DIR (a mirrored "
                                          "tree), --in-place, or --format json (JSON Lines on standard output)"]
    assert problem_lines(result, "/dev/null") == ["newsclean: /dev/null: is a device, not a regular file; skipped"]


def test_permission_denied(runner, tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    secret = tmp_path / "secret.txt"
    secret.write_text(PAGE)
    real = os.open

    def denied(path, *args, **kwargs):
        if Path(path).name == "secret.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    result = run(runner, secret, page, "--format", "json")
    assert result.exit_code == 1 and texts(result) == [ARTICLE]
    assert problem_lines(result, "secret.txt") == [f"newsclean: {secret}: permission denied"]


def make_tree(root: Path) -> Path:
    src = root / "src"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text(PAGE)
    (src / "with space.txt").write_text(PAGE)
    (src / "sub" / "deep.txt").write_text(PAGE)
    (src / "broken.txt").symlink_to(src / "nowhere.txt")
    (src / "loop-a.txt").symlink_to(src / "loop-b.txt")
    (src / "loop-b.txt").symlink_to(src / "loop-a.txt")
    (src / "sub" / "up").symlink_to(src)  # a directory loop: not followed
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return src


def test_a_tree_with_broken_links_and_loops(runner, tmp_path):
    src = make_tree(tmp_path)
    out = tmp_path / "out"
    result = run(runner, src, "-o", out)
    assert result.exit_code == 1
    for name in ("good.txt", "with space.txt", "sub/deep.txt"):
        assert (out / name).read_text() == ARTICLE
    assert problem_lines(result, "broken.txt") == [f"newsclean: {src / 'broken.txt'}: broken symbolic link"]
    for name in ("loop-a.txt", "loop-b.txt"):
        assert problem_lines(result, name) == [f"newsclean: {src / name}: Too many levels of symbolic links"]
    assert len(problem_lines(result, "image.txt")) == 1
    assert not (out / "sub" / "up").exists()


def test_odd_file_names_are_cleaned(runner, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    names = ["with space.txt", "new\nline.txt", os.fsdecode(b"bad\xffbyte.txt"), "caf\u00e9 \u2014 \u65e5\u672c.txt", "-dash.txt"]
    for name in names:
        (src / name).write_text(PAGE)
    out = tmp_path / "out"
    result = run(runner, src, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert all((out / n).read_text() == ARTICLE for n in names)


def test_a_problem_with_an_odd_name_is_still_one_line(runner, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "new\nline.txt").write_bytes(b"\x00\x01")
    (src / os.fsdecode(b"bad\xffbyte.txt")).write_bytes(b"\x00\x01")
    result = run(runner, src, "-o", tmp_path / "out")
    lines = [x for x in result.stderr.splitlines() if "binary" in x]
    assert sorted(lines) == sorted([f"newsclean: {src}/new\\x0aline.txt: binary file (contains NUL bytes); skipped",
                                    f"newsclean: {src}/bad\\xffbyte.txt: binary file (contains NUL bytes); skipped"])
    assert all(x.startswith("newsclean: ") or not x for x in result.stderr.splitlines())


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_full_disk_keeps_the_old_output_and_leaves_no_temporary_file(runner, tmp_path, monkeypatch, where):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    out = tmp_path / "out.txt"
    out.write_text("the previous output\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, where, full)
    result = run(runner, page, "-o", out, "--force")
    assert result.exit_code == 1
    assert problem_lines(result, "No space left") == [f"newsclean: {page}: No space left on device: {out}"]
    assert out.read_text() == "the previous output\n"
    assert [p.name for p in tmp_path.iterdir() if "newsclean-tmp" in p.name] == []


def test_a_full_disk_in_place_keeps_the_original(runner, tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    result = run(runner, page, "--in-place", "--backup", ".orig")
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert page.read_text() == PAGE and not (tmp_path / "page.txt.orig").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["page.txt"]


def test_a_long_line_without_spaces_is_kept(runner, tmp_path):
    line = "x" * 3_000_000
    src = tmp_path / "long.txt"
    src.write_text(f"Watch CBS News\n{line}\n")
    result = run(runner, src)
    assert result.exit_code == 0 and result.stdout == line + "\n"


def test_a_long_line_does_not_exhaust_memory(tmp_path):
    """A 12 MB one-word line, with the process's memory capped at 1 GB: cleaned, not crashed."""
    src = tmp_path / "long.txt"
    src.write_bytes(b"Watch CBS News\n" + b"x" * (12 << 20) + b"\n")
    cap = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))"
    code = f"{cap}; import sys; from newsclean.cli import entry; sys.argv = ['newsclean', '-j', '1', {str(src)!r}]; entry()"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stdout == b"x" * (12 << 20) + b"\n"


def test_stdin_that_is_binary_or_empty(runner):
    binary = run(runner, "-", stdin=b"\x00\x01\x02")
    assert binary.exit_code == 1 and binary.stderr.startswith("newsclean: <stdin>: binary file")
    empty = run(runner, "-", stdin=b"")
    assert empty.exit_code == 0 and empty.stdout == "" and "empty input" in empty.stderr


def test_api_matches_cli_on_every_line_ending():
    text = "Watch CBS News\r\nFirst paragraph.\rSecond.\n"
    assert clean(text) == "First paragraph.\r\nSecond.\r\n"
