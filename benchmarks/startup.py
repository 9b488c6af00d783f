#!/usr/bin/env python3
"""Start-up time of the newsclean command beside `python -c "import click"`, in one run.

    python benchmarks/startup.py [--runs 21]

Prints the median wall time of each command over the runs, interleaved so that
machine load affects all alike, and newsclean's overhead over importing click
(target: within 50 ms).

With PYTHONDONTWRITEBYTECODE set (and no byte code cached yet), every run compiles
newsclean's modules from source, which an installed package never does; the
script says so when it sees that setting (PYTHONPYCACHEPREFIX=/some/dir with the
variable unset measures the usual case without writing into the source tree).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "fixtures" / "cbs-levee.txt").read_bytes()

COMMANDS = {
    "python -c 'import click'": ([sys.executable, "-c", "import click"], None),
    "newsclean --version": ([sys.executable, "-m", "newsclean", "--version"], None),
    "newsclean < small page": ([sys.executable, "-m", "newsclean"], PAGE),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21)
    a = ap.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(a.runs):
        for name, (cmd, stdin) in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["python -c 'import click'"])
    print(f"median of {a.runs} runs")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: newsclean's modules may be compiled from source in every run")
    for name, ts in times.items():
        med = statistics.median(ts)
        extra = "" if med is base else f"   +{(med - base) * 1000:5.1f} ms over import click"
        print(f"{name:28} {med * 1000:7.1f} ms{extra}")


if __name__ == "__main__":
    main()
