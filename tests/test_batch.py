"""Batches: parallel runs equal serial ones, shards split inputs, runs survive being killed."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.io.jsonl import AtomicWriter, rejects_path, remove_stale_temps
from cleaner.run.jobs import JSONL, TEXT, UsageError
from cleaner.run.plan import plan
from cleaner.run.shards import parse_shard

from .conftest import FIXTURES, ROOT
from .test_cli import run


def make_tree(root: Path, copies: int = 1) -> Path:
    """A folder of the fixtures' raw documents (text and HTML), `copies` times over."""
    sources = [
        p
        for p in sorted(FIXTURES.iterdir())
        if p.suffix in (".txt", ".html") and not p.name.endswith(".expected.txt")
    ]
    for c in range(copies):
        for p in sources:
            dest = root / f"c{c}" / p.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


def test_plan_names_outputs_by_kind(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    for name in (
        "x.txt",
        "a/y.html",
        "a/z.jsonl",
        "a/w.jsonl.gz",
        "a/skip.md",
        "a/z.rejects.jsonl",
    ):
        (src / name).write_text("{}\n")
    jobs = {j.source.relative_to(src).as_posix(): j for j in plan([src], tmp_path / "out")}
    assert {
        k: (v.target.relative_to(tmp_path / "out").as_posix(), v.kind) for k, v in jobs.items()
    } == {
        "x.txt": ("x.txt", TEXT),
        "a/y.html": ("a/y.txt", TEXT),
        "a/z.jsonl": ("a/z.jsonl", JSONL),
        "a/w.jsonl.gz": ("a/w.jsonl.gz", JSONL),
    }
    assert jobs["a/z.jsonl"].key == "a/z.jsonl"
    (one,) = plan([src / "a" / "z.jsonl"], tmp_path / "o.jsonl.gz")
    assert one.target == tmp_path / "o.jsonl.gz" and one.kind == JSONL
    with pytest.raises(UsageError, match="JSONL file"):
        plan([src], tmp_path / "o.jsonl")
    with pytest.raises(UsageError, match="not JSONL"):
        plan([src / "x.txt"], tmp_path / "o.jsonl")
    (forced,) = plan([src / "x.txt"], tmp_path / "o.jsonl", fmt="jsonl")
    assert forced.kind == JSONL
    assert rejects_path(tmp_path / "o.jsonl.gz") == tmp_path / "o.rejects.jsonl"


def test_parse_shard() -> None:
    assert parse_shard("0/1") == (0, 1) and parse_shard("3/4") == (3, 4)
    for bad in ("4/4", "-1/2", "1/0", "a/b", "1", "1/2/3", ""):
        with pytest.raises(UsageError, match="I/N"):
            parse_shard(bad)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "2/2"], "--shard '2/2': expected I/N"),
        (["--jobs", "0"], "--jobs must be 1 or more"),
    ],
)
def test_bad_batch_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run("clean", str(make_tree(tmp_path / "in")), "-o", str(tmp_path / "out"), *args)
    assert proc.returncode == 2 and message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_jobs_2_writes_the_same_tree_and_stats(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "in", copies=2)
    (src / "c0" / "broken.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    trees = []
    for jobs in ("1", "2"):
        stats = tmp_path / f"stats{jobs}.json"
        out = tmp_path / f"out{jobs}"
        proc = run("clean", str(src), "-o", str(out), "--jobs", jobs, "--stats", str(stats))
        assert proc.returncode == 1 and "broken.txt: binary file" in proc.stderr
        assert "Traceback" not in proc.stderr and "\x1b[" not in proc.stderr  # no progress bar
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1]
    n_inputs = sum(1 for p in src.rglob("*") if p.is_file())
    assert len(trees[0]) == n_inputs - 1
    s1, s2 = (json.loads((tmp_path / f"stats{j}.json").read_text()) for j in "12")
    for key in ("documents", "bytes_in", "bytes_out", "words_in", "words_out", "hits", "flags"):
        assert s1[key] == s2[key], key
    assert s2["jobs"] == 2 and s2["inputs"] == n_inputs and s2["inputs_failed"] == 1
    assert s2["documents"] == n_inputs - 1 == s2["inputs_done"]
    assert s2["bytes_out"] == sum(len(b) for b in trees[1].values())
    assert 0 < s2["removed_share"] < 1
    assert s2["top_rules"][0]["hits"] == max(s2["hits"].values())
    assert set(s2["versions"]) == {"cleaner", "rules", "path", "files"}


def test_shards_of_files_cover_each_input_once(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "in", copies=2)
    whole = run("clean", str(src), "-o", str(tmp_path / "whole"), "-q")
    assert whole.returncode == 0, whole.stderr
    parts = []
    for i in range(2):
        proc = run("clean", str(src), "-o", str(tmp_path / "all"), "--shard", f"{i}/2", "-q")
        assert proc.returncode == 0, proc.stderr
        parts.append(tree_bytes(tmp_path / "all"))
        shutil.rmtree(tmp_path / "all")
    assert parts[0] and parts[1] and not set(parts[0]) & set(parts[1])
    assert {**parts[0], **parts[1]} == tree_bytes(tmp_path / "whole")


