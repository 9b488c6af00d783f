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

In a user's file, only ``code`` and ``exact`` or ``patterns`` are required;
``name``, ``summary``, ``why`` and the examples are optional (examples are
recommended: ``newsclean rules --check FILE`` runs them), and without a
``[group]`` table the rules form a group named after the file.

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
from pathlib import Path
from typing import Any, Iterable



def _toml() -> Any:
    """The TOML parser, imported only when a pack is actually parsed (start-up)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib

CODE_RE = re.compile(r"NC\d{3}")
NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DEFAULT_MAX_WORDS = 12
RETIRED_CODES: frozenset[str] = frozenset()

# Characters stripped from both ends of a line before matching.
_DECOR = " \t\u00a0|•·●▪■□◦‣∙»«›‹><→←▶►▸◀◄–—-*#~_=+/\\()[]{}:;,✓✔✕✖×☰…"


_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})


def line_key(line: str) -> str:
    """The normalised form of a line that rules are matched against: white space
    folded, decoration stripped from both ends, curly quotes made straight, lowercased."""
    return " ".join(line.split()).strip(_DECOR).translate(_QUOTES).lower()


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
_GROUP_FIELDS = ("name", "title", "prefix")
_TYPE_NAMES = {str: "a string", list: "a list of strings", int: "an integer"}
_TOML_TYPE_NAMES = {
    str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "a list",
    dict: "a table",
}

# Limits on a user's rule file: far above any real rule pack, low enough that a
# careless or hostile file cannot exhaust memory or time while it is checked.
MAX_RULE_FILE_BYTES = 1 << 20
MAX_RULES_PER_FILE = 2000
MAX_ITEMS_PER_FIELD = 5000
MAX_TEXT_CHARS = 2000  # summary, why, an example, a phrase
MAX_PATTERN_CHARS = 1000
MAX_PAGE_CHARS = 20000
# Matching a rule's own examples while the file is checked is bounded too.
EXAMPLE_TIMEOUT_SECONDS = 0.5
RESERVED_PREFIX = "NC"
# Codes of the quick rules made from --drop and --drop-re (see newsclean.rules.quick).
QUICK_PREFIX = "USR"
PREFIX_RE = re.compile(r"[A-Z]{1,4}\d{0,3}")
USER_CODE_RE = re.compile(r"[A-Z]{1,4}\d{2,4}")


def _fail(source: str, where: str, message: str) -> RuleFileError:
    return RuleFileError(f"{source}: {where}: {message}" if where else f"{source}: {message}")


def _show(value: object, limit: int = 60) -> str:
    """A short, one-line repr of a user's value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _type_name(value: object) -> str:
    for t, name in _TOML_TYPE_NAMES.items():
        if type(value) is t:
            return name
    return type(value).__name__


def _rule_label(r: object, i: int) -> str:
    code = r.get("code") if isinstance(r, dict) else None
    if isinstance(code, str) and USER_CODE_RE.fullmatch(code):
        return f"rule {code}"
    return f"rule #{i}"


def _check_fields(r: dict[str, Any], source: str, label: str, user: bool) -> None:
    """Types, emptiness, sizes and line breaks of every field of one rule."""
    for key, value in r.items():
        want = _RULE_FIELDS.get(key)
        if want is None:
            raise _fail(source, label, f"unknown field {_show(key)} (known: {', '.join(sorted(_RULE_FIELDS))})")
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise _fail(source, label, f"field '{key}' must be {_TYPE_NAMES[want]}, not {_type_name(value)}")
        if want is str:
            limit = MAX_PAGE_CHARS if key == "page" else MAX_TEXT_CHARS
            if user and len(value) > limit:
                raise _fail(source, label, f"field '{key}' is too long ({len(value)} characters; limit {limit})")
            if key != "page" and not value.strip():
                raise _fail(source, label, f"field '{key}' is empty")
        if want is list:
            if user and len(value) > MAX_ITEMS_PER_FIELD:
                raise _fail(source, label, f"field '{key}' has too many entries ({len(value)}; limit {MAX_ITEMS_PER_FIELD})")
            for n, x in enumerate(value, 1):
                if not isinstance(x, str):
                    raise _fail(source, label, f"field '{key}' must be a list of strings (entry {n} is {_type_name(x)})")
                if not x.strip():
                    raise _fail(source, label, f"field '{key}' entry {n} is empty")
                limit = MAX_PATTERN_CHARS if key == "patterns" else MAX_TEXT_CHARS
                if user and len(x) > limit:
                    raise _fail(source, label, f"field '{key}' entry {n} is too long ({len(x)} characters; limit {limit})")
                if key != "patterns" and ("\n" in x or "\r" in x):
                    raise _fail(source, label, f"field '{key}' entry {n} {_show(x)} spans several lines; give one line per entry")


