"""Learning a site's furniture from the batch: lines that recur in many documents."""

from __future__ import annotations

import json
import pickle

import pytest
from click.testing import CliRunner

from newsclean import Config, clean_and_explain
from newsclean.cli import main
from newsclean.repeats import (
    LearnThresholds, RepeatCounter, RepeatTable, RepeatTables, THRESHOLDS, learn, learn_by_site, site_of,
)

HEADER = "The Millbrook Ledger | Local news since 1921"
SHARED_LINE = "Grain prices rose again"  # short, in two pages only: not furniture


def invented_page(i: int) -> str:
    body = SHARED_LINE if i in (4, 11) else f"Item {i} on the agenda"
    return (
        f"{HEADER}\n\nCouncil meeting number {i} runs late\n\n"
        f"The council met on day {i} of the session and argued about the new parking rules for an hour.\n"
        f"{body}\n\nSubscribe to the Ledger\n"
    )


PAGES = [invented_page(i) for i in range(20)]


def test_header_in_twenty_pages_is_learned_and_a_line_in_two_is_not():
    table = learn(PAGES)
    assert table.documents == 20
    assert table.get("the millbrook ledger | local news since 1921") == 20
    assert table.get("subscribe to the ledger") == 20
    assert table.get("grain prices rose again") is None
    cfg = Config().with_options(repeats=table)
    result = clean_and_explain(PAGES[4], cfg)
    assert HEADER not in result.text
    assert SHARED_LINE in result.text
    header = [d for d in result.decisions if d.line == HEADER]
    assert header and header[0].code == "NC951" and header[0].detail == "repeated in 20 of 20 documents"


def test_prose_that_repeats_is_not_learned():
    quote = "The mayor said the bridge would reopen in the spring after repairs were finished."
    table = learn([f"Story {i}\n{quote}\n" for i in range(10)])
    assert table.get(quote.lower()) is None


def test_threshold_is_relative_to_the_batch():
    assert THRESHOLDS.required(10) == 3
    assert THRESHOLDS.required(1000) == 50
    # a line in 30 of 1000 documents is not furniture; one in 60 is
    docs = [("Sidebar A\n" if i < 30 else "") + ("Sidebar B\n" if i < 60 else "") + f"Line {i}\n" for i in range(1000)]
    table = learn(docs)
    assert table.get("sidebar a") is None
    assert table.get("sidebar b") == 60
    with pytest.raises(ValueError):
        LearnThresholds(min_documents=1)


def test_lossy_counting_keeps_memory_bounded():
    counter = RepeatCounter()
    for i in range(5000):
        counter.add(f"Site header\nUnique line {i}\nAnother unique line {i}\n")
    assert len(counter) < 1000  # 10,001 distinct lines were seen
    assert counter.table().get("site header") == 5000


def test_by_site():
    docs = [("a.example", f"Alpha header\nAlpha story {i}\n") for i in range(6)]
    docs += [("b.example", f"Beta header\nBeta story {i}\n") for i in range(6)]
    docs += [("b.example", "Alpha header\nstray\n")]
    tables = learn_by_site(docs)
    assert tables.grouped
    assert tables.for_site("a.example").get("alpha header") == 6
    assert tables.for_site("b.example").get("alpha header") is None
    assert tables.for_site("c.example") is None
    again = RepeatTables.from_json(tables.to_json())
    assert again.for_site("b.example") == tables.for_site("b.example")


@pytest.mark.parametrize("value,site", [
    ("https://www.Example.com/news/1", "example.com"), ("example.com", "example.com"),
    ("http://news.example.co.uk:8080/x", "news.example.co.uk"), ("", ""), (None, ""),
])
def test_site_of(value, site):
    assert site_of(value) == site


def test_tables_are_picklable_and_single_tables_keep_their_format():
    table = learn(PAGES)
    assert pickle.loads(pickle.dumps(Config().with_options(repeats=table))).repeats == table
    tables = RepeatTables({"": table})
    assert json.loads(tables.to_json())["format"] == "newsclean-repeats/1"
    assert RepeatTables.from_json(tables.to_json()).for_site(None) == table
    assert RepeatTable.from_json(tables.to_json()) == table


def test_cli_learns_saves_and_reuses(tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    for i, page in enumerate(PAGES):
        (src / f"p{i:02}.txt").write_text(page, encoding="utf-8")
    runner = CliRunner()
    saved = tmp_path / "ledger.json"
    result = runner.invoke(main, [str(src), "-o", str(tmp_path / "out"), "-j", "1", "--learn-repeats",
                                  "--save-repeats", str(saved)])
    assert result.exit_code == 0, result.output
    assert "learned 2 repeated lines" in result.stderr
    out = (tmp_path / "out" / "p04.txt").read_text(encoding="utf-8")
    assert HEADER not in out and SHARED_LINE in out and "Subscribe to the Ledger" not in out
    assert json.loads(saved.read_text(encoding="utf-8"))["documents"] == 20
    one = runner.invoke(main, [str(src / "p11.txt"), "--repeats", str(saved), "--explain"])
    assert one.exit_code == 0
    assert HEADER not in one.stdout and SHARED_LINE in one.stdout
    assert "NC951 repeated-across-documents (repeated in 20 of 20 documents)" in one.stderr


@pytest.mark.parametrize("args,message", [
    (["--save-repeats", "x.json"], "--save-repeats goes with --learn-repeats"),
    (["--learn-repeats", "--repeats", "x.json"], "cannot be used together"),
    (["--site-field", "url"], "--site-field goes with --jsonl"),
])
def test_repeat_flag_misuse_is_a_usage_error(tmp_path, args, message):
    page = tmp_path / "p.txt"
    page.write_text(PAGES[0], encoding="utf-8")
    result = CliRunner().invoke(main, [str(page), *args])
    assert result.exit_code == 2 and message in result.stderr


def test_bad_repeats_file_is_a_usage_error(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(PAGES[0], encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, [str(page), "--repeats", str(bad)])
    assert result.exit_code == 2 and "bad.json: not JSON" in result.stderr and "Traceback" not in result.output
