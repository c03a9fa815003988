"""Fuzz the WARC/WET reader: any bytes, read as a crawl file the way `cleaner clean`
reads one, the pages cleaned a chunk at a time as its workers do. No exception escapes
but CrawlError (a damaged file: named, after the pages before the damage), every page
read becomes a record holding the four fields, a page over the byte limit is never
held, and a stream reads the same with the limit as without it (to the same damage, if
any), minus the pages over it (a binary page over it counts as over: it is never read
to be found binary).

    python tests/fuzz/fuzz_crawl.py [corpus_dir] -max_total_time=1800
    python tests/fuzz/fuzz_crawl.py --make-seeds DIR   # seeds from the fixtures

The first byte picks the variant: bit 0 gzip each record, bit 1 a 300-byte limit. The
rest is split into records at each "\\x00" and framed as WARC records (bit 2 set: taken
as the raw stream instead, unframed).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
from pathlib import Path

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    from cleaner.engine import Cleaner
    from cleaner.io.crawl import CrawlError, crawl_chunks
    from cleaner.record import Fields
    from cleaner.run.records import clean_lines

CLEANER = Cleaner()
SMALL_LIMIT = 300
KINDS = ("conversion", "response", "warcinfo", "request", "metadata")


def frame(body: bytes, gz: bool) -> bytes:
    """`body` cut at NUL bytes into WARC records of rotating types."""
    out = []
    for n, payload in enumerate(body.split(b"\x00")):
        kind = KINDS[n % len(KINDS)]
        http = b""
        if kind == "response":
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        block = http + payload
        head = (
            f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
            f"WARC-Target-URI: https://s{n % 3}.example.org/{n}\r\n"
            f"WARC-Date: 2024-05-01T00:00:00Z\r\nContent-Type: "
            f"{'application/http; msgtype=response' if http else 'text/plain'}\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        ).encode()
        record = head + block + b"\r\n\r\n"
        out.append(gzip.compress(record, mtime=0) if gz else record)
    return b"".join(out)


def _read(stream: bytes, limit: int) -> tuple[list[dict], list[int], bool]:
    """Cleaned records, the numbers of the pages over the limit, and whether the
    stream was found damaged (after the pages before the damage)."""
    records: list[dict] = []
    over: list[int] = []
    try:
        _chunks(stream, limit, records, over)
    except CrawlError:
        return records, over, True
    return records, over, False


def _chunks(stream: bytes, limit: int, records: list[dict], over: list[int]) -> None:
    for chunk in crawl_chunks(io.BytesIO(stream), max_bytes=limit):
        if chunk.oversize is not None:
            if chunk.oversize.why:  # a binary page: refused and named, whatever its size
                over.append(chunk.oversize.no)
                continue
            if chunk.oversize.spool is not None or chunk.oversize.size <= limit:
                raise AssertionError("a page over the limit was held, or is not over it")
            over.append(chunk.oversize.no)
            continue
        for _no, line in chunk.lines:
            page = json.loads(line)
            if set(page) != {"id", "url", "date", "text"} or not isinstance(page["text"], str):
                raise AssertionError(f"a page record with fields {sorted(page)}")
        done = clean_lines(CLEANER, chunk.lines, Fields(), None)
        if done.rejects:
            raise AssertionError(f"a page record was rejected: {done.rejects[0][2]}")
        records += [json.loads(x) for x in done.out.splitlines()]


def test_one(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0], data[1:]
    stream = body if mode & 4 else frame(body, bool(mode & 1))
    whole, refused, damaged = _read(stream, 0)  # with no limit: binary pages only
    if mode & 2:
        limited, over, damaged_limited = _read(stream, SMALL_LIMIT)
        if damaged_limited != damaged:
            raise AssertionError(f"damaged read whole: {damaged}, with a limit: {not damaged}")
        # Every page kept under the limit is one of those read without it, and each one
        # missing is over it (a binary page over it counts as over: it is never read).
        kept = [(r["id"], r["text"]) for r in limited]
        if not set(kept) <= {(r["id"], r["text"]) for r in whole}:
            raise AssertionError("a page read under the limit differs from the one read without")
        if len(whole) + len(refused) - len(limited) > len(over):
            raise AssertionError(f"{len(whole)} pages, {len(limited)} + {len(over)} over limit")


def make_seeds(folder: Path) -> None:
    """Seeds from the fixtures: a few pages each, in every variant."""
    root = Path(__file__).resolve().parents[2] / "fixtures"
    texts = [
        p.read_bytes()[:1200] for p in sorted(root.glob("*.txt")) if ".expected." not in p.name
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(texts), 4):
        body = b"\x00".join(texts[i : i + 4])
        for mode in (0, 1, 2, 3):
            (folder / f"seed-{i}-{mode}").write_bytes(bytes([mode]) + body)
    raw = frame(b"\x00".join(texts[:3]), True)
    (folder / "seed-raw-cut").write_bytes(bytes([4]) + raw[: len(raw) // 2])


if __name__ == "__main__":
    from entry import fuzz_main  # beside this file

    fuzz_main(test_one, make_seeds)
