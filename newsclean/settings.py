"""Thresholds of the article-detection passes, in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable number of the pipeline lives here, with its meaning.

    ``favor`` shifts the structural passes: ``"precision"`` removes doubtful lines,
    ``"recall"`` keeps them, ``"balanced"`` is the default.
    """

    favor: str = "balanced"
    # Safety valve: if structural passes would keep less than this share of the
    # words the pattern rules kept, their decisions are withdrawn.
    valve_min_share: float = 0.15

    def __post_init__(self) -> None:
        if self.favor not in ("precision", "balanced", "recall"):
            raise ValueError(f"favor must be 'precision', 'balanced' or 'recall', not {self.favor!r}")
