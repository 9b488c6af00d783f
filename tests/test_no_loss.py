"""Nothing a user owns is lost: outputs planned before writing, backups kept, special
files never replaced, owners kept, truncated inputs refused, JSONL fields untouched."""

from __future__ import annotations

import gzip
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import clean
from newsclean.cli import main

ARTICLE = "The harbor reopened on Monday after three weeks of repairs, officials said.\n"
PAGE = "Watch CBS News\n" + ARTICLE
OTHER = "Watch CBS News\nThe ferry to the island ran again on Tuesday, the operator said.\n"


RULES = ('[group]\nname = "site"\ntitle = "Site"\nprefix = "ST"\n\n[[rule]]\ncode = "ST101"\nname = "site-promo"\n'
         'summary = "s"\nwhy = "w"\nexact = ["support the harbor gazette"]\ndrops = ["Support the Harbor Gazette"]\n')


def run(*args: object, stdin: str | bytes | None = None):
    result = CliRunner().invoke(main, ["-j", "1", *map(str, args)], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


# --- 1. two inputs, one output name ---------------------------------------------------

def test_two_inputs_with_the_same_output_name_are_refused_before_anything_is_written(tmp_path):
    a, b = write(tmp_path / "a" / "x.txt", PAGE), write(tmp_path / "b" / "x.txt", OTHER)
    result = run(a, b, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert str(a) in result.stderr and str(b) in result.stderr and "would both be written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_two_trees_of_the_same_name_are_refused(tmp_path):
    write(tmp_path / "one" / "pages" / "a.txt", PAGE)
    write(tmp_path / "two" / "pages" / "a.txt", OTHER)
    result = run(tmp_path / "one" / "pages", tmp_path / "two" / "pages", "-o", tmp_path / "out", "--force")
    assert result.exit_code == 2 and "would both be written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_input_named_twice_is_cleaned_once(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    result = run(a, tmp_path / "." / "a.txt", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "a.txt").read_text() == ARTICLE


# --- 2. an output that is an input, in every direction -----------------------------------

def test_an_input_tree_inside_the_output_tree_is_never_overwritten(tmp_path):
    w = tmp_path / "w"
    write(w / "pages" / "a.txt", PAGE)
    write(w / "pages" / "pages" / "a.txt", OTHER)
    result = run(w / "pages", "-o", w, "--force")
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert (w / "pages" / "a.txt").read_text() == PAGE


@pytest.mark.parametrize("case", ["output dir holds an input", "save-repeats", "rule file", "symlinked output",
                                  "jsonl rule file", "jsonl save-repeats", "configuration file"])
def test_no_output_of_any_kind_may_be_an_input(tmp_path, case):
    a = write(tmp_path / "a.txt", PAGE)
    out = tmp_path / "out"
    rules = write(tmp_path / "site.toml", RULES)
    keep = {a: PAGE, rules: rules.read_text()}
    if case == "output dir holds an input":
        b = write(out / "a.txt", OTHER)
        keep[b] = OTHER
        args = [a, b, "-o", out, "--force"]
    elif case == "save-repeats":
        args = [a, "-o", out / "a.txt", "--learn-repeats", "--save-repeats", a]
    elif case == "rule file":
        args = [a, "--rules", rules, "-o", rules, "--force"]
    elif case == "symlinked output":
        (tmp_path / "link.txt").symlink_to(a)
        args = [a, "-o", tmp_path / "link.txt", "--force"]
    elif case == "jsonl rule file":
        src = write(tmp_path / "in.jsonl", json.dumps({"text": PAGE}) + "\n")
        keep[src] = src.read_text()
        args = ["--jsonl", src, "--rules", rules, "-o", rules, "--force"]
    elif case == "jsonl save-repeats":
        src = write(tmp_path / "in.jsonl", json.dumps({"text": PAGE}) + "\n")
        keep[src] = src.read_text()
        args = ["--jsonl", src, "--learn-repeats", "--save-repeats", src, "-o", tmp_path / "o.jsonl"]
    else:
        found = write(tmp_path / "newsclean.toml", 'favor = "recall"\n')
        keep[found] = found.read_text()
        args = [a, "-o", found, "--force"]
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert "input" in result.stderr
    assert all(p.read_text() == text for p, text in keep.items())


# --- 3. backups -------------------------------------------------------------------------

def test_an_existing_backup_is_never_overwritten(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    write(tmp_path / "a.txt.orig", "my notes\n")
    result = run(a, "--in-place", "--backup", ".orig")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"newsclean: {a}: backup {a}.orig exists and is kept; not rewritten"]
    assert (tmp_path / "a.txt.orig").read_text() == "my notes\n" and a.read_text() == PAGE


def test_a_second_in_place_run_keeps_the_first_backup(tmp_path):
    a = write(tmp_path / "a.txt", PAGE + "Share this\n")
    assert run(a, "--in-place", "--backup", ".orig").exit_code == 0
    a.write_text(a.read_text() + "Share on Facebook\n")
    assert run(a, "--in-place", "--backup", ".orig").exit_code == 1
    assert (tmp_path / "a.txt.orig").read_text() == PAGE + "Share this\n"


def test_a_backup_suffix_that_names_another_input_is_refused(tmp_path):
    tree = tmp_path / "tree"
    write(tree / "a.txt", PAGE)
    write(tree / "a.txt.txt", OTHER)
    result = run(tree, "--in-place", "--backup", ".txt")
    assert result.exit_code == 2 and "backup of" in result.stderr and "would overwrite the input" in result.stderr
    assert (tree / "a.txt").read_text() == PAGE and (tree / "a.txt.txt").read_text() == OTHER


@pytest.mark.parametrize("suffix", ["/x", "", "../up"])
def test_a_backup_suffix_must_be_a_suffix(tmp_path, suffix):
    a = write(tmp_path / "a.txt", PAGE)
    assert run(a, "--in-place", "--backup", suffix).exit_code == 2
    assert a.read_text() == PAGE


# --- 4. special files as outputs ---------------------------------------------------------

def test_a_named_pipe_as_output_is_written_to_not_replaced(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(a, "-o", fifo, "--force")
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert got == [ARTICLE.encode()] and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_named_pipe_without_a_reader_is_an_error_not_a_file(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = run(a, "-o", fifo, "--force")
    assert result.exit_code == 1 and "named pipe with no reader" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _null_device(tmp_path: Path) -> Path:
    """A character device to write to: a private copy of /dev/null where this process may
    make one (as root, a run that replaced the real one would break the system)."""
    if os.geteuid() != 0:
        return Path("/dev/null")  # not ours to replace: a regression fails, it cannot do harm
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


def test_a_character_device_as_output_is_written_to_not_replaced(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    null = _null_device(tmp_path)
    before = null.lstat()
    for args in ([a, "-o", null, "--force"], [a, "-o", null], ["--jsonl", "-", "-o", null, "--force"]):
        result = run(*args, stdin=json.dumps({"text": PAGE}) + "\n")
        assert result.exit_code == 0, result.stderr
    after = null.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_block_device_as_output_is_refused(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    node = tmp_path / "disk"
    os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 250))
    result = run(a, "-o", node, "--force")
    assert result.exit_code == 1 and "is a block device; not written" in result.stderr
    assert stat.S_ISBLK(node.lstat().st_mode)


# --- 5. in place: owner, links -----------------------------------------------------------

@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_in_place_keeps_owner_group_and_mode(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    os.chown(a, 1234, 2345)
    a.chmod(0o640)
    assert run(a, "--in-place").exit_code == 0
    st_ = a.stat()
    assert (st_.st_uid, st_.st_gid, stat.S_IMODE(st_.st_mode)) == (1234, 2345, 0o640)
    assert a.read_text() == ARTICLE
    out = write(tmp_path / "out.txt", "old\n")
    os.chown(out, 1234, 2345)
    assert run(a, "-o", out, "--force").exit_code == 0
    assert (out.stat().st_uid, out.stat().st_gid) == (1234, 2345)


def test_in_place_on_a_symlink_cleans_its_target_and_keeps_the_link(tmp_path):
    real = write(tmp_path / "real.txt", PAGE)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run(link, "--in-place", "--backup", ".orig")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and real.read_text() == ARTICLE
    assert (tmp_path / "link.txt.orig").read_text() == PAGE


def test_in_place_on_a_hard_link_warns(tmp_path):
    a = write(tmp_path / "a.txt", PAGE)
    os.link(a, tmp_path / "b.txt")
    result = run(a, "--in-place")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"newsclean: {a}: warning: has 2 hard links; rewritten as a new file, so the other link keeps the old text"]
    assert a.read_text() == ARTICLE and (tmp_path / "b.txt").read_text() == PAGE


# --- 6. truncated compressed input ------------------------------------------------------

def _records(n: int, start: int = 0) -> bytes:
    return "".join(json.dumps({"id": i, "text": PAGE}) + "\n" for i in range(start, start + n)).encode()


def _truncated(kind: str) -> bytes:
    if kind == "gz":
        return gzip.compress(_records(5)) + gzip.compress(_records(5, 5))[:9]
    zstd = pytest.importorskip("zstandard")
    second = zstd.ZstdCompressor().compress(_records(5, 5))
    return zstd.ZstdCompressor().compress(_records(5)) + second[: len(second) // 2]


@pytest.mark.parametrize("kind", ["gz", "zst"])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_truncated_multi_frame_input_is_an_error(tmp_path, kind, workers):
    src = write(tmp_path / f"in.jsonl.{kind}", _truncated(kind))
    result = CliRunner().invoke(main, ["--jsonl", str(src), "-j", workers])
    assert result.exit_code == 1
    assert "cannot read" in result.stderr and "Traceback" not in result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [0, 1, 2, 3, 4]
    out = tmp_path / "out.jsonl"
    assert CliRunner().invoke(main, ["--jsonl", str(src), "-o", str(out), "-j", workers]).exit_code == 1
    assert not out.exists()


def test_a_corrupt_zstd_frame_is_an_error(tmp_path):
    zstd = pytest.importorskip("zstandard")
    data = bytearray(zstd.ZstdCompressor().compress(_records(5)) + zstd.ZstdCompressor().compress(_records(5, 5)))
    data[-12] ^= 0xFF
    src = write(tmp_path / "in.jsonl.zst", bytes(data))
    result = run("--jsonl", src)
    assert result.exit_code == 1 and "cannot read" in result.stderr


# --- 7. JSONL: every other field byte for byte ---------------------------------------------

def test_jsonl_keeps_every_other_byte(tmp_path):
    line = ('{"f": 1e400, "big": 123456789012345678901234567890, "n": 1.50, "a": 1, "a": 2,\t"text": '
            + json.dumps(PAGE) + ', "s": "caf\\u00e9 \\ud83d\\ude00", "o": {"k": [1, 2 ,3]}}\r\n')
    src = write(tmp_path / "in.jsonl", line)
    result = run("--jsonl", src)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == line.replace(json.dumps(PAGE), json.dumps(ARTICLE)).encode()


def test_explain_never_overwrites_a_field_and_another_name_can_be_chosen(tmp_path):
    src = write(tmp_path / "in.jsonl", '{"text": ' + json.dumps(PAGE) + ', "newsclean": 5}\n')
    clash = run("--jsonl", src, "--explain")
    assert clash.exit_code == 1
    assert clash.stderr.splitlines() == [f"newsclean: {src}:1: has a field 'newsclean' already, where --explain "
                                         "would put the decisions (--explain-field names another)"]
    assert clash.stdout == src.read_text()
    other = run("--jsonl", src, "--explain", "--explain-field", "why")
    assert other.exit_code == 0
    record = json.loads(other.stdout)
    assert record["newsclean"] == 5 and record["text"] == ARTICLE and record["why"]["removed"][0]["code"] == "NC301"


def test_a_field_named_twice_on_the_path_is_a_bad_record(tmp_path):
    src = write(tmp_path / "in.jsonl", '{"text": "a", "text": ' + json.dumps(PAGE) + '}\n{"text": '
                + json.dumps(PAGE) + "}\n")
    result = run("--jsonl", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"newsclean: {src}:1: field 'text' occurs 2 times"]
    assert result.stdout.splitlines()[1] == '{"text": ' + json.dumps(ARTICLE) + "}"


_scalars = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=8),
                     st.sampled_from(["1e400", "-0.0", "1.50", "12345678901234567890123"]))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k != "text"), _scalars, max_size=5),
       st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : ")]), st.booleans())
def test_only_the_cleaned_field_changes(fields, separators, ascii_only):
    def value(v: object) -> str:
        return v if isinstance(v, str) and v[:1] in "1-" and v[-1:].isdigit() else json.dumps(v, ensure_ascii=ascii_only)

    sep_item, sep_key = separators
    members = [json.dumps(k, ensure_ascii=ascii_only) + sep_key + value(v) for k, v in fields.items()]
    before = "{" + sep_item.join([*members, '"text"' + sep_key + json.dumps(PAGE)]) + "}\n"
    from newsclean.jsonl import clean_lines

    res = clean_lines([before.encode()])
    assert res.errors == []
    assert res.lines == [before.replace(json.dumps(PAGE), json.dumps(ARTICLE)).encode()]
    assert clean(PAGE) == ARTICLE
