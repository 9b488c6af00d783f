"""Configuration files: found from the input upward, checked, overridden by the command line."""

from __future__ import annotations

import json

import pytest

from newsclean import Config, clean, extract
from newsclean.cli import main
from newsclean.configfile import KEYS, ConfigFileError, discover, find, load

ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = f"Harbor Gazette members save ten percent\nWatch CBS News\n{ARTICLE}"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a page two levels down; the tests run from an unrelated directory."""
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    pages = tmp_path / "project" / "pages" / "2024"
    pages.mkdir(parents=True)
    (pages / "page.txt").write_text(PAGE, encoding="utf-8")
    return tmp_path / "project"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_from_the_input_upward(runner, project):
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.newsclean]\n'
                                      'drop = ["Harbor Gazette members save ten percent"]\nignore = ["NC301"]\n')
    result = runner.invoke(main, [str(project / "pages" / "2024" / "page.txt")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Watch CBS News\n{ARTICLE}"


def test_newsclean_toml_comes_first_and_the_nearest_file_wins(runner, project):
    write(project / "pyproject.toml", '[tool.newsclean]\nignore = ["NC301"]\n')
    write(project / "pages" / "newsclean.toml", 'drop = ["Harbor Gazette members save ten percent"]\n')
    write(project / "pages" / "pyproject.toml", '[tool.newsclean]\nignore = ["ALL"]\n')
    result = runner.invoke(main, [str(project / "pages" / "2024" / "page.txt")])
    assert result.stdout == ARTICLE  # pages/newsclean.toml only: NC301 is on, the drop applies


def test_a_pyproject_without_the_table_is_passed_over(project):
    write(project / "pyproject.toml", '[tool.newsclean]\nfavor = "recall"\n')
    write(project / "pages" / "pyproject.toml", '[tool.black]\nline-length = 100\n')
    assert find(project / "pages" / "2024") == project / "pyproject.toml"
    assert discover([str(project / "pages" / "2024" / "page.txt")]).values == {"favor": "recall"}


def test_stdin_looks_from_the_current_directory(runner, project, monkeypatch):
    write(project / "newsclean.toml", 'ignore = ["ALL"]\n')
    monkeypatch.chdir(project)
    assert runner.invoke(main, [], input=PAGE).stdout == PAGE
    monkeypatch.chdir(project.parent / "elsewhere")
    assert runner.invoke(main, [], input=PAGE).stdout == clean(PAGE) != PAGE


def test_command_line_wins_and_isolated_ignores_files(runner, project):
    write(project / "newsclean.toml", 'ignore = ["NC301"]\nfavor = "precision"\n')
    page = str(project / "pages" / "2024" / "page.txt")
    assert runner.invoke(main, [page]).stdout.startswith("Harbor Gazette members save ten percent\nWatch CBS News\n")
    assert "Watch CBS News" not in runner.invoke(main, [page, "--ignore", "NC9"]).stdout
    assert "Watch CBS News" not in runner.invoke(main, [page, "--isolated"]).stdout


def test_explicit_config_file_and_paths_relative_to_it(runner, project, tmp_path):
    rules = write(project / "site-rules.toml", "[[rule]]\ncode = \"HB101\"\nexact = [\"harbor gazette members save ten percent\"]\n")
    conf = write(tmp_path / "ci.toml", f'rules = ["{rules.relative_to(tmp_path)}"]\nexplain = true\n')
    result = runner.invoke(main, [str(project / "pages" / "2024" / "page.txt"), "--config", str(conf)])
    assert result.exit_code == 0, result.stderr
    assert "HB101 hb101" in result.stderr and "Harbor Gazette" not in result.stdout
    assert load(conf).values["rules"] == [str(rules)]


@pytest.mark.parametrize("text,message", [
    ('ignor = ["video"]\n', "unknown key 'ignor'; did you mean 'ignore'?"),
    ('extend_select = ["video"]\n', "unknown key 'extend_select'; did you mean 'extend-select'?"),
    ('select = "video"\n', "key 'select' must be a list of strings, not a string"),
    ('jobs = "4"\n', "key 'jobs' must be an integer, not a string"),
    ('explain = 1\n', "key 'explain' must be true or false, not an integer"),
    ('drop = ["a", 3]\n', "key 'drop' must be a list of strings, not a list with an integer"),
    ('force = true\n', "key 'force' cannot be set in a configuration file"),
    ('favor = "sideways"\n', "key 'favor': 'sideways' is not one of 'precision', 'balanced', 'recall'"),
    ('jobs = -2\n', "key 'jobs': -2 is not in the range"),
    ('format = "xml"\n', "key 'format': 'xml' is not one of 'text', 'json'"),
    ("favor = \n", "invalid TOML"),
])
def test_a_bad_file_is_a_usage_error_naming_file_and_key(runner, project, text, message):
    conf = write(project / "newsclean.toml", text)
    result = runner.invoke(main, [str(project / "pages" / "2024" / "page.txt")])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{conf}: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.output


def test_config_and_isolated_together_are_refused(runner, project):
    conf = write(project / "newsclean.toml", "")
    result = runner.invoke(main, ["--config", str(conf), "--isolated", str(project / "pages")])
    assert result.exit_code == 2 and "--config and --isolated" in result.stderr
    missing = runner.invoke(main, ["--config", str(project / "nope.toml"), str(project / "pages")])
    assert missing.exit_code == 2 and "nope.toml: cannot read configuration file" in missing.stderr


def test_show_settings_says_where_each_comes_from(runner, project):
    conf = write(project / "pyproject.toml", '[tool.newsclean]\nignore = ["comments"]\nfavor = "precision"\n'
                                             'format = "json"\n')
    for args in (["config", str(project / "pages"), "--favor", "recall"],
                 [str(project / "pages"), "--favor", "recall", "--show-settings"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == f"# configuration file: {conf}"
        assert f'ignore = ["comments"]  # {conf}' in lines
        assert 'favor = "recall"  # command line' in lines
        assert 'select = ["ALL"]  # default' in lines
        assert f'format = "json"  # {conf}' in lines
    assert not (project.parent / "elsewhere" / "clean").exists()


def test_format_from_a_file_applies_where_pages_go_to_stdout(runner, project, tmp_path):
    write(project / "newsclean.toml", 'format = "json"\n')
    pages = project / "pages"
    records = [json.loads(x) for x in runner.invoke(main, [str(pages)]).stdout.splitlines()]
    assert records == [{"path": str(pages / "2024" / "page.txt"), "text": clean(PAGE), **extract(PAGE).to_dict()}]
    result = runner.invoke(main, [str(pages), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "2024" / "page.txt").read_text(encoding="utf-8") == clean(PAGE)


def test_jsonl_settings_in_a_file_do_not_break_runs_on_files(runner, project):
    write(project / "newsclean.toml", 'field = "doc.body"\non-error = "drop"\nsite-field = "url"\n')
    result = runner.invoke(main, [str(project / "pages" / "2024" / "page.txt")])
    assert result.exit_code == 0, result.stderr


def test_rules_command_reads_the_configuration(runner, project, monkeypatch):
    write(project / "newsclean.toml", 'drop = ["Harbor Gazette members save ten percent"]\nignore = ["video"]\n'
                                      'format = "json"\n')
    monkeypatch.chdir(project)
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0, listing.stderr
    assert "USR001\tdrop-1\tquick\ton" in listing.stdout
    assert "NC101\tvideo-title-with-duration\tvideo\toff" in listing.stdout


def test_python_api(project):
    conf = write(project / "newsclean.toml", 'drop = ["Harbor Gazette members save ten percent"]\n'
                                             'ignore = ["NC301"]\nfavor = "recall"\njobs = 2\n')
    cfg = load(conf).config()
    assert cfg == Config().with_options(drop=["Harbor Gazette members save ten percent"], ignore=["NC301"],
                                        favor="recall")
    assert clean(PAGE, cfg) == f"Watch CBS News\n{ARTICLE}"
    with pytest.raises(ConfigFileError, match="unknown key 'colour'"):
        load(write(project / "bad.toml", "colour = 1\n"))


def test_every_key_is_an_option_of_the_command():
    from newsclean.cli import clean_command

    long_names = {opt[2:] for p in clean_command.params for opt in getattr(p, "opts", ()) if opt.startswith("--")}
    assert set(KEYS) <= long_names


def test_rule_command_finds_the_rule_files_of_the_configuration(runner, project, monkeypatch):
    write(project / "site.toml", "[[rule]]\ncode = \"HB101\"\nexact = [\"harbor gazette members save ten percent\"]\n")
    write(project / "newsclean.toml", 'rules = ["site.toml"]\n')
    monkeypatch.chdir(project)
    doc = runner.invoke(main, ["rule", "HB101"])
    assert doc.exit_code == 0 and doc.stdout.startswith("HB101 hb101")
    assert runner.invoke(main, ["rule", "HB101", "--isolated"]).exit_code == 2
