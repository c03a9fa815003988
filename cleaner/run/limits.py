"""Limits that keep a batch alive: the most bytes one document may have, and the most
CPU time it may take.

A document over `--max-bytes` is never read whole: a file is passed through unchanged,
a JSONL line goes to the rejects. A document that takes more than `--timeout` seconds
of CPU time is stopped by a timer (`deadline`) and handled the same way. The timer is
the process's CPU-time interval timer (ITIMER_PROF, SIGPROF), armed around each
document in the process that cleans it: a worker, or the main process with `--jobs 1`.
Its handler raises DocumentTimeout between two Python steps, so a single long call
into C (lxml parsing a page, one regex match) ends first; those are bounded by the
byte limit and by the rule patterns' own timeouts (`matching.MATCH_TIMEOUT_S`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_TIMEOUT_S = 60.0
_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3, "T": 1000**4}


class DocumentTimeout(BaseException):
    """A document took more than its time budget. A BaseException, so that no `except
    Exception` inside a library it runs through can swallow it."""


@dataclass(frozen=True)
class Limits:
    """Per-document limits of a run; 0 (or None) means none."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT_S
    # What becomes of a document flagged emptied or most-removed: "write" its cleaned
    # body (and say so), "keep" it uncleaned, or "reject" it (--flagged).
    flagged: str = "write"

    def over(self, size: int) -> bool:
        """Whether `size` bytes is more than one document may have."""
        return bool(self.max_bytes) and size > self.max_bytes


NO_LIMITS = Limits(0, 0.0)
DEFAULT_LIMITS = Limits()


def parse_size(value: str) -> int:
    """`50M`, `50MB`, `2G`, `1500000` to bytes (powers of 1000); ValueError if malformed."""
    text = value.strip().upper().removesuffix("B").strip()
    unit = text[-1:] if text[-1:] in _UNITS and not text[-1:].isdigit() else ""
    number = text[: len(text) - len(unit)].strip()
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"{value!r} is not a size such as 50M, 2G or 1500000") from None
    if not amount >= 0 or amount == float("inf"):
        raise ValueError(f"{value!r} is not a size such as 50M, 2G or 1500000")
    return int(amount * _UNITS[unit])


def describe_size(n: int) -> str:
    """A byte count for people, as --max-bytes would take it: 50 MB, 1.5 kB."""
    for unit, name in ((1000**3, "GB"), (1000**2, "MB"), (1000, "kB")):
        if n >= unit:
            return f"{n / unit:.3g} {name}"
    return f"{n} bytes"


_armed = False


def _expired(_signum: int, _frame: object) -> None:
    if _armed:
        raise DocumentTimeout


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Within the block, raise DocumentTimeout once `seconds` of CPU time are spent.

    Works in the main thread of a process (a worker's, or the main process's); with no
    seconds, or in another thread, the block runs without a limit. The timer is off
    and the previous handler back when the block ends, however it ends.
    """
    global _armed
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _expired)
    _armed = True
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        _armed = False  # a signal already on its way finds the timer disarmed
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
