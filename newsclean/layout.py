"""The layout stage: find the blocks of a page's text, whatever tool wrote it.

Page text comes in several shapes. html-text, inscriptis or a browser's
"copy" write one block per line (``lines``); ``w3m -dump``, lynx or a mail
client hard-wrap every paragraph at a width (``wrapped``); html2text and the
readers of LLM-era scrapers write Markdown (``markdown``); BeautifulSoup's
``get_text("\\n")`` puts every text node on a line of its own, so a link or a
bold word splits a sentence (``nodes``); lxml's ``text_content()`` glues the
blocks together where the HTML source had no line break (``glued``).

:func:`detect` guesses the layout from the text (cheap counts first, finer
measures only when a count points that way); :func:`segment` turns the
physical lines into :class:`Units`, the blocks every later pass judges. A unit
knows the pieces of input it came from (line, start and end column), so the
output is the original text of the kept units: wrapped text stays wrapped and
Markdown stays Markdown. For ``lines`` there is no segmentation at all: a unit
is a line, and the page comes out exactly as it always did.

Every function here depends only on the text, so the same text always gives
the same units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections import Counter
from functools import lru_cache
from itertools import accumulate, repeat
from typing import Any, Callable, Iterable

LINES, WRAPPED, MARKDOWN, NODES, GLUED = "lines", "wrapped", "markdown", "nodes", "glued"
LAYOUTS = (LINES, WRAPPED, MARKDOWN, NODES, GLUED)
AUTO = "auto"
CHOICES = (AUTO, *LAYOUTS)

# What a unit is, besides a paragraph (Markdown tells; other layouts only know paragraphs).
PARAGRAPH, HEADING, ITEM, TABLE_ROW, QUOTE, IMAGE, RULE, CODE = (
    "paragraph", "heading", "item", "table-row", "quote", "image", "rule", "code")


@dataclass(frozen=True, slots=True)
class Layout:
    """The layout a page was read in: its name, the wrap width (``wrapped``) and why it was chosen."""

    name: str = LINES
    width: int = 0
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"name": self.name}
        if self.width:
            d["width"] = self.width
        if self.reason:
            d["reason"] = self.reason
        return d

    def describe(self) -> str:
        width = f" at {self.width} columns" if self.width else ""
        return f"layout {self.name}{width}" + (f" ({self.reason})" if self.reason else "")


# A piece of input: (line index, start column, end column), end exclusive.
Piece = tuple[int, int, int]


class Units:
    """The blocks of a page, as parallel lists indexed by unit.

    ``texts`` is what the passes judge (a wrapped paragraph's lines joined by
    spaces, a Markdown block without its syntax, a segment of a glued line);
    ``pieces`` the spans of input each unit came from, in order; ``whole`` whether
    every piece is a whole line (then the output keeps the lines as they are);
    ``blank`` whether the unit's input is white space only.
    For Markdown, ``kinds`` names the kind of block and ``link_share`` the share
    of its text inside links; other layouts leave both empty.
    """

    __slots__ = ("texts", "pieces", "whole", "blank", "kinds", "link_share")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.pieces: list[tuple[Piece, ...]] = []
        self.whole: list[bool] = []
        self.blank: list[bool] = []
        self.kinds: list[str] = []
        self.link_share: list[float] = []

    def add(self, text: str, pieces: tuple[Piece, ...], whole: bool = True, blank: "bool | None" = None) -> None:
        """A unit; it is blank when its text is (a Markdown image or rule has no words, but is not blank)."""
        self.texts.append(text)
        self.pieces.append(pieces)
        self.whole.append(whole)
        self.blank.append(not text.strip() if blank is None else blank)

    def __len__(self) -> int:
        return len(self.texts)

    def span(self, u: int) -> tuple[int, int, "tuple[int, int] | None"]:
        """Unit ``u``'s first and last line (1-based) and, for a part of one line, its columns (1-based, inclusive)."""
        pieces = self.pieces[u]
        first, last = pieces[0][0] + 1, pieces[-1][0] + 1
        if self.whole[u]:
            return first, last, None
        return first, last, (pieces[0][1] + 1, pieces[-1][2])


