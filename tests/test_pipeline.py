"""The page-at-once helpers of the pipeline agree with their line-by-line definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.pipeline import line_keys, split_lines
from newsclean.rules import line_key

# Characters where folding, stripping, lowering or quote-straightening could go wrong:
# white space of every kind, decoration, curly quotes, a capital sigma (its lowercase
# depends on what follows) and a dotted capital I (lowercased to two characters).
TRICKY = " \t\u00a0\u2003\u2028\x0b\x0c\x1c\x85•|»-:…’‘“”„`ʼΣσİIKK©AaΑΩ'\"é"
LINES = st.lists(st.text(alphabet=st.sampled_from(TRICKY) | st.characters(blacklist_categories=("Cs",),
                                                                           blacklist_characters="\r\n"),
                         max_size=30), max_size=12)


@settings(max_examples=500, deadline=None)
@given(LINES)
def test_keys_of_a_page_are_the_keys_of_its_lines(lines):
    assert line_keys(lines) == [line_key(x) for x in lines]


def test_keys_of_typical_lines():
    lines, _ = split_lines("  WATCH:  The ‘Harbor’ Report\u00a0 •\n\tΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ\n\n» İstanbul `live` «\n")
    assert line_keys(lines) == ["watch: the 'harbor' report", "οδος σοφοκλεους", "", "i̇stanbul 'live'"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \r\n\u2028"), max_size=40))
def test_lines_end_at_crlf_lone_cr_and_lf_alike(text):
    import re

    lines, newline = split_lines(text)
    expected = re.split(r"\r\n|\r|\n", text)
    if expected[-1] == "":
        expected.pop()
    assert lines == expected
    first = re.search(r"\r\n|\r|\n", text)
    assert newline == ("\r\n" if first is not None and first.group() == "\r\n" else "\n")
