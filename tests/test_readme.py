"""Every code block of README.md runs, exactly as written.

Each example runs in a fresh folder holding the files the README's examples
name (``page.txt``, ``pages/``, ``crawl.jsonl``, ``crawl.parquet``, ...), made
from ``fixtures/`` (the layout examples' ``dump.txt``, ``page.md``, ``nodes.txt``
and ``glued.txt`` from ``fixtures/layouts/``), plus the files the README itself shows: a TOML block whose
first line is a comment naming a file (``# my-site.toml``) is written there
(a configuration file only for the examples of its own section, so that it does
not change the others).

* ``sh`` blocks: every line runs through the real command line (``bash -c``,
  with this environment's ``newsclean`` first on the PATH) and must exit 0.
  Lines that install (``python3 -m venv``, ``pip install``) are not run: they
  are checked against ``.ci/run`` and ``pyproject.toml``, and what follows the
  install in the same line runs.
* ``console`` blocks: the ``$`` command runs; every line shown must appear in its
  output, in order (``…`` stands for an elided part).
* ``python`` blocks run with ``exec``. A block that imports one of
  ``OPTIONAL`` is skipped when that package is not installed (Spark also
  needs Java).
* ``toml`` and ``json`` blocks are checked: rule files load, configuration
  files load, JSON parses.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

# The packages an example may need that the test install may lack: the example is
# skipped cleanly when one is missing.
OPTIONAL = {"dask": "dask", "datatrove": "datatrove", "datasets": "datasets", "pyspark": "pyspark", "ray": "ray",
            "pandas": "pandas"}
CONFIG_FILES = ("pyproject.toml", "newsclean.toml")
# One article as other tools write it, for the examples of "Layouts".
LAYOUT_EXAMPLES = {"market-hall-w3m.wrapped.txt": "dump.txt", "market-hall-html2text.markdown.txt": "page.md",
                   "market-hall-bs4.nodes.txt": "nodes.txt", "market-hall-oneline.glued.txt": "glued.txt"}


def blocks() -> list[dict]:
    """The fenced code blocks of the README: language, text, line and section."""
    out, section, current = [], "", None
    for n, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if current is None:
            if line.startswith("#") and not line.startswith("####"):
                section = line.lstrip("#").strip()
            m = re.match(r"^```(\w*)\s*$", line)
            if m:
                current = {"lang": m.group(1), "lines": [], "line": n, "section": section}
        elif line.startswith("```"):
            current["text"] = "\n".join(current.pop("lines")) + "\n"
            out.append(current)
            current = None
        else:
            current["lines"].append(line)
    return out


BLOCKS = blocks()


def named_file(block: dict) -> str | None:
    m = re.match(r"# ([\w.-]+\.toml)\n", block["text"])
    return m.group(1) if m and block["lang"] == "toml" else None


def _id(block: dict, extra: str = "") -> str:
    return f"{block['section'][:24]}-L{block['line']}{extra}".replace(" ", "_")


# --- the folder the examples run in ------------------------------------------------

def _pages() -> list[Path]:
    return [p for p in sorted((ROOT / "fixtures").glob("*.txt")) if not p.name.endswith(".expected.txt")]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Every file the README's examples read, made once and copied for each example."""
    from newsclean.repeats import RepeatLearner

    root = tmp_path_factory.mktemp("readme-template")
    pages = _pages()
    shutil.copy(ROOT / "fixtures" / "cbs-levee.txt", root / "page.txt")
    shutil.copy(ROOT / "fixtures" / "bbc-lighthouse.txt", root / "new-page.txt")
    for name, example in LAYOUT_EXAMPLES.items():
        shutil.copy(ROOT / "fixtures" / "layouts" / name, root / example)
    (root / "pages" / "2024").mkdir(parents=True)
    for p in pages[:4]:
        shutil.copy(p, root / "pages" / p.name)
    for p in pages[4:7]:
        shutil.copy(p, root / "pages" / "2024" / p.name)
    shutil.copy(pages[7], root / "pages" / (pages[7].stem + ".text"))
    records = [{"id": i, "url": f"https://{p.stem.split('-')[0]}.example/news/{p.stem}", "text": p.read_text(encoding="utf-8"),
                "doc": {"body": p.read_text(encoding="utf-8")}} for i, p in enumerate(pages)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    (root / "crawl.jsonl").write_bytes(data)
    (root / "crawl.jsonl.gz").write_bytes(gzip.compress(data))
    if importlib.util.find_spec("zstandard"):
        import zstandard

        (root / "crawl.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    (root / "crawl").mkdir()
    (root / "crawl" / "part-0.jsonl").write_bytes(data)
    if importlib.util.find_spec("pandas") and importlib.util.find_spec("pyarrow"):
        import pandas as pd

        frame = pd.DataFrame({"id": [r["id"] for r in records], "url": [r["url"] for r in records],
                              "body": [r["text"] for r in records]})
        frame.to_parquet(root / "crawl.parquet", index=False)
    learner = RepeatLearner()
    for p in pages:
        learner.add(p.read_text(encoding="utf-8"))
    learner.tables().save(root / "mysite.json")
    for block in BLOCKS:
        name = named_file(block)
        if name and name not in CONFIG_FILES:
            (root / name).write_text(block["text"], encoding="utf-8")
    return root


@pytest.fixture
def workspace(template, tmp_path, monkeypatch):
    """A fresh copy of the template; the current directory and PATH set as a user's shell has them."""
    def make(section: str) -> Path:
        ws = tmp_path / "ws"
        shutil.copytree(template, ws)
        for block in BLOCKS:
            if named_file(block) in CONFIG_FILES and block["section"] == section:
                (ws / named_file(block)).write_text(block["text"], encoding="utf-8")
        monkeypatch.chdir(ws)
        return ws

    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("NO_COLOR", "1")
    return make


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=os.environ.copy())


# --- sh blocks ----------------------------------------------------------------------

SH_LINES = [(b, line) for b in BLOCKS if b["lang"] == "sh"
            for line in b["text"].splitlines() if line.strip() and not line.lstrip().startswith("#")]
INSTALL = re.compile(r"^(python3 -m venv|pip install|\.venv/bin/pip install)")


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def check_install(line: str) -> str:
    """Check an install command (its extras exist; the test command is CI's) and
    return what follows the install in the line (to run), or ``""``."""
    extras = set(_pyproject()["project"]["optional-dependencies"])
    for group in re.findall(r"\.\[([\w,]+)\]", line):
        assert set(group.split(",")) <= extras, f"unknown extra in {line!r}"
    if "pytest" in line and "tests/" not in line:
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert line in ci, ".ci/run must run the README's test command"
    parts = line.split(" && ")
    rest = [p for p in parts if not INSTALL.match(p) and "pytest" not in p]
    return " && ".join(rest)


@pytest.mark.parametrize("block,line", SH_LINES, ids=[_id(b, f"-{n}") for n, (b, _) in enumerate(SH_LINES)])
def test_sh_line(block, line, workspace):
    command = line.split("  #")[0].strip()
    if INSTALL.match(command):
        command = check_install(command)
        if not command:
            return
        if not (ROOT / ".venv" / "bin" / "newsclean").exists():
            pytest.skip("no .venv in the checkout to run the installed command from")
        result = shell(command, ROOT)
    else:
        result = shell(command, workspace(block["section"]))
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert "Traceback" not in result.stderr


# --- console blocks -------------------------------------------------------------------

CONSOLE = [b for b in BLOCKS if b["lang"] == "console"]


def _shown_in(shown: str, actual: str) -> bool:
    """Whether ``shown`` matches the line ``actual``, ``…`` standing for any text."""
    pattern = ".*".join(re.escape(part) for part in shown.split("…"))
    return re.fullmatch(pattern, actual) is not None


@pytest.mark.parametrize("block", CONSOLE, ids=[_id(b) for b in CONSOLE])
def test_console_block(block, workspace):
    command, *shown = block["text"].splitlines()
    assert command.startswith("$ ")
    result = shell(command[2:], workspace(block["section"]))
    assert result.returncode in (0, 1), result.stderr
    actual = iter((result.stdout + result.stderr).splitlines())
    for line in shown:
        assert any(_shown_in(line, got) for got in actual), f"not in the output of {command!r}: {line!r}"


# --- python blocks ----------------------------------------------------------------------

PYTHON = [b for b in BLOCKS if b["lang"] == "python"]


def _skip_unless_available(code: str) -> None:
    for module in re.findall(r"^\s*(?:from|import)\s+(\w+)", code, re.M):
        package = OPTIONAL.get(module)
        if package and importlib.util.find_spec(package) is None:
            pytest.skip(f"needs {package} (not installed)")
    if re.search(r"^\s*(?:from|import)\s+pyspark", code, re.M) and shutil.which("java") is None:
        pytest.skip("needs Java for Spark")


def _after(namespace: dict, ws: Path) -> None:
    """What each data-tool example must have written (and closing what it started)."""
    spark, ray = namespace.get("spark"), namespace.get("ray")
    if spark is not None and hasattr(spark, "stop"):
        spark.stop()
    if ray is not None and hasattr(ray, "shutdown"):
        ray.shutdown()
    for folder in ("clean-parquet", "clean-spark", "clean-ray"):
        if (ws / folder).exists():
            import pandas as pd

            frame = pd.read_parquet(ws / folder)
            assert len(frame) == len(_pages())
            assert frame["article"].map(lambda t: "Watch CBS News" not in t).all()
    if (ws / "logs" / "stats.json").exists():  # datatrove: decisions in the metadata, counts in the stats
        docs = [json.loads(line) for p in sorted((ws / "clean").glob("*.jsonl.gz"))
                for line in gzip.decompress(p.read_bytes()).decode("utf-8").splitlines()]
        assert len(docs) == len(_pages()) and all("Watch CBS News" not in d["text"] for d in docs)
        stats = json.loads((ws / "logs" / "stats.json").read_text(encoding="utf-8"))
        step = next(s for s in stats if "newsclean" in s["name"])
        removed = sum(len(d["metadata"]["newsclean"]["removed"]) for d in docs)
        assert step["stats"]["total"] == len(docs) and step["stats"]["lines_removed"]["total"] == removed > 0
    if (ws / "clean.jsonl").exists() and "Dataset" in namespace:  # datasets: the articles, in order
        from newsclean import clean

        rows = [json.loads(line) for line in (ws / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
        want = [clean(p.read_text(encoding="utf-8"), ignore=["comments"]) for p in _pages()]
        assert [r["article"] for r in rows] == want and all(r["newsclean"]["removed"] for r in rows)


@pytest.mark.parametrize("block", PYTHON, ids=[_id(b) for b in PYTHON])
def test_python_block(block, workspace):
    _skip_unless_available(block["text"])
    ws = workspace(block["section"])
    namespace: dict = {"__name__": "__readme__"}
    try:
        exec(compile(block["text"], f"README.md:{block['line']}", "exec"), namespace)
    finally:
        _after(namespace, ws)


# --- toml and json blocks --------------------------------------------------------------

DATA = [b for b in BLOCKS if b["lang"] in ("toml", "json")]


@pytest.mark.parametrize("block", DATA, ids=[_id(b) for b in DATA])
def test_data_block(block, tmp_path):
    if block["lang"] == "json":
        json.loads(block["text"])
        return
    name = named_file(block)
    assert name, "a TOML example starts with a comment naming its file"
    path = tmp_path / name
    path.write_text(block["text"], encoding="utf-8")
    if name in CONFIG_FILES:
        from newsclean.configfile import load

        for rule_file in load(path).values.get("rules", []):
            assert (ROOT / "README.md").read_text(encoding="utf-8").count(f"# {Path(rule_file).name}\n")
    else:
        from newsclean.rules import load_rule_file

        load_rule_file(path)


def test_every_block_is_run_or_checked():
    assert {b["lang"] for b in BLOCKS} <= {"sh", "console", "python", "toml", "json"}
