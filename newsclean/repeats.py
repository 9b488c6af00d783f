"""Lines learned to be furniture because they repeat across many documents of a batch.

A :class:`RepeatTable` maps normalised lines (see :func:`newsclean.rules.line_key`)
to the number of documents they occurred in, out of ``documents``. It is frozen,
hashable and picklable, so it can travel inside a :class:`~newsclean.config.Config`
to worker processes, and it saves to and loads from JSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

FORMAT = "newsclean-repeats/1"


def _parse_json(text: str, source: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{source}: not JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"{source}: not a newsclean repeats file (nested too deeply)") from None


def _read_text(path: Path) -> str:
    """A repeats file's text, read as every input is (a device or a pipe without a writer cannot hang it)."""
    from .io import InputError, read_bytes

    try:
        return read_bytes(path).decode("utf-8")
    except InputError as exc:
        raise ValueError(f"{path}: cannot read repeats file: {str(exc).removesuffix('; skipped')}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: cannot read repeats file: not UTF-8 (byte {exc.start + 1})") from None


@dataclass(frozen=True, eq=False)
class RepeatTable:
    counts: Mapping[str, int]
    documents: int
    label: str = ""
    _digest: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", dict(self.counts))
        import hashlib

        h = hashlib.sha1(f"{self.documents}\0{self.label}".encode())
        for key in sorted(self.counts):
            h.update(f"{key}\0{self.counts[key]}\n".encode())
        object.__setattr__(self, "_digest", h.hexdigest())

    def __hash__(self) -> int:
        return hash(self._digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RepeatTable) and other._digest == self._digest

    def __reduce__(self):  # type: ignore[override]
        return (RepeatTable, (self.counts, self.documents, self.label))

    def __len__(self) -> int:
        return len(self.counts)

    def get(self, key: str) -> int | None:
        return self.counts.get(key)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "documents": self.documents, "label": self.label,
                           "lines": dict(sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])))},
                          ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str, source: str = "repeats") -> "RepeatTable":
        data = _parse_json(text, source)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{source}: not a newsclean repeats file (format {FORMAT!r})")
        lines, docs = data.get("lines"), data.get("documents")
        if not isinstance(lines, dict) or not isinstance(docs, int) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in lines.items()
        ):
            raise ValueError(f"{source}: 'lines' must map text to document counts and 'documents' be a number")
        return cls(lines, docs, str(data.get("label", "")))

    @classmethod
    def load(cls, path: str | Path) -> "RepeatTable":
        return cls.from_json(_read_text(Path(path)), str(path))


# --- Learning tables from a batch -------------------------------------------------

SITES_FORMAT = "newsclean-repeat-sites/1"


@dataclass(frozen=True, slots=True)
class LearnThresholds:
    """When a line counts as furniture learned from a batch: every number in one place.

    A normalised line is furniture when it occurs in at least
    ``max(min_documents, ceil(min_share * documents))`` documents of its group
    (the whole batch, or one site when documents are grouped by site). Lines
    that read like article prose (see :mod:`newsclean.passes.repeats`) are never
    counted: the pass keeps them anyway.

    Counting is *lossy counting* (Manku and Motwani): every ``1 / error_share``
    documents of a group, lines seen too rarely to ever reach ``error_share`` of
    the documents are forgotten. Memory then stays bounded on a corpus of any
    size, and a learned count is a lower bound of the true count, low by at most
    ``error_share * documents``; so no line is learned that did not really
    recur in ``min_share`` of the documents. With fewer than ``1 / error_share``
    documents in a group, counting is exact.
    """

    min_documents: int = 3
    min_share: float = 0.05
    error_share: float = 0.005

    def __post_init__(self) -> None:
        if self.min_documents < 2:
            raise ValueError("min_documents must be at least 2 (a line in one document does not repeat)")
        if not 0 < self.error_share < self.min_share <= 1:
            raise ValueError("need 0 < error_share < min_share <= 1")

    def required(self, documents: int) -> int:
        """How many documents of a group a line must occur in to be furniture."""
        return max(self.min_documents, math.ceil(self.min_share * documents))


THRESHOLDS = LearnThresholds()


def _reads_like_prose(key: str) -> bool:
    from .passes.repeats import PROSE_MIN_WORDS, _PROSE_END

    return len(key.split()) >= PROSE_MIN_WORDS and _PROSE_END.search(key) is not None


