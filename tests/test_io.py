"""Reading and writing: decoding, atomic writes, huge files block by block."""

from __future__ import annotations

import errno
import io as _io
import os
import re
from pathlib import Path

import pytest

from newsclean import Config, clean, clean_and_explain
from newsclean.io import (
    InputError, atomic_writer, decode, display_name, file_size, iter_blocks, read_bytes, sniff_file, write_atomic,
)
from newsclean.large import clean_large_file, clean_path, is_large

PATTERN_RULES = Config().with_options(select=["NC1", "NC2", "NC3", "NC4", "NC5", "NC6", "NC7", "NC8"])
ARTICLE = "Caf\u00e9 owners protest the new rent rules in the old town."


# --- decoding -------------------------------------------------------------------

@pytest.mark.parametrize("data,encoding,warns", [
    (ARTICLE.encode("utf-8"), "utf-8", ""),
    (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig", ""),
    (ARTICLE.encode("utf-16"), "utf-16", ""),
    (ARTICLE.encode("utf-32"), "utf-32", ""),
    (ARTICLE.encode("utf-16-le"), "utf-16-le", "no byte-order mark"),
    (ARTICLE.encode("utf-16-be"), "utf-16-be", "no byte-order mark"),
    (ARTICLE.encode("cp1252") + " \u201cquoted\u201d".encode("cp1252"), "cp1252", "not valid UTF-8 (byte 3)"),
    (b"Caf\xe9 \x81 owners", "latin-1", "decoded as latin-1"),
])
def test_decoding_recovers_the_text(data, encoding, warns):
    d = decode(data)
    assert d.encoding == encoding
    assert d.text.startswith("Caf\u00e9 ")
    assert (warns in d.warning) if warns else d.warning == ""


def test_the_byte_order_mark_is_not_part_of_the_text():
    assert decode(b"\xef\xbb\xbfWatch CBS News\n").text == "Watch CBS News\n"
    assert clean(decode("Watch CBS News\nThe park opens on Monday, the mayor said.\n".encode("utf-16")).text) \
        == "The park opens on Monday, the mayor said.\n"


@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary file (contains NUL bytes)"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "binary file (contains NUL bytes)"),
    (bytes(range(1, 32)) * 40, "binary file (mostly control characters)"),
    (b"text" * 5000 + b"\x00" * 100, "binary file (contains NUL bytes)"),
    (b"\xef\xbb\xbfok \xff\xfe", "starts with a utf-8-sig byte-order mark but is not valid"),
    (b"\xff\xfeA", "starts with a utf-16 byte-order mark but is not valid"),
])
def test_binary_and_broken_data_is_refused_with_one_line(data, message):
    with pytest.raises(InputError) as info:
        decode(data)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_stray_nul_far_into_a_long_text_is_not_binary():
    data = ("A long article paragraph about the port. " * 400).encode() + b"\x00" + b"more text\n"
    assert decode(data).encoding == "utf-8"


def test_forced_encoding():
    assert decode("Caf\u00e9".encode("cp1252"), "cp1252").text == "Caf\u00e9"
    assert decode(b"\x00\x01", "latin-1").text == "\x00\x01"  # forcing skips the binary check
    with pytest.raises(InputError, match=r"not valid utf-8 \(byte 3\)"):
        decode(b"Caf\xe9", "utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode(b"x", "klingon")


@pytest.mark.parametrize("data,warning", [
    (b"", "empty input"),
    (b"  \n\t\n\r\n", "only white space"),
    (b"\xef\xbb\xbf", "empty input"),
])
def test_empty_and_blank_inputs_warn(data, warning):
    d = decode(data)
    assert warning in d.warning
    assert clean(d.text) == ""


# --- reading --------------------------------------------------------------------

def test_read_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="^no such file$"):
        read_bytes(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="^is a directory"):
        read_bytes(tmp_path)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(InputError, match="^broken symbolic link$"):
        read_bytes(tmp_path / "dangling")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError, match="^Too many levels of symbolic links$"):
        read_bytes(tmp_path / "a")
    with pytest.raises(InputError, match="is a device, not a regular file"):
        read_bytes(Path("/dev/zero"))


def test_a_named_pipe_is_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the writer child
        with open(fifo, "wb") as fh:
            fh.write(b"Text through a pipe.\n")
        os._exit(0)
    try:
        assert read_bytes(fifo) == b"Text through a pipe.\n"
    finally:
        os.waitpid(pid, 0)
    with pytest.raises(InputError, match="named pipe"):
        file_size(fifo)


def test_permission_denied(tmp_path, monkeypatch):
    page = tmp_path / "page.txt"
    page.write_text("x")

    real = os.open

    def denied(path, *args, **kwargs):
        if Path(path) == page:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError, match="^permission denied$"):
        read_bytes(page)


