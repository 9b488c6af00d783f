"""The article's parts: headline, dek, byline, date and body.

The structure pass finds the article's head above its first paragraph (the
headline, the dek, the bylines and the dateline or publication date line) and
:class:`~newsclean.model.Result` carries it (``Result.head``, each line with its
role). :func:`extract` runs the same passes as
:func:`~newsclean.clean_and_explain` and names the parts; ``Article.result``
is the whole explanation, and ``Article.result.text`` the default output (the
head above the body) or, with ``body_only``, the body alone.

>>> from newsclean import extract
>>> page = "Night buses for the harbour\\nBy Ann Lee\\n\\nThe council approved a trial of night buses on Monday after residents asked for them.\\n"
>>> article = extract(page)
>>> article.headline, article.byline
('Night buses for the harbour', 'By Ann Lee')
>>> article.body
'The council approved a trial of night buses on Monday after residents asked for them.\\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from .config import DEFAULT, Config
from .model import Result

ROLES = ("headline", "dek", "byline", "date")
# What separates an author from a date on one byline ("By Ann Lee | 12 May 2031").
_BYLINE_SEPARATOR = re.compile(r"\s+[|•·—–]\s+|\s+-\s+")


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned page in parts. Each head part is the text of its lines (several lines joined
    by newlines), ``""`` when the page has none; ``body`` is the article under its head, in the
    output's layout; ``result`` says why every removed line went."""

    headline: str
    dek: str
    byline: str
    date: str
    body: str
    result: Result

    @property
    def text(self) -> str:
        """The cleaned output (``result.text``)."""
        return self.result.text

    def to_dict(self) -> dict[str, str]:
        """The parts as plain data: ``{"headline", "dek", "byline", "date", "body"}``."""
        return {"headline": self.headline, "dek": self.dek, "byline": self.byline, "date": self.date,
                "body": self.body}


def extract(text: str, config: Config | None = None, **options: Any) -> Article:
    """Clean ``text`` and name the article's parts.

    ``options`` override fields of ``config`` as for :func:`~newsclean.clean`, e.g.
    ``body_only=True`` (then ``result.text`` is the body alone, and the head's lines
    are explained by rule NC905).
    """
    from .pipeline import run

    cfg = config or DEFAULT
    if options:
        cfg = cfg.with_options(**options)
    result = run(text, cfg)
    return Article(result=result, **parts(result.text, result.head))


def parts(text: str, head: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The parts of a cleaned ``text`` whose head lines (role, text) are ``head``: each role's
    lines joined by newlines, the date read from the byline when no line of its own holds it,
    and the body (``text`` without the head; all of it when the head is not in it)."""
    got = {role: "\n".join(line for r, line in head if r == role) for role in ROLES}
    if not got["date"] and got["byline"]:
        from .passes.lines import dateline

        dated = [p for p in _BYLINE_SEPARATOR.split(got["byline"]) if dateline().search(p)]
        got["date"] = dated[0] if dated else ""
    got["body"] = body(text, [line for _, line in head])
    return got


def body(text: str, head: Sequence[str]) -> str:
    """``text`` after its head lines ``head`` (which open it, in order, each perhaps wrapped
    over several lines); ``text`` itself when it does not open with them (the body alone)."""
    first = head[0].split() if head else []
    if not first or text.lstrip().split(None, 1)[:1] != first[:1]:
        return text
    pos = 0
    for line in head:
        words = line.split()
        if not words:
            continue
        at = text.find(words[-1], pos)
        if at < 0:
            return text
        pos = at + len(words[-1])
    end = text.find("\n", pos)
    return text[end + 1:].lstrip("\r\n") if end >= 0 else ""
