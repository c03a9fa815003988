"""A run's inputs as steps in input order: chunks of files or records for the workers, and
the opening and closing of each JSONL or Parquet job, read lazily so memory stays bounded."""

from __future__ import annotations

import contextlib
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..io.columns import ColumnError, parquet_batches
from ..io.crawl import CrawlError, crawl_chunks
from ..io.formats import InputError
from ..io.jsonl import Oversize, open_input, open_stdin, read_chunks, rejects_path
from ..record import Fields
from .batch import clean_files
from .jobs import STDIN, TEXT, Job
from .limits import describe_size
from .outputs import check_inside
from .records import clean_lines
from .settings import Settings
from .sources import open_source

# A task for a worker holds at most this many files, or about this many bytes of them.
FILES_PER_TASK = 8
FILE_TASK_BYTES = 4 << 20


@dataclass(slots=True)
class Task:
    """One step, in input order: a worker's chunk, or opening or closing a JSONL job."""

    step: str  # "files", "open", "records", "oversize", "close"
    job: Job | None = None
    work: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
    documents: int = 0
    nbytes: int = 0  # bytes on disk read for this step
    error: str | None = None
    oversize: Oversize | None = None  # a line over the byte limit, to reject
    rows: Any = None  # Parquet: (the record batch, its row numbers) the chunk came from


def task_steps(
    todo: list[Job], settings: Settings, record_shard: tuple[int, int] | None
) -> Iterator[Task]:
    """The run's steps, reading JSONL inputs lazily, a chunk at a time."""
    batch: list[Job] = []
    held = 0
    limits = settings.limits
    for job in todo:
        if job.kind == TEXT:
            batch.append(job)
            held += job.size
            if len(batch) >= FILES_PER_TASK or held >= FILE_TASK_BYTES:
                yield Task("files", work=(clean_files, (batch, limits)))
                batch, held = [], 0
            continue
        if batch:
            yield Task("files", work=(clean_files, (batch, limits)))
            batch, held = [], 0
        if job.read_as == "parquet":
            yield from _parquet_tasks(job, settings, record_shard)
        else:
            yield from _jsonl_tasks(job, settings, record_shard)
    if batch:
        yield Task("files", work=(clean_files, (batch, limits)))


def _parquet_tasks(
    job: Job, settings: Settings, record_shard: tuple[int, int] | None
) -> Iterator[Task]:
    """Open, a task per record batch (rows sharded by number), close (columns.py)."""
    fields = settings.fields
    yield Task("open", job)
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
            yield Task("records", job, work, len(lines), nbytes, rows=(batch, numbers))
    except ColumnError as exc:
        yield Task("close", job, nbytes=max(job.size - read, 0), error=str(exc))
        return
    except OSError as exc:
        yield Task("close", job, nbytes=max(job.size - read, 0), error=f"cannot read: {exc}")
        return
    yield Task("close", job, nbytes=max(job.size - read, 0))


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
) -> Iterator[Task]:
    """Open, chunks of records, close. Records are sharded here by line number, or in
    the worker by a hash of the id field when one is given. A line over the byte limit
    is not sent to a worker: it is rejected in its turn."""
    fields, limits = settings.fields, settings.limits
    yield Task("open", job)
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
                yield Task("oversize", job, None, 1, nbytes, why, chunk.oversize)
                continue
            work = (clean_lines, (chunk.lines, fields, by_id, limits.timeout, limits.flagged))
            yield Task("records", job, work, len(chunk.lines), nbytes)
    except (InputError, CrawlError) as exc:
        yield Task("close", job, nbytes=max(job.size - read, 0), error=str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        message = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield Task("close", job, nbytes=max(job.size - read, 0), error=f"cannot read: {message}")
        return
    finally:
        for h in handles:
            with contextlib.suppress(OSError):
                h.close()
    yield Task("close", job, nbytes=max(job.size - read, 0))