@pytest.mark.parametrize("name,shown", [
    ("plain name.txt", "plain name.txt"),
    ("new\nline.txt", "new\\x0aline.txt"),
    ("tab\there\r.txt", "tab\\x09here\\x0d.txt"),
    (os.fsdecode(b"bad\xffbyte.txt"), "bad\\xffbyte.txt"),
    ("caf\u00e9 \u2028.txt", "caf\u00e9 \\u2028.txt"),
])
def test_display_name_is_one_printable_line(name, shown):
    assert display_name(name) == shown
    assert display_name(Path("dir") / name) == "dir/" + shown


# --- atomic writes ----------------------------------------------------------------

def leftovers(d: Path) -> list[str]:
    return [p.name for p in d.iterdir() if "newsclean-tmp" in p.name]


def test_write_atomic_keeps_permissions_and_backup(tmp_path):
    target = tmp_path / "page.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_atomic(target, b"new", backup_suffix=".orig")
    assert target.read_bytes() == b"new" and (tmp_path / "page.txt.orig").read_bytes() == b"old"
    assert target.stat().st_mode & 0o777 == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_leaves_the_original_untouched(tmp_path, monkeypatch, where):
    target = tmp_path / "page.txt"
    target.write_text("the original text\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", full)
        data = b"new"
    else:
        class FullFile(_io.RawIOBase):
            def writable(self):
                return True

            def write(self, b):
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: (os.close(fd), _io.BufferedWriter(FullFile()))[1])
        data = b"x" * 100000
    with pytest.raises(OSError) as info:
        write_atomic(target, data, backup_suffix=".orig")
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)  # the message names the file that could not be written
    assert target.read_text() == "the original text\n"
    assert leftovers(tmp_path) == [] and not (tmp_path / "page.txt.orig").exists()


def test_an_interrupted_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "page.txt"
    target.write_text("the original text\n")
    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(target) as fh:
            fh.write(b"half of the new")
            raise KeyboardInterrupt
    assert target.read_text() == "the original text\n" and leftovers(tmp_path) == []


def test_writing_over_a_directory_fails_cleanly(tmp_path):
    (tmp_path / "out.txt").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "out.txt", b"x")
    assert leftovers(tmp_path) == []


# --- huge files, block by block -------------------------------------------------

PARAGRAPHS = [
    "Harbor dredging resumes after the spring storms, the port authority said on Monday.",
    "Watch CBS News",
    "Crews will work through the night to clear the main channel before the ferries return.",
    "Share on Facebook",
    "",
    "The mayor said the cost would be shared with the state.",
    "Advertisement",
    "",
    "",
    "Residents were asked to avoid the waterfront until Friday.",
    "   ",
    "Battle for the harbor 02:31",
]


def page_text(n: int, newline: str = "\n") -> str:
    lines = [PARAGRAPHS[i % len(PARAGRAPHS)] + (f" ({i})" if PARAGRAPHS[i % len(PARAGRAPHS)].endswith(".") else "")
             for i in range(n)]
    return newline.join(lines) + newline


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("max_chars", [120, 300, 1000, 1 << 20])
def test_block_by_block_equals_one_page_for_line_rules(tmp_path, newline, max_chars):
    text = page_text(200, newline)
    src = tmp_path / "big.txt"
    src.write_bytes(text.encode())
    assert clean_path(src, PATTERN_RULES, max_chars=max_chars) == clean(text, PATTERN_RULES)


