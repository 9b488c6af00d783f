"""A small on-disk cache of how each pattern is filed in the pattern index.

Parsing a few hundred regexes costs more than the rest of start-up together;
the result depends only on the pattern text and the Python version, so it is
kept in ``$NEWSCLEAN_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/newsclean`` or
``~/.cache/newsclean``). Any problem with the cache (missing, unreadable, not
writable, corrupt) just means the analysis is done again; it is never an error.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

MAX_ENTRIES = 20000


def path() -> Path:
    base = os.environ.get("NEWSCLEAN_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "newsclean"
    return root / f"pattern-index-py{sys.version_info[0]}{sys.version_info[1]}.json"


def load() -> dict[str, tuple[str, list[str]]]:
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):
        return {}
    if not isinstance(data, dict):
        return {}
    out = {}
    for k, v in data.items():
        if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], list):
            out[k] = (v[0], [str(x) for x in v[1]])
    return out


def save(entries: dict[str, Any]) -> None:
    if len(entries) > MAX_ENTRIES:
        return
    try:
        target = path()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".pattern-index.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({k: list(v) for k, v in entries.items()}, fh, ensure_ascii=False)
        os.replace(tmp, target)
    except (OSError, RuntimeError):
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
