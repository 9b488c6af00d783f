"""The ``newsclean`` command: a thin Click layer over the Python API.

Exit codes: 0 all inputs cleaned, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from ._version import __version__
from .cli_settings import ConfiguredCommand, config_options, option_group
from .layout import CHOICES as LAYOUT_CHOICES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def _mode(path: str) -> int:
    try:
        return os.stat(path).st_mode
    except OSError:
        return 0


def _save_repeats(tables: Any, path: Path) -> None:
    try:
        tables.save(path)
    except OSError as exc:
        raise click.UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


# The rule-selection options, shared by every command that cleans or lists rules.
rule_options = option_group(
    click.option("--select", multiple=True, metavar="RULES", default=("ALL",), show_default=False,
                 help="Only these rules: codes, code prefixes, group or rule names, comma-separated (default ALL)."),
    click.option("--ignore", multiple=True, metavar="RULES", help="Turn these rules off (same forms as --select)."),
    click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection."),
    click.option("--rules", "rule_files", multiple=True, metavar="FILE",
                 type=click.Path(dir_okay=False, path_type=str), help="Extra rule file (TOML, the built-in format). Repeatable."),
    click.option("--drop", multiple=True, metavar="TEXT",
                 help="Remove lines equal to TEXT (case and spacing aside); rule USR001, USR002... Repeatable."),
    click.option("--drop-re", multiple=True, metavar="PATTERN",
                 help="Remove lines the regex PATTERN matches whole (lowercased, at most 12 words); "
                      "rule USR501, USR502... Repeatable."),
)


# How the input's text is laid out (--layout) and whether blocks are written as plain words (--plain).
layout_options = option_group(
    click.option("--layout", type=click.Choice(LAYOUT_CHOICES), default="auto", show_default=True,
                 help="How the text is laid out: one block per line (lines), hard-wrapped (wrapped, as w3m or "
                      "lynx write it), Markdown, one text node per line (nodes) or blocks run together (glued); "
                      "auto guesses it for each page."),
    click.option("--plain", is_flag=True,
                 help="Write each kept block as one line of plain words (Markdown syntax stripped, wrapped "
                      "paragraphs joined) instead of its original text."),
)


# How cleaned pages and decisions are printed (--format, --explain-format).
output_options = option_group(
    click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                 show_default=True,
                 help="text: the cleaned pages; json: JSON Lines on stdout, one object per page (path, text, "
                      "headline, dek, byline, date, body; with --explain also removed and notes); with --jsonl, "
                      "the parts go in each record's --explain-field."),
    click.option("--explain-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
                 help="How --explain prints decisions on stderr: text lines, or JSON Lines (one object per "
                      "removed line: path, line, text, code, rule, stage, detail). Implies --explain."),
)


class OneLineUsageError(click.UsageError):
    """A usage error about what the inputs and outputs ask for (not the syntax of the
    command line): one line on stderr, ``newsclean: message``, exit code 2."""

    def show(self, file: Any = None) -> None:
        click.echo(f"newsclean: {self.format_message()}", file=file or sys.stderr)


def _from_command_line(name: str) -> bool:
    """Whether the option ``name`` was given on the command line (not a default or a file's value)."""
    ctx = click.get_current_context()
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def _from_file(name: str) -> bool:
    """Whether the option ``name`` holds a configuration file's value (which yields where it does not apply)."""
    from .cli_settings import from_config_file

    return from_config_file(click.get_current_context(), name)


def _stdout_layout(inputs: tuple[str, ...], output: Path | None, in_place: bool, show_diff: bool,
                   output_format: str) -> str:
    """The output format of the run, after refusing a run whose pages would run together
    on standard output or that has nowhere to write a tree (``--diff`` and ``--format
    json`` keep pages apart). A configuration file's format applies where pages go to
    standard output."""
    writes_files = output is not None or in_place or show_diff
    if output_format == "json" and writes_files:
        if not _from_file("output_format"):
            flag = "-o/--output" if output is not None else "--in-place" if in_place else "--diff"
            raise OneLineUsageError(f"--format json writes JSON Lines to standard output; it does not go with {flag}")
        output_format = "text"
    if output_format == "json" or writes_files:
        return output_format
    folder = next((i for i in inputs if i != "-" and Path(i).is_dir()), None)
    if folder is not None:
        raise OneLineUsageError(f"{folder}: is a directory; give -o DIR (a mirrored tree), --in-place, "
                                "or --format json (JSON Lines on standard output)")
    if len(inputs) > 1:
        raise OneLineUsageError("several inputs would run together on standard output; give -o DIR (one file "
                                "each) or --format json (one JSON line per page)")
    return output_format


def _build_config(select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], drop: tuple[str, ...] = (), drop_re: tuple[str, ...] = (),
                  **settings: Any):
    from .config import Config
    from .rules import RuleFileError
    from .rules.select import SelectorError

    cfg = Config().with_options(
        select=_split_selectors(select) or ("ALL",),
        ignore=_split_selectors(ignore),
        extend_select=_split_selectors(extend_select),
        rule_files=rule_files,
        drop=drop,
        drop_re=drop_re,
        **{k: v for k, v in settings.items() if v is not None},
    )
    try:
        cfg.compiled()
    except RuleFileError as exc:
        what = "invalid quick rule" if str(exc).startswith("--drop") else "invalid rule file"
        raise click.UsageError(f"{what}: {exc}") from None
    except SelectorError as exc:
        raise click.UsageError(str(exc)) from None
    return cfg


