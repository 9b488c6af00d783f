"""The width a hard-wrapped text was wrapped at, found from where its lines break."""

from __future__ import annotations

import re
from itertools import accumulate

SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*$""")


def vote_counts(lines: list[str], lengths: list[int], shortest: int = 30) -> list[int]:
    """For each width up to 202, how many line breaks (of lines at least ``shortest`` long) it explains.

    Only breaks inside a sentence before a word in lower case vote: a wrapped sentence
    goes on in lower case more often than not, where a line that ends a sentence, or a
    list of headlines cut at a fixed length (each starting with a capital, a digit or a
    quote), is a block of its own whatever the width. A long "word" (a URL) allows too many widths to tell.
    """
    votes = [0] * 204
    for k in range(len(lines) - 1):
        n = lengths[k]
        if n < shortest or n > 200 or not lengths[k + 1]:
            continue
        words = lines[k + 1].lstrip(" >").split(None, 1)  # (a quoted line's first word follows its ">")
        if not words:
            continue
        first = words[0]
        if not first[0].islower() or len(first) > 15 or SENTENCE_END.search(lines[k], 0, n):
            continue
        # this break allows the widths n .. n + len(first): +1 where the range opens, -1 after it
        votes[n] += 1
        votes[min(n + len(first), 201) + 1] -= 1
    return list(accumulate(votes))[:203]


def width_votes(lines: list[str], lengths: list[int], narrowest: int = 40) -> tuple[int, int]:
    """The width (``narrowest`` to 200) that most line breaks allow, and how many allow it."""
    counts = vote_counts(lines, lengths, narrowest - 10)
    best = max(counts[narrowest:])
    return (counts.index(best, narrowest), best) if best else (0, 0)


def wrap_widths(lines: list[str], width: int, narrowest: int = 40) -> bytes:
    """The widths a page is wrapped at, as a table (1 for a width, 0 for any other): the
    best one, and every other peak nearly as well explained, for a page whose parts are
    wrapped at different widths (a quote, a table cell, an indented block); and ``width``,
    the width the page is known to be wrapped at, even when few breaks show it. Table
    cells (``narrowest`` 20) may be narrow."""
    counts = vote_counts(lines, [len(x.rstrip()) for x in lines], narrowest - 10)
    best = max(counts[narrowest:])
    floor = max(3, best // 4)
    # the peaks: every break allows a range of widths, and the widths next to the true one
    # are allowed by most of its breaks too
    good = bytearray(1 if w >= narrowest and c >= floor and c == max(counts[w - 3:w + 4]) else 0
                     for w, c in enumerate(counts))
    if 0 < width < len(good):
        good[width] = 1  # the width the page is said (or was found) to be wrapped at
    return bytes(good)


def fits(widths: bytes, length: int, word: int) -> bool:
    """Whether a line of ``length`` broke only because the next word (``word`` long) did not fit."""
    return widths.find(1, length, length + word + 1) >= 0
