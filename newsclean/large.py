"""Cleaning huge files with bounded memory: block by block.

A file larger than :data:`~newsclean.io.LARGE_FILE_BYTES` is not one news page
but many pages (or a dump). :func:`clean_large_file` reads it twice in chunks:
once to choose the encoding and refuse binary data (before anything is
written), then to cut the text into blocks of about
:data:`~newsclean.io.BLOCK_CHARS` characters at blank lines (see
:func:`newsclean.io.iter_blocks`) and clean each block as its own page. The
output keeps the file's newline style (CRLF when its first line break is CRLF);
kept lines are joined across blocks exactly as within one page. A single line
longer than a block is copied through unchanged, piece by piece, with its
trailing white space stripped. The output goes to a file atomically, or to an
open binary stream.

For a file that fits in one block the result is exactly ``clean()``'s.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from .config import Config
from .io import (
    BLOCK_CHARS, BLOCK_LINES, LARGE_FILE_BYTES, Block, Discard, atomic_writer, blocks_of, count_breaks, encode, iter_blocks,
    sniff_file, text_pieces,
)
from .layout import Layout
from .model import Decision
from .pipeline import split_lines

__all__ = ["LARGE_FILE_BYTES", "BLOCK_CHARS", "BLOCK_LINES", "LargeResult", "clean_large_file", "clean_large_text",
           "clean_page", "is_large", "needs_blocks"]

_FIRST_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class LargeResult:
    """What cleaning a huge file did: the counts a :class:`~newsclean.model.Result` has, without the text."""

    encoding: str = ""
    warning: str = ""
    blocks: int = 0
    lines_in: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    newline: str = "\n"
    unchanged: bool = False  # the output equals the input (an in-place target was left alone)
    stats: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def is_large(size: int, limit: int = LARGE_FILE_BYTES) -> bool:
    """Whether a file of ``size`` bytes should be cleaned block by block."""
    return size > limit


class _Writer:
    """Joins the cleaned blocks exactly as one page's lines are joined.

    Between two kept lines, the blank lines of the gap are kept as they are,
    or folded to one when a removed line is in the gap (see
    :func:`newsclean.pipeline.assemble`); a gap may span blocks.
    """

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.newline = ""  # decided by the file's first line break
        self.wrote = False
        self.gap_blanks = 0
        self.gap_removed = False
        self.pending_ws = ""  # trailing white space of a long line, written only if text follows
        self.in_long_line = False
        self.bytes_out = 0
        self.digest = hashlib.blake2b(digest_size=16)

    def _emit(self, text: str) -> None:
        data = encode(text)
        self.out.write(data)
        self.digest.update(data)
        self.bytes_out += len(data)

    def _start_kept(self) -> None:
        """Close the gap before a kept line."""
        if self.wrote:
            n = min(self.gap_blanks, 1) if self.gap_removed else self.gap_blanks
            if n:
                self._emit(self.newline * n)
        self.wrote = True
        self.gap_blanks = 0
        self.gap_removed = False

    def page(self, lines: list[str], removed: frozenset[int], text: str, block_newline: str) -> None:
        """One cleaned block: its ``lines``, the 1-based numbers ``removed``, and its cleaned ``text``."""
        kept = [i for i, line in enumerate(lines) if i + 1 not in removed and line.strip()]
        if not kept:
            self._gap(lines, removed, 0, len(lines))
            return
        self._gap(lines, removed, 0, kept[0])
        self._start_kept()
        if block_newline != self.newline:
            text = text.replace(block_newline, self.newline)
        self._emit(text)
        self._gap(lines, removed, kept[-1] + 1, len(lines))

    def _gap(self, lines: list[str], removed: frozenset[int], start: int, stop: int) -> None:
        for i in range(start, stop):
            if i + 1 in removed:
                self.gap_removed = True
            elif not lines[i].strip():
                self.gap_blanks += 1

    def blank_lines(self, n: int) -> None:
        self.gap_blanks += n

    def long_piece(self, piece: str, ends_line: bool) -> None:
        body = piece
        if ends_line:
            m = _FIRST_BREAK.search(body)
            body = body[: m.start()] if m else body
        stripped = body.rstrip()
        if stripped:
            if not self.in_long_line:
                self._start_kept()
                self.in_long_line = True
            self._emit(self.pending_ws + stripped)
            self.pending_ws = body[len(stripped):]
        else:
            self.pending_ws += body
        if ends_line:
            if self.in_long_line:
                self._emit(self.newline)
            else:  # a line of white space only: a blank line
                self.gap_blanks += 1
            self.in_long_line = False
            self.pending_ws = ""


def _clean_blocks(blocks: Iterable[Block], out: BinaryIO, cfg: Config, res: LargeResult,
                  keep_decisions: bool) -> _Writer:
    """Clean ``blocks`` one by one into ``out``, adding up what they did in ``res``."""
    from .pipeline import run as clean_block

    w = _Writer(out)
    for block in blocks:
        res.blocks += 1
        if not w.newline:  # the file's first line break decides, as for a page
            m = _FIRST_BREAK.search(block.text)
            if m is not None:
                w.newline = "\r\n" if m.group() == "\r\n" else "\n"
            elif block.kind == "page" or block.ends_line:
                w.newline = "\n"
        if block.kind == "long-line":
            w.long_piece(block.text, block.ends_line)
            if block.ends_line:
                res.lines_in += 1
            continue
        result = clean_block(block.text, cfg, details=keep_decisions)
        res.lines_in += result.lines_in
        res.stats.update(result.stats())
        offset = block.first_line - 1
        res.notes.extend(f"lines from {block.first_line}: {n}" if offset else n for n in result.notes)
        if keep_decisions:
            res.decisions.extend(d.shifted(offset) for d in result.decisions)
        lines, _ = split_lines(block.text)
        w.page(lines, result.removed_linenos, result.text, result.newline)
        del lines
        w.blank_lines(block.blank_lines_after)
        res.lines_in += block.blank_lines_after
    res.bytes_out = w.bytes_out
    res.newline = w.newline or "\n"
    return w


def needs_blocks(text: str) -> bool:
    """Whether a text is too long to be one page (:data:`BLOCK_CHARS` characters or
    :data:`BLOCK_LINES` lines): it is then cleaned block by block."""
    return len(text) > BLOCK_CHARS or count_breaks(text) > BLOCK_LINES


def clean_large_text(text: str, config: Config | None = None, *, keep_decisions: bool = False,
                     max_chars: int = BLOCK_CHARS, max_lines: int = BLOCK_LINES) -> tuple[str, LargeResult]:
    """Clean a text held in memory block by block, as :func:`clean_large_file` cleans a file:
    the cleaned text and what was done. Memory stays within a small factor of the text."""
    import io as _io

    res = LargeResult(encoding="utf-8", bytes_in=len(text))
    buf = _io.BytesIO()
    _clean_blocks(blocks_of(text_pieces(text), max_chars, max_lines), buf, config or Config(), res, keep_decisions)
    return buf.getvalue().decode("utf-8"), res


def clean_page(text: str, config: Config, details: bool) -> tuple[str, Counter[str], tuple[str, ...],
                                                                 tuple[Decision, ...], Layout | None,
                                                                 tuple[tuple[str, str], ...]]:
    """Clean one text: (cleaned text, counts by rule, notes, decisions, layout, the article's
    head). A text too long to be one page (:func:`needs_blocks`) is cleaned block by block
    (layout None, no head)."""
    from .pipeline import run

    if needs_blocks(text):
        cleaned, big = clean_large_text(text, config, keep_decisions=details)
        return cleaned, big.stats, tuple(big.notes), tuple(big.decisions), None, ()
    result = run(text, config, details=details)
    return result.text, result.stats(), result.notes, result.decisions, result.layout, result.head


def clean_large_file(
    src: str | Path,
    dst: str | Path | BinaryIO,
    config: Config | None = None,
    *,
    encoding: str | None = None,
    max_chars: int = BLOCK_CHARS,
    backup_suffix: str | None = None,
    keep_decisions: bool = False,
    max_lines: int = BLOCK_LINES,
) -> LargeResult:
    """Clean the file ``src`` block by block into ``dst`` (a path, written atomically, or a binary stream).

    Raises :class:`~newsclean.io.InputError` for an input that cannot be
    cleaned (binary, undecodable, unreadable) before anything is written, and
    ``OSError`` (naming the target) when writing fails; a target file is then
    left as it was. When ``dst`` is ``src`` and the cleaned text equals the
    input, the file is not rewritten (``unchanged``).
    """
    src = Path(src)
    cfg = config or Config()
    sniffed = sniff_file(src, encoding)
    res = LargeResult(encoding=sniffed.encoding, warning=sniffed.warning, bytes_in=sniffed.size)

    def run(out: BinaryIO) -> _Writer:
        return _clean_blocks(iter_blocks(src, max_chars, sniffed.encoding, max_lines), out, cfg, res, keep_decisions)

    if isinstance(dst, (str, Path)):
        dst = Path(dst)
        same = dst.exists() and dst.resolve() == src.resolve()
        with atomic_writer(dst, backup_suffix=backup_suffix if same else None) as fh:
            w = run(fh)
            res.bytes_out = w.bytes_out
            if same and w.bytes_out == sniffed.size and w.digest.hexdigest() == sniffed.digest:
                res.unchanged = True
                raise Discard()
    else:
        w = run(dst)
        res.bytes_out = w.bytes_out
    res.newline = w.newline or "\n"
    return res


def clean_path(src: str | Path, config: Config | None = None, *, encoding: str | None = None,
               max_chars: int = BLOCK_CHARS) -> str:
    """The cleaned text of a file, block by block (for tests and small tools: holds the output)."""
    import io as _io

    buf = _io.BytesIO()
    clean_large_file(src, buf, config, encoding=encoding, max_chars=max_chars)
    return buf.getvalue().decode("utf-8")

