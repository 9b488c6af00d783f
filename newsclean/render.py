"""Human-readable output: explanations, diffs, statistics and rule documentation.

Plain text when the stream is not a terminal or ``NO_COLOR`` is set; rich
tables and colours on a terminal. ``rich`` is imported only when colour is used.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import IO, Iterable, Iterator, Sequence

from .layout import LINES, Layout
from .model import Decision
from .rules import Catalog, Rule


def use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _console(stream: IO[str]):  # -> rich.console.Console
    from rich.console import Console

    return Console(file=stream, highlight=False, soft_wrap=True, force_terminal=True)


def explain(label: str, decisions: Sequence[Decision], notes: Sequence[str], stream: IO[str], color: bool,
            layout: "Layout | None" = None) -> None:
    """One line per removed line (or block: ``LINE-LINE``, or ``LINE:COL-COL`` for a part of a
    line): ``label:LINE: CODE rule-name  text``; then the page's notes. A page not read as one
    block per line first says its ``layout``."""
    if layout is not None and layout.name != LINES:
        notes = (layout.describe(), *notes)
    if color:
        from rich.markup import escape

        con = _console(stream)
        for d in decisions:
            detail = f" [dim]({escape(d.detail)})[/]" if d.detail else ""
            con.print(
                f"[bold]{escape(label)}[/]:[cyan]{d.where}[/]: [red bold]{d.code}[/] [yellow]{d.name}[/]{detail}"
                f"  [dim]{escape(_short(d.line))}[/]"
            )
        for n in notes:
            con.print(f"[bold]{escape(label)}[/]: [magenta]note[/]: {escape(n)}")
        return
    out = []
    for d in decisions:
        detail = f" ({d.detail})" if d.detail else ""
        out.append(f"{label}:{d.where}: {d.code} {d.name}{detail}  {_short(d.line)}\n")
    out.extend(f"{label}: note: {n}\n" for n in notes)
    stream.write("".join(out))


def _short(line: str, width: int = 100) -> str:
    line = " ".join(line.split())
    return line if len(line) <= width else line[: width - 1] + "…"


# line prefix -> ANSI colour of a unified diff: headers bold, hunks cyan, removed red, added green
_DIFF_COLOURS = (("+++", "1"), ("---", "1"), ("@@", "36"), ("-", "31"), ("+", "32"))


def diff(label: str, before: str, after: str, color: bool) -> str:
    """A unified diff of the page before and after cleaning."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    lines = list(_unified(a, b, label, f"{label} (cleaned)"))
    text = "".join(x if x.endswith("\n") else x + "\n" for x in lines)
    if not color:
        return text
    colored = []
    for x in text.splitlines(keepends=True):
        code = next((c for prefix, c in _DIFF_COLOURS if x.startswith(prefix)), None)
        colored.append(f"\x1b[{code}m{x.rstrip(chr(10))}\x1b[0m\n" if code else x)
    return "".join(colored)


def _kept_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]] | None:
    """difflib opcodes for ``b`` made of lines of ``a`` in order (as cleaning makes it: lines
    removed, trailing spaces stripped), found in one pass; None if ``b`` is not that."""
    codes: list[tuple[str, int, int, int, int]] = []

    def add(tag: str, i: int, j: int, di: int, dj: int) -> None:
        if codes and codes[-1][0] == tag:
            codes[-1] = (tag, codes[-1][1], i + di, codes[-1][3], j + dj)
        else:
            codes.append((tag, i, i + di, j, j + dj))

    j = 0
    for i, line in enumerate(a):
        if j < len(b) and line == b[j]:
            add("equal", i, j, 1, 1)
            j += 1
        elif j < len(b) and line.rstrip() == b[j].rstrip():
            add("replace", i, j, 1, 1)
            j += 1
        else:
            add("delete", i, j, 1, 0)
    return codes if j == len(b) else None


# Up to this many lines, difflib aligns the diff (its choice of blank lines reads best);
# beyond, its matching grows too slow and the cleaned lines are aligned in one pass.
_DIFFLIB_MAX_LINES = 2000


