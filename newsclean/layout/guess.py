"""The layout guess: which tool's shape a page's text has."""

from __future__ import annotations

import re
from itertools import repeat

from .columns import CELL_NARROWEST, GAPPED, read_columns
from .units import GLUED, LINES, MARKDOWN, NODES, WRAPPED, Layout
from .widths import vote_counts, width_votes

# Markdown that plain text does not hold: inline links and images, ATX headings ...
_MD_STRONG = re.compile(r"\[[^\]\n]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|^ {0,3}#{1,6} \S", re.M)
# ... and what plain text holds now and then: emphasis, list items, table rules, link definitions.
_MD_WEAK = re.compile(r"\*\*\S[^*\n]*\*\*|^ {0,3}[-*+] \S|^\s*\|?(?: *:?-{3,}:? *\|)+|^ {0,3}\[[^\]]+\]: \S", re.M)
_MD_HEADING_STARTS = ("#", " #", "  #", "   #")
_MD_MARKS = re.compile(r"\*\*\S[^*\n]*\*\*|\\[-*_.#!\[\]()]")


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


# The text's shape: "a" a lower-case letter (or any non-ASCII character), "A" a capital,
# "." a sentence's end, "," other inner punctuation or a closing bracket, " " a space, "\n" a
# line break; "#", "]" and "(" stand for themselves (Markdown); "x" anything else.
# Glue is a sentence run into the next block ("…the end.Next story": "aa.Aa"), or a word
# run into the next ("HomeNewsSports": "aaaAa"; product names do that too, so it takes
# more of them).
_SHAPE = _shape_table({"abcdefghijklmnopqrstuvwxyz": "a", "ABCDEFGHIJKLMNOPQRSTUVWXYZ": "A", ".!?": ".",
                       ",;:)": ",", " ": " ", "\n": "\n", "#": "#", "]": "]", "(": "("}, "a", "x")
# A line that starts with a space or punctuation, or ends in a space: rare but in text nodes.
_NODE_HINTS = (b"\n ", b" \n", b"\n,", b"\n.")
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


_PART_BREAKS = 6  # line breaks that show a page wrapped in part


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
    lengths = list(map(len, lines))
    # lines that are not empty (some may hold white space only: counted exactly where it matters)
    nonblank = len(lines) - lengths.count(0)
    if not nonblank or text.isspace():
        return Layout(LINES)
    data = text.encode("utf-8", "surrogatepass")
    shape = data.translate(_SHAPE)
    if b"](" in shape or (b"#" in shape and any(map(str.startswith, lines, repeat(_MD_HEADING_STARTS)))):
        strong = len(_MD_STRONG.findall(text))
        # (on a short page, as a cleaned one, a single link or heading is evidence enough)
        if strong >= 2 or (strong and (nonblank < 30 or len(_MD_WEAK.findall(text)) >= 2)):
            width, breaks = _markdown_width(lines, nonblank)
            return Layout(MARKDOWN, width, f"{strong} Markdown links or headings"
                          + (f"; {breaks} line breaks where the next word would pass column {width}" if width else ""))
    wrap = _wrap_width(lines, lengths, nonblank, text, b"   " in shape)
    if wrap is not None:
        why = f"{wrap[1]} of {nonblank} lines break where the next word would pass column {wrap[0]}"
        # wrapped Markdown without links (a cleaned page): its bold words and escapes say so
        weak = len(_MD_MARKS.findall(text)) if "*" in text or "\\" in text else 0
        if weak >= 2:
            return Layout(MARKDOWN, wrap[0], f"{weak} Markdown marks; {why}")
        return Layout(WRAPPED, wrap[0], why)
    if nonblank == 1 and max(lengths) > 1000:
        return Layout(GLUED, reason=f"a line of {max(lengths)} characters holds the page")
    # (each count first looks for its rarer part: a capital after a sentence's end, after a letter)
    sentences = shape.count(b"aa.Aa") if shape.count(b".A") else 0
    if sentences >= 4:
        return Layout(GLUED, reason=f"{sentences} sentences run into the next one")
    # a sentence run into the next block counts as much as two words
    glue = 2 * sentences + (shape.count(b"aaaAa") if shape.count(b"aA") >= 10 - 2 * sentences else 0)
    if glue >= 10 and glue >= 0.005 * len(text):
        return Layout(GLUED, reason=f"{sentences} sentences and {glue - 2 * sentences} words run into the next block")
    if _count(shape, _NODE_HINTS) < 5:
        return Layout(LINES)
    joins = _count(data.translate(_NODE_SHAPE), _NODE_JOIN)
    nonblank -= sum(map(str.isspace, lines))
    if joins >= 5 and joins >= 0.03 * nonblank:
        return Layout(NODES, reason=f"{joins} of {nonblank} lines continue the sentence above")
    return Layout(LINES)


