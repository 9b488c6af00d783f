"""The one code path: split a page into lines, run the passes in order, assemble.

Every pass sees the same :class:`Page` and removes lines only through
:meth:`Page.drop`, which records a :class:`~newsclean.model.Decision` with the
rule's code and the pass's name. A rule that is not selected never removes
anything. ``clean()`` is ``clean_and_explain().text``.
"""

from __future__ import annotations

import re
from typing import Callable

from .config import DEFAULT, CompiledConfig, Config
from .model import Decision, Result
from .repeats import RepeatTable
from .rules import _DECOR, _QUOTES, line_key
from .settings import Settings

_NEWLINE = re.compile(r"\r\n|\r|\n")


class Page:
    """The working state of one text while the passes run (private to a run)."""

    __slots__ = ("lines", "keys", "nwords", "removed", "notes", "compiled", "settings", "language", "repeats", "_rules",
                 "_blank")

    def __init__(self, lines: list[str], compiled: CompiledConfig, settings: Settings,
                 repeats: RepeatTable | None = None) -> None:
        self.lines = lines
        self.keys = line_keys(lines)
        self.nwords = [k.count(" ") + 1 if k else 0 for k in self.keys]  # keys have single spaces
        self._blank = [not k and not x.strip() for k, x in zip(self.keys, lines)]
        self.removed: list[Decision | None] = [None] * len(lines)
        self.notes: list[str] = []
        self.compiled = compiled
        self.settings = settings
        self.language: str | None = None
        self.repeats = repeats
        self._rules = compiled.by_code

    def enabled(self, code: str) -> bool:
        return code in self._rules

    def is_blank(self, i: int) -> bool:
        return self._blank[i]

    def is_kept(self, i: int) -> bool:
        return self.removed[i] is None and not self._blank[i]

    def kept(self) -> list[int]:
        """Indices of the non-blank lines no pass has removed yet."""
        blank = self._blank
        return [i for i, d in enumerate(self.removed) if d is None and not blank[i]]

    def drop(self, i: int, code: str, stage: str, detail: str = "") -> bool:
        """Remove line ``i`` by rule ``code``; False if the rule is off or the line is gone."""
        rule = self._rules.get(code)
        if rule is None or self.removed[i] is not None or self._blank[i]:
            return False
        self.removed[i] = Decision(i + 1, self.lines[i], code, rule.name, stage, detail)
        return True

    def undo(self, stage: str) -> int:
        """Withdraw every decision of one pass (used by the safety valve)."""
        n = 0
        for i, d in enumerate(self.removed):
            if d is not None and d.stage == stage:
                self.removed[i] = None
                n += 1
        return n


Pass = Callable[[Page], None]


# the quotes line_key makes straight; no replacement is itself replaced
_QUOTE_PAIRS = tuple((chr(a), b) for a, b in _QUOTES.items())
assert not any(b in dict(_QUOTE_PAIRS) for _, b in _QUOTE_PAIRS)


def line_keys(lines: list[str]) -> list[str]:
    """``[line_key(x) for x in lines]``, faster: an ASCII line needs its quotes made
    straight only if it holds a backtick (the case of the quotes does not change,
    so lowering first is the same), and the others by ``str.replace``."""
    decor = _DECOR
    keys = [" ".join(x.split()).strip(decor).lower() for x in lines]
    for i, k in enumerate(keys):
        if not k.isascii() or "`" in k:
            for a, b in _QUOTE_PAIRS:  # str.translate is slow on non-ASCII text
                if a in k:
                    k = k.replace(a, b)
            keys[i] = k
    return keys


def _passes() -> tuple[tuple[str, Pass], ...]:
    from .passes import PASSES

    return PASSES


def split_lines(text: str) -> tuple[list[str], str]:
    """Lines without their breaks, and the newline the output should use.

    ``\\r\\n``, lone ``\\r`` and ``\\n`` all end a line; the output keeps CRLF when
    the input's first line break is CRLF, and uses ``\\n`` otherwise.
    """
    first = _NEWLINE.search(text)
    newline = "\r\n" if first is not None and first.group() == "\r\n" else "\n"
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines, newline


def assemble(page: Page, newline: str = "\n") -> str:
    """Kept lines in order, trailing spaces stripped; each removed gap at most one blank line."""
    out: list[str] = []
    pending_blanks = 0
    gap_removed = False
    blank = page._blank
    for i, line in enumerate(page.lines):
        if page.removed[i] is not None:
            gap_removed = True
        elif blank[i]:
            pending_blanks += 1
        else:
            if out:
                blanks = min(pending_blanks, 1) if gap_removed else pending_blanks
                out.extend([""] * blanks)
            out.append(line.rstrip())
            pending_blanks = 0
            gap_removed = False
    return newline.join(out) + newline if out else ""


def replay(text: str, removed: "set[int] | frozenset[int]") -> str:
    """The output of removing exactly the lines numbered ``removed`` (1-based) from
    ``text``: what a Result's decisions say, applied again. ``replay(text,
    result.removed_linenos) == result.text`` for every result."""
    lines, newline = split_lines(text)
    page = Page(lines, DEFAULT.compiled(), DEFAULT.settings)
    for n in removed:
        page.removed[n - 1] = Decision(n, lines[n - 1], "", "", "replay")
    return assemble(page, newline)


def run(text: str, config: Config | None = None) -> Result:
    cfg = config or DEFAULT
    compiled = cfg.compiled()
    lines, newline = split_lines(text)
    page = Page(lines, compiled, cfg.settings, cfg.repeats)
    for _name, fn in _passes():
        fn(page)
    decisions = tuple(d for d in page.removed if d is not None)
    return Result(
        text=assemble(page, newline), decisions=decisions, lines_in=len(lines),
        notes=tuple(page.notes), language=page.language, newline=newline,
    )
