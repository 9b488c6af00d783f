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
from importlib import resources

_TOKEN = re.compile(r"\w+")
# Chinese, Japanese (kana) and Korean characters: scripts where a "word" is not
# delimited by spaces; each such character counts as a fraction of a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# A line that ends a sentence: . ! ? (or their CJK forms) possibly followed by
# closing quotes or brackets.
_SENTENCE_END = re.compile(r"""[.!?。！？…]['"”’»)\]]*$|[.!?]\s*\(\w[^()]{0,30}\)$""")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
_INNER_PUNCT = re.compile(r"[,;:。，、]")
_SEPARATORS = re.compile(r"\s[|•·»›/>]\s|\s[|•·»›]|[|•·»›]\s|\s[-–—]\s")
_LINKISH = re.compile(r"https?://|www\.|\.(?:com|org|net|de|pl|fr|co\.uk|html?|php|jpe?g|png)\b|(?:^|\s)[@#]\w|\w@\w")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved|alle rechte vorbehalten|tous droits réservés", re.I)
_DIGIT = re.compile(r"\d")

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
                 "digits", "seps", "links", "copyright", "languages", "hits")

    def __init__(self, lines: list[str]) -> None:
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
        codes, table = _word_languages()
        self.languages = codes
        self.hits = [[0] * n for _ in codes]  # stop words per language, per line
        hits = self.hits
        lookup = table.get
        token_re, cjk_re = _TOKEN.findall, _CJK.findall
        for i, raw in enumerate(lines):
            s = raw.strip()
            if not s:
                continue
            toks = token_re(s)
            cjk = len(cjk_re(s))
            self.tokens[i] = len(toks)
            self.chars[i] = len(s)
            self.cjk[i] = cjk
            self.words[i] = (len(toks) + cjk * CJK_WORD) if cjk else float(len(toks))
            self.end[i] = _SENTENCE_END.search(s) is not None
            self.ellipsis[i] = _ELLIPSIS_END.search(s) is not None
            self.inner[i] = len(_INNER_PUNCT.findall(s))
            if toks:
                alpha = [t for t in toks if t[0].isalpha()]
                if alpha:
                    self.caps[i] = sum(1 for t in alpha if t[0].isupper()) / len(alpha)
                if _DIGIT.search(s):
                    self.digits[i] = sum(1 for t in toks if _DIGIT.search(t)) / len(toks)
            self.seps[i] = len(_SEPARATORS.findall(s))
            self.links[i] = len(_LINKISH.findall(s))
            self.copyright[i] = _COPYRIGHT.search(s) is not None
            for t in toks:
                ks = lookup(t.lower())
                if ks:
                    for k in ks:
                        hits[k][i] += 1


def guess_language(feats: Features, indices: list[int], min_hits: int, min_share: float) -> str | None:
    """The stop-word list with the most hits among the given lines' words, if it is hit enough."""
    total = sum(feats.tokens[i] for i in indices)
    if not total:
        return None
    best, best_hits = None, 0
    for code, per_line in zip(feats.languages, feats.hits):
        h = sum(per_line[i] for i in indices)
        if h > best_hits:
            best, best_hits = code, h
    if best is None or best_hits < min_hits or best_hits < min_share * total:
        return None
    return best


def stop_counts(feats: Features, language: str | None) -> list[int]:
    """Stop words per line for the given language (zeros when it is unknown)."""
    if language is None:
        return [0] * feats.n
    return feats.hits[feats.languages.index(language)]
