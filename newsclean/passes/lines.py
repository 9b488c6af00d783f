"""Shallow, language-aware features of each line, computed once per page.

Features are plain parallel lists (no per-line objects): word count, stop-word
count, sentence ending, share of capitalised words, digits, separators, link-
or handle-like tokens, CJK characters. They depend only on the line's own text
(stripped of surrounding white space), so a line has the same features wherever
it stands and however often the page is cleaned.

The stop-word lists live in ``newsclean/data/stopwords.txt`` and are read on
first use, once. The page's language is the list with the most hits among the
page's words; when no list is hit often enough (an unknown language, or a
script written without spaces), the passes fall back to language-free features.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from collections import Counter, deque
from functools import lru_cache
from itertools import accumulate, chain, compress, count, repeat
from operator import add, itemgetter, truediv
from pathlib import Path
from typing import Any, Callable, Iterable

_TOKEN = re.compile(r"\w+")
# Chinese, Japanese (kana) and Korean characters: scripts where a "word" is not
# delimited by spaces; each such character counts as a fraction of a word.
# (compiled on first use: a class of large ranges costs milliseconds to compile)
CJK_SOURCE = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
_CJK_FIRST = "\u3040"  # no CJK character comes before this one
# A line that ends a sentence: . ! ? (or their CJK forms) possibly followed by
# closing quotes or brackets.
_SENTENCE_END = re.compile(r"""[.!?。！？…]['"”’»«“)\]]*$|[.!?]\s*\(\w[^()]{0,30}\)$""")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
_LINKISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|pl|fr|co\.uk|html?|php|jpe?g|png)\b|(?:^|\s)[@#]\w|\w@\w")
_CODE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|\b(?:function\s*\(|document\.|window\.|var\s+\w+\s*=)|[{};]\s*[{}]").search
_LINK_HINT_RE = re.compile(r"\.(?:com|org|net|de|pl|fr|co|htm|php|jp|png)")
_LINK_HINT = _LINK_HINT_RE.search
# What only a copyright notice says ("© 2031 …", "All rights reserved."); a line with
# the word "copyright" is a copyright line too, but a sentence may mention copyright.
_NOTICE_MARKS = r"©|\(c\)\s*\d{4}|all rights reserved|alle rechte vorbehalten|tous droits réservés"
_COPYRIGHT = re.compile(_NOTICE_MARKS + "|copyright", re.I)
NOTICE = re.compile(_NOTICE_MARKS + "|&copy;|todos los derechos reservados|tutti i diritti riservati", re.I).search
_MONTHS = (
    "jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun[ei]?|jul[iy]?|aug(?:ust)?|sep(?:t|tember)?"
    "|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|février|mars|avril|juin|juillet|août"
    "|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre"
    "|noviembre|diciembre|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
)
# A date or a time: "13 August 2024", "Aug. 13", "2024-08-13", "13.08.2024", "6:42 PM".
_DATE_BY_MONTH = rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b"
_DATE_BY_DIGITS = r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}\b"
DATELINE_SOURCE = f"{_DATE_BY_MONTH}|{_DATE_BY_DIGITS}"


@lru_cache(maxsize=1)
def _cjk_findall() -> Any:
    return re.compile(CJK_SOURCE).findall


@lru_cache(maxsize=1)
def dateline() -> "re.Pattern[str]":
    """The date-or-time pattern, compiled on first use (it is large)."""
    return re.compile(DATELINE_SOURCE, re.I)

_END_CHARS = frozenset(".!?。！？…'\"”’»«“)]")
CJK_WORD = 0.5  # one CJK character counts as half a word


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Stop-word sets by language code, read from the package data once."""
    text = (Path(__file__).parents[1] / "data" / "stopwords.txt").read_text(encoding="utf-8")
    lists: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = lists.setdefault(line[1:-1], set())
            continue
        if current is not None:
            current.update(line.lower().split())
    return {code: frozenset(words) for code, words in lists.items()}


@lru_cache(maxsize=1)
def _all_stopwords() -> frozenset[str]:
    return frozenset().union(*stopwords().values())


@lru_cache(maxsize=1)
def _all_stopwords_and_break() -> frozenset[str]:
    return _all_stopwords() | {"\0"}


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    """The codes of the stop-word lists, sorted (the order languages are tried in)."""
    return tuple(sorted(stopwords()))


# How the text of a page is rewritten for the column-wise features (see ``_Columns``):
# as bytes, where a table translates every ASCII character in one C-level pass.
def _byte_table(word: "Callable[[str], str]", comma: str, high: "int | None") -> bytes:
    """A 256-byte translation table: ASCII word characters through ``word``, "," ";" ":" to
    ``comma``, other ASCII to a space, "\n" kept; bytes of non-ASCII characters kept
    (``high`` None) or all made ``high``."""
    table = bytearray(range(256))
    for b in range(128):
        c = chr(b)
        table[b] = ord(word(c) if c.isalnum() or c == "_" else comma if c in ",;:" else "\n" if c == "\n" else " ")
    if high is not None:
        table[128:] = bytes([high]) * 128
    return bytes(table)


# Lowered tokens separated by spaces.
_LOWER_TABLE = _byte_table(str.lower, " ", None)
# The shape of the text: "U" an upper-case letter, "0" a digit or "_", "w" another word
# character, "," inner punctuation, " " anything else.
_SHAPE_TABLE = _byte_table(lambda c: "U" if c.isupper() else "0" if not c.isalpha() else "w", ",", ord("w"))
_ASCII_BYTES = bytes(range(128))


@lru_cache(maxsize=None)
def _roles(c: str) -> "tuple[str, str] | None":
    """How the non-ASCII character ``c`` is written in the lowered text and in the shape.

    None for the characters whose lines are computed one by one (``_exact``): CJK
    (counted apart), a capital sigma and a dotted capital I (lowercased by context,
    or to two characters), and the upper-case numerals (Ⅻ: upper case, not a letter).
    Every other word character lowers to one word character of the same letter-ness,
    never to white space (checked over all of Unicode in the tests).
    """
    if c == "Σ" or c == "İ" or _cjk_findall()(c):
        return None
    if not (c.isalnum() or c == "_"):
        return " ", " "
    if c.isupper():
        return (c.lower(), "U") if c.isalpha() else None
    return c.lower(), ("w" if c.isalpha() else "0")


def _transcribe(text: str) -> "tuple[str, bytes, list[str]] | None":
    r"""The lowered text, the shape and the characters computed one by one, of ``text``.

    In the lowered text every non-word character is a space, so splitting it on white
    space gives the lowercased \w+ tokens; a "\0" (otherwise a space too) stands
    before, between and after the lines. In the shape every character is one
    of "U0w, " (a non-ASCII character as several "w"); each line starts with a space,
    and a space follows each ",", so " U" marks a token that starts with a capital.
    None when the text cannot be encoded (a lone surrogate).
    """
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return None
    special: list[str] = []
    if not text.isascii():
        low, shape = text, text
        for c in set(data.translate(None, _ASCII_BYTES).decode()):
            roles = _roles(c)
            if roles is None:
                special.append(c)
                continue
            if roles[0] != c:
                low = low.replace(c, roles[0])
            if roles[1] != "w":
                shape = shape.replace(c, roles[1])
        data = low.encode()
        shaped = shape.encode()
    else:
        shaped = data
    lowered = (b"\0 " + data.translate(_LOWER_TABLE).replace(b"\n", b" \0 ") + b" \0").decode()
    shaped = b" " + shaped.translate(_SHAPE_TABLE).replace(b"\n", b"\n ").replace(b",", b", ")
    return lowered, shaped, special


def _lines_containing(text: str, starts: list[int], needle: str) -> list[int]:
    """The lines of ``text`` (starting at the offsets ``starts``) that contain ``needle``.

    One search per line found: after a hit the search goes on at the next line.
    """
    found: list[int] = []
    find = text.find
    pos = find(needle)
    while pos >= 0:
        p = bisect_right(starts, pos) - 1
        found.append(p)
        pos = find(needle, starts[p + 1])
    return found


def _month_words() -> frozenset[str]:
    """Every word the month alternation of ``DATELINE_SOURCE`` matches, in lower case.

    The alternation is made of stems with an optional group ("jan(?:uary|uar)?") or
    an optional character ("jun[ei]?"); anything else fails the assertion.
    """
    words: set[str] = set()
    parts = re.findall(r"([^|(\[]+)(\(\?:([^()]+)\)\?|\[([^\]]+)\]\?)?", _MONTHS)
    assert "|".join(stem + rest for stem, rest, _, _ in parts) == _MONTHS
    for stem, _, group, chars in parts:
        words.add(stem)
        words.update(stem + x for x in (group.split("|") if group else chars or ""))
    return frozenset(words)


_MONTH_WORDS = _month_words()


@lru_cache(maxsize=1)
def _date_searches() -> "tuple[Callable[[str], Any], Callable[[str], Any]]":
    """The two halves of ``dateline``: dates with a month name, dates and times in digits."""
    return re.compile(_DATE_BY_MONTH, re.I).search, re.compile(_DATE_BY_DIGITS, re.I).search


def _date_finder(text: str) -> "Callable[[str, list[str], bytes], bool]":
    """Whether a line holds a date or a time (``dateline``), given also its lowered tokens and shape.

    The pattern is two halves, and a line is searched with a half only if it may
    match: a month name stands as a whole token ("13 Aug. 2024"), and digits around
    "-", "." "/" or ":" ("2024-08-13", "6:42") show in the shape as "0 0" or "0, 0".
    The month names are compared in lower case, which is what the case-insensitive
    pattern does but for the dotless i and the long s ("ı", "ſ"): on a page holding
    one, every line is searched for them.
    """
    by_month, by_digits = _date_searches()
    disjoint = (lambda toks: False) if "ı" in text or "ſ" in text else _MONTH_WORDS.isdisjoint

    def holds_date(line: str, toks: list[str], shape: bytes) -> bool:
        return (((b"0 0" in shape or b"0, 0" in shape) and by_digits(line) is not None)
                or (not disjoint(toks) and by_month(line) is not None))
    return holds_date


_CLOSERS = "'\"”’»«“)]"
_ENDERS = tuple(".!?。！？…")
_ELLIPSES = ("...", "…", "[…]", "[...]")
_DENSE = ("words", "tokens", "chars", "end", "inner", "caps", "stops")


class _Columns:
    """Features of the stripped non-blank lines of a page, computed column by column.

    Each feature is built over all lines by C-level loops (``map`` over builtins,
    translations and splits of the whole page's text) instead of one Python loop body
    per line, which costs several times more. Features that few lines have are
    computed only for the lines that hold a character they need. ``dense`` holds the
    lists by feature name, ``sparse`` the values of the other features by line.
    """

    __slots__ = ("lines", "dense", "sparse")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        k = len(lines)
        self.dense: dict[str, list[Any]] = {}
        self.sparse: dict[str, dict[int, Any]] = {name: {} for name in _FIELDS if name not in _DENSE}
        text = "\n".join(lines)
        got = _transcribe(text) if text.count("\n") == k - 1 else None
        if got is None:
            self.dense = {name: [default] * k for name, default in zip(_FIELDS, _DEFAULTS) if name in _DENSE}
            self._one_by_one(range(k))
            return
        lowered, shaped, special = got
        starts = list(accumulate(map(add, map(len, lines), repeat(1)), initial=0))
        self._words(lowered.split(), shaped.split(b"\n"), text)
        self._ends(text + "\n", starts)
        self._rare(text, starts)
        if special:
            self._one_by_one(compress(range(k), map(operator.not_, map(frozenset(special).isdisjoint, lines))))


    def _words(self, words: list[str], shapes: list[bytes], text: str) -> None:
        """Tokens, words, inner punctuation, capitals, digits, dates and stop words.

        ``words`` are the page's lowered tokens with a "\0" before, between and after
        the lines: one list for the page, not one per line.
        """
        lines, dense, sparse = self.lines, self.dense, self.sparse
        firsts, tokens = _spans(words, len(lines))
        dense["tokens"] = tokens
        dense["chars"] = list(map(len, lines))
        dense["words"] = list(map(float, tokens))
        dense["inner"] = list(map(bytes.count, shapes, repeat(b",")))
        dense["stops"] = _stops(words, tokens)
        upper = list(map(bytes.count, shapes, repeat(b" U")))
        # Where every token is all letters, capitals are at most all of them: the share
        # needs neither min() nor a check for zero (a line without tokens has no capitals).
        alpha = tokens.copy()
        at = -1
        try:
            while True:
                at = tokens.index(0, at + 1)
                alpha[at] = 1
        except ValueError:
            pass
        caps = dense["caps"] = list(map(truediv, upper, alpha))
        # Lines with a token that is not all letters have a "0" in their shape.
        digits, dates = sparse["digits"], sparse["date"]
        holds_date = _date_finder(text)
        for p in compress(count(), map((-1).__ne__, map(bytes.find, shapes, repeat(b"0")))):
            nt = tokens[p]
            toks = words[firsts[p]:firsts[p] + nt]
            a = sum(map(str.isalpha, toks))
            caps[p] = min(1.0, upper[p] / a) if a else 0.0
            if a < nt:
                digits[p] = (nt - a) / nt
                if nt <= 15:
                    dates[p] = holds_date(lines[p], toks, shapes[p])

    def _ends(self, text: str, starts: list[int]) -> None:
        """Sentence endings and ellipses; ``text`` is the page's text with a final "\n".

        A sentence ends in . ! ? (or their CJK forms) followed by closing quotes or
        brackets: the line without its closing characters ends in one. Only a line
        that ends in ")" needs the full pattern (a sentence followed by "(Reuters)").
        """
        lines = self.lines
        end = self.dense["end"] = list(map(str.endswith, map(str.rstrip, lines, repeat(_CLOSERS)), repeat(_ENDERS)))
        search = _SENTENCE_END.search
        for p in _lines_containing(text, starts, ")\n"):
            end[p] = search(lines[p]) is not None
        ellipsis, search = self.sparse["ellipsis"], _ELLIPSIS_END.search
        for p in compress(count(), map(str.endswith, lines, repeat(_ELLIPSES))):
            ellipsis[p] = search(lines[p]) is not None

    def _rare(self, text: str, starts: list[int]) -> None:
        """Separators, links, markup and copyright, on the lines holding one of their hints.

        Each hint is found in the page's text by ``str.find`` (a single character by
        memchr); a few stand for longer ones ("/" for " / " and "://", "(" for "(c)"
        and "();"), and the value is computed on the line itself, so a line found by
        a broader hint gets the same value as by the exact one.
        """
        lines, sparse = self.lines, self.sparse
        found: dict[str, list[int]] = {}

        def holding(needles: tuple[str, ...]) -> list[int]:
            for x in needles:
                if x not in found:
                    found[x] = _lines_containing(text, starts, x)
            return sorted(set(chain.from_iterable(map(found.__getitem__, needles))))

        found["."] = [bisect_right(starts, m.start()) - 1 for m in _LINK_HINT_RE.finditer(text)]
        for name, needles, value in (
            ("seps", ("|", "•", "·", "»", "›", "/", ">", " - ", "–", "—"), _seps),
            ("links", ("/", "www.", "@", "#", "."), _links),
            ("code", ("<", "{", "("), _code),
            ("copyright", ("©", "ight", "IGHT", "rved", "(", "vorbehalten"), _copyright),
        ):
            column = sparse[name]
            for p in holding(needles):
                column[p] = value(lines[p])

    def _one_by_one(self, positions: "Iterable[int]") -> None:
        """Features of the lines at ``positions``, one line at a time (see ``_exact``)."""
        dense, sparse, lines = self.dense, self.sparse, self.lines
        for p in positions:
            for name, value in zip(_FIELDS, _exact(lines[p])):
                column = dense.get(name)
                if column is not None:
                    column[p] = value
                else:
                    sparse[name][p] = value


def _spans(words: list[str], k: int) -> tuple[list[int], list[int]]:
    """Where each of the ``k`` lines' tokens start in ``words`` (split at "\0"), and how many there are."""
    index = words.index
    firsts: list[int] = []
    counts: list[int] = []
    first, add_first, add_count = 1, firsts.append, counts.append
    for _ in range(k):
        end = index("\0", first)
        add_first(first)
        add_count(end - first)
        first = end + 1
    return firsts, counts


def _stops(words: list[str], tokens: list[int]) -> list[list[str]]:
    """The stop words of each line, in order: filtered from the page's words in one pass.

    A line without any shares one empty list, as in ``Features``'s default.
    """
    keep = _all_stopwords_and_break().__contains__
    pieces = " ".join(filter(keep, words)).split("\0")[1:-1]
    got: list[list[str]] = [[]] * len(pieces)
    for p in compress(count(), map(" ".__ne__, pieces)):
        got[p] = pieces[p].split()
    return got


def _spreader(n: int, at: list[int]) -> "Callable[[list[Any], Any], list[Any]]":
    """A function from a column of the lines ``at`` to the list over all ``n`` lines (``default`` elsewhere)."""
    k = len(at)
    if k == n and at == list(range(n)):
        return lambda col, default: col
    order = [k] * n
    deque(map(order.__setitem__, at, range(k)), maxlen=0)
    if n == 1:
        return lambda col, default: [(col + [default])[order[0]]]
    if n == 0:
        return lambda col, default: []
    pick = itemgetter(*order)

    def spread(col: list[Any], default: Any) -> list[Any]:
        col.append(default)
        return list(pick(col))
    return spread


_FIELDS = ("words", "tokens", "chars", "cjk", "end", "ellipsis", "inner", "caps",
           "digits", "seps", "links", "copyright", "date", "code", "stops")
_DEFAULTS: tuple[Any, ...] = (0.0, 0, 0, 0, False, False, 0, 0.0, 0.0, 0, 0, False, False, False, [])


def _exact(s: str) -> tuple[Any, ...]:
    """All features of one stripped, non-blank line (in the order of ``_FIELDS``), line by line.

    The reference the column-wise computation in ``_Columns`` must agree with; used
    directly for the lines that one does not cover (CJK, a capital sigma or a dotted
    capital I, Roman numerals) and for text it cannot join (lines holding a line break
    or a lone surrogate).
    """
    toks = _TOKEN.findall(s)
    nt = len(toks)
    cjk = 0 if s.isascii() or max(s) < _CJK_FIRST else len(_cjk_findall()(s))
    words = (nt + cjk * CJK_WORD) if cjk else float(nt)
    last = s[-1]
    end = ellipsis = False
    if last in _END_CHARS:
        end = _SENTENCE_END.search(s) is not None
        ellipsis = (last == "…" or last == "." or last == "]") and _ELLIPSIS_END.search(s) is not None
    inner = s.count(",") + s.count(";") + s.count(":") + (s.count("，") + s.count("、") + s.count("。") if cjk else 0)
    caps = digits = 0.0
    date = False
    stops: list[str] = []
    if nt:
        alpha = sum(map(str.isalpha, toks))
        num = nt - alpha
        if alpha:
            caps = min(1.0, sum(map(str.isupper, map(itemgetter(0), toks))) / alpha)
        if num:
            digits = num / nt
            if nt <= 15:
                date = dateline().search(s) is not None
        # The tokens of the lowercased line are the lowercased tokens, except
        # with a capital sigma (its lowercase depends on what follows) or a
        # dotted capital I (lowercased to two characters, one not a word
        # character); checked for every character.
        stops = list(filter(_all_stopwords().__contains__,
                            " ".join(toks).lower().split() if s.isascii() or ("Σ" not in s and "İ" not in s)
                            else _TOKEN.findall(s.lower())))
    return (words, nt, len(s), cjk, end, ellipsis, inner, caps, digits, _seps(s), _links(s), _copyright(s), date,
            _code(s), stops)


def _links(s: str) -> int:
    """URL-, file- or handle-like tokens (none without one of the hints)."""
    return len(_LINKISH.findall(s)) if ("://" in s or "www." in s or "@" in s or "#" in s or _LINK_HINT(s)) else 0


def _code(s: str) -> bool:
    """Markup or script; only on a line holding "<", "{" or "();" (not prose naming "document.")."""
    return ("<" in s or "{" in s or "();" in s) and _CODE(s) is not None


def _copyright(s: str) -> bool:
    """A copyright line; only one holding one of these literal hints."""
    return (("©" in s or "ight" in s or "IGHT" in s or "rved" in s or "(c)" in s or "(C)" in s
             or "vorbehalten" in s) and _COPYRIGHT.search(s) is not None)


def _seps(s: str) -> int:
    """Separator characters between items ("a | b", "Home » News", "x - y")."""
    return (s.count("|") + s.count("•") + s.count("·") + s.count(" » ") + s.count(" › ")
            + s.count(" / ") + s.count(" > ") + s.count(" - ") + s.count(" – ") + s.count(" — "))


class Features:
    """Per-line features of a page, as parallel lists indexed by line number."""

    __slots__ = ("n", "words", "tokens", "chars", "cjk", "end", "ellipsis", "inner", "caps",
                 "digits", "seps", "links", "copyright", "date", "code", "languages", "stops", "_hits")

    def __init__(self, lines: list[str], only: "list[int] | None" = None) -> None:
        """Features of ``lines`` (or only of the lines at the indices ``only``; the rest stay zero)."""
        n = len(lines)
        self.n = n
        # words: word count (CJK characters count CJK_WORD each); tokens: \w+ tokens;
        # chars: characters of the stripped line; cjk: CJK characters; end: ends like a
        # sentence; ellipsis: ends with an ellipsis (a teaser); inner: commas and other
        # inner punctuation; caps: share of word tokens that start with a capital;
        # digits: share of tokens holding a digit; seps: separator characters between
        # items; links: URL-, file- or handle-like tokens; date: a short line holding a
        # date or a time; code: markup or script left in the text; stops: the stop
        # words of each line (of any language), lowercased, counted per language only
        # when asked (see hits_of).
        self.words: list[float]
        self.tokens: list[int]
        self.chars: list[int]
        self.cjk: list[int]
        self.end: list[bool]
        self.ellipsis: list[bool]
        self.inner: list[int]
        self.caps: list[float]
        self.digits: list[float]
        self.seps: list[int]
        self.links: list[int]
        self.copyright: list[bool]
        self.date: list[bool]
        self.code: list[bool]
        self.stops: list[list[str]]
        self.languages = _languages()
        self._hits: dict[str, list[int]] = {}
        picked = range(n) if only is None else only
        stripped = list(map(str.strip, map(lines.__getitem__, picked)))
        at = list(compress(picked, stripped))  # line numbers of the non-blank lines
        cols = _Columns(list(compress(stripped, stripped)))
        spread = _spreader(n, at)
        for name, default in zip(_FIELDS, _DEFAULTS):
            col = cols.dense.get(name)
            if col is not None:
                setattr(self, name, spread(col, default))
            else:
                full = [default] * n
                for p, value in cols.sparse[name].items():
                    full[at[p]] = value
                setattr(self, name, full)

    def hits_of(self, code: str) -> list[int]:
        """Stop words of the language ``code`` per line (computed once per language)."""
        got = self._hits.get(code)
        if got is None:
            contains = stopwords()[code].__contains__
            got = self._hits[code] = [sum(map(contains, low)) if low else 0 for low in self.stops]
        return got

    @property
    def hits(self) -> list[list[int]]:
        """Stop words per language (in the order of ``languages``), per line."""
        return [self.hits_of(code) for code in self.languages]


def guess_language(feats: Features, indices: list[int], min_hits: int, min_share: float) -> str | None:
    """The stop-word list with the most hits among the given lines' words, if it is hit enough."""
    total = sum(map(feats.tokens.__getitem__, indices))
    if not total:
        return None
    counts = Counter(chain.from_iterable(map(feats.stops.__getitem__, indices)))
    lists = stopwords()
    best, best_hits = None, 0
    for code in feats.languages:
        h = sum(map(counts.__getitem__, lists[code].intersection(counts)))
        if h > best_hits:
            best, best_hits = code, h
    if best is None or best_hits < min_hits or best_hits < min_share * total:
        return None
    return best


def stop_counts(feats: Features, language: str | None) -> list[int]:
    """Stop words per line for the given language (zeros when it is unknown)."""
    if language is None:
        return [0] * feats.n
    return feats.hits_of(language)
