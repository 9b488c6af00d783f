"""Cleaned pages and their decisions as plain data (dicts of JSON types).

Everything that writes a page or a decision as JSON (``--format json``,
``--explain-format json``, the Dask, datatrove and ``datasets`` helpers) builds
it here, so every output carries the same keys. A decision is
:meth:`Decision.to_dict() <newsclean.model.Decision.to_dict>`, so a new field of
:class:`~newsclean.model.Decision` reaches every output at once.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Protocol, Sequence

from .layout import LINES
from .model import Decision


class Cleaned(Protocol):
    """What a record is made of: a :class:`~newsclean.model.Result`, or a batch's file result."""

    text: str
    decisions: Sequence[Decision]
    notes: Sequence[str]


def explanation(result: Cleaned) -> dict[str, Any]:
    """Why lines went: ``{"removed": [Decision.to_dict(), ...], "notes": [...]}``, and the
    layout the page was read in when it is not one block per line (``"layout": {"name",
    "width", "reason"}``)."""
    out: dict[str, Any] = {"removed": [d.to_dict() for d in result.decisions], "notes": list(result.notes)}
    layout = getattr(result, "layout", None)
    if layout is not None and layout.name != LINES:
        out["layout"] = layout.to_dict()
    return out


def page_record(path: str, result: Cleaned, *, explain: bool = False) -> dict[str, Any]:
    """One cleaned page: ``{"path", "text"}``, the article's parts (``"headline"``, ``"dek"``,
    ``"byline"``, ``"date"``, ``"body"``, see :mod:`newsclean.article`), and with ``explain``
    also ``"removed"`` and ``"notes"``.

    This is the object of ``newsclean --format json`` (one JSON line per input page).
    """
    from .article import parts

    record: dict[str, Any] = {"path": path, "text": result.text, **parts(result.text, getattr(result, "head", ()))}
    if explain:
        record.update(explanation(result))
    return record


def decision_records(path: str, decisions: Iterable[Decision]) -> Iterator[dict[str, Any]]:
    """One object per removed line: ``{"path", "line", "text", "code", "rule", "stage", ["detail"]}``
    (the lines of ``--explain-format json``)."""
    for d in decisions:
        yield {"path": path, **d.to_dict()}
