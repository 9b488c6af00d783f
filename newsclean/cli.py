"""The ``newsclean`` command: a thin Click layer over the Python API.

Exit codes: 0 all inputs cleaned, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import click

from ._version import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def rule_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The rule-selection options, shared by every command that cleans or lists rules."""
    options = [
        click.option("--select", multiple=True, metavar="RULES",
                     help="Only these rules: codes, code prefixes, group or rule names, comma-separated (default ALL)."),
        click.option("--ignore", multiple=True, metavar="RULES", help="Turn these rules off (same forms as --select)."),
        click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection."),
        click.option("--rules", "rule_files", multiple=True, metavar="FILE",
                     type=click.Path(dir_okay=False, path_type=str), help="Extra rule file (TOML, the built-in format). Repeatable."),
    ]
    for opt in reversed(options):
        fn = opt(fn)
    return fn


def _build_config(select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], **settings: Any):
    from .config import Config
    from .rules import RuleFileError
    from .rules.select import SelectorError

    cfg = Config().with_options(
        select=_split_selectors(select) or ("ALL",),
        ignore=_split_selectors(ignore),
        extend_select=_split_selectors(extend_select),
        rule_files=rule_files,
        **{k: v for k, v in settings.items() if v is not None},
    )
    try:
        cfg.compiled()
    except RuleFileError as exc:
        raise click.UsageError(f"invalid rule file: {exc}") from None
    except SelectorError as exc:
        raise click.UsageError(str(exc)) from None
    return cfg


class DefaultGroup(click.Group):
    """``newsclean FILE…`` cleans; ``newsclean rules`` and ``newsclean rule CODE`` document."""

    default_command = "clean"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)



@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="newsclean", message="%(prog)s %(version)s")
def main() -> None:
    """Turn text scraped from news pages into clean article text."""


@main.command("clean", epilog="Other commands: `newsclean rules` lists every rule, `newsclean rule CODE` documents one. "
              "Exit codes: 0 all inputs cleaned, 1 some inputs failed, 2 usage error.")
@click.argument("inputs", nargs=-1, metavar="[FILE|DIR|-]...")
@click.version_option(__version__, "--version", prog_name="newsclean", message="%(prog)s %(version)s")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output file (one input) or directory (a tree or several inputs).")
@click.option("--in-place", is_flag=True, help="Rewrite the input files atomically.")
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Which files to take from a directory.")
@rule_options
@click.option("--favor", type=click.Choice(["precision", "balanced", "recall"]), default=None,
              help="Remove doubtful lines (precision) or keep them (recall). Default: balanced.")
