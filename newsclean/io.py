"""Reading inputs and writing outputs safely.

* Input bytes are decoded in one place: a BOM (UTF-8, UTF-16, UTF-32) decides;
  otherwise UTF-8; otherwise cp1252 (or latin-1), with a warning. Text in
  UTF-16 without a BOM is recognised by its zero bytes, with a warning. Binary
  data (NUL bytes, or mostly control characters) is refused. An empty or
  all-white-space input is cleaned to nothing, with a warning.
* Every file write is atomic: a temporary file in the target's directory is
  written, flushed and fsynced, given the original's permissions, then renamed
  over the target. If anything fails (a full disk, Ctrl-C), the temporary file
  is removed and the target is left as it was.
* Huge files are read in bounded pieces (:func:`sniff_file`, :func:`iter_text`,
  :func:`iter_blocks`); :mod:`newsclean.large` cleans them block by block.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that do not occur in text (everything below 0x20 except
# tab, line feed, form feed, carriage return and escape).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_BINARY_CONTROL_SHARE = 0.10

READ_CHUNK = 1 << 20
# Files larger than this are cleaned block by block, read from disk twice rather than
# held in memory (see newsclean.large).
LARGE_FILE_BYTES = 16 << 20
# A text longer than this, or of more lines than BLOCK_LINES, is not one news page: it is
# cleaned in blocks of this size, so memory stays within a small factor of the input.
BLOCK_CHARS = 4 << 20
# ... and at most this many lines (each line costs memory and time of its own).
BLOCK_LINES = 50_000
# Standard input is held in memory (it cannot be read twice, as a large file is): at most this much.
STDIN_MAX_BYTES = 1 << 30
# How long a named pipe given as an input may go without a writer before it is skipped.
FIFO_WAIT_SECONDS = 1.0

_NEWLINE = re.compile(r"\r\n|\r|\n")
# A line break followed by one or more blank (white-space only) lines.
_BLANK_RUN = re.compile(r"(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))+")


class InputError(Exception):
    """An input that cannot be cleaned; ``str()`` is one line naming the problem."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""


def _join(*warnings: str) -> str:
    return "; ".join(w for w in warnings if w)


def _content_warning(text: str) -> str:
    if not text:
        return "empty input; nothing to clean"
    if not text.strip():
        return "only white space; nothing to clean"
    return ""


