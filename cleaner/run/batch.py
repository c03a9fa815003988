"""Batch inputs: find them, map them to outputs, shard them, clean one file, write atomically.

Running the jobs (in worker processes, with progress and resume) is `pipeline.py`.

Hostile trees are expected: in a folder, only regular files are read (a named pipe
would block, a device never end), symbolic links to folders are not followed, links
to files are followed only within the input folder (`follow_links` lifts both, with
loops cut), and every output path is checked to stay inside the output folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from ..engine import Cleaner, Result
from ..io.columns import is_parquet
from ..io.crawl import crawl_output_name, is_crawl
from ..io.formats import HTML_SUFFIXES, TEXT_SUFFIXES, InputError, decode, is_html, page_text_words
from ..io.jsonl import FILE_MODE, is_jsonl, rejects_path
from .limits import NO_LIMITS, DocumentTimeout, Limits, deadline, describe_size
from .records import shard_of
from .stats import Tally

DEFAULT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES - {".xhtml"}
TEXT, JSONL = "text", "jsonl"
STDIN = Path("-")
_READ_BLOCK = 1 << 20


class UsageError(Exception):
    """A command line that cannot be carried out (exit code 2)."""


class OutsideOutput(OSError):
    """An output path that would leave the output folder (through a symbolic link)."""


@dataclass(frozen=True)
class Job:
    """One input file and where its output goes (None: standard output)."""

    source: Path  # STDIN for standard input
    target: Path | None
    kind: str = TEXT  # TEXT: one document; JSONL: one record a line
    key: str = ""  # stable name for --shard: the path below the input folder
    size: int = 0  # bytes on disk, for progress
    walked: bool = False  # found in a folder: read only while it is a regular file
    root: Path | None = None  # the output folder `target` must stay in
    read_as: str | None = None  # "html", "text" (--format) or "warc" (WARC or WET records)


@dataclass(frozen=True)
class Skipped:
    """A path found in an input folder and not read, and why; `error`: an input lost
    (a folder that cannot be listed), not a file that is no input (a pipe, a link)."""

    path: Path
    why: str
    error: bool = False


@dataclass
class Outcome:
    """One file cleaned in a worker: the body to write, or why it failed, or why it is
    passed through unchanged (too large, too slow) with the bytes when they were read."""

    job: Job
    text: str | None = None
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    tally: Tally = field(default_factory=Tally)
    passed: str | None = None  # why the input is written unchanged
    raw: bytes | None = None  # the input, when it was read (else copied from its file)
    kept: bool = False  # flagged, and written uncleaned (--flagged keep): `raw` is written


def clean_bytes(
    cleaner: Cleaner, data: bytes, path: Path | None = None, read_as: str | None = None
) -> Result:
    """Clean one input given as bytes: text, or HTML through the extractor first
    (`read_as` "html" or "text" decides, else its suffix, else its content)."""
    text = decode(data).text
    if is_html(path, text, read_as):
        result = cleaner.clean_html(text)
        result.page_words = page_text_words(text)
        return result
    return cleaner.clean(text)


def plan(
    inputs: list[Path],
    outdir: Path | None,
    *,
    fmt: str = "auto",
    follow_links: bool = False,
    skipped: list[Skipped] | None = None,
) -> list[Job]:
    """Map inputs to outputs, mirroring folders into OUTDIR with a `.txt` suffix.

    JSONL inputs (`.jsonl`, `.jsonl.gz`; any file named directly with fmt "jsonl") keep
    their name. An OUTDIR named `*.jsonl` or `*.jsonl.gz` is the output file of a
    single JSONL input. What a folder holds that is not read (pipes, devices, sockets,
    links out of the folder or to folders, folders that cannot be listed) is added to
    `skipped`. A file named directly is read whatever it is (a pipe: `<(zcat f.gz)`).
    """
    if outdir is not None and is_jsonl(outdir) and not outdir.is_dir():
        return [_plan_jsonl_file(inputs, outdir, fmt)]
    if outdir is not None and is_parquet(outdir) and not outdir.is_dir():
        return [_plan_parquet_file(inputs, outdir, fmt)]
    if outdir is not None and _names_a_file(outdir):
        return [_plan_text_file(inputs, outdir, fmt)]
    notes: list[Skipped] = [] if skipped is None else skipped
    jobs: list[Job] = []
    if outdir is not None:
        out_resolved = outdir.resolve()
        for p in inputs:
            if p.is_dir() and out_resolved.is_relative_to(p.resolve()):
                raise UsageError(f"output folder {outdir} is inside input folder {p}")
    for p in inputs:
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"no such file or folder: {p}")
        if p.is_dir():
            if outdir is None:
                raise UsageError(f"{p} is a folder: give an output folder with -o")
            for f in _walk(p, follow_links, notes):
                rel = f.relative_to(p)
                target = outdir / _output_name(rel, is_jsonl(f))
                job = _job(f, target, rel.as_posix(), walked=True, root=outdir)
                jobs.append(replace(job, read_as=crawl_read_as(f)))
        else:
            kind_jsonl = is_records(p, fmt)
            target = None if outdir is None else outdir / _output_name(Path(p.name), kind_jsonl)
            job = _job(p, target, p.name, JSONL if kind_jsonl else TEXT, root=outdir)
            read_as = fmt if fmt in ("html", "text") else crawl_read_as(p, fmt)
            jobs.append(replace(job, read_as=read_as))
    if outdir is None and len(jobs) > 1:
        raise UsageError("several inputs: give an output folder with -o")
    return _check_targets(jobs, notes)


def _check_targets(jobs: list[Job], skipped: list[Skipped]) -> list[Job]:
    """The jobs whose output is theirs alone and replaces no input. A file found in a
    folder that breaks this (`a.txt` and `a.html` both make `a.txt`) is left out with an
    error; a file named on the command line stops the run (UsageError)."""
    sources = {_real(job.source): job.source for job in jobs}
    seen: dict[Path, Path] = {}
    kept = []
    for job in jobs:
        if job.target is None:
            kept.append(job)
            continue
        writes = [job.target] + ([rejects_path(job.target)] if job.kind == JSONL else [])
        clash = next((w for w in writes if w in seen), None)
        real = next((r for r in map(_real, writes) if r in sources), None)
        if clash is not None:
            why = f"{job.source} and {seen[clash]} would both write {clash}"
        elif real is not None:
            what = "its input" if sources[real] == job.source else f"input {sources[real]}"
            why = f"output {job.target} would overwrite {what}"
        else:
            seen.update(dict.fromkeys(writes, job.source))
            kept.append(job)
            continue
        if not job.walked:
            raise UsageError(why)
        skipped.append(Skipped(job.source, f"not cleaned: {why}", error=True))
    return kept


def _real(path: Path) -> Path:
    """A path with its links resolved as far as they go (a loop stays as it is)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return path.absolute()


