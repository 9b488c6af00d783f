"""Pattern rules: remove lines that match a known piece of page furniture."""

from __future__ import annotations

import re
from itertools import compress
from operator import not_
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Page

STAGE = "patterns"
_HAS_WORD = re.compile(r"\w").search
NO_TEXT = "NC901"


def run(page: "Page") -> None:
    matcher = page.compiled.matcher
    budget = matcher.page_budget()
    keys = page.keys
    has_word = list(map(_HAS_WORD, keys))
    todo = list(compress(range(len(keys)), has_word))
    if len(todo) < len(keys):
        for i in compress(range(len(keys)), map(not_, has_word)):
            if not page.is_blank(i):
                page.drop(i, NO_TEXT, STAGE)
    for i, m in matcher.match_page(keys, page.nwords, todo, budget):
        if m.timed_out:
            page.notes.append(m.note(i + 1))
            continue
        page.drop(i, m.rule.code, STAGE)