class _DefaultCommandContext(click.Context):
    """The context of the default command: its usage and errors read ``newsclean ...``,
    as the user typed it, not the name of the implied subcommand."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent is not None else (self.info_name or "")


class _DefaultCommand(ConfiguredCommand):
    context_class = _DefaultCommandContext


class _RulesCommand(ConfiguredCommand):
    config_keys = frozenset({"select", "ignore", "extend-select", "rules", "drop", "drop-re"})


class _RuleCommand(ConfiguredCommand):
    config_keys = frozenset({"rules"})


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command under :func:`_run_guard`."""
    import functools

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _run_guard():
            return fn(*args, **kwargs)
    return run


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


@main.command("clean", cls=_DefaultCommand, epilog="Other commands: `newsclean rules` lists every rule, `newsclean rule CODE` documents one. "
              "Exit codes: 0 all inputs cleaned, 1 some inputs (files or records) failed, 2 usage error, "
              "130 interrupted.")
@click.argument("inputs", nargs=-1, metavar="[FILE|DIR|-]...")
@click.version_option(__version__, "--version", prog_name="newsclean", message="%(prog)s %(version)s")
@click.option("-o", "--output", type=click.Path(), help="Output file (one input) or directory (a tree, several inputs, "
              "or a name ending in /).")
@click.option("--in-place", is_flag=True, help="Rewrite the input files atomically.")
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Which files to take from a directory.")
@rule_options
@click.option("--favor", type=click.Choice(["precision", "balanced", "recall"]), default="balanced", show_default=True,
              help="Remove doubtful lines (precision) or keep them (recall).")
@click.option("--explain", is_flag=True, help="On stderr, name the rule that removed each line (JSONL: in each record).")
@click.option("--body-only", is_flag=True, default=None,
              help="Leave the headline, dek, byline and dateline out: the article's body alone (NC905).")
@layout_options
@output_options
@click.option("--diff", "show_diff", is_flag=True, help="Print a diff of the changes instead of the cleaned text; write nothing.")
@click.option("--stats", "show_stats", is_flag=True, help="On stderr, count the removed lines per rule.")
@click.option("--encoding", default=None, help="Decode inputs with this encoding instead of detecting it.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--skip-existing", is_flag=True, help="Leave existing output files alone (resume a run).")
@click.option("--backup", "backup_suffix", metavar="SUFFIX", default=None, help="With --in-place, keep the original as FILE+SUFFIX.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Worker processes for a tree or a dataset (default: all cores; 1: no workers).")
@click.option("--no-progress", is_flag=True, help="No progress bar (it is shown only when stderr is a terminal).")
@click.option("--jsonl", is_flag=True, help="Input is JSON Lines (plain, .gz or .zst; a file or -): clean one field of every record.")
@click.option("--field", "field_path", default="text", show_default=True, metavar="PATH",
              help="With --jsonl, the field to clean; dots reach into objects (doc.body).")
@click.option("--on-error", type=click.Choice(["pass", "drop", "fail"]), default="pass", show_default=True,
              help="With --jsonl, what to do with a bad record (invalid JSON, missing or non-string field): "
                   "write it unchanged, leave it out, or stop.")
@click.option("--explain-field", default=None, metavar="NAME",
              help="With --jsonl --explain, the field that holds the decisions (default: newsclean).")
@click.option("--max-record-mb", type=click.IntRange(min=1), default=None, metavar="N",
              help="With --jsonl, the longest record cleaned, in MiB (default: 32); a longer one is reported and left out.")