def _plan_jsonl_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o out.jsonl`: a single JSONL input (or stdin) into one file."""
    if len(inputs) != 1 or inputs[0].is_dir():
        raise UsageError(f"-o {target} is a JSONL file: give one JSONL input, or an output folder")
    p = inputs[0]
    if p == STDIN:
        return Job(STDIN, target, JSONL, "-", read_as=crawl_read_as(p, fmt))
    if not is_records(p, fmt):
        raise UsageError(
            f"-o {target} is a JSONL file but {p} is not JSONL, WARC or WET (see --format)"
        )
    if not p.exists():
        raise UsageError(f"no such file or folder: {p}")
    if _real(p) == _real(target):
        raise UsageError(f"output {target} would overwrite its input")
    return replace(_job(p, target, p.name, JSONL), read_as=crawl_read_as(p, fmt))


# An -o with one of these suffixes (or an existing file) is the output file of one input.
OUTPUT_FILE_SUFFIXES = frozenset({".txt", ".text", ".md"})


def _names_a_file(output: Path) -> bool:
    """Whether `-o` names a file rather than a folder."""
    if output.is_dir():
        return False
    return output.exists() or output.suffix.lower() in OUTPUT_FILE_SUFFIXES


def _plan_parquet_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o out.parquet`: a single Parquet input into one file."""
    if len(inputs) != 1 or inputs[0].is_dir() or inputs[0] == STDIN:
        raise UsageError(f"-o {target} is a Parquet file: give one Parquet input")
    p = inputs[0]
    if crawl_read_as(p, fmt) != "parquet":
        raise UsageError(f"-o {target} is a Parquet file but {p} is not Parquet (see --format)")
    if not p.exists():
        raise UsageError(f"no such file or folder: {p}")
    if _real(p) == _real(target):
        raise UsageError(f"output {target} would overwrite its input")
    return replace(_job(p, target, p.name, JSONL), read_as="parquet")


def _plan_text_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o body.txt`: a single text or HTML input into that file."""
    if len(inputs) != 1 or inputs[0].is_dir():
        what = "a folder needs" if len(inputs) == 1 else "several inputs need"
        raise UsageError(f"-o {target} is a file, not a folder: {what} an output folder")
    p = inputs[0]
    if is_records(p, fmt):
        raise UsageError(
            f"-o {target} is not a JSONL file but {p} holds records (use -o out.jsonl)"
        )
    if not p.exists() and not p.is_symlink():
        raise UsageError(f"no such file or folder: {p}")
    if _real(p) == _real(target):
        raise UsageError(f"output {target} would overwrite its input")
    job = _job(p, target, p.name, TEXT)
    return replace(job, read_as=fmt) if fmt in ("html", "text") else job


