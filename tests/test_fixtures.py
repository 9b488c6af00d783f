"""Whole pages: each fixtures/<name>.txt cleans to exactly fixtures/<name>.expected.txt."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import newsclean

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _pages() -> list[Path]:
    return sorted(
        p for p in FIXTURES.glob("*.txt")
        if not p.name.endswith(".expected.txt") and p.with_name(p.name[: -len(".txt")] + ".expected.txt").exists()
    )


def test_there_are_fixtures():
    assert len(_pages()) >= 6


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name[: -len(".txt")])
def test_fixture_cleans_to_expected(page: Path):
    expected = page.with_name(page.name[: -len(".txt")] + ".expected.txt").read_text(encoding="utf-8")
    got = newsclean.clean(page.read_text(encoding="utf-8"))
    if got != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), got.splitlines(keepends=True), "expected", "cleaned"))
        pytest.fail(f"{page.name} does not clean to its expected text:\n{diff}")