@click.option("--learn-repeats", is_flag=True,
              help="First count lines across all inputs; lines that recur in many documents are removed (NC951).")
@click.option("--site-field", default=None, metavar="PATH",
              help="With --jsonl, a URL or domain field: repeats are learned per site.")
@click.option("--save-repeats", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="With --learn-repeats, save the learned lines (JSON) to reuse with --repeats.")
@click.option("--repeats", "repeats_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Remove the lines of a saved repeats file (from --save-repeats).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@config_options
@_guarded
def clean_command(inputs: tuple[str, ...], output: Any, in_place: bool, pattern: str,
                  select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], drop: tuple[str, ...], drop_re: tuple[str, ...],
                  favor: str | None, explain: bool, body_only: bool | None, layout: str, plain: bool, show_diff: bool,
                  show_stats: bool, encoding: str | None, force: bool, skip_existing: bool,
                  backup_suffix: str | None, workers: int | None, no_progress: bool, jsonl: bool,
                  field_path: str, on_error: str, explain_field: str | None, max_record_mb: int | None,
                  learn_repeats: bool, site_field: str | None, save_repeats: Path | None,
                  repeats_file: Path | None, quiet: bool, output_format: str, explain_format: str) -> None:
    """Turn text scraped from news pages into clean article text.

    Cleans FILEs, DIRs (with -o or --in-place) or standard input (`-` or a
    pipe), removing page furniture (menus, share buttons, video titles, ads,
    credits, related links, cookie and legal lines) and keeping the article.
    A tree is cleaned in parallel, with a progress bar and a summary on stderr.

    \b
    Examples:
      newsclean page.txt > article.txt
      cat page.txt | newsclean
      newsclean page.txt -o article.txt
      newsclean pages/ -o clean/ --glob '*.text'
      newsclean pages/ -o clean/ -j 8 --skip-existing
      newsclean pages/ --in-place --backup .orig
      newsclean pages/ -o clean/ --learn-repeats --save-repeats site.json
      newsclean page.txt --ignore NC3,comments --explain
      newsclean dump.txt --layout wrapped --plain
      newsclean pages/ --format json > pages.jsonl
      newsclean page.txt --body-only > body.txt
      newsclean pages/ -o clean/ --explain-format json 2> decisions.jsonl
      newsclean --jsonl crawl.jsonl.gz --field doc.body -o clean.jsonl.gz
      newsclean --jsonl crawl.jsonl --learn-repeats --site-field url --explain
    """
    output_name, output = output, Path(output) if output is not None else None
    output_is_dir = output_name is not None and str(output_name).endswith(("/", os.sep))
    if in_place and output is not None:
        raise click.UsageError("--in-place and -o/--output cannot be used together")
    if backup_suffix and not in_place:
        raise click.UsageError("--backup goes with --in-place")
    if force and skip_existing:
        raise click.UsageError("--force and --skip-existing cannot be used together")
    if save_repeats is not None and not learn_repeats:
        raise click.UsageError("--save-repeats goes with --learn-repeats")
    if learn_repeats and repeats_file is not None:
        if not _from_file("repeats_file"):
            raise click.UsageError("--learn-repeats and --repeats cannot be used together (learn, or load a saved table)")
        repeats_file = None  # learning on the command line wins over a file's saved table
    if site_field is not None and not jsonl and not _from_file("site_field"):
        raise click.UsageError("--site-field goes with --jsonl")
    if not jsonl and ((field_path != "text" and not _from_file("field_path"))
                      or (on_error != "pass" and not _from_file("on_error"))
                      or (explain_field and not _from_file("explain_field"))
                      or (max_record_mb and not _from_file("max_record_mb"))):
        raise click.UsageError("--field, --on-error, --explain-field and --max-record-mb go with --jsonl")
    if backup_suffix is not None:
        _check_backup_suffix(backup_suffix)
    from .batch import default_workers

    n_workers = workers or default_workers()
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.UsageError(f"unknown encoding {encoding!r}") from None
    config = _build_config(select, ignore, extend_select, rule_files, drop, drop_re, favor=favor, layout=layout,
                           plain=plain, body_only=body_only)
    tables = None
    if repeats_file is not None:
        from .repeats import RepeatTables

        try:
            tables = RepeatTables.load(repeats_file)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        if tables.grouped and site_field is None:
            raise click.UsageError(f"{repeats_file}: holds tables by site; use it with --jsonl --site-field")
    progress_on = not (no_progress or quiet)
    if jsonl:
        for flag, on in (("--in-place", in_place), ("--diff", show_diff), ("--skip-existing", skip_existing),
                         ("--backup", bool(backup_suffix)), ("--encoding", bool(encoding) and not _from_file("encoding"))):
            if on:
                raise click.UsageError(f"{flag} does not go with --jsonl")
        if output_is_dir:
            raise click.UsageError(f"{output_name}: names a directory; --jsonl writes one file")
        from .jsonl import EXPLAIN_FIELD, MAX_RECORD_BYTES

        code = _clean_jsonl(inputs, output, config, tables, field_path=field_path, on_error=on_error,
                            explain=explain, parts=output_format == "json", explain_field=explain_field or EXPLAIN_FIELD,
                            max_record_bytes=max_record_mb << 20 if max_record_mb else MAX_RECORD_BYTES,
                            site_field=site_field, learn=learn_repeats, save_repeats=save_repeats,
                            force=force, workers=n_workers, progress_on=progress_on, quiet=quiet,
                            show_stats=show_stats, other_inputs=_other_inputs(rule_files, repeats_file))
        sys.exit(code)
    if tables is not None:
        config = config.with_options(repeats=tables.for_site(""))
    if _from_command_line("explain_format"):
        explain = True
    output_format = _stdout_layout(inputs, output, in_place, show_diff, output_format)
    sys.exit(_clean_files(inputs, output, config, in_place=in_place, pattern=pattern, explain=explain,
                          output_format=output_format, explain_format=explain_format,
                          show_diff=show_diff, show_stats=show_stats, encoding=encoding, force=force,
                          skip_existing=skip_existing, backup_suffix=backup_suffix, workers=n_workers,
                          progress_on=progress_on, quiet=quiet, learn=learn_repeats, save_repeats=save_repeats,
                          output_is_dir=output_is_dir, other_inputs=_other_inputs(rule_files, repeats_file)))