def test_resume_skips_complete_outputs(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "in")
    out = tmp_path / "out"
    assert run("clean", str(src), "-o", str(out), "-q").returncode == 0
    done = tree_bytes(out)
    kept, redo = sorted(done)[:2]
    (out / kept).write_text("left alone\n")
    (out / redo).unlink()
    stale = (out / redo).with_name(f".{Path(redo).name}.abcd1234.tmp")
    stale.write_text("left by a killed run")
    proc = run("clean", str(src), "-o", str(out), "--resume")
    assert proc.returncode == 0, proc.stderr
    assert f"{len(done) - 1} already done (skipped)" in proc.stderr
    assert (out / kept).read_text() == "left alone\n"
    assert (out / redo).read_bytes() == done[redo]
    assert temp_files(out) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_half_way_then_resume_ends_identical(tmp_path: Path, jobs: str) -> None:
    """The issue's acceptance test. A named pipe named on the command line, in the
    middle of the inputs, holds the run there: a file named directly is read whatever
    it is (a pipe, as `<(zcat ...)` makes), and nothing writes to this one, so SIGTERM
    always lands half-way, whatever the speed. (Found in a folder, a pipe is skipped.)"""
    src = make_tree(tmp_path / "tree", copies=3)
    flat = tmp_path / "in"
    flat.mkdir()
    for p in sorted(src.rglob("*.*")):
        shutil.copyfile(p, flat / f"{p.parent.name}_{p.name}")
    files = [str(p) for p in sorted(flat.iterdir())]
    hold = flat / "m_hold.txt"
    os.mkfifo(hold)
    inputs = [*files[: len(files) // 2], str(hold), *files[len(files) // 2 :]]
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner", "clean", *inputs, "-o", str(out), "--jobs", jobs]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(out.rglob("*.txt")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert list(out.rglob("*.txt")), "no output appeared"
    time.sleep(0.5)  # the run reaches the pipe and waits there
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert b"stopped by SIGTERM" in stderr and b"--resume" in stderr
    assert b"Traceback" not in stderr
    assert temp_files(out) == []
    interrupted = tree_bytes(out)
    assert 0 < len(interrupted) <= len(files) // 2

    hold.unlink()
    shutil.copyfile(FIXTURES / "aggregator_disclaimer_wildfire.txt", hold)
    proc2 = run("clean", *inputs, "-o", str(out), "--jobs", jobs, "--resume")
    assert proc2.returncode == 0, proc2.stderr
    assert f"{len(interrupted)} already done (skipped)" in proc2.stderr
    reference = run("clean", *inputs, "-o", str(tmp_path / "ref"), "--jobs", "1", "-q")
    assert reference.returncode == 0
    final = tree_bytes(out)
    assert final == tree_bytes(tmp_path / "ref")
    assert len(final) == len(files) + 1  # every input, the held one included
    assert all(final[k] == v for k, v in interrupted.items())  # complete when written
    assert temp_files(out) == []


def test_atomic_writer_publishes_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.jsonl.gz"
    with pytest.raises(RuntimeError), AtomicWriter(target) as w:
        w.write(b'{"a":1}\n')
        assert not target.exists() and w.tmp.exists()
        raise RuntimeError
    assert list((tmp_path / "sub").iterdir()) == []
    with AtomicWriter(target) as w:
        w.write(b'{"a":1}\n')
    assert target.exists() and list((tmp_path / "sub").iterdir()) == [target]
    stale = tmp_path / "sub" / ".out.jsonl.gz.x1y2z3w4.tmp"
    other = tmp_path / "sub" / ".out.jsonl.gz.more.x1y2z3w4.tmp"  # another target's
    stale.write_text("")
    other.write_text("")
    remove_stale_temps(target)
    assert not stale.exists() and other.exists()


def _clean_text(cleaner: Cleaner, text: str) -> str:
    return cleaner.clean(text).text


def test_pickled_cleaner_cleans_the_same_in_a_pool(cleaner: Cleaner) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("news_*.txt"))][:4]
    assert texts
    with get_context("spawn").Pool(2) as pool:  # spawn: the Cleaner really is pickled
        got = pool.starmap(_clean_text, [(cleaner, t) for t in texts])
    assert got == [cleaner.clean(t).text for t in texts]
    assert len(pickle.dumps(cleaner)) < 5_000_000


def test_readme_pool_example_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    pool_example = next(b for b in blocks if "Pool(" in b)
    (tmp_path / "example.py").write_text(pool_example, encoding="utf-8")
    shutil.copyfile(ROOT / "examples" / "news" / "wildfire.txt", tmp_path / "page.txt")
    proc = subprocess.run(
        [sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), "the example prints its results"
