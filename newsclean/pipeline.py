"""The one code path: split a page into lines, run the passes in order, assemble.

Every pass sees the same :class:`Page` and removes lines only through
:meth:`Page.drop`, which records the rule's code, the pass's name and the
reason. A rule that is not selected never removes anything. ``clean()`` runs
exactly the passes ``clean_and_explain()`` runs; it only skips turning what
they recorded into :class:`~newsclean.model.Decision` records (and formatting
their reasons), so ``clean(x) == clean_and_explain(x).text``.
"""

from __future__ import annotations

import re
from itertools import repeat
from operator import add, not_
from typing import Any, Callable, Iterable, Union

from .config import DEFAULT, CompiledConfig, Config
from .layout import AUTO, LINES, MARKDOWN, NODES, WRAPPED, Layout, Units, detect, markdown_width, segment, wrap_width
from .model import Decision, Result
from .repeats import RepeatTable
from .rules import _DECOR, _QUOTES, line_key
from .settings import Settings

_NEWLINE = re.compile(r"\r\n|\r|\n")


# Why a line went: a text, or a function and its arguments that make the text
# (formatted only when the decisions are asked for).
Detail = Union[str, tuple[Any, ...]]
# What a pass recorded for a removed line: (rule code, stage, detail).
Removal = tuple[str, str, Detail]


def detail_text(detail: Detail) -> str:
    return detail if isinstance(detail, str) else detail[0](*detail[1:])


class Page:
    """The working state of one text while the passes run (private to a run).

    The passes judge ``lines``: the page's units, one text each. In the ``lines``
    layout a unit is a physical line (``units`` is None); in the other layouts
    ``units`` holds where each unit came from in the physical lines ``source``.
    """

    __slots__ = ("lines", "keys", "nwords", "removed", "notes", "compiled", "settings", "language", "repeats", "_rules",
                 "_blank", "units", "source", "layout", "parts")

    def __init__(self, lines: list[str], compiled: CompiledConfig, settings: Settings,
                 repeats: RepeatTable | None = None, units: Units | None = None,
                 source: list[str] | None = None, layout: Layout | None = None) -> None:
        self.lines = lines
        self.units = units
        self.source = lines if source is None else source
        self.layout = layout or Layout()
        self.keys = line_keys(lines)
        # keys have single spaces; an empty key has no words
        self.nwords = list(map(add, map(str.count, self.keys, repeat(" ")), map(bool, self.keys)))
        self._blank = list(map(not_, map(str.strip, lines))) if units is None else units.blank
        self.removed: list[Removal | None] = [None] * len(lines)
        self.notes: list[str] = []
        # the units of the article's head by role ("headline", "dek", "byline", "date"), as the
        # structure pass found them
        self.parts: dict[str, list[int]] = {}
        self.compiled = compiled
        self.settings = settings
        self.language: str | None = None
        self.repeats = repeats
        self._rules = compiled.by_code

    def enabled(self, code: str) -> bool:
        return code in self._rules

    def is_blank(self, i: int) -> bool:
        return self._blank[i]

    def is_kept(self, i: int) -> bool:
        return self.removed[i] is None and not self._blank[i]

    def kept(self) -> list[int]:
        """Indices of the non-blank lines no pass has removed yet."""
        blank = self._blank
        return [i for i, d in enumerate(self.removed) if d is None and not blank[i]]

    def drop(self, i: int, code: str, stage: str, detail: Detail = "") -> bool:
        """Remove line ``i`` by rule ``code``; False if the rule is off or the line is gone."""
        if code not in self._rules or self.removed[i] is not None or self._blank[i]:
            return False
        self.removed[i] = (code, stage, detail)
        return True

    def decisions(self, details: bool = True) -> tuple[Decision, ...]:
        """One :class:`Decision` per removed unit, in order, with its reason
        (without, when ``details`` is false: for counts by rule)."""
        rules, lines, units = self._rules, self.lines, self.units
        if units is None:
            return tuple(Decision(i + 1, lines[i], d[0], rules[d[0]].name, d[1], detail_text(d[2]) if details else "")
                         for i, d in enumerate(self.removed) if d is not None)
        out = []
        for i, d in enumerate(self.removed):
            if d is not None:
                first, last, columns = units.span(i)
                out.append(Decision(first, lines[i], d[0], rules[d[0]].name, d[1], detail_text(d[2]) if details else "",
                                    last if last != first else 0, columns))
        return tuple(out)

    def removed_lines(self) -> frozenset[int] | None:
        """The physical lines (1-based) that hold a removed unit and no kept one (None for ``lines``)."""
        units = self.units
        if units is None:
            return None
        touched: set[int] = set()
        kept: set[int] = set()
        for i, d in enumerate(self.removed):
            if d is not None:
                touched.update(p[0] + 1 for p in units.pieces[i])
            elif not self._blank[i]:
                kept.update(p[0] + 1 for p in units.pieces[i])
        return frozenset(touched - kept)

    def undo(self, stage: str) -> int:
        """Withdraw every decision of one pass (used by the safety valve)."""
        n = 0
        for i, d in enumerate(self.removed):
            if d is not None and d[1] == stage:
                self.removed[i] = None
                n += 1
        return n


