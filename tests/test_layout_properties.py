"""Properties of the layout stage, for every layout: what holds for lines holds for units.

For each explicit layout (and ``auto``), on arbitrary text and on generated pages in
every layout (one block per line, hard-wrapped, Markdown, one text node per line,
glued): ``clean`` is ``clean_and_explain().text``; cleaning is idempotent for a
given layout; replaying the decisions reproduces the output; the output is made of
the input's units, in order; each decision names the input it removed. And an
article wrapped at any width, with furniture blocks around it, comes out with the
same words as one block per line (blocks set apart by blank lines; for furniture
lines that touch, see the known miss at the end).

Examples per test: ``NEWSCLEAN_PROPERTY_EXAMPLES`` / 5 (40 by default).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import ANY_TEXT, EXAMPLES, FURNITURE, OBJECTS, PROFILE, SUBJECTS, TAILS, VERBS, is_subsequence, pages

from newsclean import Config, clean, clean_and_explain
from newsclean.layout import AUTO, GLUED, LAYOUTS, LINES, MARKDOWN, NODES, Layout, segment
from newsclean.pipeline import replay, split_lines

LAYOUT_PROFILE = settings(PROFILE, max_examples=max(10, EXAMPLES // 5))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"

# --- pages in every layout --------------------------------------------------------

SENTENCE = st.builds("{} {} {} {}".format, st.sampled_from(SUBJECTS), st.sampled_from(VERBS), st.sampled_from(OBJECTS),
                     st.sampled_from(TAILS))
PARAGRAPH = st.lists(SENTENCE, min_size=2, max_size=4).map(" ".join)
# furniture as it comes: a rule's example line, or a few of them in a menu
ITEM = st.one_of(PARAGRAPH, st.sampled_from(FURNITURE))


@st.composite
def wrapped_pages(draw: st.DrawFn) -> str:
    """Paragraphs hard-wrapped at one width, as w3m, lynx or fold write them; list items indented."""
    width = draw(st.integers(40, 100))
    out = []
    for item in draw(st.lists(ITEM, min_size=1, max_size=12)):
        if draw(st.booleans()) and len(item) < width:
            out.append("  • " + item)
        else:
            out.append(textwrap.fill(item, width))
        out.append(draw(st.sampled_from(["", "", "\n"])))
    return "\n".join(out) + "\n"


_WORD = re.compile(r"\w{4,}")


@st.composite
def markdown_pages(draw: st.DrawFn) -> str:
    """Markdown as html2text or a reader writes it: headings, inline links, emphasis, images,
    list items and table rows; wrapped at 78 or not at all."""
    blocks = []
    for item in draw(st.lists(ITEM, min_size=1, max_size=12)):
        kind = draw(st.sampled_from(["p", "p", "link", "bold", "heading", "item", "image", "table"]))
        word = _WORD.search(item)
        if kind == "link" and word:
            item = f"{item[:word.start()]}[{word.group()}](https://news.example/{word.group().lower()}-story){item[word.end():]}"
        elif kind == "bold" and word:
            item = f"{item[:word.start()]}**{word.group()}**{item[word.end():]}"
        elif kind == "heading":
            item = "#" * draw(st.integers(1, 3)) + " " + item
        elif kind == "item":
            item = "  * " + item
        elif kind == "image":
            item = f"![{item[:30]}](/images/{draw(st.integers(1, 99))}.jpg)"
        elif kind == "table":
            item = f"{item[:20]} | {draw(st.integers(1, 999))} | {item[-12:]}"
        blocks.append(item)
    if draw(st.booleans()):
        blocks = [textwrap.fill(b, 78, break_long_words=False) if not b.startswith(("  *", "#")) else b for b in blocks]
    return "\n\n".join(blocks) + "\n"


@st.composite
def node_pages(draw: st.DrawFn) -> str:
    """Every text node on a line of its own, as BeautifulSoup's ``get_text("\\n")`` writes a page:
    a paragraph broken where a link or a bold word starts and ends."""
    out = []
    for item in draw(st.lists(ITEM, min_size=1, max_size=12)):
        words = item.split(" ")
        cuts = sorted(draw(st.sets(st.integers(1, max(1, len(words) - 1)), max_size=3)))
        parts = [" ".join(words[a:b]) for a, b in zip([0, *cuts], [*cuts, len(words)]) if words[a:b]]
        # the space between two nodes ends the one before or starts the one after
        out.append("\n".join(p + " " if k < len(parts) - 1 and draw(st.booleans()) else p for k, p in enumerate(parts)))
        out.append(draw(st.sampled_from(["", "\n", " ", "\n\n"])))
    return "\n".join(out) + "\n"


@st.composite
def glued_pages(draw: st.DrawFn) -> str:
    """Blocks run together, as lxml's ``text_content()`` writes them: a break only here and there,
    or none at all (the whole page on one line)."""
    items = draw(st.lists(ITEM, min_size=1, max_size=12))
    joints = [draw(st.sampled_from(["", "", "", "\n", " "])) for _ in items]
    return "".join(a + b for a, b in zip(items, joints)) + "\n"


PAGES = {LINES: pages().map(lambda p: p[0]), "wrapped": wrapped_pages(), MARKDOWN: markdown_pages(),
         NODES: node_pages(), GLUED: glued_pages()}
TEXTS = st.one_of(ANY_TEXT, *PAGES.values())
EVERY = [*LAYOUTS, AUTO]

# --- helpers ------------------------------------------------------------------------


def _nonspace(text: str) -> str:
    return "".join(text.split())


def _is_char_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def made_of_input_units(text: str, output: str, layout: Layout) -> bool:
    """Whether the output is the input's units, in order, in the layout's own form."""
    source, _ = split_lines(text)
    out = [x for x in split_lines(output)[0] if x]
    if layout.name == NODES:
        units = segment(source, layout)
        return is_subsequence(out, [t.rstrip() for t in units.texts])
    if layout.name == GLUED:
        line = column = 0
        for x in out:
            while line < len(source) and source[line].find(x, column) < 0:
                line, column = line + 1, 0
            if line == len(source):
                return False
            column = source[line].find(x, column) + len(x)
        return True
    return is_subsequence(out, [x.rstrip() for x in source])


def decisions_name_their_input(text: str, result) -> list[str]:
    """Every decision's lines (and columns) hold the unit it names; the problems found."""
    source, _ = split_lines(text)
    problems = []
    for d in result.decisions:
        last = d.end_lineno or d.lineno
        if not (1 <= d.lineno <= len(source) and (d.end_lineno == 0 or d.lineno < d.end_lineno <= len(source))):
            problems.append(f"{d.where}: outside the input")
            continue
        if d.columns is not None:
            a, b = d.columns
            if d.end_lineno or not 1 <= a <= b or source[d.lineno - 1][a - 1:b] != d.line:
                problems.append(f"{d.where}: columns do not hold {d.line!r}")
            continue
        span = "\n".join(source[d.lineno - 1:last])
        if result.layout.name == LINES:
            ok = span == d.line
        elif result.layout.name == MARKDOWN:  # the block's words, its syntax taken out
            ok = _is_char_subsequence(_nonspace(d.line), _nonspace(span))
        else:  # a wrapped paragraph or a block's text nodes, rejoined
            ok = _nonspace(span) == _nonspace(d.line)
        if not ok:
            problems.append(f"{d.where}: lines do not hold {d.line!r}")
    return problems