# -- detection ----------------------------------------------------------------------------

# Markdown that plain text does not hold: inline links and images, ATX headings ...
_MD_STRONG = re.compile(r"\[[^\]\n]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|^ {0,3}#{1,6} \S", re.M)
# ... and what plain text holds now and then: emphasis, list items, table rules, link definitions.
_MD_WEAK = re.compile(r"\*\*\S[^*\n]*\*\*|^ {0,3}[-*+] \S|^\s*\|?(?: *:?-{3,}:? *\|)+|^ {0,3}\[[^\]]+\]: \S", re.M)
_MD_HEADING_STARTS = ("#", " #", "  #", "   #")


def _shape_table(roles: dict[str, str], letters: str, other: str) -> bytes:
    """A 256-byte translation table: the bytes of ``roles``' keys to their values, ASCII
    letters and digits and every byte of a non-ASCII character to ``letters``, the
    rest to ``other``."""
    table = bytearray(ord(other) for _ in range(256))
    for b in range(256):
        c = chr(b)
        if b >= 128 or c.isalnum():
            table[b] = ord(letters)
    for chars, role in roles.items():
        for c in chars:
            table[ord(c)] = ord(role)
    return bytes(table)


# The text's shape for glue: "a" a lower-case letter, "A" a capital, "." a sentence's end.
# Glue is a sentence run into the next block ("…the end.Next story": "aa.Aa"), or a word
# run into the next ("HomeNewsSports": "aaaAa"; product names do that too, so it takes
# more of them).
_GLUE_SHAPE = _shape_table({"abcdefghijklmnopqrstuvwxyz": "a", "ABCDEFGHIJKLMNOPQRSTUVWXYZ": "A", ".!?": "."}, "a", "x")
# The text's shape for text nodes: "w" a letter, "o" another character that does not end a
# sentence, "e" one that does (. ! ? :), "c" a comma, semicolon or closing bracket, " " a
# space, "\n" a line break, "t" other white space.
_NODE_SHAPE = _shape_table({"0123456789_": "o", ".!?:": "e", ",;)": "c", " ": " ", "\n": "\n", "\t\r\f\v": "t"},
                           "w", "o")
# A text node that plainly continues the sentence of the line before, which does not end
# one: this line starts with closing punctuation, or with the one space before an inline
# element's text, or the line above ends in a word and the one space before one.
_NODE_JOIN = tuple({*(p + b"\n" + n + a for p in (b"w", b"o", b"c") for n in (b"c", b"e") for a in (b" ", b"\n", b"t")),
                    *(p + b"\n " + n for p in (b"w", b"o", b"c") for n in (b"w", b"o", b"c", b"e")), b"w \nw"})


_NODE_STARTS = (" ", ",", ".", ")", ";", ":")


def _count(shape: bytes, needles: "tuple[bytes, ...]") -> int:
    return sum(map(shape.count, needles))


