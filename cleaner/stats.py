"""Counts over a run: documents, bytes, words removed, flags, and hits per rule.

Workers count their chunks in a `Tally`; the main process merges them, so the summary
and `--stats` cost nothing extra to keep.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .engine import Result

TOP_RULES = 10


@dataclass
class Tally:
    """What cleaning some documents did: sizes of their text in and out, and removals."""

    documents: int = 0
    bytes_in: int = 0  # bytes of the documents: a file's size, a record's text in UTF-8
    bytes_out: int = 0  # UTF-8 bytes of the cleaned text
    words_in: int = 0
    words_out: int = 0
    flagged: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)  # removals by rule id or heuristic

    def add(self, result: Result, bytes_in: int) -> None:
        """Count one cleaned document."""
        self.documents += 1
        self.bytes_in += bytes_in
        self.bytes_out += len(result.text.encode("utf-8", "surrogatepass"))  # a JSON "\ud800"
        self.words_in += result.words_in
        self.words_out += result.words_out
        if result.flags:
            self.flagged += 1
            self.flags.update(result.flags)
        self.hits.update(r.by for r in result.removals)

    def merge(self, other: Tally) -> None:
        self.documents += other.documents
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.words_in += other.words_in
        self.words_out += other.words_out
        self.flagged += other.flagged
        self.flags.update(other.flags)
        self.hits.update(other.hits)

    @property
    def removed_share(self) -> float:
        """Share of all input words that did not reach an output."""
        return 1 - self.words_out / self.words_in if self.words_in else 0.0


@dataclass
class RunStats:
    """A whole run: the documents' tally and what happened to the inputs."""

    tally: Tally = field(default_factory=Tally)
    inputs: int = 0  # inputs taken by this run (after --shard)
    inputs_done: int = 0
    inputs_failed: int = 0
    inputs_skipped: int = 0  # already complete (--resume)
    inputs_passed: int = 0  # written unchanged: over --max-bytes, or over --timeout
    paths_skipped: int = 0  # found in a folder, not inputs: pipes, devices, links out
    records_rejected: int = 0
    seconds: float = 0.0
    jobs: int = 1
    shard: str | None = None
    versions: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.inputs_failed or self.inputs_passed or self.records_rejected)

    def top_rules(self, n: int = TOP_RULES) -> list[tuple[str, int]]:
        return sorted(self.tally.hits.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_json(self) -> dict[str, Any]:
        """The `--stats` file: every count, and hits for every rule or heuristic."""
        t = self.tally
        return {
            "documents": t.documents,
            "inputs": self.inputs,
            "inputs_done": self.inputs_done,
            "inputs_failed": self.inputs_failed,
            "inputs_skipped": self.inputs_skipped,
            "inputs_passed": self.inputs_passed,
            "paths_skipped": self.paths_skipped,
            "records_rejected": self.records_rejected,
            "bytes_in": t.bytes_in,
            "bytes_out": t.bytes_out,
            "words_in": t.words_in,
            "words_out": t.words_out,
            "removed_share": round(t.removed_share, 4),
            "flagged": t.flagged,
            "flags": dict(sorted(t.flags.items())),
            "top_rules": [{"id": k, "hits": v} for k, v in self.top_rules()],
            "hits": dict(sorted(t.hits.items(), key=lambda kv: (-kv[1], kv[0]))),
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "shard": self.shard,
            "versions": self.versions,
        }
