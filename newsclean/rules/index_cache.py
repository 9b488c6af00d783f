"""A small on-disk cache for start-up: the parsed built-in rule packs, and how
each pattern is filed in the pattern index.

Parsing the TOML packs and a few hundred regexes costs more than the rest of
start-up together; the results depend only on the packs' bytes, the pattern
text and the Python version, so they are kept in ``$NEWSCLEAN_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/newsclean`` or
``~/.cache/newsclean``). Any problem with the cache (missing, unreadable, not
writable, corrupt) just means the analysis is done again; it is never an error.
Each file carries a checksum of its content, so a file changed by anything but
newsclean (a bad pattern in it, say) is ignored and written again.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 20000
# How the index files a pattern (see newsclean.rules.index.analyse).
KINDS = ("prefix", "suffix", "prefix1", "first", "literal", "rest")


def cache_dir() -> Path:
    base = os.environ.get("NEWSCLEAN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsclean"


def path() -> Path:
    """The analysis cache of this Python version and this version of the index code."""
    import zlib

    code = f"{zlib.crc32((Path(__file__).parent / 'index.py').read_bytes()):08x}"  # hashlib is slow to import
    return cache_dir() / f"pattern-index-py{sys.version_info[0]}{sys.version_info[1]}-{code}.json"


def _read_json(target: Path) -> Any:
    """The content of a cache file, or None when it is missing, unreadable or not the one written
    (its checksum does not match)."""
    import stat
    import zlib

    try:
        if not stat.S_ISREG(os.stat(target).st_mode):  # a device or a pipe is not a cache
            return None
        outer = json.loads(target.read_text(encoding="utf-8"))
        payload = outer["data"]
        if not isinstance(payload, str) or outer.get("crc") != zlib.crc32(payload.encode("utf-8")):
            return None
        return json.loads(payload)
    except (OSError, ValueError, RuntimeError, TypeError, KeyError):
        return None


def _write_json(target: Path, data: Any) -> None:
    import tempfile
    import zlib

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(data, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"crc": zlib.crc32(payload.encode("utf-8")), "data": payload}, fh, ensure_ascii=False)
        os.replace(tmp, target)
    except (OSError, RuntimeError, TypeError, ValueError):
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_catalog(digest: str) -> dict[str, Any] | None:
    data = _read_json(cache_dir() / "catalog.json")
    if isinstance(data, dict) and data.get("digest") == digest and isinstance(data.get("catalog"), dict):
        return data["catalog"]
    return None


def save_catalog(digest: str, catalog: dict[str, Any]) -> None:
    _write_json(cache_dir() / "catalog.json", {"digest": digest, "catalog": catalog})


def load() -> dict[str, tuple[str, list[str]]]:
    data = _read_json(path())
    if not isinstance(data, dict):
        return {}
    out = {}
    for k, v in data.items():
        if isinstance(v, list) and len(v) == 2 and v[0] in KINDS and isinstance(v[1], list):
            out[k] = (v[0], [str(x) for x in v[1]])
    return out


def save(entries: dict[str, Any]) -> None:
    if len(entries) <= MAX_ENTRIES:
        target = path()
        _write_json(target, {k: list(v) for k, v in entries.items()})
        # the analyses of earlier versions of the index code are of no more use
        for old in target.parent.glob(f"pattern-index-py{sys.version_info[0]}{sys.version_info[1]}*.json"):
            if old != target:
                try:
                    old.unlink()
                except OSError:
                    pass