class _StdoutFailed(Exception):
    """Standard output could not be written (a full disk, ``/dev/full``); one line, exit 1."""


@contextmanager
def _run_guard() -> Iterator[None]:
    """How a run ends, whatever stops it: Ctrl-C or SIGTERM is one line and exit 130 (not
    click's "Aborted!" or a bare 143); a closed pipe (``| head``) ends quietly with 0; a
    standard output that cannot be written is one line and exit 1."""
    import signal

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        old: Any = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: leave signals alone
        old = None
    try:
        yield
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_OK)
    except _StdoutFailed as exc:
        sys.stderr.write(f"newsclean: {exc}\n")
        sys.exit(EXIT_FAILED)
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that nothing more (not even the final
    flush) fails on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _stdout() -> Any:
    """Standard output (binary), for results that go there; a usage error when it is closed."""
    if sys.stdout is None:
        raise click.UsageError("standard output is closed: give -o FILE (or -o DIR/)")
    return sys.stdout.buffer


def _emit(out: Any, data: bytes) -> None:
    """Write results to standard output; a failure other than a closed pipe is :class:`_StdoutFailed`."""
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _StdoutFailed(f"standard output: cannot write: {exc.strerror or exc}") from None


def _writer(out: Any) -> Callable[[bytes], None]:
    """``out.write``, where a failure other than a closed pipe is :class:`_StdoutFailed`."""
    def write(data: bytes) -> None:
        try:
            out.write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutFailed(f"standard output: cannot write: {exc.strerror or exc}") from None
    return write


def _check_backup_suffix(suffix: str) -> None:
    """A --backup suffix must make a new name beside the file (no directory part)."""
    if not suffix or "/" in suffix or os.sep in suffix or "\0" in suffix:
        raise click.UsageError(f"--backup {suffix!r}: a suffix such as .orig (no slash), added to each file's name")


def _other_inputs(rule_files: tuple[str, ...], repeats_file: Path | None) -> list[tuple[str, Path]]:
    """The files a run reads besides its pages, which no output may overwrite."""
    from .cli_settings import config_file_used

    files = [(f"rule file {f}", Path(f)) for f in rule_files]
    if repeats_file is not None:
        files.append((f"repeats file {repeats_file}", repeats_file))
    used = config_file_used(click.get_current_context())
    if used is not None:
        files.append((f"configuration file {used}", used))
    return files


