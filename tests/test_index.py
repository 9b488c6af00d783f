"""The pattern index finds exactly what trying every pattern in code order finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.rules import builtin_catalog, line_key
from newsclean.rules import index as index_module
from newsclean.rules.index import PatternIndex, _trie_pattern, literal_prefixes, required_literals

RULES = [r for r in builtin_catalog().rules if r.kind == "pattern" and r.patterns]


def naive(key: str, nwords: int):
    for rule in RULES:
        if nwords <= rule.max_words and any(re.fullmatch(p, key) for p in rule.patterns):
            return rule.code
    return None


def test_literal_analysis():
    found = literal_prefixes(r"(?:please )?check your (?:inbox|e-?mail)")
    assert found and all(p.startswith(("check your ", "please check your ")) for p in found)
    assert {p[:2] for p in found} == {"ch", "pl"}
    assert literal_prefixes(r".{2,9} app") is None
    assert literal_prefixes(r".{2,9} app open", tail=True) == [" app open"]
    assert required_literals(r"[^.!?]{2,160} \d{1,2}:\d{2}") == [":"]
    assert required_literals(r"(?:[\w]+ ){0,3}(?:getty images|reuters)") == ["getty images", "reuters"]


def test_index_agrees_with_trying_every_pattern():
    index = Config().compiled().matcher.index
    lines = [x for r in RULES for x in (*r.drops, *r.keeps)]
    lines += [
        "Watch the full interview 12:40", "© 2031 Harbor Media Group. All rights reserved.",
        "We use cookies to give you the best experience on our site.", "Home > World > Europe",
        "The council said the bridge would reopen at 10:30 on Friday.", "Share this article",
        "Photo: Jane Roe/Getty Images", "Read more: Council approves harbor plan", "42 comments",
    ]
    for line in lines:
        key = line_key(line)
        n = len(key.split())
        got = index.match(key, n)
        assert (got.code if got else None) == naive(key, n), line


def test_index_agrees_once_its_buckets_use_their_regex(monkeypatch):
    # every bucket of literals switches from lookups to its trie regex on first use
    monkeypatch.setattr(index_module, "_REGEX_AFTER", 1)
    index = PatternIndex([(r, p) for r in RULES for p in r.patterns])
    lines = [x for r in RULES for x in (*r.drops, *r.keeps)]
    for line in lines + [x + " and more" for x in lines] + [x[:-3] for x in lines]:
        key = line_key(line)
        n = len(key.split())
        got = index.match(key, n)
        assert (got.code if got else None) == naive(key, n), line


def longest_prefix(literals: list[str], text: str) -> str | None:
    return max((x for x in literals if text.startswith(x)), key=len, default=None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ab.-]^\\ (|", min_size=1, max_size=6), min_size=1, max_size=12),
       st.text("ab.-]^\\ (|", max_size=8))
def test_trie_pattern_finds_the_longest_literal_a_text_starts_with(literals, text):
    pattern, cuts = _trie_pattern(literals)

    def longest(probe: str) -> str | None:
        m = re.match(pattern, probe)
        if m is None:
            return None
        cut = cuts.get(m.group())
        return m.group() if cut is None else cut[0] if probe.startswith(cut[0]) else cut[1]
    # the text, and each literal alone, cut short, and with more after it
    for probe in (text, *(y for x in literals for y in (x, x[:-1], x + "a", x + text))):
        assert longest(probe) == longest_prefix(literals, probe)


def test_bucket_reports_lowest_code():
    from newsclean.rules import Rule

    a = Rule("NC102", "b-rule", "g", "s", "w", patterns=("foo.*",), drops=("foo",), keeps=("x",))
    b = Rule("NC101", "a-rule", "g", "s", "w", patterns=("fo+ bar",), drops=("foo bar",), keeps=("x",))
    index = PatternIndex([(a, "foo.*"), (b, "fo+ bar")])
    assert index.match("foo bar", 2).code == "NC101"
    assert index.match("foo baz", 2).code == "NC102"
    assert index.match("bar", 1) is None


def test_every_builtin_pattern_compiles_without_groups():
    # built-in packs are not compiled when loaded (start-up); this is where they are checked
    for rule in RULES:
        for p in rule.patterns:
            assert re.compile(p).groups == 0, f"{rule.code}: {p!r} has a capture group"


def test_start_up_cache_is_optional_and_never_trusted_blindly(tmp_path, monkeypatch):
    from newsclean.rules import index_cache

    monkeypatch.setenv("NEWSCLEAN_CACHE_DIR", str(tmp_path))
    fresh = builtin_catalog.__wrapped__()  # parses the packs and writes the cache
    assert (tmp_path / "catalog.json").exists()
    again = builtin_catalog.__wrapped__()  # read back from the cache
    assert again == fresh
    (tmp_path / "catalog.json").write_text("{not json", encoding="utf-8")
    assert index_cache.load_catalog("anything") is None
    assert builtin_catalog.__wrapped__() == fresh
    index_cache.path().write_bytes(b"\xff\xfe garbage")
    assert index_cache.load() == {}
    monkeypatch.setenv("NEWSCLEAN_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x", encoding="utf-8")
    assert builtin_catalog.__wrapped__() == fresh  # an unwritable cache is not an error


def test_a_new_pattern_analysis_replaces_those_of_earlier_versions(tmp_path, monkeypatch):
    from newsclean.rules import index_cache

    monkeypatch.setenv("NEWSCLEAN_CACHE_DIR", str(tmp_path))
    stale = tmp_path / index_cache.path().name.replace(".json", "").rsplit("-", 1)[0]
    stale = stale.with_name(stale.name + "-0123abcd.json")
    stale.write_text("{}", encoding="utf-8")
    other_python = tmp_path / "pattern-index-py27-0123abcd.json"
    other_python.write_text("{}", encoding="utf-8")
    index_cache.save({"x": ("prefix", ["x"])})
    assert index_cache.load() == {"x": ("prefix", ["x"])}
    assert not stale.exists() and other_python.exists()
