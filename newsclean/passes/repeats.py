"""Remove lines that a :class:`~newsclean.repeats.RepeatTable` says recur across the batch."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Page

STAGE = "repeats"
CODE = "NC951"
# A line that reads like article prose is kept even when it repeats (a quoted
# sentence can recur across a story's follow-ups): long and ending in a sentence.
_PROSE_END = re.compile(r"""[.!?]["'”’)]*$""")
PROSE_MIN_WORDS = 12


def run(page: "Page") -> None:
    table = page.repeats
    if table is None or not page.enabled(CODE):
        return
    total = table.documents
    for i, key in enumerate(page.keys):
        if not key or page.removed[i] is not None:
            continue
        n = table.get(key)
        if n is None:
            continue
        if page.nwords[i] >= PROSE_MIN_WORDS and _PROSE_END.search(key):
            continue
        page.drop(i, CODE, STAGE, f"repeated in {n} of {total} documents")
