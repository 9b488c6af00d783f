"""Pattern rules compiled once into combined lookups for the hot path.

Literal phrases become one dict from normalised line to rule. The regexes of
built-in rules go into a :class:`~newsclean.rules.index.PatternIndex`, which
files each pattern by its literal prefix or a literal every match must contain,
so a line meets only the few patterns that could match it. User rules are compiled with the ``regex``
package and run with a match timeout, so a pathological pattern cannot hang a run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Sequence

from . import Rule
from .index import PatternIndex

USER_TIMEOUT_SECONDS = 0.05
# After this many timeouts on one page, a user rule is turned off for the rest of that page.
USER_TIMEOUTS_PER_PAGE = 3
# All user rules together may spend this long on one page; then they are all turned off
# for the rest of it (however many rules a file holds, a page costs at most about this).
USER_SECONDS_PER_PAGE = 1.0
# No piece of page furniture is this long; longer lines are never matched, so a
# line of millions of characters costs no regex time or memory.
MAX_KEY_CHARS = 4000
# The built-in rules' outcome is remembered for keys this short (page furniture is
# short; a long line seldom comes again), up to this many keys per process.
SEEN_KEY_CHARS = 120
SEEN_MAX_KEYS = 50_000
_UNSEEN = object()


@dataclass(frozen=True, slots=True)
class Match:
    """The rule that removes a line; or, with ``timed_out``, a user rule that gave up on it.

    ``turned_off`` says that this timeout spent the rule's page budget: it is not
    tried again on the rest of the page; ``page_spent`` that the user rules together
    spent the page's time (see :class:`PageBudget`).
    """

    rule: Rule
    timed_out: bool = False
    turned_off: bool = False
    page_spent: bool = False

    def note(self, lineno: int) -> str:
        """The page note for a timed-out match on line ``lineno`` (1-based)."""
        text = (f"rule {self.rule.code} ({self.rule.source}) timed out on line {lineno} "
                f"(over {USER_TIMEOUT_SECONDS:g} s); line kept")
        if self.turned_off:
            text += f"; rule turned off for the rest of the page after {USER_TIMEOUTS_PER_PAGE} timeouts"
        if self.page_spent:
            text += (f"; user rules turned off for the rest of the page (together they spent its "
                     f"{USER_SECONDS_PER_PAGE:g} s)")
        return text

    def warning(self) -> str:
        """The run's warning (given once per rule) for a rule that gave up on a line."""
        return (f"user rule {self.rule.code} ({self.rule.source}) ran out of time (over {USER_TIMEOUT_SECONDS:g} s) "
                f"on a line and kept it; after {USER_TIMEOUTS_PER_PAGE} timeouts on a page it is turned off for the "
                "rest of that page (--explain shows where)")


PAGE_SPENT = "*"  # the key of the warning that the user rules together spent a page's time


class PageBudget:
    """How often each user rule has timed out on one page, and how much time all of them
    have left on it (one per page, never shared)."""

    __slots__ = ("limit", "timeouts", "seconds_left")

    def __init__(self, limit: int = USER_TIMEOUTS_PER_PAGE, seconds: float = USER_SECONDS_PER_PAGE) -> None:
        self.limit = limit
        self.timeouts: dict[str, int] = {}
        self.seconds_left = seconds

    @property
    def spent(self) -> bool:
        return self.seconds_left <= 0

    def is_off(self, code: str) -> bool:
        return self.seconds_left <= 0 or self.timeouts.get(code, 0) >= self.limit

    def charge(self, code: str) -> bool:
        """Count one timeout of ``code``; True when this one turns the rule off."""
        n = self.timeouts.get(code, 0) + 1
        self.timeouts[code] = n
        return n == self.limit