def _utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le``/``-be`` if ``head`` looks like mostly-Latin text in UTF-16 without a BOM."""
    n = len(head) - len(head) % 2
    if n < 8:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    half = n // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def _looks_binary(head: bytes, nuls: int, size: int) -> str:
    """Why these bytes are not text ("" if they may be)."""
    if b"\x00" in head or nuls > size // 1000:
        return "binary file (contains NUL bytes); skipped"
    if head:
        controls = sum(head.count(c) for c in _CONTROL)
        if controls > _BINARY_CONTROL_SHARE * len(head):
            return "binary file (mostly control characters); skipped"
    return ""


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode page bytes to text, or raise :class:`InputError` for binary data."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding} (byte {exc.start})") from None
        return Decoded(text, encoding, _content_warning(text))
    name = _bom_encoding(data)
    if name is not None:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:
            raise InputError(f"starts with a {name} byte-order mark but is not valid {name} (byte {exc.start}); "
                             "--encoding forces another") from None
        return Decoded(text, name, _content_warning(text))
    head = data[:_SNIFF]
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
            return Decoded(text, utf16, _join(f"no byte-order mark; decoded as {utf16}", _content_warning(text)))
        except UnicodeDecodeError:
            pass
    why = _looks_binary(head, data.count(b"\x00") if b"\x00" in data else 0, len(data))
    if why:
        raise InputError(why)
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", _content_warning(text))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("cp1252")
        used = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        used = "latin-1"
    return Decoded(text, used, _join(f"not valid UTF-8 (byte {first_bad}); decoded as {used}", _content_warning(text)))


def read_path(path: Path, encoding: str | None = None) -> Decoded:
    """Read and decode one file; every failure is an :class:`InputError`."""
    return decode(read_bytes(path), encoding)


def _open_error(exc: OSError, path: Path) -> InputError:
    """One line for an ``OSError`` raised while opening or reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        return InputError("broken symbolic link" if path.is_symlink() else "no such file")
    if isinstance(exc, PermissionError):
        return InputError("permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError("is a directory (give -o OUTDIR or --in-place to clean a tree)")
    return InputError((exc.strerror or str(exc)).rstrip("."))


def _refuse_special(mode: int, pipe_ok: bool) -> None:
    """Refuse what is not a regular file (or, with ``pipe_ok``, a named pipe): a read
    from a device or a socket could run forever."""
    if stat.S_ISDIR(mode):
        raise InputError("is a directory (give -o OUTDIR or --in-place to clean a tree)")
    if stat.S_ISREG(mode) or (pipe_ok and stat.S_ISFIFO(mode)):
        return
    if stat.S_ISFIFO(mode):
        raise InputError("is a named pipe, not a regular file; skipped (pipes are read only when named as inputs)")
    kind = "a socket" if stat.S_ISSOCK(mode) else "a device"
    raise InputError(f"is {kind}, not a regular file; skipped")


def _check_regular(path: Path, *, pipe_ok: bool = False) -> int:
    """The size of ``path``, a regular file (or, with ``pipe_ok``, a named pipe such as
    ``<(command)``); devices and sockets are refused, so a read never runs forever."""
    try:
        st = path.stat()
    except OSError as exc:
        raise _open_error(exc, path) from None
    _refuse_special(st.st_mode, pipe_ok)
    return st.st_size


class _Prefixed(io.RawIOBase):
    """A pipe's file descriptor, after bytes already taken from it."""

    def __init__(self, head: bytes, fd: int) -> None:
        self._head = head
        self._file = os.fdopen(fd, "rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        return self._file.readinto(buf) or 0

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        self._file.close()
        super().close()


def _await_writer(fd: int, path: Path) -> bytes:
    """Wait (at most :data:`FIFO_WAIT_SECONDS`) until a named pipe has a writer, or had one.

    ``fd`` is open without blocking: a read then gives bytes (a writer wrote), EAGAIN
    (a writer is there, nothing written yet) or nothing (no writer now: none came
    yet, or it came and went). Returns the bytes a read took."""
    import select
    import time

    deadline = time.monotonic() + FIFO_WAIT_SECONDS
    poller = select.poll() if hasattr(select, "poll") else None
    if poller is not None:
        poller.register(fd, select.POLLIN)
    while True:
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise _open_error(exc, path) from None
        if data:
            return data
        left = deadline - time.monotonic()
        # POLLHUP: a writer came and went (an empty pipe); no event: still no writer
        events = poller.poll(min(20, max(0, left * 1000))) if poller is not None else \
            select.select([fd], [], [], min(0.02, max(0, left)))[0]
        if events and (poller is None or any(ev & select.POLLHUP for _, ev in events)):
            try:
                return os.read(fd, 1 << 16)
            except BlockingIOError:
                return b""
        if left <= 0:
            raise InputError(f"named pipe with no writer (waited {FIFO_WAIT_SECONDS:g} s); skipped")


def open_input(path: str | os.PathLike[str], *, pipe_ok: bool = True) -> BinaryIO:
    """Open a file to read its bytes: the one way every input, rule file and table is opened.

    Directories, devices and sockets are refused before they are opened (a read
    from ``/dev/zero`` never ends); a named pipe (``<(command)``) is read when
    ``pipe_ok``, once a writer is there (one that never comes is an error after
    :data:`FIFO_WAIT_SECONDS`, not a hang). Every failure is an :class:`InputError`.
    """
    path = Path(path)
    _check_regular(path, pipe_ok=pipe_ok)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _open_error(exc, path) from None
    try:
        mode = os.fstat(fd).st_mode
        _refuse_special(mode, pipe_ok)  # it may have been replaced since it was checked
        head = _await_writer(fd, path) if stat.S_ISFIFO(mode) else b""
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    if stat.S_ISFIFO(mode):
        return io.BufferedReader(_Prefixed(head, fd))
    return os.fdopen(fd, "rb")


def check_standard_input(fd: int) -> None:
    """Refuse a device as standard input (``< /dev/zero`` never ends); a terminal and the null
    device are fine, as are files, pipes and sockets."""
    try:
        st = os.fstat(fd)
    except OSError:
        return
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)) or os.isatty(fd):
        return
    try:
        null = os.stat(os.devnull)
    except OSError:
        null = None
    if null is not None and stat.S_ISCHR(st.st_mode) and st.st_rdev == null.st_rdev:
        return
    raise InputError("is a device, not a regular file; give a file or a pipe")


