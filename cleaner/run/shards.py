"""`--shard I/N`: which part of a batch this machine takes, stable across machines, so
that every part is taken exactly once."""

from __future__ import annotations

from .jobs import JSONL, Job, UsageError
from .records import shard_of


def parse_shard(value: str) -> tuple[int, int]:
    """`I/N` to (I, N), with 0 <= I < N; a UsageError says what is wrong."""
    i_s, sep, n_s = value.partition("/")
    try:
        i, n = int(i_s), int(n_s)
    except ValueError:
        i = n = -1
    if not sep or n < 1 or not 0 <= i < n:
        raise UsageError(
            f"--shard {value!r}: expected I/N with 0 <= I < N, e.g. 0/4 for the first of four"
        )
    return i, n


def shard_jobs(jobs: list[Job], shard: tuple[int, int]) -> list[Job]:
    """The jobs of shard I of N: by a stable hash of each input's name below its folder,
    so every machine that runs the same command takes the same disjoint part."""
    i, n = shard
    return [job for job in jobs if shard_of(_key_bytes(job.key), n) == i]


def _key_bytes(key: str) -> bytes:
    """A name as bytes to hash; a name that is not UTF-8 keeps its own bytes."""
    return key.encode("utf-8", "surrogateescape")


def shards_records(jobs: list[Job]) -> bool:
    """`--shard` splits the records of a single JSONL input, else the inputs themselves."""
    return len(jobs) == 1 and jobs[0].kind == JSONL
