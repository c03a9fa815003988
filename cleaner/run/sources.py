"""Opening an input to read it: a file found in a folder must still be a regular file
when it is opened (it may have been swapped for a pipe), and reads stop at the byte limit."""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from ..io.formats import InputError
from .inputs import kind_of
from .jobs import Job


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
