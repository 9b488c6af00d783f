"""Blocks of adjacent lines: hard-wrapped paragraphs and text nodes rejoined."""

from __future__ import annotations

import re
from typing import Callable, Iterable

from .columns import CELL_NARROWEST, read_columns
from .units import Piece, Units, line_entries
from .widths import fits, wrap_widths

_BULLET = re.compile(r"\s*(?:[•*+\-□◦▪●·‣–]|\d{1,3}[.)]|[a-z][.)])\s+")


def _join(text: str, line: str) -> str:
    """A unit's text with the next line's words added: a word broken at a hyphen is rejoined."""
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].isalpha():
        return text + line
    return text + " " + line


def _blocks(lines: list[str], carries_on: "Callable[[str, str, str, str], str | None]",
            entries: "list[tuple[str, Piece] | None] | None" = None) -> Units:
    """Blocks of adjacent lines (or ``entries``: the stretches of input read in order, each
    ``(text, piece)``, or None where a block must end, as between two columns of a table):
    ``carries_on(prev, line, stripped, text)`` gives the block's ``text`` with ``line``
    added when the line goes on with the block after the line ``prev``, or None when it
    starts a new one. A blank line is a unit of its own."""
    units = Units()
    text = ""
    pieces: list[Piece] = []
    prev = ""
    for entry in line_entries(lines) if entries is None else entries:
        if entry is None:
            line, stripped = "", ""
        else:
            line, piece = entry
            stripped = line.strip()
        joined = carries_on(prev, line, stripped, text) if pieces and stripped else None
        if joined is not None:
            text = joined
            pieces.append(piece)
        else:
            if pieces:
                units.add(text, tuple(pieces), whole=_whole(lines, pieces))
                pieces = []
            if entry is None:
                pass
            elif not stripped:
                units.add(line, (piece,), whole=_whole(lines, (piece,)))
            else:
                text, pieces = stripped, [piece]
        prev = line if stripped else ""
    if pieces:
        units.add(text, tuple(pieces), whole=_whole(lines, pieces))
    return units


def _whole(lines: list[str], pieces: "Iterable[Piece]") -> bool:
    return all(a == 0 and b == len(lines[i]) for i, a, b in pieces)


def _text_indent(line: str) -> int:
    """Where a line's text starts: after its indentation, and after a list item's bullet."""
    bullet = _BULLET.match(line)
    return bullet.end() if bullet is not None else len(line) - len(line.lstrip())


def wrapped(lines: list[str], width: int) -> Units:
    """Paragraphs hard-wrapped at ``width`` (or any width the line breaks show, see
    ``wrap_widths``): a line continues the one above when that one broke only because
    the next word did not fit, at the same indentation (a list item's continuation lines
    are indented to its text). Tables laid out in columns are read column by column."""
    entries = read_columns(lines)
    if entries is None:
        widths = wrap_widths(lines, width)
    else:
        widths = wrap_widths([e[0] if e is not None else "" for e in entries], width, CELL_NARROWEST)

    def carries_on(prev: str, line: str, stripped: str, text: str) -> "str | None":
        if _BULLET.match(line) is not None:
            return None
        indent, word = len(line) - len(line.lstrip()), len(stripped.split(None, 1)[0])
        before = prev.strip()
        prev_indent = len(prev) - len(prev.lstrip())
        # under a numbered or bulleted line, at its text's indentation or at its own (a
        # paragraph that opens with "2." or "-", wrapped without a hanging indent)
        if indent == _text_indent(prev) or indent == prev_indent:
            return _join(text, stripped) if fits(widths, len(prev.rstrip()), word) else None
        # centred text: both lines centred on one column, the one above as full as the width lets it be
        if abs(2 * prev_indent + len(before) - 2 * indent - len(stripped)) <= 2 and fits(widths, len(before), word):
            return _join(text, stripped)
        return None

    units = _blocks(lines, carries_on, entries)
    # text browsers number the links (lynx, links: "[12]Home"); the numbers are not the page's words
    if any("]" in x for x in units.texts):
        units.texts = [_LINK_NUMBER.sub("", x) if "]" in x else x for x in units.texts]
    return units


_LINK_NUMBER = re.compile(r"\[\d{1,4}\](?=\S)")


def nodes(lines: list[str]) -> Units:
    """Text nodes rejoined into blocks: a node continues the line above when that line
    does not end a sentence and this one carries on the sentence (lower-case, closing
    punctuation, or the space before an inline element), or the line above ends in an
    opening bracket or quote, or in a space before an inline element."""

    def carries_on(prev: str, line: str, stripped: str, text: str) -> "str | None":
        if not _continues(prev, line, stripped):
            return None
        return text + ("" if stripped[0] in _CLOSING or text[-1] in _OPENING else " ") + stripped

    return _blocks(lines, carries_on)


_CLOSING = frozenset(",.;:!?)]}’”»%")
_OPENING = frozenset("([{“‘«/$€£-")
_ENDS = frozenset(".!?:")
_LABEL_CHARS = 40


def _continues(prev: str, line: str, stripped: str) -> bool:
    before = prev.rstrip()
    if not before:
        return False
    if before[-1] in _ENDS:
        # a label in bold ("Sheila Atim:", "Update:") and the text of its paragraph after the space
        return before[-1] == ":" and line[0] == " " and line[1:2] != " " and len(before) <= _LABEL_CHARS
    first = stripped[0]
    return (first.islower() or first in _CLOSING or before[-1] in _OPENING
            or (line[0] == " " and line[1:2] != " ") or (prev[-1] == " " and len(prev) - len(before) == 1))
