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
from .io import (
    BackupExists, InputError, OutputError, backup_path, decode, display_name, encode, is_stream, make_parent,
    open_input, write_atomic,
)
from .layout import Layout
from .model import Decision
from .targets import TargetError, Written, check


class PlanError(Exception):
    """An input or output layout that cannot be run; the message names the path."""


@dataclass(frozen=True, slots=True)
class Job:
    src: Path | None  # None: standard input (``data`` holds the bytes)
    dst: Path | None  # None: standard output
    label: str
    data: bytes | None = None  # the bytes, when they are read already (standard input, a pipe read once)
    named: bool = True  # named as an input (a named pipe is read); False: found in a tree (pipes skipped)


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
    head: tuple[tuple[str, str], ...] = ()  # the article's head lines and their roles
    stats: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    dst: str = ""
    gave_up: dict[str, str] = field(default_factory=dict)  # user rules that ran out of time: code -> warning


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
    output_is_dir: bool = False,
    backup_suffix: str | None = None,
    also_read: Iterable[tuple[str, Path]] = (),
    also_written: Iterable[Written] = (),
) -> tuple[list[Job], list[FileResult]]:
    """Jobs for the user's inputs, plus results for inputs that failed already.

    ``-`` is standard input. A directory needs ``output`` (a tree mirrored
    there) or ``in_place``, unless ``to_stdout`` (every file of the tree goes to
    standard output: a diff, or JSON Lines). With one file input, ``output`` is
    the output file (unless ``output_is_dir``: a name ending in a slash); with
    several inputs it is a directory. Every output path is planned before
    anything is written: an output that two inputs share, or that is an input (a
    page, or a file in ``also_read``), is a :class:`PlanError`; so are backups and
    ``also_written`` paths that would overwrite an input. An input named twice is
    cleaned once.
    """
    items = list(inputs)
    jobs: list[Job] = []
    failed: list[FileResult] = []
    if not items:
        items = ["-"]
    several = len(items) > 1
    to_dir = several or output_is_dir or any(Path(i).is_dir() for i in items if i != "-")
    if output is not None and to_dir and (output.exists() or output.is_symlink()) and not output.is_dir():
        raise PlanError(f"{display_name(output)}: exists and is not a directory (needed for several inputs, "
                        "a directory or a name ending in /)")
    for item in items:
        if item == "-":
            if in_place:
                raise PlanError("-: cannot rewrite standard input in place")
            dst = None
            if output is not None:
                dst = output / "stdin.txt" if to_dir else output
            jobs.append(Job(None, dst, "<stdin>", stdin_bytes or b""))
            continue
        src = Path(item)
        if src.is_dir():
            if output is None and not in_place and not to_stdout:
                failed.append(FileResult(display_name(item), False, "is a directory (give -o OUTDIR or --in-place to clean a tree)"))
                continue
            if output is not None:
                if _is_inside(output, src):
                    raise PlanError(f"{display_name(output)}: output directory is inside the input tree "
                                    f"{display_name(src)}; choose another place")
                base = output / src.resolve().name if several else output
            for f in walk(src, pattern, failed):
                dst = f if in_place else None if output is None else base / f.relative_to(src)
                jobs.append(Job(f, dst, display_name(f), named=False))
            continue
        if in_place:
            if _is_pipe(src):
                failed.append(FileResult(display_name(item), False, "is a named pipe; it cannot be rewritten in place"))
                continue
            dst = src
        elif output is None:
            dst = None
        else:
            dst = output / src.name if to_dir or output.is_dir() else output
        jobs.append(Job(src, dst, display_name(item)))
    return _checked(jobs, in_place, backup_suffix, also_read, also_written), failed


