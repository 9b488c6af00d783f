"""Rules as data: every rule has a stable code, a name, a group and documentation.

Built-in rules live in the TOML files of this package, one file per group. A
user's rule file has the same format (see ``load_rule_file``). Codes are never
reused: a retired rule keeps its code in ``RETIRED_CODES``.

A TOML rule file looks like::

    [group]
    name = "video"                 # kebab-case group name, selectable on the CLI
    title = "Video furniture"
    prefix = "NC1"                 # every code in the file starts with this

    [[rule]]
    code = "NC101"
    name = "video-title-with-duration"
    summary = "A video title that ends in its running time."
    why = "Video players list their clips as a title followed by a duration."
    exact = ["now playing"]         # whole-line phrases (compared after normalising)
    patterns = ['.{3,120} \\d{1,2}:\\d{2}']  # regexes that must match the whole normalised line
    max_words = 16                  # patterns only apply to lines of at most this many words
    drops = ["Battle for Ramadi 05:35"]
    keeps = ["The battle lasted until 05:35 on Sunday, officials said."]

"Normalised" means: lowercased, runs of white space folded to one space, and
decorative characters (bullets, pipes, arrows, brackets, dashes) stripped from
both ends; see :func:`line_key`.

Rules of kind ``"pass"`` document the decisions of a pipeline pass (article
detection); they carry no patterns, and their example is a small ``page`` in
which lines starting with ``"- "`` must be removed by that rule and lines
starting with ``"+ "`` must be kept.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CODE_RE = re.compile(r"NC\d{3}")
NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DEFAULT_MAX_WORDS = 12
RETIRED_CODES: frozenset[str] = frozenset()

# Characters stripped from both ends of a line before matching.
_DECOR = " \t\u00a0|•·●▪■□◦‣∙»«›‹><→←▶►▸◀◄–—-*#~_=+/\\()[]{}:;,✓✔✕✖×☰…"
_WS = re.compile(r"\s+")


def line_key(line: str) -> str:
    """The normalised form of a line that rules are matched against."""
    return _WS.sub(" ", line).strip(_DECOR).lower()


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message names the file, rule and field."""


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    group: str
    summary: str
    why: str
    kind: str = "pattern"  # "pattern" or "pass"
    exact: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    max_words: int = DEFAULT_MAX_WORDS
    drops: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    page: str = ""
    source: str = "built-in"

    @property
    def builtin(self) -> bool:
        return self.source == "built-in"


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    title: str
    prefix: str
    source: str = "built-in"


_RULE_FIELDS = {
    "code": str, "name": str, "summary": str, "why": str, "kind": str,
    "exact": list, "patterns": list, "max_words": int, "drops": list, "keeps": list,
    "page": str, "group": str,
}


def _fail(source: str, where: str, message: str) -> RuleFileError:
    return RuleFileError(f"{source}: {where}: {message}" if where else f"{source}: {message}")


