"""Finding inputs in folders, hostile trees included, and telling what an input is (text,
JSONL, WARC or WET, Parquet) by its name: only regular files are read, links are bounded."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..io.columns import is_parquet
from ..io.crawl import is_crawl
from ..io.formats import HTML_SUFFIXES, TEXT_SUFFIXES
from ..io.jsonl import is_jsonl
from .jobs import Skipped

DEFAULT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES - {".xhtml"}


def real_path(path: Path) -> Path:
    """A path with its links resolved as far as they go (a loop stays as it is)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return path.absolute()


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
    """The inputs in a folder, as `cleaner clean` finds them (see `walk_tree`); what is not
    read is added to `skipped`."""
    yield from walk_tree(root, follow_links, [] if skipped is None else skipped)


def walk_tree(
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
    real_root = real_path(root)
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
            yield from walk_tree(path, follow_links, skipped, visited)


def _link_dir_problem(path: Path, visited: set[tuple[int, int]], real_root: Path) -> str | None:
    """Why a link to a folder is not followed even with --follow-links: a loop, or a
    folder walked already."""
    try:
        st = path.stat()
    except OSError as exc:
        return f"a broken link: {exc.strerror or exc}"
    real = real_path(path)
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
    if path.is_symlink() and not follow_links and not real_path(path).is_relative_to(real_root):
        return "a link out of the input folder: not followed (--follow-links)"
    return None
