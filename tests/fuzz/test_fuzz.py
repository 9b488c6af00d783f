"""Run the fuzz target for a bounded time: about 20 s in CI (CI=true), 3 s locally.

``NEWSCLEAN_FUZZ_SECONDS`` sets the time. With atheris installed the target
runs under libFuzzer in a subprocess; otherwise Hypothesis' ``fuzz_one_input``
feeds it random buffers. The number of iterations is printed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SECONDS = float(os.environ.get("NEWSCLEAN_FUZZ_SECONDS") or (20 if os.environ.get("CI") == "true" else 3))

sys.path.insert(0, str(HERE))
import fuzz_clean  # noqa: E402


@pytest.mark.parametrize("text", [
    "", "\r", "\r\n\r\n", "Watch CBS News\n", "x\ry\r\nz\n", "\ufeff\u2028 |\n\n-\n",
    "Share\n\nThe council approved the plan on Tuesday, officials said.\r\n\r\n02:31\n",
    # glued: its output, one segment per line, is read as one block per line the second time
    "Watch CBS NewsWatch CBS News02:31\n02:31\r\n02:31\nThe council approved the plan on Tuesday, officials said."
    "The council approved the plan on Tuesday, officials said.AdvertisementThe council approved the plan on Tuesday, "
    "officials said.\tShareAdvertisement02:31\nShareThe council approved the plan on Tuesday, officials said."
    "Advertisement\u2028\n\r Advertisement",
])
def test_the_target_accepts_known_inputs(text):
    fuzz_clean.check_text(text)
    fuzz_clean.one_input(text.encode("utf-8"))


def test_fuzz_for_a_bounded_time(capsys):
    if importlib.util.find_spec("atheris") is not None:
        proc = subprocess.run(
            [sys.executable, str(HERE / "fuzz_clean.py"), f"-max_total_time={max(1, int(SECONDS))}", "-rss_limit_mb=4096",
             "-max_len=4096"], capture_output=True, text=True, timeout=SECONDS + 120)
        assert proc.returncode == 0, proc.stderr[-4000:]
        done = re.findall(r"Done (\d+) runs", proc.stderr)
        runs, engine = int(done[-1]) if done else 0, "atheris"
    else:
        runs, engine = fuzz_clean.run_with_hypothesis(SECONDS), "hypothesis"
    with capsys.disabled():
        print(f"\nfuzz: {runs} iterations in {SECONDS:g} s without a failure ({engine})")
    assert runs > 0
