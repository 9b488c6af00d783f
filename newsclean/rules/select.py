"""Which rules are on: ``select`` / ``ignore`` / ``extend_select`` resolved like ruff.

A selector is ``ALL``, a rule code (``NC101``), a code prefix (``NC1``), a group
name (``video``) or a rule name (``video-title-with-duration``). For every rule
the most specific selector that matches it decides; on a tie, ``ignore`` wins.
An unknown selector is an error.
"""

from __future__ import annotations

from typing import Iterable

from . import Catalog, Rule


class SelectorError(ValueError):
    """A selector that names no rule."""


def _specificity(selector: str, rule: Rule, catalog_groups: set[str]) -> int:
    """How specifically ``selector`` names ``rule`` (0 = not at all)."""
    if selector == "ALL":
        return 1
    if selector == rule.name or selector.upper() == rule.code:
        return 100
    if selector in catalog_groups:
        return 2 if selector == rule.group else 0
    up = selector.upper()
    if rule.code.startswith(up):
        return 2 + len(up)
    return 0


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known`` names, or ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def validate(selectors: Iterable[str], catalog: Catalog) -> None:
    groups = {g.name for g in catalog.groups}
    for s in selectors:
        if s == "ALL" or s in groups:
            continue
        if not any(_specificity(s, r, groups) for r in catalog.rules):
            known = ["ALL", *groups, *(r.name for r in catalog.rules), *(r.code for r in catalog.rules)]
            hint = did_you_mean(s.upper() if s.upper()[:2] == "NC" else s, known) or did_you_mean(s.lower(), known)
            raise SelectorError(f"unknown rule selector {s!r}" + (hint or " (not a code, code prefix, group or rule name)"))


def resolve(
    catalog: Catalog,
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> tuple[Rule, ...]:
    """The enabled rules, in code order."""
    sel = tuple(select) + tuple(extend_select)
    ign = tuple(ignore)
    validate(sel + ign, catalog)
    groups = {g.name for g in catalog.groups}
    enabled = []
    for rule in catalog.rules:
        best_sel = max((_specificity(s, rule, groups) for s in sel), default=0)
        best_ign = max((_specificity(s, rule, groups) for s in ign), default=0)
        if best_sel > best_ign:
            enabled.append(rule)
    return tuple(enabled)