def _job(
    source: Path,
    target: Path | None,
    key: str,
    kind: str | None = None,
    *,
    walked: bool = False,
    root: Path | None = None,
) -> Job:
    try:
        size = source.stat().st_size
    except OSError:
        size = 0
    kind = kind or (JSONL if is_records(source) else TEXT)
    return Job(source, target, kind, key, size, walked, root)


def _output_name(rel: Path, jsonl: bool) -> Path:
    """A text input's output is `.txt`; a JSONL input's keeps its name (and gzip); a
    WARC or WET file's records go to `.jsonl.gz`."""
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"{rel}: an input name that would leave the output folder")
    if is_crawl(rel):
        return rel.with_name(crawl_output_name(rel.name))
    return rel if jsonl or is_parquet(rel) else rel.with_suffix(".txt")


def is_records(path: Path, fmt: str = "auto") -> bool:
    """Whether an input is read as records: JSONL, WARC, WET or Parquet (by name, or
    `fmt`)."""
    if fmt in ("jsonl", "wet", "warc", "parquet"):
        return True
    return fmt == "auto" and (is_jsonl(path) or is_crawl(path) or is_parquet(path))


def crawl_read_as(path: Path, fmt: str = "auto") -> str | None:
    """ "warc" when an input is a WARC or WET file, "parquet" for Parquet (by name, or
    `fmt`), else None (JSONL)."""
    if fmt in ("wet", "warc") or (fmt == "auto" and is_crawl(path)):
        return "warc"
    if fmt == "parquet" or (fmt == "auto" and is_parquet(path)):
        return "parquet"
    return None


def _is_input_name(name: str) -> bool:
    """A default suffix or JSONL; rejects files (`*.rejects.jsonl`, written beside JSONL
    outputs) are lines that are not records, so a folder of outputs leaves them out."""
    lower = name.lower()
    return (
        Path(lower).suffix in DEFAULT_SUFFIXES
        or is_crawl(Path(lower))
        or is_parquet(Path(lower))
        or (is_jsonl(Path(lower)) and not lower.endswith(".rejects.jsonl"))
    )


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def walk_inputs(
    root: Path, *, follow_links: bool = False, skipped: list[Skipped] | None = None
) -> Iterator[Path]:
    """The inputs in a folder, as `cleaner clean` finds them (see `_walk`); what is not
    read is added to `skipped`."""
    yield from _walk(root, follow_links, [] if skipped is None else skipped)


