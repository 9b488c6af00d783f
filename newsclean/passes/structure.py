"""Find the article from the text alone: classification, main region, headline, end.

The structural passes run on the lines the pattern rules left, as one loop:

1. ``classify`` — each line gets a context-free class from shallow features
   (good prose, near-good, short, furniture), then short and near-good lines
   are revised from their neighbours (jusText's two passes). Inside the
   article, furniture lines go with ``NC911``; runs of list-like lines (a box
   of links or headlines) and title-and-teaser lists go with ``NC912``.
2. ``region`` — lines are scored (content positive, furniture negative) and the
   maximum-sum segment is the article's main region (Pasternack & Roth, 2009);
   lines the pattern rules removed between two lines count against joining
   them. The region's prose is split into blocks; a weak block after the main
   block, or a small one far below it, ends the article. Lines before the
   region (above the headline) go with ``NC902``, after it with ``NC903``.
3. ``headline`` — the headline is a short line before the region that echoes
   the page-title line (the first line) or the first paragraphs, or sits right
   above a byline or dateline; it stays with the dek, bylines and datelines
   under it. Furniture between headline and article goes with ``NC904``.
4. ``ends`` — an end marker after the bulk of the prose ("Comments", "Leave a
   reply", "Related articles") or the first of three comment signatures cuts
   the rest with ``NC921`` (the marker itself with ``NC920``); after a
   "Read also" box the article may resume, and then it is not cut.

Rounds repeat on the lines still kept until nothing changes: first plain
rounds, then rounds that also read the lines earlier passes removed, then plain
rounds again. The result is a fixed point of both, so a cleaned page comes
through unchanged. A safety valve withdraws every structural decision when the
plain rounds would leave almost nothing (``Settings.valve_min_share`` of the
words, or fewer than ``valve_min_words``), and says so in ``page.notes``.

Every decision depends only on the lines kept by the earlier passes (and, in
the second kind of round, on where earlier passes removed lines), never on
blank lines or on where a line stood in the raw page.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain, compress, filterfalse
from operator import not_
from typing import TYPE_CHECKING, Iterable

from .lines import DATELINE_SOURCE, NOTICE, Features, stop_counts, stopwords

if TYPE_CHECKING:
    from ..pipeline import Page
    from ..settings import Settings

CLASSIFY, REGION, HEADLINE, ENDS = "classify", "region", "headline", "ends"
STAGES = (CLASSIFY, REGION, HEADLINE, ENDS)

BEFORE_REGION = "NC902"
AFTER_REGION = "NC903"
PAGE_HEAD = "NC904"
FURNITURE = "NC911"
LIST_IN_ARTICLE = "NC912"
END_MARKER = "NC920"
AFTER_END = "NC921"

BAD, SHORT, NEAR, GOOD = 0, 1, 2, 3
CLASS_NAMES = ("furniture", "short", "near-good", "good")

# Whole-line headings that close an article: comment sections and lists of
# other stories. Matched against the normalised line (see rules.line_key).
_END_MARKER = (
    r"(?:\d+\s+)?(?:comments?|responses?|replies|reactions?|kommentare?|commentaires?|comentarios?|commenti|"
    r"comentários?|komentarze?|reacties?)(?:\s*\(\d+\))?(?:\s+\d+)?"
    r"|(?:leave|post|add|write|submit) (?:a |your |new )?(?:comment|reply|response)s?"
    r"|(?:show|view|read|load|see) (?:all )?(?:\d+ )?comments?"
    r"|join the (?:discussion|conversation)|discussion|conversation|what do you think\??"
    r"|related(?: (?:articles?|stories|posts|content|news|links|coverage|reading|topics|items))?"
    r"|(?:more|latest|other|recent|similar) (?:stories|articles|news|posts|headlines)(?: (?:from|in|on|about) .{1,40})?"
    r"|more (?:from|on|in|about) .{1,40}|(?:you|we) (?:may|might) (?:also|like).{0,30}|also (?:read|see)"
    r"|recommended(?: (?:for you|stories|articles|reading))?|read (?:next|more|also)|most (?:popular|read|viewed|shared|commented)"
    r"|trending(?: now| stories)?|popular (?:stories|articles|posts|now)|what to read next|further reading"
    r"|(?:filed under|tags?|tagged(?: with)?|topics?|categories|schlagwörter|themen|mots-clés|tagi|etiquetas)\s*:?.{0,80}"
    r"|about the author|über den autor|ähnliche artikel|weitere artikel|mehr zum thema|das könnte sie auch interessieren"
    r"|lesen sie auch|auch interessant|à lire aussi|lire aussi|sur le même sujet|voir aussi|articles similaires"
    r"|noticias relacionadas|te puede interesar|leer más|articoli correlati|leggi anche|zobacz (?:też|także)|czytaj (?:też|także|więcej)"
    r"|podobne artykuły|powiązane|gerelateerde artikelen|lees ook|veja também|leia também|notícias relacionadas"
)
# Sentences that open a comment section: "Comments are now closed", "Be the first to comment".
_COMMENT_LEAD = (
    r"(?:comments?|commenting|discussion) (?:are|is|have been|has been) (?:now )?(?:closed|disabled|turned off)"
    r"|(?:the following are |these are )?(?:reader |readers' |readers )?comments (?:from|by|are|posted)"
    r"|be the first to (?:comment|post a comment|leave a comment|review)|(?:your|reader) (?:community|comments|views|reactions)\b"
    r"|(?:have your say|post a comment|add a comment|leave a comment|add your comment|write a comment|join the conversation)"
    r"|(?:\d+|no) (?:comments?|responses?|replies)\b"
    r"|(?:kommentare|kommentarfunktion) (?:sind|ist) (?:geschlossen|deaktiviert)|(?:es gibt )?noch keine kommentare"
    r"|(?:diskutieren sie mit|schreiben sie einen kommentar|kommentar schreiben)"
    r"|(?:les )?commentaires (?:sont )?(?:fermés|clos)|soyez le premier à (?:commenter|réagir)|réagissez"
    r"|(?:los )?comentarios (?:están )?cerrados|sé el primero en comentar|deja (?:un|tu) comentario"
    r"|(?:dodaj|napisz) komentarz|komentarze (?:są )?zamknięte"
)
# The comment-section sentences that cannot stand above an article: not counts ("12 comments").
_COMMENT_OPENER = re.compile(
    r"(?:comments?|commenting|discussion) (?:are|is|have been|has been) (?:now )?(?:closed|disabled|turned off)"
    r"|(?:the following are |these are )?(?:reader |readers' |readers )?comments (?:from|by|are|posted)"
    r"|(?:kommentare|kommentarfunktion) (?:sind|ist) (?:geschlossen|deaktiviert)"
    r"|(?:les )?commentaires (?:sont )?(?:fermés|clos)|(?:los )?comentarios (?:están )?cerrados|komentarze (?:są )?zamknięte"
).match
# Short marker words that can only end an article, never introduce a list inside it.
_COMMENT_MARKER = re.compile(r"(?:\d+\s+)?(?:comments?|kommentare?|commentaires?|comentarios?|commenti|komentarze?|reacties?|responses?)\b|(?:leave|post|add|write|submit) |join the")
_SIGNATURE = re.compile(
    r"\b\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\b(?:says|said|wrote|schreibt|sagt|a écrit|escribió|napisał|napisała)\s*:$"
)
_SIGNATURE_EXACT = frozenset(("reply", "report", "report abuse", "report comment", "permalink", "quote", "antworten",
                              "répondre", "responder", "odpowiedz"))
# An ingredient line of a recipe: a quantity and a unit first ("200 g Mehl", "1 EL Zucker", "2 cups flour").
_INGREDIENT = re.compile(
    r"(?:ca\.\s?|etwa\s|approx\.\s?)?(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔⅛])(?:\s?[½¼¾⅓⅔])?(?:\s?(?:-|–|bis|to)\s?\d+(?:[.,]\d+)?)?\s?"
    r"(?:g|gr|kg|mg|ml|cl|dl|l|el|tl|msp|prisen?|pck|päckchen|packungen?|stück|stk|becher|dosen?|bund|zehen?|scheiben?"
    r"|tassen?|cups?|tbsps?|tsps?|tablespoons?|teaspoons?|oz|ounces?|lbs?|pounds?|pinch|cloves?|sticks?|cans?"
    r"|cucharadas?|cucharaditas?|cuillères?|c\.\s?à\s?[sc]|łyżk[aei]|łyżeczk[aei]|szklank[aii]|dag)\b\.?(?!\s?[%€$£])",
    re.I).match
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|autor|author|posted by|written by|text:)\s", re.I)


def run(page: "Page") -> None:
    settings = page.settings.effective()
    kept = page.kept()
    if not kept:
        return
    feats = Features(page.lines, kept)
    before_words = sum(map(feats.words.__getitem__, kept))
    state = _Loop(page, feats, settings)
    state.fixpoint(context=False)
    after_words = sum(map(feats.words.__getitem__, state.kept()))
    if after_words < before_words and (after_words < settings.valve_min_share * before_words
                                       or after_words < settings.valve_min_words):
        withdrawn = sum(page.undo(stage) for stage in STAGES)
        page.notes.append(
            f"safety valve: the structural passes would keep {after_words:.0f} of {before_words:.0f} words; "
            f"their {withdrawn} decisions were withdrawn"
        )
        page.language = state.language
        return
    # Rounds that also read the removed lines, then plain rounds again, until
    # neither changes anything: the result is a fixed point of both, so a
    # cleaned page (which has no removed lines) comes through unchanged.
    for _ in range(settings.max_rounds):
        if not state.fixpoint(context=True) or not state.fixpoint(context=False):
            break
    page.language = state.language


class _Loop:
    """The structural passes over the lines still kept, repeated to a fixed point."""

    def __init__(self, page: "Page", feats: Features, settings: "Settings") -> None:
        self.page, self.f, self.s = page, feats, settings
        self.language: str | None = None
        self.in_ingredients: set[int] = set()
        self._ingredient: dict[int, bool] = {}
        self._stops_for: str | None = "?"
        self.stops: list[int] = []
        self._removed_prefix: list[int] | None = None
        # End markers and comment signatures among all lines (also those the pattern rules
        # removed), found on first use for the lines asked about (see ``ends_between``).
        self._end_kind: list[int | None] = [None] * len(page.lines)
        self.nonblank = list(compress(range(len(page.lines)), map(not_, page._blank)))
        self._bare: set[int] | None = None  # bare numbers not yet dropped
        self._guess = _LanguageGuess(feats, settings.language_min_hits, settings.language_min_share)
        self._classes: dict[str | None, dict[int, int]] = {}  # context-free classes by language
        self._last_idx: list[int] | None = None
        self._last: tuple[list[int], list[int], list[float]] = ([], [], [])
        self._listy: dict[int, tuple[bool, bool]] = {}  # whether a line is list-like as a short, a near-good line
        self._quantities: set[int] | None = None  # lines opening with a quantity and a unit

    def kept(self) -> list[int]:
        # a removal is a non-empty tuple: ``not`` is true only for the lines kept
        return list(compress(self.nonblank, map(not_, map(self.page.removed.__getitem__, self.nonblank))))

    def fixpoint(self, context: bool) -> bool:
        """Repeat rounds until one changes nothing; whether any round changed something."""
        changed = False
        for _ in range(self.s.max_rounds):
            if not self.round(context):
                break
            changed = True
        return changed

    def round(self, context: bool) -> bool:
        page, f = self.page, self.f
        idx = self.kept()
        # A bare number ("112", "54": a share or comment count, a pager) is furniture, and too
        # little text to weigh in the classification of its neighbours: it is left out of it.
        changed = False
        if self._bare is None:
            digits, tokens, date = f.digits, f.tokens, f.date
            self._bare = {i for i in idx if digits[i] == 1.0 and tokens[i] <= 2 and not date[i]}
        if self._bare:
            counts = [i for i in idx if i in self._bare]
            for i in counts:
                if page.drop(i, FURNITURE, CLASSIFY, "a bare number"):
                    changed = True
                    self._bare.discard(i)
            gone = set(counts)
            idx = [i for i in idx if i not in gone]
        if not idx:
            return changed
        # What depends only on the lines kept (not on ``context``) is reused when they are
        # the same as in the round before (the first round of every fixed point after the first).
        if idx == self._last_idx:
            cf, rev, scores = self._last
        else:
            cf, rev, scores = self._last = self.classify(idx)
            self._last_idx = idx
        return self.apply(idx, cf, rev, scores, context) or changed

    def classify(self, idx: list[int]) -> tuple[list[int], list[int], list[float]]:
        """The context-free classes of the lines ``idx``, their classes revised from their
        neighbours, and their scores (also sets the page's language)."""
        f = self.f
        self.language = self._guess.language(idx)
        if self._stops_for != self.language:
            self.stops = stop_counts(f, self.language)
            self._stops_for = self.language
        # Items of an ingredient list without a quantity ("Salz", "Frischhaltefolie") next to ones with it.
        if self._quantities is None:  # the lines that open with a quantity and a unit, once per page
            digits, ingredient = f.digits, self.ingredient
            self._quantities = {i for i in idx if digits[i] > 0 and ingredient(i)}
        any_ing = not self._quantities.isdisjoint(idx)
        ing = list(map(self._quantities.__contains__, idx)) if any_ing else []
        self.in_ingredients = {i for j, i in enumerate(idx) if not ing[j] and f.words[i] <= 4
                               and (not f.digits[i] or self.page.lines[i].lstrip()[:1].isdigit())
                               and ((j > 0 and ing[j - 1]) or (j + 1 < len(idx) and ing[j + 1]))} if any_ing else set()
        # A line's context-free class depends on the language only (and on whether it
        # stands in an ingredient list): computed once per line and language.
        base = self._classes.get(self.language)
        if base is None:
            base = self._classes[self.language] = {}
        missing = list(filterfalse(base.__contains__, idx))
        if missing:
            base.update(zip(missing, self.context_free(missing)))
        cf = list(map(base.__getitem__, idx))
        # A block mostly made of links (the layout tells, in Markdown) is a menu or a list of other
        # stories: at best short, whatever its words, and judged by its neighbours.
        units = self.page.units
        if units is not None and units.link_share:
            share, most = units.link_share, self.s.link_share
            cf = [SHORT if c > SHORT and share[i] >= most and units.kinds[i] != "heading" else c for i, c in zip(idx, cf)]
        if self.in_ingredients:
            cf = [NEAR if i in self.in_ingredients else c for i, c in zip(idx, cf)]
        rev = revise(cf)
        # An ingredient list (at least three quantities among seven lines) is content wherever it stands.
        if any_ing:
            for j in range(len(idx)):
                if ing[j] and sum(ing[max(0, j - 3):j + 4]) >= 3:
                    rev[j] = GOOD
        return cf, rev, self.scores(idx, cf, rev)

    def apply(self, idx: list[int], cf: list[int], rev: list[int], scores: list[float], context: bool) -> bool:
        """Find the article among the classified lines ``idx`` and drop what is not part of it."""
        page, s = self.page, self.s
        changed = False
        a, b = self.region(idx, scores, context)
        if a < 0:
            return changed
        b0 = b
        a, b, tail_why = self.trim_tail(idx, cf, a, b, context)
        # Lines outside the main region.
        head_keep = self.headline(idx, cf, a, context)
        before = [j for j in range(a) if j not in head_keep]
        after = list(range(b + 1, len(idx)))
        # A lone line that is not plainly furniture, right next to the article,
        # is too little evidence to cut an edge.
        if len(before) == 1 and cf[before[0]] != BAD and not (context and self.gap(idx[before[0]], idx[before[0] + 1])):
            before = []
        if len(after) == 1 and cf[after[0]] != BAD and not (context and self.gap(idx[after[0] - 1], idx[after[0]])):
            after = []
        headline_at = min(head_keep) if head_keep else a
        for j in before:
            # Between the headline and the article: the page head; above the headline: the page's top.
            code = PAGE_HEAD if j > headline_at else BEFORE_REGION
            changed |= page.drop(idx[j], code, HEADLINE if code == PAGE_HEAD else REGION,
                                 self.why(idx[j], cf[j], rev[j]))
        for j in after:
            changed |= page.drop(idx[j], AFTER_REGION, REGION,
                                 self.why(idx[j], cf[j], rev[j], f"{tail_why}; " if tail_why and j <= b0 else ""))
        # Furniture inside the region: furniture lines, and runs of list-like lines (a box of
        # links or headlines: short lines, or lines without a sentence's end). Head lines
        # (byline, dateline) break a run.
        listy = [False] * a + list(map(self.listy, idx[a:b + 1], cf[a:b + 1]))
        j = a
        while j <= b:
            if not listy[j]:
                j += 1
                continue
            k = j
            while k + 1 <= b and listy[k + 1]:
                k += 1
            run_len = k - j + 1
            # The region may open with the headline and its summary lines: not a list.
            opening = j == a and (self.echoes_first_line(idx[j], idx[0])
                                  or (k + 1 <= b and self.is_byline_or_date(idx[k + 1])))
            for m in range(j, k + 1):
                if cf[m] == BAD:
                    changed |= page.drop(idx[m], FURNITURE, CLASSIFY, self.why(idx[m], cf[m], rev[m]))
                elif run_len >= s.list_run and not opening:
                    changed |= page.drop(idx[m], LIST_IN_ARTICLE, CLASSIFY,
                                         self.why(idx[m], cf[m], rev[m], f"{run_len} list-like lines in a row; "))
            j = k + 1
        changed |= self.drop_teasers(idx, cf, a, b)
        if context:
            changed |= self.cut_at_end(idx, cf, a, b)
        return changed

    def is_byline_or_date(self, i: int) -> bool:
        f = self.f
        return f.date[i] or (f.words[i] <= 12 and _BYLINE.match(self.page.lines[i].strip()) is not None)

    def echoes_first_line(self, i: int, first: int) -> bool:
        """Whether line ``i`` is the first line still kept, or its words are found in that line."""
        if i == first:
            return True
        toks = _WORD.findall(self.page.keys[i])
        if not toks:
            return False
        title = set(_WORD.findall(self.page.keys[first]))
        return sum(1 for t in toks if t in title) / len(toks) >= self.s.headline_min_echo

    def ingredient(self, i: int) -> bool:
        """A line of an ingredient list: short, and opening with a quantity and a unit."""
        f = self.f
        if not (f.words[i] <= 15 and 0 < f.digits[i] and not f.links[i]):
            return False
        got = self._ingredient.get(i)
        if got is None:
            got = self._ingredient[i] = _INGREDIENT(self.page.lines[i].strip()) is not None
        return got

    def listy(self, i: int, c: int) -> bool:
        """A line that could be an item of a list: furniture, or short and not a head line, or a title."""
        if c == BAD:
            return True
        if c == GOOD or i in self.in_ingredients:
            return False
        got = self._listy.get(i)
        if got is None:
            f = self.f
            item = not (f.date[i] or (f.words[i] <= 12 and _BYLINE.match(self.page.lines[i].strip()))
                        or self.ingredient(i))
            got = self._listy[i] = (item, item and not f.end[i] and f.words[i] < self.s.list_item_words)
        return got[c != SHORT]

    def drop_teasers(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """Drop lists of teasers: a short title, then one sentence or two, at least ``teaser_pairs`` times in a row."""
        f, s, page = self.f, self.s, self.page
        changed = False
        j = a
        while j < b:
            k = j
            while (k + 1 <= b and cf[k] == SHORT and not f.end[idx[k]] and f.words[idx[k]] >= 2
                   and cf[k + 1] >= NEAR and f.words[idx[k + 1]] <= s.teaser_max_words):
                k += 2
            pairs = (k - j) // 2
            if pairs >= s.teaser_pairs:
                detail = f"{pairs} title-and-teaser pairs in a row"
                for m in range(j, k):
                    changed |= page.drop(idx[m], LIST_IN_ARTICLE, CLASSIFY, detail)
                j = k
            else:
                j += 1
        return changed

    # -- classification -------------------------------------------------
    def context_free(self, lines: list[int]) -> list[int]:
        """The classes of ``lines`` from their own features and the page's language (a line
        standing in an ingredient list, see ``in_ingredients``, is near-good whatever this says).
        One loop with everything bound locally: it runs once per line and language."""
        f, s = self.f, self.s
        words, tokens, digits, copyright, code, links = f.words, f.tokens, f.digits, f.copyright, f.code, f.links
        date, seps, end, cjk, ellipsis, caps, inner = f.date, f.seps, f.end, f.cjk, f.ellipsis, f.caps, f.inner
        stops, ingredient, language, page_lines = self.stops, self.ingredient, self.language, self.page.lines
        digits_share, good_words, good_density, long_words = s.digits_share, s.good_words, s.good_density, s.long_words
        near_density, near_words, caps_menu_share = s.near_density, s.near_words, s.caps_menu_share
        free_good_words = s.free_good_words

        def prose(i: int) -> bool:
            """A long line that reads as prose: a copyright notice or a menu is never one."""
            return (language is not None and words[i] >= long_words and tokens[i] > 0
                    and stops[i] >= good_density * tokens[i])

        out = []
        add = out.append
        for i in lines:
            w = words[i]
            if digits[i] and ingredient(i):
                add(NEAR)
            elif (copyright[i] and not (prose(i) and NOTICE(page_lines[i]) is None)) or code[i] or (links[i] and w < 15):
                # a paragraph about a copyright case is not the page's copyright notice
                add(BAD)
            elif date[i]:
                add(SHORT)
            elif digits[i] > digits_share and w < 15:
                add(BAD)
            elif seps[i] >= 2 and not end[i] and not prose(i):
                # separators make a menu or a breadcrumb; a long run of prose with dashes or
                # slashes in it (and a closing ornament, "❖") is not one
                add(BAD)
            elif language is not None and not cjk[i]:
                t = tokens[i]
                dens = stops[i] / t if t else 0.0
                if w >= good_words and dens >= good_density and (end[i] or w >= long_words):
                    add(GOOD if not ellipsis[i] else NEAR)
                elif w >= long_words and dens >= near_density:
                    add(GOOD if end[i] else NEAR)
                elif w >= near_words and end[i] and dens >= near_density:
                    add(NEAR)
                elif w >= good_words and dens >= good_density:
                    add(NEAR)
                elif w >= near_words and dens == 0 and caps[i] >= caps_menu_share:
                    add(BAD)
                else:
                    add(SHORT)
            # Language-free: length and punctuation only.
            elif w >= free_good_words and (end[i] or inner[i] >= 2):
                add(GOOD if not ellipsis[i] else NEAR)
            elif w >= near_words and end[i]:
                add(NEAR)
            else:
                add(SHORT)
        return out

    def scores(self, idx: list[int], cf: list[int], rev: list[int]) -> list[float]:
        """The score of each line in the main-region search: content positive, furniture negative."""
        s, words = self.s, self.f.words
        good_cap, near_weight, bad_penalty, bad_word_penalty = s.good_cap, s.near_weight, s.bad_penalty, s.bad_word_penalty
        short_penalty = s.short_penalty
        out = []
        add = out.append
        for i, c, r in zip(idx, cf, rev):
            w = words[i]
            if r == GOOD:
                add(min(w, good_cap) if c == GOOD else near_weight * w if c == NEAR else 0.5)
            elif c == BAD:
                add(-(bad_penalty + bad_word_penalty * w))
            elif c == SHORT:
                add(-short_penalty)
            else:
                add(-short_penalty - bad_word_penalty * w)
        return out

    def why(self, i: int, c: int, r: int, prefix: str = "") -> tuple:
        """The reason for dropping line ``i`` of class ``c`` (revised to ``r``), as a
        :data:`~newsclean.pipeline.Detail`: formatted only when it is asked for, from
        what holds now (the language may change in a later round)."""
        f = self.f
        return (_why, prefix, c, r, f.words[i], self.stops[i] if self.language else 0, f.tokens[i])

    # -- region ---------------------------------------------------------
    def region(self, idx: list[int], scores: list[float], context: bool) -> tuple[int, int]:
        """The maximum-sum segment of the lines' ``scores``, as positions in ``idx`` (-1, -1 if none is positive).

        With ``context``, lines earlier passes removed between two kept lines
        count against joining them (a footer's link block, a share bar).
        """
        best, best_a, best_b = 0.0, -1, -1
        cur, cur_a = 0.0, 0
        if not context:
            for j, v in enumerate(scores):
                if cur <= 0:
                    cur, cur_a = v, j
                else:
                    cur += v
                if cur > best:
                    best, best_a, best_b = cur, cur_a, j
            return best_a, best_b
        removed_before = self.removed_prefix()
        gap_penalty, gap_cap = self.s.gap_penalty, self.s.gap_cap
        prev = -1
        for j, (i, v) in enumerate(zip(idx, scores)):
            if cur <= 0:
                cur, cur_a = v, j
            else:
                cur -= gap_penalty * min(removed_before[i] - removed_before[prev + 1], gap_cap)
                cur += v
            if cur > best:
                best, best_a, best_b = cur, cur_a, j
            prev = i
        return best_a, best_b

    def trim_tail(self, idx: list[int], cf: list[int], a: int, b: int, context: bool) -> tuple[int, int, str]:
        """End the region before a weak block of prose that follows the article's main block.

        The region's prose lines form blocks, split wherever two or more other
        lines (short lines, or with ``context`` lines earlier passes removed)
        stand between them. After the block with the most words, a block of
        fewer than ``tail_min_words`` words (a newsletter box, an author's bio,
        a teaser) ends the article.
        """
        f, s = self.f, self.s
        removed = self.removed_prefix() if context and s.tail_gaps else None
        blocks: list[list] = []  # [first, last, words, lines between it and the previous block]
        last = -1
        for j in range(a, b + 1):
            c = cf[j]
            if c < NEAR:
                continue
            w = f.words[idx[j]] * (1.0 if c == GOOD else s.near_weight)
            if last >= 0:
                between = j - last - 1
                if removed is not None:
                    between += removed[idx[j]] - removed[idx[last] + 1]
                if between < 2:
                    blocks[-1][1] = j
                    blocks[-1][2] += w
                    last = j
                    continue
            else:
                between = 0
            blocks.append([j, j, w, between])
            last = j
        if len(blocks) < 2:
            return a, b, ""
        main = max(range(len(blocks)), key=lambda k: blocks[k][2])
        why = ""
        for k in range(main - 1, -1, -1):
            if blocks[k][2] < s.lead_min_words:
                a = blocks[k + 1][0]
                why = f"weak block of {blocks[k][2]:.0f} words before the article"
                break
        for k in range(main + 1, len(blocks)):
            if blocks[k][2] < s.tail_min_words and not any(
                    blocks[m][2] >= s.resume_min_words and blocks[m][3] < s.far_gap for m in range(k + 1, len(blocks))):
                return a, blocks[k - 1][1], f"weak block of {blocks[k][2]:.0f} words after the article"
            if blocks[k][3] >= s.far_gap and blocks[k][2] < s.far_min_share * blocks[main][2]:
                return a, blocks[k - 1][1], (f"block of {blocks[k][2]:.0f} words {blocks[k][3]} lines "
                                             f"after the article")
        return a, b, why

    def removed_prefix(self) -> list[int]:
        """``r[k]`` = how many non-blank lines before line ``k`` an earlier pass removed."""
        if self._removed_prefix is None:
            removed = self.page.removed
            out = [0] * (len(removed) + 1)
            n = 0
            for k, d in enumerate(removed):
                out[k] = n
                if d is not None and d[1] not in STAGES:
                    n += 1
            out[len(removed)] = n
            self._removed_prefix = out
        return self._removed_prefix

    def gap(self, i: int, k: int) -> bool:
        """Whether an earlier pass removed a line between lines ``i`` and ``k``."""
        r = self.removed_prefix()
        return r[k] - r[i + 1] > 0

    # -- headline -------------------------------------------------------
    def headline(self, idx: list[int], cf: list[int], a: int, context: bool) -> set[int]:
        """Positions (in ``idx``) before the region to keep: the headline and the head under it.

        When the page opens with a headline-shaped line and nothing but
        non-furniture lines follow it up to the region (an article that is
        already clean), all of it stays. Otherwise the headline is the nearest
        headline-shaped line before the region whose words echo the page-title
        line (the first line) or the article's first paragraphs; failing that,
        the first headline-shaped line above the dek, byline and dateline.
        Between the headline and the region every line that is not plainly
        furniture stays (dek, byline, dateline, author).

        ``context`` also looks at the lines earlier passes removed: when pattern
        rules cut furniture between the first line and the region, the page did
        not open with its headline.
        """
        f, s, keys = self.f, self.s, self.page.keys
        if a == 0:
            return set()
        # Counts and lone button labels in the head (a share count, a label left in a share bar)
        # neither break the head nor stay with it.
        skip = {j for j in range(a) if self.head_noise(idx, cf, j, context)}
        if (a <= s.headline_window and self.headline_shaped(idx[0], cf[0])
                and all(cf[j] != BAD for j in range(a) if j not in skip)
                and not (context and self.gap(idx[0], idx[a])) and not self.has_list(idx, cf, 1, a)):
            return set(range(a)) - skip
        title = set(_WORD.findall(keys[idx[0]]))
        stops = self._stopset()
        lead: set[str] = set()
        for i in idx[a:a + 3]:
            lead.update(t for t in _WORD.findall(keys[i]) if t not in stops)
        lo = max(0, a - s.headline_window)
        best = -1
        # When the region opens with a headline-like line, no other line is taken for one without an echo.
        first = idx[a]
        opens = not f.end[first] and f.words[first] <= s.headline_max_words
        adjacent = True  # only head lines (dek, byline, dateline) between here and the region so far
        head_seen = False  # ... and at least one of them
        for j in range(a - 1, lo - 1, -1):
            if j in skip:
                continue
            i = idx[j]
            titled = cf[j] == BAD and self.title_cased(i)
            if self.headline_shaped(i, cf[j]) or titled:
                toks = _WORD.findall(keys[i])
                echo = sum(1 for t in toks if t in title) / len(toks) if j else 0.0
                content = [t for t in toks if t not in stops]
                lead_echo = sum(1 for t in content if t in lead) / len(content) if content else 0.0
                if echo >= s.headline_min_echo or lead_echo >= s.headline_min_lead_echo or self.marked_heading(i):
                    best = j
                    break
                if adjacent and head_seen and best < 0 and not opens and not titled:
                    best = j  # remembered; an echoing line further up still wins
            if not self.is_head_line(i, cf[j]) and not self.name_by_date(idx, j):
                adjacent = False
            head_seen = True
        if best < 0:
            return set()
        keep = {best}
        run: list[int] = []  # consecutive short lines that are not head lines: a list, not a head
        for j in range(best + 1, a + 1):
            if j in skip:
                continue
            if j < a and cf[j] != BAD and self.listy(idx[j], cf[j]) and not self.name_by_date(idx, j):
                run.append(j)
                continue
            if len(run) < s.list_run:
                keep.update(run)
            run = []
            if j < a and cf[j] != BAD:
                keep.add(j)
        return keep

    def marked_heading(self, i: int) -> bool:
        """Whether the layout marks line ``i`` as a heading (a Markdown ``#`` heading)."""
        units = self.page.units
        return units is not None and bool(units.kinds) and units.kinds[i] == "heading"

    def has_list(self, idx: list[int], cf: list[int], lo: int, hi: int) -> bool:
        """Whether ``list_run`` list-like lines stand in a row between positions ``lo`` and ``hi`` (exclusive)."""
        run = 0
        for j in range(lo, hi):
            run = run + 1 if self.listy(idx[j], cf[j]) and not self.is_byline_or_date(idx[j]) else 0
            if run >= self.s.list_run:
                return True
        return False

    def head_noise(self, idx: list[int], cf: list[int], j: int, context: bool) -> bool:
        """A line in the page head that is a bare count ("112", "54"), or (with ``context``) a
        one- or two-word label that earlier passes cut on both sides (a button left in a share bar)."""
        f, i = self.f, idx[j]
        if f.tokens[i] <= 2 and f.digits[i] == 1.0 and not f.date[i]:
            return True
        if not context or j == 0 or j + 1 >= len(idx) or f.words[i] > 2 or f.end[i]:
            return False
        if self.is_byline_or_date(i) or self.name_by_date(idx, j):
            return False
        return self.gap(idx[j - 1], i) and self.gap(i, idx[j + 1])

    def name_by_date(self, idx: list[int], j: int) -> bool:
        """A person's name on its own line (two to four capitalised words) next to a date or byline."""
        f, i = self.f, idx[j]
        if not 2 <= f.tokens[i] <= 4 or f.caps[i] < 1.0 or f.digits[i] or f.end[i] or self.stops[i]:
            return False
        return ((j > 0 and self.is_byline_or_date(idx[j - 1]))
                or (j + 1 < len(idx) and self.is_byline_or_date(idx[j + 1])))

    def title_cased(self, i: int) -> bool:
        """A headline in title case without stop words ("Aging Ferries Leave Island Towns Stranded"):
        classed as a menu line, but a headline when its words echo the title or the lead."""
        f = self.f
        return (f.caps[i] >= self.s.caps_menu_share and not f.copyright[i] and not f.code[i] and not f.links[i]
                and f.seps[i] < 2 and f.digits[i] <= self.s.digits_share and self.headline_shaped(i, SHORT))

    def headline_shaped(self, i: int, c: int) -> bool:
        f = self.f
        return (3 <= f.words[i] <= self.s.headline_max_words and c != BAD and not f.ellipsis[i]
                and f.digits[i] <= 0.5 and not _BYLINE.match(self.page.lines[i].strip()))

    def is_head_line(self, i: int, c: int) -> bool:
        """A line that may stand between headline and article: dek, byline, dateline."""
        f = self.f
        if c == GOOD or c == NEAR:
            return f.digits[i] <= 0.2
        line = self.page.lines[i].strip()
        if f.words[i] <= 12 and _BYLINE.match(line):
            return not f.links[i]
        return f.date[i]

    def _stopset(self) -> frozenset[str]:
        return stopwords().get(self.language or "", frozenset())

    # -- article end ----------------------------------------------------
    def ends_between(self, lo: int, hi: int) -> tuple[list[int], list[int]]:
        """The end markers and the comment signatures among the lines after ``lo`` up to
        ``hi``, in order. Each line is looked at once, the first time it is asked about:
        the lines above the article never are."""
        kind, keys = self._end_kind, self.page.keys
        missing = [i for i in range(lo + 1, hi + 1) if kind[i] is None]
        if missing:
            ks = [keys[i] for i in missing]
            for i, k, m in zip(missing, ks, map(_patterns().any_marker, ks)):
                kind[i] = _MARKER if m is not None and len(k) < 200 else 0
            for j in _signatures(ks, [self.page.nwords[i] for i in missing]):
                kind[missing[j]] |= _SIGNATURE_LINE
        span = range(lo + 1, hi + 1)
        return ([i for i in span if kind[i] & _MARKER],  # type: ignore[operator]
                [i for i in span if kind[i] & _SIGNATURE_LINE])  # type: ignore[operator]

    def cut_at_end(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """Cut the region at the first end that follows the bulk of its prose.

        An end is an end-marker heading ("Comments", "Related articles"), or
        the first of at least ``thread_min`` comment signatures (a name with a
        date, "Reply", "2 hours ago") left in the region: a comment thread.
        """
        page, f, s = self.page, self.f, self.s
        if not page.enabled(AFTER_END):
            return False  # a marker alone, without what follows it, is not worth cutting
        # Lines after the region still kept (when the after-region rule is turned off) count too,
        # so that the outcome does not depend on which rules are on.
        b = len(idx) - 1
        start, stop = idx[a], idx[b]
        markers, sigs = self.ends_between(start, stop)
        thread = sigs[: max(0, len(sigs) - s.thread_min + 1)]
        ends = sorted([(m, "") for m in markers]
                      + [(x, f"comment thread, {len(sigs) - k} signatures from here") for k, x in enumerate(thread)])
        if not ends:
            return False
        good = [f.words[i] if cf[j] == GOOD else 0.0 for j, i in enumerate(idx)]
        total = sum(good[a:b + 1])
        if not total:
            return False
        before = 0.0
        j = a
        box_changed = False
        for m, why in ends:
            while j <= b and idx[j] < m:
                before += good[j]
                j += 1
            # A sentence that opens a comment section ("Comments are now closed") ends the article even
            # when the comments under it outweigh the story.
            need = s.end_min_share * total
            if not why and _COMMENT_OPENER(page.keys[m]):
                need = min(need, s.comment_end_min_words)
            if before < need:
                continue
            # The end must follow prose: the nearest longer line above it is good or near-good.
            k = j - 1
            while k >= a and cf[k] == SHORT and j - k <= 3:
                k -= 1
            if k < a or cf[k] < NEAR:
                continue
            # A box of links ("Read also", "Related") inside the story: the article resumes below it.
            if (not why and not _COMMENT_MARKER.match(page.keys[m]) and not _patterns().comment_lead(page.keys[m])
                    and self.resumes(idx, cf, j, b, s.resume_min_words if not self.ends_between(m, len(page.lines) - 1)[0]
                                     else s.resume_before_end_words)):
                # The box's own items (headlines of other stories, up to the prose) go with it.
                items = []
                k = j
                while k <= b and k - j < 6 and cf[k] < GOOD and not f.end[idx[k]] and f.words[idx[k]] >= 3:
                    items.append(idx[k])
                    k += 1
                if items and k <= b and cf[k] == GOOD:
                    detail = f"{len(items)} headlines under {page.keys[m]!r} inside the article"
                    for i in items:
                        box_changed |= page.drop(i, LIST_IN_ARTICLE, ENDS, detail)
                continue
            detail = f"after {page.keys[m]!r}" + (f" ({why})" if why else "") + f"; {before:.0f} of {total:.0f} prose words before it"
            changed = page.drop(m, END_MARKER, ENDS, detail)
            for i in idx[j:b + 1]:
                changed |= page.drop(i, AFTER_END, ENDS, detail)
            return changed | box_changed
        return box_changed

    def resumes(self, idx: list[int], cf: list[int], j: int, b: int, min_words: float) -> bool:
        """Whether prose of at least ``min_words`` follows position ``j`` after a few short lines."""
        f = self.f
        limit = min(b, j + 12)
        while j <= limit and cf[j] < GOOD:
            j += 1
        words = 0.0
        short_run = 0
        while j <= b:
            if cf[j] == GOOD:
                words += f.words[idx[j]]
                short_run = 0
            else:
                short_run += 1
                if short_run >= 2:
                    break
            j += 1
        return words >= min_words


class _LanguageGuess:
    """The page's language from the lines still kept, as :func:`~newsclean.passes.lines.guess_language`
    finds it, kept up to date as lines go: the stop words of each language among the
    kept lines are counted once. The counts of lines removed since are taken off only
    when they could change the answer: each removed stop word lowers a language's count
    by at most one, so when the leader stays ahead (and above the thresholds, or below
    them) by more than the removed lines' stop words, the answer stands as it is."""

    def __init__(self, feats: Features, min_hits: int, min_share: float) -> None:
        self.f, self.min_hits, self.min_share = feats, min_hits, min_share
        lists = stopwords()
        self.codes = feats.languages
        self.lists = [lists[code] for code in self.codes]
        self.hits = [0] * len(self.codes)  # stop words of each language among the lines counted
        self.counted: set[int] = set()  # lines whose stop words ``hits`` counts
        self.pending: set[int] = set()  # counted lines no longer kept, not yet taken off

    def _add(self, lines: "Iterable[int]", sign: int) -> None:
        counts = Counter(chain.from_iterable(map(self.f.stops.__getitem__, lines)))
        hits = self.hits
        for k, words in enumerate(self.lists):
            hits[k] += sign * sum(map(counts.__getitem__, words.intersection(counts)))

    def language(self, idx: list[int]) -> str | None:
        """The language of the lines ``idx``, or None when no stop-word list is hit enough."""
        now = set(idx)
        new = now - self.counted
        if new:
            self._add(new, 1)
            self.counted |= new
        self.pending = (self.counted - now) if self.pending or len(self.counted) > len(now) else set()
        total = sum(map(self.f.tokens.__getitem__, idx))
        if self.pending:
            slack = sum(map(len, map(self.f.stops.__getitem__, self.pending)))
            got = self._decide(total, slack)
            if got is not _UNSURE:
                return got  # type: ignore[return-value]
            self._add(self.pending, -1)
            self.counted -= self.pending
            self.pending = set()
        return self._decide(total, 0)  # type: ignore[return-value]

    def _decide(self, total: int, slack: int) -> "str | None | object":
        """The answer if every language's count may be up to ``slack`` lower than ``hits``
        says (``_UNSURE`` when that could change it)."""
        hits = self.hits
        top = max(hits)
        if top == 0 or top < self.min_hits or top < self.min_share * total:
            return None  # the true counts are no higher
        b = hits.index(top)
        low = top - slack
        if low <= 0 or low < self.min_hits or low < self.min_share * total:
            return _UNSURE
        if any(h >= low for h in hits[:b]) or any(h > low for h in hits[b + 1:]):
            return _UNSURE
        return self.codes[b]


_UNSURE = object()


_MARKER, _SIGNATURE_LINE = 1, 2  # bits of _Loop._end_kind


def _signatures(keys: list[str], nwords: list[int]) -> list[int]:
    """The positions of the ``keys`` that look like a comment's signature: "Anna, 3 May 2024 at 9:14 pm",
    "2 hours ago", "Anna said:", or a lone "Reply". Only short lines that do not end
    a sentence qualify; the large pattern runs only on those with a digit or a final
    colon (it cannot match the others), all in C-level loops."""
    short = [i for i, k in enumerate(keys) if 0 < len(k) < 100 and k[-1] not in ".!?" and nwords[i] <= 12]
    ks = list(map(keys.__getitem__, short))
    maybe = list(map(_MAYBE_DATED, ks))
    dated = compress(compress(short, maybe), map(_patterns().dated_signature, compress(ks, maybe)))
    return sorted({*dated, *compress(short, map(_SIGNATURE_EXACT.__contains__, ks))})


_MAYBE_DATED = re.compile(r"\d|:\Z").search


class _Patterns:
    """The large patterns, compiled on first use so that importing the pass stays cheap.

    They run on keys, which are lowercased: no pattern needs to ignore case.
    """

    def __init__(self) -> None:
        self.dated_signature = re.compile(f"{_SIGNATURE.pattern}|{DATELINE_SOURCE}").search
        self.comment_lead = re.compile(_COMMENT_LEAD).match
        # One pass for both kinds of end markers: whole-line headings and comment-section sentences.
        self.any_marker = re.compile(rf"(?:{_END_MARKER})\Z|{_COMMENT_LEAD}").match


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


_WORD = re.compile(r"\w+")




def _why(prefix: str, c: int, r: int, words: float, stops: int, tokens: int) -> str:
    dens = stops / tokens if tokens else 0.0
    rv = "" if r == c else f"->{CLASS_NAMES[r]}"
    return f"{prefix}{CLASS_NAMES[c]}{rv}; words {words:.0f}, stop {dens:.2f}"


_REACH = 6  # how far (in lines) revise looks for a line's neighbour


def revise(cf: list[int]) -> list[int]:
    """jusText's context-sensitive pass: short and near-good lines take their neighbours' class.

    A line's neighbour on one side is the nearest good or bad line (or, where
    near-good lines count, the nearest line that is not short) at most six lines
    away, and bad when there is none; one pass each way finds them for all lines."""
    n = len(cf)
    out = list(cf)
    if SHORT not in cf and NEAR not in cf:
        return out
    reach = _REACH
    # left[j] / left_any[j]: the neighbour before line j (good or bad / any but short)
    left, left_any = [BAD] * n, [BAD] * n
    gb = ns = -reach - 1
    for j, c in enumerate(cf):
        if j - gb <= reach:
            left[j] = cf[gb]
        if j - ns <= reach:
            left_any[j] = cf[ns]
        if c != SHORT:
            ns = j
            if c != NEAR:
                gb = j
    right, right_any = [BAD] * n, [BAD] * n
    gb = ns = n + reach
    for j in range(n - 1, -1, -1):
        if gb - j <= reach:
            right[j] = cf[gb]
        if ns - j <= reach:
            right_any[j] = cf[ns]
        c = cf[j]
        if c != SHORT:
            ns = j
            if c != NEAR:
                gb = j
    # Short lines first, judged by the nearest good or bad lines around them.
    j = 0
    while j < n:
        if cf[j] != SHORT:
            j += 1
            continue
        k = j
        while k + 1 < n and cf[k + 1] == SHORT:
            k += 1
        prev, nxt = left[j], right[k]
        if prev == GOOD and nxt == GOOD:
            c = GOOD
        elif prev == BAD and nxt == BAD:
            c = BAD
        else:
            c = BAD if (left_any[j] == BAD or right_any[k] == BAD) else GOOD
        out[j:k + 1] = [c] * (k - j + 1)
        j = k + 1
    # Near-good lines: bad only when furniture is on both sides.
    for j, c in enumerate(cf):
        if c == NEAR:
            out[j] = BAD if left[j] == BAD and right[j] == BAD else GOOD
    return out