def detect(lines: list[str], text: str | None = None) -> Layout:
    """The layout of a page given as its physical lines (``text`` is the same text, if at hand).

    Markdown first (its links and headings are unmistakable), then wrapping, glue and
    text nodes; one block per line when nothing points elsewhere. The counts are made
    on the text's shape (``bytes.translate`` and ``bytes.count``, in C), so the guess
    costs little on the common one-block-per-line page.
    """
    if text is None:
        text = "\n".join(lines)
    # lines that are not empty (some may hold white space only: counted exactly where it matters)
    nonblank = len(lines) - lines.count("")
    if not nonblank or text.isspace():
        return Layout(LINES)
    if "](" in text or ("#" in text and any(map(str.startswith, lines, repeat(_MD_HEADING_STARTS)))):
        strong = len(_MD_STRONG.findall(text))
        if strong >= 2 or (strong and len(_MD_WEAK.findall(text)) >= 2):
            width, breaks = _markdown_width(lines)
            return Layout(MARKDOWN, width, f"{strong} Markdown links or headings"
                          + (f"; {breaks} line breaks where the next word would pass column {width}" if width else ""))
    wrap = _wrap_width(lines, nonblank, text)
    if wrap is not None:
        return Layout(WRAPPED, wrap[0], f"{wrap[1]} of {nonblank} lines break where the next word would pass column {wrap[0]}")
    if nonblank <= 3 and max(map(len, lines)) > 1000:
        return Layout(GLUED, reason=f"a line of {max(map(len, lines))} characters holds the page")
    data = text.encode("utf-8", "surrogatepass")
    shape = data.translate(_GLUE_SHAPE)
    # (each count first looks for its rarer part: a capital after a sentence's end, after a letter)
    sentences = shape.count(b"aa.Aa") if shape.count(b".A") else 0
    if sentences >= 4:
        return Layout(GLUED, reason=f"{sentences} sentences run into the next one")
    # a sentence run into the next block counts as much as two words
    glue = 2 * sentences + (shape.count(b"aaaAa") if shape.count(b"aA") >= 10 - 2 * sentences else 0)
    if glue >= 10 and glue >= 0.005 * len(text):
        return Layout(GLUED, reason=f"{sentences} sentences and {glue - 2 * sentences} words run into the next block")
    # (a line that starts with a space or punctuation, or ends in a space, is rare elsewhere)
    if sum(map(str.startswith, lines, repeat(_NODE_STARTS))) + sum(map(str.endswith, lines, repeat(" "))) < 5:
        return Layout(LINES)
    joins = _count(data.translate(_NODE_SHAPE), _NODE_JOIN)
    nonblank -= sum(map(str.isspace, lines))
    if joins >= 5 and joins >= 0.05 * nonblank:
        return Layout(NODES, reason=f"{joins} of {nonblank} lines continue the sentence above")
    return Layout(LINES)


def _markdown_width(lines: list[str]) -> tuple[int, int]:
    """The width Markdown is hard-wrapped at (0 when it is not), and the line breaks that
    show it: links make lines long, so the breaks alone tell."""
    width, breaks = _width_votes(lines, list(map(len, map(str.rstrip, lines))))
    return (width, breaks) if breaks >= 4 else (0, breaks)


def markdown_width(lines: list[str]) -> int:
    """The width Markdown is hard-wrapped at, 0 when it is not: for a page the user says is Markdown."""
    return _markdown_width(lines)[0]


def wrap_width(lines: list[str]) -> int:
    """The width a page is most likely wrapped at (the longest line's length when no
    line break shows one): for a page the user says is wrapped."""
    width, best = _width_votes(lines, [len(x.rstrip()) for x in lines])
    return width if best else max(map(len, lines), default=0)


