"""What `cleaner clean` says on stderr: errors, flags, progress and the run's summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from ..engine import FLAG_EMPTIED
from ..run.batch import shown
from ..run.jobs import Job
from ..run.reporter import Reporter
from ..run.stats import RunStats
from .common import err, mb

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# At most this many errors are printed one by one; the summary counts them all.
MAX_ERRORS_SHOWN = 1000


class CliReporter(Reporter):
    """Errors and flags on stderr; a progress bar when stderr is a terminal."""

    def __init__(self, show_progress: bool) -> None:
        self.show = show_progress
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.documents = 0
        self.errors = 0

    def start(self, total_bytes: int | None, inputs: int) -> None:
        if not self.show:
            return
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.fields[documents]} documents"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self.task = self.progress.add_task("clean", total=total_bytes, documents=0)
        self.progress.start()

    def advance(self, documents: int, nbytes: int) -> None:
        self.documents += documents
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=nbytes, documents=f"{self.documents:,}")

    def error(self, where: str, message: str) -> None:
        self._say("error", where, message)

    def skipped(self, where: str, why: str) -> None:
        self._say("skipped", where, why)

    def passed(self, where: str, why: str) -> None:
        self._say("warning", where, f"{why}: passed through unchanged")

    def _say(self, what: str, where: str, message: str) -> None:
        """One line on stderr, names escaped; past MAX_ERRORS_SHOWN, only counted."""
        self.errors += 1
        if self.errors <= MAX_ERRORS_SHOWN:
            err.print(f"cleaner: {what}: {escape(shown(where))}: {escape(shown(message))}")
        elif self.errors == MAX_ERRORS_SHOWN + 1:
            err.print("cleaner: more errors are not shown (the summary counts them)")

    def flagged(self, where: str, flags: list[str]) -> None:
        report_flags(Job(Path(where), None), flags)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def summary(stats: RunStats, output: Path | None) -> None:
    """The end-of-run summary on stderr: what was done, removed, flagged and failed."""
    t = stats.tally
    where = f" into {escape(shown(str(output)))}" if output is not None else ""
    parts = [f"{stats.inputs_done} of {stats.inputs} inputs cleaned{where}"]
    if stats.inputs_skipped:
        parts.append(f"{stats.inputs_skipped} already done (skipped)")
    parts.append(f"{stats.inputs_failed} failed")
    if stats.inputs_passed:
        parts.append(f"{stats.inputs_passed} passed through unchanged (too large or slow)")
    if stats.records_rejected:
        parts.append(f"{stats.records_rejected} records rejected")
    if stats.paths_skipped:
        parts.append(f"{stats.paths_skipped} paths in folders not read (pipes, links, ...)")
    err.print("cleaner: " + ", ".join(parts))
    err.print(
        f"cleaner: {t.documents:,} documents, {mb(t.bytes_in)} in, {mb(t.bytes_out)} out, "
        f"{t.removed_share:.1%} of words removed, {t.flagged} flagged, "
        f"{stats.seconds:.1f} s ({mb(t.bytes_in / stats.seconds if stats.seconds else 0)}/s)"
    )
    if t.html_documents:
        err.print(
            f"cleaner: HTML: {t.html_documents:,} pages, {t.html_page_share:.1%} of the "
            f"pages' text removed ({t.html_extractor_share:.1%} by the extractor), "
            f"{t.html_extracted_share:.1%} of the extracted text"
        )
    top = stats.top_rules(5)
    if top:
        err.print("cleaner: top rules: " + ", ".join(f"{escape(k)} {v:,}" for k, v in top))


def report_flags(job: Job, flags: list[str]) -> None:
    """A warning on stderr that a document was flagged emptied or most-removed."""
    what = "every line was removed" if FLAG_EMPTIED in flags else "most of its text was removed"
    err.print(f"cleaner: warning: {escape(shown(str(job.source)))}: {what} ({', '.join(flags)})")


def quiet_stdout() -> None:
    """After a closed pipe (`| head`) or a stop, send what is left for stdout nowhere."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, embedding)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
