"""The reference docs are generated from the code and must match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_docs_are_up_to_date():
    gen = _gen()
    for rel in gen.CHECKED:
        make = gen.FILES[rel]
        assert (ROOT / rel).read_text(encoding="utf-8") == make(), f"{rel} is out of date: run python scripts/gen_docs.py"


def test_rule_docs_cover_every_rule():
    from newsclean.rules import builtin_catalog

    text = _gen().rules_reference()
    for rule in builtin_catalog().rules:
        assert f"### {rule.code} {rule.name}" in text
        assert rule.summary in text
