"""The layout stage: find the blocks of a page's text, whatever tool wrote it.

Page text comes in several shapes. html-text, inscriptis or a browser's
"copy" write one block per line (``lines``); ``w3m -dump``, lynx or a mail
client hard-wrap every paragraph at a width (``wrapped``); html2text and the
readers of LLM-era scrapers write Markdown (``markdown``); BeautifulSoup's
``get_text("\\n")`` puts every text node on a line of its own, so a link or a
bold word splits a sentence (``nodes``); lxml's ``text_content()`` glues the
blocks together where the HTML source had no line break (``glued``).

:func:`detect` guesses the layout from the text (cheap counts first, finer
measures only when a count points that way; :mod:`.guess`); :func:`segment`
turns the physical lines into :class:`Units`, the blocks every later pass
judges: wrapped paragraphs and text nodes (:mod:`.blocks`), tables laid out in
columns (:mod:`.columns`), segments of glued lines (:mod:`.glued`), Markdown
blocks (:mod:`.markdown`); :mod:`.widths` finds the width text was wrapped at. A unit
knows the pieces of input it came from (line, start and end column), so the
output is the original text of the kept units: wrapped text stays wrapped and
Markdown stays Markdown. For ``lines`` there is no segmentation at all: a unit
is a line, and the page comes out exactly as it always did.

Every function here depends only on the text, so the same text always gives
the same units.
"""

from __future__ import annotations

from .units import (AUTO, CHOICES, CODE, GLUED, HEADING, IMAGE, ITEM, LAYOUTS, LINES, MARKDOWN, NODES, PARAGRAPH,
                    QUOTE, RULE, TABLE_ROW, WRAPPED, Layout, Piece, Units)

__all__ = ["AUTO", "CHOICES", "LAYOUTS", "LINES", "WRAPPED", "MARKDOWN", "NODES", "GLUED", "PARAGRAPH", "HEADING",
           "ITEM", "TABLE_ROW", "QUOTE", "IMAGE", "RULE", "CODE", "Layout", "Units", "Piece", "detect", "segment",
           "wrap_width", "markdown_width", "plain_markdown"]

# The submodules compile their patterns when they are imported: each is imported on first
# use, so that importing newsclean (which needs only the records) stays cheap.


def detect(lines: list[str], text: str | None = None) -> Layout:
    """The layout of a page given as its physical lines (see :mod:`newsclean.layout.guess`)."""
    from .guess import detect as guess

    return guess(lines, text)


def wrap_width(lines: list[str]) -> int:
    """The width a page is most likely wrapped at: for a page the user says is wrapped."""
    from .guess import wrap_width as width

    return width(lines)


def markdown_width(lines: list[str]) -> int:
    """The width Markdown is hard-wrapped at, 0 when it is not: for a page the user says is Markdown."""
    from .guess import markdown_width as width

    return width(lines)


def plain_markdown(block: str) -> tuple[str, float]:
    """The words of a Markdown block without its syntax, and the share of them inside links."""
    from .markdown import plain_markdown as plain

    return plain(block)


def segment(lines: list[str], layout: Layout) -> Units:
    """The units of a page's physical ``lines`` in ``layout`` (every layout but ``lines``)."""
    if layout.name == WRAPPED:
        from .blocks import wrapped

        return wrapped(lines, layout.width)
    if layout.name == MARKDOWN:
        from .markdown import markdown
        from .widths import wrap_widths

        return markdown(lines, wrap_widths(lines, layout.width) if layout.width else b"")
    if layout.name == NODES:
        from .blocks import nodes

        return nodes(lines)
    if layout.name == GLUED:
        from .glued import glued

        return glued(lines)
    units = Units()
    for i, line in enumerate(lines):
        units.add(line, ((i, 0, len(line)),))
    return units
