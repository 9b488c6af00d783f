"""Line features: values of hand-written lines, and independence from the rest of the page."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.passes.lines import _FIELDS, CJK_WORD, Features, _exact, _roles, stopwords

ATTRS = ("words", "tokens", "chars", "cjk", "end", "ellipsis", "inner", "caps", "digits", "seps",
         "links", "copyright", "date", "code", "stops")


def one(line: str) -> dict[str, object]:
    """The features of ``line`` as the only line of a page."""
    f = Features([line])
    return {name: getattr(f, name)[0] for name in ATTRS}


def test_a_sentence():
    got = one("  The board met on Monday, and approved the plan.  ")
    assert got["tokens"] == 9 and got["words"] == 9.0 and got["chars"] == 47
    assert got["end"] is True and got["ellipsis"] is False
    assert got["inner"] == 1
    assert got["caps"] == 2 / 9
    assert got["digits"] == 0.0 and got["date"] is False
    words = "the board met on monday and approved the plan".split()
    assert got["stops"] == [w for w in words if w in _any_stopword()]
    assert got["stops"][:1] == ["the"] and "board" not in got["stops"]


def test_a_menu_line():
    got = one("Home | News | Sport » Football")
    assert got["seps"] == 3
    assert got["end"] is False
    assert got["caps"] == 1.0
    assert got["stops"] == []


def test_a_cjk_line_counts_its_characters_as_half_words():
    got = one("港口委员会周一批准了新的渡轮时刻表，今天。")
    assert got["cjk"] == 19
    assert got["words"] == got["tokens"] + 19 * CJK_WORD
    assert got["inner"] == 2  # "，" and "。"
    assert got["end"] is True


def test_capital_sigma_and_dotted_capital_i_lowercase_like_the_line():
    # a final capital sigma lowercases to "ς", not "σ"; "İ" lowercases to "i" plus a
    # combining dot, which is not a word character and so splits the token
    assert one("ΟΔΟΣ and the")["stops"] == ["and", "the"]
    got = one("İstanbul and the")
    assert got["tokens"] == 3
    assert got["stops"] == ["i", "and", "the"]  # "i̇stanbul" splits at the dot: "i", "stanbul"
    assert got["caps"] == 1 / 3


def test_a_url_and_a_handle_are_links():
    got = one("Read more at https://www.example.com/news or follow @harbour")
    assert got["links"] == 4  # the scheme, "www.", ".com" and the handle
    assert one("A plain sentence about the harbour.")["links"] == 0


@pytest.mark.parametrize("line, name, expected", [
    ("Updated 13 August 2024, 6:42 PM", "date", True),
    ("2024-08-13", "date", True),
    ("13 sierpnia 2024", "date", True),
    ("AUG. 13", "date", True),
    ("Page 2 of 10", "date", False),
    # a long line is not a dateline, whatever it holds
    ("On 13 August 2024 the board met again " + "and talked " * 10, "date", False),
    ("© 2024 Harbour Times. All rights reserved.", "copyright", True),
    ("Tous droits réservés", "copyright", False),  # none of the literal hints
    ('<div class="ad">', "code", True),
    ("The document.write call", "code", False),
    ("The board said it would look again at the [...]", "ellipsis", True),
    ("Read on…", "ellipsis", True),
    ("The board met (Reuters)", "end", False),
    ("The board met. (Reuters)", "end", True),
    ("“The board met.”", "end", True),
])
def test_flags_of_short_lines(line: str, name: str, expected: bool):
    assert one(line)[name] is expected


def test_blank_and_unselected_lines_stay_zero():
    f = Features(["The board met.", "   ", "Home | News"], only=[0, 1])
    assert f.tokens == [3, 0, 0] and f.seps == [0, 0, 0] and f.stops[2] == [] and f.end == [True, False, False]


def _any_stopword() -> set[str]:
    return set().union(*stopwords().values())


# -- independence from the page ------------------------------------------------

CHARS = ("abcxyzABCXYZ0123456789_ .,;:!?'\"()[]{}<>|/@#-–—•·»›…©“”’«\t\x00\x1c\xa0"
         "éüßÆΣσςİıſKⅫⅻ²½٣東京の。，、ǅﬁ😀")
LINE = st.text(alphabet=st.sampled_from(CHARS), max_size=40) | st.sampled_from([
    "The board met on Monday.", "Home | News | Sport", "13 Aug. 2024 6:42", "© 2024 All Rights Reserved",
    "www.example.com", "<script>var x = 1;</script>", "Read more [...]", "ΟΔΟΣ", "İzmir", "港口委员会。", "",
])


def features_of(f: Features, i: int) -> tuple[object, ...]:
    return tuple(getattr(f, name)[i] for name in ATTRS) + tuple(f.hits_of(c)[i] for c in f.languages)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12), st.data())
def test_a_lines_features_depend_only_on_the_line(lines: list[str], data: st.DataObject):
    whole = Features(lines)
    only = sorted(set(data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=len(lines)))))
    part = Features(lines, only)
    for i, line in enumerate(lines):
        alone = features_of(Features([line]), 0)
        assert features_of(whole, i) == alone
        if i in only:
            assert features_of(part, i) == alone
        else:
            assert features_of(part, i) == features_of(Features([""]), 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12))
def test_page_features_agree_with_the_line_by_line_computation(lines: list[str]):
    f = Features(lines)
    for i, line in enumerate(lines):
        s = line.strip()
        if s:
            assert tuple(getattr(f, name)[i] for name in _FIELDS) == _exact(s)


def test_lines_holding_a_line_break_or_a_lone_surrogate():
    lines = ["The board\nmet on Monday.", "A lone \ud800 surrogate, here.", "Home | News"]
    f = Features(lines)
    for i, line in enumerate(lines):
        assert tuple(getattr(f, name)[i] for name in _FIELDS) == _exact(line.strip())


def test_unicode_facts_the_page_transcription_relies_on():
    """Every non-ASCII character either has ``_roles`` or is computed line by line; a word
    character (``\\w``) lowers to one word character of the same letter-ness."""
    word = re.compile(r"\w").fullmatch
    for o in range(128, sys.maxunicode + 1):
        c = chr(o)
        is_word = word(c) is not None
        assert is_word == (c.isalnum() or c == "_")
        roles = _roles(c)
        if roles is None or not is_word:
            continue
        low = c.lower()
        assert len(low) == 1 and (low.isalnum() or low == "_") and low.isalpha() == c.isalpha()
        assert roles[1] in ("U", "w", "0")
