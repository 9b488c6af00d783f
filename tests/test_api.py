"""The Python API: clean() is clean_and_explain().text, and explanations replay."""

from __future__ import annotations

import pickle

import pytest

import newsclean
from newsclean import Config, clean, clean_and_explain
from newsclean.pipeline import replay, split_lines

from conftest import fixture_pairs

PAGE = """Watch CBS News

Council approves new bridge after years of debate

The vote ends a decade-long fight over the crossing
Bridge vote explained 02:10

SPRINGFIELD -- The city council voted 7-2 on Monday to build a new bridge over the river.

Advocates said the crossing would cut commutes by twenty minutes.

Battle over the bridge 04:12

Opponents warned that the cost could double before construction ends.
"""


def pages():
    yield "inline", PAGE
    for page, _ in fixture_pairs():
        yield page.name, page.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,text", list(pages()), ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_removing_exactly_the_explained_lines_reproduces_the_output(name, text):
    result = clean_and_explain(text)
    assert replay(text, {d.lineno for d in result.decisions}) == result.text
    lines, _ = split_lines(text)
    for d in result.decisions:
        assert lines[d.lineno - 1] == d.line
        assert d.code and d.name and d.stage


@pytest.mark.parametrize("name,text", list(pages()), ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "")
def test_cleaning_is_idempotent(name, text):
    once = clean(text)
    assert clean(once) == once


def test_clean_is_the_text_of_clean_and_explain():
    assert clean(PAGE) == clean_and_explain(PAGE).text
    assert "Bridge vote explained" not in clean(PAGE)
    assert "The vote ends a decade-long fight over the crossing\n\nSPRINGFIELD" in clean(PAGE)


def test_decisions_name_rule_code_and_pass():
    result = clean_and_explain(PAGE)
    by_line = {d.lineno: d for d in result.decisions}
    assert by_line[1].code == "NC301" and by_line[1].name == "watch-network-branding"
    assert by_line[6].code == "NC101" and by_line[6].stage == "patterns"
    assert result.stats()["NC101"] == 2


def test_ignore_and_select_change_what_is_removed():
    assert "Watch CBS News" in clean(PAGE, ignore=["NC301"])
    assert "Watch CBS News" in clean(PAGE, ignore=["navigation"])
    kept = clean(PAGE, select=["video"])
    assert "Watch CBS News" in kept and "04:12" not in kept
    # the most specific selector wins: the group is off but one rule of it is back on
    assert "04:12" not in clean(PAGE, ignore=["video"], extend_select=["NC101"])


def test_unknown_selector_is_an_error():
    with pytest.raises(ValueError, match="unknown rule selector"):
        clean(PAGE, select=["NC999x"])


def test_output_shape():
    assert clean("") == ""
    assert clean("\n\n   \n") == ""
    assert clean("One line without newline") == "One line without newline\n"
    assert clean("Trailing spaces here.   \n") == "Trailing spaces here.\n"
    crlf = clean(PAGE.replace("\n", "\r\n"))
    assert crlf == clean(PAGE).replace("\n", "\r\n")


def test_config_is_picklable_and_hashable():
    cfg = Config().with_options(ignore=["NC3"], favor="recall")
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert hash(cfg) == hash(pickle.loads(pickle.dumps(cfg)))
    assert clean(PAGE, cfg) == clean(PAGE, ignore=["NC3"], favor="recall")


def test_version():
    assert newsclean.__version__.count(".") == 2
