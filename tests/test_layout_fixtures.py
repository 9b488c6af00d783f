"""Invented pages in every layout: each ``fixtures/layouts/<page>-<tool>.<layout>.txt`` is guessed
to be in ``<layout>`` and cleans (``--layout auto``) to its ``.expected.txt``.

The pages are rendered from ``fixtures/layouts/src/*.html`` by ``scripts/render_layouts.py``
(w3m, fold, html2text, BeautifulSoup and lxml, as users' scrapers run them). An expected
text is what a user wants: the article's every sentence in the layout's own form, and
nothing else. Where newsclean does not give it yet, the case is marked as a known miss
with the reason, and the expected text stays as the user wants it.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from newsclean import clean, clean_and_explain
from newsclean.layout import GLUED, LAYOUTS, NODES, Layout, segment
from newsclean.pipeline import split_lines

LAYOUT_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"

# Pages guessed to be in another layout than the one their tool writes.
WRONG_GUESS = {
    "library-fines-lxml.glued": "guessed lines: only the consent buttons, the share links and the footer are glued",
}

_HEADLINE = "the headline is dropped as before-main-region (NC902)"
# Pages that do not clean to what a user expects, and why (see the report of `newsclean --explain`).
KNOWN_MISSES = {
    "harbour-ferry-htmltext.lines": f"{_HEADLINE}: the site name above it is taken for the page's title",
    "harbour-ferry-w3m.wrapped": f"{_HEADLINE}; the image's alt text, a line of its own in w3m, is kept",
    "harbour-ferry-bs4.nodes": _HEADLINE,
    "library-fines-fold72.wrapped": "headline, byline and date are dropped as before-main-region (NC902); "
                                    "the newsletter box's 'The news that matters in Northbridge...' is kept",
    "library-fines-html2text.markdown": "headline, byline and date are dropped as before-main-region (NC902); "
                                        "the newsletter box's 'The news that matters in Northbridge...' is kept",
    "library-fines-bs4.nodes": "the byline 'Tomasz Wren, City Hall Reporter' is dropped as page-head (NC904); "
                               "the newsletter box's 'The news that matters in Northbridge...' is kept",
    "library-fines-lxml.glued": "the byline is dropped as page-head (NC904); the newsletter box's line is kept",
    "orchard-frost-htmltext.lines": "the byline with an e-mail address is dropped (NC911); the article's table "
                                    "is dropped as a list in the article (NC912)",
    "orchard-frost-w3m.wrapped": "the byline with an e-mail address is dropped (NC911); the article's table is "
                                 "dropped; the image's alt text, a line of its own in w3m, is kept",
    "orchard-frost-html2text.markdown": "the byline with an e-mail address is dropped (NC911); the article's "
                                        "table rows are dropped as furniture in the article (NC911)",
    "orchard-frost-markdown.markdown": "the byline with an e-mail address is dropped (NC911); the article's "
                                       "table rows are dropped as furniture in the article (NC911)",
    "bridge-bats-lxml.glued": "headline and byline are dropped as before-main-region (NC902)",
    "bridge-bats-oneline.glued": "headline and byline are dropped as before-main-region (NC902); the date is "
                                 "glued to the share bar ('2025Facebook') and goes with it",
}


def _pages() -> list[Path]:
    return sorted(p for p in LAYOUT_FIXTURES.glob("*.txt") if not p.name.endswith(".expected.txt"))


def _name(page: Path) -> str:
    return page.name[: -len(".txt")]


def _layout(page: Path) -> str:
    return _name(page).rsplit(".", 1)[1]


def _expected(page: Path) -> str:
    return page.with_name(_name(page) + ".expected.txt").read_text(encoding="utf-8")


def _params(known: dict[str, str]) -> list:
    return [pytest.param(p, id=_name(p), marks=[pytest.mark.xfail(strict=True, reason=known[_name(p)])]
                         if _name(p) in known else []) for p in _pages()]


def test_every_layout_has_fixtures_with_expected_texts():
    pages = _pages()
    assert {_layout(p) for p in pages} == set(LAYOUTS)
    assert all(p.with_name(_name(p) + ".expected.txt").exists() for p in pages)
    names = {_name(p) for p in pages}
    assert set(WRONG_GUESS) <= names and set(KNOWN_MISSES) <= names


@pytest.mark.parametrize("page", _params(WRONG_GUESS))
def test_the_layout_is_guessed(page: Path):
    result = clean_and_explain(page.read_text(encoding="utf-8"))
    assert result.layout.name == _layout(page), result.layout.describe()


@pytest.mark.parametrize("page", _params(KNOWN_MISSES))
def test_fixture_cleans_to_expected(page: Path):
    got = clean(page.read_text(encoding="utf-8"), layout="auto")
    expected = _expected(page)
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "expected", "cleaned"))
        pytest.fail(f"{page.name} does not clean to its expected text:\n{diff}")


@pytest.mark.parametrize("page", [pytest.param(p, id=_name(p)) for p in _pages()])
def test_expected_text_is_in_the_layouts_own_form(page: Path):
    """The expected texts themselves: made of the page's own blocks, as the layout writes them."""
    source, _ = split_lines(page.read_text(encoding="utf-8"))
    expected = [x for x in split_lines(_expected(page))[0] if x]
    layout = _layout(page)
    if layout == GLUED:
        # a segment of a line, or a run of them: in the page's lines, in order (several may share a line)
        line = column = 0
        for x in expected:
            while line < len(source) and source[line].find(x, column) < 0:
                line, column = line + 1, 0
            assert line < len(source), x
            column = source[line].find(x, column) + len(x)
    elif layout == NODES:
        # a block is its text nodes rejoined: its characters stand in the page in order, white space aside
        page = "".join("".join(source).split())
        at = 0
        for block in expected:
            at = page.find("".join(block.split()), at)
            assert at >= 0, block
    else:
        where = iter([x.rstrip() for x in source])
        assert all(any(x == line for line in where) for x in expected)


def test_naming_markdown_reads_wrapped_markdown_as_the_guess_does():
    text = (LAYOUT_FIXTURES / "market-hall-html2text.markdown.txt").read_text(encoding="utf-8")
    assert clean(text, layout="markdown") == clean(text)


# -- segmentation of glued text: blocks run together that are not split yet ----------------

def _segments(line: str) -> list[str]:
    units = segment([line], Layout(GLUED))
    return [units.texts[u] for u in range(len(units))]


def test_a_date_glued_to_the_next_block_is_split():
    assert _segments("Tuesday, 10 June 2025Facebook") == ["Tuesday, 10 June 2025", "Facebook"]


def test_a_short_word_glued_to_the_next_block_is_split():
    assert _segments("Share on XShare by email") == ["Share on X", "Share by email"]


def test_a_short_page_on_one_line_is_guessed_glued():
    import test_cli_layout

    result = clean_and_explain(test_cli_layout.GLUED)
    assert result.layout.name == GLUED and result.text.startswith("Ferry returns")


def test_a_menu_glued_together_is_split():
    assert _segments("HomeNewsSportWeather") == ["Home", "News", "Sport", "Weather"]
    assert _segments("...cut to twice a week.The operator said") == ["...cut to twice a week.", "The operator said"]


def test_the_command_line_cleans_every_fixture_page_as_the_api_does(runner):
    from newsclean.cli import main

    pages = _pages()
    result = runner.invoke(main, [*map(str, pages), "--layout", "auto", "--format", "json", "-j", "1", "--isolated"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [clean(p.read_text(encoding="utf-8")) for p in pages]
