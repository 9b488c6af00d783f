"""Glued lines cut into segments: at separators, sentence ends and words run together."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .units import Units

# Where a glued line holds the end of one block and the start of the next.
_GLUE_SOURCE = (
    # a separator between items: "Home | News", "Sport » Football", "a • b" (the white space
    # before it is taken from its start only: a long run of spaces is read once, not once a space)
    r"(?<!\s)\s*+(?:\||•|»|·|›)\s*+"
    # a sentence's end, with or without a space, before a capital or an opening quote
    r"|(?<=[.!?])(?<![A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Nr|No|vs|ca|Mt|Co)\.)(?<!\b(?:Mrs|Gen|Gov|Sen|Rep|Col|Sgt|Inc|Ltd|bzw|usw|etc)\.)"
    r"(?<!\b(?:Prof|Capt|Corp)\.)[\"'”’)\]]*+\s*+(?=[\"“‘]?\p{Lu})"
    # a lower-case word run into a capitalised one ("HomeNews"); three lower-case letters before
    # the capital, so "McDonald" and "iPhone" stay whole
    r"|(?<=\p{Ll}{3})(?=\p{Lu}\p{Ll})"
    # a year or a number, or a word in capitals, run into a capitalised word ("2025Facebook",
    # "on XShare"; "NASAScientists")
    r"|(?<=\p{Nd}\p{Nd})(?=\p{Lu}\p{Ll}{2})|(?<=\p{Lu})(?=\p{Lu}\p{Ll}{2})"
)


@lru_cache(maxsize=1)
def _glue_split() -> Any:
    """The split pattern for glued lines, compiled on first use (``regex`` for Unicode classes)."""
    import regex

    return regex.compile(_GLUE_SOURCE, regex.V0).finditer


def glued(lines: list[str]) -> Units:
    """Segments of glued lines, split at separators, sentence ends and words run together."""
    units = Units()
    finditer = _glue_split()
    for i, line in enumerate(lines):
        if not line.strip():
            units.add(line, ((i, 0, len(line)),))
            continue
        start = len(line) - len(line.lstrip())
        # (a separator that opens the line's text, "• Home", is its bullet, not a cut: with the
        # line's indentation before it or not, the line reads the same)
        cuts = [(m.start(), m.end()) for m in finditer(line) if m.start() > start]
        cuts.append((len(line), len(line)))
        parts = []
        for a, b in cuts:
            piece = line[start:a]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                parts.append((start + lead, start + len(piece.rstrip())))
            start = max(start, b)
        if len(parts) == 1 and parts[0] == (len(line) - len(line.lstrip()), len(line.rstrip())):
            units.add(line.strip(), ((i, 0, len(line)),))
            continue
        for a, b in parts:
            units.add(line[a:b], ((i, a, b),), whole=False)
    return units
