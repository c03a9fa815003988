"""`cleaner clean -`: one document from standard input to standard output."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..engine import Cleaner
from ..io.formats import InputError
from ..run.batch import clean_bytes
from ..run.jobs import Job
from ..run.limits import DocumentTimeout, Limits, deadline, describe_size
from .common import EXIT_FAILED, err, fail
from .report import report_flags


def clean_stdin(cleaner: Cleaner, limits: Limits, read_as: str | None = None) -> None:
    """One document from standard input to standard output; one too large or too slow
    goes through unchanged (exit 1)."""
    stream = sys.stdin.buffer
    data = stream.read(limits.max_bytes + 1) if limits.max_bytes else stream.read()
    passed = None
    if limits.over(len(data)):
        passed = f"more than --max-bytes {describe_size(limits.max_bytes)}"
    else:
        try:
            with deadline(limits.timeout):
                result = clean_bytes(cleaner, data, None, read_as)
        except DocumentTimeout:
            passed = f"took over --timeout {limits.timeout:g} s of CPU time"
        except InputError as exc:
            raise fail(f"<stdin>: {exc}", EXIT_FAILED) from None
    if passed is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        while block := stream.read(1 << 20):
            sys.stdout.buffer.write(block)
        sys.stdout.buffer.flush()
        err.print(f"cleaner: warning: <stdin>: {passed}: passed through unchanged")
        raise typer.Exit(EXIT_FAILED)
    if result.flags and limits.flagged != "write":
        what = f"flagged {', '.join(result.flags)}"
        if limits.flagged == "reject":
            raise fail(f"<stdin>: {what}: not written (--flagged reject)", EXIT_FAILED)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        err.print(f"cleaner: warning: <stdin>: {what}: kept uncleaned (--flagged keep)")
        return
    sys.stdout.write(result.text)
    if result.flags:
        report_flags(Job(Path("<stdin>"), None), result.flags)
