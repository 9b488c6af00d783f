#!/usr/bin/env python3
"""Throughput of newsclean beside a pass-through and jusText, in one run, with ratios.

    python benchmarks/speed.py                 # pages from ../shared/corpus, else the fixtures
    python benchmarks/speed.py DIR [DIR...]    # any folders of *.txt pages
    python benchmarks/speed.py --repeat 5      # best of 5 rounds per contender
    python benchmarks/speed.py --cpu           # CPU time of this process, not wall time
                                               # (steadier on a busy machine)

Contenders, all single-process on the same texts:
  pass-through  split each page into lines, strip trailing spaces, join (the practical ceiling)
  newsclean     newsclean.clean() with the default configuration (full article detection)
  fixed layout  the same with --layout lines: no layout guess. The ratio of the two on the
                pages guessed one block per line (where both clean alike) is the guess's
                cost; on all pages it also holds the work of reading the other layouts.
  jusText       each line wrapped as a <p> paragraph, English stop-list (if installed:
                pip install justext lxml_html_clean)

Each contender runs several rounds; the best round counts. newsclean starts every round
without its memory of the short lines it has already seen. Ratios are printed against
jusText and against the pass-through.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_pages(dirs: list[Path]) -> list[str]:
    pages = []
    for d in dirs:
        for p in sorted(d.rglob("*.txt")):
            if p.name.endswith((".gold.txt", ".expected.txt")):
                continue
            pages.append(p.read_text(encoding="utf-8", errors="replace"))
    return pages


def default_dirs() -> list[Path]:
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        return [corpus]
    return [ROOT / "fixtures"]


def passthrough(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


def make_justext() -> Callable[[str], str] | None:
    try:
        import justext
    except Exception:
        return None
    stoplist = justext.get_stoplist("English")

    def run(text: str) -> str:
        doc = "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in text.split("\n") if x.strip()) + "</body></html>"
        paragraphs = justext.justext(doc, stoplist)
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def best_seconds(fn: Callable[[str], str], pages: list[str], repeat: int,
                 clock: Callable[[], float] = time.perf_counter,
                 before_round: Callable[[], None] = lambda: None) -> float:
    best = float("inf")
    for _ in range(repeat):
        before_round()
        t0 = clock()
        for page in pages:
            fn(page)
        best = min(best, clock() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cpu", action="store_true", help="time with the process's CPU clock instead of the wall clock")
    ap.add_argument("--min-mb", type=float, default=2.0, help="replicate the pages up to at least this many MB")
    a = ap.parse_args()
    import newsclean

    pages = load_pages(a.dirs or default_dirs())
    if not pages:
        sys.exit("no pages found")
    size = sum(len(p.encode("utf-8")) for p in pages)
    while size < a.min_mb * 1e6:
        pages = pages + pages
        size *= 2
    mb = size / 1e6
    newsclean.clean(pages[0])  # compile rules and load data once, outside the timing
    lines_only = newsclean.Config(layout="lines")
    contenders: list[tuple[str, Callable[[str], str]]] = [
        ("pass-through", passthrough), ("newsclean", newsclean.clean),
        ("fixed layout", lambda text: newsclean.clean(text, lines_only))]
    jt = make_justext()
    if jt is not None:
        contenders.append(("jusText", jt))
    # newsclean remembers what its pattern rules said of short lines already seen (a
    # site's furniture recurs on all its pages): every round starts without that memory.
    from newsclean.config import DEFAULT

    forget = {"newsclean": DEFAULT.compiled().matcher.forget, "fixed layout": lines_only.compiled().matcher.forget}
    rates = {}
    for name, fn in contenders:
        rates[name] = mb / best_seconds(fn, pages, a.repeat, time.process_time if a.cpu else time.perf_counter,
                                        forget.get(name, lambda: None))
    clock = "CPU time" if a.cpu else "wall time"
    print(f"{len(pages)} pages, {mb:.1f} MB, best of {a.repeat} rounds, one core, {clock}")
    print(f"{'contender':14} {'MB/s':>9} {'pages/s':>9}")
    for name, rate in rates.items():
        print(f"{name:14} {rate:9.2f} {rate / mb * len(pages):9.0f}")
    nc = rates["newsclean"]
    print()
    print(f"newsclean / pass-through = 1/{rates['pass-through'] / nc:.1f}   (target: at least 1/25)")
    print(f"newsclean / fixed layout = {nc / rates['fixed layout']:.3f}   (all pages: the guess, and the pages it reads "
          "in another layout)")
    # The guess alone: on the pages it reads as one block per line, both contenders clean alike.
    from newsclean.layout import LINES, detect
    from newsclean.pipeline import split_lines

    plain = [p for p in pages if detect(split_lines(p)[0], p).name == LINES]
    clock_fn = time.process_time if a.cpu else time.perf_counter
    guessed = best_seconds(newsclean.clean, plain, a.repeat, clock_fn, forget["newsclean"])
    fixed = best_seconds(lambda text: newsclean.clean(text, lines_only), plain, a.repeat, clock_fn,
                         forget["fixed layout"])
    print(f"newsclean / fixed layout = {fixed / guessed:.3f}   (the {len(plain)} pages guessed one block per line: "
          "the guess alone; target: at least 0.95)")
    if "jusText" in rates:
        print(f"newsclean / jusText      = {nc / rates['jusText']:.1f}x   (target: at least 10x)")
    else:
        print("jusText not installed (pip install justext lxml_html_clean): no ratio against it")


if __name__ == "__main__":
    main()
