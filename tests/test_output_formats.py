"""Several pages on standard output, JSON Lines of pages and of decisions, diffs of a tree."""

from __future__ import annotations

import json

import pytest

from newsclean import clean, clean_and_explain, extract
from newsclean.cli import main

PAGES = {
    "a.txt": "Watch CBS News\n\nThe harbor reopened on Monday after three weeks of repairs, officials said.\n"
             "Harbor repairs explained 02:31\n",
    "sub/b.txt": "Share on Facebook\n\nThe council approved the new budget on Tuesday evening, the clerk said.\n",
}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "pages"
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def lines_of(text: str) -> list[dict]:
    return [json.loads(x) for x in text.splitlines()]


def test_a_folder_without_output_is_a_one_line_usage_error(runner, tree):
    result = runner.invoke(main, [str(tree)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"newsclean: {tree}: is a directory; give -o DIR (a mirrored tree), "
                                          "--in-place, or --format json (JSON Lines on standard output)"]


def test_diff_of_a_folder_shows_every_file_and_writes_nothing(runner, tree):
    before = sorted(p.name for p in tree.rglob("*"))
    result = runner.invoke(main, [str(tree), "--diff"])
    assert result.exit_code == 0, result.stderr
    assert f"--- {tree / 'a.txt'}" in result.stdout and f"--- {tree / 'sub' / 'b.txt'}" in result.stdout
    assert "-Watch CBS News" in result.stdout and "-Share on Facebook" in result.stdout
    assert sorted(p.name for p in tree.rglob("*")) == before


@pytest.mark.parametrize("extra", [[], ["-"]])
def test_several_inputs_to_stdout_are_refused(runner, tree, extra):
    result = runner.invoke(main, [str(tree / "a.txt"), str(tree / "sub" / "b.txt"), *extra], input="x\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert "several inputs would run together" in result.stderr
    assert "-o DIR" in result.stderr and "--format json" in result.stderr


def test_format_json_writes_one_object_per_page(runner, tree):
    result = runner.invoke(main, [str(tree), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    records = lines_of(result.stdout)
    assert [r["path"] for r in records] == [str(tree / name) for name in PAGES]
    assert [r["text"] for r in records] == [clean(text) for text in PAGES.values()]
    assert all(set(r) == {"path", "text", "headline", "dek", "byline", "date", "body"} for r in records)
    assert [{k: r[k] for k in ("headline", "dek", "byline", "date", "body")} for r in records] == [
        extract(text).to_dict() for text in PAGES.values()]


def test_format_json_with_explain_carries_the_decisions(runner, tree):
    files = [str(tree / name) for name in PAGES]
    result = runner.invoke(main, [*files, "--format", "json", "--explain"])
    assert result.exit_code == 0 and result.stderr == ""
    for record, text in zip(lines_of(result.stdout), PAGES.values()):
        expected = clean_and_explain(text)
        assert record["removed"] == [d.to_dict() for d in expected.decisions]
        assert record["notes"] == list(expected.notes)


def test_format_json_from_stdin(runner):
    text = PAGES["a.txt"]
    result = runner.invoke(main, ["--format", "json"], input=text)
    assert lines_of(result.stdout) == [{"path": "<stdin>", "text": clean(text), **extract(text).to_dict()}]


@pytest.mark.parametrize("flag", [["-o", "OUT"], ["--in-place"], ["--diff"]])
def test_format_json_goes_to_stdout_only(runner, tree, tmp_path, flag):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in flag]
    result = runner.invoke(main, [str(tree / "a.txt"), "--format", "json", *args])
    assert result.exit_code == 2 and "--format json writes JSON Lines to standard output" in result.stderr
    assert (tree / "a.txt").read_text(encoding="utf-8") == PAGES["a.txt"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_explain_format_json_is_one_object_per_removed_line(runner, tree, tmp_path, jobs):
    result = runner.invoke(main, [str(tree), "-o", str(tmp_path / "out"), "-q", "-j", jobs,
                                  "--explain", "--explain-format", "json"])
    assert result.exit_code == 0
    got = sorted((r["path"], r["line"], r["code"]) for r in lines_of(result.stderr))
    want = sorted((str(tree / name), d.lineno, d.code)
                  for name, text in PAGES.items() for d in clean_and_explain(text).decisions)
    assert got == want
    for record in lines_of(result.stderr):
        assert {"path", "line", "text", "code", "rule", "stage"} <= set(record)


def test_explain_format_json_implies_explain_and_keeps_stdout_clean(runner, tree):
    page = tree / "a.txt"
    result = runner.invoke(main, [str(page), "--explain-format", "json"])
    assert result.stdout == clean(PAGES["a.txt"])
    decisions = clean_and_explain(PAGES["a.txt"]).decisions
    assert lines_of(result.stderr) == [{"path": str(page), **d.to_dict()} for d in decisions]


def test_page_record_is_built_in_one_place():
    from newsclean.records import page_record

    result = clean_and_explain(PAGES["a.txt"])
    assert page_record("a.txt", result) == {"path": "a.txt", "text": result.text, **extract(PAGES["a.txt"]).to_dict()}
    full = page_record("a.txt", result, explain=True)
    assert full["removed"] == [d.to_dict() for d in result.decisions] and full["notes"] == list(result.notes)