@click.option("--explain", is_flag=True, help="On stderr, name the rule that removed each line.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a diff of the changes instead of the cleaned text; write nothing.")
@click.option("--stats", "show_stats", is_flag=True, help="On stderr, count the removed lines per rule.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--skip-existing", is_flag=True, help="Leave existing output files alone (resume a run).")
@click.option("--backup", "backup_suffix", metavar="SUFFIX", default=None, help="With --in-place, keep the original as FILE+SUFFIX.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def clean_command(inputs: tuple[str, ...], output: Path | None, in_place: bool, pattern: str,
                  select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], favor: str | None, explain: bool, show_diff: bool,
                  show_stats: bool, encoding: str | None, force: bool, skip_existing: bool,
                  backup_suffix: str | None, quiet: bool) -> None:
    """Turn text scraped from news pages into clean article text.

    Cleans FILEs, DIRs (with -o or --in-place) or standard input (`-` or a
    pipe), removing page furniture (menus, share buttons, video titles, ads,
    credits, related links, cookie and legal lines) and keeping the article.

    \b
    Examples:
      newsclean page.txt > article.txt
      cat page.txt | newsclean
      newsclean - < page.txt
      newsclean page.txt -o article.txt
      newsclean pages/ -o clean/ --glob '*.text'
      newsclean pages/ --in-place --backup .orig
      newsclean page.txt --ignore NC3,comments --explain
      newsclean page.txt --rules my-site.toml --stats
    """
    from .batch import PlanError, RunOptions, clean_job, plan
    from . import render

    if in_place and output is not None:
        raise click.UsageError("--in-place and -o/--output cannot be used together")
    if backup_suffix and not in_place:
        raise click.UsageError("--backup goes with --in-place")
    if force and skip_existing:
        raise click.UsageError("--force and --skip-existing cannot be used together")
    config = _build_config(select, ignore, extend_select, rule_files, favor=favor)
    stdin_bytes = None
    if not inputs or "-" in inputs:
        stdin = sys.stdin.buffer
        if not inputs and stdin.isatty():
            raise click.UsageError("no input: give FILE, DIR or - (or pipe text in); see --help")
        stdin_bytes = stdin.read()
    try:
        jobs, results = plan(inputs, output, in_place=in_place, pattern=pattern, stdin_bytes=stdin_bytes)
    except PlanError as exc:
        raise click.UsageError(str(exc)) from None
    opts = RunOptions(
        encoding=encoding, keep_original=show_diff, keep_decisions=explain, dry_run=show_diff,
        force=force or in_place, skip_existing=skip_existing, backup_suffix=backup_suffix,
        keep_text=show_diff,
    )
    err = sys.stderr
    out = sys.stdout.buffer
    err_color = render.use_color(err)
    totals: Counter[str] = Counter()
    n_files = 0
    for res in results:
        err.write(f"newsclean: {res.label}: {res.error}\n")
    for job in jobs:
        res = clean_job(job, config, opts)
        results.append(res)
        if not res.ok:
            err.write(f"newsclean: {res.label}: {res.error}\n")
            continue
        n_files += 1
        totals.update(res.stats)
        if res.warning and not quiet:
            err.write(f"newsclean: {res.label}: warning: {res.warning}\n")
        if explain:
            render.explain(res.label, res.decisions, res.notes, err, err_color)
        if show_diff:
            out.write(render.diff(res.label, res.original, res.text, render.use_color(sys.stdout)).encode("utf-8", "replace"))
        elif job.dst is None:
            out.write(res.text.encode("utf-8", "replace"))
        out.flush()
    failed = [r for r in results if not r.ok]
    if show_stats:
        render.stats(totals, config.compiled().catalog, err, err_color, files=n_files, failed=len(failed))
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command("rules")
@rule_options
@click.option("--group", "group", default=None, help="Only rules of this group.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def rules_command(select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], group: str | None, fmt: str) -> None:
    """List every rule: code, name, group, whether it is selected, and what it removes.

    \b
    Examples:
      newsclean rules
      newsclean rules --group video
      newsclean rules --ignore NC9 --format json
    """
    from . import render

    config = _build_config(select, ignore, extend_select, rule_files)
    compiled = config.compiled()
    rules = [r for r in compiled.catalog.rules if group is None or r.group == group]
    if group is not None and not rules:
        raise click.UsageError(f"unknown group {group!r}; groups: {', '.join(g.name for g in compiled.catalog.groups)}")
    if fmt == "json":
        import json

        rows = [{"code": r.code, "name": r.name, "group": r.group, "enabled": r.code in compiled.enabled_codes,
                 "summary": r.summary, "source": r.source} for r in rules]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    out = sys.stdout
    render.rules_table(rules, set(compiled.enabled_codes), out, render.use_color(out))


@main.command("rule")
@click.argument("ident", metavar="CODE|NAME")
@click.option("--rules", "rule_files", multiple=True, metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Extra rule file to look in.")
def rule_command(ident: str, rule_files: tuple[str, ...]) -> None:
    """Print one rule's documentation: what it removes, why, and examples.

    \b
    Example:
      newsclean rule NC101
      newsclean rule video-title-with-duration
    """
    from . import render

    config = _build_config((), (), (), rule_files)
    rule = config.compiled().catalog.find(ident)
    if rule is None:
        raise click.UsageError(f"no rule {ident!r}; `newsclean rules` lists them")
    out = sys.stdout
    render.rule_doc(rule, out, render.use_color(out))




def entry() -> None:
    """Console entry point: a closed pipe or Ctrl-C ends quietly, never with a traceback."""
    try:
        main(prog_name="newsclean")
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # stdout was closed early (e.g. `newsclean big.txt | head`): not an error
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        sys.exit(EXIT_OK)