def _compile_pattern(engine: Any, p: str, source: str, label: str) -> Any:
    try:
        rx = engine.compile(p)
    except Exception as exc:  # re.error / regex.error, or anything else the engine raises
        reason = str(exc) or type(exc).__name__
        raise _fail(source, label, f"pattern {_show(p)} does not compile: {reason}") from None
    if rx.groups:
        raise _fail(source, label, f"pattern {_show(p)}: use non-capturing groups (?:...)")
    return rx


def _user_rule_hits(rule: "Rule", compiled: list[Any], line: str) -> bool:
    """Whether ``rule`` alone removes ``line`` (its phrases, or a pattern within max_words)."""
    key = line_key(line)
    if not key:
        return False
    if key in rule.exact:
        return True
    if len(key.split()) > rule.max_words:
        return False
    return any(rx.fullmatch(key, timeout=EXAMPLE_TIMEOUT_SECONDS) for rx in compiled)


def example_failures(rule: "Rule", compiled: list[Any] | None = None) -> list[str]:
    """What is wrong with a user's rule on its own examples: a ``drops`` example it
    does not drop, a ``keeps`` example it drops, or a pattern that times out on one
    (an empty list when every example behaves)."""
    if compiled is None:
        import regex

        compiled = [regex.compile(p) for p in rule.patterns]
    failures = []
    for field_name, want in (("drops", True), ("keeps", False)):
        for x in getattr(rule, field_name):
            try:
                hit = _user_rule_hits(rule, compiled, x)
            except TimeoutError:
                failures.append(f"a pattern takes too long on the example {_show(x)} in '{field_name}' "
                                "(it backtracks catastrophically; simplify it)")
                continue
            if hit != want:
                what = "does not drop" if want else "drops"
                why = ""
                if want and len(line_key(x).split()) > rule.max_words:
                    why = f" (it has more than max_words = {rule.max_words} words)"
                failures.append(f"the rule {what} its own example {_show(x)} in '{field_name}'{why}")
    return failures


def _check_examples(rule: "Rule", compiled: list[Any], source: str, label: str) -> None:
    """A user's rule must drop its ``drops`` and keep its ``keeps``, without timing out."""
    failures = example_failures(rule, compiled)
    if failures:
        raise _fail(source, label, failures[0])


def _default_group(source: str) -> dict[str, str]:
    """The group of a user's file without a ``[group]`` table: named after the file."""
    stem = Path(source).stem.lower()
    name = "-".join(re.findall(r"[a-z0-9]+", stem)) or "user-rules"
    return {"name": name, "title": f"Rules from {Path(source).name}", "prefix": ""}


def _default_summary(exact: tuple[str, ...], patterns: tuple[str, ...]) -> str:
    """What a rule without a summary removes, said from its phrases and patterns."""
    what = [f"lines equal to {_show(x)}" for x in exact[:1]] + [f"lines matching {_show(x)}" for x in patterns[:1]]
    more = len(exact) + len(patterns) - len(what)
    text = " or ".join(what) + (f" (and {more} more)" if more else "")
    return text[0].upper() + text[1:] + "."