def _walk(
    root: Path,
    follow_links: bool,
    skipped: list[Skipped],
    visited: set[tuple[int, int]] | None = None,
) -> Iterator[Path]:
    """Regular files below root with a default suffix or JSONL, sorted.

    Symbolic links to folders are not followed, nor links to files outside root,
    unless `follow_links` (then a folder already walked, or above root, is a loop:
    cut). Pipes, sockets, devices and broken links are skipped, never opened.
    """
    real_root = _real(root)
    visited = set() if visited is None else visited

    def listing_failed(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        skipped.append(Skipped(where, f"cannot list folder: {exc.strerror or exc}", error=True))

    for dirpath, dirnames, filenames in os.walk(root, onerror=listing_failed, followlinks=False):
        here = Path(dirpath)
        if follow_links:
            with contextlib.suppress(OSError):
                st = here.stat()
                visited.add((st.st_dev, st.st_ino))
        kept, links = [], []
        for name in sorted(dirnames):
            path = here / name
            if not path.is_symlink():
                kept.append(name)
            elif not follow_links:
                skipped.append(Skipped(path, "a link to a folder: not followed (--follow-links)"))
            elif (why := _link_dir_problem(path, visited, real_root)) is not None:
                skipped.append(Skipped(path, why))
            else:
                links.append(path)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if not _is_input_name(name):
                continue
            why = _file_problem(path, real_root, follow_links)
            if why is None:
                yield path
            else:
                skipped.append(Skipped(path, why))
        for path in links:
            yield from _walk(path, follow_links, skipped, visited)


def _link_dir_problem(path: Path, visited: set[tuple[int, int]], real_root: Path) -> str | None:
    """Why a link to a folder is not followed even with --follow-links: a loop, or a
    folder walked already."""
    try:
        st = path.stat()
    except OSError as exc:
        return f"a broken link: {exc.strerror or exc}"
    real = _real(path)
    if (st.st_dev, st.st_ino) in visited or real_root.is_relative_to(real):
        return "a link to a folder walked already (a loop): not followed"
    return None


def _file_problem(path: Path, real_root: Path, follow_links: bool) -> str | None:
    """Why a file found in a folder is not read, or None when it is an input."""
    try:
        st = path.stat()  # follows a link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if exc.errno == errno.ENOENT and path.is_symlink():
            return "a broken symbolic link"
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return f"{kind_of(st.st_mode)}, not a regular file"
    if path.is_symlink() and not follow_links and not _real(path).is_relative_to(real_root):
        return "a link out of the input folder: not followed (--follow-links)"
    return None


def parse_shard(value: str) -> tuple[int, int]:
    """`I/N` to (I, N), with 0 <= I < N; a UsageError says what is wrong."""
    i_s, sep, n_s = value.partition("/")
    try:
        i, n = int(i_s), int(n_s)
    except ValueError:
        i = n = -1
    if not sep or n < 1 or not 0 <= i < n:
        raise UsageError(
            f"--shard {value!r}: expected I/N with 0 <= I < N, e.g. 0/4 for the first of four"
        )
    return i, n


def shard_jobs(jobs: list[Job], shard: tuple[int, int]) -> list[Job]:
    """The jobs of shard I of N: by a stable hash of each input's name below its folder,
    so every machine that runs the same command takes the same disjoint part."""
    i, n = shard
    return [job for job in jobs if shard_of(_key_bytes(job.key), n) == i]


def _key_bytes(key: str) -> bytes:
    """A name as bytes to hash; a name that is not UTF-8 keeps its own bytes."""
    return key.encode("utf-8", "surrogateescape")


class TooLarge(Exception):
    """An input over the byte limit; it was not read whole."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size  # None: a stream, known only to be over the limit


def open_source(job: Job) -> BinaryIO:
    """Open an input for reading. A file found in a folder is opened without blocking
    and must still be a regular file (it may have been swapped for a pipe since)."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    if job.walked:
        flags |= getattr(os, "O_NONBLOCK", 0)
    fd = os.open(job.source, flags)
    try:
        mode = os.fstat(fd).st_mode
        if job.walked and not stat.S_ISREG(mode):
            raise InputError(f"{kind_of(mode)}, not a regular file: not read")
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_source(job: Job, max_bytes: int = 0) -> bytes:
    """An input's bytes; TooLarge when over `max_bytes` (a file is not read at all)."""
    with open_source(job) as fh:
        st = os.fstat(fh.fileno())
        size, regular = st.st_size, stat.S_ISREG(st.st_mode)
        if max_bytes and regular and size > max_bytes:
            raise TooLarge(size)
        if not max_bytes:
            return fh.read()
        data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TooLarge(None if not regular else len(data))
        return data


def clean_file(cleaner: Cleaner, job: Job, limits: Limits = NO_LIMITS) -> Outcome:
    """Clean one file (not writing it); a bad input becomes an error, never an exception.

    An input over the byte limit, or slower than the time limit, is passed through.
    """
    try:
        data = read_source(job, limits.max_bytes)
    except TooLarge as exc:
        limit = describe_size(limits.max_bytes)
        if exc.size is None:
            return Outcome(job, error=f"more than --max-bytes {limit}, and not a file to copy")
        return Outcome(job, passed=f"{describe_size(exc.size)} is over --max-bytes {limit}")
    except IsADirectoryError:
        return Outcome(job, error="is a folder, not a file")
    except InputError as exc:
        return Outcome(job, error=str(exc))
    except OSError as exc:
        return Outcome(job, error=f"cannot read: {exc.strerror or exc}")
    try:
        with deadline(limits.timeout):
            result = clean_bytes(cleaner, data, job.source, job.read_as)
    except DocumentTimeout:
        why = f"took over --timeout {limits.timeout:g} s of CPU time"
        return Outcome(job, passed=why, raw=data)
    except InputError as exc:
        return Outcome(job, error=str(exc))
    except Exception as exc:  # a bug must not end a run of a million files
        return Outcome(job, error=f"internal error: {exc!r}")
    if result.flags and limits.flagged != "write":
        what = f"flagged {', '.join(result.flags)}"
        if limits.flagged == "keep":
            kept = Outcome(job, flags=[*result.flags, "kept uncleaned"], raw=data, kept=True)
            kept.tally.add(result, len(data))
            return kept
        return Outcome(job, error=f"{what}: not written (--flagged reject)")
    out = Outcome(job, result.text, list(result.flags))
    out.tally.add(result, len(data))
    return out


def clean_files(cleaner: Cleaner, jobs: list[Job], limits: Limits = NO_LIMITS) -> list[Outcome]:
    """Clean a few files: one task for a worker process."""
    return [clean_file(cleaner, job, limits) for job in jobs]


def check_inside(target: Path, root: Path | None) -> None:
    """Raise OutsideOutput unless `target` (its folders' links resolved) is in `root`.

    Input names cannot do it (`..` is refused when planning); a link inside the output
    folder could, and the output would land wherever it points.
    """
    if root is None:
        return
    real_root = _real_root(root)
    real = _real(target.parent) / target.name
    if not real.is_relative_to(real_root) or target.name in ("", ".", ".."):
        raise OutsideOutput(errno.EPERM, f"outside the output folder {root} (a link): refused")


@lru_cache(maxsize=16)
def _real_root(root: Path) -> Path:
    return _real(root)


def write_atomic(target: Path, text: str) -> None:
    """Write a file so that it is either absent, old, or complete: temp file, then rename."""
    data = text.encode("utf-8")
    _publish(target, lambda fh: fh.write(data))


def copy_atomic(target: Path, source: Path | bytes) -> None:
    """Write `source` (a file, read as a stream, or bytes) unchanged, atomically."""
    if isinstance(source, bytes):
        _publish(target, lambda fh: fh.write(source))
        return
    try:
        src = open_source(Job(source, None, walked=True))
    except OSError as exc:  # gone since it was planned: a read error, not a write one
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    with src:
        _publish(target, lambda fh: shutil.copyfileobj(src, fh, _READ_BLOCK))


def _publish(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def shown(text: str) -> str:
    """Text that prints as one line and as itself: control and format characters (a
    newline, a right-to-left override) and the bytes of a name that is not UTF-8
    (surrogate escapes) are written as escapes, `\\n`, `\\u202e`, `\\xff`."""
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable():
            out.append(c)
        elif "\udc80" <= c <= "\udcff":
            out.append(f"\\x{ord(c) - 0xDC00:02x}")
        else:
            out.append(repr(c)[1:-1])
    return "".join(out)