def _job_sizes(jobs: list[Any]) -> dict[str, int]:
    sizes = {}
    for job in jobs:
        try:
            sizes[job.label] = job.src.stat().st_size if job.data is None and job.src is not None else len(job.data or b"")
        except OSError:
            sizes[job.label] = 0
    return sizes


def _learn_from_jobs(jobs: list[Any], encoding: str | None, save_repeats: Path | None, quiet: bool):
    """The first pass of --learn-repeats over files: the table learned, and the jobs to clean."""
    from .batch import learn_from_jobs

    try:
        tables, jobs = learn_from_jobs(jobs, encoding)
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted while learning repeats; nothing written\n")
        sys.exit(EXIT_INTERRUPTED)
    table = tables.for_site("")
    if save_repeats is not None:
        _save_repeats(tables, save_repeats)
    if not quiet:
        need = ""
        if table is not None and table.documents:
            from .repeats import THRESHOLDS

            need = f" (in at least {THRESHOLDS.required(table.documents)} of {table.documents} documents)"
        sys.stderr.write(f"newsclean: learned {len(table or ())} repeated lines{need}\n")
    return table, jobs


def _stdin(no_inputs: bool) -> Any:
    """Standard input (binary); a usage error when it is closed, a device that never ends
    (``< /dev/zero``), or a terminal with no input named."""
    from .io import InputError, check_standard_input

    stdin = sys.stdin.buffer if sys.stdin is not None else None
    if stdin is None or (no_inputs and stdin.isatty()):
        raise click.UsageError("no input: give FILE, DIR or - (or pipe text in); see --help")
    try:
        check_standard_input(stdin.fileno())
    except (OSError, ValueError):
        pass  # not a file descriptor (a test's in-memory stream): nothing to check
    except InputError as exc:
        raise click.UsageError(f"standard input {exc}") from None
    return stdin


def _read_stdin(no_inputs: bool) -> bytes:
    """All of standard input (a page is held in memory; a file of any size is not)."""
    from .io import STDIN_MAX_BYTES

    stdin = _stdin(no_inputs)
    pieces, size = [], 0
    try:
        while piece := stdin.read1(1 << 20):
            pieces.append(piece)
            size += len(piece)
            if size > STDIN_MAX_BYTES:
                raise MemoryError
        return b"".join(pieces)
    except MemoryError:
        pieces.clear()
        limit = f"{STDIN_MAX_BYTES >> 20} MiB" if STDIN_MAX_BYTES >= 1 << 20 else f"{STDIN_MAX_BYTES} bytes"
        raise click.UsageError(f"standard input is over {limit}: save it to a file "
                               "(files of any size are cleaned in bounded memory)") from None


def _saved_table(save_repeats: Path | None) -> list[Any]:
    from .targets import Written

    return [Written(save_repeats, "", "--save-repeats file")] if save_repeats is not None else []