@dataclass
class Matcher:
    rules: Sequence[Rule]
    exact: dict[str, Rule] = field(init=False)
    index: PatternIndex = field(init=False)
    user: list[tuple[Rule, list[Any]]] = field(init=False)
    max_words: int = field(init=False)
    _plain: dict[str, Match] = field(init=False, default_factory=dict, repr=False, compare=False)
    # What the built-in rules say of a short key already seen (a Match, or None):
    # a site's furniture recurs on every one of its pages.
    _seen: dict[str, Match | None] = field(init=False, default_factory=dict, repr=False, compare=False)
    # User rules that timed out since take_gave_up() was last called: code -> warning.
    _gave_up: dict[str, str] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.exact = {}
        builtin: list[Rule] = []
        user: list[tuple[Rule, list[Any]]] = []
        for rule in self.rules:
            if rule.kind != "pattern":
                continue
            for phrase in rule.exact:
                self.exact.setdefault(phrase, rule)
            if not rule.patterns:
                continue
            if rule.builtin:
                builtin.append(rule)
            else:
                import regex

                # each pattern on its own: inline flags and comments stay in their pattern
                user.append((rule, [regex.compile(p) for p in rule.patterns]))
        self.user = user
        self.index = PatternIndex([(r, p) for r in builtin for p in r.patterns])
        self.max_words = max([r.max_words for r in builtin] + [r.max_words for r, _ in user], default=0)

    def match_page(self, keys: Sequence[str], nwords: Sequence[int], todo: Sequence[int],
                   budget: PageBudget | None = None) -> list[tuple[int, Match]]:
        """:meth:`match` for the lines ``todo`` of one page at once: (line index, match)
        for each that matched, in line order. The literal gates of the index scan
        all lines together."""
        exact, max_words, found = self.exact, self.max_words, []
        rest: list[int] = []  # lines for the index
        unmatched: list[int] = []  # lines no built-in rule removes, for the user rules
        plain = self._plain  # one (immutable) Match per rule
        seen = self._seen
        if len(seen) > SEEN_MAX_KEYS:
            seen.clear()
        todo = list(todo)
        got_all = list(map(seen.get, map(keys.__getitem__, todo), repeat(_UNSEEN)))
        for i, got in zip(todo, got_all):
            if got is _UNSEEN:
                key = keys[i]
                if not key or len(key) > MAX_KEY_CHARS:
                    continue
                hit = exact.get(key)
                if hit is not None:
                    found.append((i, plain.get(hit.code) or plain.setdefault(hit.code, Match(hit))))
                elif nwords[i] <= max_words:
                    rest.append(i)
            elif got is None:
                unmatched.append(i)
            else:
                found.append((i, got))  # type: ignore[arg-type]
        if rest:
            index = self.index
            gates = index.gate_hits([keys[i] for i in rest], [nwords[i] for i in rest])
            no_gates: list[Any] = []
            for j, i in enumerate(rest):
                key = keys[i]
                rule = index.match(key, nwords[i], gates.get(j, no_gates))
                m = None if rule is None else (plain.get(rule.code) or plain.setdefault(rule.code, Match(rule)))
                if len(key) <= SEEN_KEY_CHARS:
                    seen[key] = m
                if m is None:
                    unmatched.append(i)
                else:
                    found.append((i, m))
        if self.user:
            for i in unmatched:
                found.extend((i, m) for m in self._match_user(keys[i], nwords[i], budget))
        if len(found) > 1:
            found.sort(key=lambda x: x[0])
        return found

    def take_gave_up(self) -> dict[str, str]:
        """The user rules that timed out since the last call (code -> a warning to give once)."""
        if not self._gave_up:
            return {}
        out, self._gave_up = self._gave_up, {}
        return out

    def forget(self) -> None:
        """Forget the keys already seen (benchmarks start each round cold)."""
        self._seen.clear()

    def page_budget(self) -> PageBudget:
        """A fresh timeout budget for the user rules, to pass to :meth:`match` for one page."""
        return PageBudget()

    def match(self, key: str, nwords: int, budget: PageBudget | None = None) -> Match | None:
        """The first rule (in code order) that removes a line with this key.

        User rules run under a match timeout. A rule that times out is skipped
        for this line; if no other rule removes it, the first timed-out match is
        returned (the line is kept). With a ``budget``, a user rule that has
        timed out ``budget.limit`` times is not tried again, nor is any once the
        user rules together have spent the page's time.
        """
        if not key or len(key) > MAX_KEY_CHARS:
            return None
        hit = self.exact.get(key)
        if hit is not None:
            return Match(hit)
        if nwords > self.max_words:
            return None
        rule = self.index.match(key, nwords)
        if rule is not None:
            return Match(rule)
        found = self._match_user(key, nwords, budget)
        return next((m for m in found if not m.timed_out), found[0] if found else None)

    def _match_user(self, key: str, nwords: int, budget: PageBudget | None) -> list[Match]:
        """Every user rule that timed out on this line, then the one that removes it (if any)."""
        gave_up: list[Match] = []
        for rule, patterns in self.user:
            if nwords > rule.max_words:
                continue
            if budget is not None and budget.is_off(rule.code):
                if budget.spent:
                    break
                continue
            seconds = USER_TIMEOUT_SECONDS if budget is None else min(USER_TIMEOUT_SECONDS, budget.seconds_left)
            start = time.monotonic()
            try:
                hit = _fullmatch_any(patterns, key, seconds)
            except TimeoutError:
                hit = None
                if budget is not None:
                    budget.seconds_left -= time.monotonic() - start
                turned_off = budget.charge(rule.code) if budget is not None else False
                m = Match(rule, timed_out=True, turned_off=turned_off, page_spent=budget is not None and budget.spent)
                gave_up.append(m)
                if rule.code not in self._gave_up:
                    self._gave_up[rule.code] = m.warning()
                if m.page_spent:
                    self._gave_up.setdefault(PAGE_SPENT, _page_spent_warning())
                continue
            if budget is not None:
                budget.seconds_left -= time.monotonic() - start
            if hit:
                gave_up.append(Match(rule))
                return gave_up
            if budget is not None and budget.spent:
                self._gave_up.setdefault(PAGE_SPENT, _page_spent_warning())
                break
        return gave_up


def _page_spent_warning() -> str:
    return (f"user rules together took over {USER_SECONDS_PER_PAGE:g} s on a page and were turned off for the "
            "rest of it; --explain shows where")


def _fullmatch_any(patterns: list[Any], key: str, seconds: float) -> bool:
    """Whether one of ``patterns`` matches the whole key; all of them share one time limit."""
    deadline = time.monotonic() + seconds
    for rx in patterns:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("regex timed out")
        if rx.fullmatch(key, timeout=left):
            return True
    return False
