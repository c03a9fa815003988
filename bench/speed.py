#!/usr/bin/env python3
"""Speed of `cleaner` on this machine: text throughput, HTML cost, scaling, memory.

Reads ../shared/bench/articles (next to the project), like bench/quality.py, and skips
politely when it is absent. Prints figures only; nothing is asserted. Sections:

- text:    MB/s of `Cleaner().clean` over the text dumps, one process and N processes
           (`cleaner clean --jobs N` when the CLI has it, else a multiprocessing Pool),
           beside datatrove's C4QualityFilter used as a line cleaner on the same text
           in the same run (`pip install -e '.[bench]'`).
- html:    `Cleaner().clean_html` against `trafilatura.extract` alone on the same pages,
           interleaved page by page, best of --html-reps passes; and how much of
           clean_html is `cleaner.io.formats.extract_html` (trafilatura inside it).
- scaling: ms per MB for documents of 1 KB to 10 MB cut from the dumps, and one-line ones.
- startup: `cleaner clean one.txt -o OUT` on a 5 KB document, whole process, median of
           5 runs: with the compiled rule set cached (as every run after the first) and
           with an empty cache (the first run after an install or a rule change); and
           `Cleaner()` in-process, cached and not.
- crawl:   WET files of 5 and 20 MB of dump text: the time warcio takes to read every
           page (cleaner.crawl) beside the time cleaning them takes, and peak RSS of
           `cleaner clean seg.warc.wet.gz -o seg.jsonl.gz --jobs 1` on each (flat: it
           streams).
- memory:  peak RSS of `cleaner clean big.jsonl -o out.jsonl --jobs 1` on a generated file.

Each section stops adding work after --budget seconds (default 120, 0: no cap) and says
what it capped, so a run without options ends in minutes even when the engine is slow:
text stops repeating the dumps, HTML makes fewer passes, each scaling row below 10 MB
gets a tenth of it and each 10 MB row (one document, run once, in a forked child) four
tenths, after which it is stopped and its ms/MB shown as a lower bound; the JSONL file
shrinks to what the budget allows at the rate of a small sample run first.
MB is 10^6 bytes of UTF-8 text. Progress goes to stderr, tables to stdout.

    python bench/speed.py [--only text|html|scaling|memory] [--mb N] [--gb N] [--quick]
                          [--budget S] [--jobs N] [--html-reps N] [--profile] [--bench PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import multiprocessing as mp
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "articles"
CLI = [sys.executable, "-m", "cleaner"]
KB, MB = 1_000, 1_000_000
SECTIONS = ("startup", "text", "html", "scaling", "memory", "crawl")
CRAWL_SIZES_MB = (5.0, 20.0)  # WET files generated for the crawl section (--quick: a tenth)
STARTUP_RUNS = 5  # whole-process runs per start-up row; the median is shown
STARTUP_DOC_BYTES = 5 * KB

# Peak RSS of the largest process below the wrapper (Linux: KiB, macOS: bytes).
_RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(rc)\n"
)


@dataclass
class Settings:
    """The run's knobs, after --quick and explicit options are resolved."""

    bench: Path
    mb: float
    gb: float
    budget: float
    html_reps: int
    scaling_mb: float
    jobs: int

    def over(self, seconds: float, share: float = 1.0) -> bool:
        """Has a step that may take `share` of the budget used it up?"""
        return self.budget > 0 and seconds >= self.budget * share

    def limit(self, share: float) -> float | None:
        """Seconds a step may take (`share` of the budget), None when uncapped."""
        return self.budget * share if self.budget > 0 else None


def progress(message: str) -> None:
    """A progress line on stderr (tables stay alone on stdout)."""
    print(f"  .. {message}", file=sys.stderr, flush=True)


def nbytes(text: str) -> int:
    """Size of a text in UTF-8 bytes."""
    return len(text.encode("utf-8"))


def pkg_version(name: str) -> str:
    """Installed version of a distribution, or 'missing'."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def read_folder(folder: Path, suffix: str) -> list[tuple[str, str]]:
    """(id, text) of every file with this suffix, sorted by name, as quality.py reads."""
    return [
        (p.stem, p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(folder.glob(f"*{suffix}"))
    ]


@cache
def cli_help() -> str:
    """`cleaner clean --help`, to see which options the CLI has today."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    run = subprocess.run([*CLI, "clean", "--help"], capture_output=True, text=True, env=env)
    return run.stdout + run.stderr


def cli_has(option: str) -> bool:
    """Does `cleaner clean` accept this option?"""
    return option in cli_help()


def table(head: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    """Print a plain table: the first column left-aligned, the others right-aligned."""
    for row in [head, *rows]:
        cells = [f"{row[0]:<{widths[0]}}"]
        cells += [f"{cell:>{w}}" for cell, w in zip(row[1:], widths[1:], strict=True)]
        print(" ".join(cells).rstrip())


def print_notes(notes: list[str]) -> None:
    """Print what a section capped or chose, one line each."""
    for note in notes:
        print(f"  note: {note}")


# --- plain text -----------------------------------------------------------------------


def make_c4() -> tuple[Callable[[str], str | None] | None, str]:
    """datatrove's C4QualityFilter as a line cleaner: text in, kept lines out.

    Its line filters keep their defaults (terminal punctuation, at least 3 words, no
    'javascript', no policy phrases, no 1000-character words, citations removed); the
    document-level drops are turned off: min_num_sentences=-1 (which also skips its
    nltk sentence splitter), filter_lorem_ipsum=False, filter_curly_bracket=False. So
    `filter(doc)` returns True and leaves the kept lines in `doc.text`.
    """
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError as exc:
        return None, f"skipped: datatrove not importable ({exc}); pip install -e '.[bench]'"
    c4 = C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, filter_curly_bracket=False)

    def clean(text: str) -> str | None:
        doc = Document(text=text, id="")
        return doc.text if c4.filter(doc) is True else None

    return clean, f"datatrove {pkg_version('datatrove')}"


_WORKER = None


def _init_worker(barrier, warm_up: str) -> None:
    """Pool initializer: build this worker's Cleaner once, clean one document to warm
    it up, then wait for the others."""
    global _WORKER
    from cleaner import Cleaner

    _WORKER = Cleaner()
    _WORKER.clean(warm_up)
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=600)


def _clean_len(text: str) -> int:
    """Clean one document in a worker; return only its length (little to send back)."""
    return len(_WORKER.clean(text).text)


def parallel_pool(texts: list[str], order: list[int], jobs: int) -> float:
    """Seconds for a Pool of `jobs` workers to clean the documents, workers ready."""
    ctx = mp.get_context()
    barrier = ctx.Barrier(jobs + 1)
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(barrier, texts[0])) as pool:
        barrier.wait(timeout=600)  # every worker has built its Cleaner
        started = time.perf_counter()
        for _ in pool.imap(_clean_len, (texts[k] for k in order), chunksize=8):
            pass
        return time.perf_counter() - started


def run_checked(cmd: list[str]) -> float:
    """Run a command quietly; its wall seconds. Raises with its stderr if it fails."""
    started = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"exit {run.returncode}: {' | '.join(tail)}")
    return seconds


def parallel_cli(
    texts: list[str], order: list[int], jobs: list[int]
) -> dict[int, tuple[float, float]]:
    """`cleaner clean DIR -o OUT --jobs N` on copies of the documents, for each N:
    {N: (wall, startup)} seconds.

    Startup (interpreter, imports, rule compilation, workers) is measured on a
    folder of a few one-line files with the same options.
    """
    runs = {}
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        src, tiny = Path(tmp, "in"), Path(tmp, "tiny")
        src.mkdir()
        tiny.mkdir()
        for n, k in enumerate(order):
            (src / f"{n:06d}.txt").write_text(texts[k], encoding="utf-8")
        for n in range(2 * max(jobs)):  # several files, so that workers start too
            (tiny / f"{n}.txt").write_text("A short line of text for a start-up run.\n")
        for j in jobs:
            opts = ["--jobs", str(j), "-q"]
            out1, out2 = Path(tmp, f"o1-{j}"), Path(tmp, f"o2-{j}")
            startup = run_checked([*CLI, "clean", str(tiny), "-o", str(out1), *opts])
            wall = run_checked([*CLI, "clean", str(src), "-o", str(out2), *opts])
            shutil.rmtree(out2, ignore_errors=True)
            runs[j] = (wall, startup)
    return runs


