"""Cleaning JSON Lines datasets: one field cleaned, everything else and the order kept."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsclean import clean, clean_and_explain
from newsclean.cli import main
from newsclean.jsonl import JsonlOptions, Source, clean_lines, run

ROOT = Path(__file__).resolve().parents[1]


def page(i: int) -> str:
    return (f"Watch CBS News\n\nLibrary extends hours {i}\n\nThe city library will stay open until nine on weekdays, "
            f"the board said on day {i}.\nInside the new reading room 03:{i % 60:02}\n")


def records(n: int) -> list[dict]:
    return [{"id": i, "url": f"https://www.ledger.example/story/{i}", "doc": {"body": page(i), "lang": "en"},
             "score": 0.5} for i in range(n)]


def as_jsonl(recs: list) -> str:
    return "".join(json.dumps(r) + "\n" for r in recs)


@pytest.fixture
def runner():
    return CliRunner()


def test_cleans_nested_field_and_keeps_the_rest(runner):
    recs = records(3)
    result = runner.invoke(main, ["--jsonl", "--field", "doc.body", "-"], input=as_jsonl(recs))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in out] == [0, 1, 2]
    for before, after in zip(recs, out):
        assert after["doc"]["body"] == clean(before["doc"]["body"])
        assert after["doc"]["lang"] == "en" and after["url"] == before["url"] and after["score"] == 0.5
        assert list(after) == list(before)


def test_explain_adds_decisions_in_their_own_field(runner):
    recs = [{"text": page(7)}]
    result = runner.invoke(main, ["--jsonl", "--explain"], input=as_jsonl(recs))
    out = json.loads(result.stdout)
    expected = [d.to_dict() for d in clean_and_explain(page(7)).decisions]
    assert out["newsclean"] == {"removed": expected, "notes": []}
    assert {"line": 1, "text": "Watch CBS News", "code": "NC301"}.items() <= out["newsclean"]["removed"][0].items()


def test_format_json_puts_the_article_parts_in_each_record(runner):
    text = ("Watch CBS News\n\nRiver rises past record mark\n\nBy Jane Doe\n\n"
            "The river rose past its record mark on Tuesday, officials said, and more rain is expected later this "
            "week across the valley.\n\nResidents were asked to move their cars to higher ground before nightfall, "
            "the mayor said in a statement.\n")
    result = runner.invoke(main, ["--jsonl", "--format", "json"], input=as_jsonl([{"id": 1, "text": text}]))
    out = json.loads(result.stdout)
    assert out["id"] == 1 and out["text"] == clean(text)
    assert out["newsclean"]["headline"] == "River rises past record mark"
    assert out["newsclean"]["byline"] == "By Jane Doe"
    assert out["newsclean"]["body"].startswith("The river rose") and "removed" not in out["newsclean"]
    both = json.loads(runner.invoke(main, ["--jsonl", "--format", "json", "--explain"],
                                    input=as_jsonl([{"id": 1, "text": text}])).stdout)
    assert both["newsclean"]["headline"] == out["newsclean"]["headline"] and both["newsclean"]["removed"]


def test_format_json_never_overwrites_a_field_of_the_record(runner):
    result = runner.invoke(main, ["--jsonl", "--format", "json"], input=as_jsonl([{"text": page(7), "newsclean": 1}]))
    assert result.exit_code == 1 and "has a field 'newsclean' already" in result.stderr
    assert json.loads(result.stdout)["newsclean"] == 1


BAD = ['{"text": "Ok line of an article, the council said."}', "{broken", '{"other": 1}', '{"text": 42}',
       "[1, 2]", "", '{"text": "Last record of the set, the clerk said."}']


@pytest.mark.parametrize("mode", ["pass", "drop"])
def test_bad_records_are_reported_with_line_numbers(runner, mode):
    result = runner.invoke(main, ["--jsonl", "--on-error", mode, "-"], input="\n".join(BAD) + "\n")
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert "newsclean: <stdin>:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)" in err
    assert "newsclean: <stdin>:3: no field 'text'" in err
    assert "newsclean: <stdin>:4: field 'text' is a number, not a string" in err
    assert "newsclean: <stdin>:5: not a JSON object but an array" in err
    lines = result.stdout.splitlines()
    if mode == "pass":
        assert lines[1:5] == BAD[1:5] and len(lines) == 6
    else:
        assert len(lines) == 2
    assert json.loads(lines[-1])["text"] == "Last record of the set, the clerk said.\n"


def test_on_error_fail_stops_and_writes_no_output_file(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(BAD) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["--jsonl", str(src), "-o", str(out), "--on-error", "fail"])
    assert result.exit_code == 1
    assert f"{src}:2: invalid JSON" in result.stderr and "--on-error fail" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*newsclean-tmp"))


def test_gzip_in_and_out_and_zstd(runner, tmp_path):
    recs = records(5)
    gz = tmp_path / "in.jsonl.gz"
    gz.write_bytes(gzip.compress(as_jsonl(recs).encode()))
    out = tmp_path / "out.jsonl.gz"
    result = runner.invoke(main, ["--jsonl", str(gz), "--field", "doc.body", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "5 records cleaned" in result.stderr
    got = [json.loads(x) for x in gzip.decompress(out.read_bytes()).splitlines()]
    assert [r["doc"]["body"] for r in got] == [clean(r["doc"]["body"]) for r in recs]
    again = runner.invoke(main, ["--jsonl", str(gz), "--field", "doc.body", "-o", str(out)])
    assert again.exit_code == 1 and "exists" in again.stderr
    zstandard = pytest.importorskip("zstandard")
    zst = tmp_path / "in.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(as_jsonl(recs).encode()))
    result = runner.invoke(main, ["--jsonl", "--field", "doc.body", "-"], input=zst.read_bytes())
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [0, 1, 2, 3, 4]


def test_zstd_without_the_package_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)
    zst = tmp_path / "in.jsonl.zst"
    zst.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    result = runner.invoke(main, ["--jsonl", str(zst)])
    assert result.exit_code == 1
    assert "needs the zstandard package" in result.stderr and "newsclean[zstd]" in result.stderr
    assert "Traceback" not in result.output


def test_parallel_keeps_record_order_across_chunks(tmp_path, monkeypatch):
    import newsclean.jsonl as jl

    recs = records(230)
    src = tmp_path / "in.jsonl"
    src.write_text(as_jsonl(recs), encoding="utf-8")
    out = io.BytesIO()
    monkeypatch.setattr(jl, "CHUNK_RECORDS", 7)  # many chunks, in worker processes
    source = Source(str(src))
    chunks = list(source.chunks(max_records=7))
    assert len(chunks) == 33 and chunks[1][0] == 8
    source.close()
    outcome = run(Source(str(src)), out.write, opts=JsonlOptions(field="doc.body"), workers=2)
    assert outcome.records == 230 and outcome.failed == 0 and outcome.stats["NC101"] == 230
    got = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["id"] for r in got] == list(range(230))
    assert got[111]["doc"]["body"] == clean(page(111))


def test_cli_parallel_in_real_processes(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(as_jsonl(records(1200)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run_ = subprocess.run([sys.executable, "-m", "newsclean", "--jsonl", str(src), "--field", "doc.body", "-j", "2"],
                          capture_output=True, env=env)
    assert run_.returncode == 0, run_.stderr
    ids = [json.loads(x)["id"] for x in run_.stdout.splitlines()]
    assert ids == list(range(1200))


def test_learn_repeats_by_site(runner, tmp_path):
    recs = []
    for i in range(24):
        site = "a.example" if i % 2 else "b.example"
        header = "Alpha Weekly | Home" if site == "a.example" else "Beta Daily | Home"
        recs.append({"url": f"https://{site}/{i}", "text": f"{header}\nStory {i} about the new park.\n"})
    recs[3]["text"] += "Shared line\n"
    recs[5]["text"] += "Shared line\n"
    src = tmp_path / "in.jsonl"
    src.write_text(as_jsonl(recs), encoding="utf-8")
    saved = tmp_path / "sites.json"
    result = runner.invoke(main, ["--jsonl", str(src), "--learn-repeats", "--site-field", "url",
                                  "--save-repeats", str(saved), "--explain"])
    assert result.exit_code == 0, result.stderr
    assert "learned 2 repeated lines on 2 site(s)" in result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert out[3]["text"] == "Story 3 about the new park.\nShared line\n"
    assert out[4]["text"] == "Story 4 about the new park.\n"
    assert out[3]["newsclean"]["removed"][0]["detail"] == "repeated in 12 of 12 documents"
    reuse = runner.invoke(main, ["--jsonl", str(src), "--repeats", str(saved), "--site-field", "url"])
    assert [json.loads(x) for x in reuse.stdout.splitlines()] == [
        {k: v for k, v in r.items() if k != "newsclean"} for r in out]
    stdin = runner.invoke(main, ["--jsonl", "-", "--learn-repeats"], input=src.read_text())
    assert stdin.exit_code == 2 and "give a file, not standard input" in stdin.stderr


def test_clean_lines_api():
    res = clean_lines([b'{"text": "Watch CBS News\\nThe bridge reopened on Monday, officials said.\\n"}\n'])
    assert json.loads(res.lines[0]) == {"text": "The bridge reopened on Monday, officials said.\n"}
    assert res.stats == {"NC301": 1}


@pytest.mark.parametrize("args,message", [
    (["--jsonl", "--field", "doc..body"], "invalid field path"),
    (["--jsonl", "--in-place", "x"], "--in-place does not go with --jsonl"),
    (["--jsonl", "a", "b"], "one input"),
    (["--field", "doc.body"], "--field, --on-error, --explain-field and --max-record-mb go with --jsonl"),
])
def test_usage_errors(runner, args, message):
    result = runner.invoke(main, args, input="")
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupt_stops_the_run_and_leaves_no_output_file(tmp_path, monkeypatch, workers):
    import newsclean.jsonl as jl

    src = tmp_path / "in.jsonl"
    src.write_text(as_jsonl(records(60)), encoding="utf-8")
    monkeypatch.setattr(jl, "CHUNK_RECORDS", 10)
    seen = []

    def on_chunk(res):
        seen.append(res.records)
        if len(seen) == 2:
            raise KeyboardInterrupt

    sink = jl.AtomicOutput(tmp_path / "out.jsonl")
    outcome = run(Source(str(src)), sink.write, opts=JsonlOptions(field="doc.body"), workers=workers, on_chunk=on_chunk)
    assert outcome.interrupted and outcome.records == 20
    sink.abort()
    assert list(tmp_path.iterdir()) == [src]
