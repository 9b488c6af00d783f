"""Cleaning datasets in JSON Lines: one field of every record, everything else kept.

Records are read in bounded chunks (at most :data:`CHUNK_RECORDS` records or
:data:`CHUNK_BYTES` bytes), so memory stays flat on an input of any size; with
several workers the chunks are cleaned in worker processes and written back
in their original order. Input may be plain, gzip (``.gz``) or zstandard
(``.zst``, needs the optional ``zstandard`` package); the format is recognised
from the first bytes, so compressed standard input works too.

Each record is a JSON object; the field to clean is a dotted path
(``text``, ``doc.body``). A record that is not valid JSON, not an object,
lacks the field or has a non-string value there is reported with its line
number and then passed through unchanged (``on_error="pass"``), left out
(``"drop"``), or stops the run (``"fail"``). Blank lines are not records and
are left out.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Callable, Iterator

from .config import Config
from .records import explanation
from .repeats import RepeatLearner, RepeatTables, site_of

CHUNK_RECORDS = 500
CHUNK_BYTES = 4 << 20
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
    on_error: str = "pass"
    site_field: str | None = None

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {self.on_error!r}")
        if not self.field or any(not part for part in self.field.split(".")):
            raise ValueError(f"invalid field path {self.field!r} (use names separated by dots, like doc.body)")


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


@dataclass(slots=True)
class JsonlOutcome:
    records: int = 0
    failed: int = 0
    dropped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    stats: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False


# --- Fields -----------------------------------------------------------------------

_MISSING = object()


def get_path(record: Any, path: str) -> Any:
    """The value at a dotted path of nested objects, or a private 'missing' marker."""
    value = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = record
    for part in parents:
        target = target[part]
    target[last] = value


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


def parse_record(line: bytes, path: str) -> tuple[dict[str, Any], str]:
    """The record and the text at ``path``; ValueError with a one-line reason otherwise."""
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise ValueError("invalid JSON: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError(f"not a JSON object but {_json_type(record)}")
    value = get_path(record, path)
    if value is _MISSING:
        raise ValueError(f"no field {path!r}")
    if not isinstance(value, str):
        raise ValueError(f"field {path!r} is {_json_type(value)}, not a string")
    return record, value


def dump_record(record: dict[str, Any]) -> bytes:
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # lone surrogates from \\u escapes: keep them escaped
        return json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


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

    def config_for(self, record: dict[str, Any]) -> Config:
        if self.tables is None:
            return self.config
        site = site_of(get_path(record, self.opts.site_field)) if self.opts.site_field else ""
        cfg = self._by_site.get(site)
        if cfg is None:
            cfg = self._by_site[site] = self.config.with_options(repeats=self.tables.for_site(site))
        return cfg

    def chunk(self, first_lineno: int, lines: list[bytes]) -> ChunkResult:
        from .pipeline import run

        out = ChunkResult()
        opts = self.opts
        for offset, raw in enumerate(lines):
            out.bytes_in += len(raw)
            if not raw.strip():
                continue
            out.records += 1
            try:
                record, text = parse_record(raw, opts.field)
            except ValueError as exc:
                out.errors.append((first_lineno + offset, str(exc)))
                if opts.on_error == "fail":
                    return out
                if opts.on_error == "pass":
                    out.lines.append(raw if raw.endswith(b"\n") else raw + b"\n")
                else:
                    out.dropped += 1
                continue
            result = run(text, self.config_for(record), details=opts.explain)
            set_path(record, opts.field, result.text)
            if opts.explain:
                record[opts.explain_field] = explanation(result)
            out.stats.update(result.stats())
            out.lines.append(dump_record(record))
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

class Source:
    """An opened JSONL input: decompressed lines, and how far into the raw input we are."""

    def __init__(self, path: str | None, stdin: BinaryIO | None = None) -> None:
        self.label = "<stdin>" if path in (None, "-") else str(path)
        self.size: int | None = None
        if path in (None, "-"):
            raw: Any = stdin if stdin is not None else sys.stdin.buffer
        else:
            try:
                raw = open(path, "rb")  # noqa: SIM115 - closed in close()
                self.size = os.fstat(raw.fileno()).st_size
            except FileNotFoundError:
                raise JsonlError(f"{path}: no such file") from None
            except IsADirectoryError:
                raise JsonlError(f"{path}: is a directory") from None
            except OSError as exc:
                raise JsonlError(f"{path}: {exc.strerror or exc}") from None
        self._raw = raw
        if not hasattr(raw, "peek"):
            raw = io.BufferedReader(raw)
        magic = raw.peek(4)[:4]
        if magic.startswith(_GZIP_MAGIC):
            import gzip

            self.stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        elif magic == _ZSTD_MAGIC:
            zstandard = _zstandard(self.label)
            self.stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True))
        else:
            self.stream = raw

    def position(self) -> int | None:
        """Bytes of the raw (possibly compressed) input read so far, when known."""
        try:
            return self._raw.tell() if self.size is not None else None
        except (OSError, ValueError):
            return None

    def chunks(self, max_records: int | None = None, max_bytes: int | None = None) -> Iterator[tuple[int, list[bytes]]]:
        """``(first line number, lines)`` pairs of at most ``max_records`` lines or about ``max_bytes``
        (default :data:`CHUNK_RECORDS` and :data:`CHUNK_BYTES`)."""
        max_records = max_records or CHUNK_RECORDS
        max_bytes = max_bytes or CHUNK_BYTES
        lineno = 1
        lines: list[bytes] = []
        size = 0
        try:
            for line in self.stream:
                lines.append(line)
                size += len(line)
                if len(lines) >= max_records or size >= max_bytes:
                    yield lineno, lines
                    lineno += len(lines)
                    lines, size = [], 0
        except (OSError, EOFError) as exc:
            raise JsonlError(f"{self.label}: cannot read: {exc}") from None
        except Exception as exc:  # zstandard.ZstdError and the like
            raise JsonlError(f"{self.label}: cannot read: {type(exc).__name__}: {exc}") from None
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
    by :meth:`commit`; :meth:`abort` (or an exception) leaves no trace. ``.gz`` and
    ``.zst`` names are compressed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if self.path.name.endswith(".zst"):
            self._zstd = _zstandard(str(self.path))
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".newsclean-tmp", dir=parent)
        except OSError as exc:
            raise JsonlError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
        self._file = os.fdopen(fd, "wb")
        self.stream: IO[bytes]
        if self.path.name.endswith(".gz"):
            import gzip

            self.stream = gzip.GzipFile(filename=self.path.name[:-3], fileobj=self._file, mode="wb", mtime=0)  # type: ignore[assignment]
        elif self.path.name.endswith(".zst"):
            self.stream = self._zstd.ZstdCompressor().stream_writer(self._file, closefd=False)
        else:
            self.stream = self._file

    def write(self, data: bytes) -> None:
        self.stream.write(data)

    def commit(self) -> None:
        if self.stream is not self._file:
            self.stream.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self._tmp, 0o666 & ~umask)
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        try:
            self._file.close()
        finally:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
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
        for _lineno, lines in source.chunks():
            for raw in lines:
                if not raw.strip():
                    continue
                try:
                    record, text = parse_record(raw, opts.field)
                except ValueError:
                    continue
                site = site_of(get_path(record, opts.site_field)) if opts.site_field else None
                learner.add(text, site)
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
        for line in res.lines:
            write(line)
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
                for lineno, lines in source.chunks():
                    take(cleaner.chunk(lineno, lines))
            except (KeyboardInterrupt, Interrupted):
                outcome.interrupted = True
            return outcome
        pool = WorkerPool(workers, _init_jsonl_worker, (config, opts, tables), window=workers * 2)
        try:
            for _task, res in pool.run(_clean_task, source.chunks(), ordered=True, on_started=on_started):
                if isinstance(res, BaseException):
                    raise JsonlError(f"{source.label}: internal error: {type(res).__name__}: {res}")
                take(res)
        except (KeyboardInterrupt, Interrupted):
            outcome.interrupted = True
            for _ in pool.stop():  # let running chunks finish; their records are not written
                pass
        finally:
            pool.close()
        return outcome
