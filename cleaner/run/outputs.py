"""Writing outputs safely: each stays inside the output folder (no link leads it out), and
is written atomically, so that it is absent, old or complete, never half written."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from ..io.formats import InputError
from ..io.jsonl import FILE_MODE
from .inputs import real_path
from .jobs import Job
from .sources import open_source

_READ_BLOCK = 1 << 20


class OutsideOutput(OSError):
    """An output path that would leave the output folder (through a symbolic link)."""


def check_inside(target: Path, root: Path | None) -> None:
    """Raise OutsideOutput unless `target` (its folders' links resolved) is in `root`.

    Input names cannot do it (`..` is refused when planning); a link inside the output
    folder could, and the output would land wherever it points.
    """
    if root is None:
        return
    real_root = _real_root(root)
    real = real_path(target.parent) / target.name
    if not real.is_relative_to(real_root) or target.name in ("", ".", ".."):
        raise OutsideOutput(errno.EPERM, f"outside the output folder {root} (a link): refused")


@lru_cache(maxsize=16)
def _real_root(root: Path) -> Path:
    return real_path(root)


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
