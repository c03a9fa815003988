"""Running a batch: files and JSONL records cleaned in worker processes, in order.

The main process reads inputs, hands chunks (a few files, or up to CHUNK_RECORDS
records) to workers, and writes results in input order, so outputs do not depend on
the number of workers. At most a few chunks per worker are in flight, so memory stays
bounded on inputs of any size. Every output is written to a temp file and renamed when
complete; a run stopped by Ctrl-C or SIGTERM removes its temp files, and `--resume`
skips the outputs that exist.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..engine import Cleaner
from ..io.columns import ColumnError, ParquetOutput, parquet_batches
from ..io.crawl import CrawlError, crawl_chunks
from ..io.formats import InputError
from ..io.jsonl import (
    AtomicWriter,
    Oversize,
    open_input,
    open_stdin,
    read_chunks,
    rejects_path,
    remove_stale_temps_of,
)
from .batch import (
    JSONL,
    STDIN,
    TEXT,
    Job,
    Outcome,
    Skipped,
    check_inside,
    clean_files,
    copy_atomic,
    open_source,
    shard_jobs,
    write_atomic,
)
from .limits import DEFAULT_LIMITS, Limits, describe_size
from .records import DEFAULT_FIELDS, Fields, LinesDone, clean_lines, rule_file_versions, versions
from .stats import RunStats

# A task for a worker holds at most this many files, or about this many bytes of them.
FILES_PER_TASK = 8
FILE_TASK_BYTES = 4 << 20
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4


# Writing fails for the whole run, not one output, when the disk is full.
DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class OutputFull(Exception):
    """The output disk is full (or over quota): the run stops, as every output would
    fail; what was written is complete, and `--resume` finishes once there is room."""


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


class Reporter:
    """What a run tells its user; this one tells nothing (the CLI's shows progress)."""

    def start(self, total_bytes: int | None, inputs: int) -> None:
        """The run begins: bytes on disk to read (None: unknown) and inputs to do."""

    def advance(self, documents: int, nbytes: int) -> None:
        """Documents done and bytes of input read since the last call."""

    def error(self, where: str, message: str) -> None:
        """An input failed or a record was rejected."""

    def skipped(self, where: str, why: str) -> None:
        """A path in an input folder is no input (a pipe, a link out): not read."""

    def passed(self, where: str, why: str) -> None:
        """An input too large or too slow to clean was written unchanged."""

    def flagged(self, where: str, flags: list[str]) -> None:
        """A document was emptied or mostly removed."""


@dataclass(frozen=True)
class Settings:
    """How to run a batch."""

    fields: Fields = DEFAULT_FIELDS
    jobs: int = 1  # worker processes; 1: in this process
    resume: bool = False  # skip inputs whose output exists
    shard: tuple[int, int] | None = None  # (I, N): take the I-th of N parts
    rejects: Path | None = None  # one rejects file for the run (default: one per output)
    limits: Limits = DEFAULT_LIMITS  # per document: bytes and CPU seconds
    flat: bool = False  # Parquet: flat cleaner_* columns instead of a struct


def shards_records(jobs: list[Job]) -> bool:
    """`--shard` splits the records of a single JSONL input, else the inputs themselves."""
    return len(jobs) == 1 and jobs[0].kind == JSONL


def run(
    cleaner: Cleaner,
    jobs: list[Job],
    settings: Settings = Settings(),
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
    workers = _Workers(cleaner, 1 if one_file else settings.jobs)  # before a progress thread
    state = _Writer(stats, reporter, out or sys.stdout, settings.rejects, settings)
    finished = False
    try:
        known = all(j.source != STDIN for j in todo)
        reporter.start(sum(j.size for j in todo) if known else None, len(todo))
        tasks = _tasks(todo, settings, record_shard)
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


# ---- tasks ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Task:
    """One step, in input order: a worker's chunk, or opening or closing a JSONL job."""

    step: str  # "files", "open", "records", "oversize", "close"
    job: Job | None = None
    work: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
    documents: int = 0
    nbytes: int = 0  # bytes on disk read for this step
    error: str | None = None
    oversize: Oversize | None = None  # a line over the byte limit, to reject
    rows: Any = None  # Parquet: (the record batch, its row numbers) the chunk came from


def _tasks(
    todo: list[Job], settings: Settings, record_shard: tuple[int, int] | None
) -> Iterator[_Task]:
    """The run's steps, reading JSONL inputs lazily, a chunk at a time."""
    batch: list[Job] = []
    held = 0
    limits = settings.limits
    for job in todo:
        if job.kind == TEXT:
            batch.append(job)
            held += job.size
            if len(batch) >= FILES_PER_TASK or held >= FILE_TASK_BYTES:
                yield _Task("files", work=(clean_files, (batch, limits)))
                batch, held = [], 0
            continue
        if batch:
            yield _Task("files", work=(clean_files, (batch, limits)))
            batch, held = [], 0
        if job.read_as == "parquet":
            yield from _parquet_tasks(job, settings, record_shard)
        else:
            yield from _jsonl_tasks(job, settings, record_shard)
    if batch:
        yield _Task("files", work=(clean_files, (batch, limits)))


def _parquet_tasks(
    job: Job, settings: Settings, record_shard: tuple[int, int] | None
) -> Iterator[_Task]:
    """Open, a task per record batch (rows sharded by number), close (columns.py)."""
    fields = settings.fields
    yield _Task("open", job)
    read = 0
    small = Fields()  # the workers see each row as {"text", "url", "id"}
    try:
        batches = parquet_batches(job.source, fields.text, fields.url, fields.id, record_shard)
        for batch, lines, pos in batches:
            nbytes, read = pos - read, pos
            work = (
                clean_lines,
                (lines, small, None, settings.limits.timeout, settings.limits.flagged),
            )
            numbers = [no for no, _ in lines]
            yield _Task("records", job, work, len(lines), nbytes, rows=(batch, numbers))
    except ColumnError as exc:
        yield _Task("close", job, nbytes=max(job.size - read, 0), error=str(exc))
        return
    except OSError as exc:
        yield _Task("close", job, nbytes=max(job.size - read, 0), error=f"cannot read: {exc}")
        return
    yield _Task("close", job, nbytes=max(job.size - read, 0))


def _spool_dir(job: Job, rejects: Path | None) -> Path | None:
    """Where a line over the byte limit waits for its turn in the rejects file: beside
    that file (None: no rejects file, the line is only reported)."""
    target = rejects if rejects is not None else (job.target and rejects_path(job.target))
    if target is None:
        return None
    try:
        check_inside(target, job.root if rejects is None else None)
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # the output cannot be written either: the job fails when opened
    return target.parent


def _jsonl_tasks(
    job: Job, settings: Settings, record_shard: tuple[int, int] | None
) -> Iterator[_Task]:
    """Open, chunks of records, close. Records are sharded here by line number, or in
    the worker by a hash of the id field when one is given. A line over the byte limit
    is not sent to a worker: it is rejected in its turn."""
    fields, limits = settings.fields, settings.limits
    yield _Task("open", job)
    by_line = record_shard if fields.id is None else None
    by_id = record_shard if fields.id is not None else None
    read = 0
    handles: list[BinaryIO] = []
    try:
        if job.source == STDIN:
            lines, raw = open_stdin(sys.stdin.buffer), None
        else:
            opened = open_source(job)
            handles = [opened]
            lines, raw = open_input(job.source, opened)
            handles = [lines, raw]
        spool = _spool_dir(job, settings.rejects) if limits.max_bytes else None
        if job.read_as == "warc":  # WARC or WET: pages as records (crawl.py)
            stream = sys.stdin.buffer if job.source == STDIN else raw
            chunks = crawl_chunks(stream, shard=by_line, max_bytes=limits.max_bytes)  # type: ignore[arg-type]
        else:
            chunks = read_chunks(
                lines, raw, shard=by_line, max_bytes=limits.max_bytes, spool_dir=spool
            )
        for chunk in chunks:
            if chunk.pos >= 0:
                nbytes, read = chunk.pos - read, chunk.pos
            else:
                nbytes = sum(len(line) + 1 for _, line in chunk.lines)
            if chunk.oversize is not None:
                size, limit = describe_size(chunk.oversize.size), describe_size(limits.max_bytes)
                why = chunk.oversize.why or f"a record of {size} is over --max-bytes {limit}"
                yield _Task("oversize", job, None, 1, nbytes, why, chunk.oversize)
                continue
            work = (clean_lines, (chunk.lines, fields, by_id, limits.timeout, limits.flagged))
            yield _Task("records", job, work, len(chunk.lines), nbytes)
    except (InputError, CrawlError) as exc:
        yield _Task("close", job, nbytes=max(job.size - read, 0), error=str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        message = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield _Task("close", job, nbytes=max(job.size - read, 0), error=f"cannot read: {message}")
        return
    finally:
        for h in handles:
            with contextlib.suppress(OSError):
                h.close()
    yield _Task("close", job, nbytes=max(job.size - read, 0))


# ---- workers -------------------------------------------------------------------------

_worker_cleaner: Cleaner | None = None


def _init_worker(cleaner: Cleaner) -> None:
    """Receive the Cleaner once per worker. Ctrl-C reaches every process of the
    terminal's group: the main process alone decides, and stops the workers."""
    global _worker_cleaner
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_cleaner = cleaner


def _call(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return fn(_worker_cleaner, *args)


# How long an abandoned pool's manager thread is given to wind down.
MANAGER_JOIN_S = 10.0


class _Workers:
    """Tasks run in worker processes (or here, for one job), results in task order."""

    def __init__(self, cleaner: Cleaner, jobs: int) -> None:
        self.cleaner = cleaner
        self.limit = max(1, jobs) * IN_FLIGHT_PER_WORKER
        self.executor: ProcessPoolExecutor | None = None
        if jobs > 1:
            self.executor = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(cleaner,))
            # Start the workers now, before a progress bar starts a thread.
            self.executor.submit(int).result()

    def ordered(self, tasks: Iterable[_Task]) -> Iterator[tuple[_Task, Any]]:
        """(task, result) in the order of `tasks`, with a bounded number in flight."""
        if self.executor is None:
            for task in tasks:
                yield task, (task.work[0](self.cleaner, *task.work[1]) if task.work else None)
            return
        pending: deque[tuple[_Task, Future[Any] | None]] = deque()
        in_flight = 0
        for task in tasks:
            future = self.executor.submit(_call, *task.work) if task.work else None
            in_flight += future is not None
            pending.append((task, future))
            while pending and (
                pending[0][1] is None or pending[0][1].done() or in_flight > self.limit
            ):
                head, fut = pending.popleft()
                in_flight -= fut is not None
                yield head, fut.result() if fut is not None else None
        while pending:
            head, fut = pending.popleft()
            yield head, fut.result() if fut is not None else None

    def close(self, *, abandon: bool) -> None:
        """Wait for the workers to exit, or stop them at once when the run is abandoned
        (they write nothing, so nothing is lost)."""
        if self.executor is None:
            return
        if abandon:
            # (shutdown forgets the pool's manager thread: it is taken first, see below)
            manager = getattr(self.executor, "_executor_manager_thread", None)
            terminate = getattr(self.executor, "terminate_workers", None)  # Python 3.14+
            if terminate is not None:
                terminate()
            else:
                for proc in list((getattr(self.executor, "_processes", None) or {}).values()):
                    with contextlib.suppress(Exception):
                        proc.terminate()
            self.executor.shutdown(wait=False, cancel_futures=True)
            # Let the pool's manager thread finish closing its wake-up pipe: else, on
            # Python 3.11 (and any without the lock CPython added in gh-125451), the exit
            # hook may write to it as it closes and print an OSError traceback.
            if manager is not None:
                manager.join(timeout=MANAGER_JOIN_S)
        else:
            self.executor.shutdown(wait=True)


# ---- writing, in the main process ----------------------------------------------------


class _Rejects:
    """Rejected lines, unchanged, into a file written atomically (none: only reported)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.writer: AtomicWriter | None = None

    def add(self, raw: bytes) -> None:
        if self.path is None:
            return
        if self.writer is None:
            self.writer = AtomicWriter(self.path)
        self.writer.write(raw + b"\n")

    def add_spooled(self, spool: BinaryIO) -> None:
        """A line too long to hold, from the file it was spooled into."""
        if self.path is None:
            return
        if self.writer is None:
            self.writer = AtomicWriter(self.path)
        while block := spool.read(1 << 20):
            self.writer.write(block)
        self.writer.write(b"\n")

    def commit(self) -> None:
        """Publish the rejects; with none, remove a rejects file an earlier run left."""
        if self.writer is not None:
            self.writer.commit()
        elif self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()


class _StdoutWriter:
    """JSONL to standard output, as it comes."""

    def __init__(self, out: TextIO) -> None:
        out.flush()
        self.out = out
        self.buffer: BinaryIO | None = getattr(out, "buffer", None)

    def write(self, data: bytes) -> None:
        if self.buffer is not None:
            self.buffer.write(data)
        else:
            self.out.write(data.decode("utf-8", "replace"))

    def commit(self) -> None:
        (self.buffer or self.out).flush()

    def abort(self) -> None:
        """Nothing to undo; and no flush, which could block on a pipe nobody reads."""


class _Writer:
    """Results to outputs, in order: files written atomically, JSONL streamed into
    a temp file renamed once the input is read to its end (or to where it is damaged:
    the records before the damage are kept, the input is named as failed)."""

    def __init__(
        self,
        stats: RunStats,
        reporter: Reporter,
        out: TextIO,
        rejects: Path | None,
        settings: Settings | None = None,
    ) -> None:
        self.stats, self.reporter, self.out = stats, reporter, out
        self.settings = settings or Settings()
        self.shared = _Rejects(rejects) if rejects is not None else None
        self.job: Job | None = None
        self.output: AtomicWriter | _StdoutWriter | ParquetOutput | None = None
        self.rejects: _Rejects | None = None
        self.records = 0  # records of the open job written (or rejected) so far

    def handle(self, task: _Task, result: Any) -> None:
        if task.step == "files":
            for outcome in result:
                self._file(outcome)
        elif task.step == "open":
            self._open(task.job)
        elif task.step == "records":
            self._records(task, result)
        elif task.step == "oversize":
            self._oversize(task)
        else:
            self._close(task)

    def _file(self, o: Outcome) -> None:
        self.reporter.advance(1, o.job.size)
        if o.error is None:
            try:
                self._write_file(o)
            except BrokenPipeError:
                raise  # stdout closed (`| head`): the run ends
            except OSError as exc:
                o.error = _write_error(o.job.target, exc)
            except InputError as exc:  # passed through, but no longer there to copy
                o.error = str(exc)
            except UnicodeError as exc:  # text that is not Unicode (a lone surrogate)
                o.error = f"cannot write {o.job.target or '<stdout>'}: {exc}"
        if o.error is not None:
            self.stats.inputs_failed += 1
            self.reporter.error(str(o.job.source), o.error)
            return
        if o.passed is not None:
            self.stats.inputs_passed += 1
            self.reporter.passed(str(o.job.source), o.passed)
            return
        self.stats.inputs_done += 1
        self.stats.tally.merge(o.tally)
        if o.flags:
            self.reporter.flagged(str(o.job.source), o.flags)

    def _write_file(self, o: Outcome) -> None:
        """The cleaned text, or the input unchanged when it was passed through."""
        target = o.job.target
        if target is not None:
            check_inside(target, o.job.root)
        if o.passed is None and not o.kept:
            if target is None:
                self.out.write(o.text or "")
            else:
                write_atomic(target, o.text or "")
        elif target is not None:
            copy_atomic(target, o.raw if o.raw is not None else o.job.source)
        else:
            stdout = _StdoutWriter(self.out)
            if o.raw is not None:
                stdout.write(o.raw)
            else:
                with _reopen(o.job.source) as src:
                    while block := src.read(1 << 20):
                        stdout.write(block)
            stdout.commit()

    def _open(self, job: Job | None) -> None:
        assert job is not None
        self.job, self.records = job, 0
        try:
            if job.target is not None:
                check_inside(job.target, job.root)
            if job.read_as == "parquet" and job.target is not None:
                text = self.settings.fields.text
                self.output = ParquetOutput(job.target, text, self.settings.flat)
            else:
                self.output = AtomicWriter(job.target) if job.target else _StdoutWriter(self.out)
        except OSError as exc:
            self._fail(_write_error(job.target, exc))
            return
        own = _Rejects(rejects_path(job.target) if job.target else None)
        self.rejects = self.shared or own

    def _records(self, task: _Task, done: LinesDone) -> None:
        self.reporter.advance(task.documents, task.nbytes)
        if self.output is None or self.rejects is None:
            return  # the job has failed: its remaining chunks are dropped
        self.stats.tally.merge(done.tally)
        name = _name(task.job)
        try:
            for no, raw, why in done.rejects:
                self.stats.records_rejected += 1
                self.reporter.error(f"{name}:{no}", why)
                self.rejects.add(raw)
            if isinstance(self.output, ParquetOutput):  # rows, with their other columns
                batch, numbers = task.rows
                rejected = {no for no, _, _ in done.rejects}
                self.output.write_batch(batch, done.out, rejected, numbers)
            else:
                self.output.write(done.out)
            self.records += task.documents
        except BrokenPipeError:
            raise  # stdout closed (`| head`): the run ends
        except OSError as exc:
            self._fail(_write_error(self.job.target if self.job else None, exc))

    def _oversize(self, task: _Task) -> None:
        """A line over the byte limit: rejected, copied from its spool file."""
        over = task.oversize
        assert over is not None
        try:
            self.reporter.advance(task.documents, task.nbytes)
            if self.output is None or self.rejects is None:
                return  # the job has failed
            self.stats.records_rejected += 1
            self.reporter.error(f"{_name(task.job)}:{over.no}", task.error or "too large")
            if over.spool is not None:
                self.rejects.add_spooled(over.spool)
        except OSError as exc:
            self._fail(_write_error(self.job.target if self.job else None, exc))
        finally:
            if over.spool is not None:
                over.spool.close()

    def _close(self, task: _Task) -> None:
        self.reporter.advance(0, task.nbytes)
        if self.output is None:
            return
        if task.error is not None and not self.records:
            self._fail(task.error)  # nothing could be read: no output
            return
        try:
            if self.rejects is not self.shared and self.rejects is not None:
                self.rejects.commit()  # before the output: an output exists only complete
            self.output.commit()
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._fail(_write_error(self.job.target if self.job else None, exc))
            return
        if task.error is not None:  # damaged on: what was read before it is kept
            self.stats.inputs_failed += 1
            self.reporter.error(
                _name(self.job), f"{task.error}; {_records(self.records)} before it written"
            )
        else:
            self.stats.inputs_done += 1
        self.output = self.rejects = self.job = None

    def _fail(self, message: str) -> None:
        self.stats.inputs_failed += 1
        self.reporter.error(_name(self.job), message)
        if self.output is not None:
            self.output.abort()
        if self.rejects is not None and self.rejects is not self.shared:
            self.rejects.abort()
        self.output = self.rejects = None

    def finish(self) -> None:
        if self.shared is not None:
            self.shared.commit()

    def abort(self) -> None:
        """The run stops: remove every temp file."""
        if self.output is not None:
            self.output.abort()
        if self.rejects is not None:
            self.rejects.abort()
        if self.shared is not None:
            self.shared.abort()


def _reopen(source: Path) -> BinaryIO:
    """An input passed through, opened again to copy it (a regular file, as planned)."""
    try:
        return open_source(Job(source, None, walked=True))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None


def _write_error(target: Path | None, exc: OSError) -> str:
    """What a failed write says; a full disk stops the run (OutputFull)."""
    where = f" {target}" if target is not None else ""
    message = f"cannot write{where}: {exc.strerror or exc}"
    if exc.errno in DISK_FULL:
        raise OutputFull(message) from None
    return message


def _records(n: int) -> str:
    return "1 record" if n == 1 else f"{n} records"


def _name(job: Job | None) -> str:
    return "<stdin>" if job is None or job.source == STDIN else str(job.source)
