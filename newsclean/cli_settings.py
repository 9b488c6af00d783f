"""Configuration files on the command line: --config, --isolated, --show-settings.

:mod:`newsclean.configfile` finds and checks a file; this module puts its
values into a Click command's parameters where the command line left them at
their defaults (the command line wins), converting each through the option's
own Click type, so a file's value is checked exactly as the same option typed
on the command line. It remembers where each setting came from, for
``--show-settings`` and ``newsclean config``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import click
from click.core import ParameterSource

_META = "newsclean.settings"


def option_group(*options: Callable[..., Any]) -> Callable[..., Any]:
    """One decorator that adds ``options`` (click.option decorators) to a command, in the
    order given: a set of options that means the same on every command that takes it."""

    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed(options):
            fn = opt(fn)
        return fn
    return add


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.meta.setdefault(_META, {})[param.name] = value


# --config FILE, --isolated and --show-settings (read by ConfiguredCommand, not passed on).
config_options = option_group(
    click.option("--config", "config_file", metavar="FILE", default=None, expose_value=False, callback=_remember,
                 type=click.Path(dir_okay=False, path_type=str),
                 help="Read settings from this file (a newsclean.toml, or a pyproject.toml with "
                      "[tool.newsclean]) instead of looking for one from the input's directory upward."),
    click.option("--isolated", is_flag=True, expose_value=False, callback=_remember,
                 help="Ignore every configuration file."),
    click.option("--show-settings", is_flag=True, expose_value=False, callback=_remember,
                 help="Print the settings this command would use, and where each comes from; clean nothing."),
)


def _options_by_key(command: click.Command) -> dict[str, click.Parameter]:
    """The command's options by their long name without dashes (the keys of a file)."""
    out: dict[str, click.Parameter] = {}
    for param in command.params:
        for opt in getattr(param, "opts", ()):
            if opt.startswith("--"):
                out.setdefault(opt[2:], param)
    return out


class ConfiguredCommand(click.Command):
    """A command whose option defaults come from a configuration file.

    ``config_keys`` limits the keys applied (None: every key that names one of
    the command's options).
    """

    config_keys: frozenset[str] | None = None

    def invoke(self, ctx: click.Context) -> Any:
        apply_config_file(ctx, self.config_keys)
        if ctx.meta[_META].get("show_settings"):
            click.echo(show_settings(ctx, self.config_keys), nl=False)
            ctx.exit(0)
        return super().invoke(ctx)


def apply_config_file(ctx: click.Context, keys: frozenset[str] | None = None) -> None:
    """Fill the parameters of ``ctx`` that the command line did not set from the
    configuration file that applies (see :mod:`newsclean.configfile`)."""
    from . import configfile

    state = ctx.meta.setdefault(_META, {})
    path, isolated = state.get("config_file"), state.get("isolated")
    if path and isolated:
        raise click.UsageError("--config and --isolated cannot be used together")
    try:
        if isolated:
            found = None
        elif path:
            found = configfile.load(path)
        else:
            found = configfile.discover(ctx.params.get("inputs") or ())
    except configfile.ConfigFileError as exc:
        raise click.UsageError(str(exc)) from None
    state["file"] = found
    sources: dict[str, str] = state.setdefault("sources", {})
    options = _options_by_key(ctx.command)
    for key, param in options.items():
        if ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            sources[param.name] = "command line"
    if found is None:
        return
    for key, value in found.values.items():
        param = options.get(key)
        if param is None or (keys is not None and key not in keys) or sources.get(param.name) == "command line":
            continue
        try:
            ctx.params[param.name] = param.type_cast_value(ctx, value)
        except click.BadParameter as exc:
            raise click.UsageError(f"{found.path}: key {key!r}: {exc.message}") from None
        sources[param.name] = str(found.path)


def config_file_used(ctx: click.Context) -> Path | None:
    """The configuration file whose settings apply (None: none found, or --isolated)."""
    found = ctx.meta.get(_META, {}).get("file")
    return found.path if found is not None else None


def from_config_file(ctx: click.Context, name: str) -> bool:
    """Whether parameter ``name`` holds a configuration file's value."""
    source = ctx.meta.get(_META, {}).get("sources", {}).get(name)
    return source not in (None, "command line")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    import json

    if isinstance(value, (list, tuple)):
        return json.dumps([str(x) for x in value], ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)


def show_settings(ctx: click.Context, keys: frozenset[str] | None = None) -> str:
    """The settings of ``ctx`` a configuration file can hold, as TOML, each with where it came from."""
    from .configfile import KEYS

    state = ctx.meta.get(_META, {})
    found = state.get("file")
    if state.get("isolated"):
        head = "# configuration files ignored (--isolated)"
    elif found is not None:
        head = f"# configuration file: {found.path}"
    else:
        from .configfile import start_directory

        head = f"# no configuration file (looked from {start_directory(ctx.params.get('inputs') or ())} upward)"
    lines = [head]
    options = _options_by_key(ctx.command)
    for key in KEYS:
        param = options.get(key)
        if param is None or (keys is not None and key not in keys):
            continue
        value = ctx.params.get(param.name)
        source = state.get("sources", {}).get(param.name, "default")
        if value is None:
            lines.append(f"# {key} is not set  ({source})")
        else:
            lines.append(f"{key} = {_toml_value(value)}  # {source}")
    return "\n".join(lines) + "\n"
