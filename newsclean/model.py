"""Small immutable records shared by every part of newsclean."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Decision:
    """One removed line: where it was, what it said, and which rule removed it.

    ``lineno`` is 1-based in the input text. ``stage`` is the name of the pipeline
    pass that made the decision; ``detail`` is an optional human-readable reason
    (for example "repeated in 41 of 50 documents").
    """

    lineno: int
    line: str
    code: str
    name: str
    stage: str
    detail: str = ""

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
        return d


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of cleaning one text.

    ``text`` is the cleaned article; ``decisions`` holds one :class:`Decision` per
    removed line, in line order; ``notes`` carries page-level remarks (for example
    that the safety valve kept a conservative result); ``language`` is the guessed
    language code, when one was guessed.
    """

    text: str
    decisions: tuple[Decision, ...]
    lines_in: int
    notes: tuple[str, ...] = ()
    language: str | None = None
    newline: str = field(default="\n")

    @property
    def removed_linenos(self) -> frozenset[int]:
        return frozenset(d.lineno for d in self.decisions)

    def stats(self) -> Counter[str]:
        """Lines removed per rule code; counters from many results add up."""
        return Counter(d.code for d in self.decisions)