def test_a_file_that_fits_in_one_block_is_cleaned_exactly_like_a_page(tmp_path):
    text = page_text(60)
    src = tmp_path / "page.txt"
    src.write_bytes(text.encode())
    assert clean_path(src) == clean(text)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_blocks_cover_every_line_once(tmp_path, newline):
    text = page_text(300, newline) + "last line without a break"
    src = tmp_path / "big.txt"
    src.write_bytes(text.encode())
    blocks = list(iter_blocks(src, max_chars=200))
    assert len(blocks) > 10
    rebuilt = []
    for b in blocks:
        assert b.kind == "page" and len(b.text) <= 200
        rebuilt.append(b.text + newline * b.blank_lines_after)
    # the blank lines taken as boundaries are counted, not kept: white space on them is lost
    def blank_out(t: str) -> str:
        return re.sub(r"(?<=[\r\n]) +(?=[\r\n])", "", t)

    assert blank_out("".join(rebuilt)) == blank_out(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for b in blocks:  # a block knows the number of its first line
        assert lines[b.first_line - 1] == b.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[0]


def test_a_crlf_split_across_read_chunks_is_one_break(tmp_path, monkeypatch):
    import newsclean.io as nio

    monkeypatch.setattr(nio, "READ_CHUNK", 7)
    text = "".join(f"Line number {i} of the page.\r\n" for i in range(50))
    src = tmp_path / "crlf.txt"
    src.write_bytes(text.encode())
    assert clean_path(src, PATTERN_RULES, max_chars=100) == clean(text, PATTERN_RULES)


def test_a_line_longer_than_a_block_is_passed_through(tmp_path):
    long_line = "word " * 5000 + "   "
    text = "Watch CBS News\n\nA short paragraph before.\n" + long_line + "\r\nAdvertisement\nA short paragraph after.\n"
    src = tmp_path / "long.txt"
    src.write_bytes(text.encode())
    out = clean_path(src, max_chars=1000)
    assert out == "A short paragraph before.\n" + long_line.rstrip() + "\nA short paragraph after.\n"
    assert all(b.kind == "long-line" for b in iter_blocks(src, 1000) if len(b.text) > 1000 or "word" in b.text)


def test_a_white_space_line_longer_than_a_block_is_a_blank_line(tmp_path):
    src = tmp_path / "blank.txt"
    src.write_bytes(("First paragraph here.\n" + " " * 5000 + "\nSecond paragraph here.\n").encode())
    assert clean_path(src, max_chars=1000) == "First paragraph here.\n\nSecond paragraph here.\n"


def test_large_results_count_and_locate_decisions(tmp_path):
    text = page_text(240)
    src = tmp_path / "big.txt"
    src.write_bytes(text.encode())
    res = clean_large_file(src, _io.BytesIO(), PATTERN_RULES, max_chars=400, keep_decisions=True)
    whole = clean_and_explain(text, PATTERN_RULES)
    assert res.blocks > 5
    assert res.lines_in == whole.lines_in
    assert res.stats == whole.stats()
    assert [(d.lineno, d.code, d.line) for d in res.decisions] == [(d.lineno, d.code, d.line) for d in whole.decisions]


def test_large_output_to_a_file_is_atomic_and_in_place_is_left_alone_when_unchanged(tmp_path):
    src = tmp_path / "big.txt"
    src.write_bytes(page_text(100).encode())
    dst = tmp_path / "out.txt"
    clean_large_file(src, dst, PATTERN_RULES, max_chars=300)
    assert dst.read_text() == clean(page_text(100), PATTERN_RULES)
    before = dst.stat().st_mtime_ns
    res = clean_large_file(dst, dst, PATTERN_RULES, max_chars=300, backup_suffix=".orig")
    assert res.unchanged and dst.stat().st_mtime_ns == before
    assert not (tmp_path / "out.txt.orig").exists() and leftovers(tmp_path) == []


def test_large_input_problems_are_found_before_writing(tmp_path):
    dst = tmp_path / "out.txt"
    dst.write_text("keep me")
    binary = tmp_path / "late-nul.txt"
    binary.write_bytes(b"text line\n" * 1000 + b"\x00" * 200)
    with pytest.raises(InputError, match="binary"):
        clean_large_file(binary, dst)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"line\n" * 1000 + b"\xe9\n")
    with pytest.raises(InputError, match=r"not valid utf-8 \(byte 5000\)"):
        clean_large_file(bad, dst, encoding="utf-8")
    assert dst.read_text() == "keep me" and leftovers(tmp_path) == []
    assert sniff_file(bad).encoding == "cp1252" and "byte 5000" in sniff_file(bad).warning


def test_large_decodes_like_small(tmp_path):
    text = page_text(80, "\r\n")
    for enc in ("utf-16", "utf-8-sig", "cp1252"):
        src = tmp_path / f"{enc}.txt"
        src.write_bytes(text.encode(enc) if enc != "cp1252" else (text + "Caf\u00e9\r\n").encode(enc))
        expected = clean(decode(src.read_bytes()).text, PATTERN_RULES)
        assert clean_path(src, PATTERN_RULES, max_chars=500) == expected


def test_is_large():
    assert not is_large(10) and is_large(1 << 40)


def test_blocks_never_split_a_crlf(tmp_path):
    from newsclean.io import iter_blocks

    para = "The harbour board met on Monday and approved the new ferry timetable for the winter."
    text = ("Ferry 02:10\r\n" + para + "\r\n\r\n" + para + " \r\nFerry 02:10\r\n") * 3
    src = tmp_path / "crlf.txt"
    src.write_bytes(text.encode("utf-8"))
    for limit in range(len(para) + 4, len(text), 7):
        blocks = list(iter_blocks(src, limit))
        assert not any(b.text.startswith("\n") for b in blocks[1:]), limit
        assert not any(b.text.endswith("\r") and not b.text.endswith("\r\n") for b in blocks), limit


def test_a_signal_right_after_the_temporary_file_is_made_leaves_no_temporary_file(tmp_path, monkeypatch):
    import signal
    import threading

    from newsclean import io as nio

    class Stop(BaseException):
        pass

    def stop(signum, frame):
        raise Stop()

    real_create = nio._create

    def create_then_signal(tmp):
        fd = real_create(tmp)
        os.kill(os.getpid(), signal.SIGTERM)  # handled at the next step, right after the file exists
        return fd

    # another thread in the process (a progress bar, a pool's feeder) may be the one the signal reaches
    idle = threading.Event()
    other = threading.Thread(target=idle.wait, daemon=True)
    other.start()
    old = signal.signal(signal.SIGTERM, stop)
    monkeypatch.setattr(nio, "_create", create_then_signal)
    try:
        with pytest.raises(Stop):
            nio.write_atomic(tmp_path / "out.txt", b"article\n")
    finally:
        signal.signal(signal.SIGTERM, old)
        idle.set()
    assert list(tmp_path.iterdir()) == []
