"""Planning and running file jobs: every input gets a result or an error, never silence.

A :class:`Job` says where a text comes from and where its cleaned form goes
(``dst=None`` means standard output). :func:`plan` expands the user's inputs
into jobs (directories into mirrored trees) and refuses unsafe layouts;
:func:`clean_job` cleans one job and returns a :class:`FileResult` whatever
happens, so one bad file never stops the others. :func:`run_jobs` runs jobs in
this process or in worker processes (chunks of paths go to the workers, which
read, clean and write atomically themselves and send back small results), and
stops cleanly on Ctrl-C or SIGTERM: the files being written are finished, no
new ones are started, and the outcome says how many were done.

``concurrent.futures`` and ``multiprocessing`` are imported only when worker
processes are used.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .config import Config
from .io import InputError, decode, display_name, encode, file_size, read_bytes, write_atomic
from .layout import Layout
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
    layout: Layout | None = None  # the layout the page was read in (None: a file cleaned block by block)
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


def walk(root: Path, pattern: str, errors: list[FileResult] | None = None) -> Iterator[Path]:
    """Files under ``root`` whose name matches ``pattern``, sorted, without following
    directory symlinks (so a symlink loop cannot trap the walk). A directory that
    cannot be listed is added to ``errors``."""
    from fnmatch import fnmatch
    def unlistable(exc: OSError) -> None:
        if errors is not None:
            why = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
            errors.append(FileResult(display_name(exc.filename or root), False, f"cannot list directory: {why}"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unlistable):
        dirnames.sort()
        for name in sorted(filenames):
            if fnmatch(name, pattern):
                yield Path(dirpath) / name


def plan(
    inputs: Iterable[str],
    output: Path | None,
    *,
    in_place: bool = False,
    pattern: str = "*.txt",
    stdin_bytes: bytes | None = None,
    to_stdout: bool = False,
) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the user's inputs, plus results for inputs that failed already.

    ``-`` is standard input. A directory needs ``output`` (a tree mirrored
    there) or ``in_place``, unless ``to_stdout`` (every file of the tree goes to
    standard output: a diff, or JSON Lines). With one file input, ``output`` is
    the output file; with several inputs it is a directory.
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
            if output is None and not in_place and not to_stdout:
                failed.append(FileResult(display_name(item), False, "is a directory (give -o OUTDIR or --in-place to clean a tree)"))
                continue
            if output is not None:
                if _is_inside(output, src):
                    raise PlanError(f"{output}: output directory is inside the input tree {src}; choose another place")
                base = output / src.resolve().name if several else output
            for f in walk(src, pattern, failed):
                dst = f if in_place else None if output is None else base / f.relative_to(src)
                jobs.append(Job(f, dst, display_name(f)))
            continue
        if in_place:
            dst = src
        elif output is None:
            dst = None
        else:
            dst = output / src.name if several or output.is_dir() else output
            if dst.exists() and src.exists() and dst.resolve() == src.resolve():
                raise PlanError(f"{dst}: output is the input file; use --in-place to rewrite it")
        jobs.append(Job(src, dst, display_name(item)))
    return jobs, failed


def _is_large(src: Path) -> bool:
    from .large import is_large

    return is_large(file_size(src))


def _clean_large_job(job: Job, config: Config, opts: RunOptions, res: FileResult) -> FileResult:
    """A file too large to hold in memory: cleaned block by block, streamed to its target."""
    import contextlib
    import sys

    from .large import clean_large_file

    with contextlib.ExitStack() as stack:
        if opts.dry_run:
            dst = stack.enter_context(open(os.devnull, "wb"))
        elif job.dst is None:
            dst = sys.stdout.buffer  # runs in the main process: standard output is never sent to workers
        else:
            job.dst.parent.mkdir(parents=True, exist_ok=True)
            dst = job.dst
        big = clean_large_file(job.src, dst, config, encoding=opts.encoding, keep_decisions=opts.keep_decisions,
                               backup_suffix=opts.backup_suffix if job.dst == job.src else None)
    res.warning, res.bytes_in, res.bytes_out = big.warning, big.bytes_in, big.bytes_out
    res.stats, res.notes = big.stats, tuple(big.notes)
    if opts.keep_decisions:
        res.decisions = tuple(big.decisions)
    if job.dst is not None and not opts.dry_run:
        res.dst = str(job.dst)
    return res


def clean_job(job: Job, config: Config, opts: RunOptions) -> FileResult:
    """Clean one job; every failure becomes a FileResult with ``ok=False``."""
    res, output = prepare_job(job, config, opts)
    if output is not None:
        write_output(res, job, output, opts)
    return res


def prepare_job(job: Job, config: Config, opts: RunOptions) -> tuple[FileResult, bytes | None]:
    """Clean one job, up to the output it should write (None: nothing to write); every
    failure becomes a FileResult with ``ok=False``. :func:`write_output` writes it."""
    from .pipeline import run

    res = FileResult(job.label, True)
    try:
        if job.dst is not None and not opts.dry_run and job.dst != job.src:
            if job.dst.exists() and opts.skip_existing:
                res.skipped = True
                return res, None
            if job.dst.exists() and not opts.force:
                raise InputError(f"{job.dst} exists (use --force to overwrite or --skip-existing to keep it)")
        if job.src is not None and not (opts.keep_original or opts.keep_text) and _is_large(job.src):
            return _clean_large_job(job, config, opts, res), None
        data = (job.data or b"") if job.src is None else read_bytes(job.src)
        decoded = decode(data, opts.encoding)
        res.warning = decoded.warning
        res.bytes_in = len(data)
        result = run(decoded.text, config, details=opts.keep_decisions)
        out = encode(result.text)
        res.bytes_out = len(out)
        res.stats = result.stats()
        res.notes, res.layout = result.notes, result.layout
        if opts.keep_decisions:
            res.decisions = result.decisions
        if opts.keep_original:
            res.original = decoded.text
        if job.dst is None or opts.keep_text:
            res.text = result.text
        if job.dst is not None and not opts.dry_run:
            res.dst = str(job.dst)
            if job.dst == job.src and out == data:
                return res, None  # unchanged: leave the file (and its timestamp) alone
            return res, out
    except Exception as exc:
        _fail(res, job, exc)
    return res, None


def write_output(res: FileResult, job: Job, output: bytes, opts: RunOptions) -> None:
    """Write a job's output to its target, atomically; a failure is recorded in ``res``."""
    assert job.dst is not None
    try:
        job.dst.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(job.dst, output, backup_suffix=opts.backup_suffix if job.dst == job.src else None)
    except Exception as exc:
        _fail(res, job, exc)


