"""Bad input is one clear line and a documented exit code, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\n" + ARTICLE


def newsclean(*args: object, timeout: float = 60, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], text=True, env=environ,
                          timeout=timeout, **streams)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def jsonl_with(tmp_path: Path, bad: str) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": PAGE}) + "\n" + bad + "\n" + json.dumps({"id": 3, "text": PAGE}) + "\n")
    return src


# --- 12. a record nested too deeply ----------------------------------------------------------

@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_deeply_nested_record_is_a_bad_record(tmp_path, workers):
    deep = '{"text": "x", "n": ' + "[" * 5000 + "]" * 5000 + "}"
    src = jsonl_with(tmp_path, deep)
    result = CliRunner().invoke(main, ["--jsonl", str(src), "-j", workers])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"newsclean: {src}:2: invalid JSON: nested too deeply"]
    lines = result.stdout.splitlines()
    assert [json.loads(lines[0])["id"], json.loads(lines[2])["id"]] == [1, 3] and lines[1] == deep


# --- 13. a bad --site-field value ----------------------------------------------------------

@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("value,why", [
    ('"http://[bad"', "field 'url': not a valid URL or domain: 'http://[bad' (Invalid IPv6 URL)"),
    ('["x"]', "field 'url' is an array, not a URL or domain"),
    ("7", "field 'url' is a number, not a URL or domain"),
])
def test_a_bad_site_field_is_a_bad_record(tmp_path, workers, value, why):
    recs = [{"id": i, "url": f"https://site.example/{i}", "text": PAGE} for i in (1, 3)]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(recs[0]) + "\n" + '{"id": 2, "url": ' + value + ', "text": "x"}\n' + json.dumps(recs[1]) + "\n")
    for extra in ([], ["--learn-repeats"]):
        result = CliRunner().invoke(main, ["--jsonl", str(src), "--site-field", "url", "-j", workers, *extra])
        no_traceback(result)
        assert result.exit_code == 1
        assert [x for x in result.stderr.splitlines() if ":2:" in x] == [f"newsclean: {src}:2: {why}"]
        assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [1, 2, 3]


# --- 14. a full disk, /dev/full ---------------------------------------------------------------

class _FullDisk:
    """A file being written on a disk that is full: every write fails, as on a full disk."""

    def __init__(self, file) -> None:
        self._file = file

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="tells a temporary file by its name in /proc")
@pytest.mark.parametrize("when", ["write", "fsync"])
def test_a_full_disk_under_a_jsonl_output_is_one_line(tmp_path, monkeypatch, when):
    src = jsonl_with(tmp_path, json.dumps({"id": 2, "text": PAGE}))
    out = tmp_path / "out.jsonl"
    out.write_text("the previous output\n")
    if when == "write":
        real = os.fdopen

        def fdopen(fd: int, mode: str = "r", *args, **kwargs):
            file = real(fd, mode, *args, **kwargs)
            return _FullDisk(file) if "w" in mode and "newsclean-tmp" in os.readlink(f"/proc/self/fd/{fd}") else file

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(main, ["--jsonl", str(src), "-o", str(out), "--force", "-j", "1"])
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"newsclean: {out}: cannot write: No space left on device"]
    assert out.read_text() == "the previous output\n" and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("how", ["-o", "stdout"])
@pytest.mark.parametrize("kind", ["page", "jsonl", "several"])
def test_writing_to_dev_full_is_one_line(tmp_path, how, kind):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    src = jsonl_with(tmp_path, json.dumps({"id": 2, "text": PAGE}))
    other = tmp_path / "other.txt"
    other.write_text(PAGE)
    args = {"page": [page], "jsonl": ["--jsonl", src], "several": [page, other]}[kind]
    if how == "stdout" and kind == "several":
        args.append("--format=json")  # several pages to standard output: one JSON line each
    if how == "-o" and kind == "several":  # one output of the batch is a link to /dev/full
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "page.txt").symlink_to(_full_device(tmp_path))
        run = newsclean(*args, "-o", tmp_path / "out")
        assert (tmp_path / "out" / "other.txt").read_text() == ARTICLE
    elif how == "-o":
        run = newsclean(*args, "-o", _full_device(tmp_path))
    else:
        with open("/dev/full", "wb") as full:
            run = newsclean(*args, stdout=full)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert [x for x in run.stderr.splitlines() if "No space left on device" in x], run.stderr
    assert stat.S_ISCHR(os.stat(_full_device(tmp_path)).st_mode)


def _full_device(tmp_path: Path) -> Path:
    """A character device that is always full: a private copy of /dev/full where this process
    may make one (as root, a regression that replaced it would break the system's)."""
    node = tmp_path / "full"
    if node.exists() or node.is_symlink():
        return node
    if os.geteuid() != 0:
        return Path("/dev/full")
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return node


# --- 15. a closed standard output ------------------------------------------------------------

def _close_stdout() -> None:
    os.close(1)


def test_a_closed_standard_output_is_no_traceback(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    out = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "newsclean", str(page), "-o", str(out)], stderr=subprocess.PIPE,
                         text=True, env=env, preexec_fn=_close_stdout, timeout=60)
    assert run.returncode == 0 and run.stderr == "" and out.read_text() == ARTICLE
    run = subprocess.run([sys.executable, "-m", "newsclean", str(page)], stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=_close_stdout, timeout=60)
    assert run.returncode == 2 and "standard output is closed" in run.stderr and "Traceback" not in run.stderr


def test_closed_standard_error_and_input_are_no_traceback(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "newsclean", str(page), str(tmp_path / "missing.txt"), "--format=json"],
                         stdout=subprocess.PIPE, text=True, env=env, preexec_fn=lambda: os.close(2), timeout=60)
    assert run.returncode == 1 and [json.loads(x)["text"] for x in run.stdout.splitlines()] == [ARTICLE]
    run = subprocess.run([sys.executable, "-m", "newsclean"], capture_output=True, text=True, env=env,
                         preexec_fn=lambda: os.close(0), timeout=60)
    assert run.returncode == 2 and "no input" in run.stderr and "Traceback" not in run.stderr


# --- 16. a nested repeats file, a tampered cache ----------------------------------------------

def test_a_deeply_nested_repeats_file_is_a_usage_error(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    table = tmp_path / "deep.json"
    table.write_text("[" * 100_000 + "]" * 100_000)
    result = CliRunner().invoke(main, [str(page), "--repeats", str(table)])
    no_traceback(result)
    assert result.exit_code == 2 and f"{table}: not a newsclean repeats file (nested too deeply)" in result.stderr


@pytest.mark.parametrize("which", ["catalog.json", "pattern-index"])
def test_a_tampered_rule_cache_is_ignored_and_rebuilt(tmp_path, which):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    cache = tmp_path / "cache"
    env = {"NEWSCLEAN_CACHE_DIR": str(cache)}
    assert newsclean(page, env=env).stdout == ARTICLE
    target = next(p for p in cache.iterdir() if p.name.startswith(which))
    text = target.read_text(encoding="utf-8")
    # a pattern (or an analysis) turned into one that cannot compile, checksum left as it was
    tampered = text.replace("watch", "(watch", 1) if which == "catalog.json" else text.replace('\\"prefix\\"', '\\"bogus\\"', 1)
    assert tampered != text
    target.write_text(tampered, encoding="utf-8")
    run = newsclean(page, env=env)
    assert run.returncode == 0 and run.stdout == ARTICLE and run.stderr == ""
    assert target.read_text(encoding="utf-8") != tampered  # written again
