"""JSONL streams: read records a line at a time, write outputs atomically, gzip by suffix.

Nothing here holds more than one chunk of lines: a JSONL file of any size is read and
written as a stream, so memory does not grow with the file.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .formats import InputError

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
GZIP_MAGIC = b"\x1f\x8b"
# gzip level for outputs: 6 is zlib's default, near 9 in size at a fraction of the time.
GZIP_LEVEL = 6
# A chunk of records sent to a worker ends at this many records or bytes, whichever
# comes first, so that a few huge records do not make one huge chunk.
CHUNK_RECORDS = 128
CHUNK_BYTES = 4 << 20


def _file_mode() -> int:
    """The mode a plain `open()` would give a new file (mkstemp's temp files are 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def is_jsonl(path: Path) -> bool:
    """Whether a file is JSONL by its name: `.jsonl` or `.jsonl.gz`."""
    return path.name.lower().endswith(JSONL_SUFFIXES)


def rejects_path(target: Path) -> Path:
    """Where a JSONL output's rejected lines go by default: `out.jsonl` -> `out.rejects.jsonl`."""
    name = target.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return target.with_name(f"{name}.rejects.jsonl")


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_input(path: Path, opened: BinaryIO | None = None) -> tuple[BinaryIO, BinaryIO]:
    """Open a JSONL input for reading: (lines, raw file); gunzipped when it starts with
    gzip's magic bytes, whatever its name (a `.gz` name on plain text is read as it is).

    The raw file's position tells how much of the file on disk has been read. `opened`:
    the file, opened already (buffered, so that its first bytes can be peeked at).
    """
    raw = opened or open(path, "rb")  # noqa: SIM115 (closed by the caller)
    try:
        head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
        if head == GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    except BaseException:
        raw.close()
        raise
    return raw, raw


def open_stdin(stream: BinaryIO) -> BinaryIO:
    """Standard input as JSONL lines, gunzipped when it starts with gzip's magic bytes."""
    peek = getattr(stream, "peek", None)
    if peek is not None and peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


@dataclass(frozen=True, slots=True)
class Oversize:
    """A line over the byte limit, never held whole: its size, and the line itself
    (without its end) in an anonymous temp file when it is to be kept (for rejects)."""

    no: int
    size: int
    spool: BinaryIO | None
    why: str = ""  # a record refused for another reason than its size (a binary page)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive input lines: (1-based line number, the line without its end); or a
    single line over the byte limit, in `oversize`."""

    lines: list[tuple[int, bytes]]
    pos: int  # bytes of the file on disk read so far (-1: unknown)
    oversize: Oversize | None = None


def read_chunks(
    lines: BinaryIO,
    raw: BinaryIO | None = None,
    *,
    shard: tuple[int, int] | None = None,
    records: int = CHUNK_RECORDS,
    size: int = CHUNK_BYTES,
    max_bytes: int = 0,
    spool_dir: Path | None = None,
) -> Iterator[Chunk]:
    """Non-blank lines in chunks, read one line at a time.

    `shard` (I, N) keeps only lines whose index (line number - 1) is I modulo N.
    Blank lines are not records and are skipped. A line longer than `max_bytes` (0: no
    limit) is never held in memory whole: it comes alone, as an `Oversize` chunk, after
    the lines before it, spooled into an anonymous file in `spool_dir` (None: dropped).
    """
    batch: list[tuple[int, bytes]] = []
    held = 0
    no = 0
    limit = max_bytes + 1 if max_bytes else -1
    try:
        while True:
            line = lines.readline(limit)
            if not line:
                break
            no += 1
            mine = shard is None or (no - 1) % shard[1] == shard[0]
            if max_bytes and len(line) > max_bytes and not line.endswith(b"\n"):
                whole = _rest_of_line(lines, line, no, max_bytes, spool_dir if mine else None)
                if whole is None or not mine:
                    continue  # blank, or another shard's
                if isinstance(whole, Oversize):
                    if batch:
                        yield Chunk(batch, stream_position(raw))
                        batch, held = [], 0
                    yield Chunk([], stream_position(raw), whole)
                    continue
                line = whole  # within the limit once its "\r\n" is cut off
            if not mine:
                continue
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue
            batch.append((no, line))
            held += len(line)
            if len(batch) >= records or held >= size:
                yield Chunk(batch, stream_position(raw))
                batch, held = [], 0
    except (OSError, EOFError, zlib.error) as exc:
        if batch:  # the records before the damage go on, then the error
            yield Chunk(batch, stream_position(raw))
        message = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise InputError(f"cannot read line {no + 1}: {message}") from None
    if batch:
        yield Chunk(batch, stream_position(raw))


# A line over the limit is read on in pieces of this many bytes.
_PIECE = 1 << 20


def _rest_of_line(
    lines: BinaryIO, head: bytes, no: int, max_bytes: int, spool_dir: Path | None
) -> Oversize | bytes | None:
    """Read a line that may be over the limit to its end, in pieces: None when it is
    blank (not a record); the line when it is within the limit after all (without its
    "\r\n", as it always is); else an Oversize, its bytes spooled into an anonymous file
    in `spool_dir` (none: dropped). Never more than the limit is held in memory."""
    held: bytearray | None = bytearray()
    spool: BinaryIO | None = None
    try:
        size, blank, pending, piece = 0, True, b"", head
        while piece:
            end = piece.endswith(b"\n")
            data = pending + piece
            kept = data.rstrip(b"\r\n") if end else data.rstrip(b"\r")
            pending = b"" if end else data[len(kept) :]  # "\r" of a "\r\n" cut in two
            size += len(kept)
            blank = blank and not kept.strip()
            if held is not None:
                held += kept
                if size > max_bytes:  # over: to the spool file, or nowhere
                    if spool_dir is not None:
                        spool = tempfile.TemporaryFile(dir=spool_dir)  # noqa: SIM115
                        spool.write(held)
                    held = None
            elif spool is not None:
                spool.write(kept)
            if end:
                break
            piece = lines.readline(_PIECE)
        if blank or held is not None:
            if spool is not None:
                spool.close()
            return None if blank else bytes(held or b"")
        if spool is not None:
            spool.seek(0)
        return Oversize(no, size, spool)
    except BaseException:
        if spool is not None:
            spool.close()
        raise


def stream_position(raw: BinaryIO | None) -> int:
    """Where a byte stream stands; -1 when it cannot say (a pipe, a closed file)."""
    if raw is None:
        return -1
    try:
        return raw.tell()
    except (OSError, ValueError):
        return -1


class AtomicWriter:
    """An output file that exists only once complete: a temp file beside it, renamed.

    `commit()` publishes it; `abort()` (or leaving a `with` block by an exception)
    removes the temp file. Gzip when the target's name ends in `.gz`; gzip headers
    carry no time or name, so the same records give the same bytes.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        self.tmp = Path(tmp)
        os.fchmod(fd, FILE_MODE)
        self._raw = os.fdopen(fd, "wb")
        self._out: BinaryIO = self._raw
        if is_gzip(target):
            self._out = gzip.GzipFile(  # type: ignore[assignment]
                filename="", mode="wb", fileobj=self._raw, compresslevel=GZIP_LEVEL, mtime=0
            )
        self.bytes = 0
        self.done = False

    def write(self, data: bytes) -> None:
        self._out.write(data)
        self.bytes += len(data)

    def commit(self) -> None:
        """Flush to disk and rename into place."""
        try:
            if self._out is not self._raw:
                self._out.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            os.replace(self.tmp, self.target)
        except BaseException:
            self.abort()
            raise
        self.done = True

    def abort(self) -> None:
        """Drop the temp file; the target is left as it was."""
        if self.done:
            return
        self.done = True
        with contextlib.suppress(Exception):
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def remove_stale_temps(target: Path) -> None:
    """Remove temp files a killed run (SIGKILL, a lost machine) left beside `target`."""
    remove_stale_temps_of([target])


def remove_stale_temps_of(targets: Iterable[Path]) -> int:
    """Remove the temp files a killed run left beside any of `targets` (as
    `tempfile.mkstemp` names them: `.NAME.XXXXXXXX.tmp`), listing each folder once;
    returns how many were removed."""
    names: dict[Path, set[str]] = {}
    for t in targets:
        names.setdefault(t.parent, set()).add(t.name)
    removed = 0
    for folder, wanted in names.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not there yet: nothing left in it
            continue
        for entry in entries:
            name = entry.name
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            stem, _, rand = name[1:-4].rpartition(".")
            if len(rand) == 8 and stem in wanted:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed
