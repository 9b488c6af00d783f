"""Find the article from the text alone: classification, main region, headline, end.

The structural passes run on the lines the pattern rules left, as one loop:

1. ``classify`` — each line gets a context-free class from shallow features
   (good prose, near-good, short, furniture), then short and near-good lines
   are revised from their neighbours (jusText's two passes). Lists that
   continue the article's prose (numbered items, bullets, Q&A, items under a
   lead-in with a colon) and embedded posts are content however short their
   lines. Inside the article, furniture lines go with ``NC911``; runs of
   list-like lines (a box of links or headlines), title-and-teaser lists and
   cards of other stories (a title, a summary and meta lines, the same shape
   three times in a row) go with ``NC912``.
2. ``region`` — lines are scored (content positive, furniture negative) and the
   maximum-sum segment is the article's main region (Pasternack & Roth, 2009);
   lines the pattern rules removed between two lines count against joining
   them. The region is anchored at the headline (the first line that repeats
   the page title): a stronger block elsewhere (a disclaimer, a comment
   thread) does not take it from the text under the headline, and prose above
   a headline that stands over its byline is not the article. The region's
   prose is split into blocks; a weak block after the main block, or a small
   one far below it, ends the article. Lines before the region (above the
   headline) go with ``NC902``, after it with ``NC903``.
3. ``headline`` — the headline is a short line before the region that echoes
   the page-title line (the first line) or the first paragraphs, or sits right
   above a byline or dateline; it stays with the dek, bylines and datelines
   under it. Furniture between headline and article goes with ``NC904``. The
   head's lines are recorded by role (``Page.parts``: headline, dek, byline,
   date); with ``Settings.body_only`` they go with ``NC905``.
4. ``ends`` — an end marker after the bulk of the prose ("Comments", "Leave a
   reply", "Related articles") or the first of three comment signatures cuts
   the rest with ``NC921`` (the marker itself with ``NC920``); a comment
   heading with commenters under it, or a thread of named signatures, ends
   even a short article; after a "Read also" box the article may resume, and
   then it is not cut. Embedded-post attributions and a live blog's time
   stamps are not signatures. What closes an article without being part of
   it (appeals, long bios, post footers, legal text, an "About us" box) goes
   with ``NC922``.

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

import operator
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from itertools import chain, compress, filterfalse, repeat
from operator import itemgetter, not_
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .lines import _DATE_BY_MONTH, _MONTH_WORDS, _MONTHS, DATELINE_SOURCE, NOTICE, Features, dateline, stop_counts, stopwords

if TYPE_CHECKING:
    from ..pipeline import Page
    from ..settings import Settings

CLASSIFY, REGION, HEADLINE, ENDS = "classify", "region", "headline", "ends"
STAGES = (CLASSIFY, REGION, HEADLINE, ENDS)

BEFORE_REGION = "NC902"
AFTER_REGION = "NC903"
PAGE_HEAD = "NC904"
ARTICLE_HEAD = "NC905"
FURNITURE = "NC911"
LIST_IN_ARTICLE = "NC912"
END_MARKER = "NC920"
AFTER_END = "NC921"
CLOSING = "NC922"

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
# What closes an article without being part of it (matched against the normalised line, at the
# article's tail only): calls to act, author bios, credits, post footers, legal text.
_CLOSING = (
    # calls to act: subscribe, follow, support, download, contact, tell us
    r"(?:please |why not |be sure to |don't forget to |make sure to )?(?:sign up|subscribe|register|follow (?:us|me|him|her|them|our|the|along|@)"
    r"|like (?:us|the \w+|our \w+) on|join (?:us|our|the (?:conversation|discussion|community|club))|download (?:our|the|it|now)"
    r"|get (?:our|the|your|this|a) (?:free )?(?:app|newsletter|copy|e-?book|guide|updates)|support (?:us|our|independent|quality|local|this)"
    r"|donate|become a (?:member|patron|subscriber|supporter|fan)|contact (?:us|the (?:author|editors?|newsroom))"
    r"|e-?mail us|write to us|try our|(?:receive|get) (?:our|the) (?:[\w-]+ ){0,3}(?:newsletter|updates|alerts|briefing)"
    r"|stay (?:on top of|up to date|informed|in the loop)|wir informieren sie|abonnieren sie|folgen sie uns|melden sie sich"
    r"|unterstützen sie|suivez-nous|abonnez-vous|inscrivez-vous|síguenos|suscríbete|seguici|iscriviti)\b"
    r"|(?:to receive|to get|for more|if you (?:enjoyed|liked|found|want|have)|you can (?:also )?(?:follow|reach|contact|email|subscribe|sign up|find)"
    r"|do you have (?:more )?information|(?:have|got) a (?:news )?tip|questions\? comments\?)\b.{0,160}"
    r"\b(?:sign up|subscribe|follow|contact|e-?mail|newsletter|feed|twitter|facebook|instagram|click|app|editors?|tip|us)\b"
    r"|follow (?:[\w.'’@-]+ ){1,4}on (?:twitter|facebook|instagram|linkedin|mastodon|threads|bluesky)"
    # author boxes, the story's earlier life, photo credits
    r"|(?:about the (?:author|writer|authors)|über den autor|über die autorin|à propos de l'auteur|sobre el autor|o autorze)\b"
    r"|(?:hi|hello|hey),? i'?m |view all posts by\b|more (?:posts|articles|stories) by\b"
    r"|a version of this (?:article|story|post)|this (?:article|story|post) (?:was|has been|first|originally) (?:published|appeared|updated|written|produced|corrected|adapted)"
    r"|originally (?:published|posted|appeared)|(?:photos?|images?|pictures?|graphics?|illustrations?|via|h/t|hat tip)\s*(?::|by\b)"
    # post footers
    r"|(?:posted|published|filed|written|tagged|updated|last (?:updated|modified)) (?:on|in|by|at|under|with)\b.{0,250}"
    r"|(?:previous|next)(?: (?:post|article|entry|story))?\s*:|(?:previous|next) (?:post|article|entry|story)\b|permalink\b"
    r"|you can follow any responses to this entry|by [\w.'’ -]{2,40}?(?: \||,| on| at| -) .{0,40}\d.{0,80}\Z"
    # the heading of a disclaimer or of a box about the publisher
    r"|disclaimer\b|(?:the )?(?:views|opinions) expressed\b|haftungsausschluss\b|about (?:us|[\w&.'’ -]{2,40})\Z"
)
# The heading of a box that closes an article: about the author or the publisher, legal notes.
_CLOSING_HEADING = (
    r"about (?:the )?(?:author|authors|writer|us|[\w&.'’ -]{2,40})\Z|(?:über (?:den autor|die autorin|uns)|à propos(?: de l'auteur| de nous)?"
    r"|sobre (?:el autor|nosotros)|o autorze|o nas|(?:important|legal) (?:information|notice|notes?)|disclaimer|risk warning"
    r"|haftungsausschluss|rechtliche hinweise|mentions légales|aviso legal)\s*:?\Z"
)
# Parts of ``_CLOSING_ANYWHERE``'s phrases (a quick test before the search).
_ANYWHERE_STEMS = ("personal", "rights", "rechte", "droits", "may not be", "reflect", "represent", "intended",
                   "to be taken", "to be construed", "should not be", "purposes only", "forward-looking", "commission",
                   "compensation", "javascript", "can be")
# Legal text and contact lines ("Ann Lee can be reached at ..."), wherever they stand in the line.
_CLOSING_ANYWHERE = (
    r"this copy is for your personal|personal,? non-?commercial use|all rights reserved|alle rechte vorbehalten|tous droits réservés"
    r"|may not be (?:published|reproduced|copied|republished|redistributed|rewritten|broadcast)"
    r"|do(?:es)? not (?:necessarily )?(?:reflect|represent) the (?:views|opinions|position)|(?:is|are) not (?:intended|to be (?:construed|taken)) as"
    r"|should not be (?:taken|construed|relied (?:up)?on) as|for (?:general )?information(?:al)? purposes only|forward-looking statements"
    r"|(?:we|i) (?:may )?(?:earn|receive) (?:a )?(?:small )?(?:commission|compensation)|javascript is (?:not enabled|disabled|required)"
    r"|please enable javascript|\bcan be (?:reached|contacted|followed|emailed) (?:at|on|via|by)\b"
)
# Parts of words one of ``_LEGAL_CUES`` holds (a quick test before the search).
_LEGAL_STEMS = ("advice", "liab", "respons", "warrant", "guarant", "permitted", "performance", "accuracy",
                "completeness", "terms", "policy", "jurisdiction", "permission", "consent", "notice", "affiliat",
                "indicative", "consult", "constitu", "offer", "solicitation", "haftung", "gewähr", "anlageberatung",
                "stellt keine", "costituisce", "representation", "conditions")
# Phrases of legal fine print; a line holding two of them is legal text ("... does not constitute
# investment advice ... we accept no liability ...").
_LEGAL_CUES = (
    r"\b(?:(?:does|do|shall) not constitute|not (?:an )?(?:offer|solicitation)|(?:investment|legal|tax|financial|medical|professional) advice"
    r"|(?:accept|assume)s? no (?:liability|responsibility)|(?:no|without) (?:representation|warranty|warranties|guarantee)"
    r"|(?:liable|liability) for|to the (?:fullest|maximum) extent permitted|(?:past|historical) performance|(?:accuracy|completeness) of"
    r"|(?:terms|conditions) of (?:use|service|sale)|(?:privacy|cookie) (?:policy|notice)|in any jurisdiction|without (?:prior )?(?:written )?"
    r"(?:permission|consent)|subject to change without notice|affiliates|indicative only|consult (?:a|your) (?:qualified|professional|financial)"
    r"|keine (?:haftung|gewähr|anlageberatung)|ohne gewähr|stellt keine|ne constitue (?:pas|en aucun cas)|aucune responsabilité"
    r"|no constituye|ninguna responsabilidad|non costituisce|nessuna responsabilità)"
)
# An author's bio: "Ann Lee is a freelance writer who ...", "Ann Lee covers transport for ...". A one-sentence
# staff line of a news story ("Ann Lee is a reporter for The Harbour Times.") is part of the story; a longer
# bio (two sentences or more, or ``bio_min_words``) closes it.
_BIO = (
    r"(?:[\w.'’ -]{2,50}?(?: \(@\w+\))?) (?:is|was) (?:a|an|the|our|one of) (?:[\w'’-]+ ){0,7}?"
    r"(?:writer|reporter|journalist|editor|correspondent|columnist|author|contributor|blogger|photographer|producer|founder|co-?founder"
    r"|ceo|president|host|student|professor|researcher|scientist|analyst|consultant|designer|developer|specialist|lawyer|attorney|intern"
    r"|fellow|expert|coach|manager|member|addict|enthusiast|fan|geek|freelancer)s?\b"
    r"|[\w.'’ -]{2,40}? (?:writes|covers|reports|blogs) (?:about|on|for|from)\b"
)
# The items of a list in an article: "1. Earlier boats", "Step 2: Fold the dough", "• Bikes go free",
# "Price: £18". A time ("1:30") and a decimal ("3.5") are not numbers of items.
_NUMBERED = re.compile(r"\s*(?:(?:step|schritt|étape|paso|krok|punkt|no\.?|nr\.?|#)\s*)?(\d{1,2})(?:[.)](?!\d)|:(?!\d)|\s+[-–—])\s*\S",
                       re.I).match
_BULLET_CHARS = "•·▪◦‣●■□➤►▸✓✔*+–—-"
# Where a line may open a list item (see ``_Loop.list_starts``): a digit, a bullet, "Step 2", "Q:";
# and the first characters these may have.
_ITEM_START = re.compile(
    rf"\s*(?:[0-9#{re.escape(_BULLET_CHARS)}]|(?:step|schritt|étape|paso|krok|punkt|no\.?|nr\.?)\s*\d"
    rf"|(?:q|a|f|r|p|o|question|answer|frage|antwort|réponse|pregunta|respuesta|pytanie|odpowiedź)\s*[:.]\s)", re.I).match
_ITEM_FIRSTS = frozenset("0123456789#" + _BULLET_CHARS + "sénqafrpokSÉNQAFRPOK")
_BULLET = re.compile(rf"\s*[{_BULLET_CHARS}](?:\s|\Z)").match
_QA = re.compile(r"\s*(?:q|a|f|r|p|o|question|answer|frage|antwort|réponse|pregunta|respuesta|pytanie|odpowiedź)\s*[:.]\s+\S", re.I).match
_LABEL = re.compile(r"\s*[^\s:][^:]{0,38}:\s+\S").match
# An ingredient line of a recipe: a quantity and a unit first ("200 g Mehl", "1 EL Zucker", "2 cups flour").
_INGREDIENT = re.compile(
    r"(?:ca\.\s?|etwa\s|approx\.\s?)?(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔⅛])(?:\s?[½¼¾⅓⅔])?(?:\s?(?:-|–|bis|to)\s?\d+(?:[.,]\d+)?)?\s?"
    r"(?:g|gr|kg|mg|ml|cl|dl|l|el|tl|msp|prisen?|pck|päckchen|packungen?|stück|stk|becher|dosen?|bund|zehen?|scheiben?"
    r"|tassen?|cups?|tbsps?|tsps?|tablespoons?|teaspoons?|oz|ounces?|lbs?|pounds?|pinch|cloves?|sticks?|cans?"
    r"|cucharadas?|cucharaditas?|cuillères?|c\.\s?à\s?[sc]|łyżk[aei]|łyżeczk[aei]|szklank[aii]|dag)\b\.?(?!\s?[%€$£])",
    re.I).match
# A dateline of the article, not a commenter's signature: "Updated July 23, 2012", "Published: 10:42".
_DATELINE_LEAD = re.compile(r"(?:last )?(?:updated|published|posted|modified|date|aktualisiert|veröffentlicht|stand|mis à jour|publié|"
                            r"actualizado|publicado|aggiornato|pubblicato)\b(?! by)").match
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|autor|author|posted by|written by|text:)\s", re.I)


def run(page: "Page") -> None:
    settings = page.settings.effective()
    kept = page.kept()
    if not kept:
        return
    feats = Features(page.lines, kept)
    before_words = sum(map(feats.words.__getitem__, kept))
    state = _Loop(page, feats, settings, kept)
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
    page.parts = state.head_parts()
    if settings.body_only:
        for role in ("headline", "dek", "byline", "date"):
            for i in page.parts.get(role, ()):
                page.drop(i, ARTICLE_HEAD, HEADLINE, f"the article's {role}, left out of its body")


class _Loop:
    """The structural passes over the lines still kept, repeated to a fixed point."""

    def __init__(self, page: "Page", feats: Features, settings: "Settings", start: list[int]) -> None:
        self.page, self.f, self.s = page, feats, settings
        # the lines kept when the pass starts: lines only go from here on, so every round's
        # lines are among them
        self.start = start
        self._joined: str | None = None  # their keys as one text (see ``holding``)
        self.language: str | None = None
        self.in_ingredients: set[int] = set()
        self.in_lists: set[int] = set()  # lines of lists that continue the article's prose (see ``article_lists``)
        self._ingredient: dict[int, bool] = {}
        self._stops_for: str | None = "?"
        self.stops: list[int] = []
        self._removed_prefix: list[int] | None = None
        # End markers and comment signatures among all lines (also those the pattern rules
        # removed), in order, found on first use for the lines asked about: the lines looked
        # at are one span (see ``ends_between``).
        self._markers: list[int] = []
        self._signatures: list[int] = []
        self._ends_read = (0, 0)  # the span of lines looked at (first, after the last)
        self.nonblank = list(compress(range(len(page.lines)), map(not_, page._blank)))
        self._bare: set[int] | None = None  # bare numbers not yet dropped
        self._guess = _LanguageGuess(feats, settings.language_min_hits, settings.language_min_share)
        self._classes: dict[str | None, dict[int, int]] = {}  # context-free classes by language
        self._last_idx: list[int] | None = None
        self._last: tuple[list[int], list[int], list[float]] = ([], [], [])
        self._listy: dict[int, tuple[bool, bool]] = {}  # whether a line is list-like as a short, a near-good line
        self._quantities: set[int] | None = None  # lines opening with a quantity and a unit
        self._echoes: tuple[int, set[int]] | None = None  # the title line and the lines repeating it
        self._echo_pos: tuple[list[int] | None, list[int]] = (None, [])  # their positions in the last idx
        self.head: list[int] = []  # the head lines (headline, dek, byline, date) the last round kept
        self.body_start = -1  # the first line of the region the last round found
        self._closing: dict[int, bool] = {}  # whether a line closes an article (see ``is_closing``)
        self._legal: dict[int, bool] = {}  # whether a line is legal text (see ``is_legal``)
        self._item_marks: dict[int, str] = {}  # how a line opens as a list item (see ``item_mark``)
        self._meta: set[int] = set()  # the meta lines of cards (see ``meta_lines``) ...
        self._meta_seen: set[int] = set()  # ... among the lines looked at ...
        self._meta_for: str | None = "?"  # ... for this language
        self._cards_read = False  # whether a round looked for cards
        self._list_starts: list[int] | None = None  # lines that may open or lead in a list item
        self._embeds: set[int] | None = None  # attribution lines of embedded posts
        self._key_counts: Counter[str] | None = None  # how often the page holds each line's text
        self._titles: dict[int, bool] = {}  # whether a line may be a teaser's title (see ``teaser_title``)

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
            counts = list(compress(idx, map(self._bare.__contains__, idx)))
            for i in counts:
                if page.drop(i, FURNITURE, CLASSIFY, "a bare number"):
                    changed = True
                    self._bare.discard(i)
            idx = list(filterfalse(set(counts).__contains__, idx))
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
            # (only the lines holding a digit are looked at: picked by C-level loops)
            self._quantities = set(filter(ingredient, compress(idx, map(digits.__getitem__, idx))))
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
        self.in_lists = self.article_lists(idx, cf) | self.embedded_posts(idx)
        # their positions in idx (all of them are there; idx is sorted)
        at = list(map(bisect_left, repeat(idx), self.in_lists))
        if at:
            cf = cf.copy()
            for j in at:
                cf[j] = NEAR
        rev = revise(cf)
        for j in at:
            rev[j] = GOOD
        # An ingredient list (at least three quantities among seven lines) is content wherever it stands.
        if any_ing:
            for j in range(len(idx)):
                if ing[j] and sum(ing[max(0, j - 3):j + 4]) >= 3:
                    rev[j] = GOOD
        return cf, rev, self.scores(idx, cf, rev)

    def article_lists(self, idx: list[int], cf: list[int]) -> set[int]:
        """The lines of lists that continue the article's prose: right under a line of prose
        (with nothing an earlier pass removed between), numbered items in sequence ("1." then
        "2."), bullets, "label: value" rows, or any short items under a lead-in that ends with
        a colon. They are content however short their lines are, up to the first line that is
        not an item (a link, markup, an end marker, prose after the last item)."""
        f, lines = self.f, self.page.lines
        near = self.s.near_words
        starts = self.list_starts()
        out: set[int] = set()
        done = 0
        # only where a line opens as an item or follows a lead-in with a colon (found by bisection: idx is sorted)
        n = len(idx)
        hits = [j for j, i in zip(map(bisect_left, repeat(idx), starts), starts) if j < n and idx[j] == i]
        for j in sorted({j for j in hits if j} | {j + 1 for j in hits if j + 1 < n}):
            if j < done:
                continue
            lead, first = idx[j - 1], idx[j]
            colon = lines[lead].rstrip().endswith(":")
            if not colon and (cf[j - 1] < NEAR or not self.item_mark(first)):
                continue  # the quick tests first
            # a lead-in: prose, or a heading that ends with a colon right
            # under the article's prose ("Ingredients:", "What you need:")
            heading = (colon and f.words[lead] <= 4 and j >= 2 and cf[j - 2] == GOOD and not self.gap(idx[j - 2], lead)
                       and not _patterns().any_marker(self.page.keys[lead]))
            if (cf[j - 1] < NEAR or f.words[lead] < near) and not heading:
                continue
            if self.gap(lead, first) or self.repeated(lead):
                continue
            k = self.list_end(idx, cf, j, colon)
            if k > j:
                out.update(idx[j:k])
                done = k
        return out

    def embedded_posts(self, idx: list[int]) -> set[int]:
        """Posts embedded in the article: an attribution ("— Ann Lee (@annlee) May 3, 2031",
        "A post shared by …") and the post's text above it. They are part of the story."""
        if self._embeds is None:
            lines = self.page.lines
            self._embeds = {i for i in {*self.holding("@"), *self.holding("shared by")} if _EMBED_LINE(lines[i])}
        if not self._embeds:
            return set()
        out = set()
        for i in self._embeds:
            j = bisect_left(idx, i)
            if j < len(idx) and idx[j] == i:
                out.add(i)
                if j > 0 and not self.f.links[idx[j - 1]]:
                    out.add(idx[j - 1])
        return out

    def holding(self, needle: str) -> list[int]:
        """The lines kept at the start whose keys hold ``needle`` (which holds no line break), in
        order: found in their keys joined into one text, one search per line found."""
        if self._joined is None:
            self._joined = "\n".join(map(self.page.keys.__getitem__, self.start))
        text, start = self._joined, self.start
        found: list[int] = []
        line = last = 0
        pos = text.find(needle)
        while pos >= 0:
            line += text.count("\n", last, pos)  # the line the hit stands on
            found.append(start[line])
            last = text.find("\n", pos)
            if last < 0:
                break
            pos = text.find(needle, last)
        return found

    def list_starts(self) -> list[int]:
        """The lines that may open an item of a list or lead one in: they open with a digit, a
        bullet, "Step 2" or "Q:", or end with a colon (C-level loops; the pattern runs only on
        the lines whose first character may open an item)."""
        if self._list_starts is None:
            # only the lines kept at the start: every round's lines are among them
            lines, start = self.page.lines, self.start
            texts = list(map(lines.__getitem__, start))
            maybe = list(compress(start, map(_ITEM_FIRSTS.__contains__, map(itemgetter(slice(1)), map(str.lstrip, texts)))))
            opens = compress(maybe, map(_ITEM_START, map(lines.__getitem__, maybe)))
            inner = list(compress(start, map(self.f.inner.__getitem__, start)))  # a colon is inner punctuation
            colons = compress(inner, map(str.endswith, map(str.rstrip, map(lines.__getitem__, inner)), repeat(":")))
            self._list_starts = sorted({*opens, *colons})
        return self._list_starts

    def repeated(self, i: int) -> bool:
        """Whether the page holds line ``i``'s text more than once."""
        if self._key_counts is None:
            self._key_counts = Counter(map(self.page.keys.__getitem__, self.nonblank))
        return self._key_counts[self.page.keys[i]] > 1

    def item_mark(self, i: int) -> str:
        """How line ``i`` opens as a list item: "n" numbered, "b" a bullet, "q" a question or an answer,
        "l" a label ("Price: £18", an item only under a lead-in that ends with a colon), "" none."""
        got = self._item_marks.get(i)
        if got is None:
            line = self.page.lines[i]
            got = ("n" if _NUMBERED(line) else "b" if _BULLET(line) else "q" if _QA(line)
                   else "l" if self.f.words[i] <= 30 and _LABEL(line) else "")
            self._item_marks[i] = got
        return got

    def list_end(self, idx: list[int], cf: list[int], j: int, colon: bool) -> int:
        """The position after the last item of a list starting at position ``j`` (``j`` when there is none)."""
        f, lines, keys = self.f, self.page.lines, self.page.keys
        numbers: list[int] = []
        counts: Counter[str] = Counter()
        titled = 0  # items in title case: headlines
        end = j
        desc = 0
        m = j
        while m < len(idx) and m - j < self.s.list_max_lines:
            i = idx[m]
            if ((m > j and self.gap(idx[m - 1], i)) or f.links[i] or f.code[i] or f.copyright[i] or f.seps[i] >= 2
                    or self.repeated(i)):
                break  # a link, markup, a menu row, or a line the page repeats (a box it shows more than once)
            if _patterns().any_marker(keys[i]):
                break
            mark = self.item_mark(i)
            if mark in ("n", "b") and f.caps[i] >= self.s.caps_menu_share and f.tokens[i] >= 4 and not f.end[i]:
                titled += 1
            if mark == "n":
                v = int(_NUMBERED(lines[i]).group(1))  # type: ignore[union-attr]
                if numbers and abs(v - numbers[-1]) != 1:
                    break
                numbers.append(v)
            if f.ellipsis[i] or (mark == "l" and not colon):
                break  # a teaser ("Vista: all the coverage..."), a label outside a lead-in's list
            if colon and not mark and m > j and (f.date[i] or lines[i].rstrip().endswith(":")):
                break  # a dateline, or the heading of another part
            if mark or (colon and cf[m] != GOOD and f.words[i] <= self.s.list_item_words
                        and (not f.end[i] or f.words[i] <= 12)):
                counts[mark or "i"] += 1
                end, desc = m + 1, 0
            elif numbers and cf[m] != BAD and desc < 3:
                desc += 1  # the description under a numbered item
                end = m + 1
            else:
                break
            m += 1
        items = len(numbers) + counts["b"] + counts["l"] + counts["i"]
        if not colon and 2 * titled > len(numbers) + counts["b"]:
            return j  # a box of other stories' headlines, numbered or bulleted
        if len(numbers) >= 2 or counts["b"] >= 3 or counts["q"] >= 2 or (colon and items >= 2):
            return end
        return j

    def apply(self, idx: list[int], cf: list[int], rev: list[int], scores: list[float], context: bool) -> bool:
        """Find the article among the classified lines ``idx`` and drop what is not part of it."""
        page, s = self.page, self.s
        changed = False
        a, b = self.region(idx, scores, context)
        if a < 0:
            return changed
        # Cards of other stories go from the region down (looked for in the first round); the
        # region is then found without them.
        if not self._cards_read:
            self._cards_read = True
            if self.drop_cards(idx, cf, a, len(idx) - 1):
                return True
        a, b = self.anchor(idx, scores, a, b, context)
        a0 = a
        a = self.headline_start(idx, a, b)
        b0 = b
        a, b, tail_why = self.trim_tail(idx, cf, a, b, context)
        # Lines outside the main region (when the region starts at its headline, all of them).
        head_keep = self.headline(idx, cf, a, context) if a == a0 else set()
        self.head = [idx[j] for j in sorted(head_keep)]  # the article's head, as this round found it ...
        self.body_start = idx[a]  # ... and where its body starts
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
        listy = [False] * a + list(map(self.listy, idx[a:b + 1], cf[a:b + 1])) + [False]  # (False ends the last run)
        # each run of list-like lines: from a list-like line after one that is not (listy[-1] is
        # False) up to the next line that is not (found by ``index``, in C)
        for j in [j for j in compress(range(a, b + 1), listy[a:b + 1]) if not listy[j - 1]]:
            k = listy.index(False, j) - 1
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
        changed |= self.drop_teasers(idx, cf, a, b)
        if context:
            changed |= self.cut_at_end(idx, cf, a, b)
        changed |= self.drop_closing(idx, cf, a, b)
        return changed

    def is_legal(self, i: int) -> bool:
        """Whether line ``i`` is legal text (see ``_CLOSING_ANYWHERE`` and ``_LEGAL_CUES``)."""
        got = self._legal.get(i)
        if got is None:
            key = self.page.keys[i]
            got = self._legal[i] = (
                (any(map(key.__contains__, _ANYWHERE_STEMS)) and _patterns().closing_anywhere(key) is not None)
                or (any(map(key.__contains__, _LEGAL_STEMS)) and len(set(_patterns().legal_cues(key))) >= 2))
        return got

    def is_closing(self, i: int) -> bool:
        """Whether line ``i`` is one that closes an article: an appeal, a bio, a credit, a footer, legal text."""
        got = self._closing.get(i)
        if got is None:
            f, key = self.f, self.page.keys[i]
            got = ((f.words[i] <= self.s.closing_max_words and (
                _patterns().closing(key) is not None
                or ((f.words[i] >= self.s.bio_min_words or _SENTENCES(key) >= 2) and _patterns().bio(key) is not None)))
                or self.is_legal(i))
            self._closing[i] = got
        return got

    def drop_closing(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """Drop what closes the article without being part of it: from the end of the region up,
        lines that ask the reader to act, author bios, credits, post footers and legal text
        (and the short lines between them), up to the last line of the story."""
        page, f = self.page, self.f
        drop: list[int] = []
        pending: list[int] = []
        # A box under a heading of its own ("About the author", "About us", "Disclaimer") among
        # the last lines goes whole, whatever its lines say.
        box = -1
        for j in range(b, max(a, b - self.s.closing_box_lines), -1):
            i = idx[j]
            if (page.removed[i] is None and f.words[i] <= 6 and _patterns().closing_heading(page.keys[i])
                    and not (page.keys[i].startswith("about") and page.lines[i].rstrip().endswith(":"))):
                box = j  # ("About the visitors:" introduces a part of the story)
        j = b
        while j > a:
            i = idx[j]
            if page.removed[i] is not None:
                j -= 1
                continue
            # a lead-in with nothing left under it ("Read these stories too:") introduces no part of the story
            if j >= box >= 0 or self.is_closing(i) or (not drop and not pending and f.words[i] <= 8
                                                        and page.lines[i].rstrip().endswith(":")):
                drop.extend(pending)
                pending = []
                drop.append(i)
            elif cf[j] < NEAR and not f.end[i]:
                pending.append(i)
            else:
                break
            j -= 1
        if not drop:
            return False
        # the story keeps at least its main paragraph
        if not any(cf[k] >= NEAR and page.removed[idx[k]] is None for k in range(a, j + 1)):
            return False
        changed = False
        for i in drop:
            changed |= page.drop(i, CLOSING, ENDS, "closes the article: an appeal, a bio, a credit, a footer or legal text")
        return changed

    def head_parts(self) -> dict[str, list[int]]:
        """The lines of the article's head by role, read from the head the last round kept above
        the region and from the region's first lines (a page that opens with its headline):
        "headline" (the first headline-shaped line), "byline" (a line that opens with "By", or a
        short name line next to a byline or a date), "date" (a dateline or a publication date
        line), "dek" (a summary line under the headline: any other head line, or a line without
        a sentence's end at the top of the region). The first paragraph ends the head."""
        page, f, s = self.page, self.f, self.s
        head = [i for i in self.head if page.removed[i] is None]
        kept = [i for i in self.kept() if i >= self.body_start][:8] if self.body_start >= 0 else []
        seq = head + [i for i in kept if i not in head]
        parts: dict[str, list[int]] = {"headline": [], "dek": [], "byline": [], "date": []}

        def credit(k: int) -> bool:  # a byline or a date line
            return f.date[k] or (f.words[k] <= 12 and _BYLINE.match(page.lines[k].strip()) is not None)
        # Above the first byline or date line (among the first lines) stand the headline and the
        # dek, sentences or not ("Phoenix hit 110 degrees. The grid held.").
        first_credit = next((n for n, i in enumerate(seq[:6]) if credit(i)), -1)
        previous = ""
        for n, i in enumerate(seq):
            in_head = n < len(head)
            if not in_head and n == len(seq) - 1:
                break  # the body keeps a line
            after = seq[n + 1] if n + 1 < len(seq) else -1
            above_credit = n < first_credit
            if f.words[i] <= 12 and _BYLINE.match(page.lines[i].strip()):
                role = "byline"
            elif f.date[i]:
                role = "date"
            elif (not parts["headline"] and not parts["dek"] and 2 <= f.words[i] <= s.headline_max_words
                  and (not f.end[i] or above_credit)):
                role = "headline"
            elif (parts["headline"] and f.words[i] <= 12 and f.caps[i] >= 0.5
                  and (previous in ("byline", "date") or (after >= 0 and credit(after)))):
                role = "byline"  # "Ann Lee, Transport Correspondent", "Reporting from Leeds" by the date or the byline
            elif in_head or (parts["headline"] and previous in ("headline", "dek") and f.words[i] <= s.dek_max_words
                             and (not f.end[i] or above_credit)):
                role = "dek"  # a summary under the headline
            else:
                break
            parts[role].append(i)
            previous = role
        return {role: got for role, got in parts.items() if got}

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
        if c == GOOD or i in self.in_ingredients or i in self.in_lists:
            return False
        got = self._listy.get(i)
        if got is None:
            f = self.f
            item = not (f.date[i] or (f.words[i] <= 12 and _BYLINE.match(self.page.lines[i].strip()))
                        or self.ingredient(i))
            got = self._listy[i] = (item, item and not f.end[i] and f.words[i] < self.s.list_item_words)
        return got[c != SHORT]

    def drop_teasers(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """Drop lists of teasers: a short title (not a time: a live blog's entries are the article),
        then one sentence or two, at least ``teaser_pairs`` times in a row."""
        s, page, words, most = self.s, self.page, self.f.words, self.s.teaser_max_words
        # the positions where a pair starts: a short line that may be a title, then a teaser
        # (only the short lines are looked at: C-level loops pick them)
        pair = {k for k in compress(range(a, b), map(SHORT.__eq__, cf[a:b]))
                if cf[k + 1] >= NEAR and words[idx[k + 1]] <= most and self.teaser_title(idx[k])}
        if len(pair) < s.teaser_pairs:
            return False  # too few pairs for a list
        changed = False
        done = a
        for j in sorted(pair):
            if j < done:
                continue
            k = j
            while k in pair:
                k += 2
            pairs = (k - j) // 2
            if pairs >= s.teaser_pairs:
                detail = f"{pairs} title-and-teaser pairs in a row"
                for m in range(j, k):
                    changed |= page.drop(idx[m], LIST_IN_ARTICLE, CLASSIFY, detail)
                done = k
        return changed

    def teaser_title(self, i: int) -> bool:
        """Whether line ``i`` may be a teaser's title: two words or more without a sentence's end,
        and not a time (a live blog's entries are the article)."""
        got = self._titles.get(i)
        if got is None:
            f, key = self.f, self.page.keys[i]
            # (a time holds a digit: a line without one is never searched for it)
            got = self._titles[i] = (not f.end[i] and f.words[i] >= 2
                                     and not (f.digits[i] and (_BARE_TIME(key) or _live_blog_stamp(key))))
        return got

    def card_tags(self, idx: list[int], cf: list[int], a: int, b: int) -> str:
        """One letter per line of positions ``a``..``b`` for the card search: "P" a short
        paragraph (a teaser's summary), "T" a title (no sentence end), "M" a meta line
        (a date or time, a byline, a count, a name, a source), "x" anything else."""
        f, s, in_lists, meta = self.f, self.s, self.in_lists, self._meta.__contains__  # filled by drop_cards
        words, end, links = f.words, f.end, f.links
        teaser_max, title_max = s.teaser_max_words, s.headline_max_words
        return "".join(
            "x" if i in in_lists
            else "T" if words[i] <= 15 and self.page.lines[i].rstrip().endswith("?") and not meta(i)
            else "P" if c >= NEAR and end[i] and words[i] <= teaser_max
            else "M" if meta(i)
            else "T" if not end[i] and 2 <= words[i] <= title_max and not links[i]
            else "x"
            for i, c in zip(idx[a:b + 1], cf[a:b + 1]))

    def meta_lines(self, lines_at: list[int]) -> set[int]:
        """The lines that say who, when or how many about what stands next to them: a date or a
        time, a byline, a bare count, a relative time ("4 hours ago"), a person's or a source's
        name (up to four capitalised words without a stop word), among the lines ``lines_at``."""
        f, lines, keys, stops = self.f, self.page.lines, self.page.keys, self.stops
        tokens, date, digits, end, caps = f.tokens, f.date, f.digits, f.end, f.caps
        byline, relative = _BYLINE.match, _RELATIVE_TIME
        return {i for i in compress(lines_at, map((13).__gt__, map(tokens.__getitem__, lines_at))) if (
            date[i] or (digits[i] >= 0.5 and tokens[i] <= 4)
            or (tokens[i] <= 4 and not end[i] and not stops[i] and not digits[i] and caps[i] >= 1.0)
            or (tokens[i] <= 5 and relative(keys[i]) is not None) or byline(lines[i].strip()) is not None)}

    def drop_cards(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """Drop lists of cards: at least ``teaser_pairs`` cards in a row, each a title, a
        one- or two-sentence summary and meta lines (a kicker, a date, a byline, a source, a
        count) around them: other stories' teasers, not the article."""
        need = self.s.teaser_pairs
        if self._meta_for != self.language:  # meta lines depend on the language (a name has no stop word)
            self._meta, self._meta_seen, self._meta_for = set(), set(), self.language
        missing = [i for i in idx[a:b + 1] if i not in self._meta_seen]
        if missing:
            self._meta |= self.meta_lines(missing)
            self._meta_seen.update(missing)
        # Every card has a meta line: cards in a row are where ``need`` meta lines stand at most
        # _CARD_REACH lines apart; only those stretches are read.
        at = list(compress(range(a, b + 1), map(self._meta.__contains__, idx[a:b + 1])))
        changed = False
        lo = 0
        for k in range(1, len(at) + 1):
            if k < len(at) and at[k] - at[k - 1] <= _CARD_REACH:
                continue
            lo_j, hi_j = max(a, at[lo] - _CARD_REACH), min(b, at[k - 1] + _CARD_REACH)
            # ... and where as many lines end a sentence (the summaries)
            if k - lo >= need and sum(map(self.f.end.__getitem__, idx[lo_j:hi_j + 1])) >= need:
                changed |= self._drop_cards(idx, cf, lo_j, hi_j)
            lo = k
        return changed

    def _drop_cards(self, idx: list[int], cf: list[int], a: int, b: int) -> bool:
        """``drop_cards`` on the positions ``a``..``b``."""
        page, need = self.page, self.s.teaser_pairs
        tags = self.card_tags(idx, cf, a, b)
        # A card runs from a title to the next one; cards in a row share their shape (meta lines counted once).
        starts = [m.start() for m in re.finditer("T", tags)] + [len(tags)]
        shapes = [_card_shape(tags[x:y]) for x, y in zip(starts, starts[1:])]
        changed = False
        k = 0
        while k < len(shapes):
            e = k
            while e < len(shapes) and shapes[e] and shapes[e] == shapes[k]:
                e += 1
            if e - k >= need:
                first = starts[k]
                while first > 0 and tags[first - 1] == "M":
                    first -= 1  # the first card's kicker
                detail = f"{e - k} cards (a title, a summary and meta lines) in a row"
                for m in range(first, starts[e]):
                    changed |= page.drop(idx[a + m], LIST_IN_ARTICLE, CLASSIFY, detail)
            k = max(e, k + 1)
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
        in_lists = self.in_lists
        for i, c, r in zip(idx, cf, rev):
            w = words[i]
            if r == GOOD:
                # an item of a list that continues the article counts as its prose
                add(min(w, good_cap) if c == GOOD or i in in_lists else near_weight * w if c == NEAR else 0.5)
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

    def title_echoes(self, idx: list[int]) -> list[int]:
        """Positions (in ``idx``) of the lines that repeat the page title (the page's first line):
        headline-sized, most of their words in the title, and much of the title in them (when
        none does, in Markdown, the top heading: see ``top_heading``)."""
        title_line = self.nonblank[0] if self.nonblank else -1
        if self._echoes is None or self._echoes[0] != title_line:
            keys, f = self.page.keys, self.f
            title = _WORD.findall(keys[title_line]) if title_line >= 0 else []
            tset = set(title)
            found = set()
            if len(tset) >= 2:
                least = max(2, 0.4 * len(tset))
                tokens, top = f.tokens, self.s.headline_max_words
                # the title's words, and its words between spaces ("ferry-timetable"), for a quick test
                loose = tset | {w.strip(_PUNCT) for w in keys[title_line].split()}
                # the lines kept at the start other than the title are the only ones with tokens
                sized = [i for i in self.start if least <= tokens[i] <= top and i != title_line]
                ks = list(map(keys.__getitem__, sized))
                # a line that repeats the title starts or ends with one of its words (C-level loops)
                firsts = map(str.strip, map(itemgetter(0), map(str.partition, ks, repeat(" "))), repeat(_PUNCT))
                lasts = map(str.strip, map(itemgetter(2), map(str.rpartition, ks, repeat(" "))), repeat(_PUNCT))
                ends = map(operator.or_, map(loose.__contains__, firsts), map(loose.__contains__, lasts))
                for i in compress(sized, ends):
                    key = keys[i]
                    toks = _WORD.findall(key)
                    common = sum(1 for t in toks if t in tset)
                    if common >= 0.8 * len(toks) and len(set(toks) & tset) >= max(2, 0.4 * len(tset)):
                        found.add(i)
            if not found:
                found = self.top_heading()
            self._echoes = (title_line, found)
        if self._echo_pos[0] is idx:
            return self._echo_pos[1]
        out = []
        for i in sorted(self._echoes[1]):  # idx is sorted: each line's position by bisection
            j = bisect_left(idx, i)
            if j < len(idx) and idx[j] == i:
                out.append(j)
        self._echo_pos = (idx, out)
        return out

    def anchor(self, idx: list[int], scores: list[float], a: int, b: int, context: bool) -> tuple[int, int]:
        """The main region anchored at the headline.

        The headline is the first line that repeats the page title (see
        ``title_echoes``); the article starts at the first prose under it. When the
        best segment lies elsewhere (a disclaimer, a comment thread, a sidebar), the
        best segment that starts under the headline is the article instead, if it
        scores at least ``anchor_min_share`` of the other and holds at least as many
        of the headline's words; the page's notes say when it was the weaker one.
        """
        echoes = self.title_echoes(idx)
        if not echoes:
            return a, b
        if any(a <= h <= b for h in echoes):
            return a, b  # the region holds a headline
        head = echoes[0]
        if head > b:
            return a, b  # a headline under the article is a site's tagline in its footer
        n = len(idx)
        start = next((j for j in range(head + 1, min(n, head + 1 + self.s.anchor_reach)) if scores[j] > 0), -1)
        if start < 0 or start == a:
            return a, b
        # The best segment from ``start`` that ends before the best region (when that lies below).
        stop = a if start < a else n
        gaps = self.removed_prefix() if context else None
        gap_penalty, gap_cap = self.s.gap_penalty, self.s.gap_cap

        def penalty(j: int) -> float:  # for joining position j to the one before it
            return gap_penalty * min(gaps[idx[j]] - gaps[idx[j - 1] + 1], gap_cap) if gaps is not None else 0.0
        got = cur = scores[start]
        end = start
        for j in range(start + 1, stop):
            cur += scores[j] - penalty(j)
            if cur > got:
                got, end = cur, j
        total = sum(scores[a:b + 1]) - sum(map(penalty, range(a + 1, b + 1)))
        if got < self.s.anchor_min_share * total:
            return a, b
        # The headline must point to the text under it at least as much as to the other block.
        keys, stops = self.page.keys, self._stopset()
        words = {t for t in _WORD.findall(keys[idx[head]]) if t not in stops and not t.isdigit()}
        if not words:
            return a, b

        def cover(lo: int, hi: int, least: float) -> float:
            """The share of the headline's words found in the lead of the block (its first words,
            in lines scoring above ``least``)."""
            seen: set[str] = set()
            count = 0.0
            for j in range(lo, hi + 1):
                if scores[j] > least:
                    seen.update(_WORD.findall(keys[idx[j]]))
                    count += self.f.words[idx[j]]
                    if count >= self.s.anchor_lead_words:
                        break
            return len(words & seen) / len(words)
        # what stands under the headline includes its dek
        under, other = cover(head + 1, end, float("-inf")), cover(a, b, 0.0)
        if under < other:
            return a, b
        if got < total:
            self.page.notes.append(
                f"close choice of the article: the text under the headline (line {idx[head] + 1}) was kept "
                f"over a stronger block at lines {idx[a] + 1}-{idx[b] + 1} (score {got:.0f} against {total:.0f}; "
                f"headline words found {under:.0%} against {other:.0%})")
        return start, end

    def headline_start(self, idx: list[int], a: int, b: int) -> int:
        """Where the region starts: at a line inside it that repeats the page title and stands
        right above a byline or a dateline (the article's head), when prose stands above that
        line (a sidebar, a teaser, an introduction to the site); else at ``a``."""
        echoes = self.title_echoes(idx)
        if any(a - self.s.headline_window <= h < a for h in echoes):
            return a  # the region starts under the headline already
        h = next((h for h in echoes if h >= a), -1)  # only the first line in the region that repeats the title
        if a < h < b and self.is_byline_or_date(idx[h + 1]):
            return h
        return a

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
        # [first, last, words, lines between it and the previous block, whether it holds prose
        # (a block of list items or embedded posts only is part of the article, never its end)]
        blocks: list[list] = []
        in_lists = self.in_lists
        last = -1
        for j in range(a, b + 1):
            c = cf[j]
            if c < NEAR:
                continue
            w = f.words[idx[j]] * (1.0 if c == GOOD else s.near_weight)
            prose = idx[j] not in in_lists
            if last >= 0:
                between = j - last - 1
                if removed is not None:
                    between += removed[idx[j]] - removed[idx[last] + 1]
                if between < 2:
                    blocks[-1][1] = j
                    blocks[-1][2] += w
                    blocks[-1][4] |= prose
                    last = j
                    continue
            else:
                between = 0
            blocks.append([j, j, w, between, prose])
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
            if not blocks[k][4]:
                continue
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
                if echo >= s.headline_min_echo or self.marked_heading(i):
                    best = j
                    break
                if lead_echo >= s.headline_min_lead_echo:
                    # a dek repeats the lead too: a line right above it that repeats the title wins
                    best = j
                    for k in range(j - 1, max(lo, j - 3) - 1, -1):
                        if k in skip or not self.headline_shaped(idx[k], cf[k]):
                            continue
                        above = _WORD.findall(keys[idx[k]])
                        if k and above and sum(1 for t in above if t in title) / len(above) >= s.headline_min_echo:
                            best = k
                        break
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

    def top_heading(self) -> set[int]:
        """The page's first headline-sized heading of the top level ("# ", else "## ") among the lines
        kept at the start, when the layout marks headings (Markdown): a page written without its
        title line names its article there."""
        units = self.page.units
        if units is None or not units.kinds:
            return set()
        tokens, top, source = self.f.tokens, self.s.headline_max_words, self.page.source
        for level in ("# ", "## "):
            for i in self.start:
                line = source[units.pieces[i][0][0]]
                if (units.kinds[i] == "heading" and line.startswith(level) and 2 <= tokens[i] <= top
                        and _SITE_LINK(line) is None):
                    return {i}
        return set()

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
        first, stop = self._ends_read
        if hi + 1 > lo + 1 and (lo + 1 < first or hi + 1 > stop or first == stop):
            # the lines not looked at yet, next to the span looked at (a gap between the two is
            # looked at too): below it, above it, or all of them the first time
            if first == stop:
                self._markers, self._signatures = self._ends_in(lo + 1, hi + 1)
                self._ends_read = (lo + 1, hi + 1)
            else:
                if lo + 1 < first:
                    markers, sigs = self._ends_in(lo + 1, first)
                    self._markers[:0], self._signatures[:0] = markers, sigs
                if hi + 1 > stop:
                    markers, sigs = self._ends_in(stop, hi + 1)
                    self._markers += markers
                    self._signatures += sigs
                self._ends_read = (min(first, lo + 1), max(stop, hi + 1))
        markers, sigs = self._markers, self._signatures
        return (markers[bisect_right(markers, lo):bisect_right(markers, hi)],
                sigs[bisect_right(sigs, lo):bisect_right(sigs, hi)])

    def _ends_in(self, first: int, stop: int) -> tuple[list[int], list[int]]:
        """The end markers and the comment signatures among the lines ``first`` .. ``stop`` - 1."""
        keys = self.page.keys[first:stop]
        # a marker is a line of fewer than 200 characters: only those (but blank ones) are searched
        sized = list(compress(range(len(keys)), map(_MARKER_SIZES.__contains__, map(len, keys))))
        markers = [first + j for j in compress(sized, map(_patterns().any_marker, map(keys.__getitem__, sized)))]
        lines = self.page.lines
        sigs = []
        for j in _signatures(keys, self.page.nwords[first:stop]):
            # an embedded post's attribution ("— Ann Lee (@annlee) May 3, 2024") and a live
            # blog's time stamp ("10:42 am") are parts of the article, not signatures
            if not (_EMBED_ATTRIBUTION(lines[first + j]) or _BARE_TIME(keys[j]) or _live_blog_stamp(keys[j])):
                sigs.append(first + j)
        return markers, sigs

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
        # Legal text is not the story's prose.
        good = [f.words[i] if (cf[j] == GOOD or i in self.in_lists) and not self.is_legal(i) else 0.0
                for j, i in enumerate(idx)]
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
            elif not why and self.is_comment_marker(m) and self.thread_follows(m, sigs):
                need = min(need, s.thread_end_min_words)  # a comment heading with the thread under it
            elif why and self.named_signature(m) and self.comments_from(m, sigs) >= s.thread_min:
                need = min(need, s.comment_end_min_words)  # commenters' signatures: a thread however long
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

    def is_comment_marker(self, i: int) -> bool:
        """A heading or count of a comment section ("Comments", "12 comments", "Leave a reply")."""
        key = self.page.keys[i]
        return _COMMENT_MARKER.match(key) is not None or _patterns().comment_lead(key) is not None

    def thread_follows(self, m: int, sigs: list[int]) -> bool:
        """Whether a comment thread starts under the marker at line ``m``: a comment's signature,
        or two commenters' names (short lines of a name or a handle) among the next lines."""
        after = self.nonblank[bisect_right(self.nonblank, m):][: self.s.thread_reach]
        if not after:
            return False
        last = after[-1]
        if any(m < x <= last and self.named_signature(x) for x in sigs):
            return True
        return sum(1 for i in after if self.page.removed[i] is None and self.name_line(i)) >= 2

    def commented(self, sigs: list[int]) -> list[bool]:
        """For each signature, whether a comment's prose stands between it and the next one."""
        f, removed, nonblank = self.f, self.page.removed, self.nonblank
        out = []
        for x, nxt in zip(sigs, sigs[1:] + [len(self.page.lines)]):
            lo = bisect_right(nonblank, x)
            out.append(any(removed[i] is None and f.words[i] >= self.s.near_words and not self.name_line(i)
                           for i in nonblank[lo:lo + 8] if i < nxt))
        return out

    def comments_from(self, m: int, sigs: list[int]) -> int:
        """How many comments start at the signatures from line ``m`` on: a signature that names
        its commenter, with a comment's prose under it before the next signature."""
        after = [x for x in sigs if x >= m]
        return sum(1 for x, c in zip(after, self.commented(after)) if c and self.named_signature(x))

    def named_signature(self, i: int) -> bool:
        """A comment signature that names its commenter: "Reply", a name with the date
        ("Ann Lee, May 3, 2024 at 9:14 pm"), or a date next to a line holding a name.
        A dateline ("Updated May 3, 2024") is none."""
        key = self.page.keys[i]
        if key in _SIGNATURE_EXACT:
            return True
        if _DATELINE_LEAD(key) or _BYLINE.match(key):
            return False  # the article's dateline or byline
        rest = [t for t in _WORD.findall(dateline().sub(" ", key)) if not t.isdigit() and t not in _NOT_NAME]
        if any(t not in _MONTH_WORDS for t in rest):
            return True
        at = bisect_right(self.nonblank, i)
        near = self.nonblank[max(0, at - 2):at - 1] + self.nonblank[at:at + 1]
        return any(self.page.removed[k] is None and self.name_line(k) for k in near)

    def name_line(self, i: int) -> bool:
        """A line holding only a name or a handle: one to three words, no stop word, no digit, no sentence."""
        f = self.f
        return (1 <= f.tokens[i] <= 3 and f.chars[i] <= 40 and not f.end[i] and not f.digits[i]
                and not self.stops[i] and not f.date[i])

    def resumes(self, idx: list[int], cf: list[int], j: int, b: int, min_words: float) -> bool:
        """Whether prose of at least ``min_words`` follows position ``j`` after a few short lines
        (or two paragraphs or more of ``resume_paragraphs_words`` together)."""
        f = self.f
        limit = min(b, j + 12)
        while j <= limit and cf[j] < GOOD:
            j += 1
        words = 0.0
        paragraphs = 0
        short_run = 0
        while j <= b:
            if cf[j] == GOOD and not self.repeated(idx[j]):  # a paragraph the page repeats is a box's
                words += f.words[idx[j]]
                paragraphs += 1
                short_run = 0
            else:
                short_run += 1
                if short_run >= 2:
                    break
            j += 1
        return words >= min_words or (paragraphs >= 2 and words >= self.s.resume_paragraphs_words)


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


# A heading that is one link to a site's home or a section ("# [Ann's Blog](https://ann.example/blog/)"):
# the site's name, not an article's headline.
_SITE_LINK = re.compile(r"#+\s*\[[^\]]*\]\((?:https?://[^/)\s]+)?/?[^/)\s]*/?(?:\s+\"[^\"]*\")?\)\s*$").match
_MARKER_SIZES = range(1, 200)  # the lengths of a line that may be an end marker


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


def _SENTENCES(key: str) -> int:
    """How many sentences ``key`` holds (sentence ends followed by a space, and a final one)."""
    return len(re.findall(r"[.!?][\"')\]]* ", key)) + (key[-1:] in ".!?")


@lru_cache(maxsize=1)
def _day_search() -> "Callable[[str], Any]":
    """A day in a line: a date by its month or in digits, or a relative day ("2 hours ago", "yesterday")."""
    return re.compile(rf"{_DATE_BY_MONTH}|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)\b"
                      rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
                      r"|\bago\b|\byesterday\b|\btoday\b|\bgestern\b|\bheute\b|\bvor\b", re.I).search


def _live_blog_stamp(key: str) -> bool:
    """A live blog's time stamp with its reporter ("10:09 Ann Lee"): a time of day without a day."""
    return _TIME_OF_DAY(key) is not None and _day_search()(key) is None


_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.h]\d{2}\b").search
_MAYBE_DATED = re.compile(r"\d|:\Z").search
# The attribution line of an embedded social post.
# A relative time: "4 hours ago", "Yesterday", "vor 2 Stunden".
_RELATIVE_TIME = re.compile(r"(?:(?:updated |posted |published )?\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?|years?) ago"
                            r"|yesterday|today|just now|gestern|heute|vor \d+ (?:minuten|stunden|tagen|wochen)|hier|aujourd'hui"
                            r"|il y a \d+ \w+|ayer|hoy|hace \d+ \w+|wczoraj|dzisiaj)\Z").match


_CARD_REACH = 5  # the lines of a card: meta lines of cards in a row stand at most this many lines apart


def _card_shape(tags: str) -> str:
    """The shape of a card in the tags of ``_Loop.card_tags`` (from its title to the next title):
    its letters with each run of meta lines as one "M"; "" when it is not a card (not one
    summary after the title and a meta line)."""
    if tags.count("P") != 1 or "M" not in tags or "x" in tags:
        return ""
    return re.sub("M+", "M", tags)


_EMBED_LINE = re.compile(r"\s*(?:[—–-]\s*[^()]{1,60}\(@\w+\).{0,40}\d|a post shared by .{1,80})", re.I).match
_EMBED_ATTRIBUTION = re.compile(r"\s*[—–]|.*?\(@\w+\)|.*?\b(?:twitter\.com|x\.com|t\.co|instagram\.com|facebook\.com)/"
                                r"|\s*a post shared by\b", re.I).match
_BARE_TIME = re.compile(r"(?:updated:? |posted:? )?\d{1,2}[:.h]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?\Z").match
# Words of a signature that are not a name: date and time words, "posted by", "said".
_NOT_NAME = frozenset("at on by am pm um uhr le à a de of in posted said says wrote ago minutes minute hours hour days day "
                      "weeks week months month years year reply report permalink edt est pdt pst gmt utc cet cest et pt "
                      "views view likes like shares share comments comment replies points votes reads "
                      "de el la a las h monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat "
                      "sun montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi "
                      "samedi dimanche lunes martes miércoles jueves viernes sábado domingo".split())


class _Patterns:
    """The large patterns, compiled on first use so that importing the pass stays cheap.

    They run on keys, which are lowercased: no pattern needs to ignore case.
    """

    def __init__(self) -> None:
        self.dated_signature = re.compile(f"{_SIGNATURE.pattern}|{DATELINE_SOURCE}").search
        self.comment_lead = re.compile(_COMMENT_LEAD).match
        self.closing = re.compile(_CLOSING).match
        self.closing_anywhere = re.compile(_CLOSING_ANYWHERE).search
        self.closing_heading = re.compile(_CLOSING_HEADING).match
        self.bio = re.compile(_BIO).match
        self.legal_cues = re.compile(_LEGAL_CUES).findall
        # One pass for both kinds of end markers: whole-line headings and comment-section sentences.
        self.any_marker = re.compile(rf"(?:{_END_MARKER})\Z|{_COMMENT_LEAD}").match


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


_WORD = re.compile(r"\w+")
_PUNCT = "\"'“”‘’«»„.,:;!?()[]|-–—…*"




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