Pass = Callable[[Page], None]


# the quotes line_key makes straight; no replacement is itself replaced
_QUOTE_PAIRS = tuple((chr(a), b) for a, b in _QUOTES.items())
assert not any(b in dict(_QUOTE_PAIRS) for _, b in _QUOTE_PAIRS)


def line_keys(lines: list[str]) -> list[str]:
    """``[line_key(x) for x in lines]``, faster:

    * a line without white space other than single plain spaces (``isprintable``
      is false for every other white-space character) needs no folding, only
      stripping (the decoration includes the space);
    * the keys are lowercased together, joined by newlines (no key holds one, and
      a newline ends a word for the final-sigma rule as the end of a text does),
      and their quotes made straight together by ``str.replace`` (the case of a
      quote does not change, so lowering first is the same; an ASCII page needs
      it only if it holds a backtick).
    """
    decor = _DECOR
    keys = [x.strip(decor) if x.isprintable() and "  " not in x else " ".join(x.split()).strip(decor)
            for x in lines]
    text = "\n".join(keys).lower()
    if not text.isascii() or "`" in text:
        for a, b in _QUOTE_PAIRS:  # str.translate is slow on non-ASCII text
            if a in text:
                text = text.replace(a, b)
    low = text.split("\n")
    return low if len(low) == len(keys) else [line_key(x) for x in lines]


def _passes() -> tuple[tuple[str, Pass], ...]:
    from .passes import PASSES

    return PASSES


def split_lines(text: str) -> tuple[list[str], str]:
    """Lines without their breaks, and the newline the output should use.

    ``\\r\\n``, lone ``\\r`` and ``\\n`` all end a line; the output keeps CRLF when
    the input's first line break is CRLF, and uses ``\\n`` otherwise.
    """
    if "\r" not in text:  # the common case: str.split is many times faster than a regex
        newline, lines = "\n", text.split("\n")
    else:
        first = _NEWLINE.search(text)
        newline = "\r\n" if first is not None and first.group() == "\r\n" else "\n"
        lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines, newline


def assemble(page: Page, newline: str = "\n", plain: bool = False) -> str:
    """Kept lines in order, trailing spaces stripped; each removed gap at most one blank line.

    In a layout of units, each kept unit gives its original text (with ``plain``, the
    text the passes read, one unit per line).
    """
    if page.units is not None:
        return _assemble_units(page, newline, plain)
    out: list[str] = []
    pending_blanks = 0
    gap_removed = False
    blank = page._blank
    for i, line in enumerate(page.lines):
        if page.removed[i] is not None:
            gap_removed = True
        elif blank[i]:
            pending_blanks += 1
        else:
            if out:
                blanks = min(pending_blanks, 1) if gap_removed else pending_blanks
                out.extend([""] * blanks)
            out.append(line.rstrip())
            pending_blanks = 0
            gap_removed = False
    return newline.join(out) + newline if out else ""


