"""Markdown blocks and their plain words."""

from __future__ import annotations

import re

from .units import CODE, HEADING, IMAGE, ITEM, PARAGRAPH, QUOTE, RULE, TABLE_ROW, Piece, Units
from .widths import fits

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


_LONG_WORD = 30  # a "word" this long is a URL or a run of them: a wrapping tool cannot break it
# A list item that may interrupt a paragraph (as CommonMark has it): a bullet, or the number 1,
# with text after its marker.
_INTERRUPTING_ITEM = re.compile(r"\s*(?:[-*+]|1[.)])[ \t]+\S")


def _interrupts(line: str) -> bool:
    return _INTERRUPTING_ITEM.match(line) is not None


def _first_word_length(line: str, kind: "str | None") -> int:
    """The length of a line's first word (for a quote's line, the first word after its ">")."""
    if kind == QUOTE:
        line = _MD_QUOTE.sub("", line, count=1)
    words = line.split(None, 1)
    return len(words[0]) if words else 0


def markdown(lines: list[str], widths: bytes = b"") -> Units:
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
    long_word = False  # whether the line above is longer than any width for a word too long for one
    unclosed = False  # whether the block's links are still open at the end of the line above
    brackets, in_url = 0, False  # the block's "[" not closed yet; whether it is inside a link's "(address"
    widest = widths.rfind(1) if widths else 0

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
        if start == ITEM and open_block and not _interrupts(line):
            start = None  # "74." at the start of a wrapped line is not a list item
        # a quote's wrapped lines each start with ">" again; a table row's go on without a "|"
        goes_on = start is None or (start == QUOTE and kind == QUOTE)
        # a line longer than any width broke only where a word too long for a line (a URL) let it
        if goes_on and pieces and (unclosed or (open_block and (
                (prev_len > widest and long_word) or fits(widths, prev_len, _first_word_length(line, start))))):
            pieces.append((i, 0, len(line)))
        else:
            close()
            kind = start or PARAGRAPH
            pieces.append((i, 0, len(line)))
            if kind == CODE:
                in_fence = True
                continue
        prev_len = len(line.rstrip())
        # a link or image whose text or address goes on in the next line (html2text breaks both,
        # an address also at its hyphens): the block goes on until its brackets close, wrapped or not
        if len(pieces) == 1:
            brackets, in_url = 0, False
        brackets += line.count("[") - line.count("]")
        in_url = line.rfind("](") > line.rfind(")") if "](" in line else in_url and ")" not in line
        unclosed = brackets > 0 or in_url
        long_word = prev_len > widest and max(map(len, line.split())) >= _LONG_WORD
        hard = line.endswith("  ") or line.endswith("\\")
        open_block = (bool(widths) and kind in (PARAGRAPH, HEADING, ITEM, QUOTE, TABLE_ROW) and not hard
                      and not _MD_LINK_DEF.match(line))
    close()
    return units
