"""The layout on the command line: --layout, --plain, what --explain and the JSON outputs say."""

from __future__ import annotations

import json
import re

import pytest

from newsclean import clean, extract
from newsclean.cli import main

# A page as w3m -dump writes it: every paragraph hard-wrapped, list items indented with "•".
WRAPPED = """\
We use cookies to give you the best experience on our website. By continuing
to browse the site you agree to our use of cookies.

  • Home
  • News
  • Sport

Ferry returns to service after six-week repair

The only passenger ferry linking the island to the mainland sailed again on
Thursday morning, six weeks after a cracked propeller shaft took it out of
service in the middle of the winter storms.

About forty passengers, many of them pupils returning to the secondary school
in the town, boarded the boat for the early crossing, and several islanders
clapped as it pulled away from the quay.

The operator said the repair had taken longer than planned because the new
shaft had to be made to order at a yard on the south coast, and that it will
run four return crossings a day until the second engine has been checked.

  • Share on Facebook
  • Share by email
"""
PARAGRAPHS = [" ".join(p.split()) for p in WRAPPED.split("\n\n")[3:6]]

# The same kind of page as lxml's text_content() gives it: blocks run together on one line
# (too short for the guess to be sure of it: the tests name the layout).
GLUED = ("HomeNewsSportWeatherFerry returns to service after six-week repair"
         "The only passenger ferry linking the island to the mainland sailed again on Thursday morning, six weeks "
         "after a cracked propeller shaft took it out of service in the middle of the winter storms."
         "About forty passengers, many of them pupils returning to the secondary school in the town, boarded the "
         "boat for the early crossing, and several islanders clapped as it pulled away from the quay."
         "The operator said the repair had taken longer than planned because the new shaft had to be made to order "
         "at a yard on the south coast.It will run four return crossings a day instead of the usual six until "
         "engineers have checked the second engine in May, the company said."
         "Share on FacebookShare by email\n")

MARKDOWN = """\
# Ferry returns to service after six-week repair

The only passenger ferry linking the island to the mainland sailed again on Thursday morning, six weeks after a **cracked propeller shaft** took it out of service in the middle of the winter storms.

About forty passengers boarded the boat for the early crossing, and several [islanders](/tags/islanders) clapped as it pulled away from the quay.

  * [Share on Facebook](https://facebook.example/share)
  * [Share by email](mailto:?subject=ferry)
"""


