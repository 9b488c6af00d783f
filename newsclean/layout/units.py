"""The records of the layout stage: the layout a page was read in, and its units."""

from __future__ import annotations

from dataclasses import dataclass

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


def line_entries(lines: list[str]) -> "list[tuple[str, Piece] | None]":
    """Each line as a stretch of input read in order: ``(text, (line, 0, len))``."""
    return [(line, (i, 0, len(line))) for i, line in enumerate(lines)]
