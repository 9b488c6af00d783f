"""newsclean: turn text scraped from news pages into clean article text.

>>> from newsclean import clean
>>> clean("Watch CBS News\\n\\nRain is expected in the capital on Friday, forecasters said.\\n")
'Rain is expected in the capital on Friday, forecasters said.\\n'
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .config import Config
from .article import Article
from .model import Decision, Result
from .settings import Settings

__all__ = ["clean", "clean_and_explain", "extract", "Article", "Config", "Settings", "Decision", "Result",
           "__version__"]


def clean_and_explain(text: str, config: Config | None = None, **options: Any) -> Result:
    """Clean ``text`` and say why each removed line went.

    ``options`` override fields of ``config`` (or of the default config), e.g.
    ``ignore=["NC9"]`` or ``favor="recall"``.
    """
    from .pipeline import run

    return run(_text(text, "clean_and_explain"), _config(config, options))


def clean(text: str, config: Config | None = None, **options: Any) -> str:
    """The article text of a scraped page: ``clean_and_explain(...).text`` (the same
    passes run; only the explanation is not built)."""
    from .pipeline import clean_text

    return clean_text(_text(text, "clean"), _config(config, options))


def _text(text: Any, name: str) -> str:
    """``text``, checked to be a ``str`` (a ``TypeError`` that says what to do otherwise)."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(f"{name}() expects text (str), not {type(text).__name__}: decode the bytes first, "
                        "e.g. newsclean.io.decode(data).text")
    raise TypeError(f"{name}() expects text (str), not {type(text).__name__}")


def _config(config: Any, options: dict[str, Any]) -> Config:
    if config is not None and not isinstance(config, Config):
        raise TypeError(f"config must be a newsclean.Config or None, not {type(config).__name__} "
                        "(options go by name: clean(text, ignore=['NC3']))")
    cfg = config or Config()
    return cfg.with_options(**options) if options else cfg


def extract(text: str, config: Config | None = None, **options: Any) -> Article:
    """Clean ``text`` and name the article's parts: ``headline``, ``dek``, ``byline``, ``date``
    and ``body``, with the explanation in ``result`` (see :mod:`newsclean.article`)."""
    from .article import extract as _extract

    return _extract(_text(text, "extract"), _config(config, options))
