"""Cleaning datasets in JSON Lines: one field of every record, everything else kept.

Records are read in bounded chunks (at most :data:`CHUNK_RECORDS` records or
:data:`CHUNK_BYTES` bytes), so memory stays flat on an input of any size; with
several workers the chunks are cleaned in worker processes and written back
in their original order. Input may be plain, gzip (``.gz``) or zstandard
(``.zst``, needs the optional ``zstandard`` package); the format is recognised
from the first bytes, so compressed standard input works too.

Each record is a JSON object; the field to clean is a dotted path
(``text``, ``doc.body``). Only that field's value changes: the cleaned text is
spliced into the record's own bytes, so every other field, number, key order,
white space and duplicate key comes out byte for byte as it came in. A record
that is not valid JSON, not an object, lacks the field or has a non-string
value there, names the field twice, is nested too deeply, already has the
explain field, or has a bad ``site_field`` is reported with its line number and
then passed through unchanged (``on_error="pass"``), left out (``"drop"``), or
stops the run (``"fail"``). A record longer than ``max_record_bytes`` is
reported and left out (it is never held in memory whole). Blank lines are not
records and are left out. A truncated or corrupt compressed input is an error,
at any frame or member.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any, BinaryIO, Callable, Iterator

from .config import Config
from .records import explanation
from .repeats import RepeatLearner, RepeatTables, site_of

CHUNK_RECORDS = 500
CHUNK_BYTES = 4 << 20
# The longest record (one line of the input, in bytes) cleaned; a longer one is reported and left out.
MAX_RECORD_BYTES = 32 << 20
# Lines longer than the limit are read through in pieces of this size.
READ_PIECE = 1 << 20
EXPLAIN_FIELD = "newsclean"
ON_ERROR = ("pass", "drop", "fail")

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class JsonlError(Exception):
    """A dataset that cannot be read or written; ``str()`` is one line naming the problem."""


class RecordFailed(JsonlError):
    """A bad record with ``on_error="fail"``: the run stops."""


@dataclass(frozen=True, slots=True)
class JsonlOptions:
    field: str = "text"
    explain: bool = False
    explain_field: str = EXPLAIN_FIELD
    # the article's parts (headline, dek, byline, date, body) in the explain field (--format json)
    parts: bool = False
    on_error: str = "pass"
    site_field: str | None = None
    max_record_bytes: int = MAX_RECORD_BYTES

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {self.on_error!r}")
        for name, path in (("field", self.field), ("site field", self.site_field)):
            if path is not None and (not path or any(not part for part in path.split("."))):
                raise ValueError(f"invalid {name} path {path!r} (use names separated by dots, like doc.body)")
        if not self.explain_field:
            raise ValueError("the explain field needs a name")
        if self.max_record_bytes < 1:
            raise ValueError(f"the record size limit must be at least 1 byte, not {self.max_record_bytes}")


@dataclass(frozen=True, slots=True)
class TooLong:
    """In place of a record longer than the limit: how many bytes it had (it is not kept)."""

    size: int


@dataclass(slots=True)
class ChunkResult:
    """What one chunk of records became: output lines, errors by line number, counts."""

    lines: list[bytes] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    records: int = 0
    dropped: int = 0
    stats: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    gave_up: dict[str, str] = field(default_factory=dict)  # user rules that ran out of time: code -> warning


@dataclass(slots=True)
class JsonlOutcome:
    records: int = 0
    failed: int = 0
    dropped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    stats: Counter[str] = field(default_factory=Counter)
    gave_up: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False


# --- Records, located in their own text -------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
# The json module's own scanners (in C): the value at an index and where it ends.
_scan_value = json.scanner.make_scanner(json.JSONDecoder())
_scan_string = json.decoder.scanstring


class BadRecord(ValueError):
    """A record that cannot be cleaned; ``str()`` is one line saying why."""


# A member of a JSON object: (name, where its value starts, where it ends, the value).
Member = tuple[str, int, int, Any]


@dataclass(slots=True)
class Record:
    """One record: its line (decoded), its top-level members and where its closing brace is."""

    line: str
    members: list[Member]
    close: int

    def find(self, path: str) -> Member | None:
        """The member at a dotted path (None if there is none); :class:`BadRecord` when a
        name on the path occurs twice (which one would be meant?)."""
        members = self.members
        parts = path.split(".")
        for depth, part in enumerate(parts):
            found = [m for m in members if m[0] == part]
            if len(found) > 1:
                raise BadRecord(f"field {'.'.join(parts[:depth + 1])!r} occurs {len(found)} times")
            if not found:
                return None
            if depth == len(parts) - 1:
                return found[0]
            if not isinstance(found[0][3], dict):
                return None
            members, _ = _members(self.line, found[0][1])
        return None  # pragma: no cover - an empty path is refused by JsonlOptions

    def has(self, name: str) -> bool:
        return any(m[0] == name for m in self.members)


def _skip(s: str, i: int) -> int:
    return _WS.match(s, i).end()  # type: ignore[union-attr]


def _members(s: str, i: int) -> tuple[list[Member], int]:
    """The members of the object whose ``{`` is at ``s[i]``, and the index of its ``}``.
    Each value is read (and checked) by the json module's scanner."""
    members: list[Member] = []
    i = _skip(s, i + 1)
    if s.startswith("}", i):
        return members, i
    while True:
        if not s.startswith('"', i):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
        name, i = _scan_string(s, i + 1, True)
        i = _skip(s, i)
        if not s.startswith(":", i):
            raise json.JSONDecodeError("Expecting ':' delimiter", s, i)
        start = _skip(s, i + 1)
        try:
            value, end = _scan_value(s, start)
        except StopIteration as exc:
            raise json.JSONDecodeError("Expecting value", s, exc.value) from None
        members.append((name, start, end, value))
        i = _skip(s, end)
        if s.startswith("}", i):
            return members, i
        if not s.startswith(",", i):
            raise json.JSONDecodeError("Expecting ',' delimiter", s, i)
        i = _skip(s, i + 1)