def _is_pipe(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISFIFO(path.stat().st_mode)
    except OSError:
        return False


def _checked(jobs: list[Job], in_place: bool, backup_suffix: str | None, also_read: Iterable[tuple[str, Path]],
             also_written: Iterable[Written]) -> list[Job]:
    """``jobs`` without repeats, once no output collides with another or with an input."""
    read = [(job.label, job.src) for job in jobs if job.src is not None] + list(also_read)
    writing = [job for job in jobs if job.dst is not None]
    written = [Written(job.dst, job.label, "output", job.src, in_place) for job in writing if job.dst is not None]
    if in_place and backup_suffix:
        written += [Written(backup_path(job.dst, backup_suffix), job.label, "backup", job.src)
                    for job in writing if job.dst is not None]
    written += list(also_written)
    try:
        repeated = check(read, written)
    except TargetError as exc:
        raise PlanError(str(exc)) from None
    drop = {id(writing[n]) for n in repeated if n < len(writing)}
    return [job for job in jobs if id(job) not in drop] if drop else jobs


def _clean_large_job(job: Job, config: Config, opts: RunOptions, res: FileResult) -> FileResult:
    """A file too large to hold in memory: cleaned block by block, streamed to its target."""
    import contextlib
    import sys

    from .large import clean_large_file

    assert job.src is not None
    with contextlib.ExitStack() as stack:
        if opts.dry_run:
            dst = stack.enter_context(open(os.devnull, "wb"))
        elif job.dst is None:
            dst = sys.stdout.buffer  # runs in the main process: standard output is never sent to workers
        else:
            make_parent(job.dst)
            dst = job.dst
        big = clean_large_file(job.src, dst, config, encoding=opts.encoding, keep_decisions=opts.keep_decisions,
                               backup_suffix=opts.backup_suffix if job.dst == job.src else None)
    res.warning, res.bytes_in, res.bytes_out = _join(res.warning, big.warning), big.bytes_in, big.bytes_out
    res.stats, res.notes = big.stats, tuple(big.notes)
    res.gave_up = config.compiled().matcher.take_gave_up()
    if opts.keep_decisions:
        res.decisions = tuple(big.decisions)
    if job.dst is not None and not opts.dry_run:
        res.dst = str(job.dst)
    return res


def _join(*warnings: str) -> str:
    return "; ".join(w for w in warnings if w)


def _check_target(job: Job, opts: RunOptions, res: FileResult) -> bool:
    """Check a job's output before it is cleaned; True when it is to be skipped.

    An existing output needs ``--force`` (a device or a named pipe is written to,
    never replaced, and needs none); an in-place rewrite keeps an existing backup
    and says so, and warns that other hard links keep the old text."""
    assert job.dst is not None
    if job.dst == job.src:
        if opts.backup_suffix:
            backup = backup_path(job.dst, opts.backup_suffix)
            if backup.exists() or backup.is_symlink():
                raise BackupExists(f"backup {display_name(backup)} exists and is kept; not rewritten")
        try:
            links = job.dst.stat().st_nlink
        except OSError:
            links = 1
        if links > 1:
            others = "the other link keeps" if links == 2 else f"the other {links - 1} links keep"
            res.warning = _join(res.warning, f"has {links} hard links; rewritten as a new file, so {others} the old text")
        return False
    if is_stream(job.dst):
        return False
    if job.dst.exists() and opts.skip_existing:
        res.skipped = True
        return True
    if job.dst.exists() and not opts.force:
        raise InputError(f"{display_name(job.dst)} exists (use --force to overwrite or --skip-existing to keep it)")
    return False


def _read(job: Job, opts: RunOptions) -> bytes | None:
    """The bytes of a job's input; None when it is a file to clean block by block from disk."""
    import stat

    from .large import is_large

    if job.data is not None or job.src is None:
        return job.data or b""
    with open_input(job.src, pipe_ok=job.named) as fh:
        st = os.fstat(fh.fileno())
        if stat.S_ISREG(st.st_mode) and not (opts.keep_original or opts.keep_text) and is_large(st.st_size):
            return None
        try:
            return fh.read()
        except OSError as exc:
            raise InputError((exc.strerror or str(exc)).rstrip(".")) from None
        except MemoryError:
            raise InputError("too large to read into memory") from None


def learn_from_jobs(jobs: Sequence[Job], encoding: str | None = None) -> tuple[Any, list[Job]]:
    """The first pass of ``--learn-repeats``: count lines across every readable input.

    Returns the :class:`~newsclean.repeats.RepeatTables` learned and the jobs to
    clean: an input that can be read only once (a named pipe) keeps its bytes in
    its job. Inputs that cannot be read are left to the cleaning pass to report;
    files too large to be pages are not counted.
    """
    import stat

    from .large import is_large
    from .repeats import RepeatLearner

    learner = RepeatLearner()
    out: list[Job] = []
    for job in jobs:
        data: bytes | None = None
        try:
            if job.data is not None or job.src is None:
                data = job.data or b""
            else:
                with open_input(job.src, pipe_ok=job.named) as fh:
                    st = os.fstat(fh.fileno())
                    if not (stat.S_ISREG(st.st_mode) and is_large(st.st_size)):
                        data = fh.read()
                    if stat.S_ISFIFO(st.st_mode):
                        job = Job(job.src, job.dst, job.label, data, job.named)
            if data is not None:
                learner.add(decode(data, encoding).text)
        except (InputError, OSError, MemoryError):
            pass  # the cleaning pass reports it
        out.append(job)
    return learner.tables(), out


def clean_job(job: Job, config: Config, opts: RunOptions) -> FileResult:
    """Clean one job; every failure becomes a FileResult with ``ok=False``."""
    res, output = prepare_job(job, config, opts)
    if output is not None:
        write_output(res, job, output, opts)
    return res


def prepare_job(job: Job, config: Config, opts: RunOptions) -> tuple[FileResult, bytes | None]:
    """Clean one job, up to the output it should write (None: nothing to write); every
    failure becomes a FileResult with ``ok=False``. :func:`write_output` writes it."""
    from .large import clean_page

    res = FileResult(job.label, True)
    try:
        if job.dst is not None and not opts.dry_run and _check_target(job, opts, res):
            return res, None
        data = _read(job, opts)
        if data is None:
            return _clean_large_job(job, config, opts, res), None
        decoded = decode(data, opts.encoding)
        res.warning = _join(decoded.warning, res.warning)
        res.bytes_in = len(data)
        text, res.stats, res.notes, decisions, res.layout, res.head = clean_page(decoded.text, config, opts.keep_decisions)
        res.gave_up = config.compiled().matcher.take_gave_up()
        out = encode(text)
        res.bytes_out = len(out)
        if opts.keep_decisions:
            res.decisions = decisions
        if opts.keep_original:
            res.original = decoded.text
        if job.dst is None or opts.keep_text:
            res.text = text
        if job.dst is not None and not opts.dry_run:
            res.dst = str(job.dst)
            if job.dst == job.src and out == data:
                return res, None  # unchanged: leave the file (and its timestamp) alone
            return res, out
    except BrokenPipeError as exc:
        if job.dst is None:
            raise  # standard output was closed: the run ends (quietly)
        _fail(res, job, exc)
    except Exception as exc:
        _fail(res, job, exc)
    return res, None


def write_output(res: FileResult, job: Job, output: bytes, opts: RunOptions) -> None:
    """Write a job's output to its target, atomically; a failure is recorded in ``res``."""
    assert job.dst is not None
    try:
        make_parent(job.dst)
        write_atomic(job.dst, output, backup_suffix=opts.backup_suffix if job.dst == job.src else None)
    except Exception as exc:
        _fail(res, job, exc)


def _fail(res: FileResult, job: Job, exc: Exception) -> None:
    """Record ``exc`` as the failure of ``job``: a bug must not stop the batch either,
    and is reported with its type."""
    res.ok = False
    if isinstance(exc, (InputError, OutputError)):
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


# How often a worker checks that the main process is still there.
PARENT_CHECK_SECONDS = 0.25
# How long a worker whose main process is gone may take to finish the item it is writing.
ORPHAN_GRACE_SECONDS = 10.0


def _main_is_gone(main: int, parent: int) -> bool:
    """Whether the main process ``main`` has ended (a worker's parent changes when its
    parent dies; a process killed with SIGKILL cannot stop its workers itself)."""
    if os.getppid() != parent:
        return True
    try:
        os.kill(main, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # it exists (signals are not ours to send)
    return False


def _watch_main(main: int, parent: int) -> None:
    """In a worker, on a thread of its own: once the main process is gone, finish the item
    being written (at most :data:`ORPHAN_GRACE_SECONDS`) and end this process."""
    import time

    while not _main_is_gone(main, parent):
        time.sleep(PARENT_CHECK_SECONDS)
    _WORKER["exit"] = 1  # worker_stopping() is now true: no new item is started
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while _WORKER.get("busy") and time.monotonic() < deadline:
        time.sleep(0.05)
    os._exit(1)


def _init_worker(stop: Any, main: int, init: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the main process
    signal.signal(signal.SIGTERM, _on_worker_term)
    _WORKER["stop"] = stop
    _WORKER["busy"] = False
    _WORKER["exit"] = 0
    threading.Thread(target=_watch_main, args=(main, os.getppid()), name="newsclean-watch-main", daemon=True).start()
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
                                   initargs=(self.stop_event, os.getpid(), self._init, self._init_args))

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
