"""Hostile inputs through `cleaner clean`, as a batch meets them, and faults around it.

Every input `make_inputs.py` writes is checked in one run of the command (with `--jobs
1` and `--jobs 2`): the exit code, one line on stderr naming each input that failed or
was skipped (names escaped), no traceback, every other input written, the inputs
unchanged, nothing written outside the output folder, no temp file left, no hang (a
timeout) and memory bounded (the peak RSS of the run and its workers). The big inputs
(a 50 MB line, a 100 MB record, a gzip bomb) run too: the byte limit keeps them quick.
Then the limits, links and paths, vanishing files, SIGKILL at random moments followed
by `--resume`, and a full disk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.io.columns import is_parquet
from cleaner.io.crawl import crawl_output_name, is_crawl
from cleaner.run.batch import shown
from cleaner.run.jobs import Skipped
from cleaner.run.limits import Limits, parse_size
from cleaner.run.outputs import OutsideOutput, check_inside
from cleaner.run.pipeline import run
from cleaner.run.plan import plan
from cleaner.run.reporter import Reporter
from cleaner.run.settings import Settings
from cleaner.run.writer import OutputFull

from ..conftest import FIXTURES
from .make_inputs import ARTICLE, CLEAN, DAMAGED, FAIL, PARTIAL, REFUSED, SKIP, Case, make

# The run and its workers together; a correctness bound (the big inputs use ~0.5 GB).
MEMORY_BOUND_KB = 1_000_000
# No run may hang: a generous bound on a shared, loaded machine.
RUN_TIMEOUT_S = 600
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


class Ran:
    """A finished `cleaner` run: exit code, stderr, peak RSS (kB) and wall time."""

    def __init__(self, code: int, stdout: bytes, stderr: str, peak_kb: int, seconds: float):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.peak_kb, self.seconds = peak_kb, seconds


def cleaner_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", *args]


def run_measured(tmp: Path, *args: str, stdin: bytes = b"", env: dict | None = None) -> Ran:
    """Run `cleaner ARGS` under a small parent that reports the peak RSS of the run and
    of every worker it had (RUSAGE_CHILDREN); killed, with its workers, on a hang."""
    peak_file = tmp / f"peak-{time.monotonic_ns()}"
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", _MEASURE, str(peak_file), *cleaner_cmd(*args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    try:
        out, err = proc.communicate(stdin, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"cleaner {' '.join(args)} hung for {RUN_TIMEOUT_S} s")
    seconds = time.monotonic() - started
    peak = int(peak_file.read_text()) if peak_file.exists() else 0
    return Ran(proc.returncode, out, err.decode("utf-8", "replace"), peak, seconds)


def snapshot(root: Path) -> dict[str, str]:
    """What a tree holds, without following links or opening anything but regular
    files: a hash per file, a target per link, a kind per other thing."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = os.fsdecode(path.relative_to(root))
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                seen[rel] = "link " + os.readlink(path)
            elif stat.S_ISREG(mode):
                seen[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISDIR(mode):
                seen[rel] = "dir"
            else:
                seen[rel] = f"mode {stat.S_IFMT(mode):o}"
    return seen


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        os.fsdecode(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def output_of(case: Case) -> str:
    name = Path(case.name)
    if is_crawl(name):
        return str(name.with_name(crawl_output_name(name.name)))
    if is_parquet(name):
        return case.name
    jsonl = case.name.lower().endswith((".jsonl", ".jsonl.gz"))
    return case.name if jsonl else str(name.with_suffix(".txt"))


def rejects_of(case: Case) -> str:
    name = case.name
    for suffix in (".jsonl.gz", ".jsonl"):
        name = name.removesuffix(suffix)
    return name + ".rejects.jsonl"


def lines_about(stderr: str, what: str, path: Path) -> list[str]:
    """The stderr lines `cleaner: WHAT: PATH: ...` (or `PATH:LINE: ...` for records)."""
    head = f"cleaner: {what}: {shown(str(path))}:"
    return [ln for ln in stderr.splitlines() if ln.startswith(head)]


def check_run(ran: Ran, cases: list[Case], src: Path, out: Path) -> None:
    """Everything a run over the hostile folder must have done, input by input."""
    assert "Traceback" not in ran.stderr, ran.stderr
    assert all(ln.startswith("cleaner: ") for ln in ran.stderr.splitlines()), ran.stderr
    assert ran.code == 1, ran.stderr  # some inputs fail: exit 1, as documented
    assert ran.peak_kb < MEMORY_BOUND_KB, f"peak RSS {ran.peak_kb} kB"
    written = tree_bytes(out)
    expected: set[str] = set()
    for case in cases:
        path = src / case.name
        errors = lines_about(ran.stderr, "error", path)
        if case.expect == CLEAN:
            expected.add(output_of(case))
            assert output_of(case) in written, case
            assert not errors, errors
        elif case.expect == FAIL:
            assert len(errors) == 1, (case, errors)
            assert case.says in errors[0], (case, errors)
            assert output_of(case) not in written, case
        elif case.expect == DAMAGED:  # the records before the damage, as many as it says
            expected.add(output_of(case))
            assert len(errors) == 1 and case.says in errors[0], (case, errors)
            said = re.search(r"; (\d+) records? before it written$", errors[0])
            assert said is not None and int(said[1]) > 0, errors
            kept = gzip.decompress(written[output_of(case)]).splitlines()
            assert len(kept) == int(said[1]), case
            assert all(json.loads(k)["text"].startswith(ARTICLE[:20]) for k in kept), case
        elif case.expect == REFUSED:  # the other pages written, each refused one named
            expected.add(output_of(case))
            head = len(f"cleaner: error: {shown(str(path))}:")
            assert len(errors) == case.rejects, (case, errors)
            assert all(e[head:][:1].isdigit() and case.says in e for e in errors), errors
            kept = gzip.decompress(written[output_of(case)]).splitlines()
            assert len(kept) == 2 and all(json.loads(k)["text"] for k in kept), case
        elif case.expect == PARTIAL:
            expected |= {output_of(case), rejects_of(case)}
            assert len(errors) == case.rejects, (case, errors)
            head = len(f"cleaner: error: {shown(str(path))}:")
            assert all(e[head:][:1].isdigit() for e in errors), errors  # FILE:LINE: why
            assert case.says in "\n".join(errors), case
            rejected = written[rejects_of(case)]
            assert rejected.count(b"\n") == case.rejects, case
            raw = path.read_bytes()
            if case.name.endswith(".gz"):
                raw = gzip.decompress(raw)
            assert all(line in raw for line in rejected.splitlines()), case  # unchanged
        elif case.expect == SKIP:
            skipped = lines_about(ran.stderr, "skipped", path)
            assert len(skipped) == 1 and case.says in skipped[0], (case, skipped)
            assert output_of(case) not in written, case
        if case.says and case.expect == CLEAN:
            assert case.says in "\n".join(lines_about(ran.stderr, "warning", path)), case
    assert set(written) == expected, set(written) ^ expected  # nothing more, no temp file


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    src = tmp_path_factory.mktemp("hostile") / "in"
    return src, make(src)


def test_every_hostile_input_is_cleaned_or_named(
    hostile: tuple[Path, list[Case]], tmp_path: Path
) -> None:
    src, cases = hostile
    before = snapshot(src)
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        ran = run_measured(tmp_path, "clean", str(src), "-o", str(out), "--jobs", jobs)
        check_run(ran, cases, src, out)
        done = sum(c.expect in (CLEAN, PARTIAL, REFUSED) for c in cases)
        assert f"cleaner: {done} of " in ran.stderr
        trees.append(tree_bytes(out))
        print(f"hostile --jobs {jobs}: {ran.seconds:.1f} s, peak RSS {ran.peak_kb / 1000:.0f} MB")
    assert trees[0] == trees[1]  # the same bytes whatever the number of workers
    assert snapshot(src) == before  # inputs never written, links and pipes untouched
    made = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("peak-"))
    assert made == ["out1", "out2"]  # nothing written outside the output folders


def test_big_hostile_inputs(tmp_path: Path) -> None:
    """The 50 MB line is cleaned; the 100 MB record goes to the rejects unchanged (over
    --max-bytes, never held whole); the gzip bomb's 100 MB line of spaces is blank."""
    src = tmp_path / "in"
    cases = make(src, big=True, small=False)
    before = snapshot(src)
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        ran = run_measured(tmp_path, "clean", str(src), "-o", str(out), "--jobs", jobs)
        check_run(ran, cases, src, out)
        record = (out / "record_100mb.rejects.jsonl").read_bytes()
        assert record == (src / "record_100mb.jsonl").read_bytes().split(b"\n")[1] + b"\n"
        assert len((out / "bomb.jsonl.gz").read_bytes()) < 10_000
        print(f"big --jobs {jobs}: {ran.seconds:.1f} s, peak RSS {ran.peak_kb / 1000:.0f} MB")
    assert snapshot(src) == before


# ---- limits ----------------------------------------------------------------------------


def test_parse_size() -> None:
    assert parse_size("50M") == parse_size("50MB") == parse_size("50 mb") == 50_000_000
    assert parse_size("1500") == 1500 and parse_size("0") == 0 and parse_size("2G") == 2 * 10**9
    assert parse_size("1.5k") == 1500
    for bad in ("", "M", "-1", "nan", "12Q", "inf"):
        with pytest.raises(ValueError):
            parse_size(bad)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_over_max_bytes_passes_files_through_and_rejects_records(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    big_text = ("A long sentence of the article goes on here. " * 80).encode("cp1252")
    (src / "big.txt").write_bytes(big_text + b"Share this article\n")
    (src / "page.html").write_bytes(b"<html><body><p>" + big_text + b"</p></body></html>")
    (src / "small.txt").write_bytes(ARTICLE.encode())
    good = json.dumps({"id": 1, "text": ARTICLE}).encode()
    long_line = json.dumps({"id": 2, "text": "x " * 2000}).encode()
    (src / "data.jsonl").write_bytes(b"\n".join([good, long_line, good, b" " * 5000, good]) + b"\n")
    out = tmp_path / "out"
    ran = run_measured(tmp_path, "clean", str(src), "-o", str(out), "-j", jobs, "--max-bytes", "3k")
    assert ran.code == 1 and "Traceback" not in ran.stderr
    for name in ("big.txt", "page.html"):
        (line,) = lines_about(ran.stderr, "warning", src / name)
        assert "is over --max-bytes 3 kB: passed through unchanged" in line
    assert (out / "big.txt").read_bytes() == (src / "big.txt").read_bytes()
    assert (out / "page.txt").read_bytes() == (src / "page.html").read_bytes()
    assert (out / "small.txt").read_text() != ARTICLE  # cleaned
    (line,) = lines_about(ran.stderr, "error", src / "data.jsonl")
    assert line.startswith(f"cleaner: error: {src / 'data.jsonl'}:2: a record of 4.0")
    assert (out / "data.rejects.jsonl").read_bytes() == long_line + b"\n"
    assert [json.loads(x)["id"] for x in (out / "data.jsonl").read_text().splitlines()] == [1, 1, 1]
    assert "2 passed through unchanged" in ran.stderr and "1 records rejected" in ran.stderr
    # Standard input, to standard output.
    piped = run_measured(tmp_path, "clean", "-", "--max-bytes", "3k", stdin=big_text)
    assert piped.code == 1 and piped.stdout == big_text
    assert "<stdin>: more than --max-bytes 3 kB: passed through unchanged" in piped.stderr


SLOW_RULES = """\
title = "Slow"
version = "1.0.0"
languages = ["en"]
category = "custom"

[[rule]]
id = "custom.slow"
description = "Passes the load-time check, yet backtracks for long on zqzq...zq lines."
regex = '''(?:zq\\w{0,12}){1,12}!'''
junk = ["zqzq!"]
"""


def slow_document(lines: int) -> str:
    """Lines the slow rule tries and times out on (its regex timeout bounds each)."""
    return ARTICLE + "".join(f"{'zq' * 60} {i} end!\n" for i in range(lines))


def test_slow_user_pattern_passes_the_check_and_each_match_is_bounded(tmp_path: Path) -> None:
    rules = tmp_path / "slow.toml"
    rules.write_text(SLOW_RULES)
    check = run_measured(tmp_path, "rules", "check", str(rules), "--no-default-rules")
    assert check.code == 0, check.stderr  # not caught by the static and stress checks
    doc = tmp_path / "doc.txt"
    doc.write_text(slow_document(20))
    ran = run_measured(tmp_path, "explain", str(doc), "--rules", str(rules))
    assert ran.code == 0, ran.stderr
    assert ran.stdout.decode().count("end!") == 20
    assert "custom.slow" not in ran.stdout.decode()  # every match timed out, none matched
    assert ran.seconds < 60


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_timeout_stops_a_slow_document(tmp_path: Path, jobs: str) -> None:
    rules = tmp_path / "slow.toml"
    rules.write_text(SLOW_RULES)
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.txt").write_text(slow_document(2000))  # ~100 s of matching unbounded
    (src / "fine.txt").write_text(ARTICLE)
    slow_record = json.dumps({"id": "slow", "text": slow_document(2000)}).encode()
    (src / "data.jsonl").write_bytes(slow_record + b"\n" + json.dumps({"text": ARTICLE}).encode())
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--rules", str(rules), "--timeout", "1", "-j", jobs]
    ran = run_measured(tmp_path, *args)
    assert ran.code == 1 and "Traceback" not in ran.stderr, ran.stderr
    (line,) = lines_about(ran.stderr, "warning", src / "slow.txt")
    assert "took over --timeout 1 s of CPU time: passed through unchanged" in line
    assert (out / "slow.txt").read_bytes() == (src / "slow.txt").read_bytes()
    assert (out / "fine.txt").exists()
    (line,) = lines_about(ran.stderr, "error", src / "data.jsonl")
    assert ":1: took over --timeout 1 s" in line
    assert (out / "data.rejects.jsonl").read_bytes() == slow_record + b"\n"
    assert len((out / "data.jsonl").read_text().splitlines()) == 1
    assert ran.seconds < 60  # two documents stopped after about a second each


# ---- links, names and paths -----------------------------------------------------------


def test_follow_links_reads_links_out_and_cuts_loops(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.txt").write_text(ARTICLE)
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "page.txt").write_text(ARTICLE)
    (src / "far.txt").symlink_to(outside / "far.txt")
    (src / "linked").symlink_to(outside)
    (src / "sub" / "up").symlink_to(src)  # a loop
    default = run_measured(tmp_path, "clean", str(src), "-o", str(tmp_path / "o1"))
    assert default.code == 0 and sorted(tree_bytes(tmp_path / "o1")) == ["page.txt"]
    assert default.stderr.count("not followed (--follow-links)") == 3
    followed = run_measured(
        tmp_path, "clean", str(src), "-o", str(tmp_path / "o2"), "--follow-links"
    )
    assert followed.code == 0, followed.stderr
    assert sorted(tree_bytes(tmp_path / "o2")) == ["far.txt", "linked/far.txt", "page.txt"]
    (loop,) = lines_about(followed.stderr, "skipped", src / "sub" / "up")
    assert "a loop" in loop


def test_outputs_never_leave_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "x.txt").write_text(ARTICLE)
    (src / "y.txt").write_text(ARTICLE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere)  # a link planted in the output folder
    ran = run_measured(tmp_path, "clean", str(src), "-o", str(out))
    assert ran.code == 1
    (line,) = lines_about(ran.stderr, "error", src / "sub" / "x.txt")
    assert "outside the output folder" in line
    assert list(elsewhere.iterdir()) == [] and (out / "y.txt").exists()
    with pytest.raises(OutsideOutput):
        check_inside(out / "sub" / "x.txt", out)
    with pytest.raises(OutsideOutput):
        check_inside(out / ".." / "x.txt", out)
    check_inside(out / "a" / "b.txt", out)  # not there yet: fine


def test_an_output_that_would_replace_an_input_is_refused(tmp_path: Path) -> None:
    """In the output folder, an input folder whose names map onto its own files."""
    out = tmp_path / "out"
    src = out / "in"
    (src / "in").mkdir(parents=True)
    (src / "x.txt").write_bytes(b"original input\n")
    (src / "in" / "x.html").write_text("<html><body><p>" + ARTICLE + "</p></body></html>")
    before = snapshot(src)
    ran = run_measured(tmp_path, "clean", str(src), "-o", str(out))
    assert ran.code == 1 and "would overwrite input" in ran.stderr
    assert snapshot(src) == {**before}
    assert (src / "x.txt").read_bytes() == b"original input\n"


def test_messages_escape_names(tmp_path: Path) -> None:
    assert shown("plain name.txt") == "plain name.txt"
    assert shown("a\nb\tc") == "a\\nb\\tc"
    assert shown(os.fsdecode(b"bad-\xff.txt")) == "bad-\\xff.txt"
    assert shown("evil\u202etxt") == "evil\\u202etxt" and shown("\ud800") == "\\ud800"
    assert shown("café 東京") == "café 東京"


def test_a_file_that_vanishes_after_planning_is_reported(tmp_path: Path, cleaner: Cleaner) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text(ARTICLE)
    (src / "d.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n")

    class Collect(Reporter):
        def __init__(self) -> None:
            self.errors: list[tuple[str, str]] = []

        def error(self, where: str, message: str) -> None:
            self.errors.append((where, message))

    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        jobs_planned = plan([src], out)
        (src / "b.txt").rename(tmp_path / "b.txt")
        (src / "d.jsonl").rename(tmp_path / "d.jsonl")
        reporter = Collect()
        stats = run(cleaner, jobs_planned, Settings(jobs=jobs), reporter)
        assert stats.inputs_failed == 2 and stats.inputs_done == 2
        assert sorted(reporter.errors) == [
            (str(src / "b.txt"), "cannot read: No such file or directory"),
            (str(src / "d.jsonl"), "cannot read: No such file or directory"),
        ]
        assert sorted(tree_bytes(out)) == ["a.txt", "c.txt"]
        (tmp_path / "b.txt").rename(src / "b.txt")
        (tmp_path / "d.jsonl").rename(src / "d.jsonl")


def test_a_file_swapped_for_a_pipe_after_planning_is_not_opened(
    tmp_path: Path, cleaner: Cleaner
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE)
    (src / "b.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n")
    planned = plan([src], tmp_path / "out")
    for name in ("a.txt", "b.jsonl"):
        (src / name).unlink()
        os.mkfifo(src / name)
    stats = run(cleaner, planned, Settings(jobs=1))  # would block forever if opened
    assert stats.inputs_failed == 2


def test_planning_names_what_a_folder_holds_that_is_no_input(tmp_path: Path) -> None:
    src = tmp_path / "in"
    make(src)
    notes: list[Skipped] = []
    jobs = plan([src], tmp_path / "out", skipped=notes)
    planned = {os.fsdecode(j.source.relative_to(src)) for j in jobs}
    skipped = {os.fsdecode(n.path.relative_to(src)) for n in notes if not n.error}
    assert {"pipe.txt", "socket.jsonl", "link_out.txt", "loop/again"} <= skipped
    assert not planned & skipped and "inner_link.txt" in planned


# ---- faults ----------------------------------------------------------------------------


def make_batch(root: Path) -> Path:
    """Fixture documents four times over, and JSONL files of their records."""
    sources = [
        p
        for p in sorted(FIXTURES.iterdir())
        if p.suffix in (".txt", ".html") and not p.name.endswith(".expected.txt")
    ]
    for c in range(4):
        for p in sources:
            dest = root / f"c{c}" / p.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dest)
    texts = [p.read_text(encoding="utf-8") for p in sources if p.suffix == ".txt"]
    lines = [json.dumps({"id": i, "text": texts[i % len(texts)]}) for i in range(200)]
    data = ("\n".join(lines) + "\n").encode()
    (root / "records0.jsonl").write_bytes(data + b"not json\n")
    (root / "records1.jsonl").write_bytes(data)
    (root / "records2.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
    return root


def test_sigkill_at_random_moments_then_resume_ends_identical(tmp_path: Path) -> None:
    src = make_batch(tmp_path / "in")
    ref = tmp_path / "ref"
    assert run_measured(tmp_path, "clean", str(src), "-o", str(ref), "-q").code == 1
    reference = tree_bytes(ref)
    out = tmp_path / "out"
    rng = random.Random(2024)
    stale_seen = 0
    for attempt in range(4):
        args = ["clean", str(src), "-o", str(out), "--jobs", "2", "-q"]
        proc = subprocess.Popen(
            cleaner_cmd(*args, *(["--resume"] if attempt else [])),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.6, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, as a lost machine
        proc.wait(timeout=60)
        now = tree_bytes(out) if out.exists() else {}
        stale_seen += sum(1 for k in now if k.endswith(".tmp"))
        for name, data in now.items():  # an output that exists is complete
            if not name.endswith(".tmp"):
                assert data == reference[name], name
    final = run_measured(tmp_path, "clean", str(src), "-o", str(out), "--jobs", "2", "--resume")
    assert final.code in (0, 1) and "Traceback" not in final.stderr  # 1: "not json" rejected
    assert tree_bytes(out) == reference  # identical, and no temp file left
    print(f"SIGKILL x4: {stale_seen} temp files left by the kills, removed by --resume")


def test_file_size_limit_fails_each_output_cleanly(tmp_path: Path) -> None:
    """RLIMIT_FSIZE in the run (SIGXFSZ ignored: Python does): writes past it fail with
    EFBIG, per output; the small outputs are written, no partial file is left."""
    import resource

    src = tmp_path / "in"
    src.mkdir()
    (src / "small.txt").write_text(ARTICLE)
    (src / "large.txt").write_text(("A sentence of the article that goes on. " * 40 + "\n") * 20)
    (src / "data.jsonl").write_text(
        "".join(json.dumps({"text": ARTICLE * 10}) + "\n" for _ in range(50))
    )
    out = tmp_path / "out"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    proc = subprocess.run(
        cleaner_cmd("clean", str(src), "-o", str(out), "--jobs", "1"),
        capture_output=True,
        timeout=RUN_TIMEOUT_S,
        preexec_fn=limit,
    )
    stderr = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in stderr, stderr
    (line,) = lines_about(stderr, "error", src / "large.txt")
    assert line.endswith("File too large")
    (line,) = lines_about(stderr, "error", src / "data.jsonl")
    assert line.endswith("File too large")
    assert sorted(tree_bytes(out)) == ["small.txt"]  # no partial file, no temp file


def test_full_disk_stops_the_run_with_one_line(tmp_path: Path) -> None:
    """A small tmpfs as the output folder (in a user and mount namespace of its own)."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no user namespaces here")
    src = make_batch(tmp_path / "in")
    ref = tmp_path / "ref"
    run_measured(tmp_path, "clean", str(src), "-o", str(ref), "-q")
    reference = tree_bytes(ref)
    room = sum(map(len, reference.values())) // 2 // 1024  # half the outputs fit
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cmd = " ".join(
        [
            f"mount -t tmpfs -o size={room}k tmpfs {mnt} &&",
            f"{sys.executable} -m cleaner clean {src} -o {mnt / 'out'} --jobs 2;",
            f"echo exit=$?; find {mnt / 'out'} -type f -printf '%P %s\\n'",
        ]
    )
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", cmd], capture_output=True, timeout=300)
    stderr, stdout = proc.stderr.decode(), proc.stdout.decode()
    assert "exit=1" in stdout and "Traceback" not in stderr, stderr
    (line,) = [ln for ln in stderr.splitlines() if "No space left on device" in ln]
    assert line.startswith("cleaner: error: cannot write ") and "--resume" in line
    files = [ln.rsplit(" ", 1) for ln in stdout.splitlines()[1:]]
    assert files, "some outputs fit"
    for name, size in files:  # every file left is a complete output
        assert not name.endswith(".tmp") and int(size) == len(reference[name]), name


def test_full_disk_in_process_raises_output_full(
    tmp_path: Path, cleaner: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import cleaner.run.writer as writer

    src = tmp_path / "in"
    src.mkdir()
    for name in "abc":
        (src / f"{name}.txt").write_text(ARTICLE)
    calls = []

    def full(target: Path, text: str) -> None:
        calls.append(target)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(text)

    monkeypatch.setattr(writer, "write_atomic", full)
    with pytest.raises(OutputFull, match="No space left on device"):
        run(cleaner, plan([src], tmp_path / "out"), Settings(jobs=1))
    assert len(calls) == 2  # the run stopped at the first full write


def test_limits_default() -> None:
    assert Limits().max_bytes == 50_000_000 and Limits().timeout == 60


# ---- untrusted rule files ------------------------------------------------------------

RULE_HEAD = 'title = "x"\nversion = "1.0.0"\nlanguages = ["en"]\ncategory = "custom"\n'


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (RULE_HEAD + 'include = "/etc/passwd"\n', "unknown header key 'include'"),
        (
            RULE_HEAD + '[[rule]]\nid = "custom.x"\ndescription = "d"\nphrases = ["x"]\n'
            'include = "other.toml"\n',
            "include",
        ),
        (RULE_HEAD + "deep = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        (RULE_HEAD + "deep = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n", "nested too"),
        (RULE_HEAD + "# " + "x" * 2_100_000 + "\n", "file too large"),
        (b"\xff\xfe not utf-8", "not valid TOML"),
    ],
)
def test_hostile_rule_files_are_refused_with_one_message(
    tmp_path: Path, content: str | bytes, problem: str
) -> None:
    """Rule files are data: no key can include another file; huge, deep or undecodable
    ones are refused by name, with exit 2 and no traceback."""
    path = tmp_path / "rules.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (tmp_path / "doc.txt").write_text(ARTICLE)
    ran = run_measured(tmp_path, "clean", str(tmp_path / "doc.txt"), "--rules", str(path))
    assert ran.code == 2 and "Traceback" not in ran.stderr, ran.stderr
    assert f"cleaner: rule error: {path}" in ran.stderr and problem in ran.stderr
    assert ran.stdout == b""


def test_a_rule_file_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    pipe = tmp_path / "rules.toml"
    os.mkfifo(pipe)
    (tmp_path / "doc.txt").write_text(ARTICLE)
    ran = run_measured(tmp_path, "clean", str(tmp_path / "doc.txt"), "--rules", str(pipe))
    assert ran.code == 2 and "not a regular file" in ran.stderr
