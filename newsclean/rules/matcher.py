"""Pattern rules compiled once into combined lookups for the hot path.

Literal phrases become one dict from normalised line to rule. The regexes of
built-in rules are joined into one alternation (no capture groups) that must
match the whole normalised line; only when it matches are the rules tried one
by one to name the rule that fired. User rules are compiled with the ``regex``
package and run with a match timeout, so a pathological pattern cannot hang a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from . import Rule

USER_TIMEOUT_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class Match:
    rule: Rule
    timed_out: bool = False


@dataclass
class Matcher:
    rules: Sequence[Rule]
    exact: dict[str, Rule] = field(init=False)
    combined: Any = field(init=False)
    singles: list[tuple[Rule, Any]] = field(init=False)
    user: list[tuple[Rule, Any]] = field(init=False)
    max_words: int = field(init=False)

    def __post_init__(self) -> None:
        self.exact = {}
        builtin: list[tuple[Rule, Any]] = []
        user: list[tuple[Rule, Any]] = []
        for rule in self.rules:
            if rule.kind != "pattern":
                continue
            for phrase in rule.exact:
                self.exact.setdefault(phrase, rule)
            if not rule.patterns:
                continue
            if rule.builtin:
                builtin.append((rule, re.compile("|".join(f"(?:{p})" for p in rule.patterns))))
            else:
                import regex

                user.append((rule, regex.compile("|".join(f"(?:{p})" for p in rule.patterns))))
        self.singles = builtin
        self.user = user
        sources = [f"(?:{p})" for r, _ in builtin for p in r.patterns]
        self.combined = re.compile("|".join(sources)) if sources else None
        self.max_words = max((r.max_words for r, _ in builtin + user), default=0)

    def match(self, key: str, nwords: int) -> Match | None:
        """The first rule (in code order) that removes a line with this key."""
        if not key:
            return None
        hit = self.exact.get(key)
        if hit is not None:
            return Match(hit)
        if nwords > self.max_words:
            return None
        if self.combined is not None and self.combined.fullmatch(key):
            for rule, rx in self.singles:
                if nwords <= rule.max_words and rx.fullmatch(key):
                    return Match(rule)
        for rule, rx in self.user:
            if nwords > rule.max_words:
                continue
            try:
                if rx.fullmatch(key, timeout=USER_TIMEOUT_SECONDS):
                    return Match(rule)
            except TimeoutError:
                return Match(rule, timed_out=True)
        return None
