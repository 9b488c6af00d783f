#!/usr/bin/env python3
"""Measure how well newsclean finds the article on a folder of scored pages.

A corpus folder holds one sub-folder per set. In each set, ``<id>.txt`` is a
page's visible text and either ``<id>.gold.txt`` is the article text a person
marked, or ``<id>.snippets.json`` lists snippets that must stay (``"with"``)
and snippets that must go (``"without"``).

    python benchmarks/quality.py CORPUS_DIR
    python benchmarks/quality.py CORPUS_DIR --set dragnet --worst 20
    python benchmarks/quality.py CORPUS_DIR --ignore NC9 --favor recall

Metric for gold texts: 4-gram shingles of ``\\w+`` tokens; each page's true
positives, false positives and false negatives are normalised by their sum;
precision and recall are averaged over pages, and F1 is taken from the two
averages. For snippet sets, precision is the share of must-go snippets removed
and recall the share of must-stay snippets kept, counted over all snippets of
the set.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN = re.compile(r"\w+")


def shingle_counts(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def gold_row(gold: str, output: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    g, o = shingle_counts(gold), shingle_counts(output)
    tp = sum((g & o).values())
    fp = sum(o.values()) - tp
    fn = sum(g.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def row_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def row_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def gold_summary(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    ps = [row_precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [row_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, f1(p, r)


def _squash(text: str) -> str:
    return " ".join(text.split())


def snippet_row(snippets: dict, output: str) -> tuple[int, int, int, int]:
    """(must-stay total, must-stay kept, must-go total, must-go removed)."""
    out = _squash(output)
    stay, go = snippets.get("with", []), snippets.get("without", [])
    return (len(stay), sum(_squash(s) in out for s in stay),
            len(go), sum(_squash(s) not in out for s in go))


def snippet_summary(rows: list[tuple[int, int, int, int]]) -> tuple[float, float, float]:
    stay, kept, go, gone = (sum(r[i] for r in rows) for i in range(4))
    r = kept / stay if stay else 1.0
    p = gone / go if go else 1.0
    return p, r, f1(p, r)


def load_set(folder: Path) -> list[tuple[str, str, object]]:
    """(page id, page text, gold text or snippets dict) for every page of a set."""
    pages = []
    for path in sorted(folder.glob("*.txt")):
        if path.name.endswith(".gold.txt"):
            continue
        snip = path.with_suffix(".snippets.json")
        gold_path = path.with_suffix(".gold.txt")
        if snip.exists():
            gold: object = json.loads(snip.read_text(encoding="utf-8"))
        elif gold_path.exists():
            gold = gold_path.read_text(encoding="utf-8")
        else:
            continue
        pages.append((path.stem, path.read_text(encoding="utf-8"), gold))
    return pages


def find_sets(corpus: Path, wanted: list[str] | None) -> list[Path]:
    if wanted:
        return [corpus / name for name in wanted]
    if any(corpus.glob("*.gold.txt")) or any(corpus.glob("*.snippets.json")):
        return [corpus]
    return sorted(p for p in corpus.iterdir() if p.is_dir())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="folder of sets (or one set)")
    ap.add_argument("--set", action="append", help="only this set (repeatable)")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst pages of each set")
    ap.add_argument("--ignore", default="", metavar="CODES", help="rule codes, prefixes or groups to turn off, comma-separated")
    ap.add_argument("--favor", choices=("precision", "balanced", "recall"), default=None)
    ap.add_argument("--codes", action="store_true", help="also count removed lines per rule code")
    a = ap.parse_args(argv)

    import newsclean

    options: dict[str, object] = {}
    if a.ignore:
        options["ignore"] = [x.strip() for x in a.ignore.split(",") if x.strip()]
    if a.favor:
        options["favor"] = a.favor
    config = newsclean.Config().with_options(**options)

    print(f"{'set':14} {'pages':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'pages/s':>8} {'MB/s':>6}")
    for folder in find_sets(a.corpus, a.set):
        pages = load_set(folder)
        if not pages:
            print(f"{folder.name:14} no scored pages")
            continue
        codes: Counter = Counter()
        t0 = time.perf_counter()
        results = [newsclean.clean_and_explain(text, config) for _, text, _ in pages]
        secs = time.perf_counter() - t0
        if a.codes:
            for res in results:
                codes.update(res.stats())
        outs = [res.text for res in results]
        size = sum(len(text.encode("utf-8")) for _, text, _ in pages) / 1e6
        snippet_set = isinstance(pages[0][2], dict)
        if snippet_set:
            srows = [snippet_row(g, o) for (_, _, g), o in zip(pages, outs)]  # type: ignore[arg-type]
            p, r, f = snippet_summary(srows)
        else:
            grows = [gold_row(g, o) for (_, _, g), o in zip(pages, outs)]  # type: ignore[arg-type]
            p, r, f = gold_summary(grows)
        print(f"{folder.name:14} {len(pages):5} {f:6.3f} {p:6.3f} {r:6.3f} {len(pages) / secs:8.0f} {size / secs:6.2f}")
        if a.worst:
            if snippet_set:
                order = sorted(zip(srows, pages), key=lambda x: (x[0][0] - x[0][1]) + (x[0][2] - x[0][3]), reverse=True)
                for row, (pid, _, _) in order[: a.worst]:
                    if row[0] - row[1] + row[2] - row[3] == 0:
                        break
                    print(f"    must-stay lost {row[0] - row[1]}/{row[0]}  must-go kept {row[2] - row[3]}/{row[2]}  {folder.name}/{pid}")
            else:
                order = sorted(zip(grows, pages), key=lambda x: f1(row_precision(*x[0]), row_recall(*x[0])))
                for row, (pid, _, _) in order[: a.worst]:
                    p1, r1 = row_precision(*row), row_recall(*row)
                    print(f"    F1 {f1(p1, r1):.3f}  p {p1:.3f}  r {r1:.3f}  {folder.name}/{pid}")
        if a.codes:
            print("    removed lines by code: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
