"""How to run a batch (fields, workers, resume, shard, limits): one frozen value the run,
its tasks and its writer all read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..record import DEFAULT_FIELDS, Fields
from .limits import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Settings:
    """How to run a batch."""

    fields: Fields = DEFAULT_FIELDS
    jobs: int = 1  # worker processes; 1: in this process
    resume: bool = False  # skip inputs whose output exists
    shard: tuple[int, int] | None = None  # (I, N): take the I-th of N parts
    rejects: Path | None = None  # one rejects file for the run (default: one per output)
    limits: Limits = DEFAULT_LIMITS  # per document: bytes and CPU seconds
    flat: bool = False  # Parquet: flat cleaner_* columns instead of a struct


DEFAULT_SETTINGS = Settings()
