"""Where a run writes, checked before anything is written.

Every path a run writes (cleaned files, ``--backup`` copies, a saved repeats
table, a JSONL output) is compared with every path it reads (pages, rule files,
repeats tables) and with every other path it writes, by the real file each
names (symbolic links followed). A run that would write one file twice, or
write over anything it reads, is refused as a whole, ``--force`` or not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .io import display_name


class TargetError(Exception):
    """A run whose outputs collide with each other or with its inputs; the message names both."""


@dataclass(frozen=True, slots=True)
class Written:
    """One path a run writes, for ``source`` (a label); ``what`` says how."""

    path: Path
    source: str
    what: str = "output"  # "output", "backup" or a name such as "--save-repeats file"
    source_path: Path | None = None  # the input file it is made from (None: standard input, or none)
    in_place: bool = False  # it rewrites ``source_path`` itself


class RealPaths:
    """Real paths (symbolic links followed), each directory resolved only once."""

    def __init__(self) -> None:
        self._dirs: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        name = path.name
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.normcase(os.path.realpath(path))
        parent = str(path.parent)
        real = self._dirs.get(parent)
        if real is None:
            real = self._dirs[parent] = os.path.realpath(parent)
        return os.path.normcase(os.path.join(real, name))


def check(read: Iterable[tuple[str, Path]], written: Iterable[Written]) -> set[int]:
    """Refuse (:class:`TargetError`) any written path that is read, or written twice.

    ``read`` holds ``(label, path)`` pairs. An output that rewrites its own input
    (``in_place``) may be that input. Returns the indexes of ``written`` entries
    that repeat an earlier one (the same input named twice): the caller drops them.
    """
    real = RealPaths()
    inputs: dict[str, str] = {}
    for label, path in read:
        inputs.setdefault(real(path), label)
    seen: dict[str, tuple[Written, str | None]] = {}
    repeated: set[int] = set()
    for n, w in enumerate(written):
        target = real(w.path)
        source = real(w.source_path) if w.source_path is not None else None
        if target in inputs and not (w.in_place and target == source):
            if w.what == "output" and target == source:
                raise TargetError(f"{display_name(w.path)}: output is the input file; use --in-place to rewrite it")
            raise TargetError(f"{display_name(w.path)}: {_role(w)} would overwrite the input {inputs[target]}; "
                              "nothing was written")
        earlier = seen.get(target)
        if earlier is not None:
            if source is not None and earlier[1] == source and earlier[0].what == w.what:
                repeated.add(n)
                continue
            raise TargetError(f"{display_name(w.path)}: {_role(earlier[0])} and {_role(w)} would both be written "
                              "there; nothing was written")
        seen[target] = (w, source)
    return repeated


def _role(w: Written) -> str:
    if w.what == "output":
        return f"the output of {w.source}"
    if w.what == "backup":
        return f"the backup of {w.source} (choose another --backup suffix)"
    return f"the {w.what}"
