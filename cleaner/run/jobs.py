"""What a batch is made of: jobs (an input and where its output goes), paths left out
and why, and the error of a command line that cannot be carried out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TEXT, JSONL = "text", "jsonl"
STDIN = Path("-")


class UsageError(Exception):
    """A command line that cannot be carried out (exit code 2)."""


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
