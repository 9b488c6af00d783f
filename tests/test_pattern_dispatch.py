"""The page-at-once pattern pass finds what matching each line alone finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.config import Config
from newsclean.rules import builtin_catalog, line_key
from newsclean.rules.index import SHORT_LINE_WORDS

MATCHER = Config().compiled().matcher
RULES = [r for r in builtin_catalog().rules if r.kind == "pattern" and r.patterns]
EXAMPLES = [line_key(x) for r in RULES for x in (*r.drops, *r.keeps)]
# pieces of furniture and of text, so that generated lines meet the gates and buckets
PIECES = ["cookie", "©", "copyright", ":", "/", " ", "12:40", "photo", "reply", "like", "share", "x",
          "all rights reserved", "getty images", "the", "council", "said", "1", "(", ")", "»", "@"]


def _keys(lines: list[str]) -> tuple[list[str], list[int]]:
    keys = [line_key(x) for x in lines]
    return keys, [k.count(" ") + 1 if k else 0 for k in keys]


def _one_by_one(keys: list[str], nwords: list[int]) -> list[tuple[int, str]]:
    found = []
    for i, (k, n) in enumerate(zip(keys, nwords)):
        m = MATCHER.match(k, n)
        if m is not None:
            found.append((i, m.rule.code))
    return found


def _page(keys: list[str], nwords: list[int]) -> list[tuple[int, str]]:
    return [(i, m.rule.code) for i, m in MATCHER.match_page(keys, nwords, range(len(keys)))]


def test_rule_examples_as_one_page():
    keys, nwords = _keys(EXAMPLES * 2)
    assert _page(keys, nwords) == _one_by_one(keys, nwords)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES) | st.sampled_from(EXAMPLES), max_size=12).map("".join),
                max_size=40))
def test_generated_pages(lines):
    keys, nwords = _keys(lines)
    assert _page(keys, nwords) == _one_by_one(keys, nwords)


def test_gate_found_on_first_and_last_line_of_a_page():
    long_line = " ".join(["word"] * (SHORT_LINE_WORDS + 5))
    lines = ["© 2031 Harbor Media Group. All rights reserved.", long_line, "Watch the full interview 12:40",
             long_line, "We use cookies to give you the best experience on our site."]
    keys, nwords = _keys(lines)
    assert _page(keys, nwords) == _one_by_one(keys, nwords)
    assert [i for i, _ in _page(keys, nwords)] == [0, 2, 4]


def test_short_line_gates_agree_with_scanning_every_line():
    index = MATCHER.index
    keys, nwords = _keys(EXAMPLES + [" ".join(["a:b"] * (SHORT_LINE_WORDS + 1)), "reply " * 30])
    with_words, without = index.gate_hits(keys, nwords), index.gate_hits(keys)
    for i, n in enumerate(nwords):
        def usable(buckets):
            return sorted(id(b) for b in buckets if n <= b.max_words)

        assert usable(with_words.get(i, [])) == usable(without.get(i, []))


def test_keys_seen_before_give_the_same_answer_and_a_user_rule_still_runs_on_them(tmp_path):
    keys, nwords = _keys(EXAMPLES)
    MATCHER.forget()
    cold = _page(keys, nwords)
    assert _page(keys, nwords) == cold  # now every short key is remembered
    assert _page(list(reversed(keys)), list(reversed(nwords))) == [(len(keys) - 1 - i, c) for i, c in reversed(cold)]
    # A user rule still runs on a key the built-in rules already let through.
    pack = tmp_path / "mine.toml"
    pack.write_text('[group]\nname = "harbor"\ntitle = "Harbor Gazette"\nprefix = "HB"\n\n'
                    '[[rule]]\ncode = "HB101"\nname = "harbor-promo"\nsummary = "A promo line."\n'
                    'why = "It repeats under every story."\npatterns = ["visit the harbor shop.*"]\n'
                    'drops = ["Visit the Harbor Shop for mugs"]\nkeeps = ["The council met."]\n', encoding="utf-8")
    mine = Config(rule_files=(str(pack),)).compiled().matcher
    line = ["Visit the Harbor Shop for mugs", "The council met on Tuesday."]
    k2, n2 = _keys(line)
    for _ in range(2):
        assert [(i, m.rule.code) for i, m in mine.match_page(k2, n2, range(2))] == [(0, "HB101")]