def _clean_files(inputs: tuple[str, ...], output: Path | None, config: Any, *, in_place: bool, pattern: str,
                 explain: bool, output_format: str, explain_format: str, show_diff: bool, show_stats: bool, encoding: str | None, force: bool,
                 skip_existing: bool, backup_suffix: str | None, workers: int, progress_on: bool, quiet: bool,
                 learn: bool, save_repeats: Path | None, output_is_dir: bool = False,
                 other_inputs: list[tuple[str, Path]] | None = None) -> int:
    import time

    from . import render
    from .batch import PlanError, RunOptions, plan, run_jobs
    from .records import decision_records, page_record

    stdin_bytes = None
    if not inputs or "-" in inputs:
        stdin_bytes = _read_stdin(not inputs)
    try:
        jobs, results = plan(inputs, output, in_place=in_place, pattern=pattern, stdin_bytes=stdin_bytes,
                             to_stdout=show_diff or output_format == "json", output_is_dir=output_is_dir,
                             backup_suffix=backup_suffix, also_read=other_inputs or (),
                             also_written=_saved_table(save_repeats))
    except PlanError as exc:
        raise click.UsageError(str(exc)) from None
    if learn:
        table, jobs = _learn_from_jobs(jobs, encoding, save_repeats, quiet)
        config = config.with_options(repeats=table)
    opts = RunOptions(
        encoding=encoding, keep_original=show_diff, keep_decisions=explain, dry_run=show_diff,
        force=force or in_place, skip_existing=skip_existing, backup_suffix=backup_suffix,
        keep_text=show_diff or output_format == "json",
    )
    err = sys.stderr
    err_color = render.use_color(err)
    # A batch writes files: it may run in workers, and shows progress and a summary.
    to_stdout = show_diff or any(job.dst is None for job in jobs)
    out = _stdout() if to_stdout else None
    batch_mode = not to_stdout and (len(jobs) + len(results) > 1 or any(Path(i).is_dir() for i in inputs if i != "-"))
    progress = _no_progress()
    if batch_mode:
        from .progress import make_progress

        sizes = _job_sizes(jobs) if progress_on else {}
        progress = make_progress(err, progress_on, "cleaning", "files", len(jobs), sum(sizes.values()))
    totals: Counter[str] = Counter()
    counts = Counter()
    warned: set[str] = set()
    for res in results:
        err.write(f"newsclean: {res.label}: {res.error}\n")

    def on_result(res: Any) -> None:
        counts["done"] += 1
        counts["bytes_in"] += res.bytes_in
        counts["bytes_out"] += res.bytes_out
        if batch_mode:
            progress.advance(1, sizes.get(res.label, res.bytes_in) if progress_on else 0)
        _warn_gave_up(res.gave_up, warned, quiet, lambda text: _print_above(progress, err, text))
        if not res.ok:
            counts["failed"] += 1
            _print_above(progress, err, f"newsclean: {res.label}: {res.error}\n")
            return
        if res.skipped:
            counts["skipped"] += 1
            return
        totals.update(res.stats)
        if res.warning and not quiet:
            _print_above(progress, err, f"newsclean: {res.label}: warning: {res.warning}\n")
        if output_format == "json":
            _emit(out, _json_line(page_record(res.label, res, explain=explain)).encode("utf-8", "replace"))
            return
        if explain:
            if explain_format == "json":
                err.write("".join(map(_json_line, decision_records(res.label, res.decisions))))
            else:
                render.explain(res.label, res.decisions, res.notes, err, err_color, res.layout)
        if show_diff:
            _emit(out, render.diff(res.label, res.original, res.text, render.use_color(sys.stdout)).encode("utf-8", "replace"))
        elif not res.dst:  # standard output
            _emit(out, res.text.encode("utf-8", "replace"))

    t0 = time.monotonic()
    try:
        outcome = run_jobs(jobs, config, opts, on_result, workers=workers if batch_mode else 1,
                           on_started=progress.start)
    finally:
        progress.stop()
    failed = counts["failed"] + len(results)
    if batch_mode and not quiet:
        from .progress import summary

        err.write(summary(unit="files", done=outcome.done + len(results), total=outcome.total + len(results),
                          failed=failed, skipped=counts["skipped"], bytes_in=counts["bytes_in"],
                          bytes_out=counts["bytes_out"], removed=totals, catalog=config.compiled().catalog,
                          seconds=time.monotonic() - t0, interrupted=outcome.interrupted))
    if show_stats:
        render.stats(totals, config.compiled().catalog, err, err_color,
                     files=counts["done"] - counts["failed"] - counts["skipped"], failed=failed)
    if outcome.interrupted:
        if batch_mode and not quiet:
            again = "again" if skip_existing else "with --skip-existing"
            err.write(f"newsclean: every output written is complete; run the same command {again} to resume\n")
        else:
            err.write(f"newsclean: interrupted: {outcome.done} of {outcome.total} files done\n")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed else EXIT_OK


def _json_line(record: dict[str, Any]) -> str:
    import json

    return json.dumps(record, ensure_ascii=False) + "\n"


def _warn_gave_up(gave_up: dict[str, str], warned: set[str], quiet: bool, write: Callable[[str], None]) -> None:
    """Warn once per run for each user rule that ran out of time."""
    for code, warning in gave_up.items():
        if code not in warned:
            warned.add(code)
            if not quiet:
                write(f"newsclean: warning: {warning}\n")


def _no_progress():
    from .progress import NoProgress

    return NoProgress()


def _print_above(progress: Any, err: Any, text: str) -> None:
    """Write a message on stderr without tearing the progress bar."""
    bar = getattr(progress, "_progress", None)
    if bar is not None:
        bar.console.print(text.rstrip("\n"), markup=False, highlight=False)
    else:
        err.write(text)


