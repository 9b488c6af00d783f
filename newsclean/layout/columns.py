"""Tables laid out side by side (w3m, links), read column by column."""

from __future__ import annotations

import re
from collections import Counter

from .units import Piece, line_entries

# A cell of a table laid out in columns: text whose words are at most two spaces apart.
_CELL = re.compile(r"[^ ]+(?: {1,2}[^ ]+)*")
GAPPED = re.compile(r"\S {3,}\S")
CELL_NARROWEST = 20


def read_columns(lines: list[str]) -> "list[tuple[str, Piece] | None] | None":
    """The page read column by column where it holds tables laid out side by side (as w3m
    and links write them), or None when it holds none.

    A line with text on both sides of three or more spaces is a table row; a table is a
    run of such lines (lines of one column only between them belong to it, and lines
    right above or below it that start where one of its columns does: that column's
    text where the others are empty). Its columns
    start where at least three of its rows have a cell start; each row is cut there (also
    where a column's text reaches the next column with one space between). The table is
    read column by column, each column top to bottom, a block ending where the column
    is empty on a line.
    """
    rows = [i for i, x in enumerate(lines) if GAPPED.search(x)]
    if len(rows) < 3:
        return None
    tables: list[list[int]] = []
    for i in rows:
        if tables and i - tables[-1][-1] <= 3:
            tables[-1].append(i)
        else:
            tables.append([i])
    tables = [t for t in tables if len(t) >= 2]
    if not tables:
        return None
    # indented lines right above or below the rows are a column's text where the others are empty
    spans: list[list[int]] = []
    for table in tables:
        first, last = table[0], table[-1]
        starts = _anchors(lines, first, last, indents=True)
        while first - 1 >= 0 and _indent(lines[first - 1]) in starts:
            first -= 1
        while last + 1 < len(lines) and _indent(lines[last + 1]) in starts:
            last += 1
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    entries = line_entries(lines)
    out: "list[tuple[str, Piece] | None]" = []
    done = 0
    for first, last in spans:
        out.extend(entries[done:first])
        out.extend(_read_table(lines, first, last, _indent_near(lines, first - 1, -1), _indent_near(lines, last + 1, 1)))
        done = last + 1
    out.extend(entries[done:])
    return out


def _indent(line: str) -> int:
    """Where a line's text starts (0 for a blank line)."""
    return len(line) - len(line.lstrip()) if line.strip() else 0


def _cells(lines: list[str], first: int, last: int) -> dict[int, list[tuple[int, int]]]:
    return {i: [(m.start(), m.end()) for m in _CELL.finditer(lines[i])] for i in range(first, last + 1)}


def _anchors(lines: list[str], first: int, last: int, indents: bool = False) -> list[int]:
    """Where the columns of the lines ``first`` to ``last`` start: where three of them have a cell
    start with a cell before it (a line's indentation alone starts no column); with ``indents``,
    also where three of them have their text start (a column's text where those before are empty)."""
    skip = 0 if indents else 1
    starts = Counter(a for row in _cells(lines, first, last).values() for a, _ in row[skip:] if a > 0)
    return sorted(x for x, n in starts.items() if n >= 3)


def _indent_near(lines: list[str], start: int, step: int) -> int:
    """Where the text nearest line ``start`` (going by ``step``, past blank lines) starts (0 when none)."""
    for i in range(start, start + 3 * step, step):
        if 0 <= i < len(lines) and lines[i].strip():
            return _indent(lines[i])
    return 0


def _read_table(lines: list[str], first: int, last: int, above: int = 0,
                below: int = 0) -> "list[tuple[str, Piece] | None]":
    """The lines ``first`` to ``last`` (a table laid out in columns), read column by column; the
    column that starts where the text under it does (``below``) is read last, and the one that
    starts where the text above it does (``above``) first, so that each runs on into that text
    (a story laid out beside a sidebar, and going on under it)."""
    cells = _cells(lines, first, last)
    anchors = _anchors(lines, first, last)
    columns: dict[int, list[tuple[int, int, int]]] = {}
    for i, row in cells.items():
        line = lines[i]
        for a, b in row:
            # a cell that runs into the next column with one space between is cut there
            cuts = [x for x in anchors if a < x < b and line[x - 1] == " " and line[x] != " "]
            for lo, hi in zip([a, *cuts], [*cuts, b]):
                hi = len(line[:hi].rstrip())
                column = max((x for x in anchors if x <= lo), default=0)
                columns.setdefault(column, []).append((i, lo, hi))
    out: "list[tuple[str, Piece] | None]" = []
    # (the column under which the text goes on is read last even when the text above starts there too:
    # a story's headline may stand apart from it more safely than the two halves of its body)
    for column in sorted(columns, key=lambda c: (c == below and c > 0, c != above or c == 0, c)):
        prev = -2
        for i, a, b in columns[column]:
            if i != prev + 1:
                out.append(None)
            out.append((lines[i][a:b], (i, a, b)))
            prev = i
        out.append(None)
    return out
