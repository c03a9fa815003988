"""Batch inputs: clean one file (in a worker), within the byte and time limits.

Finding inputs is `inputs.py`, mapping them to outputs `plan.py`, sharding them
`shards.py`, opening them `sources.py`, writing outputs atomically `outputs.py`; their
public names are imported here too. Running the jobs (in worker processes, with progress
and resume) is `pipeline.py`.

Hostile trees are expected: in a folder, only regular files are read (a named pipe
would block, a device never end), symbolic links to folders are not followed, links
to files are followed only within the input folder (`follow_links` lifts both, with
loops cut), and every output path is checked to stay inside the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Cleaner, Result
from ..io.formats import InputError, decode, is_html, page_text_words
from .jobs import (
    Job,
)
from .limits import NO_LIMITS, DocumentTimeout, Limits, deadline, describe_size
from .sources import (
    TooLarge,
    read_source,
)
from .stats import Tally


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