def parse_line(raw: bytes) -> Record:
    """A record from one line of JSON Lines; :class:`BadRecord` with a one-line reason otherwise."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRecord(f"invalid JSON: not UTF-8 (byte {exc.start + 1})") from None
    try:
        i = _skip(s, 1 if s.startswith("\ufeff") else 0)  # a byte-order mark may open the first line
        if not s.startswith("{", i):
            try:
                value, end = _scan_value(s, i)
            except StopIteration as exc:
                raise json.JSONDecodeError("Expecting value", s, exc.value) from None
            if _skip(s, end) != len(s):
                raise json.JSONDecodeError("Extra data", s, _skip(s, end))
            raise BadRecord(f"not a JSON object but {_json_type(value)}")
        members, close = _members(s, i)
        if _skip(s, close + 1) != len(s):
            raise json.JSONDecodeError("Extra data", s, _skip(s, close + 1))
    except json.JSONDecodeError as exc:
        raise BadRecord(f"invalid JSON: {exc.msg} (column {exc.pos + 1})") from None
    except RecursionError:
        raise BadRecord("invalid JSON: nested too deeply") from None
    return Record(s, members, close)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_record(line: bytes, path: str) -> tuple[Record, Member]:
    """The record and its member at ``path``, a string; :class:`BadRecord` otherwise."""
    record = parse_line(line)
    member = record.find(path)
    if member is None:
        raise BadRecord(f"no field {path!r}")
    if not isinstance(member[3], str):
        raise BadRecord(f"field {path!r} is {_json_type(member[3])}, not a string")
    return record, member


def record_site(record: Record, path: str) -> str:
    """The site of a record (see :func:`~newsclean.repeats.site_of`) from the URL or domain at ``path``."""
    member = record.find(path)
    if member is None:
        raise BadRecord(f"no field {path!r} (the site field)")
    if not isinstance(member[3], str):
        raise BadRecord(f"field {path!r} is {_json_type(member[3])}, not a URL or domain")
    try:
        return site_of(member[3])
    except ValueError as exc:
        raise BadRecord(f"field {path!r}: {exc}") from None


def splice(record: Record, member: Member, text: str, extra: tuple[str, Any] | None = None) -> bytes:
    """The record's line with ``member``'s value replaced by ``text`` (and, with ``extra``,
    one more top-level field): every other byte of the line is kept as it was."""
    s, start, end = record.line, member[1], member[2]
    for ascii_only in (False, True):  # lone surrogates (from \\u escapes) can only stay escaped
        parts = [s[:start], json.dumps(text, ensure_ascii=ascii_only)]
        if extra is None:
            parts.append(s[end:])
        else:
            parts += [s[end:record.close], ",", json.dumps(extra[0], ensure_ascii=ascii_only), ":",
                      json.dumps(extra[1], ensure_ascii=ascii_only, separators=(",", ":")), s[record.close:]]
        try:
            out = "".join(parts).encode("utf-8")
        except UnicodeEncodeError:
            continue
        return out if out.endswith(b"\n") else out + b"\n"
    raise AssertionError("unreachable: ASCII output always encodes")  # pragma: no cover


# --- Cleaning chunks ----------------------------------------------------------------

class _Cleaner:
    """Cleans records with one config, choosing the repeat table by site when tables are by site."""

    def __init__(self, config: Config, opts: JsonlOptions, tables: RepeatTables | None) -> None:
        self.config = config
        self.opts = opts
        self.tables = tables if tables is not None and tables.grouped else None
        self._by_site: dict[str, Config] = {}
        if tables is not None and not tables.grouped:
            self.config = config.with_options(repeats=tables.for_site(""))

    def config_for(self, site: str) -> Config:
        if self.tables is None:
            return self.config
        cfg = self._by_site.get(site)
        if cfg is None:
            cfg = self._by_site[site] = self.config.with_options(repeats=self.tables.for_site(site))
        return cfg

    def record(self, raw: bytes, out: ChunkResult) -> bytes:
        """One cleaned record (its line); :class:`BadRecord` when it cannot be cleaned."""
        from .large import clean_page

        opts = self.opts
        record, member = parse_record(raw, opts.field)
        site = record_site(record, opts.site_field) if opts.site_field else ""
        if (opts.explain or opts.parts) and record.has(opts.explain_field):
            what = "--explain would put the decisions" if opts.explain else "--format json would put the article's parts"
            raise BadRecord(f"has a field {opts.explain_field!r} already, where {what} (--explain-field names another)")
        cfg = self.config_for(site)
        text, stats, notes, decisions, layout, head = clean_page(member[3], cfg, opts.explain)
        out.stats.update(stats)
        out.gave_up.update(cfg.compiled().matcher.take_gave_up())
        extra = None
        if opts.explain or opts.parts:
            added: dict[str, Any] = {}
            if opts.parts:
                from .article import parts

                added.update(parts(text, head))
            if opts.explain:
                added.update(explanation(SimpleNamespace(decisions=decisions, notes=notes, layout=layout)))
            extra = (opts.explain_field, added)
        return splice(record, member, text, extra)

    def chunk(self, first_lineno: int, lines: list[bytes | TooLong]) -> ChunkResult:
        out = ChunkResult()
        opts = self.opts
        for offset, raw in enumerate(lines):
            lineno = first_lineno + offset
            if isinstance(raw, TooLong):
                out.bytes_in += raw.size
                out.records += 1
                out.dropped += 1
                out.errors.append((lineno, f"record of {raw.size} bytes is longer than the limit of "
                                           f"{opts.max_record_bytes} bytes; left out"))
                if opts.on_error == "fail":
                    return out
                continue
            out.bytes_in += len(raw)
            if not raw.strip():
                continue
            out.records += 1
            try:
                line = self.record(raw, out)
            except Exception as exc:  # a bad record, or a bug: reported for this record only
                why = str(exc) if isinstance(exc, BadRecord) else f"internal error: {type(exc).__name__}: {exc}"
                out.errors.append((lineno, why))
                if opts.on_error == "fail":
                    return out
                if opts.on_error == "pass":
                    out.lines.append(raw if raw.endswith(b"\n") else raw + b"\n")
                else:
                    out.dropped += 1
                continue
            out.lines.append(line)
        out.bytes_out = sum(len(x) for x in out.lines)
        return out


def _lost_chunk(task: tuple[int, list[bytes | TooLong]], exc: BaseException, opts: JsonlOptions) -> ChunkResult:
    """The result of a chunk whose worker failed (died, or raised): each record is a bad record."""
    from .batch import WorkerDied

    why = str(exc) if isinstance(exc, WorkerDied) else f"internal error: {type(exc).__name__}: {exc}"
    out = ChunkResult()
    first, lines = task
    for offset, raw in enumerate(lines):
        size = raw.size if isinstance(raw, TooLong) else len(raw)
        out.bytes_in += size
        if not isinstance(raw, TooLong) and not raw.strip():
            continue
        out.records += 1
        out.errors.append((first + offset, why))
        if opts.on_error == "fail":
            break
        if opts.on_error == "pass" and not isinstance(raw, TooLong):
            out.lines.append(raw if raw.endswith(b"\n") else raw + b"\n")
        else:
            out.dropped += 1
    out.bytes_out = sum(len(x) for x in out.lines)
    return out


def clean_lines(lines: list[bytes], config: Config | None = None, opts: JsonlOptions | None = None,
                tables: RepeatTables | None = None, first_lineno: int = 1) -> ChunkResult:
    """Clean a list of JSONL lines in this process (the unit of work of :func:`run`)."""
    return _Cleaner(config or Config(), opts or JsonlOptions(), tables).chunk(first_lineno, lines)


def _init_jsonl_worker(config: Config, opts: JsonlOptions, tables: RepeatTables | None) -> None:
    from .batch import _WORKER

    _WORKER["cleaner"] = _Cleaner(config, opts, tables)


def _clean_task(task: tuple[int, list[bytes]]) -> ChunkResult:
    from .batch import _WORKER, worker_busy

    with worker_busy():
        return _WORKER["cleaner"].chunk(*task)


# --- Reading and writing ------------------------------------------------------------

class _ZstdFrames(io.RawIOBase):
    """Zstandard frames one after another, decompressed. Each frame must end: a truncated
    or corrupt frame is an error, whichever frame it is (the ``zstandard`` stream reader
    takes an input that stops inside a frame for a complete one)."""

    # Compressed bytes given to the decompressor at a time: a frame of repeated bytes
    # expands up to about 32,000 times, so one step yields at most about 32 MB.
    FEED = 1024

    def __init__(self, raw: BinaryIO, zstandard: Any) -> None:
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._frame: Any = None  # the decompressor of the frame being read
        self._out = b""
        self._pos = 0
        self._left = b""  # compressed bytes after the end of the last frame

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        while self._pos >= len(self._out):
            if not self._step():
                return 0
        n = min(len(buf), len(self._out) - self._pos)
        buf[:n] = self._out[self._pos:self._pos + n]
        self._pos += n
        return n

    def _step(self) -> bool:
        """Decompress the next piece; False at the end of the input."""
        data = self._left or self._raw.read(self.FEED)
        self._left = b""
        if not data:
            if self._frame is not None:
                raise EOFError("zstandard data ends inside a frame (truncated)")
            return False
        if self._frame is None:
            self._frame = self._dctx.decompressobj()
        self._out, self._pos = self._frame.decompress(data), 0
        if self._frame.eof:
            self._left = self._frame.unused_data
            self._frame = None
        return True


class Source:
    """An opened JSONL input: decompressed lines, and how far into the raw input we are.

    A file is opened as every input is (:func:`newsclean.io.open_input`): devices
    and sockets are refused, a named pipe waits for its writer a short time only.
    """

    def __init__(self, path: str | None, stdin: BinaryIO | None = None) -> None:
        from .io import InputError, display_name, open_input

        self.label = "<stdin>" if path in (None, "-") else display_name(str(path))
        self.size: int | None = None
        if path in (None, "-"):
            raw: Any = stdin if stdin is not None else sys.stdin.buffer
        else:
            try:
                raw = open_input(str(path))  # closed in close()
            except InputError as exc:
                raise JsonlError(f"{self.label}: {exc}") from None
            import stat

            st = os.fstat(raw.fileno())
            self.size = st.st_size if stat.S_ISREG(st.st_mode) else None
        self._raw = raw
        if not hasattr(raw, "peek"):
            raw = io.BufferedReader(raw)
        try:
            magic = raw.peek(4)[:4]
        except OSError as exc:
            raise JsonlError(f"{self.label}: cannot read: {exc.strerror or exc}") from None
        if magic.startswith(_GZIP_MAGIC):
            import gzip

            self.stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        elif magic == _ZSTD_MAGIC:
            zstandard = _zstandard(self.label)
            self.stream = io.BufferedReader(_ZstdFrames(raw, zstandard), 1 << 16)
        else:
            self.stream = raw

    def position(self) -> int | None:
        """Bytes of the raw (possibly compressed) input read so far, when known."""
        try:
            return self._raw.tell() if self.size is not None else None
        except (OSError, ValueError):
            return None

    def _lines(self, limit: int) -> Iterator[bytes | TooLong]:
        """The lines of the input; a line longer than ``limit`` bytes is read through in
        pieces and given as :class:`TooLong` (never held whole)."""
        readline = self.stream.readline
        while True:
            line = readline(limit + 1)
            if not line:
                return
            if len(line) <= limit or line.endswith(b"\n") and len(line) == limit + 1:
                yield line
                continue
            size = len(line)
            while not line.endswith(b"\n"):
                line = readline(READ_PIECE)
                if not line:
                    break
                size += len(line)
            yield TooLong(size)

    def chunks(self, max_records: int | None = None, max_bytes: int | None = None,
               max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, list[bytes | TooLong]]]:
        """``(first line number, lines)`` pairs of at most ``max_records`` lines or about ``max_bytes``
        (default :data:`CHUNK_RECORDS` and :data:`CHUNK_BYTES`). A read error ends the input
        (:class:`JsonlError`) once the whole lines read before it are given."""
        max_records = max_records or CHUNK_RECORDS
        max_bytes = max_bytes or CHUNK_BYTES
        lineno = 1
        lines: list[bytes | TooLong] = []
        size = 0
        error: str | None = None
        try:
            for line in self._lines(max_record_bytes):
                lines.append(line)
                size += line.size if isinstance(line, TooLong) else len(line)
                if len(lines) >= max_records or size >= max_bytes:
                    yield lineno, lines
                    lineno += len(lines)
                    lines, size = [], 0
        except (OSError, EOFError) as exc:
            error = f"{self.label}: cannot read: {getattr(exc, 'strerror', None) or exc}"
        except MemoryError:
            error = f"{self.label}: cannot read: out of memory"
        except Exception as exc:  # zstandard.ZstdError and the like
            error = f"{self.label}: cannot read: {type(exc).__name__}: {exc}"
        if error is not None:
            if lines and isinstance(lines[-1], bytes) and not lines[-1].endswith(b"\n"):
                lines.pop()  # a record cut short by the error is not a record
            if lines:
                yield lineno, lines
            raise JsonlError(error)
        if lines:
            yield lineno, lines

    def close(self) -> None:
        if self._raw is not sys.stdin.buffer:
            self._raw.close()


def _zstandard(label: str) -> Any:
    try:
        import zstandard
    except ImportError:
        raise JsonlError(f"{label}: zstandard-compressed (.zst) data needs the zstandard package: "
                         "pip install 'newsclean[zstd]'") from None
    return zstandard


class AtomicOutput:
    """A file written through a temporary file in its directory and renamed into place
    by :meth:`commit` (:func:`newsclean.io.atomic_writer`: links followed, owner and
    permissions of a replaced file kept, a device or a named pipe written to as a
    stream); :meth:`abort` leaves no trace. ``.gz`` and ``.zst`` names are compressed.
    Every failure is a :class:`JsonlError` naming the file."""

    def __init__(self, path: Path) -> None:
        from .io import OutputError, atomic_writer

        self.path = Path(path)
        if self.path.name.endswith(".zst"):
            self._zstd = _zstandard(str(self.path))
        self._writer = atomic_writer(self.path)
        try:
            self._file = self._writer.__enter__()
        except (OSError, OutputError) as exc:
            raise JsonlError(self._failed(exc)) from None
        self._open = True
        self.stream: IO[bytes]
        if self.path.name.endswith(".gz"):
            import gzip

            self.stream = gzip.GzipFile(filename=self.path.name[:-3], fileobj=self._file, mode="wb", mtime=0)  # type: ignore[assignment]
        elif self.path.name.endswith(".zst"):
            self.stream = self._zstd.ZstdCompressor().stream_writer(self._file, closefd=False)
        else:
            self.stream = self._file

    def _failed(self, exc: BaseException) -> str:
        from .io import OutputError, display_name

        if isinstance(exc, OutputError):
            return str(exc)
        return f"{display_name(self.path)}: cannot write: {getattr(exc, 'strerror', None) or exc}"

    def write(self, data: bytes) -> None:
        try:
            self.stream.write(data)
        except OSError as exc:
            raise JsonlError(self._failed(exc)) from None

    def commit(self) -> None:
        """Finish the file and rename it into place."""
        try:
            if self.stream is not self._file:
                self.stream.close()
            self._open = False
            self._writer.__exit__(None, None, None)
        except (OSError, ValueError) as exc:
            self.abort()
            raise JsonlError(self._failed(exc)) from None

    def abort(self) -> None:
        """Drop what was written (the target keeps its old content)."""
        from .io import Discard

        if self._open:
            self._open = False
            try:
                self._writer.__exit__(Discard, Discard(), None)
            except OSError:
                pass


# --- Learning and running -----------------------------------------------------------

def learn_repeats(path: str, opts: JsonlOptions, learner: RepeatLearner | None = None,
                  on_chunk: Callable[[int, int | None], None] | None = None) -> RepeatTables:
    """First pass over a dataset: count lines of the cleaned field (by site with ``opts.site_field``).

    Records that would be reported as bad are skipped here (the cleaning pass reports them).
    """
    learner = learner or RepeatLearner()
    source = Source(path)
    try:
        for _lineno, lines in source.chunks(max_record_bytes=opts.max_record_bytes):
            for raw in lines:
                if isinstance(raw, TooLong) or not raw.strip():
                    continue
                try:
                    record, member = parse_record(raw, opts.field)
                    site = record_site(record, opts.site_field) if opts.site_field else None
                except ValueError:
                    continue
                learner.add(member[3], site)
            if on_chunk is not None:
                on_chunk(len(lines), source.position())
    finally:
        source.close()
    return learner.tables()


def run(
    source: Source,
    write: Callable[[bytes], None],
    config: Config | None = None,
    opts: JsonlOptions | None = None,
    *,
    tables: RepeatTables | None = None,
    workers: int = 1,
    on_error: Callable[[int, str], None] | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    on_started: Callable[[], None] | None = None,
) -> JsonlOutcome:
    """Clean every record of ``source``, writing output lines in input order through ``write``.

    ``on_error(lineno, message)`` is called for every bad record. With
    ``opts.on_error == "fail"`` the first bad record raises :class:`RecordFailed`
    (after the records before it were written). Ctrl-C or SIGTERM stops the
    run; the outcome then has ``interrupted`` set.
    """
    from .batch import Interrupted, WorkerPool, _TermAsInterrupt

    config = config or Config()
    opts = opts or JsonlOptions()
    outcome = JsonlOutcome()

    def take(res: ChunkResult) -> None:
        for lineno, message in res.errors:
            outcome.failed += 1
            if on_error is not None:
                on_error(lineno, message)
        outcome.records += res.records
        outcome.dropped += res.dropped
        outcome.bytes_in += res.bytes_in
        outcome.bytes_out += res.bytes_out
        outcome.stats.update(res.stats)
        for code, warning in res.gave_up.items():
            outcome.gave_up.setdefault(code, warning)
        try:
            for line in res.lines:
                write(line)
        except BrokenPipeError:
            raise  # standard output was closed: the caller ends quietly
        except OSError as exc:
            raise JsonlError(f"cannot write the output: {exc.strerror or exc}") from None
        if on_chunk is not None:
            on_chunk(res)
        if res.errors and opts.on_error == "fail":
            lineno, message = res.errors[0]
            raise RecordFailed(f"{source.label}:{lineno}: {message}")

    with _TermAsInterrupt():
        if workers <= 1:
            if on_started is not None:
                on_started()
            cleaner = _Cleaner(config, opts, tables)
            try:
                for lineno, lines in source.chunks(max_record_bytes=opts.max_record_bytes):
                    take(cleaner.chunk(lineno, lines))
            except (KeyboardInterrupt, Interrupted):
                outcome.interrupted = True
            return outcome
        pool = WorkerPool(workers, _init_jsonl_worker, (config, opts, tables), window=workers * 2)
        try:
            read_error: list[JsonlError] = []

            def chunks() -> Iterator[tuple[int, list[bytes | TooLong]]]:
                # a read error waits until the chunks read before it are cleaned and written
                try:
                    yield from source.chunks(max_record_bytes=opts.max_record_bytes)
                except JsonlError as exc:
                    read_error.append(exc)

            for task, res in pool.run(_clean_task, chunks(), ordered=True, on_started=on_started):
                take(_lost_chunk(task, res, opts) if isinstance(res, BaseException) else res)
            if read_error:
                raise read_error[0]
        except (KeyboardInterrupt, Interrupted):
            outcome.interrupted = True
            for _ in pool.stop():  # let running chunks finish; their records are not written
                pass
        finally:
            pool.close()
        return outcome
