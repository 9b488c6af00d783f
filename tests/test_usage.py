"""Usage errors and small readable outputs: what a user sees when a command goes wrong."""

from __future__ import annotations

import io
import re

import pytest
from newsclean.cli import main

PAGE = "Watch CBS News\n\nDivers removed forty tons of debris on Monday, the port authority said.\n"


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(PAGE, encoding="utf-8")
    return p


@pytest.mark.parametrize("args", [["--bogus"], ["PAGE", "--favor", "sideways"], ["PAGE", "-j", "-3"]])
def test_usage_errors_name_the_command_users_type(runner, page, args):
    result = runner.invoke(main, [str(page) if a == "PAGE" else a for a in args], prog_name="newsclean")
    assert result.exit_code == 2
    assert "Usage: newsclean [OPTIONS]" in result.stderr
    assert "Try 'newsclean --help' for help." in result.stderr
    assert "newsclean clean" not in result.stderr


def test_help_names_the_command_users_type(runner):
    result = runner.invoke(main, ["--help"], prog_name="newsclean")
    assert result.stdout.startswith("Usage: newsclean [OPTIONS] [FILE|DIR|-]...")


@pytest.mark.parametrize("typo,meant", [("vidoe", "video"), ("comment", "comments"),
                                        ("video-title-with-duraton", "video-title-with-duration"), ("NC1001", "NC101")])
def test_unknown_selector_suggests_the_closest(runner, page, typo, meant):
    result = runner.invoke(main, [str(page), "--ignore", typo])
    assert result.exit_code == 2
    assert f"unknown rule selector '{typo}'; did you mean '{meant}'?" in result.stderr


def test_unknown_selector_without_a_close_name(runner, page):
    result = runner.invoke(main, [str(page), "--select", "zzzzzz"])
    assert result.exit_code == 2 and "did you mean" not in result.stderr


@pytest.mark.parametrize("nbytes,text", [(0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1_500, "1.5 KB"),
                                         (2_345_678, "2.3 MB"), (3_210_000_000, "3.21 GB")])
def test_sizes_read_at_a_glance(nbytes, text):
    from newsclean.progress import size_text

    assert size_text(nbytes) == text


def test_summary_of_a_small_tree_shows_its_size(runner, tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    for i in range(3):
        (src / f"p{i}.txt").write_text(PAGE, encoding="utf-8")
    result = runner.invoke(main, [str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert f"{3 * len(PAGE.encode())} bytes in" in result.stderr
    assert "0.0 MB" not in result.stderr


def test_rules_table_never_splits_a_name_on_80_columns(monkeypatch):
    from newsclean import render
    from newsclean.rules import builtin_catalog

    monkeypatch.setenv("COLUMNS", "80")
    buf = io.StringIO()
    rules = builtin_catalog().rules
    render.rules_table(rules, {r.code for r in rules}, buf, color=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue())
    assert max(len(line) for line in text.splitlines()) <= 80
    for rule in rules:
        assert re.search(rf"\b{rule.code} │ {re.escape(rule.name)}\s", text), rule.name