@pytest.fixture
def pages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    for name, text in (("wrapped.txt", WRAPPED), ("glued.txt", GLUED), ("page.md", MARKDOWN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_explain_says_the_layout_and_names_a_blocks_lines(runner, pages):
    result = runner.invoke(main, ["wrapped.txt", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "wrapped.txt:1-2: NC860 cookie-notice  We use cookies to give you the best experience on our website. " \
           "By continuing" in result.stderr
    assert re.search(r"^wrapped\.txt:4: NC302 ", result.stderr, re.M)
    assert re.search(r"^wrapped\.txt: note: layout wrapped at 7\d columns \(\d+ of \d+ lines break ", result.stderr, re.M)
    # wrapped text stays wrapped
    assert result.stdout == clean(WRAPPED) and "sailed again on\nThursday morning" in result.stdout


def test_explain_names_the_columns_of_a_split_line(runner, pages):
    result = runner.invoke(main, ["glued.txt", "--layout", "glued", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "glued.txt:1:1-4: NC302 skip-and-menu  Home\n" in result.stderr
    share = re.search(r"^glued\.txt:1:(\d+)-(\d+): NC401 share-button-labels  Share on Facebook$", result.stderr, re.M)
    assert share is not None
    assert GLUED[int(share.group(1)) - 1:int(share.group(2))] == "Share on Facebook"
    assert "glued.txt: note: layout glued (chosen)" in result.stderr
    assert result.stdout.startswith("Ferry returns to service after six-week repairThe only passenger ferry")
    assert "Share on" not in result.stdout and "Weather" not in result.stdout


def test_layout_overrides_the_guess(runner, pages):
    as_lines = runner.invoke(main, ["wrapped.txt", "--layout", "lines", "--explain"])
    assert as_lines.exit_code == 0
    assert "note: layout" not in as_lines.stderr  # one block per line says nothing
    assert re.search(r"^wrapped\.txt:1: NC", as_lines.stderr, re.M) and "wrapped.txt:1-2:" not in as_lines.stderr
    assert as_lines.stdout == clean(WRAPPED, layout="lines") != clean(WRAPPED)
    chosen = runner.invoke(main, ["glued.txt", "--layout", "wrapped", "--explain"])
    assert chosen.exit_code == 0
    assert re.search(r"note: layout wrapped at \d+ columns \(chosen\)", chosen.stderr)


def test_plain_writes_each_block_on_one_line(runner, pages):
    wrapped = runner.invoke(main, ["wrapped.txt", "--plain"])
    assert wrapped.exit_code == 0
    assert wrapped.stdout == "\n\n".join(["Ferry returns to service after six-week repair", *PARAGRAPHS]) + "\n"
    md = runner.invoke(main, ["page.md", "--plain"])
    assert md.exit_code == 0
    assert md.stdout.splitlines()[0] == "Ferry returns to service after six-week repair"
    assert "cracked propeller shaft took it" in md.stdout and "several islanders clapped" in md.stdout
    assert not re.search(r"[#*\[\]]|\]\(", md.stdout)
    # without --plain, Markdown stays Markdown
    assert "**cracked propeller shaft**" in runner.invoke(main, ["page.md"]).stdout


def test_explain_format_json_carries_end_line_and_columns(runner, pages):
    wrapped = runner.invoke(main, ["wrapped.txt", "--explain-format", "json"])
    assert wrapped.exit_code == 0
    cookie = next(d for d in map(json.loads, wrapped.stderr.splitlines()) if d["code"] == "NC860")
    assert cookie["line"] == 1 and cookie["end_line"] == 2 and "columns" not in cookie
    assert cookie["path"] == "wrapped.txt" and cookie["text"].endswith("agree to our use of cookies.")
    glued = runner.invoke(main, ["glued.txt", "--layout", "glued", "--explain-format", "json"])
    menu = [json.loads(x) for x in glued.stderr.splitlines()][:2]
    assert [(d["line"], d["columns"], d["text"]) for d in menu] == [(1, [1, 4], "Home"), (1, [5, 8], "News")]
    assert all("end_line" not in d for d in menu)


def test_format_json_carries_the_layout_with_explain(runner, pages):
    plain = json.loads(runner.invoke(main, ["wrapped.txt", "--format", "json"]).stdout)
    assert plain == {"path": "wrapped.txt", "text": clean(WRAPPED), **extract(WRAPPED).to_dict()}
    explained = json.loads(runner.invoke(main, ["wrapped.txt", "--format", "json", "--explain"]).stdout)
    assert explained["layout"]["name"] == "wrapped" and 70 <= explained["layout"]["width"] <= 80
    assert explained["removed"][0]["end_line"] == 2
    md = json.loads(runner.invoke(main, ["page.md", "--format", "json", "--explain", "--layout", "markdown"]).stdout)
    assert md["layout"] == {"name": "markdown", "reason": "chosen"}


def test_a_page_in_lines_has_no_layout_key(runner, pages):
    (pages / "lines.txt").write_text("Watch CBS News\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    record = json.loads(runner.invoke(main, ["lines.txt", "--format", "json", "--explain"]).stdout)
    assert "layout" not in record and record["removed"][0]["line"] == 1


@pytest.mark.parametrize("value", ["sideways", "Wrapped", ""])
def test_a_bad_layout_is_a_usage_error(runner, pages, value):
    result = runner.invoke(main, ["wrapped.txt", "--layout", value])
    assert result.exit_code == 2
    assert "Invalid value for '--layout'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_layout_and_plain_in_a_configuration_file(runner, pages):
    (pages / "newsclean.toml").write_text('layout = "lines"\n', encoding="utf-8")
    assert runner.invoke(main, ["wrapped.txt"]).stdout == clean(WRAPPED, layout="lines")
    # the command line wins over the file
    assert runner.invoke(main, ["wrapped.txt", "--layout", "auto"]).stdout == clean(WRAPPED)
    settings = runner.invoke(main, ["config", "wrapped.txt"])
    assert re.search(r'^layout = "lines"  # .*newsclean\.toml$', settings.stdout, re.M)
    (pages / "newsclean.toml").write_text("plain = true\n", encoding="utf-8")
    assert runner.invoke(main, ["wrapped.txt"]).stdout == clean(WRAPPED, plain=True)


def test_a_bad_layout_in_a_configuration_file_is_a_usage_error(runner, pages):
    (pages / "newsclean.toml").write_text('layout = "sideways"\n', encoding="utf-8")
    result = runner.invoke(main, ["wrapped.txt"])
    assert result.exit_code == 2
    assert "newsclean.toml: key 'layout': 'sideways' is not one of" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_jsonl_records_carry_the_layout(runner, pages):
    (pages / "crawl.jsonl").write_text(json.dumps({"id": 1, "text": WRAPPED}) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["--jsonl", "crawl.jsonl", "--explain"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["text"] == clean(WRAPPED) and record["newsclean"]["layout"]["name"] == "wrapped"
    assert record["newsclean"]["removed"][0]["end_line"] == 2
