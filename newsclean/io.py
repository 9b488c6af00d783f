"""Reading inputs and writing outputs safely.

* Input bytes are decoded in one place: a BOM (UTF-8, UTF-16, UTF-32) decides;
  otherwise UTF-8; otherwise cp1252 (or latin-1), with a warning. Binary data
  (NUL bytes that are not UTF-16/32) is refused.
* Every file write is atomic: a temporary file in the target's directory is
  written, flushed and fsynced, given the original's permissions, then renamed
  over the target. An interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class InputError(Exception):
    """An input that cannot be cleaned; ``str()`` is one line naming the problem."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warning: str = ""


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode page bytes to text, or raise :class:`InputError` for binary data."""
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding} (byte {exc.start})") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {name} byte-order mark but is not valid {name} (byte {exc.start})") from None
    if b"\x00" in data[:_SNIFF] or (b"\x00" in data and data.count(b"\x00") > len(data) // 1000):
        raise InputError("binary file (contains NUL bytes); skipped")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("cp1252")
        used = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        used = "latin-1"
    return Decoded(text, used, f"not valid UTF-8 (byte {first_bad}); decoded as {used}")


def read_path(path: Path, encoding: str | None = None) -> Decoded:
    """Read and decode one file; every failure is an :class:`InputError`."""
    return decode(read_bytes(path), encoding)


def read_bytes(path: Path) -> bytes:
    """The bytes of one file; every failure is an :class:`InputError`."""
    try:
        if path.is_dir():
            raise InputError("is a directory (give -o OUTDIR or --in-place to clean a tree)")
        data = path.read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("no such file" if not path.is_symlink() else "broken symbolic link") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory (give -o OUTDIR or --in-place to clean a tree)") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    return data


def encode(text: str) -> bytes:
    """Output bytes: always UTF-8; lone surrogates (from odd input) become U+FFFD."""
    return text.encode("utf-8", "replace")


def _backup(path: Path, backup: Path) -> None:
    """Keep the original next to the new file (a hard link, or a copy where links fail)."""
    import shutil

    if backup.exists() or backup.is_symlink():
        backup.unlink()
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)


def write_atomic(path: Path, data: bytes, *, backup_suffix: str | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the original's permissions."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        existed = True
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
        existed = False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".newsclean-tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if backup_suffix and existed:
            _backup(path, path.with_name(path.name + backup_suffix))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
