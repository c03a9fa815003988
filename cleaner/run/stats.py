"""Counts over a run: documents, bytes, words removed, flags, and hits per rule.

Workers count their chunks in a `Tally`; the main process merges them, so the summary
and `--stats` cost nothing extra to keep.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..engine import Result

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
    # HTML pages: words of the pages' own text, of the extracted text, and kept.
    html_documents: int = 0
    html_page_words: int = 0
    html_words_in: int = 0
    html_words_out: int = 0

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
        if result.page_words is not None:
            self.html_documents += 1
            self.html_page_words += result.page_words
            self.html_words_in += result.words_in
            self.html_words_out += result.words_out

    def merge(self, other: Tally) -> None:
        self.documents += other.documents
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.words_in += other.words_in
        self.words_out += other.words_out
        self.flagged += other.flagged
        self.flags.update(other.flags)
        self.hits.update(other.hits)
        self.html_documents += other.html_documents
        self.html_page_words += other.html_page_words
        self.html_words_in += other.html_words_in
        self.html_words_out += other.html_words_out

    @property
    def removed_share(self) -> float:
        """Share of all input words that did not reach an output."""
        return 1 - self.words_out / self.words_in if self.words_in else 0.0

    @property
    def html_page_share(self) -> float:
        """HTML: share of the pages' own text words that did not reach an output."""
        kept = min(self.html_words_out, self.html_page_words)
        return 1 - kept / self.html_page_words if self.html_page_words else 0.0

    @property
    def html_extractor_share(self) -> float:
        """HTML: share of the pages' own text words the extractor left out."""
        kept = min(self.html_words_in, self.html_page_words)
        return 1 - kept / self.html_page_words if self.html_page_words else 0.0

    @property
    def html_extracted_share(self) -> float:
        """HTML: share of the extracted text's words that cleaning removed."""
        return 1 - self.html_words_out / self.html_words_in if self.html_words_in else 0.0


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
            "html": {
                "documents": t.html_documents,
                "page_words": t.html_page_words,
                "extracted_words": t.html_words_in,
                "words_out": t.html_words_out,
                "removed_share_of_pages": round(t.html_page_share, 4),
                "extractor_share_of_pages": round(t.html_extractor_share, 4),
                "removed_share_of_extracted": round(t.html_extracted_share, 4),
            },
            "flagged": t.flagged,
            "flags": dict(sorted(t.flags.items())),
            "top_rules": [{"id": k, "hits": v} for k, v in self.top_rules()],
            "hits": dict(sorted(t.hits.items(), key=lambda kv: (-kv[1], kv[0]))),
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "shard": self.shard,
            "versions": self.versions,
        }