def _markdown_width(lines: list[str], nonblank: int) -> tuple[int, int]:
    """The width Markdown is hard-wrapped at (0 when it is not), and the line breaks that
    show it: links make lines long, so the breaks alone tell (two on a short page)."""
    width, breaks = width_votes(lines, list(map(len, map(str.rstrip, lines))))
    return (width, breaks) if breaks >= (4 if nonblank >= 30 else 2) else (0, breaks)


def markdown_width(lines: list[str]) -> int:
    """The width Markdown is hard-wrapped at, 0 when it is not: for a page the user says is Markdown."""
    return _markdown_width(lines, len(lines))[0]


def wrap_width(lines: list[str]) -> int:
    """The width a page is most likely wrapped at (the longest line's length when no
    line break shows one): for a page the user says is wrapped."""
    width, best = width_votes(lines, [len(x.rstrip()) for x in lines])
    return width if best else max(map(len, lines), default=0)


def _wrap_width(lines: list[str], lengths: list[int], nonblank: int, text: str,
                gapped: bool) -> "tuple[int, int] | None":
    """The width ``(W, k)`` a page is hard-wrapped at, with the number ``k`` of line breaks
    that show it, or None when it is not wrapped (``lengths``: the lines' lengths; ``gapped``:
    whether the text holds three spaces in a row, as tables laid out in columns do).

    A wrapped line breaks where the next word would not fit: ``len(line) <= W <
    len(line) + 1 + len(next word)``. Every pair of adjacent lines allows a range of
    widths; the width most pairs allow is the page's, if enough pairs allow it and the
    page's lines of prose fit in it (in one block per line, paragraphs run longer). A page
    of tables laid out in columns is wrapped when the cells, read column by column, are.
    """
    if nonblank < 6:
        return None
    if not gapped and sum(map((200).__lt__, lengths)) >= 3:
        return None  # lines longer than any wrapping leaves (a URL may be one)
    lengths = list(map(len, map(str.rstrip, lines)))
    counts = vote_counts(lines, lengths)
    best = max(counts[40:])
    # four breaks show a wrap (two on a short page, or on one where no line is longer than the width)
    if best >= 2 and (best >= 4 or nonblank < 30 or max(map(len, map(str.strip, lines))) <= counts.index(best, 40) + 1):
        width = counts.index(best, 40)
        # the widest width the breaks show nearly as well (a page may wrap its parts at several)
        widest = max(w for w in range(40, len(counts)) if counts[w] >= min(best, max(3, best // 4)))
        # lines of prose: most of the width long, with as many words as that takes
        shortest, words = 0.6 * widest, max(5, widest // 8)
        # (a row of a table laid out in columns is long because of its columns: not a line of prose)
        prose = [n for x, n in zip(lines, lengths)
                 if n > shortest and len(x.split()) >= words and not (gapped and GAPPED.search(x.rstrip()))]
        # most of them fit, and enough of them break where the next word would not fit
        fit = sum(1 for n in prose if n <= widest + 1)
        if len(prose) >= 3 and fit >= 0.7 * len(prose) and best >= 0.1 * len(prose):
            return width, best
        # a page wrapped in part (an article among long lines: comments, a second region, as
        # a page's own source may wrap it): many breaks, for many of the lines that fit
        if best >= _PART_BREAKS and best >= 0.3 * fit and fit >= 0.3 * len(prose):
            return width, best
    # tables laid out in columns: the cells are wrapped, each column at its own width
    entries = read_columns(lines) if gapped and len(GAPPED.findall(text)) >= 2 else None
    if entries is None:
        return None
    cells = [e[0] for e in entries if e is not None]
    width, best = width_votes(cells, [len(x.rstrip()) for x in cells], CELL_NARROWEST)
    return (width, best) if best >= 4 else None
