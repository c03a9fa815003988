"""A site profile, the data: per site, in how many documents each line key occurs,
sample texts of the repeated lines, and the file (gzip JSON, versioned: see
`Profile.to_json`). Counts merge exactly. Built from folders by `run/profile.py`; read
by the engine for the `site-repeat` step (`Profile.repeats`).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ..judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE, SiteRepeats, SiteTable, line_key
from .jsonl import AtomicWriter, is_gzip

FORMAT = "cleaner-site-profile"
VERSION = 1
LINE_KEY = "blake2b-64 >> 1 of the line: case-folded, digits as 0, letters and digits only"
# A line's sample text is kept once it is in this many documents of a site ...
SAMPLE_MIN_DOCUMENTS = 2
# ... and when it is at most this long (a longer line makes no rule phrase).
SAMPLE_MAX_CHARS = 300


class ProfileError(Exception):
    """A profile file that cannot be read, or inputs that cannot be profiled."""


@dataclass
class SiteCounts:
    """One site: its documents, each line key's document count, and sample texts."""

    documents: int = 0
    counts: dict[int, int] = field(default_factory=dict)
    samples: dict[int, str] = field(default_factory=dict)


@dataclass
class Profile:
    """Line counts per site, and the documents that had no site."""

    sites: dict[str, SiteCounts] = field(default_factory=dict)
    unsited: int = 0
    sample_min: int = SAMPLE_MIN_DOCUMENTS  # 1 in partial profiles, which keep every text

    def add(self, site: str | None, texts: list[str]) -> None:
        """Count one document's lines (each once) under its site."""
        if site is None:
            self.unsited += 1
            return
        sc = self.sites.get(site)
        if sc is None:
            sc = self.sites[site] = SiteCounts()
        sc.documents += 1
        seen: dict[int, str] = {}
        for text in texts:
            k = line_key(text)
            if k is not None and k not in seen:
                seen[k] = text
        counts, samples, need = sc.counts, sc.samples, self.sample_min
        for k, text in seen.items():
            c = counts.get(k, 0) + 1
            counts[k] = c
            if c >= need and len(text) <= SAMPLE_MAX_CHARS:
                cur = samples.get(k)
                if cur is None or text < cur:
                    samples[k] = text

    def merge(self, other: Profile) -> Profile:
        """Add another profile's counts to this one (in place); returns self."""
        self.unsited += other.unsited
        need = self.sample_min
        for site, theirs in other.sites.items():
            mine = self.sites.get(site)
            if mine is None:
                mine = self.sites[site] = SiteCounts()
            mine.documents += theirs.documents
            counts, samples, their_samples = mine.counts, mine.samples, theirs.samples
            for k, c in theirs.counts.items():
                total = counts.get(k, 0) + c
                counts[k] = total
                if total >= need and (text := their_samples.get(k)) is not None:
                    cur = samples.get(k)
                    if cur is None or text < cur:
                        samples[k] = text
        return self

    @property
    def documents(self) -> int:
        return self.unsited + sum(sc.documents for sc in self.sites.values())

    def repeats(
        self, share: float = SITE_REPEAT_SHARE, min_count: int = SITE_REPEAT_MIN
    ) -> SiteRepeats:
        """The table the `site-repeat` step uses: only sites and lines that can count."""
        return SiteRepeats(
            {
                site: SiteTable(
                    sc.documents, {k: c for k, c in sc.counts.items() if c >= min_count}
                )
                for site, sc in self.sites.items()
                if sc.documents >= min_count
            },
            share,
            min_count,
        )

    # ---- file ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The file's content: sites sorted, keys sorted, samples by key."""
        sites = {}
        for site in sorted(self.sites):
            sc = self.sites[site]
            keys = sorted(sc.counts)
            sites[site] = {
                "documents": sc.documents,
                "keys": keys,
                "counts": [sc.counts[k] for k in keys],
                "samples": [[k, sc.samples[k]] for k in sorted(sc.samples)],
            }
        return {
            "format": FORMAT,
            "version": VERSION,
            "line_key": LINE_KEY,
            "sample_min_documents": self.sample_min,
            "unsited_documents": self.unsited,
            "sites": sites,
        }

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProfileError("not a cleaner site profile")
        if data.get("version") != VERSION:
            raise ProfileError(f"profile version {data.get('version')!r}, expected {VERSION}")
        try:
            profile = cls(unsited=int(data["unsited_documents"]))
            profile.sample_min = int(data["sample_min_documents"])
            for site, s in data["sites"].items():
                if len(s["keys"]) != len(s["counts"]):
                    raise ProfileError(f"site {site}: keys and counts differ in length")
                profile.sites[site] = SiteCounts(
                    int(s["documents"]),
                    dict(zip(s["keys"], s["counts"], strict=True)),
                    {k: t for k, t in s["samples"]},
                )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ProfileError(f"malformed profile: {exc!r}") from None
        return profile

    def save(self, path: Path) -> None:
        """Write the profile (gzip JSON, same bytes for the same counts), atomically."""
        data = orjson.dumps(self.to_json())
        with AtomicWriter(path) as out:  # it gzips by itself for a name ending in .gz
            out.write(data if is_gzip(path) else gzip.compress(data, mtime=0))

    @classmethod
    def load(cls, path: Path) -> Profile:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ProfileError(f"{path}: cannot read: {exc.strerror or exc}") from None
        try:
            data = orjson.loads(gzip.decompress(raw))
        except (OSError, EOFError, orjson.JSONDecodeError) as exc:
            raise ProfileError(f"{path}: not a gzip JSON profile ({exc})") from None
        try:
            return cls.from_json(data)
        except ProfileError as exc:
            raise ProfileError(f"{path}: {exc}") from None


def merge_profiles(profiles: list[Profile]) -> Profile:
    """One profile holding the counts of all."""
    out = Profile()
    for p in profiles:
        out.merge(p)
    return out