def parse_rules(data: dict[str, Any], source: str, *, compile_with: Any = None) -> tuple[Group, list[Rule]]:
    """Validate the parsed TOML of one rule file and build its rules.

    ``compile_with`` is the regex module used to check that patterns compile
    (``re`` for built-in rules, ``regex`` for a user's).
    """
    engine = compile_with or re
    g = data.get("group")
    if not isinstance(g, dict):
        raise _fail(source, "", "missing [group] table (name, title, prefix)")
    for key in ("name", "title", "prefix"):
        if not isinstance(g.get(key), str) or not g[key]:
            raise _fail(source, "[group]", f"field '{key}' must be a non-empty string")
    if not NAME_RE.fullmatch(g["name"]):
        raise _fail(source, "[group]", f"name {g['name']!r} must be kebab-case")
    group = Group(g["name"], g["title"], g["prefix"], source)
    unknown_top = set(data) - {"group", "rule"}
    if unknown_top:
        raise _fail(source, "", f"unknown table(s): {', '.join(sorted(unknown_top))}")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(source, "", "no [[rule]] entries")
    rules: list[Rule] = []
    for i, r in enumerate(raw_rules, 1):
        label = f"rule {r.get('code', '#' + str(i))}" if isinstance(r, dict) else f"rule #{i}"
        if not isinstance(r, dict):
            raise _fail(source, label, "must be a table")
        for key, value in r.items():
            want = _RULE_FIELDS.get(key)
            if want is None:
                raise _fail(source, label, f"unknown field '{key}'")
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                raise _fail(source, label, f"field '{key}' must be a {want.__name__}")
            if want is list and not all(isinstance(x, str) for x in value):
                raise _fail(source, label, f"field '{key}' must be a list of strings")
        for key in ("code", "name", "summary", "why"):
            if not r.get(key):
                raise _fail(source, label, f"missing field '{key}'")
        code = r["code"]
        if not CODE_RE.fullmatch(code) and source == "built-in":
            raise _fail(source, label, "code must look like NC123")
        if not re.fullmatch(r"[A-Z]{1,4}\d{2,4}", code):
            raise _fail(source, label, "code must be 1-4 capital letters and 2-4 digits, like XY101")
        if not code.startswith(group.prefix):
            raise _fail(source, label, f"code must start with the group prefix {group.prefix!r}")
        if not NAME_RE.fullmatch(r["name"]):
            raise _fail(source, label, f"field 'name' {r['name']!r} must be kebab-case")
        kind = r.get("kind", "pattern")
        if kind not in ("pattern", "pass"):
            raise _fail(source, label, "field 'kind' must be 'pattern' or 'pass'")
        if kind == "pass" and source != "built-in":
            raise _fail(source, label, "only built-in rules can be of kind 'pass'")
        if r.get("group", group.name) != group.name:
            raise _fail(source, label, f"field 'group' must match the file's group {group.name!r}")
        exact = tuple(line_key(x) for x in r.get("exact", []))
        patterns = tuple(r.get("patterns", []))
        if kind == "pattern":
            if not exact and not patterns:
                raise _fail(source, label, "needs 'exact' phrases or 'patterns'")
            if not r.get("drops"):
                raise _fail(source, label, "needs at least one example in 'drops'")
        if any(not x for x in exact):
            raise _fail(source, label, "field 'exact' has an empty phrase")
        for p in patterns:
            try:
                engine.compile(p)
            except Exception as exc:  # re.error / regex.error
                raise _fail(source, label, f"pattern {p!r} does not compile: {exc}") from None
            if "(?P" in p or re.search(r"(?<!\\)\((?!\?)", p):
                raise _fail(source, label, f"pattern {p!r}: use non-capturing groups (?:...)")
        max_words = r.get("max_words", DEFAULT_MAX_WORDS)
        if not 1 <= max_words <= 400:
            raise _fail(source, label, "field 'max_words' must be between 1 and 400")
        rules.append(Rule(
            code=code, name=r["name"], group=group.name, summary=r["summary"].strip(),
            why=r["why"].strip(), kind=kind, exact=exact, patterns=patterns, max_words=max_words,
            drops=tuple(r.get("drops", [])), keeps=tuple(r.get("keeps", [])),
            page=r.get("page", ""), source=source,
        ))
    return group, rules


def load_rule_file(path: str | Path) -> tuple[Group, list[Rule]]:
    """Load and validate a user's rule file (TOML, same format as the built-ins)."""
    import regex

    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RuleFileError(f"{p}: cannot read rule file: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RuleFileError(f"{p}: rule file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{p}: invalid TOML: {exc}") from None
    return parse_rules(data, str(p), compile_with=regex)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every known rule and group, in code order, with lookups by code and name."""

    groups: tuple[Group, ...]
    rules: tuple[Rule, ...]

    def by_code(self, code: str) -> Rule | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None

    def find(self, ident: str) -> Rule | None:
        """A rule by code (case-insensitive) or by name."""
        up = ident.upper()
        for r in self.rules:
            if r.code == up or r.name == ident:
                return r
        return None

    def extend(self, extra: Iterable[tuple[Group, list[Rule]]]) -> "Catalog":
        groups, rules = list(self.groups), list(self.rules)
        seen_codes = {r.code: r for r in rules}
        seen_names = {r.name: r for r in rules}
        group_names = {g.name for g in groups}
        for group, new in extra:
            if group.name not in group_names:
                groups.append(group)
                group_names.add(group.name)
            for r in new:
                if r.code in seen_codes:
                    raise RuleFileError(f"{r.source}: rule {r.code}: code already used by {seen_codes[r.code].source}")
                if r.name in seen_names:
                    raise RuleFileError(f"{r.source}: rule {r.code}: name {r.name!r} already used by {seen_names[r.name].code}")
                seen_codes[r.code] = seen_names[r.name] = r
                rules.append(r)
        return Catalog(tuple(groups), tuple(rules))


@lru_cache(maxsize=None)
def builtin_catalog() -> Catalog:
    """The built-in rules, read once from the TOML files of this package."""
    empty = Catalog((), ())
    packs = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            packs.append(parse_rules(data, "built-in"))
    catalog = empty.extend(packs)
    ordered = tuple(sorted(catalog.rules, key=lambda r: r.code))
    return Catalog(catalog.groups, ordered)


def load_catalog(rule_files: Iterable[str | Path] = ()) -> Catalog:
    """The built-in catalog extended with the rules of the given files."""
    files = tuple(rule_files)
    if not files:
        return builtin_catalog()
    return builtin_catalog().extend(load_rule_file(f) for f in files)
