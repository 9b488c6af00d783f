"""An index over the built-in patterns, organised by how each one is anchored.

Trying every pattern on every line is the slow way. Each pattern is parsed once
(with the ``re`` module's own parser) to find what a matching line must contain:

* a **literal prefix** (``watch (?:cbs|nbc) news`` must start with ``watch ``):
  the pattern is filed under the first two characters of each possible prefix,
  and a line only meets the patterns filed under its own first two characters;
* otherwise **required literals** somewhere (`` \\d{1,2}:\\d{2}`` needs ``:``):
  the pattern is tried only on lines that contain one of them;
* patterns with neither are tried on every line short enough for them.

Patterns in one bucket are joined into one alternation without capture groups;
only when it matches are the bucket's rules tried one by one to name the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_MAX_PREFIXES = 64
PREFIX_LEN = 2
SHORT_LINE_WORDS = 30
# Letters by how often they occur in English and European text, most common first:
# a trigram made of rarer letters singles out fewer lines.
_COMMON = " etaoinsrhldcumfpgwybvkxjqz"


def _rarest_trigram(lit: str) -> str:
    def cost(t: str) -> int:
        return sum(-_COMMON.index(ch) if ch in _COMMON else -30 for ch in t)
    return min((lit[i:i + 3] for i in range(len(lit) - 2)), key=cost)


def _prefixes(seq: Any, tail: bool = False) -> list[tuple[str, bool]]:
    """Literal prefixes (or, with ``tail``, suffixes) of a parsed sequence:
    (literal, whether the whole sequence is literal)."""
    results: list[tuple[str, bool]] = [("", True)]
    items = list(seq)
    for op, av in reversed(items) if tail else items:
        if op is _c.LITERAL:
            options = [(chr(av), True)]
        elif op is _c.SUBPATTERN:
            options = _prefixes(av[-1], tail)
        elif op is _c.BRANCH:
            options = [o for alt in av[1] for o in _prefixes(alt, tail)]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            options = [*_prefixes(av[2], tail), ("", True)]  # optional: present or absent
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            # repeated: the literal starts with the first repetition (or what follows,
            # when it may be absent), and cannot be extended past it
            options = [(o, False) for o, _ in _prefixes(av[2], tail)]
            if av[0] == 0:
                options.append(("", True))
        else:
            options = [("", False)]
        nxt: list[tuple[str, bool]] = []
        for pre, open_ in results:
            if not open_:
                nxt.append((pre, False))
                continue
            nxt.extend(((o + pre) if tail else (pre + o), c) for o, c in options)
        results = list(dict.fromkeys(nxt))
        if len(results) > _MAX_PREFIXES or all(not c for _, c in results):
            break
    return results


def literal_prefixes(pattern: str, tail: bool = False) -> list[str] | None:
    """Every possible literal start (or end, with ``tail``) of a match, lowercased;
    None if some match may start (end) otherwise."""
    prefixes = _prefixes(_parser.parse(pattern), tail)
    if len(prefixes) > _MAX_PREFIXES or any(len(p) < PREFIX_LEN for p, _ in prefixes):
        return None
    return sorted({p.lower() for p, _ in prefixes})


_RARE_CHARS = frozenset(":©®™°/|@#&%$€£+=<>»«›‹→•·")


def _gate_score(cands: list[str]) -> float:
    """How well a set of literals singles out lines: few and long (or rare symbols).

    A literal of one or two letters (``a``, ``to``) or common punctuation
    filters nothing and scores -100, so its pattern is not gated by it.
    """
    def useful(c: str) -> bool:
        c = c.strip()
        return len(c) >= 3 or (len(c) >= 1 and all(ch in _RARE_CHARS for ch in c))

    if not all(useful(c) for c in cands):
        return -100.0
    shortest = min(len(c.strip()) for c in cands)
    return shortest - 0.5 * (len(cands) - 1)


def _required(seq: Any) -> list[str] | None:
    """Literals of which at least one occurs in every match of a parsed sequence, or None."""
    best: list[str] | None = None
    run = ""

    def consider(cands: list[str] | None) -> None:
        nonlocal best
        if cands and all(cands) and (best is None or _gate_score(cands) > _gate_score(best)):
            best = cands

    for op, av in seq:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        consider([run] if run else None)
        run = ""
        if op is _c.SUBPATTERN:
            consider(_required(av[-1]))
        elif op is _c.BRANCH:
            alts = [_required(alt) for alt in av[1]]
            if all(alts):
                consider(sorted({x for a in alts for x in a}))  # type: ignore[union-attr]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            consider(_required(av[2]))
    consider([run] if run else None)
    return best


def required_literals(pattern: str) -> list[str] | None:
    found = _required(_parser.parse(pattern))
    return sorted({x.lower() for x in found}) if found else None


class _Bucket:
    """Patterns that share a gate; their regexes are compiled the first time a line reaches them."""

    __slots__ = ("entries", "singles", "max_words", "fullmatch")

    def __init__(self, entries: list[tuple[Any, str]]) -> None:
        self.entries = entries
        self.singles: list[Any] = [None] * len(entries)  # each pattern alone, compiled when needed
        self.max_words = max(rule.max_words for rule, _ in entries)
        self.fullmatch = self._compile_then_match

    def _compile_then_match(self, key: str) -> Any:
        combined = re.compile("|".join(f"(?:{p})" for _, p in self.entries))
        self.fullmatch = combined.fullmatch
        return combined.fullmatch(key)

    def first(self, key: str, nwords: int, best: Any | None) -> Any | None:
        """The lowest-coded rule of this bucket (or ``best``) whose pattern matches ``key``."""
        for i, (rule, pattern) in enumerate(self.entries):
            if nwords > rule.max_words or (best is not None and rule.code >= best.code):
                continue
            rx = self.singles[i]
            if rx is None:
                rx = self.singles[i] = re.compile(pattern)
            if rx.fullmatch(key):
                best = rule
        return best


_bucket = _Bucket


def analyse(pattern: str) -> tuple[str, list[str]]:
    """How a pattern is filed: ("prefix" | "suffix" | "literal", literals) or ("rest", [])."""
    tree = _parser.parse(pattern)
    for kind, tail in (("prefix", False), ("suffix", True)):
        found = _prefixes(tree, tail)
        if len(found) <= _MAX_PREFIXES and all(len(p) >= PREFIX_LEN for p, _ in found):
            return kind, sorted({p.lower() for p, _ in found})
    needs = _required(tree)
    if needs and _gate_score(needs) > -100:
        return "literal", sorted({x.lower() for x in needs})
    return "rest", []


def _analyse_all(patterns: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
    """The analysis of every pattern, read from the cache where it is there already."""
    from . import index_cache

    cached = index_cache.load()
    out: dict[str, tuple[str, list[str]]] = {}
    missing = []
    for p in patterns:
        hit = cached.get(p)
        if hit is None:
            missing.append(p)
        else:
            out[p] = hit
    for p in missing:
        out[p] = analyse(p)
    if missing:
        index_cache.save({**cached, **{p: out[p] for p in missing}})
    return out


class PatternIndex:
    """Find the rules whose patterns match a whole normalised line."""

    def __init__(self, entries: Sequence[tuple[Any, str]]) -> None:
        by_prefix: dict[str, list[tuple[Any, str]]] = {}
        by_suffix: dict[str, list[tuple[Any, str]]] = {}
        by_literal: dict[tuple[str, ...], list[tuple[Any, str]]] = {}
        rest: list[tuple[Any, str]] = []
        analysis = _analyse_all([p for _, p in entries])
        for rule, pattern in entries:
            kind, lits = analysis[pattern]
            if kind == "prefix":
                for head in sorted({p[:PREFIX_LEN] for p in lits}):
                    by_prefix.setdefault(head, []).append((rule, pattern))
            elif kind == "suffix":
                for end in sorted({p[-PREFIX_LEN:] for p in lits}):
                    by_suffix.setdefault(end, []).append((rule, pattern))
            elif kind == "literal":
                by_literal.setdefault(tuple(lits), []).append((rule, pattern))
            else:
                rest.append((rule, pattern))
        self.by_prefix = {k: _bucket(v) for k, v in by_prefix.items()}
        self.by_suffix = {k: _bucket(v) for k, v in by_suffix.items()}
        # Gated buckets meet a line only if their literal is in it. For short lines
        # the candidates come from one dict lookup per character trigram of the
        # line (each literal is filed under one of its trigrams); buckets meant for
        # long lines test their literals directly.
        self.gated = []
        self.long_gated = []
        self.trigrams: dict[str, list[int]] = {}
        for lits, members in sorted(by_literal.items()):
            bucket = _bucket(members)
            if bucket.max_words > SHORT_LINE_WORDS or any(len(x) < 3 for x in lits):
                self.long_gated.append((_gate(lits), bucket))
                continue
            self.gated.append((_gate(lits), bucket))
            for lit in lits:
                self.trigrams.setdefault(_rarest_trigram(lit), []).append(len(self.gated) - 1)
        self.rest = _bucket(rest) if rest else None
        self.max_words = max((r.max_words for r, _ in entries), default=0)

    def stats(self) -> dict[str, int]:
        return {"prefix_buckets": len(self.by_prefix), "suffix_buckets": len(self.by_suffix), "literal_buckets": len(self.gated), "long_literal_buckets": len(self.long_gated),
                "ungated_patterns": len(self.rest.entries) if self.rest else 0}

    def match(self, key: str, nwords: int) -> Any | None:
        """The rule with the lowest code among those whose pattern matches ``key``."""
        if nwords > self.max_words:
            return None
        best = None
        bucket = self.by_prefix.get(key[:PREFIX_LEN])
        if bucket is not None and nwords <= bucket.max_words and bucket.fullmatch(key):
            best = bucket.first(key, nwords, best)
        bucket = self.by_suffix.get(key[-PREFIX_LEN:])
        if bucket is not None and nwords <= bucket.max_words and bucket.fullmatch(key):
            best = bucket.first(key, nwords, best)
        if nwords <= SHORT_LINE_WORDS and self.trigrams:
            get = self.trigrams.get
            ids: set[int] = set()
            for i in range(len(key) - 2):
                hit = get(key[i:i + 3])
                if hit is not None:
                    ids.update(hit)
            for i in sorted(ids):
                gate, bucket = self.gated[i]
                if nwords <= bucket.max_words and gate(key) and bucket.fullmatch(key):
                    best = bucket.first(key, nwords, best)
        for gate, bucket in self.long_gated:
            if nwords <= bucket.max_words and gate(key) and bucket.fullmatch(key):
                best = bucket.first(key, nwords, best)
        if self.rest is not None and nwords <= self.rest.max_words and self.rest.fullmatch(key):
            best = self.rest.first(key, nwords, best)
        return best


def _gate(literals: Sequence[str]) -> Any:
    if len(literals) == 1:
        lit = literals[0]
        return lambda key: lit in key
    if len(literals) <= 4:
        lits = tuple(literals)
        return lambda key: any(x in key for x in lits)
    return re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True)))).search