def section_startup(s: Settings, texts: list[str]) -> None:
    """Start-up: whole `cleaner clean` runs on one small file, and `Cleaner()` alone."""
    doc = next((t for t in texts if nbytes(t) >= STARTUP_DOC_BYTES), texts[0])
    doc = doc.encode()[:STARTUP_DOC_BYTES].decode("utf-8", "ignore")
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-startup-") as tmp:
        src, cache = Path(tmp, "one.txt"), Path(tmp, "cache")
        src.write_text(doc, encoding="utf-8")
        env_cached = {**os.environ, "CLEANER_CACHE_DIR": str(cache)}
        env_cached.pop("PYTHONDONTWRITEBYTECODE", None)
        cmd = [str(Path(sys.executable).with_name("cleaner")), "clean", str(src), "-q"]
        if not Path(cmd[0]).exists():
            cmd[:1] = CLI

        def whole(env: dict[str, str], fresh: bool) -> float:
            times = []
            for n in range(STARTUP_RUNS):
                if fresh:
                    shutil.rmtree(cache, ignore_errors=True)
                out = Path(tmp, f"out-{fresh}-{n}")
                started = time.perf_counter()
                subprocess.run([*cmd, "-o", str(out)], env=env, check=True, capture_output=True)
                times.append(time.perf_counter() - started)
            return sorted(times)[len(times) // 2]

        subprocess.run([*cmd, "-o", str(Path(tmp, "warm"))], env=env_cached, capture_output=True)
        rows.append(
            ("cleaner clean one 5 KB file (rules cached)", f"{whole(env_cached, False):.2f}")
        )
        rows.append(("cleaner clean one 5 KB file (empty cache)", f"{whole(env_cached, True):.2f}"))
        probe = (
            "import time, cleaner; t = time.perf_counter(); cleaner.Cleaner(); "
            "print(time.perf_counter() - t)"
        )
        for label, fresh in (
            ("Cleaner() in-process (rules cached)", False),
            ("Cleaner() in-process (empty cache)", True),
        ):
            if fresh:
                shutil.rmtree(cache, ignore_errors=True)
            got = subprocess.run(
                [sys.executable, "-c", probe], env=env_cached, capture_output=True, text=True
            )
            rows.append((label, f"{float(got.stdout.strip() or 'nan'):.2f}"))
    print("\nstart-up")
    table(("row", "s"), rows, (52, 8))
    print_notes(
        [
            f"median of {STARTUP_RUNS} runs, each writing a new output folder",
            "run as a user's Python runs: PYTHONDONTWRITEBYTECODE unset, so modules load "
            "from bytecode (pip writes it on install; a warm-up run writes it here)",
            "empty cache: CLEANER_CACHE_DIR emptied before each run, so rules load and compile",
        ]
    )


def section_text(s: Settings, texts: list[str]) -> None:
    """Plain-text MB/s: cleaner in one process, in N processes, and datatrove's C4."""
    from cleaner import Cleaner

    notes: list[str] = []
    sizes = [nbytes(t) for t in texts]
    started = time.perf_counter()
    cleaner = Cleaner()
    notes.append(f"Cleaner() built in {time.perf_counter() - started:.1f} s (not counted)")
    cleaner.clean(texts[0])  # warm-up, untimed, as in each worker
    c4, c4_label = make_c4()
    target = s.mb * MB
    order: list[int] = []
    done = out_cleaner = out_c4 = dropped = 0
    t_cleaner = t_c4 = 0.0
    progress(f"text: 1 process{' and C4' if c4 else ''}, interleaved, up to {s.mb:g} MB")
    started = time.perf_counter()
    while done < target:
        k = len(order) % len(texts)
        t0 = time.perf_counter()
        out_cleaner += len(cleaner.clean(texts[k]).text)
        t_cleaner += time.perf_counter() - t0
        if c4 is not None:
            t0 = time.perf_counter()
            kept = c4(texts[k])
            t_c4 += time.perf_counter() - t0
            out_c4 += len(kept or "")
            dropped += kept is None
        order.append(k)
        done += sizes[k]
        if len(order) % len(texts) == 0:
            progress(f"text: {done / MB:.1f} MB, cleaner {done / MB / t_cleaner:.2f} MB/s")
        if done < target and s.over(time.perf_counter() - started):
            notes.append(f"capped at {done / MB:.2f} of {s.mb:g} MB by --budget {s.budget:g} s")
            break
    chars = sum(len(texts[k]) for k in order)
    passes = len(order) / len(texts)

    t_cli1: float | None = None
    if cli_has("--jobs"):
        how = f"CLI --jobs {s.jobs}"
        progress(f"text: CLI --jobs 1 and --jobs {s.jobs}, {len(order)} files")
        try:
            runs = parallel_cli(texts, order, sorted({1, s.jobs}))
            t_cli1 = max(runs[1][0] - runs[1][1], 1e-9)
            t_par: float | None = max(runs[s.jobs][0] - runs[s.jobs][1], 1e-9)
            notes.append(
                "CLI rows: wall time minus the start-up of the same command on a few "
                "one-line files ("
                + ", ".join(f"--jobs {j}: {w:.1f} - {u:.1f} s" for j, (w, u) in runs.items())
                + "); files in a temp folder"
            )
        except RuntimeError as exc:
            t_par = None
            notes.append(f"CLI run failed: {exc}")
    else:
        how = f"Pool of {s.jobs}"
        progress(f"text: multiprocessing {how}: no --jobs in `cleaner clean` yet")
        t_par = parallel_pool(texts, order, s.jobs)
        notes.append(
            f"{s.jobs} processes: `cleaner clean` has no --jobs yet, so a multiprocessing "
            "Pool.imap, chunks of 8 documents, a Cleaner built and warmed up per worker "
            "before the clock starts; documents pickled to the workers"
        )

    def row(name: str, seconds: float | None, out: int | None) -> tuple[str, ...]:
        if seconds is None:
            return (name, "", "", "", "", "")
        vs = f"{t_c4 / seconds:.2f}x" if c4 is not None and t_c4 else ""
        kept = f"{100 * out / chars:.0f}%" if out is not None else ""
        return (name, f"{done / MB:.2f}", f"{seconds:.2f}", f"{done / MB / seconds:.2f}", vs, kept)

    print(
        f"\nplain text: {len(texts)} dump documents × {passes:.1f} passes = "
        f"{done / MB:.2f} MB, {len(order)} documents"
    )
    rows = [row("cleaner, 1 process (Cleaner().clean)", t_cleaner, out_cleaner)]
    if t_cli1 is not None and s.jobs != 1:
        rows.append(row("cleaner, 1 process (CLI --jobs 1)", t_cli1, None))
    rows.append(row(f"cleaner, {s.jobs} processes ({how})", t_par, None))
    if c4 is not None:
        rows.append(row(f"C4QualityFilter as line cleaner ({c4_label})", t_c4, out_c4))
    else:
        rows.append((f"C4QualityFilter: {c4_label}", "", "", "", "", ""))
    table(("row", "MB", "s", "MB/s", "vs C4", "kept"), rows, (52, 8, 8, 8, 7, 5))
    if t_par:
        print(f"{s.jobs} processes / 1 process: {t_cleaner / t_par:.2f}x", end="")
        print(f" (CLI --jobs {s.jobs} / --jobs 1: {t_cli1 / t_par:.2f}x)" if t_cli1 else "")
    if c4 is not None:
        print(f"cleaner 1 process / C4: {t_c4 / t_cleaner:.3f}x (MB/s ratio)")
        notes.append(
            "C4QualityFilter(min_num_sentences=-1, filter_lorem_ipsum=False, "
            "filter_curly_bracket=False).filter(Document(text=...)) per document, line "
            "filters at their defaults, timed interleaved with cleaner on each document"
        )
        if dropped:
            notes.append(f"C4 dropped {dropped} documents whole")
    notes.append("kept: characters of output over characters of input")
    print_notes(notes)


def run_profile(s: Settings, texts: list[str]) -> None:
    """cProfile over the one-process plain-text pass: top 25 functions by tottime."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    target, done, n = s.mb * MB, 0, 0
    progress(f"profile: up to {s.mb:g} MB under cProfile")
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    while done < target and not s.over(time.perf_counter() - started):
        text = texts[n % len(texts)]
        cleaner.clean(text)
        done += nbytes(text)
        n += 1
    profile.disable()
    seconds = time.perf_counter() - started
    print(
        f"\nprofile: {n} documents, {done / MB:.2f} MB in {seconds:.1f} s under cProfile "
        f"({done / MB / seconds:.2f} MB/s with its overhead)"
        + (f"; capped by --budget {s.budget:g} s" if done < target else "")
    )
    pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(25)


# --- HTML -----------------------------------------------------------------------------


def section_html(s: Settings, texts: list[str]) -> None:
    """cleaner's clean_html against trafilatura.extract alone, same pages, same run."""
    folder = s.bench / "html"
    pages = [html for _, html in read_folder(folder, ".html")]
    if not pages:
        print(f"\nHTML: no pages in {folder}: skipped")
        return
    import trafilatura

    from cleaner import Cleaner
    from cleaner.io.formats import extract_html

    cleaner = Cleaner()
    steps: list[Callable[[str], object]] = [
        trafilatura.extract,
        extract_html,
        cleaner.clean_html,
    ]
    for step in steps:  # imports and first-call set-up, untimed
        step(pages[0])
    notes: list[str] = []
    passes: list[list[float]] = []
    started = time.perf_counter()
    for rep in range(s.html_reps):
        totals = [0.0] * len(steps)
        for n, html in enumerate(pages):
            for i in range(len(steps)):  # rotate the order page by page
                j = (i + n) % len(steps)
                t0 = time.perf_counter()
                steps[j](html)
                totals[j] += time.perf_counter() - t0
        passes.append(totals)
        progress(f"html: pass {rep + 1}: " + ", ".join(f"{t:.1f} s" for t in totals))
        if rep + 1 < s.html_reps and s.over(time.perf_counter() - started):
            notes.append(f"capped at {rep + 1} of {s.html_reps} passes by --budget")
            break
    traf, extract, clean = (min(p[j] for p in passes) for j in range(len(steps)))
    mb = sum(nbytes(p) for p in pages) / MB
    print(
        f"\nHTML: {len(pages)} pages, {mb:.1f} MB, best of {len(passes)} pass(es), the three "
        "calls interleaved page by page"
    )
    rows = [
        ("trafilatura.extract(html) alone", f"{traf:.2f}", "1.00x", ""),
        ("cleaner: Cleaner().clean_html(html)", f"{clean:.2f}", f"{clean / traf:.2f}x", ""),
        (
            "  of it cleaner.formats.extract_html (trafilatura)",
            f"{extract:.2f}",
            f"{extract / traf:.2f}x",
            f"{100 * extract / clean:.0f}%",
        ),
        (
            "  of it the rest: page text, both readings judged",
            f"{clean - extract:.2f}",
            f"{(clean - extract) / traf:.2f}x",
            f"{100 * (clean - extract) / clean:.0f}%",
        ),
    ]
    table(("step", "s", "/traf", "share"), rows, (52, 8, 7, 6))
    print(f"cleaner / trafilatura: {clean / traf:.2f}x")
    notes.append(
        "extract_html (trafilatura.bare_extraction, no comments, title from the page "
        "tags) is timed on its own in the same passes; the cleaning share is clean_html minus it"
    )
    print_notes(notes)


# --- scaling --------------------------------------------------------------------------


def corpus_bytes(texts: list[str], at_least: int) -> bytes:
    """The dump documents one after another (a blank line between), repeated to a size."""
    once = ("\n\n".join(texts) + "\n\n").encode("utf-8")
    return once * (at_least // len(once) + 2)


def cut_docs(pool: bytes, size: int, count: int) -> list[str]:
    """`count` consecutive documents of at most `size` bytes, cut at line ends (at a
    space when a line is longer than half the size)."""
    docs, pos = [], 0
    for _ in range(count):
        if pos + size > len(pool):
            pos = 0
        piece = pool[pos : pos + size]
        cut = piece.rfind(b"\n")
        if cut < size // 2:
            cut = piece.rfind(b" ")
        if cut <= 0:
            cut = len(piece)
        docs.append(piece[:cut].decode("utf-8", errors="ignore"))
        pos += cut + 1
    return docs


def one_line(pool: bytes, size: int) -> str:
    """A document of at most `size` bytes that is one line: lines joined by spaces."""
    text = cut_docs(pool, size + size // 5, 1)[0]
    data = " ".join(line.strip() for line in text.splitlines() if line.strip()).encode()
    if len(data) > size:
        data = data[: data.rfind(b" ", 0, size)]
    return data.decode("utf-8", errors="ignore")


def _row_child(
    conn: Connection, clean: Callable[[str], object], docs: list[str], limit: float | None
) -> None:
    """In a forked child: clean the documents, sending each one's seconds, then None."""
    spent = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        clean(doc)
        seconds = time.perf_counter() - t0
        spent += seconds
        conn.send(seconds)
        if limit is not None and spent >= limit:
            break
    conn.send(None)
    conn.close()


@dataclass
class RowTime:
    """What a scaling row managed: documents and bytes done, seconds, stopped or not."""

    docs: int  # finished
    nbytes: int  # finished, plus the one stopped inside
    seconds: float
    stopped: bool  # killed inside a document: ms/MB is a lower bound


def time_docs(
    label: str, clean: Callable[[str], object], docs: list[str], limit: float | None
) -> RowTime:
    """Clean documents until done or `limit` seconds; a document still running past the
    limit (plus a grace) is stopped, when processes can fork, and counted as a bound."""
    sizes = [nbytes(d) for d in docs]
    if "fork" not in mp.get_all_start_methods():  # no safe way to stop: run in-process
        done = spent = 0
        for doc in docs:
            t0 = time.perf_counter()
            clean(doc)
            spent += time.perf_counter() - t0
            done += 1
            if limit is not None and spent >= limit:
                break
        return RowTime(done, sum(sizes[:done]), spent, False)
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_row_child, args=(send, clean, docs, limit), daemon=True)
    child.start()
    send.close()
    done, spent, last = 0, 0.0, time.perf_counter()
    hard = None if limit is None else limit + max(5.0, limit / 10)
    started = beat = last
    try:
        while True:
            if receive.poll(0.2):
                message = receive.recv()
                if message is None:
                    return RowTime(done, sum(sizes[:done]), spent, False)
                done, spent, last = done + 1, spent + message, time.perf_counter()
            elif hard is not None and time.perf_counter() - started > hard:
                running = time.perf_counter() - last
                return RowTime(done, sum(sizes[: done + 1]), spent + running, True)
            elif time.perf_counter() - beat > 30:
                beat = time.perf_counter()
                progress(f"{label}: {done}/{len(docs)} documents, {beat - started:.0f} s")
            elif not child.is_alive() and not receive.poll():
                raise RuntimeError(f"scaling child died (exit {child.exitcode})")
    except EOFError as exc:
        raise RuntimeError(f"scaling child died (exit {child.exitcode})") from exc
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def section_scaling(s: Settings, texts: list[str]) -> None:
    """Time per MB as documents grow from 1 KB to 10 MB, and for one-line documents."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    pool = corpus_bytes(texts, 12 * MB)
    rows_spec = [
        ("1 KB", KB, False),
        ("10 KB", 10 * KB, False),
        ("100 KB", 100 * KB, False),
        ("1 MB", MB, False),
        ("10 MB", 10 * MB, False),
        ("1 MB, one line", MB, True),
        ("10 MB, one line", 10 * MB, True),
    ]
    notes: list[str] = []
    rows: list[tuple[str, ...]] = []
    figures: list[tuple[float, bool]] = []
    for label, size, single in rows_spec:
        if single:
            docs = [one_line(pool, size)]
        else:
            docs = cut_docs(pool, size, max(1, round(s.scaling_mb * MB / size)))
        share = 0.4 if size >= 10 * MB else 0.1
        limit = s.limit(share)
        total = sum(nbytes(d) for d in docs)
        progress(
            f"scaling: {label}: {len(docs)} document(s), {total / MB:.2f} MB"
            + (f", cap {limit:.0f} s" if limit else "")
        )
        r = time_docs(f"scaling: {label}", cleaner.clean, docs, limit)
        ms_per_mb = 1000 * r.seconds / (r.nbytes / MB) if r.nbytes else float("nan")
        figures.append((ms_per_mb, r.stopped))
        bound = ">=" if r.stopped else ""
        progress(f"scaling: {label}: {bound}{ms_per_mb:.0f} ms/MB")
        rows.append(
            (
                label,
                f"{r.docs}/{len(docs)}",
                f"{r.nbytes / MB:.2f}",
                f"{bound}{r.seconds:.2f}",
                f"{bound}{ms_per_mb:.0f}",
            )
        )
        if r.stopped:
            notes.append(
                f"{label}: stopped inside a document after {r.seconds:.0f} s "
                f"(cap {share:.0%} of --budget); its ms/MB is a lower bound"
            )
        elif r.docs < len(docs):
            notes.append(f"{label}: {r.docs} of {len(docs)} documents within the cap")
    print(
        "\nscaling: ms per MB by document size (documents cut from the dumps at line "
        "ends; one line: their lines joined by spaces)"
    )
    table(("document", "docs", "MB", "s", "ms/MB"), rows, (18, 11, 8, 10, 9))
    measured = [f for f in figures if f[0] == f[0]]  # not NaN
    if measured:
        (top, top_bound), (low, low_bound) = max(measured), min(measured)
        bound = {(True, False): ">= ", (False, True): "<= "}.get((top_bound, low_bound), "")
        print(f"max/min ms/MB: {bound}{top / low:.2f}x")
    print_notes(notes)


# --- memory ---------------------------------------------------------------------------


def _proc_tree_rss(root: int) -> int:
    """Resident bytes of every process below `root` (not itself), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Measured:
    """One measured CLI run."""

    seconds: float
    returncode: int
    max_rss: int  # bytes, the largest single process (getrusage of the children)
    tree_rss: int  # bytes, the whole process tree summed, sampled every 0.2 s
    stderr: str


def measure(cmd: list[str], workdir: Path) -> Measured:
    """Run a command under a getrusage wrapper, sampling its process tree's RSS."""
    rss_file, err_file = workdir / "maxrss", workdir / "stderr"
    sample = Path("/proc/self/status").exists()
    with err_file.open("w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _RUSAGE_WRAPPER, str(rss_file), *cmd],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        tree = 0
        while proc.poll() is None:
            if sample:
                tree = max(tree, _proc_tree_rss(proc.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    peak = int(rss_file.read_text() or 0) if rss_file.exists() else 0
    peak = peak if sys.platform == "darwin" else peak * 1024
    return Measured(seconds, proc.returncode, peak, tree, err_file.read_text(errors="replace"))


def write_jsonl(path: Path, docs: list[tuple[str, str, str]], target: int) -> int:
    """Records {"id", "url", "text"} cycling over the documents up to `target` bytes."""
    parts = [(json.dumps(url), json.dumps(text, ensure_ascii=False)) for _, url, text in docs]
    written = records = 0
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        while written < target:
            url, text = parts[records % len(parts)]
            line = f'{{"id": "{records:09d}", "url": {url}, "text": {text}}}\n'
            out.write(line)
            written += len(line.encode("utf-8"))
            records += 1
    return records


def remove(path: Path) -> None:
    """Delete an output file (or folder, if the CLI made one)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def jsonl_ok(path: Path, records: int) -> bool:
    """Is `path` a JSONL file of `records` records, each with a text field?"""
    if not path.is_file():
        return False
    n = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                return False
            if not isinstance(record, dict) or "text" not in record:
                return False
            n += 1
    return n == records


def section_memory(s: Settings, texts: list[str]) -> None:
    """Peak RSS while `cleaner clean` streams a generated JSONL file."""
    urls: dict[str, str] = {}
    tsv = s.bench / "urls.tsv"
    if tsv.exists():
        for line in tsv.read_text(encoding="utf-8").splitlines()[1:]:
            key, _, url = line.partition("\t")
            urls[key] = url
    ids = [key for key, _ in read_folder(s.bench / "dumps", ".txt")]
    docs = [
        (k, urls.get(k, f"https://example.org/{k}"), t) for k, t in zip(ids, texts, strict=True)
    ]
    random.Random(0).shuffle(docs)  # so the small sample is a spread, not the first pages
    jobs = ["--jobs", "1"] if cli_has("--jobs") else []
    notes: list[str] = [] if jobs else ["no --jobs in `cleaner clean` yet: run without it"]
    target = int(s.gb * 1000 * MB)
    print(f"\nmemory: peak RSS of `{' '.join(['cleaner clean big.jsonl -o out.jsonl', *jobs])}`")
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        work = Path(tmp)

        def run(size: int, name: str) -> tuple[Measured, int, Path]:
            src, dst = work / f"{name}.jsonl", work / f"{name}-out.jsonl"
            records = write_jsonl(src, docs[:2] if size == 0 else docs, max(size, 1))
            cmd = [*CLI, "clean", str(src), "-o", str(dst), *jobs, "-q"]
            m = measure(cmd, work)
            src.unlink()
            return m, records, dst

        progress("memory: does `cleaner clean` take JSONL? (a one-record file)")
        tiny, records, out = run(0, "tiny")
        if tiny.returncode != 0 or not jsonl_ok(out, records):
            said = tiny.stderr.strip().splitlines()[-1:]
            kind = "a folder" if out.is_dir() else "a file" if out.exists() else "nothing"
            why = (
                f"exit {tiny.returncode}, {said[0][:160]!r}"
                if tiny.returncode
                else f"exit 0, but -o out.jsonl made {kind}, not {records} JSONL record(s)"
            )
            print("skipped: JSONL input not available")
            print_notes([*notes, f"`cleaner clean tiny.jsonl -o out.jsonl`: {why}"])
            return
        startup = tiny.seconds
        sample = min(target, (4 if s.budget == 0 or s.budget >= 60 else 1) * MB)
        progress(f"memory: sample of {sample / MB:.1f} MB")
        m_sample, n_sample, out = run(int(sample), "sample")
        remove(out)
        # start-up varies run to run: credit at most half the sample's time to it
        rate = sample / max(m_sample.seconds - startup, m_sample.seconds / 2)
        projected = startup + target / rate
        print(
            f"projected for {target / MB:.0f} MB at the sample's {rate / MB:.2f} MB/s: "
            f"{projected:.0f} s" + (f" ({projected / 3600:.1f} h)" if projected > 3600 else "")
        )
        size = target
        if s.budget > 0 and projected > s.budget:
            size = max(int(sample), int((s.budget - startup) * rate))
            notes.append(
                f"capped from {target / MB:.0f} MB to {size / MB:.1f} MB by --budget "
                f"{s.budget:g} s (--budget 0 for the full size)"
            )
        free = shutil.disk_usage(tmp).free
        if size * 2.2 > free:
            size = int(free / 2.2)
            notes.append(f"capped to {size / MB:.0f} MB by free disk space in {tmp}")
        rows = [("sample", n_sample, sample, m_sample)]
        if size > sample * 1.5:
            progress(f"memory: {size / MB:.1f} MB file")
            m_full, n_full, out = run(size, "big")
            remove(out)
            if m_full.returncode != 0:
                notes.append(
                    f"full run failed: exit {m_full.returncode}: {m_full.stderr.strip()[-200:]}"
                )
            rows.append(("file", n_full, size, m_full))
    table(
        ("run", "records", "MB", "s", "MB/s", "peak RSS MB", "tree RSS MB"),
        [
            (
                name,
                str(n),
                f"{b / MB:.1f}",
                f"{m.seconds:.1f}",
                f"{b / MB / max(m.seconds - startup, 1e-3):.2f}",
                f"{m.max_rss / MB:.0f}",
                f"{m.tree_rss / MB:.0f}" if m.tree_rss else "",
            )
            for name, n, b, m in rows
        ],
        (8, 9, 9, 8, 7, 12, 12),
    )
    notes.append(
        "peak RSS: the largest single process (getrusage of a wrapper's children); tree "
        "RSS: all processes of the run summed, sampled every 0.2 s; MB/s without the "
        f"{startup:.1f} s start-up of a one-record run"
    )
    print_notes(notes)


def write_wet(path: Path, texts: list[str], target: int) -> int:
    """A gzipped WET file of `target` bytes of text, pages cycling through `texts`."""
    import io

    from warcio.warcwriter import WARCWriter

    n = size = 0
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        while size < target:
            data = texts[n % len(texts)].encode("utf-8")
            rec = w.create_warc_record(
                f"https://site{n % 9}.example.org/page/{n}",
                "conversion",
                payload=io.BytesIO(data),
                warc_content_type="text/plain",
            )
            w.write_record(rec)
            n, size = n + 1, size + len(data)
    return n


def section_crawl(s: Settings, texts: list[str]) -> None:
    """WET: reading cost beside cleaning cost, and peak RSS of a streamed run."""
    try:
        from cleaner.io.crawl import crawl_lines
    except ImportError:
        print("\ncrawl: skipped (no cleaner.crawl)")
        return
    from cleaner import Cleaner

    scale = 0.1 if s.mb < 5 else 1.0
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    cleaner = Cleaner()
    with tempfile.TemporaryDirectory(prefix="cleaner-crawl-") as tmp:
        for size_mb in CRAWL_SIZES_MB:
            target = int(size_mb * scale * MB)
            wet = Path(tmp, f"seg-{size_mb:g}.warc.wet.gz")
            pages = write_wet(wet, texts, target)
            started = time.perf_counter()
            with open(wet, "rb") as fh:
                read = [json.loads(line)["text"] for _, line, *_ in crawl_lines(fh) if line]
            t_read = time.perf_counter() - started
            sample = read[: max(1, len(read) // 10)]  # a tenth, scaled up: the same pages cycle
            started = time.perf_counter()
            for text in sample:
                cleaner.clean(text)
            t_clean = (time.perf_counter() - started) * len(read) / len(sample)
            out = Path(tmp, f"seg-{size_mb:g}.jsonl.gz")
            m = None
            if s.budget == 0 or t_clean < s.budget:
                m = measure(
                    [*CLI, "clean", str(wet), "-o", str(out), "--jobs", "1", "-q"], Path(tmp)
                )
                remove(out)
            else:
                notes.append(f"{size_mb * scale:g} MB run skipped: over --budget {s.budget:g} s")
            rows.append(
                (
                    f"{target / MB:.1f}",
                    str(pages),
                    f"{wet.stat().st_size / MB:.1f}",
                    f"{t_read:.2f}",
                    f"{t_clean:.1f}",
                    f"{t_read / t_clean:.1%}",
                    f"{m.max_rss / MB:.0f}" if m else "",
                )
            )
            wet.unlink()
    print("\ncrawl: WET files read with warcio (cleaner.crawl) and cleaned")
    table(
        ("text MB", "pages", "gz MB", "read s", "clean s", "read/clean", "peak RSS MB"),
        rows,
        (8, 7, 7, 8, 8, 11, 12),
    )
    notes.append(
        "read s: every page parsed into its JSONL record in this process; clean s: "
        "Cleaner().clean on a tenth of the pages, scaled to all; peak RSS: the largest "
        "process of `cleaner clean seg.warc.wet.gz -o seg.jsonl.gz --jobs 1`"
    )
    print_notes(notes)


# --- main -----------------------------------------------------------------------------


def header(s: Settings) -> None:
    """The machine, the versions, and the settings."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(
        f"cleaner {pkg_version('cleaner')} speed: {os.cpu_count()} cores ({usable} usable), "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"load average {load}"
    )
    print(
        f"trafilatura {pkg_version('trafilatura')}, datatrove {pkg_version('datatrove')}; "
        f"--mb {s.mb:g} --gb {s.gb:g} --budget {s.budget:g} s a section "
        f"--html-reps {s.html_reps} --jobs {s.jobs}; MB = 10^6 bytes"
    )


def main(argv: list[str]) -> int:
    """Parse options, skip without the benchmark, run the chosen sections."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="short run: --mb 2 --gb 0.05 --budget 20 --html-reps 1 "
        "--scaling-mb 0.3 (explicit options win)",
    )
    ap.add_argument("--mb", type=float, help="plain text to clean, MB (default 50)")
    ap.add_argument("--gb", type=float, help="JSONL file size for memory, GB (default 1.0)")
    ap.add_argument(
        "--budget",
        type=float,
        help="seconds of work per section before capping (default 120, 0: none)",
    )
    ap.add_argument("--html-reps", type=int, help="HTML passes, best taken (default 2)")
    ap.add_argument(
        "--scaling-mb", type=float, help="MB of documents per size below 10 MB (default 2)"
    )
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="instead of the sections: cProfile the plain-text pass, top 25",
    )
    args = ap.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # tables and progress interleave in order
        sys.stdout.reconfigure(line_buffering=True)
    if not (args.bench / "dumps").is_dir():
        print(f"benchmark not found at {args.bench}: skipped")
        return 0

    def pick(value: float | None, normal: float, quick: float) -> float:
        return value if value is not None else (quick if args.quick else normal)

    s = Settings(
        bench=args.bench,
        mb=pick(args.mb, 50, 2),
        gb=pick(args.gb, 1.0, 0.05),
        budget=pick(args.budget, 120, 20),
        html_reps=int(pick(args.html_reps, 2, 1)),
        scaling_mb=pick(args.scaling_mb, 2, 0.3),
        jobs=args.jobs,
    )
    header(s)
    texts = [text for _, text in read_folder(s.bench / "dumps", ".txt")]
    if args.profile:
        run_profile(s, texts)
        return 0
    run = {
        "startup": section_startup,
        "text": section_text,
        "html": section_html,
        "scaling": section_scaling,
        "memory": section_memory,
        "crawl": section_crawl,
    }
    for name in args.only or SECTIONS:
        started = time.perf_counter()
        run[name](s, texts)
        print(f"({name}: {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
