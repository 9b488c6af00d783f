"""Planning and running file jobs: every input gets a result or an error, never silence.

A :class:`Job` says where a text comes from and where its cleaned form goes
(``dst=None`` means standard output). :func:`plan` expands the user's inputs
into jobs (directories into mirrored trees) and refuses unsafe layouts;
:func:`clean_job` cleans one job and returns a :class:`FileResult` whatever
happens, so one bad file never stops the others.
"""

from __future__ import annotations

import fnmatch
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config
from .io import InputError, decode, encode, read_bytes, write_atomic
from .model import Decision


class PlanError(Exception):
    """An input or output layout that cannot be run; the message names the path."""


@dataclass(frozen=True, slots=True)
class Job:
    src: Path | None  # None: standard input (``data`` holds the bytes)
    dst: Path | None  # None: standard output
    label: str
    data: bytes | None = None


@dataclass(slots=True)
class FileResult:
    label: str
    ok: bool
    error: str = ""
    warning: str = ""
    skipped: bool = False
    text: str = ""  # cleaned text, kept only when it goes to standard output or is needed
    original: str = ""  # input text, kept only for --diff
    decisions: tuple[Decision, ...] = ()
    notes: tuple[str, ...] = ()
    stats: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    dst: str = ""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What to do with each job's result (the parts of the CLI that the core needs)."""

    encoding: str | None = None
    keep_text: bool = False
    keep_original: bool = False
    keep_decisions: bool = False
    dry_run: bool = False
    force: bool = False
    skip_existing: bool = False
    backup_suffix: str | None = None


def _is_inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def walk(root: Path, pattern: str) -> Iterator[Path]:
    """Files under ``root`` whose name matches ``pattern``, sorted, without following
    directory symlinks (so a symlink loop cannot trap the walk)."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if fnmatch.fnmatch(name, pattern):
                yield Path(dirpath) / name


def plan(
    inputs: Iterable[str],
    output: Path | None,
    *,
    in_place: bool = False,
    pattern: str = "*.txt",
    stdin_bytes: bytes | None = None,
) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the user's inputs, plus results for inputs that failed already.

    ``-`` is standard input. A directory needs ``output`` (a tree mirrored
    there) or ``in_place``. With one file input, ``output`` is the output file;
    with several inputs it is a directory.
    """
    items = list(inputs)
    jobs: list[Job] = []
    failed: list[FileResult] = []
    if not items:
        items = ["-"]
    several = len(items) > 1
    if output is not None and output.exists() and not output.is_dir() and (several or any(Path(i).is_dir() for i in items if i != "-")):
        raise PlanError(f"{output}: exists and is not a directory (needed for several inputs or a directory)")
    for item in items:
        if item == "-":
            if in_place:
                raise PlanError("-: cannot rewrite standard input in place")
            dst = None
            if output is not None:
                dst = output / "stdin.txt" if several else output
            jobs.append(Job(None, dst, "<stdin>", stdin_bytes or b""))
            continue
        src = Path(item)
        if src.is_dir():
            if output is None and not in_place:
                failed.append(FileResult(item, False, "is a directory (give -o OUTDIR or --in-place to clean a tree)"))
                continue
            if output is not None:
                if _is_inside(output, src):
                    raise PlanError(f"{output}: output directory is inside the input tree {src}; choose another place")
                base = output / src.resolve().name if several else output
            for f in walk(src, pattern):
                dst = f if in_place else base / f.relative_to(src)
                jobs.append(Job(f, dst, str(f)))
            continue
        if in_place:
            dst = src
        elif output is None:
            dst = None
        else:
            dst = output / src.name if several or output.is_dir() else output
            if dst.exists() and src.exists() and dst.resolve() == src.resolve():
                raise PlanError(f"{dst}: output is the input file; use --in-place to rewrite it")
        jobs.append(Job(src, dst, item))
    return jobs, failed


def clean_job(job: Job, config: Config, opts: RunOptions) -> FileResult:
    """Clean one job; every failure becomes a FileResult with ``ok=False``."""
    from . import clean_and_explain

    res = FileResult(job.label, True)
    try:
        if job.dst is not None and not opts.dry_run and job.dst != job.src:
            if job.dst.exists() and opts.skip_existing:
                res.skipped = True
                return res
            if job.dst.exists() and not opts.force:
                raise InputError(f"{job.dst} exists (use --force to overwrite or --skip-existing to keep it)")
        data = (job.data or b"") if job.src is None else read_bytes(job.src)
        decoded = decode(data, opts.encoding)
        res.warning = decoded.warning
        res.bytes_in = len(data)
        result = clean_and_explain(decoded.text, config)
        out = encode(result.text)
        res.bytes_out = len(out)
        res.stats = result.stats()
        res.notes = result.notes
        if opts.keep_decisions:
            res.decisions = result.decisions
        if opts.keep_original:
            res.original = decoded.text
        if job.dst is None or opts.keep_text:
            res.text = result.text
        if job.dst is not None and not opts.dry_run:
            res.dst = str(job.dst)
            if job.dst == job.src and out == data:
                return res  # unchanged: leave the file (and its timestamp) alone
            job.dst.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(job.dst, out, backup_suffix=opts.backup_suffix if job.dst == job.src else None)
    except InputError as exc:
        res.ok, res.error = False, str(exc)
    except OSError as exc:
        res.ok, res.error = False, f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename and str(exc.filename) != job.label else "")
    except Exception as exc:  # a bug must not stop the batch; it is reported with its type
        res.ok, res.error = False, f"internal error: {type(exc).__name__}: {exc}"
    return res