def _check_jsonl_output(path: str, output: Path | None, save_repeats: Path | None,
                        other_inputs: list[tuple[str, Path]], force: bool) -> bool:
    """Plan a JSONL run's outputs: none may be an input or another output (a usage
    error); an existing output file needs --force (False: it exists)."""
    from .io import is_stream
    from .targets import TargetError, Written, check

    written = [Written(output, path, "output", Path(path) if path != "-" else None)] if output is not None else []
    read = ([(path, Path(path))] if path != "-" else []) + other_inputs
    try:
        check(read, written + _saved_table(save_repeats))
    except TargetError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None or is_stream(output):
        return True
    if output.is_dir():
        raise click.UsageError(f"{output}: is a directory; --jsonl writes one file")
    if output.exists() and not force:
        sys.stderr.write(f"newsclean: {output}: exists (use --force to overwrite)\n")
        return False
    return True


def _clean_jsonl(inputs: tuple[str, ...], output: Path | None, config: Any, tables: Any, *, field_path: str,
                 on_error: str, explain: bool, parts: bool, explain_field: str, max_record_bytes: int,
                 site_field: str | None,
                 learn: bool, save_repeats: Path | None, force: bool, workers: int, progress_on: bool, quiet: bool,
                 show_stats: bool, other_inputs: list[tuple[str, Path]]) -> int:
    import time

    from . import jsonl, render

    if len(inputs) > 1:
        raise click.UsageError("--jsonl takes one input (a file or -)")
    path = inputs[0] if inputs else "-"
    if path == "-":
        _stdin(not inputs)
    try:
        opts = jsonl.JsonlOptions(field=field_path, explain=explain, parts=parts, explain_field=explain_field,
                                  on_error=on_error,
                                  site_field=site_field, max_record_bytes=max_record_bytes)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if not _check_jsonl_output(path, output, save_repeats, other_inputs, force):
        return EXIT_FAILED
    err = sys.stderr
    from .progress import make_progress, summary

    if learn:
        import stat

        if path == "-" or stat.S_ISFIFO(_mode(path)):
            raise click.UsageError("--learn-repeats reads the dataset twice: give a file, not standard input or a pipe")
        try:
            size = Path(path).stat().st_size
        except OSError:
            size = None
        bar = make_progress(err, progress_on, "learning", "records", None, size)
        bar.start()
        try:
            tables = jsonl.learn_repeats(path, opts, on_chunk=lambda n, pos: bar.advance(n) if pos is None
                                         else (bar.advance(n, 0), bar.set_bytes(pos)))
        except jsonl.JsonlError as exc:
            bar.stop()
            err.write(f"newsclean: {exc}\n")
            return EXIT_FAILED
        except KeyboardInterrupt:
            bar.stop()
            err.write("newsclean: interrupted while learning repeats; nothing written\n")
            return EXIT_INTERRUPTED
        bar.stop()
        if save_repeats is not None:
            _save_repeats(tables, save_repeats)
        if not quiet:
            n_sites = len([t for t in tables.sites.values() if len(t)])
            where = f" on {n_sites} site(s)" if tables.grouped else ""
            err.write(f"newsclean: learned {len(tables)} repeated lines{where}\n")
    try:
        source = jsonl.Source(path)
    except jsonl.JsonlError as exc:
        err.write(f"newsclean: {exc}\n")
        return EXIT_FAILED
    sink = None
    try:
        if output is not None:
            sink = jsonl.AtomicOutput(output)
            write = sink.write
        else:
            stdout = _stdout()
            write = _writer(stdout)
    except jsonl.JsonlError as exc:
        source.close()
        err.write(f"newsclean: {exc}\n")
        return EXIT_FAILED
    progress = make_progress(err, progress_on, "cleaning", "records", None, source.size)
    label = source.label
    warned: set[str] = set()

    def on_record_error(lineno: int, message: str) -> None:
        _print_above(progress, err, f"newsclean: {label}:{lineno}: {message}\n")

    def on_chunk(res: Any) -> None:
        _warn_gave_up(res.gave_up, warned, quiet, lambda text: _print_above(progress, err, text))
        pos = source.position()
        progress.advance(res.records, 0 if pos is not None else res.bytes_in)
        if pos is not None:
            progress.set_bytes(pos)

    t0 = time.monotonic()
    code = EXIT_OK
    outcome = None
    try:
        outcome = jsonl.run(source, write, config, opts, tables=tables, workers=workers, on_error=on_record_error,
                            on_chunk=on_chunk, on_started=progress.start)
    except jsonl.RecordFailed as exc:
        code = EXIT_FAILED
        progress.stop()
        err.write(f"newsclean: stopped at the first bad record (--on-error fail): {exc}\n")
    except jsonl.JsonlError as exc:
        code = EXIT_FAILED
        progress.stop()
        err.write(f"newsclean: {exc}\n")
    finally:
        progress.stop()
        source.close()
        if sink is not None and (outcome is None or outcome.interrupted):
            sink.abort()
    if outcome is None:
        return code
    if sink is not None and not outcome.interrupted:
        try:
            sink.commit()
        except jsonl.JsonlError as exc:
            err.write(f"newsclean: {exc}\n")
            return EXIT_FAILED
    else:
        _emit(stdout, b"")
    catalog = config.compiled().catalog
    if not quiet and (output is not None or outcome.interrupted):
        bad = {"pass": "bad (written unchanged)", "drop": "bad (left out)", "fail": "bad"}[on_error]
        err.write(summary(unit="records", done=outcome.records, total=None, failed=outcome.failed, failed_label=bad,
                          bytes_in=outcome.bytes_in, bytes_out=outcome.bytes_out, removed=outcome.stats,
                          catalog=catalog, seconds=time.monotonic() - t0, interrupted=outcome.interrupted))
    if show_stats:
        render.stats(outcome.stats, catalog, err, render.use_color(err))
    if outcome.interrupted:
        if quiet or output is None:
            err.write(f"newsclean: interrupted after {outcome.records} records\n")
        if output is not None:
            err.write(f"newsclean: {output} was not written\n")
        return EXIT_INTERRUPTED
    return EXIT_FAILED if outcome.failed else EXIT_OK


