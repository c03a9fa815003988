"""What a run tells its user, as calls on a Reporter: the run, its writer and the CLI's
progress display share this one interface."""

from __future__ import annotations


class Reporter:
    """What a run tells its user; this one tells nothing (the CLI's shows progress)."""

    def start(self, total_bytes: int | None, inputs: int) -> None:
        """The run begins: bytes on disk to read (None: unknown) and inputs to do."""

    def advance(self, documents: int, nbytes: int) -> None:
        """Documents done and bytes of input read since the last call."""

    def error(self, where: str, message: str) -> None:
        """An input failed or a record was rejected."""

    def skipped(self, where: str, why: str) -> None:
        """A path in an input folder is no input (a pipe, a link out): not read."""

    def passed(self, where: str, why: str) -> None:
        """An input too large or too slow to clean was written unchanged."""

    def flagged(self, where: str, flags: list[str]) -> None:
        """A document was emptied or mostly removed."""
