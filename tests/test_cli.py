"""The command line, as a user drives it."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from newsclean import clean
from newsclean.cli import main

PAGE = (
    "Watch CBS News\n\nHarbor cleanup begins\n\nDivers removed forty tons of debris on Monday, the port authority said.\n"
    "Divers at work 02:31\n\nThe work will continue through the summer.\n"
)
CLEAN = "Harbor cleanup begins\n\nDivers removed forty tons of debris on Monday, the port authority said.\n\nThe work will continue through the summer.\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_api_agrees():
    assert clean(PAGE) == CLEAN


@pytest.mark.parametrize("mode", ["file", "stdin", "dash"])
def test_cleans_file_and_stdin_alike(runner, page, mode):
    args, stdin = {"file": ([str(page)], None), "stdin": ([], PAGE), "dash": (["-"], PAGE)}[mode]
    result = runner.invoke(main, args, input=stdin)
    assert result.exit_code == 0
    assert result.stdout == CLEAN
    assert result.stderr == ""


def test_output_file(runner, page, tmp_path):
    out = tmp_path / "out.txt"
    assert runner.invoke(main, [str(page), "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == CLEAN
    again = runner.invoke(main, [str(page), "-o", str(out)])
    assert again.exit_code == 1 and "exists" in again.stderr and "--force" in again.stderr
    assert runner.invoke(main, [str(page), "-o", str(out), "--force"]).exit_code == 0


def test_directory_is_mirrored_with_glob(runner, tmp_path):
    src = tmp_path / "src"
    (src / "a" / "b").mkdir(parents=True)
    (src / "one.txt").write_text(PAGE, encoding="utf-8")
    (src / "a" / "b" / "two.txt").write_text(PAGE, encoding="utf-8")
    (src / "a" / "skip.md").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, [str(src), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "one.txt").read_text(encoding="utf-8") == CLEAN
    assert (out / "a" / "b" / "two.txt").read_text(encoding="utf-8") == CLEAN
    assert not (out / "a" / "skip.md").exists()
    result = runner.invoke(main, [str(src), "-o", str(tmp_path / "md"), "--glob", "*.md"])
    assert (tmp_path / "md" / "a" / "skip.md").read_text(encoding="utf-8") == CLEAN
    assert not (tmp_path / "md" / "one.txt").exists()


def test_in_place_rewrites_and_keeps_backup(runner, page):
    os.chmod(page, 0o640)
    result = runner.invoke(main, [str(page), "--in-place", "--backup", ".orig"])
    assert result.exit_code == 0
    assert page.read_text(encoding="utf-8") == CLEAN
    assert page.with_name("page.txt.orig").read_text(encoding="utf-8") == PAGE
    assert oct(page.stat().st_mode & 0o777) == oct(0o640)
    assert not [p for p in page.parent.iterdir() if "newsclean-tmp" in p.name]


def test_explain_names_line_code_and_rule(runner, page):
    result = runner.invoke(main, [str(page), "--explain"])
    assert result.exit_code == 0
    assert result.stdout == CLEAN
    assert f"{page}:1: NC301 watch-network-branding" in result.stderr
    assert f"{page}:6: NC101 video-title-with-duration" in result.stderr


def test_diff_shows_removed_lines_and_writes_nothing(runner, page):
    result = runner.invoke(main, [str(page), "--diff"])
    assert result.exit_code == 0
    assert "-Watch CBS News" in result.stdout
    assert "-Divers at work 02:31" in result.stdout
    assert page.read_text(encoding="utf-8") == PAGE


def test_stats_counts_per_rule(runner, page):
    result = runner.invoke(main, [str(page), "--stats"])
    assert "NC101" in result.stderr and "NC301" in result.stderr
    assert "2 lines removed from 1 file(s)" in result.stderr


def test_select_and_ignore(runner, page):
    result = runner.invoke(main, [str(page), "--ignore", "NC301"])
    assert result.stdout.startswith("Watch CBS News\n")
    result = runner.invoke(main, [str(page), "--select", "video,app"])
    assert "Watch CBS News" in result.stdout and "02:31" not in result.stdout


def test_unknown_selector_is_a_usage_error(runner, page):
    result = runner.invoke(main, [str(page), "--select", "NC1,bogus-rule"])
    assert result.exit_code == 2
    assert "bogus-rule" in result.stderr
    assert "Traceback" not in result.output


def test_failures_do_not_stop_the_others(runner, page, tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(main, [str(tmp_path / "missing.txt"), str(binary), str(page), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "page.txt").read_text(encoding="utf-8") == CLEAN
    err = result.stderr.splitlines()
    assert any("missing.txt: no such file" in line for line in err)
    assert any("image.txt: binary file" in line for line in err)
    assert "Traceback" not in result.output


def test_encodings(runner, tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + "Caf\u00e9 owners protest the new rent rules.\n".encode())
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 owners protest the new rent rules.\n".encode("cp1252"))
    result = runner.invoke(main, [str(bom), str(latin), "--format", "json"])
    assert result.exit_code == 0
    assert [json.loads(x)["text"] for x in result.stdout.splitlines()] == ["Caf\u00e9 owners protest the new rent rules.\n"] * 2
    assert "latin.txt: warning: not valid UTF-8" in result.stderr and "cp1252" in result.stderr
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("Caf\u00e9 owners protest.\n".encode("utf-16"))
    assert runner.invoke(main, [str(utf16)]).stdout == "Caf\u00e9 owners protest.\n"


def test_user_rule_file(runner, page, tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text(
        '[group]\nname = "harbor"\ntitle = "Harbor site"\nprefix = "HB"\n\n[[rule]]\ncode = "HB101"\n'
        'name = "harbor-headline"\nsummary = "Test."\nwhy = "The site repeats this heading on every page."\n'
        'patterns = ["harbor cleanup .*"]\ndrops = ["Harbor cleanup begins"]\nkeeps = ["x"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, [str(page), "--rules", str(rules), "--explain"])
    assert result.exit_code == 0
    assert "Harbor cleanup begins" not in result.stdout
    assert "HB101 harbor-headline" in result.stderr
    assert "harbor-headline" in runner.invoke(main, ["rules", "--rules", str(rules)]).stdout


@pytest.mark.parametrize("content,message", [
    ("[group\n", "invalid TOML"),
    ('[group]\nname = "x"\ntitle = "X"\nprefix = "XY"\n[[rule]]\ncode = "XY1"\nname = "a"\nsummary = "s"\nwhy = "w"\nexact = ["a"]\ndrops = ["a"]\n', "code must be"),
    ('[group]\nname = "x"\ntitle = "X"\nprefix = "XY"\n[[rule]]\ncode = "XY101"\nname = "x-y"\nsummary = "s"\n'
     'why = "w"\npatterns = ["(unclosed"]\ndrops = ["a"]\n', "does not compile"),
    ('[group]\nname = "x"\ntitle = "X"\nprefix = "XY"\n[[rule]]\ncode = "XY101"\nname = "x-y"\nsummary = "s"\n'
     'why = "w"\nexact = ["a"]\ndrops = ["a"]\ncolour = 3\n', "unknown field 'colour'"),
])
def test_invalid_rule_file_is_a_clear_usage_error(runner, page, tmp_path, content, message):
    rules = tmp_path / "bad.toml"
    rules.write_text(content, encoding="utf-8")
    result = runner.invoke(main, [str(page), "--rules", str(rules)])
    assert result.exit_code == 2
    assert str(rules) in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_output_tree_inside_input_is_refused(runner, tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    result = runner.invoke(main, [str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "inside the input tree" in result.stderr


def test_rules_and_rule_commands(runner):
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0
    assert "NC101\tvideo-title-with-duration\tvideo\ton" in listing.stdout
    doc = runner.invoke(main, ["rule", "NC101"])
    assert doc.exit_code == 0
    for section in ("What it removes", "Why", "Examples it drops", "Examples it keeps", "Battle for Ramadi 05:35"):
        assert section in doc.stdout
    assert runner.invoke(main, ["rule", "NC000"]).exit_code == 2
    off = runner.invoke(main, ["rules", "--ignore", "video"])
    assert "NC101\tvideo-title-with-duration\tvideo\toff" in off.stdout


def test_version_and_help(runner):
    assert runner.invoke(main, ["--version"]).stdout.startswith("newsclean ")
    help_text = runner.invoke(main, ["--help"]).stdout
    assert "--explain" in help_text and "Examples" in help_text and "newsclean rules" in help_text
