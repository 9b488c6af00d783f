"""Quick rules (--drop, --drop-re), minimal rule files and `newsclean rules --check`."""

from __future__ import annotations

import pickle
import time

import pytest

from newsclean import Config, clean, clean_and_explain
from newsclean.cli import main
from newsclean.rules import RuleFileError, load_rule_file

ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = f"Harbor Gazette members save ten percent\n{ARTICLE}Tide tables by Bayside Marine\nTide charts by Bayside Marine\n"


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_drop_and_drop_re_remove_lines_under_their_own_codes(runner, page):
    result = runner.invoke(main, [str(page), "--drop", "harbor gazette  MEMBERS save ten percent",
                                  "--drop-re", "tide tables by .+", "--drop-re", "tide charts by .+", "--explain"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ARTICLE
    assert f"{page}:1: USR001 drop-1  Harbor Gazette members save ten percent" in result.stderr
    assert f"{page}:3: USR501 drop-re-1  Tide tables by Bayside Marine" in result.stderr
    assert f"{page}:4: USR502 drop-re-2  Tide charts by Bayside Marine" in result.stderr


def test_quick_rules_stay_on_whatever_the_selection_unless_ignored(runner, page):
    on = runner.invoke(main, [str(page), "--select", "video", "--drop", "Harbor Gazette members save ten percent"])
    assert "Harbor Gazette members save ten percent" not in on.stdout
    off = runner.invoke(main, [str(page), "--drop", "Harbor Gazette members save ten percent", "--ignore", "USR001"])
    assert off.stdout.startswith("Harbor Gazette members save ten percent\n")


@pytest.mark.parametrize("args,message", [
    (["--drop-re", "(?:unclosed"], "--drop-re: rule USR501: pattern '(?:unclosed' does not compile"),
    (["--drop-re", "(more) from .+"], "use non-capturing groups"),
    (["--drop", "--- | ---"], "--drop: rule USR001: field 'exact' phrase '--- | ---' is empty once normalised"),
    (["--drop-re", ""], "--drop-re: rule USR501: field 'patterns' entry 1 is empty"),
])
def test_a_bad_quick_rule_is_a_usage_error(runner, page, args, message):
    result = runner.invoke(main, [str(page), *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.output


def test_a_catastrophic_drop_re_cannot_hang_a_run(runner, tmp_path):
    hard = tmp_path / "hard.txt"
    hard.write_text(f"{ARTICLE}{'a' * 3000}\naab\n", encoding="utf-8")
    t0 = time.monotonic()
    result = runner.invoke(main, [str(hard), "--drop-re", "(?:a|aa)+b", "--explain"])
    assert time.monotonic() - t0 < 10
    assert result.exit_code == 0
    assert "a" * 3000 in result.stdout and "aab" not in result.stdout.splitlines()
    assert "rule USR501 (--drop-re) timed out on line 2" in result.stderr


def test_quick_rules_in_python():
    cfg = Config().with_options(drop=["Harbor Gazette members save ten percent"], drop_re=["tide (?:tables|charts) by .+"])
    assert clean(PAGE, cfg) == ARTICLE
    assert [d.code for d in clean_and_explain(PAGE, cfg).decisions] == ["USR001", "USR501", "USR501"]
    assert pickle.loads(pickle.dumps(cfg)) == cfg and hash(cfg) == hash(pickle.loads(pickle.dumps(cfg)))
    with pytest.raises(RuleFileError, match="does not compile"):
        Config().with_options(drop_re=["(?:x"]).compiled()


def test_rules_lists_quick_rules(runner):
    result = runner.invoke(main, ["rules", "--drop", "Support local news", "--group", "quick"])
    assert result.stdout == "USR001\tdrop-1\tquick\ton\tLines equal to 'Support local news' (--drop).\n"


# --- minimal rule files and --check -----------------------------------------------

def test_a_rule_needs_only_a_code_and_a_pattern(runner, page, tmp_path):
    rules = tmp_path / "harbor-site.toml"
    rules.write_text("[[rule]]\ncode = \"HB101\"\npatterns = ['tide tables by .+']\n\n"
                     "[[rule]]\ncode = \"HB102\"\nexact = [\"harbor gazette members save ten percent\"]\n", encoding="utf-8")
    group, loaded = load_rule_file(rules)
    assert group.name == "harbor-site"
    assert [(r.code, r.name, r.summary) for r in loaded] == [
        ("HB101", "hb101", "Lines matching 'tide tables by .+'."),
        ("HB102", "hb102", "Lines equal to 'harbor gazette members save ten percent'."),
    ]
    result = runner.invoke(main, [str(page), "--rules", str(rules), "--explain"])
    assert result.exit_code == 0 and "HB101 hb101" in result.stderr and "HB102 hb102" in result.stderr
    doc = runner.invoke(main, ["rule", "HB101", "--rules", str(rules)])
    assert doc.exit_code == 0 and "(none given)" in doc.stdout


CHECKED = """[group]
name = "harbor"
title = "Harbor Gazette"
prefix = "HB"

[[rule]]
code = "HB101"
patterns = ['tide tables by .+']
drops = ["Tide tables by Bayside Marine", "Tide charts by Bayside Marine"]
keeps = ["Tide tables by the harbor office were wrong all week, the captain said on Monday."]

[[rule]]
code = "HB102"
exact = ["harbor gazette members save ten percent"]
drops = ["Harbor Gazette members save ten percent"]

[[rule]]
code = "HB103"
exact = ["harbor gazette"]
"""


def test_check_reports_every_failing_example(runner, tmp_path):
    rules = tmp_path / "harbor.toml"
    rules.write_text(CHECKED, encoding="utf-8")
    result = runner.invoke(main, ["rules", "--check", str(rules)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rules}: rule HB101: the rule does not drop its own example 'Tide charts by Bayside Marine' in 'drops'",
        f"{rules}: no examples (add drops and keeps): HB103",
        f"{rules}: 3 rules, 4 examples: 1 failed",
    ]
    loading = runner.invoke(main, ["rules", "--rules", str(rules)])
    assert loading.exit_code == 2 and "HB101" in loading.stderr


def test_check_passes_a_good_file(runner, tmp_path):
    rules = tmp_path / "harbor.toml"
    rules.write_text(CHECKED.replace('"Tide charts by Bayside Marine"', '"Tide tables by the Coast Guard"'), encoding="utf-8")
    result = runner.invoke(main, ["rules", "--check", str(rules)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{rules}: 3 rules, 4 examples: all pass"


def test_check_of_an_unreadable_file_is_a_usage_error(runner, tmp_path):
    rules = tmp_path / "bad.toml"
    rules.write_text("[[rule]]\ncode = \"HB101\"\npatterns = ['(?:x']\n", encoding="utf-8")
    result = runner.invoke(main, ["rules", "--check", str(rules)])
    assert result.exit_code == 2 and "does not compile" in result.stderr
