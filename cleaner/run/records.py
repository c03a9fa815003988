"""Records in bulk: a chunk of raw JSONL lines parsed, cleaned (`record.py`), sharded and
written back, each bad line rejected with its reason, in a worker."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from ..io.formats import page_text_words
from ..record import (
    Fields,
    RecordError,
    clean_fields,
)
from .limits import DocumentTimeout, deadline
from .stats import Tally

if TYPE_CHECKING:
    from ..engine import Cleaner

# ---- JSONL lines ---------------------------------------------------------------------


def parse_line(raw: bytes) -> tuple[Any, bool]:
    """A JSON value from one line, and whether the standard library had to read it
    (numbers beyond 64 bits, NaN), in which case it also writes it back."""
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError as exc:
        try:
            return json.loads(raw), True
        except (ValueError, RecursionError):
            raise RecordError(f"malformed JSON: {exc}") from None


def dump_line(record: dict, stdlib: bool = False) -> bytes:
    """One record as one JSON line (with its newline)."""
    if not stdlib:
        try:
            return orjson.dumps(record) + b"\n"
        except TypeError:
            pass
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    except UnicodeEncodeError:  # a lone surrogate read from a \ud800 escape: escape it back
        return json.dumps(record, separators=(",", ":")).encode() + b"\n"


@dataclass
class LinesDone:
    """A chunk of JSONL lines cleaned: output lines, rejected lines, and the counts."""

    out: bytes = b""
    rejects: list[tuple[int, bytes, str]] = field(default_factory=list)  # (line, raw, why)
    tally: Tally = field(default_factory=Tally)


def clean_lines(
    cleaner: Cleaner,
    lines: list[tuple[int, bytes]],
    fields: Fields,
    shard: tuple[int, int] | None = None,
    timeout: float = 0.0,
    flagged: str = "write",
) -> LinesDone:
    """Clean a chunk of numbered JSONL lines; a bad line is rejected, never raised.

    With `shard` (I, N), only records whose id field hashes to I are kept (the others
    belong to another shard); records without the id go by line number. A record that
    takes more than `timeout` seconds of CPU time (0: no limit) is rejected. A record
    flagged emptied or most-removed is written cleaned, as it was (`flagged` "keep"), or
    rejected ("reject").
    """
    done = LinesDone()
    parts: list[bytes] = []
    for no, raw in lines:
        try:
            record, stdlib = parse_line(raw)
        except RecordError as exc:
            if shard is None or (no - 1) % shard[1] == shard[0]:  # one shard reports it
                done.rejects.append((no, raw, str(exc)))
            continue
        if shard is not None and fields.id is not None:
            key = record.get(fields.id) if isinstance(record, dict) else None
            mine = (no - 1) % shard[1] if key is None else shard_of(_key_bytes(key), shard[1])
            if mine != shard[0]:
                continue
        try:
            with deadline(timeout):
                out, result, text = clean_fields(cleaner, record, fields)
            line = dump_line(out, stdlib)
        except DocumentTimeout:
            why = f"took over --timeout {timeout:g} s of CPU time"
            done.rejects.append((no, raw, _name(record, fields, why)))
            continue
        except RecordError as exc:
            done.rejects.append((no, raw, _name(record, fields, str(exc))))
            continue
        except Exception as exc:  # a bug must not end a run of a million records
            done.rejects.append((no, raw, _name(record, fields, f"internal error: {exc!r}")))
            continue
        if result.flags and flagged != "write":
            what = f"flagged {', '.join(result.flags)}"
            if flagged == "reject":
                done.rejects.append(
                    (no, raw, _name(record, fields, f"{what}: rejected (--flagged reject)"))
                )
                continue
            line = raw + b"\n"  # kept: the record as it came
        if result.html:
            result.page_words = page_text_words(text)
        done.tally.add(result, len(text.encode("utf-8", errors="surrogatepass")))
        parts.append(line)
    done.out = b"".join(parts)
    return done


def _key_bytes(key: object) -> bytes:
    """An id value as canonical JSON, to hash it the same everywhere."""
    try:
        return orjson.dumps(key, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # beyond orjson (a number over 64 bits)
        return json.dumps(key, sort_keys=True).encode()


def _name(record: object, fields: Fields, why: str) -> str:
    """The reason, with the record's id when it has one."""
    if fields.id is not None and isinstance(record, dict) and fields.id in record:
        return f"{why} (id {record[fields.id]!r})"
    return why


def shard_of(key: bytes, n: int) -> int:
    """A stable shard number in [0, n) for a key: the same on every machine and run."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % n