# --- properties -----------------------------------------------------------------------


@pytest.mark.parametrize("layout", EVERY)
@LAYOUT_PROFILE
@given(text=TEXTS)
def test_clean_is_clean_and_explain_and_replays(layout, text):
    result = clean_and_explain(text, layout=layout)
    assert clean(text, layout=layout) == result.text
    assert replay(text, result.decisions, result.layout) == result.text
    assert layout == AUTO or result.layout.name == layout or not split_lines(text)[0]  # an empty page has no layout


@pytest.mark.parametrize("layout", EVERY)
@LAYOUT_PROFILE
@given(text=TEXTS)
def test_cleaning_is_idempotent_for_a_layout(layout, text):
    once = clean(text, layout=layout)
    assert clean(once, layout=layout) == once


@pytest.mark.parametrize("layout", EVERY)
@LAYOUT_PROFILE
@given(text=TEXTS)
def test_output_is_made_of_the_inputs_units(layout, text):
    result = clean_and_explain(text, layout=layout)
    assert made_of_input_units(text, result.text, result.layout)


@pytest.mark.parametrize("layout", EVERY)
@LAYOUT_PROFILE
@given(text=TEXTS)
def test_each_decision_names_the_input_it_removed(layout, text):
    assert decisions_name_their_input(text, clean_and_explain(text, layout=layout)) == []


def _fixture_pages() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.txt") if not p.name.endswith(".expected.txt"))


@pytest.mark.parametrize("page", _fixture_pages(), ids=lambda p: p.name[:-len(".txt")])
def test_the_properties_hold_on_every_fixture_page(page):
    text = page.read_text(encoding="utf-8")
    for layout in EVERY:
        result = clean_and_explain(text, layout=layout)
        assert clean(text, layout=layout) == result.text
        assert clean(result.text, layout=layout) == result.text
        assert replay(text, result.decisions, result.layout) == result.text
        assert made_of_input_units(text, result.text, result.layout)
        assert decisions_name_their_input(text, result) == []