class RepeatCounter:
    """Counts normalised lines across the documents of one group, each once per document."""

    def __init__(self, thresholds: LearnThresholds = THRESHOLDS, label: str = "") -> None:
        self.thresholds = thresholds
        self.label = label
        self.documents = 0
        self._width = math.ceil(1 / thresholds.error_share)
        self._counts: dict[str, list[int]] = {}  # key -> [count, largest possible undercount]

    def __len__(self) -> int:
        return len(self._counts)

    def add(self, text: str) -> None:
        """Count the distinct lines of one document."""
        from .rules import line_key

        self.documents += 1
        bucket = -(-self.documents // self._width)
        counts = self._counts
        for key in {line_key(x) for x in text.splitlines()}:
            if not key:
                continue
            entry = counts.get(key)
            if entry is not None:
                entry[0] += 1
            elif not _reads_like_prose(key):
                counts[key] = [1, bucket - 1]
        if self.documents % self._width == 0:
            for key in [k for k, (n, under) in counts.items() if n + under <= bucket]:
                del counts[key]

    def table(self) -> RepeatTable:
        """The lines that recur often enough, with their document counts."""
        need = self.thresholds.required(self.documents)
        return RepeatTable({k: n for k, (n, _) in self._counts.items() if n >= need}, self.documents, self.label)


def site_of(value: str | None) -> str:
    """The site a URL or domain belongs to: its host name, lowercased, without ``www.``
    (``""`` for None or an empty text). A value that is not text is a ``TypeError``, a
    malformed URL (``http://[bad``) a ``ValueError`` that says so."""
    from urllib.parse import urlsplit

    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"a site is given by a URL or a domain name (a str), not {type(value).__name__}")
    text = value.strip()
    if not text:
        return ""
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    except ValueError as exc:
        raise ValueError(f"not a valid URL or domain: {text[:80]!r} ({exc})") from None
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True, eq=False)
class RepeatTables:
    """Repeat tables by site; the site ``""`` holds the table of a batch that is not grouped."""

    sites: Mapping[str, RepeatTable]

    def __post_init__(self) -> None:
        object.__setattr__(self, "sites", dict(self.sites))

    def for_site(self, site: str | None) -> RepeatTable | None:
        return self.sites.get(site or "")

    @property
    def grouped(self) -> bool:
        return set(self.sites) != {""}

    def __len__(self) -> int:
        return sum(len(t) for t in self.sites.values())

    def to_json(self) -> str:
        if not self.grouped:
            return self.sites[""].to_json()
        return json.dumps({"format": SITES_FORMAT, "sites": {
            site: {"documents": t.documents, "lines": dict(sorted(t.counts.items(), key=lambda kv: (-kv[1], kv[0])))}
            for site, t in sorted(self.sites.items())
        }}, ensure_ascii=False, indent=1)

    def save(self, path: str | Path) -> None:
        from .io import write_atomic

        write_atomic(Path(path), (self.to_json() + "\n").encode("utf-8"))

    @classmethod
    def from_json(cls, text: str, source: str = "repeats") -> "RepeatTables":
        """Either format: one table (``newsclean-repeats/1``) or tables by site."""
        data = _parse_json(text, source)
        if isinstance(data, dict) and data.get("format") == SITES_FORMAT:
            sites = data.get("sites")
            if not isinstance(sites, dict):
                raise ValueError(f"{source}: 'sites' must map site names to tables")
            tables = {}
            for site, t in sites.items():
                if not isinstance(t, dict):
                    raise ValueError(f"{source}: site {site!r}: not a table")
                t = {"format": FORMAT, "label": site, **t}
                tables[str(site)] = RepeatTable.from_json(json.dumps(t), f"{source}: site {site!r}")
            return cls(tables)
        return cls({"": RepeatTable.from_json(text, source)})

    @classmethod
    def load(cls, path: str | Path) -> "RepeatTables":
        return cls.from_json(_read_text(Path(path)), str(path))


class RepeatLearner:
    """Learns repeat tables from a stream of documents, by site when sites are given."""

    def __init__(self, thresholds: LearnThresholds = THRESHOLDS) -> None:
        self.thresholds = thresholds
        self._counters: dict[str, RepeatCounter] = {}

    def add(self, text: str, site: str | None = None) -> None:
        key = site or ""
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = RepeatCounter(self.thresholds, key)
        counter.add(text)

    @property
    def documents(self) -> int:
        return sum(c.documents for c in self._counters.values())

    def tables(self) -> RepeatTables:
        tables = {site: c.table() for site, c in self._counters.items()}
        return RepeatTables(tables or {"": RepeatTable({}, 0)})


def learn(texts: Iterable[str], thresholds: LearnThresholds = THRESHOLDS) -> RepeatTable:
    """One table of the lines that recur across ``texts`` (see :class:`LearnThresholds`).

    >>> pages = [f"Harbor Gazette | Home\\nStory number {i} is here.\\n" for i in range(20)]
    >>> learn(pages).counts
    {'harbor gazette | home': 20}
    """
    counter = RepeatCounter(thresholds)
    for text in texts:
        counter.add(text)
    return counter.table()


def learn_by_site(documents: Iterable[tuple[str | None, str]], thresholds: LearnThresholds = THRESHOLDS) -> RepeatTables:
    """Tables by site from ``(site, text)`` pairs; a site is a host name (see :func:`site_of`)."""
    learner = RepeatLearner(thresholds)
    for site, text in documents:
        learner.add(text, site)
    return learner.tables()
