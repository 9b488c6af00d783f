"""Lines learned to be furniture because they repeat across many documents of a batch.

A :class:`RepeatTable` maps normalised lines (see :func:`newsclean.rules.line_key`)
to the number of documents they occurred in, out of ``documents``. It is frozen,
hashable and picklable, so it can travel inside a :class:`~newsclean.config.Config`
to worker processes, and it saves to and loads from JSON.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

FORMAT = "newsclean-repeats/1"


@dataclass(frozen=True, eq=False)
class RepeatTable:
    counts: Mapping[str, int]
    documents: int
    label: str = ""
    _digest: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", dict(self.counts))
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
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{source}: not JSON: {exc}") from None
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
        p = Path(path)
        try:
            return cls.from_json(p.read_text(encoding="utf-8"), str(p))
        except OSError as exc:
            raise ValueError(f"{p}: cannot read repeats file: {exc.strerror or exc}") from None