def parse_rules(data: dict[str, Any], source: str, *, compile_with: Any = None, check_examples: bool = True,
                quick: bool = False) -> tuple[Group, list[Rule]]:
    """Validate the parsed TOML of one rule file and build its rules.

    ``compile_with`` is the regex module used to check that patterns compile
    (``re`` for built-in rules, ``regex`` for a user's). A user's file is held to
    size limits, may not use the built-in ``NC`` prefix (nor ``USR``, kept for the
    ``quick`` rules of --drop and --drop-re), and, with ``check_examples``, each of
    its rules must drop its own ``drops`` examples and keep its ``keeps``. In a
    user's file a rule needs only a code and phrases or patterns, and the
    ``[group]`` table may be left out.
    """
    engine = compile_with or re
    user = source != "built-in"
    if not isinstance(data, dict):
        raise _fail(source, "", "must be a TOML document with a [group] table and [[rule]] entries")
    g = data.get("group")
    if g is None and user:
        g = _default_group(source)
    elif not isinstance(g, dict):
        raise _fail(source, "", "[group] must be a table (name, title, prefix)" if user
                    else "missing [group] table (name, title, prefix)")
    for key in _GROUP_FIELDS:
        if not isinstance(g.get(key), str) or not (g[key].strip() or (key == "prefix" and "group" not in data)):
            raise _fail(source, "[group]", f"field '{key}' must be a non-empty string")
    unknown_group = set(g) - set(_GROUP_FIELDS)
    if unknown_group:
        raise _fail(source, "[group]", f"unknown field(s): {', '.join(_show(k) for k in sorted(unknown_group))}")
    if not NAME_RE.fullmatch(g["name"]):
        raise _fail(source, "[group]", f"name {_show(g['name'])} must be kebab-case")
    if g["prefix"] and not PREFIX_RE.fullmatch(g["prefix"]):
        raise _fail(source, "[group]", f"prefix {_show(g['prefix'])} must be 1-4 capital letters and at most 3 digits, like XY or XY1")
    if user and g["prefix"].startswith(RESERVED_PREFIX):
        raise _fail(source, "[group]", f"prefix {_show(g['prefix'])}: codes starting with {RESERVED_PREFIX} belong to the built-in rules")
    if user and not quick and g["prefix"].startswith(QUICK_PREFIX):
        raise _fail(source, "[group]", f"prefix {_show(g['prefix'])}: codes starting with {QUICK_PREFIX} belong to "
                                       "the quick rules of --drop and --drop-re")
    if user and len(g["title"]) > MAX_TEXT_CHARS:
        raise _fail(source, "[group]", f"field 'title' is too long ({len(g['title'])} characters; limit {MAX_TEXT_CHARS})")
    group = Group(g["name"], g["title"], g["prefix"], source)
    unknown_top = set(data) - {"group", "rule"}
    if unknown_top:
        raise _fail(source, "", f"unknown table(s): {', '.join(_show(k) for k in sorted(unknown_top))}")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(source, "", "no [[rule]] entries")
    if user and len(raw_rules) > MAX_RULES_PER_FILE:
        raise _fail(source, "", f"too many rules ({len(raw_rules)}; limit {MAX_RULES_PER_FILE})")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for i, r in enumerate(raw_rules, 1):
        label = _rule_label(r, i)
        if not isinstance(r, dict):
            raise _fail(source, label, "must be a table")
        _check_fields(r, source, label, user)
        for key in ("code",) if user else ("code", "name", "summary", "why"):
            if not r.get(key):
                raise _fail(source, label, f"missing field '{key}'")
        code = r["code"]
        if user and code.startswith(RESERVED_PREFIX):
            raise _fail(source, label, f"code {_show(code)}: codes starting with {RESERVED_PREFIX} belong to the built-in rules")
        if user and not quick and code.startswith(QUICK_PREFIX):
            raise _fail(source, label, f"code {_show(code)}: codes starting with {QUICK_PREFIX} belong to the quick "
                                       "rules of --drop and --drop-re")
        r = {"name": code.lower(), **r}
        if not CODE_RE.fullmatch(code) and source == "built-in":
            raise _fail(source, label, "code must look like NC123")
        if not USER_CODE_RE.fullmatch(code):
            raise _fail(source, label, f"code must be 1-4 capital letters and 2-4 digits, like XY101 (not {_show(code)})")
        if not code.startswith(group.prefix):
            raise _fail(source, label, f"code must start with the group prefix {group.prefix!r}")
        if not NAME_RE.fullmatch(r["name"]):
            raise _fail(source, label, f"field 'name' {_show(r['name'])} must be kebab-case")
        for ident in (code, r["name"]):
            if ident in seen:
                raise _fail(source, label, f"{_show(ident)} is used twice in this file (also by {seen[ident]})")
            seen[ident] = label
        kind = r.get("kind", "pattern")
        if kind not in ("pattern", "pass"):
            raise _fail(source, label, "field 'kind' must be 'pattern' or 'pass'")
        if kind == "pass" and user:
            raise _fail(source, label, "only built-in rules can be of kind 'pass'")
        if r.get("group", group.name) != group.name:
            raise _fail(source, label, f"field 'group' must match the file's group {group.name!r}")
        for x in r.get("exact", []):
            if not line_key(x):
                raise _fail(source, label, f"field 'exact' phrase {_show(x)} is empty once normalised "
                                           "(only spaces, bullets, dashes or brackets)")
        exact = tuple(line_key(x) for x in r.get("exact", []))
        patterns = tuple(r.get("patterns", []))
        if kind == "pattern":
            if not exact and not patterns:
                raise _fail(source, label, "needs 'exact' phrases or 'patterns'")
            if not r.get("drops") and not user:
                raise _fail(source, label, "needs at least one example in 'drops'")
        compiled = [_compile_pattern(engine, p, source, label) for p in patterns] if user else []
        max_words = r.get("max_words", DEFAULT_MAX_WORDS)
        if not 1 <= max_words <= 400:
            raise _fail(source, label, f"field 'max_words' must be between 1 and 400, not {max_words}")
        rule = Rule(
            code=code, name=r["name"], group=group.name,
            summary=r["summary"].strip() if "summary" in r else _default_summary(exact, patterns),
            why=r.get("why", "").strip(), kind=kind, exact=exact, patterns=patterns, max_words=max_words,
            drops=tuple(r.get("drops", [])), keeps=tuple(r.get("keeps", [])),
            page=r.get("page", ""), source=source,
        )
        if user and check_examples:
            _check_examples(rule, compiled, source, label)
        rules.append(rule)
    return group, rules