def _wrap_width(lines: list[str], nonblank: int, text: str) -> "tuple[int, int] | None":
    """The width ``(W, k)`` a page is hard-wrapped at, with the number ``k`` of line breaks
    that show it, or None when it is not wrapped.

    A wrapped line breaks where the next word would not fit: ``len(line) <= W <
    len(line) + 1 + len(next word)``. Every pair of adjacent lines allows a range of
    widths; the width most pairs allow is the page's, if enough pairs allow it and the
    page's lines of prose fit in it (in one block per line, paragraphs run longer). A page
    of tables laid out in columns is wrapped when the cells, read column by column, are.
    """
    if nonblank < 6:
        return None
    gapped = "   " in text
    if not gapped and sum(map((200).__lt__, map(len, lines))) >= 3:
        return None  # lines longer than any wrapping leaves (a URL may be one)
    lengths = list(map(len, map(str.rstrip, lines)))
    counts = _vote_counts(lines, lengths)
    best = max(counts[40:])
    if best >= 4:
        width = counts.index(best, 40)
        # the widest width the breaks show nearly as well (a page may wrap its parts at several)
        widest = max(w for w in range(40, len(counts)) if counts[w] >= max(3, best // 4))
        # lines of prose: most of the width long, with as many words as that takes
        shortest, words = 0.6 * widest, max(5, widest // 8)
        prose = [n for x, n in zip(lines, lengths) if n > shortest and len(x.split()) >= words]
        # most of them fit, and enough of them break where the next word would not fit
        if len(prose) >= 3 and sum(1 for n in prose if n <= widest + 1) >= 0.7 * len(prose) and best >= 0.1 * len(prose):
            return width, best
    # tables laid out in columns: the cells are wrapped, each column at its own width
    entries = _columns(lines) if gapped and len(_GAPPED.findall(text)) >= 2 else None
    if entries is None:
        return None
    cells = [e[0] for e in entries if e is not None]
    width, best = _width_votes(cells, [len(x.rstrip()) for x in cells], _CELL_NARROWEST)
    return (width, best) if best >= 4 else None


_SENTENCE_END = re.compile(r"""[.!?]["'”’)\]]*$""")


def _vote_counts(lines: list[str], lengths: list[int], shortest: int = 30) -> list[int]:
    """For each width up to 202, how many line breaks (of lines at least ``shortest`` long) it explains.

    Only breaks inside a sentence before a word in lower case vote: a wrapped sentence
    goes on in lower case more often than not, where a line that ends a sentence, or a
    list of headlines cut at a fixed length (each starting with a capital, a digit or a
    quote), is a block of its own whatever the width. A long "word" (a URL) allows too many widths to tell.
    """
    votes = [0] * 204
    for k in range(len(lines) - 1):
        n = lengths[k]
        if n < shortest or n > 200 or not lengths[k + 1]:
            continue
        first = lines[k + 1].split(None, 1)[0]
        if not first[0].islower() or len(first) > 15 or _SENTENCE_END.search(lines[k], 0, n):
            continue
        # this break allows the widths n .. n + len(first): +1 where the range opens, -1 after it
        votes[n] += 1
        votes[min(n + len(first), 201) + 1] -= 1
    return list(accumulate(votes))[:203]


def _width_votes(lines: list[str], lengths: list[int], narrowest: int = 40) -> tuple[int, int]:
    """The width (``narrowest`` to 200) that most line breaks allow, and how many allow it."""
    counts = _vote_counts(lines, lengths, narrowest - 10)
    best = max(counts[narrowest:])
    return (counts.index(best, narrowest), best) if best else (0, 0)


def _wrap_widths(lines: list[str], width: int, narrowest: int = 40) -> bytes:
    """The widths a page is wrapped at, as a table (1 for a width, 0 for any other): the
    best one, and every other peak nearly as well explained, for a page whose parts are
    wrapped at different widths (a quote, a table cell, an indented block); ``width``
    alone when no break shows one. Table cells (``narrowest`` 20) may be narrow."""
    counts = _vote_counts(lines, [len(x.rstrip()) for x in lines], narrowest - 10)
    best = max(counts[narrowest:])
    floor = max(3, best // 4)
    # the peaks: every break allows a range of widths, and the widths next to the true one
    # are allowed by most of its breaks too
    good = bytearray(1 if w >= narrowest and c >= floor and c == max(counts[w - 3:w + 4]) else 0
                     for w, c in enumerate(counts))
    if not best and 0 < width < len(good):
        good[width] = 1
    return bytes(good)


def _fits(widths: bytes, length: int, word: int) -> bool:
    """Whether a line of ``length`` broke only because the next word (``word`` long) did not fit."""
    return widths.find(1, length, length + word + 1) >= 0


# -- segmentation -------------------------------------------------------------------------

def segment(lines: list[str], layout: Layout) -> Units:
    """The units of a page's physical ``lines`` in ``layout`` (every layout but ``lines``)."""
    if layout.name == WRAPPED:
        return _wrapped(lines, layout.width)
    if layout.name == MARKDOWN:
        return _markdown(lines, _wrap_widths(lines, layout.width) if layout.width else b"")
    if layout.name == NODES:
        return _nodes(lines)
    if layout.name == GLUED:
        return _glued(lines)
    units = Units()
    for i, line in enumerate(lines):
        units.add(line, ((i, 0, len(line)),))
    return units


_BULLET = re.compile(r"\s*(?:[•*+\-□◦▪●·‣–]|\d{1,3}[.)]|[a-z][.)])\s+")


def _join(text: str, line: str) -> str:
    """A unit's text with the next line's words added: a word broken at a hyphen is rejoined."""
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].isalpha():
        return text + line
    return text + " " + line


def _entries(lines: list[str]) -> "list[tuple[str, Piece] | None]":
    return [(line, (i, 0, len(line))) for i, line in enumerate(lines)]


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
    for entry in _entries(lines) if entries is None else entries:
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


# A cell of a table laid out in columns: text whose words are at most two spaces apart.
_CELL = re.compile(r"[^ ]+(?: {1,2}[^ ]+)*")
_GAPPED = re.compile(r"\S {3,}\S")
_CELL_NARROWEST = 20


def _columns(lines: list[str]) -> "list[tuple[str, Piece] | None] | None":
    """The page read column by column where it holds tables laid out side by side (as w3m
    and links write them), or None when it holds none.

    A line with text on both sides of three or more spaces is a table row; a table is a
    run of such lines (lines of one column only between them belong to it). Its columns
    start where at least three of its rows have a cell start; each row is cut there (also
    where a column's text reaches the next column with one space between). The table is
    read column by column, each column top to bottom, a block ending where the column
    is empty on a line.
    """
    rows = [i for i, x in enumerate(lines) if _GAPPED.search(x)]
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
    out: "list[tuple[str, Piece] | None]" = []
    done = 0
    for table in tables:
        first, last = table[0], table[-1]
        out.extend(_entries(lines)[done:first])
        out.extend(_read_table(lines, first, last))
        done = last + 1
    out.extend(_entries(lines)[done:])
    return out


def _read_table(lines: list[str], first: int, last: int) -> "list[tuple[str, Piece] | None]":
    """The lines ``first`` to ``last`` (a table laid out in columns), read column by column."""
    cells = {i: [(m.start(), m.end()) for m in _CELL.finditer(lines[i])] for i in range(first, last + 1)}
    starts = Counter(a for row in cells.values() for a, _ in row if a > 0)
    anchors = sorted(x for x, n in starts.items() if n >= 3)
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
    for column in sorted(columns):
        prev = -2
        for i, a, b in columns[column]:
            if i != prev + 1:
                out.append(None)
            out.append((lines[i][a:b], (i, a, b)))
            prev = i
        out.append(None)
    return out


def _text_indent(line: str) -> int:
    """Where a line's text starts: after its indentation, and after a list item's bullet."""
    bullet = _BULLET.match(line)
    return bullet.end() if bullet is not None else len(line) - len(line.lstrip())


def _wrapped(lines: list[str], width: int) -> Units:
    """Paragraphs hard-wrapped at ``width`` (or any width the line breaks show, see
    ``_wrap_widths``): a line continues the one above when that one broke only because
    the next word did not fit, at the same indentation (a list item's continuation lines
    are indented to its text). Tables laid out in columns are read column by column."""
    entries = _columns(lines)
    if entries is None:
        widths = _wrap_widths(lines, width)
    else:
        widths = _wrap_widths([e[0] if e is not None else "" for e in entries], width, _CELL_NARROWEST)

    def carries_on(prev: str, line: str, stripped: str, text: str) -> "str | None":
        if (_BULLET.match(line) is not None or len(line) - len(line.lstrip()) != _text_indent(prev)
                or not _fits(widths, len(prev.rstrip()), len(stripped.split(None, 1)[0]))):
            return None
        return _join(text, stripped)

    return _blocks(lines, carries_on, entries)


def _nodes(lines: list[str]) -> Units:
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


def _continues(prev: str, line: str, stripped: str) -> bool:
    before = prev.rstrip()
    if not before or before[-1] in _ENDS:
        return False
    first = stripped[0]
    return (first.islower() or first in _CLOSING or before[-1] in _OPENING
            or (line[0] == " " and line[1:2] != " ") or (prev[-1] == " " and len(prev) - len(before) == 1))


# Where a glued line holds the end of one block and the start of the next.
_GLUE_SOURCE = (
    # a separator between items: "Home | News", "Sport » Football", "a • b"
    r"\s*(?:\||•|»|·|›)\s*"
    # a sentence's end, with or without a space, before a capital or an opening quote
    r"|(?<=[.!?])(?<![A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Nr|No|vs|ca|Mt|Co)\.)(?<!\b(?:Mrs|Gen|Gov|Sen|Rep|Col|Sgt|Inc|Ltd|bzw|usw|etc)\.)"
    r"(?<!\b(?:Prof|Capt|Corp)\.)[\"'”’)\]]*\s*(?=[\"“‘]?\p{Lu})"
    # a lower-case word run into a capitalised one ("HomeNews"); three lower-case letters before
    # the capital, so "McDonald" and "iPhone" stay whole
    r"|(?<=\p{Ll}{3})(?=\p{Lu}\p{Ll})"
    # a year or a number, or a word in capitals, run into a capitalised word ("2025Facebook",
    # "on XShare"; "NASAScientists")
    r"|(?<=\p{Nd}\p{Nd})(?=\p{Lu}\p{Ll}{2})|(?<=\p{Lu})(?=\p{Lu}\p{Ll}{2})"
)


@lru_cache(maxsize=1)
def _glue_split() -> Any:
    """The split pattern for glued lines, compiled on first use (``regex`` for Unicode classes)."""
    import regex

    return regex.compile(_GLUE_SOURCE, regex.V0).finditer


def _glued(lines: list[str]) -> Units:
    """Segments of glued lines, split at separators, sentence ends and words run together."""
    units = Units()
    finditer = _glue_split()
    for i, line in enumerate(lines):
        if not line.strip():
            units.add(line, ((i, 0, len(line)),))
            continue
        start = len(line) - len(line.lstrip())
        cuts = [(m.start(), m.end()) for m in finditer(line) if m.start() >= start]
        cuts.append((len(line), len(line)))
        parts = []
        for a, b in cuts:
            piece = line[start:a]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                parts.append((start + lead, start + len(piece.rstrip())))
            start = max(start, b)
        if len(parts) == 1 and parts[0] == (len(line) - len(line.lstrip()), len(line.rstrip())):
            units.add(line.strip(), ((i, 0, len(line)),))
            continue
        for a, b in parts:
            units.add(line[a:b], ((i, a, b),), whole=False)
    return units


# -- Markdown -----------------------------------------------------------------------------

# Where a Markdown block starts: an ATX heading, a list item, a quote, a fence, a table row, a rule.
_MD_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_MD_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_MD_QUOTE = re.compile(r" {0,3}>[ ]?")
_MD_FENCE = re.compile(r" {0,3}(?:```|~~~)")
_MD_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_MD_TABLE_RULE = re.compile(r"\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")
# a link's destination, with an optional title; spaces are allowed (a wrapped destination was broken)
_MD_DEST = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]" + _MD_DEST)
_MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]" + _MD_DEST)
_MD_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_MD_LINK_DEF = re.compile(r" {0,3}\[[^\]]+\]:\s+\S")
_MD_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_EMPHASIS = re.compile(r"\*\*|__|~~|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)|(?<=\S)_(?![\w_])|`")


def _md_block_kind(line: str) -> "str | None":
    """The kind of block a line starts, or None when it can continue a paragraph."""
    if _MD_HEADING.match(line):
        return HEADING
    if _MD_FENCE.match(line):
        return CODE
    if _MD_RULE.match(line):
        return RULE
    if _MD_ITEM.match(line):
        return ITEM
    if _MD_QUOTE.match(line):
        return QUOTE
    if "|" in line and (line.lstrip().startswith("|") or _MD_TABLE_RULE.match(line)):
        return TABLE_ROW
    if _MD_LINK_DEF.match(line):
        return PARAGRAPH  # a link definition stands alone
    return None


_HYPHEN_BREAK = re.compile(r"(?<=\w-)\n(?=\w)")
_MD_QUOTE_MARKS = re.compile(r"^ {0,3}>[ ]?", re.M)


def plain_markdown(block: str) -> tuple[str, float]:
    """The words of a Markdown block without its syntax, and the share of them inside links.

    Images give nothing (their alt text is not the page's text), links their text,
    emphasis, heading, list and quote marks and escapes go; a table row's cells are
    joined by " | ".
    """
    # a line broken after a hyphen goes on without a space ("wp-" + "content"), the others with one
    text = _HYPHEN_BREAK.sub("", _MD_QUOTE_MARKS.sub("", block)).replace("\n", " ")
    text = _MD_IMAGE.sub("", text)
    linked = 0

    def link_text(m: "re.Match[str]") -> str:
        nonlocal linked
        inner = m.group(1)
        linked += len(inner.strip())
        return inner

    text = _MD_LINK.sub(link_text, text)
    text = _MD_REF_LINK.sub(link_text, text)
    text = _MD_AUTOLINK.sub("", text)
    if _MD_LINK_DEF.match(text):
        return "", 1.0
    kind = _md_block_kind(text)
    if kind == HEADING or kind == ITEM:
        head = (_MD_HEADING if kind == HEADING else _MD_ITEM).match(text)
        text = text[head.end():] if head else text
        if kind == HEADING:
            text = text.rstrip().rstrip("#")
    elif kind == TABLE_ROW:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        text = " | ".join(c for c in cells if c and not set(c) <= set(":- "))
    elif kind == RULE:
        text = ""
    text = _MD_EMPHASIS.sub("", _MD_ESCAPE.sub(r"\1", text))
    text = " ".join(text.split())
    total = len(text.replace(" ", ""))
    share = min(1.0, linked / total) if total else (1.0 if linked else 0.0)
    return text, share


def _first_word_length(line: str, kind: "str | None") -> int:
    """The length of a line's first word (for a quote's line, the first word after its ">")."""
    if kind == QUOTE:
        line = _MD_QUOTE.sub("", line, count=1)
    words = line.split(None, 1)
    return len(words[0]) if words else 0


def _markdown(lines: list[str], widths: bytes = b"") -> Units:
    """Markdown blocks. A block is one line, as Markdown without wrapping writes a
    paragraph, a list item, a heading or a table row; when the text is hard-wrapped at
    one of ``widths`` (html2text's default), a line that broke only because the next word did
    not fit goes on in the next line, unless that one starts a block of its own (a
    heading, list item, quote, table row, rule or fence) or the line ended in a hard
    break (two spaces or a backslash). A fenced code block is one unit."""
    units = Units()
    pieces: list[Piece] = []
    kind = PARAGRAPH
    open_block = False  # whether the next line may continue the current block
    in_fence = False
    prev_len = 0

    def close() -> None:
        if pieces:
            raw = "\n".join(lines[p[0]] for p in pieces)
            text, share = plain_markdown(raw) if kind != CODE else (" ".join(raw.split()), 0.0)
            this = IMAGE if kind == PARAGRAPH and not text and _MD_IMAGE.search(raw) else kind
            units.add(text, tuple(pieces), blank=False)
            units.kinds.append(this)
            units.link_share.append(share)
            pieces.clear()

    for i, line in enumerate(lines):
        if in_fence:
            pieces.append((i, 0, len(line)))
            if _MD_FENCE.match(line):
                in_fence = False
                close()
            continue
        if not line.strip():
            close()
            units.add(line, ((i, 0, len(line)),))
            units.kinds.append(PARAGRAPH)
            units.link_share.append(0.0)
            open_block = False
            continue
        start = _md_block_kind(line)
        # a quote's wrapped lines each start with ">" again
        goes_on = start is None or (start == QUOTE and kind == QUOTE)
        if goes_on and open_block and pieces and _fits(widths, prev_len, _first_word_length(line, start)):
            pieces.append((i, 0, len(line)))
        else:
            close()
            kind = start or PARAGRAPH
            pieces.append((i, 0, len(line)))
            if kind == CODE:
                in_fence = True
                continue
        prev_len = len(line.rstrip())
        hard = line.endswith("  ") or line.endswith("\\")
        open_block = bool(widths) and kind in (PARAGRAPH, HEADING, ITEM, QUOTE) and not hard and not _MD_LINK_DEF.match(line)
    close()
    return units
