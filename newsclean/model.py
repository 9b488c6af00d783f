"""Small immutable records shared by every part of newsclean."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from .layout import Layout


@dataclass(frozen=True, slots=True)
class Decision:
    """One removed unit (a line, or a block of the page's layout): where it was, what it
    said, and which rule removed it.

    ``lineno`` is 1-based in the input text. A unit of several lines (a wrapped
    paragraph, a Markdown block) ends at ``end_lineno`` (0 when it is one line); a
    segment of a glued line covers the ``columns`` (1-based, inclusive) of its line.
    ``line`` is the unit's text as the rules read it. ``stage`` is the name of the
    pipeline pass that made the decision; ``detail`` is an optional human-readable
    reason (for example "repeated in 41 of 50 documents").
    """

    lineno: int
    line: str
    code: str
    name: str
    stage: str
    detail: str = ""
    end_lineno: int = 0
    columns: "tuple[int, int] | None" = None

    def shifted(self, lines: int) -> "Decision":
        """The same decision, ``lines`` lines further down (a block of a larger file)."""
        return replace(self, lineno=self.lineno + lines, end_lineno=self.end_lineno + lines if self.end_lineno else 0)

    @property
    def where(self) -> str:
        """The place in the input: ``6``, ``6-8`` (lines), ``6:12-40`` (columns of line 6) or
        ``6-8:12-40`` (a column of a table, from line 6 to 8)."""
        if self.columns is not None:
            lines = f"{self.lineno}-{self.end_lineno}" if self.end_lineno else str(self.lineno)
            return f"{lines}:{self.columns[0]}-{self.columns[1]}"
        return f"{self.lineno}-{self.end_lineno}" if self.end_lineno else str(self.lineno)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "line": self.lineno,
            "text": self.line,
            "code": self.code,
            "rule": self.name,
            "stage": self.stage,
        }
        if self.detail:
            d["detail"] = self.detail
        if self.end_lineno:
            d["end_line"] = self.end_lineno
        if self.columns is not None:
            d["columns"] = list(self.columns)
        return d


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of cleaning one text.

    ``text`` is the cleaned article; ``decisions`` holds one :class:`Decision` per
    removed line, in line order; ``notes`` carries page-level remarks (for example
    that the safety valve kept a conservative result); ``language`` is the guessed
    language code, when one was guessed; ``layout`` is the layout the page was read
    in (see :mod:`newsclean.layout`); ``head`` the lines of the article's head with
    their roles (see :mod:`newsclean.article`).
    """

    text: str
    decisions: tuple[Decision, ...]
    lines_in: int
    notes: tuple[str, ...] = ()
    language: str | None = None
    newline: str = field(default="\n")
    layout: Layout = field(default_factory=Layout)
    # the input lines (1-based) that hold nothing kept, when units are not lines
    removed_lines: "frozenset[int] | None" = None
    # the article's head as the structure pass found it, in order: (role, text) pairs, the
    # role "headline", "dek", "byline" or "date" (see :mod:`newsclean.article`)
    head: tuple[tuple[str, str], ...] = ()

    @property
    def removed_linenos(self) -> frozenset[int]:
        """The input lines (1-based) the cleaning removed (for a layout of units: that hold
        nothing kept)."""
        if self.removed_lines is not None:
            return self.removed_lines
        return frozenset(d.lineno for d in self.decisions)

    def stats(self) -> Counter[str]:
        """Lines removed per rule code; counters from many results add up."""
        return Counter(d.code for d in self.decisions)