def _unified(a: list[str], b: list[str], fromfile: str, tofile: str, n: int = 3) -> Iterator[str]:
    """``difflib.unified_diff(a, b)``, in linear time when ``b`` is a cleaned ``a`` (difflib's
    own matching takes minutes on a page of many thousand lines)."""
    import difflib

    codes = _kept_opcodes(a, b) if len(a) > _DIFFLIB_MAX_LINES else None
    if codes is None:
        yield from difflib.unified_diff(a, b, fromfile, tofile, n=n)
        return
    matcher = difflib.SequenceMatcher(None, [], [])
    matcher.get_opcodes = lambda: codes  # type: ignore[method-assign]  # the grouping reads only these
    started = False
    for group in matcher.get_grouped_opcodes(n):
        if not started:
            started = True
            yield f"--- {fromfile}\n"
            yield f"+++ {tofile}\n"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + x for x in a[i1:i2])
                continue
            yield from ("-" + x for x in a[i1:i2])
            yield from ("+" + x for x in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A unified diff's line range (as difflib writes it)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


def stats(counts: Counter[str], catalog: Catalog, stream: IO[str], color: bool, *, files: int = 0, failed: int = 0) -> None:
    """Lines removed per rule, most first, with a total."""
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = catalog.by_code(code)
        rows.append((code, rule.name if rule else "?", rule.group if rule else "?", n))
    total = sum(counts.values())
    footer = f"{total} lines removed" + (f" from {files} file(s)" if files else "") + (f", {failed} failed" if failed else "")
    if color:
        from rich.table import Table

        table = Table(title="Lines removed per rule", title_justify="left")
        for col, just in (("code", "left"), ("rule", "left"), ("group", "left"), ("lines", "right")):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for code, name, group, n in rows:
            table.add_row(code, name, group, str(n))
        con = _console(stream)
        con.print(table)
        con.print(footer)
        return
    out = [f"{code:7} {n:7}  {name} ({group})\n" for code, name, group, n in rows]
    out.append(footer + "\n")
    stream.write("".join(out))


def rules_table(rules: Iterable[Rule], enabled: set[str], stream: IO[str], color: bool) -> None:
    rules = list(rules)
    if color:
        from rich.table import Table

        table = Table(title=f"{len(rules)} rules", title_justify="left")
        # codes, names and groups are identifiers: never broken; the summary wraps at spaces
        for col in ("code", "name", "group", "on"):
            table.add_column(col, no_wrap=True)
        table.add_column("summary", ratio=1, min_width=12)
        for r in rules:
            table.add_row(r.code, r.name, r.group, "✓" if r.code in enabled else "", r.summary)
        _console(stream).print(table)
        return
    stream.write("".join(
        f"{r.code}\t{r.name}\t{r.group}\t{'on' if r.code in enabled else 'off'}\t{r.summary}\n" for r in rules
    ))


def rule_doc(rule: Rule, stream: IO[str], color: bool) -> None:
    """The documentation of one rule, in fixed sections."""
    parts = [f"{rule.code} {rule.name}", "", f"Group: {rule.group}    Source: {rule.source}", "",
             "What it removes", f"  {rule.summary}", "", "Why", f"  {rule.why or '(not given)'}"]
    if rule.kind == "pattern":
        if rule.exact:
            parts += ["", f"Whole-line phrases ({len(rule.exact)})", "  " + "; ".join(rule.exact)]
        if rule.patterns:
            parts += ["", f"Patterns (whole normalised line, lines of at most {rule.max_words} words)"]
            parts += [f"  {p}" for p in rule.patterns]
        parts += ["", "Examples it drops"] + ([f"  - {x}" for x in rule.drops] or ["  (none given)"])
        parts += ["", "Examples it keeps"] + ([f"  + {x}" for x in rule.keeps] or ["  (none given)"])
    elif rule.page:
        parts += ["", "Example (- removed by this rule, + kept)"] + [f"  {x}" for x in rule.page.strip("\n").splitlines()]
    text = "\n".join(parts) + "\n"
    if color:
        from rich.markup import escape

        con = _console(stream)
        for i, line in enumerate(text.splitlines()):
            if i == 0:
                con.print(f"[bold red]{escape(line)}[/]")
            elif line and not line.startswith(" ") and not line.startswith("Group:"):
                con.print(f"[bold]{escape(line)}[/]")
            elif line.startswith("  - "):
                con.print(f"[red]{escape(line)}[/]")
            elif line.startswith("  + "):
                con.print(f"[green]{escape(line)}[/]")
            else:
                con.print(escape(line))
        return
    stream.write(text)
