"""Thresholds of the article-detection passes, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable number of the pipeline lives here, with its meaning.

    ``favor`` shifts the structural passes: ``"precision"`` removes doubtful lines,
    ``"recall"`` keeps them, ``"balanced"`` is the default. The passes read the
    shifted values through :meth:`effective`.

    Word counts count ``\\w+`` tokens; in scripts written without spaces
    (Chinese, Japanese) two characters count as one word.
    """

    favor: str = "balanced"
    # Safety valve: if structural passes would keep less than this share of the
    # words the pattern rules kept, or fewer than this many words, their
    # decisions are withdrawn.
    valve_min_share: float = 0.04
    valve_min_words: float = 30.0

    # Language guess: the best stop-word list must be hit at least this often,
    # and by at least this share of the page's words.
    language_min_hits: int = 8
    language_min_share: float = 0.08

    # Context-free classes (jusText-style): "good" prose, "near-good", "short", "bad".
    good_words: float = 10.0          # a good line has at least this many words ...
    good_density: float = 0.25        # ... and this share of stop words (known language)
    near_words: float = 5.0           # a near-good line has at least this many words ...
    near_density: float = 0.12        # ... and this share of stop words
    long_words: float = 25.0          # a line this long is good on length alone if it reads as a sentence
    free_good_words: float = 12.0     # language-free: good line length (with sentence punctuation)
    caps_menu_share: float = 0.75     # title-case line: share of capitalised words above this
    digits_share: float = 0.45        # a line whose tokens are mostly numbers (dates, scores, prices)
    link_share: float = 0.8           # a block with this share of its text in links (Markdown) is at best short

    # Main region (maximum-sum segment): a line's score is positive for content,
    # negative for furniture.
    good_cap: float = 80.0            # words counted at most per good line
    near_weight: float = 0.5          # near-good lines count this share of their words
    short_penalty: float = 2.0        # a short line that its neighbours call furniture
    bad_penalty: float = 6.0          # a furniture line
    bad_word_penalty: float = 0.25    # ... plus this much per word
    gap_penalty: float = 3.0         # each line the pattern rules removed between two kept lines
    gap_cap: int = 8                  # ... counted at most this many times per gap
    tail_min_words: float = 30.0     # a block after the article's main block with fewer words ends it
    far_gap: int = 4                  # a block this many lines after the previous one ...
    far_min_share: float = 0.3        # ... needs this share of the main block's words to stay
    tail_gaps: bool = True           # whether lines the pattern rules removed also split blocks
    lead_min_words: float = 0.0      # a block before the main block with fewer words is left out of the region
    teaser_pairs: int = 3             # this many (short title, short paragraph) pairs in a row are a list of teasers ...
    teaser_max_words: float = 35.0    # ... when each paragraph has at most this many words
    list_item_words: float = 25.0     # a line without a sentence's end and shorter than this can be a list item
    list_run: int = 3                 # this many short lines in a row inside the region form a list
    list_max_lines: int = 60          # a list that continues the article's prose is read for at most this many lines

    # Headline: searched at most this many lines before the region's start.
    headline_window: int = 12
    headline_max_words: float = 30.0
    headline_min_echo: float = 0.6    # share of the headline's words found in the page-title line
    headline_min_lead_echo: float = 0.5  # ... or share of its content words found in the first paragraphs
    dek_max_words: float = 40.0       # a line without a sentence's end under the headline, this long at most, is its dek
    anchor_min_share: float = 0.2     # the region under the headline wins over a stronger one elsewhere with this share of its score
    anchor_reach: int = 40            # ... when its first prose line stands at most this many lines under the headline
    anchor_lead_words: float = 120.0  # ... and the headline's words are found as often in its first this many words

    # Article end: an end marker ("Comments", "Related articles") cuts the rest of
    # the region only when at least this share of the region's words stands before it.
    end_min_share: float = 0.3
    # ... or at least this many words before a sentence that opens a comment section ("Comments are closed").
    comment_end_min_words: float = 100.0
    # After a "Related"/"Read also" heading, the article resumes if this many words of prose follow.
    resume_min_words: float = 40.0
    # ... or this many, when another end marker follows further down (the box stood inside the story).
    resume_before_end_words: float = 40.0
    # ... or two paragraphs or more of this many words together.
    resume_paragraphs_words: float = 20.0
    # A line of at most this many words at the article's tail can be an appeal, a bio, a credit or legal text.
    closing_max_words: float = 80.0
    closing_box_lines: int = 8        # ... and a box under a heading ("About us", "Disclaimer") among this many last lines goes whole
    bio_min_words: float = 30.0      # ... an author's bio of one sentence is part of the story below this many words
    # This many comment signatures (a name with a date, "Reply") in the region make a comment thread.
    thread_min: int = 3
    # A comment heading ends the article after comment_end_min_words when a signature or two
    # commenters' names stand in this many lines under it.
    thread_reach: int = 12
    thread_end_min_words: float = 40.0  # ... and after this many, when it is a comment heading with the thread under it

    # Leave the article's head (headline, dek, byline, dateline) out of the output: the body alone (NC905).
    body_only: bool = False

    # The fixpoint loop (classification and region re-run on the lines left) stops after this many rounds.
    max_rounds: int = 6

    def __post_init__(self) -> None:
        if self.favor not in ("precision", "balanced", "recall"):
            raise ValueError(f"favor must be 'precision', 'balanced' or 'recall', not {self.favor!r}")

    def effective(self) -> "Settings":
        """These settings with ``favor`` applied (the values the passes use)."""
        return _shifted(self)


# How ``favor`` moves each threshold: field -> (precision value factor, recall value factor).
_SHIFTS: dict[str, tuple[float, float]] = {
    "good_density": (1.15, 0.85),
    "near_density": (1.2, 0.8),
    "good_words": (1.2, 0.8),
    "short_penalty": (1.5, 0.6),
    "bad_penalty": (1.3, 0.7),
    "near_weight": (0.8, 1.3),
    "end_min_share": (0.8, 1.3),
    "tail_min_words": (1.5, 0.5),
    "far_min_share": (1.5, 0.5),
    "gap_penalty": (1.3, 0.7),
}


@lru_cache(maxsize=16)
def _shifted(s: Settings) -> Settings:
    if s.favor == "balanced":
        return s
    k = 0 if s.favor == "precision" else 1
    names = {f.name for f in fields(Settings)}
    return replace(s, **{name: getattr(s, name) * f[k] for name, f in _SHIFTS.items() if name in names})
