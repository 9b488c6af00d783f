"""The article's parts: extract(), body_only and --body-only, and the parts in --format json."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from newsclean import Article, clean, clean_and_explain, extract
from newsclean.cli import main
from newsclean.pipeline import replay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = sorted(p for p in FIXTURES.glob("*.txt") if not p.name.endswith(".expected.txt"))


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_body_alone_is_the_article_under_its_head(page):
    text = page.read_text(encoding="utf-8")
    article = extract(text)
    assert article.text == clean(text)
    assert article.body == clean(text, body_only=True)
    assert article.body and article.body in article.text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_head_parts_open_the_default_output(page):
    article = extract(page.read_text(encoding="utf-8"))
    head = [line for part in (article.headline, article.dek, article.byline, article.date) for line in part.splitlines()]
    if article.date and article.date in article.byline:
        head.remove(article.date)  # read from the byline's own line
    shown = [line for line in article.text.splitlines() if line.strip()]
    assert sorted(shown[:len(head)]) == sorted(head)


def test_parts_of_a_news_page():
    article = extract(read("nytimes-ferries.txt"))
    assert article.headline == "As Washington’s Ferries Break Down, Island Towns Are Left Waiting"
    assert article.dek.startswith("With a third of Washington’s ferries out of service")
    assert article.byline == "By Laura Whitcombe\nReporting from Port Townsend and Bainbridge Island, Wash."
    assert article.date == "Aug. 12, 2024\nUpdated 5:03 p.m. ET"
    assert article.body.startswith("For most of the summer, the 6:10 a.m. boat")


def test_a_headline_that_ends_a_sentence_and_a_dek_of_several_lines():
    post = extract(read("washingtonpost-heat.txt"))
    assert post.headline.startswith("Phoenix hit 110 degrees") and post.dek.startswith("Utilities leaned")
    mail = extract(read("dailymail-lifeboat.txt"))
    assert len(mail.dek.splitlines()) == 3 and mail.byline == "By EMMA HARGREAVES FOR MAILONLINE"


def test_the_date_on_the_byline_line():
    article = extract(read("quayside-list.txt"))
    assert article.byline == "By Ines Mallory | 12 April 2031" and article.date == "12 April 2031"


def test_a_page_without_a_head_is_all_body():
    text = "The council approved a trial of night buses on Monday after residents asked for them.\n"
    article = extract(text)
    assert (article.headline, article.dek, article.byline, article.date) == ("", "", "", "")
    assert article.body == article.text == text


def test_article_is_frozen_and_its_dict_holds_the_parts():
    article = extract(read("reuters-copper.txt"))
    assert isinstance(article, Article)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.headline = "x"  # type: ignore[misc]
    assert set(article.to_dict()) == {"headline", "dek", "byline", "date", "body"}


def test_body_only_explains_each_head_line_it_leaves_out():
    text = read("reuters-copper.txt")
    result = clean_and_explain(text, body_only=True)
    head = {d.line: d.detail for d in result.decisions if d.code == "NC905"}
    assert head == {
        "Chile's copper output falls 6% as mine strike and water shortages bite": "the article's headline, left out of its body",
        "By Tomás Ferreira": "the article's byline, left out of its body",
        "August 13, 2024 4:12 PM GMT+1 Updated 2 hours ago": "the article's date, left out of its body",
    }
    assert replay(text, result.removed_linenos) == result.text
    assert result.text.startswith("SANTIAGO, Aug 13 (Reuters)")


def test_the_cli_body_only(runner, tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(read("cnn-wildfire.txt"), encoding="utf-8")
    result = runner.invoke(main, [str(src), "--body-only"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == clean(read("cnn-wildfire.txt"), body_only=True)
    assert not result.stdout.startswith("Crews gain ground")


def test_the_json_object_carries_the_parts(runner):
    text = read("guardian-kingfishers.txt")
    result = runner.invoke(main, ["--format", "json"], input=text)
    record = json.loads(result.stdout)
    assert record == {"path": "<stdin>", "text": clean(text), **extract(text).to_dict()}
    assert record["headline"] == "Kingfisher numbers recover on English rivers after two mild winters"
    assert record["byline"] == "Mirela Kovač Environment correspondent"


def test_the_json_object_with_body_only_keeps_the_head_parts(runner):
    text = read("apnews-wheat.txt")
    record = json.loads(runner.invoke(main, ["--format", "json", "--body-only"], input=text).stdout)
    assert record["text"] == record["body"] == clean(text, body_only=True)
    assert record["headline"] == extract(text).headline != ""


def test_body_only_in_a_configuration_file(runner, tmp_path):
    (tmp_path / "newsclean.toml").write_text("body-only = true\n", encoding="utf-8")
    src = tmp_path / "page.txt"
    src.write_text(read("npr-drought.txt"), encoding="utf-8")
    result = runner.invoke(main, [str(src)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == clean(read("npr-drought.txt"), body_only=True)