def read_bytes(path: str | os.PathLike[str], *, pipe_ok: bool = True, limit: int | None = None) -> bytes:
    """The bytes of one file (or named pipe); every failure is an :class:`InputError`.

    With ``limit``, a file of more bytes is refused (only ``limit + 1`` are read)."""
    path = Path(path)
    with open_input(path, pipe_ok=pipe_ok) as fh:
        try:
            data = fh.read() if limit is None else fh.read(limit + 1)
        except OSError as exc:
            raise _open_error(exc, path) from None
        except MemoryError:
            raise InputError("too large to read into memory") from None
    if limit is not None and len(data) > limit:
        raise InputError(f"too large (over {limit} bytes)")
    return data


def file_size(path: Path) -> int:
    """The size of a regular file (an :class:`InputError` for anything else)."""
    return _check_regular(Path(path))


def encode(text: str) -> bytes:
    """Output bytes: always UTF-8; lone surrogates (from odd input) become U+FFFD."""
    return text.encode("utf-8", "replace")


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\x80-\x9f\u2028\u2029\ud800-\udfff]")


def display_name(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: control characters and undecodable bytes escaped.

    A file name may contain a newline or bytes that are not UTF-8 (they arrive
    as surrogate escapes); messages must still be one line per file.
    """
    text = os.fspath(path)

    def esc(m: re.Match[str]) -> str:
        c = ord(m.group())
        if 0xDC80 <= c <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
            return f"\\x{c - 0xDC00:02x}"
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _UNPRINTABLE.sub(esc, text)


# --- Reading huge files in bounded pieces ------------------------------------


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a first read of a whole file found out, without holding it in memory."""

    encoding: str
    warning: str
    size: int
    digest: str  # BLAKE2b of the bytes, to tell later whether the output differs


def _chunks(path: Path, size: int = READ_CHUNK) -> Iterator[bytes]:
    try:
        with open_input(path, pipe_ok=False) as fh:
            while True:
                chunk = fh.read(size)
                if not chunk:
                    return
                yield chunk
    except OSError as exc:
        raise _open_error(exc, path) from None


def _valid_stream(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes with ``encoding``; else the offset of the first bad byte."""
    dec = codecs.getincrementaldecoder(encoding)()
    offset = 0
    try:
        for chunk in _chunks(path):
            dec.decode(chunk)
            offset += len(chunk)
        dec.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return False, offset + max(exc.start, 0)
    return True, -1


def sniff_file(path: Path, encoding: str | None = None) -> Sniffed:
    """Choose the encoding of a file the way :func:`decode` would, reading it in chunks.

    Raises :class:`InputError` for binary data, an undecodable forced encoding
    or a file that cannot be read, before anything is written anywhere.
    """
    path = Path(path)
    size = _check_regular(path)
    head = b""
    nuls = 0
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for chunk in _chunks(path):
        if len(head) < _SNIFF:
            head += chunk[: _SNIFF - len(head)]
        nuls += chunk.count(b"\x00")
        digest.update(chunk)
    digest_hex = digest.hexdigest()
    warning = ""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        ok, bad = _valid_stream(path, encoding)
        if not ok:
            raise InputError(f"not valid {encoding} (byte {bad})")
        chosen = encoding
    elif (bom := _bom_encoding(head)) is not None:
        ok, bad = _valid_stream(path, bom)
        if not ok:
            raise InputError(f"starts with a {bom} byte-order mark but is not valid {bom} (byte {bad}); "
                             "--encoding forces another")
        chosen = bom
    else:
        utf16 = _utf16_without_bom(head)
        if utf16 is not None and _valid_stream(path, utf16)[0]:
            return Sniffed(utf16, f"no byte-order mark; decoded as {utf16}", size, digest_hex)
        why = _looks_binary(head, nuls, size)
        if why:
            raise InputError(why)
        ok, bad = _valid_stream(path, "utf-8")
        if ok:
            chosen = "utf-8"
        else:
            chosen = "cp1252" if _valid_stream(path, "cp1252")[0] else "latin-1"
            warning = f"not valid UTF-8 (byte {bad}); decoded as {chosen}"
    return Sniffed(chosen, warning, size, digest_hex)


def iter_text(path: Path, encoding: str, chunk_size: int = READ_CHUNK) -> Iterator[str]:
    """The decoded text of a file in pieces of about ``chunk_size`` characters."""
    dec = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in _chunks(Path(path), chunk_size):
            text = dec.decode(chunk)
            if text:
                yield text
        tail = dec.decode(b"", final=True)
    except UnicodeDecodeError as exc:  # the file changed since it was sniffed
        raise InputError(f"not valid {encoding} ({exc.reason})") from None
    if tail:
        yield tail


def count_breaks(text: str) -> int:
    """How many line breaks (``\\r\\n``, ``\\r`` or ``\\n``) ``text`` holds."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a huge file, cut at a line break.

    ``kind`` is ``"page"`` for whole lines to be cleaned as one page, or
    ``"long-line"`` for a piece of a single line longer than the block size,
    which is passed through unchanged (``ends_line`` on its last piece).
    ``first_line`` is the 1-based number of the block's first line in the file.
    ``blank_lines_after`` counts the blank lines that followed the block in the
    file and were taken as the boundary (they belong to no block).
    """

    text: str
    first_line: int
    kind: str = "page"
    ends_line: bool = True
    blank_lines_after: int = 0


def _cut(buf: str, max_chars: int) -> tuple[int, int]:
    """Where to end the next page block of ``buf``: (end of the block, start of the next).

    Prefers the first run of blank lines in the second half of the limit (the
    blank lines between the two are the boundary), then the last line break
    within the limit. (0, 0) means the first line is longer than ``max_chars``.
    """
    m = _BLANK_RUN.search(buf, max_chars // 2, max_chars)
    if m is not None:
        # the limit may fall between the halves of a "\r\n": never split one
        nxt = m.end() + (1 if buf.startswith("\r\n", m.end() - 1) else 0)
        return m.start() + (2 if buf.startswith("\r\n", m.start()) else 1), nxt
    window = buf[:max_chars]
    last = max(window.rfind("\n"), window.rfind("\r"))
    if last < 0:
        return 0, 0
    if buf.startswith("\r\n", last):
        last += 1
    return last + 1, last + 1


def _line_limit(buf: str, max_chars: int, max_lines: int) -> int:
    """How many characters of ``buf`` the next block may take: ``max_chars``, or less
    where the first ``max_lines`` lines of ``buf`` end sooner (short lines cost memory
    and time per line, not per character)."""
    window = buf[:max_chars]
    if count_breaks(window) <= max_lines:
        return max_chars
    for n, m in enumerate(_NEWLINE.finditer(window), 1):
        if n == max_lines:
            return m.end()
    return max_chars  # pragma: no cover - counted above


def iter_blocks(path: Path, max_chars: int = BLOCK_CHARS, encoding: str | None = None,
                max_lines: int = BLOCK_LINES) -> Iterator[Block]:
    """Cut a file into blocks of at most about ``max_chars`` characters and ``max_lines``
    lines, at blank lines where possible.

    Memory stays bounded by a few blocks, whatever the size of the file or of
    its lines. ``encoding`` is the file's (see :func:`sniff_file`).
    """
    enc = encoding or sniff_file(Path(path)).encoding
    return blocks_of(iter_text(Path(path), enc), max_chars, max_lines)


def text_pieces(text: str, size: int = READ_CHUNK) -> Iterator[str]:
    """A text in pieces of ``size`` characters (to cut a text in memory into blocks)."""
    for i in range(0, len(text), size):
        yield text[i:i + size]


def blocks_of(pieces: Iterable[str], max_chars: int = BLOCK_CHARS, max_lines: int = BLOCK_LINES) -> Iterator[Block]:
    """Cut a text, given in pieces, into :class:`Block` s (see :func:`iter_blocks`)."""
    buf = ""
    line = 1
    long_line = False
    held = ""  # a trailing "\r" waits for the next piece: it may be half of "\r\n"
    for piece in pieces:
        buf += held + piece
        held = ""
        if buf.endswith("\r"):
            buf, held = buf[:-1], "\r"
        while buf:
            if long_line:
                m = _NEWLINE.search(buf)
                if m is None:
                    if len(buf) < max_chars:
                        break
                    yield Block(buf, line, "long-line", ends_line=False)
                    buf = ""
                    break
                yield Block(buf[: m.end()], line, "long-line", ends_line=True)
                buf = buf[m.end():]
                line += 1
                long_line = False
                continue
            limit = _line_limit(buf, max_chars, max_lines)
            if len(buf) < max_chars and limit == max_chars:
                break
            end, nxt = _cut(buf, limit)
            if end == 0:
                long_line = True
                continue
            text = buf[:end]
            blanks = count_breaks(buf[end:nxt])
            yield Block(text, line, blank_lines_after=blanks)
            line += count_breaks(text) + blanks
            buf = buf[nxt:]
    buf += held
    if long_line:
        yield Block(buf, line, "long-line", ends_line=True)
    elif buf:
        yield Block(buf, line)


# --- Writing -------------------------------------------------------------------


class OutputError(Exception):
    """An output that cannot be written where asked; ``str()`` is one line naming it."""


class BackupExists(OutputError):
    """``--backup`` would overwrite an existing file: the original is left as it is."""


def backup_path(path: Path, suffix: str) -> Path:
    """Where ``--backup SUFFIX`` keeps the original of ``path``: beside the name given."""
    return path.with_name(path.name + suffix)


def _backup(path: Path, backup: Path) -> None:
    """Keep the original as ``backup`` (a hard link, or a copy where links fail); an
    existing file there is never replaced (:class:`BackupExists`)."""
    import shutil

    try:
        os.link(path, backup)
        return
    except FileExistsError:
        raise BackupExists(f"backup {display_name(backup)} exists and is kept; not rewritten") from None
    except OSError:
        pass
    try:
        fd = _create(backup)
    except FileExistsError:
        raise BackupExists(f"backup {display_name(backup)} exists and is kept; not rewritten") from None
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out)
        shutil.copystat(path, backup)
    except BaseException:
        os.unlink(backup)
        raise


class Discard(Exception):
    """Raise inside :func:`atomic_writer` to drop the new content and leave the target alone."""


def _short_name(name: str, limit: int = 200) -> str:
    """``name`` cut to at most ``limit`` bytes (names are limited in bytes, not characters)."""
    raw = os.fsencode(name)
    return name if len(raw) <= limit else os.fsdecode(raw[:limit])


def _temporary_name(path: Path) -> Path:
    """A fresh name for the temporary file beside ``path`` (hidden, marked as ours)."""
    return path.with_name(f".{_short_name(path.name)}.{os.urandom(6).hex()}.newsclean-tmp")


def _create(tmp: Path) -> int:
    """Create ``tmp`` (it must not exist), readable and writable by its owner only."""
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)


def is_stream(path: Path) -> bool:
    """Whether ``path`` is a character device or a named pipe (following links): an output
    there is written to as a stream, never replaced, and needs no ``--force``."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def make_parent(path: Path) -> None:
    """Create the directories ``path`` goes in; a file in the way is an :class:`OutputError`."""
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        up = parent
        while not (up.exists() or up.is_symlink()) and up != up.parent:
            up = up.parent
        raise OutputError(f"cannot create {display_name(path)}: {display_name(up)} is not a directory") from None


@contextmanager
def _stream_writer(path: Path, mode: int) -> Iterator[BinaryIO]:
    """Write to a character device or a named pipe in place (a pipe needs a reader)."""
    import time

    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    if stat.S_ISFIFO(mode):
        flags |= os.O_NONBLOCK  # fails at once (ENXIO) while the pipe has no reader
    deadline = time.monotonic() + FIFO_WAIT_SECONDS
    while True:
        try:
            fd = os.open(path, flags)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            if time.monotonic() > deadline:
                raise OutputError(f"{display_name(path)}: named pipe with no reader "
                                  f"(waited {FIFO_WAIT_SECONDS:g} s); nothing written") from None
            time.sleep(0.02)
    os.set_blocking(fd, True)
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                yield fh
            except Discard:
                return
    except OSError as exc:
        if exc.errno is not None and not exc.filename:
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def _keep_owner(tmp: Path, st: os.stat_result) -> None:
    """Give ``tmp`` the owner and group of the file it replaces, where this process may."""
    if not hasattr(os, "chown"):  # pragma: no cover - not POSIX
        return
    for uid, gid in ((st.st_uid, st.st_gid), (-1, st.st_gid)):
        try:
            os.chown(tmp, uid, gid)
            return
        except OSError:
            continue


@contextmanager
def atomic_writer(path: Path, *, backup_suffix: str | None = None) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` atomically when the ``with`` block ends.

    The data goes to a temporary file in the same directory, is flushed and
    fsynced, gets the original's permissions, owner and group (where this process
    may set them) and is renamed over ``path`` (after keeping the original as
    ``path + backup_suffix``, if asked; an existing backup is never replaced). If
    the block raises (a full disk, Ctrl-C, :class:`Discard`), the temporary file is
    removed and ``path`` is untouched; errors name ``path``.

    A symbolic link is followed: its target is replaced and the link stays. A
    character device or a named pipe (``/dev/null``) is written to as a stream,
    never replaced; a directory, a block device or a socket is refused.
    """
    path = Path(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        with _stream_writer(path, st.st_mode) as fh:
            yield fh
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = "a socket" if stat.S_ISSOCK(st.st_mode) else "a block device"
        raise OutputError(f"{display_name(path)}: is {kind}; not written")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        via = f" (the link leads to {display_name(target)})" if target != path else ""
        why = "is not a directory" if parent.exists() else "does not exist"
        raise OutputError(f"{display_name(path)}: cannot write: {display_name(parent)} {why}{via}")
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # The temporary file is named before it is made: wherever Ctrl-C or SIGTERM raise
    # (between any two steps), the handler below knows what to remove.
    tmp: Path | None = None
    try:
        for _ in range(100):
            tmp = _temporary_name(parent / target.name)
            try:
                fd = _create(tmp)
                break
            except FileExistsError:
                tmp = None  # not ours
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))
        with os.fdopen(fd, "wb") as fh:
            try:
                yield fh
            except Discard:
                raise
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None and (st.st_uid != os.geteuid() or st.st_gid != os.getegid()):
            _keep_owner(tmp, st)
        os.chmod(tmp, mode)  # after chown, which may clear set-id bits
        if backup_suffix and st is not None:
            _backup(target, backup_path(path, backup_suffix))
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, Discard):
            return
        if isinstance(exc, OSError) and exc.errno is not None and (not exc.filename or exc.filename == str(tmp)):
            raise OSError(exc.errno, exc.strerror, str(path)) from None  # name the target, not our temporary file
        raise
    try:  # make the rename itself durable
        dfd = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def write_atomic(path: Path, data: bytes, *, backup_suffix: str | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the original's permissions."""
    with atomic_writer(path, backup_suffix=backup_suffix) as fh:
        fh.write(data)
