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

import re
from functools import lru_cache
from collections import Counter
from itertools import chain
from operator import itemgetter
from importlib import resources
from typing import Any

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
# a line without any of these has no separators (see ``seps``)
_SEP_CHARS = re.compile("[|•·»›/>\\-–—]").search
_LINK_HINT = re.compile(r"\.(?:com|org|net|de|pl|fr|co|htm|php|jp|png)").search
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved|alle rechte vorbehalten|tous droits réservés", re.I)
_MONTHS = (
    "jan(?:uary|uar)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun[ei]?|jul[iy]?|aug(?:ust)?|sep(?:t|tember)?"
    "|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|février|mars|avril|juin|juillet|août"
    "|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre"
    "|noviembre|diciembre|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
)
# A date or a time: "13 August 2024", "Aug. 13", "2024-08-13", "13.08.2024", "6:42 PM".
DATELINE_SOURCE = (
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}\b"
)


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
    text = resources.files("newsclean").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
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
def _word_languages() -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """Language codes, and for every stop word the indices of the languages that list it."""
    lists = stopwords()
    codes = tuple(sorted(lists))
    table: dict[str, list[int]] = {}
    for k, code in enumerate(codes):
        for w in lists[code]:
            table.setdefault(w, []).append(k)
    return codes, {w: tuple(ks) for w, ks in table.items()}


class Features:
    """Per-line features of a page, as parallel lists indexed by line number."""

    __slots__ = ("n", "words", "tokens", "chars", "cjk", "end", "ellipsis", "inner", "caps",
                 "digits", "seps", "links", "copyright", "date", "code", "languages", "stops", "_hits")

    def __init__(self, lines: list[str], only: "list[int] | None" = None) -> None:
        """Features of ``lines`` (or only of the lines at the indices ``only``; the rest stay zero)."""
        n = len(lines)
        self.n = n
        self.words = [0.0] * n      # word count (CJK characters count CJK_WORD each)
        self.tokens = [0] * n       # \w+ tokens
        self.chars = [0] * n        # characters of the stripped line
        self.cjk = [0] * n          # CJK characters
        self.end = [False] * n      # ends like a sentence
        self.ellipsis = [False] * n # ends with an ellipsis (a teaser)
        self.inner = [0] * n        # commas and other inner punctuation
        self.caps = [0.0] * n       # share of word tokens that start with a capital
        self.digits = [0.0] * n     # share of tokens holding a digit
        self.seps = [0] * n         # separator characters between items
        self.links = [0] * n        # URL-, file- or handle-like tokens
        self.copyright = [False] * n
        self.date = [False] * n     # a short line holding a date or a time
        self.code = [False] * n     # markup or script left in the text
        codes, table = _word_languages()
        self.languages = codes
        # the stop words of each line (of any language), lowercased; counted per
        # language only when asked (see hits_of)
        self.stops: list[list[str]] = [[]] * n
        stops = self.stops
        self._hits: dict[str, list[int]] = {}
        any_stop = _all_stopwords().__contains__
        first = itemgetter(0)
        token_re, sep_chars = _TOKEN.findall, _SEP_CHARS
        end_re, ellipsis_re = _SENTENCE_END.search, _ELLIPSIS_END.search
        links_re, copy_re = _LINKISH.findall, _COPYRIGHT.search
        words, tokens, chars, cjks, ends, ellipses = self.words, self.tokens, self.chars, self.cjk, self.end, self.ellipsis
        inner, caps, digits, seps, links, copyright = self.inner, self.caps, self.digits, self.seps, self.links, self.copyright
        dates, date_re = self.date, dateline().search
        for i in (range(n) if only is None else only):
            s = lines[i].strip()
            if not s:
                continue
            toks = token_re(s)
            nt = len(toks)
            cjk = 0 if s.isascii() or max(s) < _CJK_FIRST else len(_cjk_findall()(s))
            tokens[i] = nt
            chars[i] = len(s)
            cjks[i] = cjk
            words[i] = (nt + cjk * CJK_WORD) if cjk else float(nt)
            last = s[-1]
            if last in _END_CHARS:
                ends[i] = end_re(s) is not None
                ellipses[i] = (last == "…" or last == "." or last == "]") and ellipsis_re(s) is not None
            inner[i] = s.count(",") + s.count(";") + s.count(":") + (s.count("，") + s.count("、") + s.count("。") if cjk else 0)
            if nt:
                # C-level counting: no Python loop over tokens.
                alpha = sum(map(str.isalpha, toks))
                num = nt - alpha
                if alpha:
                    caps[i] = min(1.0, sum(map(str.isupper, map(first, toks))) / alpha)
                if num:
                    digits[i] = num / nt
                    if nt <= 15:
                        dates[i] = date_re(s) is not None
                # The tokens of the lowercased line are the lowercased tokens, except
                # with a capital sigma (its lowercase depends on what follows) or a
                # dotted capital I (lowercased to two characters, one not a word
                # character); checked for every character.
                low = list(filter(any_stop, (" ".join(toks).lower().split()
                                             if s.isascii() or ("Σ" not in s and "İ" not in s)
                                             else token_re(s.lower()))))
                if low:
                    stops[i] = low
            if sep_chars(s):
                seps[i] = (s.count("|") + s.count("•") + s.count("·") + s.count(" » ") + s.count(" › ")
                           + s.count(" / ") + s.count(" > ") + s.count(" - ") + s.count(" – ") + s.count(" — "))
            if "://" in s or "www." in s or "@" in s or "#" in s or _LINK_HINT(s):
                links[i] = len(links_re(s))
            if "<" in s or "{" in s or "();" in s:
                self.code[i] = _CODE(s) is not None
            if "©" in s or "ight" in s or "IGHT" in s or "rved" in s or "(c)" in s or "(C)" in s or "vorbehalten" in s:
                copyright[i] = copy_re(s) is not None


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