def _assemble_units(page: Page, newline: str, plain: bool,
                    places: "list[tuple[int, int, int, int]] | None" = None) -> str:
    """``assemble`` for a layout of units: the original text of each kept unit (its lines,
    trailing spaces stripped, or its part of a line). Two kept parts of one line with
    nothing removed between them stay on one line, with what stood between them.

    Text nodes (``nodes``) are written rejoined, one block per line, as ``plain`` writes
    every layout: a block's nodes stand on several lines only because of how the page
    was turned into text, and blank lines between blocks are folded to one.

    ``places``, when given, receives where each kept unit's text went in the output:
    ``(unit, output line, start column, end column)``, one entry per output line it fills.
    """
    units, source, blank, removed = page.units, page.source, page._blank, page.removed
    assert units is not None
    plain = plain or page.layout.name == NODES
    out: list[str] = []
    pending_blanks = 0
    gap_removed = False
    open_line = open_end = -1  # the line and end column of the last kept part, while it may go on
    for u, text in enumerate(page.lines):
        if removed[u] is not None:
            gap_removed = True
            open_line = -1
            continue
        if blank[u]:
            pending_blanks += len(units.pieces[u])
            open_line = -1
            continue
        pieces = units.pieces[u]
        first = pieces[0]
        if not plain and len(pieces) == 1 and not units.whole[u] and first[0] == open_line and first[1] >= open_end:
            if places is not None:
                at = len(out[-1]) + first[1] - open_end
                places.append((u, len(out) - 1, at, at + first[2] - first[1]))
            out[-1] += source[open_line][open_end:first[2]]
            open_end = first[2]
            continue
        if out:
            out.extend([""] * (min(pending_blanks, 1) if gap_removed or plain else pending_blanks))
        start = len(out)
        if plain:
            out.append(text.rstrip())
        elif units.whole[u]:
            out.extend(source[p[0]].rstrip() for p in pieces)
        else:
            out.extend(source[i][a:b].strip() for i, a, b in pieces)
        if places is not None:
            places.extend((u, n, 0, len(out[n])) for n in range(start, len(out)))
        pending_blanks = 0
        gap_removed = False
        last = pieces[-1]
        open_line, open_end = (last[0], last[2]) if len(pieces) == 1 and not units.whole[u] else (-1, -1)
    return newline.join(out) + newline if out else ""


def replay(text: str, removed: "Iterable[int | Decision]", layout: Layout | None = None) -> str:
    """The output of removing exactly what ``removed`` names from ``text``: line numbers
    (1-based, in the ``lines`` layout) or a Result's decisions, with the Result's
    ``layout``. ``replay(text, result.decisions, result.layout) == result.text`` for
    every result: what the decisions say, applied again."""
    lines, newline = split_lines(text)
    if layout is None or layout.name == LINES:
        page = Page(lines, DEFAULT.compiled(), DEFAULT.settings)
        for n in removed:
            page.removed[(n if isinstance(n, int) else n.lineno) - 1] = ("", "replay", "")
        return assemble(page, newline)
    units = segment(lines, layout)
    page = Page(units.texts, DEFAULT.compiled(), DEFAULT.settings, units=units, source=lines, layout=layout)
    where = {units.span(u): u for u in range(len(units))}
    for d in removed:
        if isinstance(d, int):
            raise TypeError("a layout of units is replayed from decisions, not line numbers")
        page.removed[where[(d.lineno, d.end_lineno or d.lineno, d.columns)]] = ("", "replay", "")
    return assemble(page, newline)


def choose_layout(lines: list[str], text: str, name: str) -> Layout:
    """The layout to read a page in: guessed (``auto``) or the one named."""
    if name == AUTO:
        return detect(lines, text)
    if name == WRAPPED:
        return Layout(WRAPPED, wrap_width(lines), "chosen")
    if name == MARKDOWN:
        return Layout(MARKDOWN, markdown_width(lines), "chosen")
    return Layout(name, reason="chosen")


def _process(text: str, config: Config | None) -> tuple[Page, str]:
    cfg = config or DEFAULT
    page, newline = _run_passes(text, cfg)
    if page.units is not None:
        _settle(page, newline, cfg)
    return page, newline


def _run_passes(text: str, cfg: Config) -> tuple[Page, str]:
    lines, newline = split_lines(text)
    layout = choose_layout(lines, text, cfg.layout) if lines else Layout()
    if layout.name == LINES:
        page = Page(lines, cfg.compiled(), cfg.settings, cfg.repeats, layout=layout)
    else:
        units = segment(lines, layout)
        page = Page(units.texts, cfg.compiled(), cfg.settings, cfg.repeats, units=units, source=lines, layout=layout)
    for _name, fn in _passes():
        fn(page)
    return page, newline


_SETTLE_ROUNDS = 3
# A second reading is followed unless it takes more than _SETTLE_WORDS words and more than
# 1/_SETTLE_SHARE of the words kept: a reading of the article alone that differs that much from
# the reading of the whole page is not trusted over it (on the dev sets, following it loses articles).
_SETTLE_SHARE = 5
_SETTLE_WORDS = 50
_SPACE = re.compile(r"\s+")