# --- the same article at every width --------------------------------------------------

ARTICLE = st.lists(st.lists(SENTENCE, min_size=3, max_size=5).map(" ".join), min_size=4, max_size=7)
HEAD = st.lists(st.sampled_from(FURNITURE), max_size=6)


def one_block_per_line(head: list[str], article: list[str], tail: list[str], apart: str = "\n\n") -> str:
    """The page as html-text writes it: the furniture above and below the article, its blocks
    ``apart`` (a blank line between them, or none)."""
    return apart.join(head) + "\n\n" + "\n\n".join(article) + "\n\n" + apart.join(tail) + "\n"


def wrapped_at(width: int, head: list[str], article: list[str], tail: list[str], apart: str = "\n\n") -> str:
    """The page as a text browser dumps it at ``width`` columns: every block wrapped."""
    def fill(lines: list[str]) -> list[str]:
        return [textwrap.fill(x, width) for x in lines]
    return apart.join(fill(head)) + "\n\n" + "\n\n".join(fill(article)) + "\n\n" + apart.join(fill(tail)) + "\n"


PLAIN = Config(plain=True)


@settings(LAYOUT_PROFILE, max_examples=max(5, EXAMPLES // 10))
@given(ARTICLE, HEAD, HEAD, st.lists(st.integers(40, 120), min_size=2, max_size=4, unique=True))
def test_an_article_wrapped_at_any_width_comes_out_the_same(article, head, tail, widths):
    want = clean(one_block_per_line(head, article, tail)).split()
    for width in widths:
        page = wrapped_at(width, head, article, tail)
        assert clean(page, PLAIN.with_options(layout="wrapped")).split() == want, width


@settings(LAYOUT_PROFILE, max_examples=max(5, EXAMPLES // 10))
@given(ARTICLE, HEAD, HEAD, st.lists(st.integers(72, 120), min_size=2, max_size=4, unique=True))
def test_an_article_wrapped_at_any_usual_width_is_guessed_and_comes_out_the_same(article, head, tail, widths):
    want = clean(one_block_per_line(head, article, tail)).split()
    for width in widths:
        result = clean_and_explain(wrapped_at(width, head, article, tail), PLAIN)
        assert result.layout.name == "wrapped", (width, result.layout)
        assert result.text.split() == want, width


def test_an_article_wrapped_at_40_columns_is_guessed():
    sentence = "The city council approved a plan to rebuild the old bridge on Tuesday, according to the minutes."
    page = wrapped_at(40, ["Share on Facebook"], [" ".join([sentence] * 4)] * 4, ["Sign up for our newsletter"])
    assert clean_and_explain(page).layout.name == "wrapped"


def test_two_furniture_lines_above_a_wrapped_article_stay_apart():
    article = [
        "Residents of the valley questioned a plan to rebuild the old bridge on Tuesday, according to minutes of "
        "the meeting. Investigators announced new rules for short-term rentals after a debate that lasted most of "
        "the evening. Officials in the county approved a study of the water supply after a debate that lasted most "
        "of the evening. The city council rejected a study of the water supply in a statement released late on "
        "Friday. Residents of the valley defended new rules for short-term rentals after a debate that lasted most "
        "of the evening.",
        "Farmers along the river criticised the budget for the coming year on Tuesday, according to minutes of the "
        "meeting. Investigators announced new rules for short-term rentals on Tuesday, according to minutes of the "
        "meeting. Residents of the valley criticised a plan to rebuild the old bridge on Tuesday, according to "
        "minutes of the meeting.",
        "Investigators questioned a proposal to widen the highway on Tuesday, according to minutes of the meeting. "
        "The school board approved a study of the water supply and said a final decision would come next month. "
        "The governor's office approved the budget for the coming year despite objections from several neighbours. "
        "The governor's office defended a plan to rebuild the old bridge in a statement released late on Friday. "
        "Residents of the valley reviewed the closure of two rural clinics in a statement released late on Friday.",
    ]
    head = ["Part of the Daily Mail, The Mail on Sunday & Metro Media Group",
            "Get browser notifications for breaking news, live events, and exclusive reporting."]
    page = wrapped_at(70, head, article, [], apart="\n")
    units = segment(split_lines(page)[0], Layout("wrapped", 70))
    assert units.texts[:2] == head
    assert clean(page, PLAIN.with_options(layout="wrapped")).split() == clean(one_block_per_line(head, article, [], "\n")).split()