@main.command("rules", cls=_RulesCommand)
@rule_options
@config_options
@click.option("--group", "group", default=None, help="Only rules of this group.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--check", "check_files", multiple=True, metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Run the examples of a rule file's rules (drops, keeps) and report each failure; "
                   "exit 1 if one fails. Repeatable.")
def rules_command(select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
                  rule_files: tuple[str, ...], drop: tuple[str, ...], drop_re: tuple[str, ...], group: str | None,
                  fmt: str, check_files: tuple[str, ...]) -> None:
    """List every rule: code, name, group, whether it is selected, and what it removes.

    \b
    Examples:
      newsclean rules
      newsclean rules --group video
      newsclean rules --ignore NC9 --format json
      newsclean rules --drop 'Support local news' --group quick
      newsclean rules --check my-site.toml
    """
    from . import render

    if check_files:
        sys.exit(_check_rule_files(check_files))
    config = _build_config(select, ignore, extend_select, rule_files, drop, drop_re)
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


def _check_rule_files(paths: tuple[str, ...]) -> int:
    """``newsclean rules --check``: every example of every rule, one line per failure."""
    from .rules import RuleFileError
    from .rules.check import check_file

    failed = 0
    for path in paths:
        try:
            report = check_file(path)
        except RuleFileError as exc:
            raise click.UsageError(f"invalid rule file: {exc}") from None
        for line in report.lines():
            click.echo(line, err=not report.ok)
        failed += not report.ok
    return EXIT_FAILED if failed else EXIT_OK


@main.command("config", options_metavar="", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                           "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[FILE|DIR|-]... [OPTIONS]")
@click.pass_context
def config_command(ctx: click.Context, args: tuple[str, ...]) -> None:
    """Print the settings a run would use and where each comes from: the default, a
    configuration file (newsclean.toml, or [tool.newsclean] in pyproject.toml, found
    from the input's directory upward) or the command line. Takes the arguments of a
    run; the same as adding --show-settings to it.

    \b
    Examples:
      newsclean config
      newsclean config pages/ --ignore comments
      newsclean config --config ci/newsclean.toml
    """
    if "--help" in args or "-h" in args:
        click.echo(ctx.get_help())
        ctx.exit(0)
    sub = clean_command.make_context("newsclean", [*args, "--show-settings"], parent=ctx.parent)
    with sub:
        clean_command.invoke(sub)


@main.command("rule", cls=_RuleCommand)
@click.argument("ident", metavar="CODE|NAME")
@config_options
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




def _open_standard_streams() -> None:
    """Give a closed standard stream (``>&-``) the null device, so that no file the run opens
    takes its number; standard output stays marked closed (``sys.stdout`` is None) and is
    refused where results would go there, and a closed standard error swallows messages."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                os.open(os.devnull, os.O_RDWR)  # takes the lowest free number: this one
            except OSError:
                pass
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


def entry() -> None:
    """Console entry point: a closed pipe or Ctrl-C ends quietly, never with a traceback."""
    _open_standard_streams()
    try:
        main(prog_name="newsclean")
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # stdout was closed early (e.g. `newsclean big.txt | head`): not an error
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        sys.exit(EXIT_OK)