def _settle(page: Page, newline: str, cfg: Config) -> None:
    """Make cleaning a page of units idempotent. The output is read again, as a second
    run would read it (its layout guessed afresh: a glued page's output is one block per
    line; with a ``layout`` chosen, read in that layout), and each kept unit that this second
    reading removes whole is removed from the page, by the second reading's rule. Repeated
    while the second reading removes a unit, at most ``_SETTLE_ROUNDS`` times; a unit it
    removes only a part of stays, and so does all of a second reading that takes much of
    the article (see ``_SETTLE_SHARE``).
    """
    for _ in range(_SETTLE_ROUNDS):
        if not _settle_once(page, newline, cfg):
            break
    for role, found in page.parts.items():
        page.parts[role] = [u for u in found if page.removed[u] is None]


def _settle_once(page: Page, newline: str, cfg: Config) -> int:
    """One round of ``_settle``: the number of units it removed."""
    places: list[tuple[int, int, int, int]] = []
    again, _newline = _run_passes(_assemble_units(page, newline, cfg.plain, places), cfg)
    gone = _gone(again)
    if not gone:
        return 0
    out = again.source
    taken: dict[int, "Removal | None"] = {}  # each kept unit: the removal that takes all of it, or None
    for u, n, a, b in places:
        if (u in taken and taken[u] is None) or not out[n][a:b].strip():
            continue
        on_line = gone.get(n)
        if on_line is not None and 0 not in on_line[0][a:b]:
            # the first removed stretch that overlaps this place
            taken[u] = next(r for start, end, r in on_line[1] if end > a and start < b)
        else:
            taken[u] = None
    chosen = [u for u, removal in taken.items() if removal is not None]
    words = page.nwords
    taking = sum(words[u] for u in chosen)
    if taking > _SETTLE_WORDS and taking * _SETTLE_SHARE > sum(words[u] for u in taken):
        return 0  # a second reading that takes this much of the article is not followed
    for u in chosen:
        page.removed[u] = taken[u]
    return len(chosen)


def _gone(page: Page) -> "dict[int, tuple[bytearray, list[tuple[int, int, Removal]]]]":
    """What a reading removed, by line: a mask (1 where a character is removed or is white
    space) and the removed stretches ``(start, end, removal)``."""
    gone: dict[int, tuple[bytearray, list[tuple[int, int, Removal]]]] = {}
    source, units = page.source, page.units
    for i, removal in enumerate(page.removed):
        if removal is None:
            continue
        pieces = ((i, 0, len(source[i])),) if units is None else units.pieces[i]
        for n, a, b in pieces:
            if n not in gone:
                mask = bytearray(len(source[n]))
                for m in _SPACE.finditer(source[n]):
                    mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
                gone[n] = (mask, [])
            gone[n][0][a:b] = b"\x01" * (b - a)
            gone[n][1].append((a, b, removal))
    return gone


def run(text: str, config: Config | None = None, details: bool = True) -> Result:
    """Clean ``text`` and record why each removed unit went (the rule and stage only,
    without the reason, when ``details`` is false: what a batch needs for its counts)."""
    return _result(*_process(text, config), config, details)


def run_page(text: str, config: Config | None = None) -> tuple[Page, Result]:
    """``run(text, config)`` and the page it ran on, for what the passes found besides their
    decisions (the article's parts, see :mod:`newsclean.extract`)."""
    page, newline = _process(text, config)
    return page, _result(page, newline, config, True)


def _result(page: Page, newline: str, config: Config | None, details: bool) -> Result:
    return Result(
        text=assemble(page, newline, (config or DEFAULT).plain), decisions=page.decisions(details),
        lines_in=len(page.source), notes=tuple(page.notes), language=page.language, newline=newline,
        layout=page.layout, removed_lines=page.removed_lines(), head=_head(page),
    )


def _head(page: Page) -> tuple[tuple[str, str], ...]:
    """The article's head lines in page order, each with its role."""
    if not page.parts:
        return ()
    roles = {i: role for role, units in page.parts.items() for i in units}
    return tuple((roles[i], page.lines[i].strip()) for i in sorted(roles))


def clean_text(text: str, config: Config | None = None) -> str:
    """``run(text, config).text``, without building the decisions."""
    page, newline = _process(text, config)
    return assemble(page, newline, (config or DEFAULT).plain)
