"""Fuzz the JSONL path: any bytes, read as a JSONL stream (plain, or gzip) the way
`cleaner clean` reads one, and cleaned a chunk of records at a time as its workers do.
No exception escapes but InputError, of an unreadable stream (bad gzip: the input is
named after the records before the damage), and nothing is lost: every non-blank input
line ends up an output record or a reject holding the line unchanged, with a line over
the byte limit rejected whole. Shards by id split the same records and rejects between them.

    python tests/fuzz/fuzz_jsonl.py [corpus_dir] -max_total_time=1800
    python tests/fuzz/fuzz_jsonl.py --make-seeds DIR   # seeds from the fixtures

The first byte picks the variant: bit 0 gzip the rest, bit 1 a 200-byte limit, bit 2
also shard by id in two. The rest is the stream.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    import orjson

    from cleaner.engine import Cleaner
    from cleaner.io.formats import InputError
    from cleaner.io.jsonl import open_stdin, read_chunks
    from cleaner.record import Fields
    from cleaner.run.records import clean_lines

CLEANER = Cleaner()
FIELDS = Fields(id="id")
SMALL_LIMIT = 200
_SPOOL = "/dev/shm" if os.path.isdir("/dev/shm") else None


def _expected_lines(body: bytes) -> list[tuple[int, bytes]]:
    """The records a stream holds: (line number, line without its end), blank lines
    (only ASCII white space) left out."""
    pieces = body.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    out = []
    for no, piece in enumerate(pieces, 1):
        line = piece.rstrip(b"\r\n")
        if line.strip():
            out.append((no, line))
    return out


def _run(payload: bytes, limit: int, shard: tuple[int, int] | None):
    """Records out, rejects (line, raw) and over-limit lines (line, size, bytes)."""
    out: list[bytes] = []
    rejects: list[tuple[int, bytes]] = []
    over: list[tuple[int, int, bytes]] = []
    stream = open_stdin(io.BufferedReader(io.BytesIO(payload)))
    with tempfile.TemporaryDirectory(dir=_SPOOL) as spool:
        for chunk in read_chunks(stream, None, max_bytes=limit, spool_dir=Path(spool)):
            if chunk.oversize is not None:
                o = chunk.oversize
                assert o.spool is not None
                over.append((o.no, o.size, o.spool.read()))
                o.spool.close()
                continue
            done = clean_lines(CLEANER, chunk.lines, FIELDS, shard)
            out += done.out.splitlines()
            rejects += [(no, raw) for no, raw, _why in done.rejects]
    return out, rejects, over


def test_one(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0], data[1:]
    payload = gzip.compress(body, mtime=0) if mode & 1 else body
    limit = SMALL_LIMIT if mode & 2 else 0
    try:
        out, rejects, over = _run(payload, limit, None)
    except InputError:  # a broken gzip stream: the input is named as failed
        if payload[:2] == b"\x1f\x8b" and not mode & 1:
            return
        raise
    if payload[:2] == b"\x1f\x8b" and not mode & 1:
        return  # gunzipped: the lines are those of what it held, checked when it is text
    expected = _expected_lines(body)
    by_no = dict(expected)
    got = len(out) + len(rejects) + len(over)
    if got != len(expected):
        raise AssertionError(f"{len(expected)} lines in, {got} out, rejected or over")
    for no, raw in rejects:
        if by_no.get(no) != raw:
            raise AssertionError(f"line {no} rejected as {raw!r}, not as it was")
    for no, size, spooled in over:
        if by_no.get(no) != spooled or size != len(spooled) or size <= limit:
            raise AssertionError(f"line {no} over the limit kept as {spooled[:80]!r}")
    for line in out:
        record = json.loads(line)
        if not isinstance(record, dict) or "cleaner" not in record:
            raise AssertionError(f"output line {line[:200]!r} is not a cleaned record")
    if mode & 4:
        parts = [_run(payload, limit, (i, 2)) for i in range(2)]
        if sorted(x for p in parts for x in p[0]) != sorted(out):
            raise AssertionError("shards by id do not split the records")
        if sorted(x for p in parts for x in p[1]) != sorted(rejects):
            raise AssertionError("shards by id do not split the rejects")


def make_seeds(folder: Path) -> None:
    """Seeds from the fixtures: a few records each, some malformed lines, every variant."""
    root = Path(__file__).resolve().parents[2] / "fixtures"
    texts = [
        p.read_text(encoding="utf-8")[:1500]
        for p in sorted(root.glob("*.txt"))
        if not p.name.endswith(".expected.txt")
    ]
    folder.mkdir(parents=True, exist_ok=True)
    extras = [
        b"",
        b"{not json",
        b'{"id": 3, "text": null}',
        b'{"id": 4, "text": 42}',
        b"[1, 2]",
        b'{"text": "x", "n": 123456789012345678901234567890, "f": NaN}',
        b'{"text": "lone \\ud800 surrogate"}',
        b"\xef\xbb\xbf" + b'{"text": "BOM"}',
        b"   \r",
    ]
    for i, text in enumerate(texts):
        lines = [
            orjson.dumps(
                {"id": f"d{i}-{k}", "text": text[k * 300 :][:600], "url": "https://x.org/"}
            )
            for k in range(2)
        ]
        lines.insert(1, extras[i % len(extras)])
        body = b"\n".join(lines) + (b"\n" if i % 3 else b"\r\n")
        (folder / f"seed-{i:03d}").write_bytes(bytes([i % 8]) + body)


if __name__ == "__main__":
    from entry import fuzz_main  # beside this file

    fuzz_main(test_one, make_seeds)
