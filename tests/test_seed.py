"""The user's own example page comes out exactly as expected, in every mode."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

import newsclean
from newsclean.cli import main


def test_seed_through_the_api(seed_paths):
    page, expected = seed_paths
    assert newsclean.clean(page.read_text(encoding="utf-8")) == expected.read_text(encoding="utf-8")


def test_seed_as_a_file_argument(seed_paths):
    page, expected = seed_paths
    result = CliRunner().invoke(main, [str(page)])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_seed_on_stdin(seed_paths):
    page, expected = seed_paths
    result = CliRunner().invoke(main, [], input=page.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_seed_inside_a_directory(seed_paths, tmp_path):
    page, expected = seed_paths
    src = tmp_path / "pages" / "iraq"
    src.mkdir(parents=True)
    shutil.copy(page, src / page.name)
    out = tmp_path / "clean"
    result = CliRunner().invoke(main, [str(tmp_path / "pages"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "iraq" / page.name).read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