def load_rule_file(path: str | Path, *, check_examples: bool = True) -> tuple[Group, list[Rule]]:
    """Load and validate a user's rule file (TOML, same format as the built-ins).

    The file is only parsed as TOML data: nothing in it is executed. Without
    ``check_examples``, rules whose examples fail are loaded too (for
    :func:`newsclean.rules.check.check_file`, which reports every failure).
    """
    import regex

    from ..io import InputError, open_input

    p = Path(path)
    try:
        with open_input(p) as fh:  # as every input: no device, no pipe without a writer
            raw = fh.read(MAX_RULE_FILE_BYTES + 1)
    except InputError as exc:
        why = "is a directory" if str(exc).startswith("is a directory") else str(exc).removesuffix("; skipped")
        raise RuleFileError(f"{p}: cannot read rule file: {why}") from None
    except OSError as exc:
        raise RuleFileError(f"{p}: cannot read rule file: {exc.strerror or exc}") from None
    if len(raw) > MAX_RULE_FILE_BYTES:
        raise RuleFileError(f"{p}: rule file is too large (over {MAX_RULE_FILE_BYTES} bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"{p}: rule file is not UTF-8 text (byte {exc.start})") from None
    try:
        data = _toml().loads(text)
    except _toml().TOMLDecodeError as exc:
        raise RuleFileError(f"{p}: invalid TOML: {exc}") from None
    except RecursionError:
        raise RuleFileError(f"{p}: invalid TOML: nested too deeply") from None
    return parse_rules(data, str(p), compile_with=regex, check_examples=check_examples)


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
        group_sources = {g.name: g.source for g in groups}
        for group, new in extra:
            if group.name not in group_names:
                if group.name in seen_names:
                    raise RuleFileError(f"{group.source}: [group]: name {group.name!r} is already the name of rule "
                                        f"{seen_names[group.name].code}; selectors could not tell them apart")
                groups.append(group)
                group_names.add(group.name)
                group_sources[group.name] = group.source
            elif group.source != "built-in" and group_sources[group.name] == "built-in":
                raise RuleFileError(f"{group.source}: [group]: name {group.name!r} is a built-in group; choose another "
                                    "name (in a [group] table; without one, the file's name is the group's)")
            for r in new:
                if r.code in seen_codes:
                    raise RuleFileError(f"{r.source}: rule {r.code}: code already used by {seen_codes[r.code].source}")
                if r.name in seen_names:
                    raise RuleFileError(f"{r.source}: rule {r.code}: name {r.name!r} already used by {seen_names[r.name].code}")
                if r.name in group_names and r.name != r.group:
                    raise RuleFileError(f"{r.source}: rule {r.code}: name {r.name!r} is already the name of a group; "
                                        "selectors could not tell them apart")
                seen_codes[r.code] = seen_names[r.name] = r
                rules.append(r)
        return Catalog(tuple(groups), tuple(rules))


@lru_cache(maxsize=None)
def builtin_catalog() -> Catalog:
    """The built-in rules, read once from the TOML files of this package.

    Parsing and validating the packs is the larger part of start-up, so the
    result is kept in the cache directory (see :mod:`newsclean.rules.index_cache`)
    under a digest of the packs' bytes; a changed pack is simply parsed again.
    """
    import zlib

    from . import index_cache

    files = sorted(Path(__file__).parent.glob("*.toml"), key=lambda e: e.name)
    # the digest covers this module too: a change in how packs are parsed invalidates the cache
    texts = [(e.name, e.read_bytes()) for e in files] + [("parser", Path(__file__).read_bytes())]
    whole = b"".join(n.encode() + b"\0" + t + b"\0" for n, t in texts)
    digest = f"{zlib.crc32(whole):08x}-{len(whole)}"  # hashlib costs milliseconds to import
    cached = index_cache.load_catalog(digest)
    if cached is not None:
        try:
            groups = tuple(Group(**g) for g in cached["groups"])
            rules = tuple(Rule(**{k: tuple(v) if isinstance(v, list) else v for k, v in r.items()}) for r in cached["rules"])
            return Catalog(groups, rules)
        except (TypeError, KeyError):
            pass
    packs = [parse_rules(_toml().loads(t.decode("utf-8")), "built-in") for _, t in texts[:-1]]
    catalog = Catalog((), ()).extend(packs)
    ordered = Catalog(catalog.groups, tuple(sorted(catalog.rules, key=lambda r: r.code)))
    index_cache.save_catalog(digest, {
        "groups": [{f: getattr(g, f) for f in Group.__dataclass_fields__} for g in ordered.groups],
        "rules": [{f: getattr(r, f) for f in Rule.__dataclass_fields__} for r in ordered.rules],
    })
    return ordered


def load_catalog(rule_files: Iterable[str | Path] = ()) -> Catalog:
    """The built-in catalog extended with the rules of the given files."""
    files = tuple(rule_files)
    if not files:
        return builtin_catalog()
    return builtin_catalog().extend(load_rule_file(f) for f in files)