def _fail(res: FileResult, job: Job, exc: Exception) -> None:
    """Record ``exc`` as the failure of ``job``: a bug must not stop the batch either,
    and is reported with its type."""
    res.ok = False
    if isinstance(exc, InputError):
        res.error = str(exc)
    elif isinstance(exc, OSError):
        res.error = f"{exc.strerror or exc}" + (
            f": {exc.filename}" if exc.filename and str(exc.filename) != job.label else "")
    else:
        res.error = f"internal error: {type(exc).__name__}: {exc}"


class _Inline:
    """The interface of :class:`_Writer`, writing each output at once (for runs where a
    thread would not pay for itself: one job, or no output files)."""

    def __init__(self, opts: RunOptions) -> None:
        self.opts = opts
        self.done: list[FileResult] = []

    def put(self, job: Job, res: FileResult, output: bytes | None) -> None:
        if output is not None:
            write_output(res, job, output, self.opts)
        self.done.append(res)

    def close(self) -> None:
        pass


class _Writer:
    """Writes the jobs' outputs in a thread of its own, in job order, while the next
    page is being cleaned: the wait for the disk (each output is fsynced) overlaps the
    work instead of adding to it. ``done`` holds the results whose output is written
    (or that had none to write), in job order; at most ``depth`` outputs wait."""

    def __init__(self, opts: RunOptions, depth: int = 2) -> None:
        import queue
        import threading

        self.opts = opts
        self.done: list[FileResult] = []
        self._queue: Any = queue.Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="newsclean-writer")
        self._thread.start()

    def put(self, job: Job, res: FileResult, output: bytes | None) -> None:
        self._queue.put((job, res, output))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, res, output = item
            if output is not None:
                write_output(res, job, output, self.opts)
            self.done.append(res)

    def close(self) -> None:
        """Wait until every output put here is written."""
        self._queue.put(None)
        self._thread.join()


def _writer_for(jobs: Sequence[Job], opts: RunOptions) -> "_Writer | _Inline":
    """A writer thread for jobs that write files; none for one job, or none that writes."""
    if len(jobs) == 1 or opts.dry_run or all(job.dst is None for job in jobs):
        return _Inline(opts)
    return _Writer(opts)


# --- Running jobs, in this process or in worker processes ---------------------------

class Interrupted(BaseException):
    """Raised in the main process when SIGTERM asks the run to stop (like Ctrl-C)."""


class WorkerDied(RuntimeError):
    """A worker process ended abruptly while it had this task."""


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    total: int
    done: int
    interrupted: bool = False


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _TermAsInterrupt:
    """While active, SIGTERM in the main process raises :class:`Interrupted`."""

    def __enter__(self) -> "_TermAsInterrupt":
        import signal

        self._old: Any = None
        try:
            self._old = signal.signal(signal.SIGTERM, self._raise)
        except ValueError:  # not the main thread: leave signals alone
            self._old = None
        return self

    @staticmethod
    def _raise(signum: int, frame: object) -> None:
        raise Interrupted()

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)


