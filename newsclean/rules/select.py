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


def validate(selectors: Iterable[str], catalog: Catalog) -> None:
    groups = {g.name for g in catalog.groups}
    for s in selectors:
        if s == "ALL" or s in groups:
            continue
        if not any(_specificity(s, r, groups) for r in catalog.rules):
            raise SelectorError(f"unknown rule selector {s!r} (not a code, code prefix, group or rule name)")


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
