"""Configuration files: the settings a project uses on every run, found like ruff's and black's.

A configuration file is a ``newsclean.toml`` (settings as top-level keys) or a
``pyproject.toml`` with a ``[tool.newsclean]`` table. It is looked for in the
directory of the input (for several inputs, their common directory; for
standard input, the current directory) and then in each parent directory; the
first file found that holds newsclean settings is used (in one directory,
``newsclean.toml`` comes before ``pyproject.toml``; a ``pyproject.toml``
without the table is passed over)::

    [tool.newsclean]
    ignore = ["comments"]
    rules = ["rules/my-site.toml"]      # paths are relative to this file
    drop = ["Support independent local news"]
    favor = "precision"

Keys are the long names of the command's options (see :data:`KEYS`); the
command line wins over a file. :meth:`ConfigFile.config` makes the
:class:`~newsclean.config.Config` of a file's rule and cleaning settings for
the Python API. Nothing here imports click.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

FILE_NAMES = ("newsclean.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True)
class Key:
    """One setting a configuration file may hold.

    ``kind`` is the TOML type it takes: ``"string"``, ``"strings"`` (a list of
    strings), ``"path"`` or ``"paths"`` (strings, made relative to the file),
    ``"integer"`` or ``"boolean"``. ``config`` is the :meth:`Config.with_options
    <newsclean.config.Config.with_options>` argument it sets in the Python API
    (None: a setting of the command only).
    """

    kind: str
    config: str | None = None


# Every setting a file may hold, by the long name of its command-line option.
# A new option becomes configurable with one line here.
KEYS: dict[str, Key] = {
    "select": Key("strings", "select"),
    "ignore": Key("strings", "ignore"),
    "extend-select": Key("strings", "extend_select"),
    "rules": Key("paths", "rule_files"),
    "drop": Key("strings", "drop"),
    "drop-re": Key("strings", "drop_re"),
    "favor": Key("string", "favor"),
    "layout": Key("string", "layout"),
    "plain": Key("boolean", "plain"),
    "body-only": Key("boolean", "body_only"),
    "repeats": Key("path"),
    "format": Key("string"),
    "explain": Key("boolean"),
    "explain-format": Key("string"),
    "stats": Key("boolean"),
    "jobs": Key("integer"),
    "glob": Key("string"),
    "encoding": Key("string"),
    "field": Key("string"),
    "on-error": Key("string"),
    "site-field": Key("string"),
    "explain-field": Key("string"),
    "max-record-mb": Key("integer"),
}

# Options that only make sense for one run, so a file may not hold them.
COMMAND_LINE_ONLY = frozenset({
    "output", "in-place", "force", "skip-existing", "backup", "diff", "quiet", "no-progress", "jsonl",
    "learn-repeats", "save-repeats", "config", "isolated", "show-settings", "version", "help",
})

_KIND_NAMES = {"string": "a string", "strings": "a list of strings", "path": "a string (a path)",
               "paths": "a list of strings (paths)", "integer": "an integer", "boolean": "true or false"}


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ConfigFile:
    """The settings of one configuration file: ``values`` by key, paths made absolute."""

    path: Path
    values: Mapping[str, Any] = field(default_factory=dict)

    def config(self, base: Any = None) -> Any:
        """The :class:`~newsclean.config.Config` these settings make (from ``base``, or the default).

        Only the settings of the cleaning itself are used (selection, rule files,
        quick rules, ``favor``, ``repeats``); the others are the command's.
        """
        from .config import Config

        cfg = base if base is not None else Config()
        options = {KEYS[k].config: v for k, v in self.values.items() if KEYS[k].config}
        try:
            cfg = cfg.with_options(**options)
            if "repeats" in self.values:
                from .repeats import RepeatTables

                tables = RepeatTables.load(Path(self.values["repeats"]))
                if tables.grouped:
                    raise ValueError(f"{self.values['repeats']}: holds tables by site; a page has no site")
                cfg = cfg.with_options(repeats=tables.for_site(""))
        except ValueError as exc:
            raise ConfigFileError(f"{self.path}: {exc}") from None
        return cfg


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


def _read_table(path: Path) -> dict[str, Any] | None:
    """The newsclean table of a file: the whole of a ``newsclean.toml``, the
    ``[tool.newsclean]`` table of a ``pyproject.toml`` (None when it has none)."""
    from .io import InputError, open_input

    try:
        with open_input(path) as fh:  # as every input: no device, no pipe without a writer
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except InputError as exc:
        raise ConfigFileError(f"{path}: cannot read configuration file: {str(exc).removesuffix('; skipped')}") from None
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read configuration file: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigFileError(f"{path}: configuration file is too large (over {MAX_CONFIG_BYTES} bytes)")
    try:
        data = _toml().loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except (_toml().TOMLDecodeError, RecursionError) as exc:
        raise ConfigFileError(f"{path}: invalid TOML: {exc}") from None
    if path.name != "pyproject.toml":
        return data
    table = data.get("tool", {}).get("newsclean") if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigFileError(f"{path}: [tool.newsclean] must be a table")
    return table


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check(path: Path, table: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of ``table``, each checked against :data:`KEYS`; paths made relative to the file."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = KEYS.get(key)
        if spec is None:
            if key in COMMAND_LINE_ONLY:
                raise ConfigFileError(f"{path}: key {key!r} cannot be set in a configuration file "
                                      "(give it on the command line)")
            hint = _did_you_mean(key.replace("_", "-")) or _did_you_mean(key)
            raise ConfigFileError(f"{path}: unknown key {key!r}{hint or ' (known: ' + ', '.join(KEYS) + ')'}")
        ok = {
            "string": isinstance(value, str), "path": isinstance(value, str),
            "strings": isinstance(value, list) and all(isinstance(x, str) for x in value),
            "paths": isinstance(value, list) and all(isinstance(x, str) for x in value),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }[spec.kind]
        if not ok:
            example = {"strings": f'{key} = ["..."]', "paths": f'{key} = ["..."]'}.get(spec.kind, "")
            raise ConfigFileError(f"{path}: key {key!r} must be {_KIND_NAMES[spec.kind]}, not {_type_name(value)}"
                                  + (f" (like {example})" if example else ""))
        if spec.kind == "path":
            value = str(path.parent / value)
        elif spec.kind == "paths":
            value = [str(path.parent / x) for x in value]
        values[key] = value
    return values


def _type_name(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "a list", dict: "a table"}
    if isinstance(value, list) and any(not isinstance(x, str) for x in value):
        return "a list with " + names.get(type(next(x for x in value if not isinstance(x, str))), "other values")
    return names.get(type(value), type(value).__name__)


def load(path: str | Path) -> ConfigFile:
    """Read and check the configuration file at ``path`` (a ``newsclean.toml``, a
    ``pyproject.toml`` with ``[tool.newsclean]``, or any TOML file of top-level keys)."""
    p = Path(path).absolute()
    if p.is_dir():
        raise ConfigFileError(f"{path}: is a directory, not a configuration file")
    table = _read_table(p)
    if table is None:
        raise ConfigFileError(f"{path}: has no [tool.newsclean] table")
    return ConfigFile(p, _check(p, table))


def find(start: str | Path) -> Path | None:
    """The configuration file that applies in directory ``start``: the first, from
    ``start`` upward, that holds newsclean settings (None when there is none)."""
    here = Path(start).absolute()
    for directory in (here, *here.parents):
        for name in FILE_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and _read_table(candidate) is None:
                continue
            return candidate
    return None


def start_directory(inputs: Iterable[str]) -> Path:
    """Where the search starts for these inputs: their common directory (a
    directory input counts as itself, a file as its parent; ``-`` is skipped);
    the current directory for standard input alone."""
    import os

    dirs = []
    for item in inputs:
        if item == "-":
            continue
        p = Path(item).absolute()
        dirs.append(str(p if p.is_dir() else p.parent))
    if not dirs:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(dirs))
    except ValueError:  # different drives
        return Path(dirs[0])


def discover(inputs: Iterable[str] = ()) -> ConfigFile | None:
    """The configuration that applies to these inputs (see :func:`start_directory`), if any."""
    path = find(start_directory(inputs))
    return load(path) if path is not None else None
