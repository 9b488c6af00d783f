"""Progress while a batch runs, and the summary after it (both on stderr).

The progress bar is rich's, shown only on a terminal; ``rich`` is imported only
when a bar is shown. :func:`summary` is plain text, one short paragraph.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import IO, Any

from .rules import Catalog


class NoProgress:
    """Progress that shows nothing (not a terminal, ``--no-progress``, ``-q``)."""

    def start(self) -> None:
        pass

    def advance(self, items: int = 1, nbytes: int = 0) -> None:
        pass

    def set_bytes(self, nbytes: int) -> None:
        pass

    def stop(self) -> None:
        pass


class BarProgress(NoProgress):
    """A rich progress bar: items done (of how many), MB, items per second, time left.

    ``total_bytes`` drives the bar and the time left; ``total_items`` may be None
    (a stream of records of unknown length).
    """

    def __init__(self, stream: IO[str], description: str, unit: str, total_items: int | None,
                 total_bytes: int | None) -> None:
        self.stream = stream
        self.description = description
        self.unit = unit
        self.total_items = total_items
        self.total_bytes = total_bytes
        self.items = 0
        self.nbytes = 0
        self._progress: Any = None
        self._task: Any = None
        self._t0 = time.monotonic()
        self._last = 0.0

    def start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        console = Console(file=self.stream, force_terminal=True)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(),
            TextColumn("{task.fields[items]}"), TextColumn("{task.fields[mb]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
            console=console, transient=True, refresh_per_second=8,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.description, total=self.total_bytes or None, **self._fields())
        self._t0 = time.monotonic()

    def _fields(self) -> dict[str, str]:
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        of = f"/{self.total_items}" if self.total_items is not None else ""
        size_of = f" of {size_text(self.total_bytes)}" if self.total_bytes else ""
        return {"items": f"{self.items}{of} {self.unit}", "mb": f"{size_text(self.nbytes)}{size_of}",
                "rate": f"{self.items / elapsed:.0f} {self.unit}/s"}

    def advance(self, items: int = 1, nbytes: int = 0) -> None:
        self.items += items
        self.nbytes += nbytes
        self._update()

    def set_bytes(self, nbytes: int) -> None:
        self.nbytes = nbytes
        self._update()

    def _update(self) -> None:
        now = time.monotonic()
        if self._progress is None or now - self._last < 0.05:
            return
        self._last = now
        self._progress.update(self._task, completed=self.nbytes, **self._fields())

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def make_progress(stream: IO[str], enabled: bool, description: str, unit: str,
                  total_items: int | None, total_bytes: int | None) -> NoProgress:
    """A bar when ``enabled`` and ``stream`` is a terminal, otherwise nothing."""
    isatty = getattr(stream, "isatty", None)
    if not enabled or not (isatty and isatty()):
        return NoProgress()
    return BarProgress(stream, description, unit, total_items, total_bytes)


def by_group(counts: Counter[str], catalog: Catalog) -> Counter[str]:
    """Lines removed per rule group (rule codes that the catalog does not know count as '?')."""
    groups: Counter[str] = Counter()
    for code, n in counts.items():
        rule = catalog.by_code(code)
        groups[rule.group if rule else "?"] += n
    return groups


def size_text(nbytes: int) -> str:
    """A size a person reads at a glance: ``512 bytes``, ``3.4 KB``, ``12.0 MB``, ``1.50 GB``."""
    if nbytes < 1000:
        return f"{nbytes} byte{'s' if nbytes != 1 else ''}"
    for unit, scale in (("KB", 1e3), ("MB", 1e6)):
        if nbytes < scale * 1000:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes / 1e9:.2f} GB"


def summary(*, unit: str, done: int, total: int | None, failed: int, failed_label: str = "failed", skipped: int = 0,
            bytes_in: int, bytes_out: int, removed: Counter[str], catalog: Catalog, seconds: float,
            interrupted: bool = False) -> str:
    """The closing lines of a batch: counts, sizes, lines removed by group, failures."""
    cleaned = done - failed - skipped
    head = f"newsclean: {cleaned} {unit} cleaned"
    extra = [f"{n} {what}" for n, what in ((skipped, "skipped (output exists)"), (failed, failed_label)) if n]
    if extra:
        head += ", " + ", ".join(extra)
    rate = done / seconds if seconds > 0 else 0.0
    head += f"; {size_text(bytes_in)} in, {size_text(bytes_out)} out, {seconds:.1f} s ({rate:.0f} {unit}/s)"
    lines = [head]
    groups = by_group(removed, catalog)
    total_removed = sum(groups.values())
    if total_removed:
        parts = ", ".join(f"{g} {n}" for g, n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"newsclean: {total_removed} lines removed: {parts}")
    else:
        lines.append("newsclean: no lines removed")
    if interrupted:
        of = f" of {total}" if total is not None else ""
        lines.append(f"newsclean: interrupted: {done}{of} {unit} done")
    return "\n".join(lines) + "\n"
