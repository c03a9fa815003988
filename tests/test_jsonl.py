"""JSONL in and out: records stream through, fields pass untouched, bad lines are rejected."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner, RecordError
from cleaner.record import versions

from .conftest import FIXTURES
from .test_cli import run


def fixture_texts() -> list[tuple[str, str]]:
    """(name, text) of every plain-text fixture, sorted."""
    return [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted(FIXTURES.glob("*.txt"))
        if not p.name.endswith(".expected.txt")
    ]


def make_records(n: int) -> list[dict]:
    """n records built from the fixtures, with fields around the text in varied order."""
    texts = fixture_texts()
    out = []
    for i in range(n):
        name, text = texts[i % len(texts)]
        if i % 2:
            out.append({"id": f"doc-{i}", "text": text, "meta": {"src": name, "n": [i, None]}})
        else:
            out.append({"url": f"https://example.org/{name}", "text": text, "id": f"doc-{i}"})
    return out


def write_jsonl(path: Path, records: list, extra: list[bytes] = ()) -> None:
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in records] + list(extra)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wb") as fh:
        fh.write(b"\n".join(lines) + b"\n")


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return [json.loads(line) for line in fh]


def test_round_trip_keeps_fields_in_order_and_adds_the_cleaner_object(
    tmp_path: Path, cleaner: Cleaner
) -> None:
    records = make_records(12)
    write_jsonl(tmp_path / "data.jsonl", records)
    proc = run("clean", str(tmp_path / "data.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert proc.returncode == 0, proc.stderr
    out = read_jsonl(tmp_path / "out.jsonl")
    assert len(out) == len(records)
    for rec, got in zip(records, out, strict=True):
        assert list(got) == [*rec, "cleaner"]  # same keys, same order, cleaner last
        for key, value in rec.items():
            if key != "text":
                assert got[key] == value
        result = cleaner.clean(rec["text"])
        assert got["text"] == result.text
        info = got["cleaner"]
        assert info["title"] == result.title
        assert info["removed_lines"] == result.removed_lines
        assert info["removed_share"] == pytest.approx(result.removed_share, abs=1e-4)
        assert info["flags"] == result.flags and info["mode"] == result.mode
        assert info["versions"] == versions(cleaner.ruleset)
        assert "removals" not in info
    assert "12 documents" in proc.stderr  # the summary
    assert not list(tmp_path.glob("*rejects*"))


def test_gzip_in_and_out_is_the_same_stream(tmp_path: Path) -> None:
    records = make_records(6)
    write_jsonl(tmp_path / "a.jsonl", records)
    write_jsonl(tmp_path / "b.jsonl.gz", records)
    assert (
        run("clean", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "a-out.jsonl")).returncode == 0
    )
    for n in (1, 2):
        proc = run("clean", str(tmp_path / "b.jsonl.gz"), "-o", str(tmp_path / f"b{n}.jsonl.gz"))
        assert proc.returncode == 0, proc.stderr
    with gzip.open(tmp_path / "b1.jsonl.gz", "rb") as fh:
        assert fh.read() == (tmp_path / "a-out.jsonl").read_bytes()
    # No time or name in the gzip header: the same records give the same bytes.
    assert (tmp_path / "b1.jsonl.gz").read_bytes() == (tmp_path / "b2.jsonl.gz").read_bytes()


def test_bad_lines_go_to_the_rejects_file_unchanged_and_exit_1(tmp_path: Path) -> None:
    good = make_records(3)
    bad = [
        b'{"id": "broken", "text": "unterminated',
        b'{"id": "none", "text": null}',
        b'{"id": "number", "text": 42}',
        b'{"id": "missing", "body": "no text field"}',
        b"[1, 2, 3]",
    ]
    lines = [json.dumps(good[0]).encode(), bad[0], bad[1], b"", json.dumps(good[1]).encode()]
    lines += [bad[2], bad[3], bad[4], json.dumps(good[2]).encode()]
    src = tmp_path / "data.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out" / "clean.jsonl"
    proc = run("clean", str(src), "-o", str(out), "--id-field", "id")
    assert proc.returncode == 1
    assert [r["id"] for r in read_jsonl(out)] == ["doc-0", "doc-1", "doc-2"]
    rejects = tmp_path / "out" / "clean.rejects.jsonl"
    assert rejects.read_bytes() == b"\n".join(bad) + b"\n"
    for no, why in [(2, "malformed JSON"), (3, "'text' is null"), (6, "'text' is a number")]:
        assert f"data.jsonl:{no}: {why}" in proc.stderr
    assert "data.jsonl:7: no 'text' field (id 'missing')" in proc.stderr
    assert "data.jsonl:8: not a JSON object" in proc.stderr
    assert "5 records rejected" in proc.stderr and "Traceback" not in proc.stderr
    # A rerun that rejects nothing removes the stale rejects file.
    src.write_bytes(b"\n".join(json.dumps(r).encode() for r in good) + b"\n")
    assert run("clean", str(src), "-o", str(out)).returncode == 0
    assert not rejects.exists()


def test_explicit_rejects_file_and_stdout_output(tmp_path: Path) -> None:
    src = tmp_path / "data.jsonl"
    write_jsonl(src, make_records(2), [b"not json"])
    proc = run("clean", str(src), "--rejects", str(tmp_path / "bad.jsonl"))
    assert proc.returncode == 1
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == ["doc-0", "doc-1"]
    assert (tmp_path / "bad.jsonl").read_bytes() == b"not json\n"
    assert "data.jsonl:3: malformed JSON" in proc.stderr


def test_output_field_trace_and_text_field(tmp_path: Path, cleaner: Cleaner) -> None:
    text = fixture_texts()[0][1]
    src = tmp_path / "data.jsonl"
    write_jsonl(src, [{"body": text, "link": "https://example.org/a"}])
    proc = run(
        "clean", str(src), "--text-field", "body", "--url-field", "link",
        "--output-field", "clean", "--trace",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (got,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert list(got) == ["body", "link", "clean", "cleaner"]
    assert got["body"] == text  # the input text stays
    result = cleaner.clean(text)
    assert got["clean"] == result.text
    removals = got["cleaner"]["removals"]
    assert [(r["line"], r["by"], r["text"]) for r in removals] == [
        (r.line, r.by, r.text) for r in result.removals
    ]
    assert all(r["kind"] in ("rule", "heuristic") for r in removals)


def test_format_jsonl_on_stdin_and_stdout() -> None:
    text = fixture_texts()[1][1]
    stdin = json.dumps({"text": text, "n": 1}) + "\n" + json.dumps({"text": "", "n": 2}) + "\n"
    proc = run("clean", "-", "--format", "jsonl", stdin=stdin.encode())
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["n"] for r in out] == [1, 2]
    assert out[0]["text"] == Cleaner().clean(text).text and out[1]["text"] == ""


def test_jsonl_files_in_a_folder_are_records(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    write_jsonl(src / "sub" / "part.jsonl.gz", make_records(3))
    (src / "page.txt").write_text(fixture_texts()[0][1], encoding="utf-8")
    proc = run("clean", str(src), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert len(read_jsonl(tmp_path / "out" / "sub" / "part.jsonl.gz")) == 3
    assert (tmp_path / "out" / "page.txt").exists()


def test_jobs_2_gives_the_same_bytes_in_the_same_order(tmp_path: Path) -> None:
    records = make_records(300)  # several chunks of records
    write_jsonl(tmp_path / "data.jsonl", records, [b"oops"])
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        proc = run("clean", str(tmp_path / "data.jsonl"), "-o", str(out), "--jobs", jobs)
        assert proc.returncode == 1 and "data.jsonl:301: malformed JSON" in proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert [r["id"] for r in read_jsonl(tmp_path / "out2.jsonl")] == [r["id"] for r in records]


@pytest.mark.parametrize("by_id", [False, True])
def test_shards_of_records_cover_every_record_once(tmp_path: Path, by_id: bool) -> None:
    records = make_records(40)
    write_jsonl(tmp_path / "data.jsonl", records, [b"bad line"])
    ids: list[str] = []
    rejected = 0
    for i in range(3):
        out = tmp_path / f"part{i}.jsonl"
        args = ["--id-field", "id"] if by_id else []
        proc = run(
            "clean", str(tmp_path / "data.jsonl"), "-o", str(out), "--shard", f"{i}/3", *args
        )
        assert proc.returncode in (0, 1), proc.stderr
        part = [r["id"] for r in read_jsonl(out)]
        assert part, "every shard gets some of 40 records"
        ids += part
        rejected += proc.returncode
    assert sorted(ids) == sorted(r["id"] for r in records)  # each exactly once
    assert rejected == 1  # the bad line belongs to exactly one shard


def test_numbers_beyond_64_bits_and_nan_pass_through(tmp_path: Path) -> None:
    src = tmp_path / "data.jsonl"
    src.write_bytes(b'{"big": 123456789012345678901234567890, "x": NaN, "text": "Hello there."}\n')
    proc = run("clean", str(src))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('{"big":123456789012345678901234567890,"x":NaN,"text":')


def test_sigterm_leaves_no_partial_jsonl_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", "-", "--format", "jsonl", "-o",
         str(out / "data.jsonl"), "--jobs", "2"],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None
    for rec in make_records(5):
        proc.stdin.write(json.dumps(rec).encode() + b"\n")
    proc.stdin.flush()  # stdin stays open: the run waits for more records
    deadline = time.monotonic() + 60
    while not list(out.glob(".data.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.glob(".data.jsonl.*.tmp")), "the run never started its output"
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert b"--resume" in stderr and b"Traceback" not in stderr
    assert list(out.iterdir()) == []


def test_clean_record_api(cleaner: Cleaner) -> None:
    text = fixture_texts()[2][1]
    rec = {"id": 7, "text": text, "tags": ["a"]}
    got = cleaner.clean_record(rec, trace=True)
    assert got is not rec and rec["text"] == text  # the input is not modified
    assert got["text"] == cleaner.clean(text).text and got["tags"] == ["a"]
    assert got["cleaner"]["removals"]
    assert cleaner.clean_record({"body": text}, text_field="body", output_field="out")["out"]
    with pytest.raises(RecordError, match="no 'text' field"):
        cleaner.clean_record({"body": text})
    with pytest.raises(RecordError, match="is null"):
        cleaner.clean_record({"text": None})
    assert cleaner.clean(text, url="https://example.org/").text == cleaner.clean(text).text
