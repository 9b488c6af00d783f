"""Properties that hold for every input, checked on generated text.

Two kinds of input: arbitrary Unicode text (with every kind of line break and
white space), and generated "pages": invented article paragraphs interleaved
with furniture lines taken from the built-in rules' own ``drops`` examples.

Examples per test: 200, or ``NEWSCLEAN_PROPERTY_EXAMPLES`` (e.g. 5000 for a
long run).
"""

from __future__ import annotations

import os
import re

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsclean import Config, clean, clean_and_explain
from newsclean.cli import main
from newsclean.pipeline import replay, split_lines
from newsclean.rules import builtin_catalog

EXAMPLES = int(os.environ.get("NEWSCLEAN_PROPERTY_EXAMPLES", "200"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("NEWSCLEAN_PROPERTY_RANDOM"),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])
PATTERN_RULES = Config().with_options(select=["NC1", "NC2", "NC3", "NC4", "NC5", "NC6", "NC7", "NC8"])
_BREAK = re.compile(r"\r\n|\r|\n")

# --- generators -------------------------------------------------------------------

# Any character, with line breaks, white space and decoration over-represented.
_ODD = st.sampled_from(list("\r\n\t \u00a0\u2028\u0085\u000b\u000c|•·-–—>»*#=_()[]{}:…\ufeff\u200b") + ["\r\n"])
_CHUNK = st.one_of(st.text(max_size=12), _ODD, st.sampled_from(["Watch CBS News", "Advertisement", "Share", "02:31"]))
ANY_TEXT = st.lists(_CHUNK, max_size=40).map("".join)

SUBJECTS = ["The city council", "Officials in the county", "A spokeswoman for the agency", "Residents of the valley",
            "The school board", "Investigators", "The governor's office", "Farmers along the river"]
VERBS = ["approved", "rejected", "questioned", "announced", "delayed", "reviewed", "defended", "criticised"]
OBJECTS = ["a plan to rebuild the old bridge", "the budget for the coming year", "new rules for short-term rentals",
           "a study of the water supply", "the closure of two rural clinics", "a proposal to widen the highway"]
TAILS = ["on Tuesday, according to minutes of the meeting.", "after a debate that lasted most of the evening.",
         "despite objections from several neighbours.", "in a statement released late on Friday.",
         "and said a final decision would come next month."]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """An invented article paragraph: one to three plain news sentences on one line."""
    n = draw(st.integers(1, 3))
    sentences = [f"{draw(st.sampled_from(SUBJECTS))} {draw(st.sampled_from(VERBS))} {draw(st.sampled_from(OBJECTS))} "
                 f"{draw(st.sampled_from(TAILS))}" for _ in range(n)]
    return " ".join(sentences)


FURNITURE = sorted({x for r in builtin_catalog().rules if r.kind == "pattern" for x in r.drops})


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A page as scraped: paragraphs and furniture lines in any order, blank lines between some."""
    items: list[tuple[str, bool]] = []
    for _ in range(draw(st.integers(1, 25))):
        if draw(st.booleans()):
            items.append((draw(paragraphs()), True))
        else:
            items.append((draw(st.sampled_from(FURNITURE)), False))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out: list[str] = []
    for text, _ in items:
        out.append(text + draw(st.sampled_from(["", "", " ", "  \t"])))
        out.extend([""] * draw(st.sampled_from([0, 0, 1, 1, 2])))
    ending = draw(st.sampled_from([newline, "", newline * 2]))
    return newline.join(out) + ending, [t for t, article in items if article]


TEXTS = st.one_of(ANY_TEXT, pages().map(lambda p: p[0]))

# --- helpers ----------------------------------------------------------------------


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


# --- properties -------------------------------------------------------------------


@PROFILE
@given(TEXTS)
@example("")
@example("\r")
@example("\r\r\n\n")
@example("\u2028Watch CBS News\u2029\x85")
def test_never_crashes_and_explains_every_removed_line(text):
    result = clean_and_explain(text)
    lines, _ = split_lines(text)
    assert result.lines_in == len(lines)
    for d in result.decisions:
        assert 1 <= d.lineno <= len(lines) and lines[d.lineno - 1] == d.line
        assert d.code and d.name and d.stage
    assert result.text == "" or result.text.endswith(result.newline)
    # clean() runs the same passes without building the explanation
    assert clean(text) == result.text


@PROFILE
@given(TEXTS)
def test_cleaning_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once


@PROFILE
@given(TEXTS)
def test_output_lines_are_input_lines_in_order(text):
    result = clean_and_explain(text)
    out_lines, _ = split_lines(result.text)
    in_lines, _ = split_lines(text)
    if result.layout.name == "lines":
        assert is_subsequence(out_lines, [x.rstrip() for x in in_lines])
    else:  # blocks of another layout: the output's text stands in the input, in order
        flat, at = "".join(text.split()), 0
        for line in out_lines:
            at = flat.find("".join(line.split()), at)
            assert at >= 0


@PROFILE
@given(TEXTS)
def test_removing_exactly_the_explained_lines_reproduces_the_output(text):
    result = clean_and_explain(text)
    assert replay(text, {d.lineno for d in result.decisions}) == result.text


@PROFILE
@given(pages())
def test_pattern_rules_never_remove_an_article_paragraph(page):
    text, article = page
    result = clean_and_explain(text, PATTERN_RULES)
    removed = {d.line.rstrip(): d.code for d in result.decisions}
    assert not [(p, removed[p]) for p in article if p in removed]
    kept = set(split_lines(result.text)[0])
    assert all(p in kept for p in article)


@PROFILE
@given(pages())
def test_pattern_rules_remove_every_furniture_example(page):
    text, article = page
    result = clean_and_explain(text, PATTERN_RULES)
    kept = [x for x in split_lines(result.text)[0] if x]
    assert kept == [x for x in kept if x in article]


# The CLI decodes bytes: keep to text that is not refused as binary and has no BOM to strip.
CLI_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), max_size=200),
    pages().map(lambda p: p[0]),
).filter(lambda t: not re.search(r"[\x01-\x08\x0e-\x1a\x1c-\x1f]", t))


@settings(PROFILE, max_examples=max(20, EXAMPLES // 4))
@given(CLI_TEXT)
def test_the_cli_and_the_api_agree(text):
    result = CliRunner().invoke(main, ["-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == clean(text).encode("utf-8")
    assert "Traceback" not in result.stderr


@settings(PROFILE, max_examples=max(20, EXAMPLES // 4))
@given(st.lists(pages(), min_size=1, max_size=6), st.integers(1, 6))
def test_block_by_block_agrees_with_one_page_for_line_rules(tmp_path_factory, page_list, blocks):
    from newsclean.large import clean_path

    text = "\n\n".join(p[0] for p in page_list)
    longest = max(len(x) for x in split_lines(text)[0] or [""]) + 2
    src = tmp_path_factory.mktemp("large") / "pages.txt"
    src.write_bytes(text.encode("utf-8"))
    max_chars = max(longest, len(text) // blocks)
    # line rules on lines: each block's layout is guessed on its own, and a block of these pages
    # may look like text nodes (a line ending in a space) where the whole text does not
    lines = PATTERN_RULES.with_options(layout="lines")
    assert clean_path(src, lines, max_chars=max_chars) == clean(text, lines)
