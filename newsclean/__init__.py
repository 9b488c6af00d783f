"""newsclean: turn text scraped from news pages into clean article text.

>>> from newsclean import clean
>>> clean("Watch CBS News\\n\\nRain is expected in the capital on Friday, forecasters said.\\n")
'Rain is expected in the capital on Friday, forecasters said.\\n'
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .config import Config
from .model import Decision, Result
from .settings import Settings

__all__ = ["clean", "clean_and_explain", "Config", "Settings", "Decision", "Result", "__version__"]


def clean_and_explain(text: str, config: Config | None = None, **options: Any) -> Result:
    """Clean ``text`` and say why each removed line went.

    ``options`` override fields of ``config`` (or of the default config), e.g.
    ``ignore=["NC9"]`` or ``favor="recall"``.
    """
    from .pipeline import run

    cfg = config or Config()
    if options:
        cfg = cfg.with_options(**options)
    return run(text, cfg)


def clean(text: str, config: Config | None = None, **options: Any) -> str:
    """The article text of a scraped page: ``clean_and_explain(...).text`` (the same
    passes run; only the explanation is not built)."""
    from .pipeline import clean_text

    cfg = config or Config()
    if options:
        cfg = cfg.with_options(**options)
    return clean_text(text, cfg)
