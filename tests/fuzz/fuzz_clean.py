#!/usr/bin/env python3
"""Fuzz target: any bytes, decoded like a file, must clean without a crash and keep the invariants.

    python tests/fuzz/fuzz_clean.py -max_total_time=60      # with atheris (libFuzzer options)
    python tests/fuzz/fuzz_clean.py --seconds 60             # without atheris: Hypothesis' fuzz_one_input

Invariants checked on every input: decoding raises only ``InputError``; the
cleaned text is idempotent, its lines are input lines in order (for a layout of
blocks: its text stands in the input, in order), and removing exactly the
explained blocks reproduces it.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

_ATHERIS = __name__ == "__main__" and "--seconds" not in sys.argv
if _ATHERIS:  # instrument newsclean only (instrumenting everything takes half a minute)
    import atheris

    with atheris.instrument_imports(include=["newsclean"]):
        import newsclean.passes  # noqa: F401
        import newsclean.pipeline  # noqa: F401

from newsclean import clean, clean_and_explain  # noqa: E402
from newsclean.io import InputError, decode  # noqa: E402
from newsclean.pipeline import replay, split_lines  # noqa: E402


def check_text(text: str) -> None:
    result = clean_and_explain(text)
    out = result.text
    assert clean(out) == out, "not idempotent"
    lines, newline = split_lines(text)
    if result.layout.name == "lines":
        stripped = iter(x.rstrip() for x in lines)
        assert all(any(o == s for s in stripped) for o in split_lines(out)[0]), "output line not from the input"
        for d in result.decisions:
            assert lines[d.lineno - 1] == d.line
    else:
        # blocks of another layout: the output's text stands in the input, in order
        flat, at = "".join(text.split()), 0
        for o in split_lines(out)[0]:
            at = flat.find("".join(o.split()), at)
            assert at >= 0, "output line not from the input"
    assert replay(text, result.decisions, result.layout) == out, "explanation does not replay"


def one_input(data: bytes) -> None:
    try:
        decoded = decode(data)
    except InputError:
        return
    check_text(decoded.text)


def run_with_hypothesis(seconds: float, seed: int = 0) -> int:
    """Feed random buffers to a Hypothesis test through ``fuzz_one_input``; returns iterations run."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(["Watch CBS News", "Advertisement", "Share", "\n", "\r\n", "\r", " ", "\t", "|", "02:31",
                                "The council approved the plan on Tuesday, officials said.", "\u2028", "\ufeff", "-"])
    text = st.one_of(st.binary(max_size=400), st.lists(alphabet, max_size=60).map(lambda xs: "".join(xs).encode()))

    @settings(database=None)
    @given(text)
    def target(data: bytes) -> None:
        one_input(data)

    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        target.hypothesis.fuzz_one_input(rng.randbytes(rng.randint(1, 2000)))
        n += 1
    return n


def main(argv: list[str]) -> None:
    if "--seconds" in argv:
        seconds = float(argv[argv.index("--seconds") + 1])
        print(f"fuzz: {run_with_hypothesis(seconds)} iterations without a failure (hypothesis)")
        return
    import atheris

    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
