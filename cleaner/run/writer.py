"""Results written in the main process, in input order: files atomically, JSONL and Parquet
streamed into temp files renamed once complete, rejected lines into their rejects file."""

from __future__ import annotations

import contextlib
import errno
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..io.columns import ParquetOutput
from ..io.formats import InputError
from ..io.jsonl import AtomicWriter, rejects_path
from .batch import Outcome
from .jobs import STDIN, Job
from .outputs import check_inside, copy_atomic, write_atomic
from .records import LinesDone
from .reporter import Reporter
from .settings import Settings
from .sources import open_source
from .stats import RunStats
from .tasks import Task

# Writing fails for the whole run, not one output, when the disk is full.
DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class OutputFull(Exception):
    """The output disk is full (or over quota): the run stops, as every output would
    fail; what was written is complete, and `--resume` finishes once there is room."""


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


class Writer:
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

    def handle(self, task: Task, result: Any) -> None:
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

    def _records(self, task: Task, done: LinesDone) -> None:
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

    def _oversize(self, task: Task) -> None:
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

    def _close(self, task: Task) -> None:
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