# Worker-process state, set once per worker by _init_worker (never used in the main process).
_WORKER: dict[str, Any] = {}


def _on_worker_term(signum: int, frame: object) -> None:
    # SIGTERM in a worker: an idle worker ends now; a busy one finishes the item it is
    # writing, returns what it has done, and then ends (see worker_busy).
    if _WORKER.get("busy"):
        _WORKER["exit"] = 128 + signum
    else:
        raise SystemExit(128 + signum)


def _init_worker(stop: Any, init: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    signal.signal(signal.SIGTERM, _on_worker_term)
    _WORKER["stop"] = stop
    _WORKER["busy"] = False
    _WORKER["exit"] = 0
    if init is not None:
        init(*args)


def worker_stopping() -> bool:
    """In a worker: whether the run is being stopped (the task should return early)."""
    stop = _WORKER.get("stop")
    return bool(_WORKER.get("exit")) or (stop is not None and stop.is_set())


class worker_busy:
    """In a worker: while active, SIGTERM waits for the current item to be finished."""

    def __enter__(self) -> None:
        _WORKER["busy"] = True

    def __exit__(self, *exc: object) -> None:
        _WORKER["busy"] = False
        code = _WORKER.get("exit")
        if code:
            # Let the task return (and its result be sent), then end this process.
            import threading

            threading.Timer(1.0, os._exit, (code,)).start()


class _Slot:
    __slots__ = ("task", "future", "suspect", "done", "value")

    def __init__(self, task: Any) -> None:
        self.task = task
        self.future: Any = None
        self.suspect = False
        self.done = False
        self.value: Any = None


class WorkerPool:
    """Worker processes with a bounded number of tasks in flight; every task gets an outcome.

    :meth:`run` yields ``(task, result)`` or ``(task, exception)`` pairs, in task
    order when ``ordered``; only ``window`` tasks are in flight at once, so a
    stream of tasks of any length runs in flat memory. After Ctrl-C or
    SIGTERM, :meth:`stop` tells the workers to finish their current item and
    yields the outcomes of the tasks that were running. A worker that dies
    (killed, out of memory) breaks the pool: the tasks that were in flight are
    run again one at a time in a fresh pool, so that only the task that kills
    its worker is reported (as :class:`WorkerDied`).
    """

    MAX_RESTARTS = 8

    def __init__(self, workers: int, init: Callable[..., None] | None = None, init_args: tuple[Any, ...] = (),
                 window: int | None = None) -> None:
        import multiprocessing

        self.workers = workers
        self.window = window or workers * 3
        self._ctx = multiprocessing.get_context()
        self.stop_event = self._ctx.Event()
        self._init = init
        self._init_args = init_args
        self._restarts = 0
        self._executor = self._new_executor()
        self._slots: list[_Slot] = []  # in submission order, until their outcome is yielded
        self._suspects: list[_Slot] = []

    def _new_executor(self):  # -> concurrent.futures.ProcessPoolExecutor
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx, initializer=_init_worker,
                                   initargs=(self.stop_event, self._init, self._init_args))

    def _start(self, fn: Callable[[Any], Any], slot: _Slot) -> None:
        if self._restarts > self.MAX_RESTARTS:
            slot.done, slot.value = True, WorkerDied("not cleaned: worker processes kept dying")
            return
        slot.future = self._executor.submit(fn, slot.task)

    def _in_flight(self) -> list[Any]:
        return [s.future for s in self._slots if s.future is not None and not s.done]

    def _settle(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        for slot in self._slots:
            fut = slot.future
            if slot.done or fut is None or not fut.done():
                continue
            exc = None if fut.cancelled() else fut.exception()
            if isinstance(exc, BrokenProcessPool):
                if not slot.suspect and not self.stop_event.is_set():
                    slot.suspect, slot.future = True, None
                    self._suspects.append(slot)
                    continue
                exc = WorkerDied("a worker process died while cleaning this (killed or out of memory?)")
            slot.done = True
            slot.value = exc if exc is not None else fut.result()
        if getattr(self._executor, "_broken", False) and not self.stop_event.is_set():
            self._executor.shutdown(wait=False)
            self._restarts += 1
            self._executor = self._new_executor()

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any], *, ordered: bool = False,
            on_started: Callable[[], None] | None = None) -> Iterator[tuple[Any, Any]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        it = iter(tasks)
        exhausted = False

        def fill() -> None:
            nonlocal exhausted
            while not exhausted and len(self._slots) < self.window:
                task = next(it, _END)
                if task is _END:
                    exhausted = True
                    return
                slot = _Slot(task)
                self._slots.append(slot)
                self._start(fn, slot)

        fill()
        if on_started is not None:
            on_started()  # the workers exist now: threads may be started safely
        while self._slots:
            if self.stop_event.is_set():
                raise Interrupted()  # a worker was asked to stop
            self._settle()
            while self._slots and (self._slots[0].done or not ordered):
                ready = [s for s in self._slots if s.done] if not ordered else [self._slots[0]]
                if not ready:
                    break
                for slot in ready:
                    self._slots.remove(slot)
                    yield slot.task, slot.value
            if self._suspects:
                if not self._in_flight():  # suspects run alone, one at a time
                    self._start(fn, self._suspects.pop(0))
            else:
                fill()
            running = self._in_flight()
            if running:
                wait(running, return_when=FIRST_COMPLETED)

    def stop(self) -> Iterator[tuple[Any, Any]]:
        """Stop: no new task starts; yields the outcomes of the tasks that were running."""
        from concurrent.futures import wait

        self.stop_event.set()
        for slot in self._slots:
            if slot.future is not None and not slot.done:
                slot.future.cancel()
        try:
            wait(self._in_flight())
        except (KeyboardInterrupt, Interrupted):  # asked twice: do not wait any longer
            self._slots.clear()
            return
        slots, self._slots = self._slots, []
        for slot in slots:
            fut = slot.future
            if slot.done:
                yield slot.task, slot.value
            elif fut is not None and not fut.cancelled() and fut.exception() is None:
                yield slot.task, fut.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


_END = object()


def _init_clean_worker(config: Config, opts: RunOptions) -> None:
    _WORKER["config"] = config
    _WORKER["opts"] = opts


def _clean_chunk(jobs: Sequence[Job]) -> list[FileResult]:
    """In a worker: clean a chunk of jobs (outputs written by a writer thread while the
    next page is cleaned); stops early when the run is being stopped."""
    config, opts = _WORKER["config"], _WORKER["opts"]
    with worker_busy():
        writer = _writer_for(jobs, opts)
        try:
            for job in jobs:
                if worker_stopping():
                    break
                writer.put(job, *prepare_job(job, config, opts))
        finally:
            writer.close()
    return writer.done


def chunk_size(n_jobs: int, workers: int) -> int:
    """Jobs per task: a few dozen files, fewer when there are few (so every worker gets work)."""
    return max(1, min(32, n_jobs // (workers * 8) or 1))


def run_jobs(
    jobs: Sequence[Job],
    config: Config,
    opts: RunOptions,
    on_result: Callable[[FileResult], None],
    *,
    workers: int = 1,
    on_started: Callable[[], None] | None = None,
) -> BatchOutcome:
    """Clean every job, calling ``on_result`` (in this process) once per job done.

    With ``workers > 1`` and more than one job, jobs run in worker processes in
    chunks, and results arrive in the order they finish. Ctrl-C (KeyboardInterrupt)
    or SIGTERM stops the run: files being written are finished (writes are
    atomic, so every output is complete), no new file is started, and the
    outcome says how many jobs were done. ``on_started`` is called once the
    workers exist (start progress threads there, not before).
    """
    total = len(jobs)
    done = 0
    workers = max(1, min(workers, total))
    with _TermAsInterrupt():
        if workers == 1:
            if on_started is not None:
                on_started()
            # Outputs are written by a writer thread while the next page is cleaned; a
            # result is reported once its output is written. After Ctrl-C or SIGTERM the
            # outputs already cleaned are written (each is complete) and reported.
            writer = _writer_for(jobs, opts)
            interrupted = False
            try:
                for job in jobs:
                    writer.put(job, *prepare_job(job, config, opts))
                    while done < len(writer.done):
                        done += 1
                        on_result(writer.done[done - 1])
            except (KeyboardInterrupt, Interrupted):
                interrupted = True
            finally:
                writer.close()
            while done < len(writer.done):
                done += 1
                on_result(writer.done[done - 1])
            return BatchOutcome(total, done, interrupted)

        size = chunk_size(total, workers)
        chunks = [list(jobs[i:i + size]) for i in range(0, total, size)]
        pool = WorkerPool(workers, _init_clean_worker, (config, opts))
        interrupted = False
        try:
            try:
                for chunk, outcome in pool.run(_clean_chunk, chunks, on_started=on_started):
                    for res in _chunk_results(chunk, outcome):
                        done += 1
                        on_result(res)
            except (KeyboardInterrupt, Interrupted):
                interrupted = True
                for chunk, outcome in pool.stop():
                    for res in _chunk_results(chunk, outcome):
                        done += 1
                        on_result(res)
        finally:
            pool.close()
        return BatchOutcome(total, done, interrupted)


def _chunk_results(chunk: Sequence[Job], outcome: Any) -> list[FileResult]:
    if isinstance(outcome, BaseException):
        message = str(outcome) if isinstance(outcome, WorkerDied) else f"internal error: {type(outcome).__name__}: {outcome}"
        return [FileResult(job.label, False, message) for job in chunk]
    return list(outcome)
