"""Cleaning trees in worker processes: every file accounted for, clean stops, resumable runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsclean import Config, clean
from newsclean.batch import RunOptions, WorkerDied, WorkerPool, chunk_size, plan, run_jobs

ROOT = Path(__file__).resolve().parents[1]


def page(i: int) -> str:
    return (f"Watch CBS News\n\nFerry service {i} resumes\n\nThe ferry to the island ran again on day {i}, "
            f"the operator said.\nFerry crossing at dawn 01:{i % 60:02}\n")


def make_tree(root: Path, n: int, bad: tuple[int, ...] = ()) -> Path:
    src = root / "pages"
    for i in range(n):
        p = src / f"d{i % 7}" / f"p{i:05}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        if i in bad:
            p.write_bytes(b"\x89PNG\x00\x00\x00binary")
        else:
            p.write_text(page(i), encoding="utf-8")
    return src


def newsclean(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "newsclean", *args], capture_output=True, text=True, env=env, **kw)


def test_parallel_tree_in_real_worker_processes(tmp_path):
    src = make_tree(tmp_path, 60, bad=(13,))
    out = tmp_path / "out"
    run = newsclean(str(src), "-o", str(out), "-j", "2")
    assert run.returncode == 1
    assert run.stdout == ""
    err = run.stderr.splitlines()
    assert [line for line in err if "p00013.txt" in line] == [f"newsclean: {src / 'd6' / 'p00013.txt'}: binary file (contains NUL bytes); skipped"]
    assert "newsclean: 59 files cleaned, 1 failed;" in run.stderr
    assert "lines removed: navigation 59, video 59" in run.stderr
    for i in range(60):
        if i != 13:
            assert (out / f"d{i % 7}" / f"p{i:05}.txt").read_text(encoding="utf-8") == clean(page(i))
    assert not list(out.rglob("*newsclean-tmp"))


def test_skip_existing_resumes_in_parallel(tmp_path):
    src = make_tree(tmp_path, 30)
    out = tmp_path / "out"
    (out / "d0").mkdir(parents=True)
    (out / "d0" / "p00000.txt").write_text("kept\n", encoding="utf-8")
    run = newsclean(str(src), "-o", str(out), "-j", "2", "--skip-existing")
    assert run.returncode == 0, run.stderr
    assert "29 files cleaned, 1 skipped (output exists)" in run.stderr
    assert (out / "d0" / "p00000.txt").read_text(encoding="utf-8") == "kept\n"
    again = newsclean(str(src), "-o", str(out), "-j", "2", "--skip-existing", "-q")
    assert again.returncode == 0 and again.stderr == ""


@pytest.mark.parametrize("workers", ["2", "1"])
def test_sigterm_stops_cleanly_and_says_how_far_it_got(tmp_path, workers):
    n = 600
    src = make_tree(tmp_path, n)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "newsclean", str(src), "-o", str(out), "-j", workers],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 30
    while not (out.exists() and any(out.rglob("*.txt"))) and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    line = next(x for x in stderr.splitlines() if "interrupted:" in x)
    done = int(line.split("interrupted: ")[1].split(" of ")[0])
    assert line.endswith(f"{done} of {n} files done") and 0 < done < n
    assert "--skip-existing to resume" in stderr
    written = list(out.rglob("*.txt"))
    assert not list(out.rglob("*newsclean-tmp"))
    assert done - 2 <= len(written) <= done + 2  # at most a file per worker between its write and its report
    for p in written:
        i = int(p.stem[1:])
        assert p.read_text(encoding="utf-8") == clean(page(i))
    resume = newsclean(str(src), "-o", str(out), "-j", "2", "--skip-existing")
    assert resume.returncode == 0
    assert f"{n - len(written)} files cleaned, {len(written)} skipped" in resume.stderr


def test_interrupt_in_the_main_process_stops_workers(tmp_path):
    src = make_tree(tmp_path, 400)
    jobs, failed = plan([str(src)], tmp_path / "out")
    assert not failed
    seen = []

    def on_result(res):
        seen.append(res)
        if len(seen) == 5:
            raise KeyboardInterrupt

    outcome = run_jobs(jobs, Config(), RunOptions(), on_result, workers=2)
    assert outcome.interrupted and outcome.total == 400
    assert outcome.done == len(seen) and 5 <= outcome.done < 400
    assert all(r.ok for r in seen)
    written = sorted((tmp_path / "out").rglob("*.txt"))
    assert len(written) >= len(seen)
    assert not list((tmp_path / "out").rglob("*newsclean-tmp"))


def _crash_on_three(task: int) -> int:
    if task == 3:
        os._exit(3)
    return task * 10


def test_a_dying_worker_fails_its_task_only():
    pool = WorkerPool(2)
    try:
        outcomes = dict(pool.run(_crash_on_three, range(8)))
    finally:
        pool.close()
    assert sorted(outcomes) == list(range(8))
    assert isinstance(outcomes[3], WorkerDied)
    assert all(outcomes[i] == i * 10 for i in range(8) if i != 3)


def test_chunk_size():
    assert chunk_size(3, 2) == 1
    assert chunk_size(3000, 2) == 32
    assert chunk_size(100, 2) == 6


def test_start_up_imports_stay_light():
    code = ("import sys, newsclean.cli; "
            "print(sorted(m for m in ('rich', 'multiprocessing', 'concurrent.futures', 'zstandard', 'gzip') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert out.strip() == "[]"
