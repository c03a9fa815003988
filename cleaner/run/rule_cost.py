"""What each rule pattern costs on sample text: lines it is tried on and time per line.

Phrase rules cost one dict lookup and are not listed. A pattern is tried on a line when
the prefilter (its literals, width and start, `matching.py`) lets it and the line has no
more words than the rule allows, as the engine does; each is timed alone on those lines
(span patterns run as one alternation in the engine: here each is searched by itself).
The table shows users which of their patterns to rewrite or gate.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from ..judge.document import Document
from ..ruleset.matching import MATCH_TIMEOUT_S, CompiledRules


@dataclass
class PatternCost:
    """One pattern's bill over the sample."""

    id: str
    kind: str  # line, cut, span or allow
    path: str
    tried: int = 0  # lines it ran on
    matched: int = 0  # lines it matched (fullmatch, or any span)
    seconds: float = 0.0
    timeouts: int = 0

    @property
    def us_per_line(self) -> float:
        """Microseconds per line tried."""
        return 1e6 * self.seconds / self.tried if self.tried else 0.0


@dataclass
class CostTable:
    """Every pattern's cost, and the sample's size."""

    costs: list[PatternCost]
    documents: int
    lines: int

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.costs)

    def top(self, n: int) -> list[PatternCost]:
        """The `n` costliest patterns, by total time."""
        return sorted(self.costs, key=lambda c: c.seconds, reverse=True)[:n]


def pattern_costs(compiled: CompiledRules, texts: Iterable[str]) -> CostTable:
    """Time every pattern of `compiled` on the lines of `texts` it would be tried on."""
    table = compiled.patterns()
    by_number = {n: (kind, item, rx, limit) for n, kind, item, rx, limit in table}
    costs = {n: PatternCost(item.id, kind, item.path) for n, kind, item, _rx, _l in table}
    documents = lines = 0
    clock = time.perf_counter
    for text in texts:
        documents += 1
        for line in Document(text).lines:
            if line.blank:
                continue
            lines += 1
            for n in sorted(compiled.candidates(line.text)):
                kind, _item, rx, limit = by_number[n]
                if limit is not None and line.feats.words > limit:
                    continue
                cost = costs[n]
                started = clock()
                try:
                    if kind == "span":
                        hit = rx.search(line.text, timeout=MATCH_TIMEOUT_S) is not None
                    else:
                        hit = rx.fullmatch(line.text, timeout=MATCH_TIMEOUT_S) is not None
                except TimeoutError:
                    hit = False
                    cost.timeouts += 1
                cost.seconds += clock() - started
                cost.tried += 1
                cost.matched += hit
    return CostTable(list(costs.values()), documents, lines)


def sample_texts(paths: list[Path]) -> Iterator[str]:
    """The documents of sample files and folders: a file is one document, a `.jsonl`
    file one per line's `text` field (other lines are passed over)."""
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix == ".jsonl":
                for raw in f.read_bytes().splitlines():
                    try:
                        record = orjson.loads(raw)
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(record, dict) and isinstance(record.get("text"), str):
                        yield record["text"]
            else:
                yield f.read_bytes().decode("utf-8", errors="replace")
