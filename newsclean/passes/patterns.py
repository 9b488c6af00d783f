"""Pattern rules: remove lines that match a known piece of page furniture."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Page

import re

STAGE = "patterns"
_HAS_WORD = re.compile(r"\w").search
NO_TEXT = "NC901"


def run(page: "Page") -> None:
    match = page.compiled.matcher.match
    keys, nwords = page.keys, page.nwords
    for i, key in enumerate(keys):
        if not _HAS_WORD(key):
            if not page.is_blank(i):
                page.drop(i, NO_TEXT, STAGE)
            continue
        m = match(key, nwords[i])
        if m is None:
            continue
        if m.timed_out:
            page.notes.append(f"rule {m.rule.code} ({m.rule.source}) timed out on line {i + 1}; line kept")
            continue
        page.drop(i, m.rule.code, STAGE)
