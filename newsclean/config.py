"""One frozen Config: the rule selection, the user's rule files and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .layout import AUTO, CHOICES
from .repeats import RepeatTable
from .rules import Catalog, Rule, load_catalog
from .rules.matcher import Matcher
from .rules.select import resolve
from .settings import Settings


@dataclass(frozen=True)
class Config:
    """How to clean. Immutable, hashable and picklable, so it travels to workers.

    ``select``/``ignore``/``extend_select`` take rule codes, code prefixes, group
    names or rule names (``ALL`` selects everything). ``rule_files`` are extra
    TOML rule packs in the built-in format. ``drop`` (whole-line phrases) and
    ``drop_re`` (patterns) are quick rules, each one a rule of its own with a
    ``USR`` code (see :mod:`newsclean.rules.quick`); they are on unless ignored.
    ``repeats`` is a table of lines learned to be furniture from a batch (see
    :mod:`newsclean.repeats`).
    ``layout`` names how the page's text is laid out (``auto`` guesses it, see
    :mod:`newsclean.layout`); ``plain`` writes each kept block as one line of plain
    words (Markdown syntax stripped, wrapped paragraphs joined) instead of its original text.
    """

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    rule_files: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    drop_re: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)
    repeats: RepeatTable | None = None
    layout: str = AUTO
    plain: bool = False

    def __post_init__(self) -> None:
        if self.layout not in CHOICES:
            raise ValueError(f"layout must be one of {', '.join(CHOICES)}, not {self.layout!r}")
        for key in _LISTS:
            value = getattr(self, key)
            if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)) \
                    or not all(isinstance(x, str) for x in value):
                raise TypeError(_list_expected(key, value))
            if not isinstance(value, tuple):
                object.__setattr__(self, key, tuple(value))  # frozen: a list given is kept as a tuple
        if not isinstance(self.settings, Settings):
            raise TypeError(f"settings must be a newsclean.Settings, not {type(self.settings).__name__}")
        if self.repeats is not None and not isinstance(self.repeats, RepeatTable):
            raise TypeError(f"repeats must be a newsclean.repeats.RepeatTable or None, not {type(self.repeats).__name__}")

    def with_options(self, **overrides: Any) -> "Config":
        """A copy with some fields replaced; settings fields may be given by name too.

        ``select``, ``ignore``, ``extend_select``, ``rule_files``, ``drop`` and
        ``drop_re`` take a list (or tuple) of strings, ``ignore=["NC3"]``; a single
        string is a ``TypeError`` (it would be read as a list of its characters), as
        is an unknown option.
        """
        setting_names = set(Settings.__dataclass_fields__)
        known = setting_names | set(Config.__dataclass_fields__)
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown option {unknown[0]!r}; options: {', '.join(sorted(known))}")
        own = {k: v for k, v in overrides.items() if k not in setting_names and not (k in _LISTS and v is None)}
        sets = {k: v for k, v in overrides.items() if k in setting_names}
        for key in _LISTS:
            if key in own:
                value = own[key]
                if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
                    raise TypeError(_list_expected(key, value))
                own[key] = tuple(str(x) if isinstance(x, Path) else x for x in value)
        cfg = replace(self, **own) if own else self
        if sets:
            cfg = replace(cfg, settings=replace(cfg.settings, **sets))
        return cfg

    def compiled(self) -> "CompiledConfig":
        """The catalog, enabled rules and matcher for this config (built once, then cached)."""
        return _compile(self.select, self.ignore, self.extend_select, self.rule_files, self.drop, self.drop_re)


_LISTS = ("select", "ignore", "extend_select", "rule_files", "drop", "drop_re")


def _list_expected(key: str, value: Any) -> str:
    example = {"rule_files": '["my-site.toml"]'}.get(key, '["NC3", "comments"]')
    return f"{key} expects a list of strings, like {key}={example}, not {type(value).__name__} {value!r:.60}"


@dataclass(frozen=True)
class CompiledConfig:
    catalog: Catalog
    enabled: tuple[Rule, ...]
    enabled_codes: frozenset[str]
    matcher: Matcher
    by_code: dict[str, Rule]  # the enabled rules by code, looked up for every removed line


@lru_cache(maxsize=32)
def _compile(select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
             rule_files: tuple[str, ...], drop: tuple[str, ...] = (), drop_re: tuple[str, ...] = ()) -> CompiledConfig:
    catalog = load_catalog(Path(f) for f in rule_files)
    if drop or drop_re:
        from .rules.quick import GROUP_NAME, quick_rules

        catalog = catalog.extend(quick_rules(drop, drop_re))
        extend_select = (*extend_select, GROUP_NAME)  # asked for by name: on whatever the selection
    enabled = resolve(catalog, select, ignore, extend_select)
    return CompiledConfig(catalog, enabled, frozenset(r.code for r in enabled), Matcher(enabled),
                          {r.code: r for r in enabled})


DEFAULT = Config()
