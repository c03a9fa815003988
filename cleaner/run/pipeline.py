"""Running a batch: files and JSONL records cleaned in worker processes, in order.

The main process reads inputs, hands chunks (a few files, or up to CHUNK_RECORDS
records) to workers, and writes results in input order, so outputs do not depend on
the number of workers. At most a few chunks per worker are in flight, so memory stays
bounded on inputs of any size. Every output is written to a temp file and renamed when
complete; a run stopped by Ctrl-C or SIGTERM removes its temp files, and `--resume`
skips the outputs that exist.

The steps are made in `tasks.py`, run in `workers.py` and written by `writer.py`; the
run's `Settings`, `Reporter` and `OutputFull` are imported here too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ..engine import Cleaner
from ..io.jsonl import rejects_path, remove_stale_temps_of
from ..record import rule_file_versions, versions
from .jobs import JSONL, STDIN, TEXT, Job, Skipped
from .reporter import Reporter
from .settings import DEFAULT_SETTINGS, Settings
from .shards import shard_jobs, shards_records
from .stats import RunStats
from .tasks import task_steps
from .workers import WorkerPool
from .writer import (
    Writer,
)


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: the run stops, temp files are removed, exit code 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


def default_jobs() -> int:
    """The cores this process may run on (a Slurm or taskset limit counts)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise Interrupted, once: later signals are
    ignored while `finally` blocks remove temp files. Handlers are restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Interrupted(signum)

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def run(
    cleaner: Cleaner,
    jobs: list[Job],
    settings: Settings = DEFAULT_SETTINGS,
    reporter: Reporter | None = None,
    out: TextIO | None = None,
    skipped: Iterable[Skipped] = (),
) -> RunStats:
    """Clean every job and write its output; failures are counted and reported, not raised.

    `skipped`: what planning found and did not take (see `batch.plan`), to report.
    Raises Interrupted (from `stop_on_signals`), or OutputFull, with no temp file left.
    """
    reporter = reporter or Reporter()
    stats = RunStats(jobs=settings.jobs)
    for note in skipped:
        if note.error:
            stats.inputs_failed += 1
            reporter.error(str(note.path), note.why)
        else:
            stats.paths_skipped += 1
            reporter.skipped(str(note.path), note.why)
    stats.versions = {**versions(cleaner.ruleset), "files": rule_file_versions(cleaner.ruleset)}
    record_shard = None
    if settings.shard is not None:
        stats.shard = f"{settings.shard[0]}/{settings.shard[1]}"
        if shards_records(jobs):
            record_shard = settings.shard
        else:
            jobs = shard_jobs(jobs, settings.shard)
    stats.inputs = len(jobs) + stats.inputs_failed  # inputs refused when planning count
    todo: list[Job] = []
    for job in jobs:
        if settings.resume and job.target is not None and job.target.exists():
            stats.inputs_skipped += 1
            continue
        todo.append(job)
    if settings.resume:
        remove_stale_temps_of(_written(jobs, settings.rejects))
    one_file = len(todo) <= 1 and all(j.kind == TEXT for j in todo)
    started = time.monotonic()
    workers = WorkerPool(cleaner, 1 if one_file else settings.jobs)  # before a progress thread
    state = Writer(stats, reporter, out or sys.stdout, settings.rejects, settings)
    finished = False
    try:
        known = all(j.source != STDIN for j in todo)
        reporter.start(sum(j.size for j in todo) if known else None, len(todo))
        tasks = task_steps(todo, settings, record_shard)
        for task, result in workers.ordered(tasks):
            state.handle(task, result)
        state.finish()
        finished = True
    finally:
        if not finished:
            state.abort()
        workers.close(abandon=not finished)
        stats.seconds = time.monotonic() - started
    return stats


def _written(jobs: list[Job], shared_rejects: Path | None) -> Iterator[Path]:
    """Every file the jobs write: outputs, and their rejects files."""
    for job in jobs:
        if job.target is not None:
            yield job.target
            if job.kind == JSONL and shared_rejects is None:
                yield rejects_path(job.target)
    if shared_rejects is not None:
        yield shared_rejects
