#!/usr/bin/env python3
"""How much faster a tree is cleaned with 2 worker processes than with 1.

Builds a tree of pages in a temporary directory from the project's fixtures
(every fixture page, replicated with variations: numbered lines, paragraphs
repeated and reordered, pages of several sizes), cleans it with the real
command line, once with ``-j 1`` and once with ``-j 2`` (outputs written
atomically, as in any run), checks that both runs wrote the same files, and
prints both times and their ratio.

    python benchmarks/batch_speedup.py                 # 3000 pages in the system temp dir
    python benchmarks/batch_speedup.py --files 5000 --dir /dev/shm
    python benchmarks/batch_speedup.py --workers 4     # 1 vs 4 workers
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def fixture_pages() -> list[list[str]]:
    pages = [p.read_text(encoding="utf-8").splitlines() for p in sorted(FIXTURES.glob("*.txt"))
             if not p.name.endswith(".expected.txt")]
    if not pages:
        sys.exit(f"no fixture pages in {FIXTURES}")
    return pages


def variant(lines: list[str], i: int, rng: random.Random) -> str:
    """One page: the fixture's furniture kept in place, its paragraphs numbered, repeated and reordered."""
    head, body, tail = lines[:4], lines[4:-6], lines[-6:]
    paragraphs = [x for x in body if x.strip()]
    copies = rng.choice((1, 2, 3, 5))
    new_body: list[str] = []
    for c in range(copies):
        chunk = paragraphs[:]
        rng.shuffle(chunk)
        for j, p in enumerate(chunk):
            new_body += [f"{p} (Part {i}.{c}.{j})" if p.endswith(".") else p, ""]
    return "\n".join(head + [""] + new_body + tail) + "\n"


def build_tree(root: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    pages = fixture_pages()
    total = 0
    for i in range(n):
        path = root / f"site{i % 10}" / f"{i // 100:03}" / f"page{i:06}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = variant(pages[i % len(pages)], i, rng).encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def run(src: Path, out: Path, workers: int) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (all processes of the run)."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "newsclean", str(src), "-o", str(out), "-j", str(workers),
                           "--no-progress", "-q"], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"newsclean -j {workers} failed ({proc.returncode}):\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*.txt"))
    files_b = sorted(p.relative_to(b) for p in b.rglob("*.txt"))
    return files_a == files_b and all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=3000, help="pages in the tree (default 3000)")
    ap.add_argument("--workers", type=int, default=2, help="workers of the parallel run (default 2)")
    ap.add_argument("--dir", default=None, help="where to build the tree (default: the system temp dir)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best time counts (default 1)")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="newsclean-bench-", dir=args.dir))
    try:
        src = base / "pages"
        size = build_tree(src, args.files)
        load = os.getloadavg()[0]
        print(f"tree: {args.files} pages, {size / 1e6:.1f} MB, in {base} ({os.cpu_count()} cores, load {load:.1f})")
        if load > 0.5:
            print("note: the machine is busy; other processes share the cores and the ratio understates the speed-up")
        times = {}
        for workers in (1, args.workers):
            best = None
            for r in range(args.repeat):
                out = base / f"out-{workers}-{r}"
                t, cpu = run(src, out, workers)
                if best is None or t < best[0]:
                    best = (t, cpu)
            times[workers] = best[0]
            print(f"-j {workers}: {best[0]:6.2f} s  ({args.files / best[0]:6.0f} pages/s, {best[1]:6.2f} s of CPU)")
        if not same_tree(base / "out-1-0", base / f"out-{args.workers}-0"):
            sys.exit("the two runs wrote different trees")
        print(f"speed-up 1 -> {args.workers} workers: {times[1] / times[args.workers]:.2f}x")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
