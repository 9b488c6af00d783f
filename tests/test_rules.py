"""Every rule's own examples: what it must drop and what it must keep."""

from __future__ import annotations

import pytest

from newsclean import clean_and_explain
from newsclean.config import Config
from newsclean.repeats import RepeatTable
from newsclean.rules import builtin_catalog, line_key

CATALOG = builtin_catalog()
PATTERN_RULES = [r for r in CATALOG.rules if r.kind == "pattern"]
PASS_RULES = [r for r in CATALOG.rules if r.kind == "pass"]
MATCHER = Config().compiled().matcher


def _codes_for(line: str) -> str | None:
    key = line_key(line)
    m = MATCHER.match(key, len(key.split()))
    return m.rule.code if m else None


@pytest.mark.parametrize(
    "rule,line", [(r, x) for r in PATTERN_RULES for x in r.drops], ids=lambda v: getattr(v, "code", v)
)
def test_rule_drops_its_examples(rule, line):
    assert _codes_for(line) == rule.code, f"{rule.code} should drop {line!r}"


@pytest.mark.parametrize(
    "rule,line", [(r, x) for r in PATTERN_RULES for x in r.keeps], ids=lambda v: getattr(v, "code", v)
)
def test_no_pattern_rule_drops_a_keep_example(rule, line):
    assert _codes_for(line) is None, f"{line!r} (kept by {rule.code}) is dropped by {_codes_for(line)}"


def _example_page(rule):
    lines, want_drop, want_keep = [], set(), set()
    for raw in rule.page.strip("\n").splitlines():
        mark, text = raw[:2], raw[2:]
        if mark == "- ":
            want_drop.add(len(lines) + 1)
        elif mark == "+ ":
            want_keep.add(len(lines) + 1)
        lines.append(text)
    return "\n".join(lines) + "\n", want_drop, want_keep


@pytest.mark.parametrize("rule", PASS_RULES, ids=lambda r: r.code)
def test_pass_rule_example_page(rule):
    assert rule.page.strip(), f"{rule.code} needs an example page"
    text, want_drop, want_keep = _example_page(rule)
    config = Config()
    if rule.group == "repeats":
        # the marked lines are the ones the batch saw in every document
        lines = text.splitlines()
        table = RepeatTable({line_key(lines[n - 1]): 20 for n in want_drop | want_keep}, 20)
        config = Config(repeats=table)
    if rule.code == "NC905":
        config = Config().with_options(body_only=True)  # the head goes only when the body alone is asked for
    result = clean_and_explain(text, config)
    by_line = {d.lineno: d.code for d in result.decisions}
    for n in want_drop:
        assert by_line.get(n) == rule.code, f"line {n} of {rule.code}'s example should be dropped by it"
    for n in want_keep:
        assert n not in by_line, f"line {n} of {rule.code}'s example was dropped by {by_line.get(n)}"


@pytest.mark.parametrize("rule", CATALOG.rules, ids=lambda r: r.code)
def test_every_rule_is_documented(rule):
    assert rule.summary and rule.why and len(rule.why) > 30
    assert rule.name == rule.name.lower() and " " not in rule.name
    if rule.kind == "pattern":
        assert rule.drops and rule.keeps, f"{rule.code} needs examples it drops and keeps"


def test_codes_and_names_are_unique():
    codes = [r.code for r in CATALOG.rules]
    names = [r.name for r in CATALOG.rules]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))
