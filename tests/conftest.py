from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


def fixture_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for page in sorted(FIXTURES.glob("*.txt")):
        if page.name.endswith(".expected.txt"):
            continue
        expected = page.with_name(page.name[: -len(".txt")] + ".expected.txt")
        if expected.exists():
            pairs.append((page, expected))
    return pairs


@pytest.fixture
def seed_paths() -> tuple[Path, Path]:
    page = SHARED / "seeds" / "cbs-ramadi.txt"
    expected = SHARED / "seeds" / "cbs-ramadi.expected.txt"
    if not (page.exists() and expected.exists()):
        pytest.skip("../shared/seeds is not present")
    return page, expected


@pytest.fixture
def runner():
    """A CliRunner for the ``newsclean`` command (stdout and stderr kept apart)."""
    from click.testing import CliRunner

    return CliRunner()
