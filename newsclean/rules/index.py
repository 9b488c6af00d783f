"""An index over the built-in patterns, organised by how each one is anchored.

Trying every pattern on every line is the slow way. Each pattern is parsed once
(with the ``re`` module's own parser; the result is cached on disk, see
:mod:`newsclean.rules.index_cache`) to find what a matching line must look like:

* a **literal prefix** (``(?:please )?check your …`` starts with ``check your``
  or ``please check your``): the pattern is filed under the first two
  characters of each possible prefix, and a line meets only the patterns filed
  under its own first two characters;
* otherwise a **literal suffix**, filed the same way under the last two characters;
* otherwise **required literals** (`` \\d{1,2}:\\d{2}`` needs ``:``): the
  pattern is tried only on lines that contain one of them;
* otherwise literal prefixes of which some are a single character (a list of
  share buttons that includes ``x``), filed under their first character;
* otherwise the set of **first characters** a match can start with (``\\d…``:
  the ten digits), filed under each;
* patterns with none of these are tried on every line short enough for them.

The literal prefixes (suffixes) of one bucket become one regex (their trie) that
finds the longest one a line starts (ends) with; only the patterns with a
literal that is a prefix of that one are tried, in code order. A gate's
literals are looked for in all the lines of a page at once.

Each pattern is compiled once, the first time a line reaches it (start-up stays
light: a small page touches few patterns); the lowest code wins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, repeat
from operator import add
from typing import Any, Sequence

try:  # Python 3.11+
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_MAX_PREFIXES = 512
PREFIX_LEN = 2


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
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            options = [("", True)]  # a lookaround consumes nothing
        else:
            options = [("", False)]
        nxt: list[tuple[str, bool]] = []
        for pre, open_ in results:
            if not open_:
                nxt.append((pre, False))
                continue
            nxt.extend(((o + pre) if tail else (pre + o), c) for o, c in options)
        nxt = list(dict.fromkeys(nxt))
        if len(nxt) > _MAX_PREFIXES:
            # too many ways on (a long list of alternatives): keep the first few
            # characters of each, as many as the limit allows, and stop here
            # (or, when that is still too many, the literals found so far, if they
            # are long enough: a list of whole words beats their first two letters)
            for width in (8, 5, PREFIX_LEN):
                heads = list(dict.fromkeys(((p[-width:] if tail else p[:width]), False) for p, _ in nxt))
                if len(heads) <= _MAX_PREFIXES:
                    return heads
                if width == 8 and all(len(p) >= PREFIX_LEN for p, _ in results):
                    return list(dict.fromkeys((p, False) for p, _ in results))
            return list(dict.fromkeys((p, False) for p, _ in results))
        results = nxt
        if all(not c for _, c in results):
            break
    return results


_DIGITS = frozenset("0123456789")


def _first_chars(seq: Any) -> tuple[frozenset[str], bool] | None:
    """The characters a match of a parsed sequence can start with, and whether the
    sequence can match the empty string; None if any character could come first."""
    chars: set[str] = set()
    for op, av in seq:
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue
        if op is _c.LITERAL:
            return frozenset(chars | {chr(av).lower()}), False
        if op is _c.IN:
            got: set[str] = set()
            for iop, iav in av:
                if iop is _c.LITERAL:
                    got.add(chr(iav).lower())
                elif iop is _c.RANGE and iav[1] - iav[0] <= 30:
                    got.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
                elif iop is _c.CATEGORY and iav is _c.CATEGORY_DIGIT:
                    got.update(_DIGITS)
                else:
                    return None
            return frozenset(chars | got), False
        if op is _c.SUBPATTERN:
            sub = _first_chars(av[-1])
        elif op is _c.BRANCH:
            subs = [_first_chars(alt) for alt in av[1]]
            if any(x is None for x in subs):
                return None
            sub = (frozenset().union(*(x[0] for x in subs)), any(x[1] for x in subs))  # type: ignore[index]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            inner = _first_chars(av[2])
            if inner is None:
                return None
            sub = (inner[0], inner[1] or av[0] == 0)
        else:
            return None
        if sub is None:
            return None
        chars |= sub[0]
        if not sub[1]:
            return frozenset(chars), False
    return frozenset(chars), True


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
        elif op is _c.IN and av and all(o is _c.LITERAL for o, _ in av):
            consider(sorted({chr(v) for _, v in av}))
    consider([run] if run else None)
    return best


def required_literals(pattern: str) -> list[str] | None:
    found = _required(_parser.parse(pattern))
    return sorted({x.lower() for x in found}) if found else None


class _Bucket:
    """Patterns that share a gate. A pattern can be filed in several buckets, so
    each is compiled once, on first use, into a cache shared by the index."""

    __slots__ = ("pairs", "compiled", "max_words")

    def __init__(self, entries: list[tuple[Any, str, Any]], compiled: dict[str, Any]) -> None:
        # (rule, pattern) pairs, in code order
        self.pairs = sorted(((e[0], e[1]) for e in entries), key=lambda e: e[0].code)
        self.compiled = compiled
        self.max_words = max(rule.max_words for rule, _ in self.pairs)

    def first(self, key: str, nwords: int, best: Any | None) -> Any | None:
        """The lowest-coded rule of this bucket (or ``best``) whose pattern matches ``key``."""
        return _first_match(self.pairs, self.compiled, key, nwords, best)


# A bucket of literals is searched with a dict lookup per literal length until it
# has met this many lines; then one regex of its literals takes over. Building and
# compiling it (about 0.5 ms for a bucket of the dev pages) costs what about a
# thousand lookups lose to it (0.87 µs a line against 0.30 µs): a bucket pays for
# the regex once it has spent as much without it.
_REGEX_AFTER = 1000


def _trie_pattern(literals: Sequence[str]) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """A regex that finds the longest of ``literals`` a text starts with, and its table of cuts.

    The regex is the literals' trie, cut where a branch holds one literal only: there
    it ends after the branch's first character, and the table gives, for what it
    matched, that literal and the longest literal above the branch (for a text that
    does not hold the rest of it). Anything else it matches is a literal. The
    compiler reads every character of a pattern: the cut trie compiles several
    times faster than an alternation of the literals, and matches faster.
    """
    lits = sorted(set(literals))
    cuts: dict[str, tuple[str, str | None]] = {}

    def branch(lo: int, hi: int, depth: int, last: str | None) -> str:
        """The pattern for ``lits[lo:hi]`` after the ``depth`` characters they share."""
        path = lits[lo][:depth]
        ends = len(lits[lo]) == depth  # a literal ends here (the shortest sorts first)
        if ends:
            last = path
            lo += 1
        deeper, single = [], []
        while lo < hi:
            ch = lits[lo][depth]
            end = lo + 1
            while end < hi and lits[end][depth] == ch:
                end += 1
            if end - lo == 1:
                cuts[path + ch] = (lits[lo], last)
                single.append(re.escape(ch))
            else:
                deeper.append(re.escape(ch) + branch(lo, end, depth + 1, last))
            lo = end
        alts = deeper + ([f"[{''.join(single)}]" if len(single) > 1 else single[0]] if single else [])
        if len(alts) == 1 and not ends:
            return alts[0]
        return f"(?:{'|'.join(alts)})" + ("?" if ends else "")

    return (branch(0, len(lits), 0, None) if lits else "(?!)"), cuts


class _Literals:
    """Patterns filed under the literals a matching key must start with (all
    sharing their first characters). The longest literal the key starts with is
    found (by a dict lookup per literal length, later by one regex of the
    literals' trie, see ``_trie_pattern``); the patterns to try are those with a literal that
    is a prefix of it, in code order. Tables are built on first use."""

    __slots__ = ("head", "pending", "compiled", "max_words", "_by_literal", "_rx", "_cuts", "_cands", "_lengths", "_uses")

    def __init__(self, head: str, compiled: dict[str, Any]) -> None:
        self.head = head
        # (all the literals of a pattern, rule, pattern): sorted out on first use
        self.pending: list[tuple[Sequence[str], Any, str]] = []
        self.compiled = compiled
        self.max_words = 0
        self._by_literal: dict[str, list[tuple[Any, str]]] | None = None
        self._rx: Any = None
        self._cuts: dict[str, tuple[str, str | None]] = {}  # see ``_trie_pattern``
        self._cands: dict[str, tuple[tuple[Any, str], ...]] = {}
        self._lengths: list[int] = []
        self._uses = 0

    def add(self, literals: Sequence[str], rule: Any, pattern: str) -> None:
        self.pending.append((literals, rule, pattern))
        self.max_words = max(self.max_words, rule.max_words)

    @property
    def by_literal(self) -> dict[str, list[tuple[Any, str]]]:
        """The patterns filed under each literal of this bucket."""
        got = self._by_literal
        if got is None:
            got = self._by_literal = {}
            head = self.head
            for lits, rule, pattern in self.pending:
                for lit in lits:
                    if lit.startswith(head):
                        got.setdefault(lit, []).append((rule, pattern))
            self._lengths = sorted({len(x) for x in got}, reverse=True)
        return got

    def _candidates(self, lit: str) -> tuple[tuple[Any, str], ...]:
        """The patterns with a literal that is a prefix of ``lit``, in code order."""
        by_literal = self.by_literal
        found = {e for k in self._lengths if k <= len(lit) for e in by_literal.get(lit[:k], ())}
        got = self._cands[lit] = tuple(sorted(found, key=lambda e: (e[0].code, e[1])))
        return got

    def _longest(self, probe: str) -> str | None:
        """The longest literal ``probe`` starts with."""
        rx = self._rx
        if rx is not None:
            m = rx(probe)
            return None if m is None else self._uncut(m.group(), probe)
        by_literal = self.by_literal
        self._uses += 1
        if self._uses >= _REGEX_AFTER:
            pattern, self._cuts = _trie_pattern(list(by_literal))
            self._rx = re.compile(pattern).match
        for n in self._lengths:
            head = probe[:n]
            if head in by_literal:
                return head
        return None

    def _uncut(self, got: str, probe: str) -> str | None:
        """The longest literal ``probe`` starts with, from what the trie regex matched."""
        cut = self._cuts.get(got)
        if cut is None:
            return got
        return cut[0] if probe.startswith(cut[0]) else cut[1]

    def first(self, key: str, nwords: int, best: Any | None) -> Any | None:
        return self.first_reversed(key, key, nwords, best)

    def first_reversed(self, key: str, probe: str, nwords: int, best: Any | None) -> Any | None:
        """Like :meth:`first`, finding the literal in ``probe`` (the key reversed, for suffixes)."""
        rx = self._rx
        if rx is not None:
            m = rx(probe)
            found = None if m is None else self._uncut(m.group(), probe)
        else:
            found = self._longest(probe)
        if found is None:
            return best
        lit = found
        cands = self._cands.get(lit) or self._candidates(lit)
        return _first_match(cands, self.compiled, key, nwords, best)


def _first_match(pairs: Sequence[tuple[Any, str]], compiled: dict[str, Any], key: str, nwords: int,
                 best: Any | None) -> Any | None:
    """The first rule of ``pairs`` (in code order, below ``best``) whose pattern matches
    ``key``; each pattern is compiled once, on first use, into ``compiled``."""
    for rule, pattern in pairs:
        if best is not None and rule.code >= best.code:
            return best
        if nwords > rule.max_words:
            continue
        fm = compiled.get(pattern)
        if fm is None:
            fm = compiled[pattern] = re.compile(pattern).fullmatch
        if fm(key):
            return rule
    return best


def analyse(pattern: str) -> tuple[str, list[str]]:
    """How a pattern is filed: ("prefix" | "suffix" | "literal" | "prefix1", literals), ("first",
    characters a match can start with) or ("rest", [])."""
    tree = _parser.parse(pattern)
    for kind, tail in (("prefix", False), ("suffix", True)):
        found = _prefixes(tree, tail)
        if len(found) <= _MAX_PREFIXES and all(len(p) >= PREFIX_LEN for p, _ in found):
            return kind, sorted({p.lower() for p, _ in found})
    needs = _required(tree)
    if needs and _gate_score(needs) > -100:
        return "literal", sorted({x.lower() for x in needs})
    found = _prefixes(tree, False)
    if len(found) <= _MAX_PREFIXES and all(p for p, _ in found):
        return "prefix1", sorted({p.lower() for p, _ in found})
    first = _first_chars(tree)
    if first is not None and not first[1] and len(first[0]) <= 40:
        return "first", sorted(first[0])
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
        cache: dict[str, Any] = {}
        by_prefix: dict[str, _Literals] = {}
        by_prefix1: dict[str, _Literals] = {}  # filed under the first character
        by_suffix: dict[str, _Literals] = {}  # literals reversed, matched on the reversed key
        by_first: dict[str, list[tuple[Any, str, Any]]] = {}
        by_literal: dict[tuple[str, ...], list[tuple[Any, str, Any]]] = {}
        rest: list[tuple[Any, str, Any]] = []
        analysis = _analyse_all([p for _, p in entries])
        for rule, pattern in entries:
            kind, lits = analysis[pattern]
            if kind == "prefix":
                _file(by_prefix, lits, PREFIX_LEN, rule, pattern, cache)
            elif kind == "suffix":
                _file(by_suffix, [p[::-1] for p in lits], PREFIX_LEN, rule, pattern, cache)
            elif kind == "prefix1":  # literal prefixes, some of a single character
                _file(by_prefix1, lits, 1, rule, pattern, cache)
            elif kind == "first":
                for ch in lits:
                    by_first.setdefault(ch, []).append((rule, pattern, None))
            elif kind == "literal":
                by_literal.setdefault(tuple(lits), []).append((rule, pattern, None))
            else:
                rest.append((rule, pattern, None))
        self.by_prefix = by_prefix
        self.by_suffix = by_suffix
        self.by_prefix1 = by_prefix1
        self.by_first = {k: _Bucket(v, cache) for k, v in by_first.items()}
        # Gated buckets meet a line only if one of their literals is in it (a
        # literal that contains another of the same set adds nothing and is dropped).
        gated = [(_minimal(lits), _Bucket(v, cache)) for lits, v in sorted(by_literal.items())]
        self.gated: list[tuple[tuple[str, ...], _Bucket]] = [(tuple(lits), b) for lits, b in gated]
        self.rest = _Bucket(rest, cache) if rest else None
        self.max_words = max((r.max_words for r, _ in entries), default=0)
        # Each gate literal is scanned once, for all the buckets that need it: those whose
        # rules all stop at SHORT_LINE_WORDS on the short lines only, the others on all.
        self._short_gates: dict[str, list[_Bucket]] = {}
        self._long_gates: dict[str, list[_Bucket]] = {}
        for lits, bucket in self.gated:
            group = self._short_gates if bucket.max_words <= SHORT_LINE_WORDS else self._long_gates
            for lit in lits:
                group.setdefault(lit, []).append(bucket)

    def stats(self) -> dict[str, int]:
        return {"prefix_buckets": len(self.by_prefix), "suffix_buckets": len(self.by_suffix), "first_char_buckets": len(self.by_first), "prefix1_buckets": len(self.by_prefix1), "literal_buckets": len(self.gated),
                "ungated_patterns": len(self.rest.pairs) if self.rest else 0}

    def gate_hits(self, keys: Sequence[str], nwords: Sequence[int] | None = None) -> dict[int, list[_Bucket]]:
        """For each of ``keys`` (normalised lines, so without line breaks) that holds a
        literal of a gated bucket, those buckets: one scan of all keys per literal
        instead of a test per line and gate (``str.find`` beats a regex here).

        A scan costs as much as the text it reads, and most of a page's text is
        in long lines that most gated patterns may not match. With ``nwords`` (the
        word count of each key), the buckets whose rules all stop at
        :data:`SHORT_LINE_WORDS` words scan only the lines that short (:meth:`match`
        uses a bucket only on lines short enough for one of its rules)."""
        hits: dict[int, list[_Bucket]] = {}
        if not self.gated or not keys:
            return hits
        if self._short_gates:
            if nwords is None:
                _scan(self._short_gates, keys, range(len(keys)), hits)
            else:
                lines = [i for i, n in enumerate(nwords) if n <= SHORT_LINE_WORDS]
                if lines:
                    _scan(self._short_gates, [keys[i] for i in lines], lines, hits)
        if self._long_gates:
            _scan(self._long_gates, keys, range(len(keys)), hits)
        return hits

    def match(self, key: str, nwords: int, gates: "Sequence[_Bucket] | None" = None) -> Any | None:
        """The rule with the lowest code among those whose pattern matches ``key``.

        ``gates``, when given, are the gated buckets whose literals ``key`` holds
        (from :meth:`gate_hits`); otherwise they are found here."""
        if nwords > self.max_words:
            return None
        best = None
        bucket: Any = self.by_prefix.get(key[:PREFIX_LEN])
        if bucket is not None and nwords <= bucket.max_words:
            best = bucket.first_reversed(key, key, nwords, best)
        bucket = self.by_suffix.get(key[:-PREFIX_LEN - 1:-1])  # the last two characters, reversed
        if bucket is not None and nwords <= bucket.max_words:
            best = bucket.first_reversed(key, key[::-1], nwords, best)
        head = key[:1]
        bucket = self.by_first.get(head)
        if bucket is not None and nwords <= bucket.max_words:
            best = bucket.first(key, nwords, best)
        bucket = self.by_prefix1.get(head)
        if bucket is not None and nwords <= bucket.max_words:
            best = bucket.first_reversed(key, key, nwords, best)
        if gates is None:
            gates = [bucket for lits, bucket in self.gated if any(lit in key for lit in lits)]
        for bucket in gates:
            if nwords <= bucket.max_words:
                best = bucket.first(key, nwords, best)
        if self.rest is not None and nwords <= self.rest.max_words:
            best = self.rest.first(key, nwords, best)
        return best


# Gated buckets whose rules all stop at this many words scan only the lines that
# short (most of a page's text is in longer lines; a second limit at 80 words measured
# slower: those lines are most of the text again).
SHORT_LINE_WORDS = 24


def _scan(gates: dict[str, list[_Bucket]], keys: Sequence[str], lines: Sequence[int],
           hits: dict[int, list[_Bucket]]) -> None:
    """Add to ``hits`` (by line) the buckets that each of ``keys`` (lines ``lines`` of
    the page) holds a literal of (``gates`` maps literals to their buckets): one
    ``str.find`` scan per literal."""
    text = "\n".join(keys)
    starts = list(accumulate(map(add, map(len, keys[:-1]), repeat(1)), initial=0))
    find = text.find
    for lit, buckets in gates.items():
        pos = find(lit)
        while pos >= 0:
            i = lines[bisect_right(starts, pos) - 1]
            got = hits.get(i)
            if got is None:
                hits[i] = list(buckets)
            else:
                got.extend(b for b in buckets if b not in got)
            end = find("\n", pos)
            if end < 0:
                break
            pos = find(lit, end + 1)


def _file(buckets: dict[str, _Literals], lits: Sequence[str], width: int, rule: Any, pattern: str,
          cache: dict[str, Any]) -> None:
    """File a pattern under the first ``width`` characters of each of its literals."""
    for head in {p[:width] for p in lits}:
        bucket = buckets.get(head)
        if bucket is None:
            bucket = buckets[head] = _Literals(head, cache)
        bucket.add(lits, rule, pattern)


def _minimal(literals: Sequence[str]) -> list[str]:
    return [x for x in literals if not any(y != x and y in x for y in literals)]


def _gate(literals: Sequence[str]) -> Any:
    if len(literals) == 1:
        lit = literals[0]
        return lambda key: lit in key
    return re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True)))).search
