"""Common Crawl's formats in: WET and WARC files become JSONL records, one per page.

A WET file (`*.warc.wet.gz`) holds one `conversion` record per page, its plain text; a
WARC file holds `response` records, the page as the server sent it. Each page becomes a
record with `id` (WARC-Record-ID), `url` (WARC-Target-URI: it names the site for
site-scoped rules and profiles), `date` (WARC-Date) and `text`, and then goes the way of
any JSONL record (`records.py`): a WET text is cleaned as a text dump, a WARC page
through the HTML extractor. Other records (warcinfo, request, metadata, responses that
are not HTML) are passed over.

Records are read with warcio, a gzip member at a time, so memory stays flat however
large the file; reading costs a fraction of a percent of cleaning (warcio reads 50 MB of
WET text in 0.4 s here, fastwarc in 0.3 s: too little to be worth a compiled
dependency).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from .formats import InputError, decode
from .jsonl import CHUNK_BYTES, CHUNK_RECORDS, Chunk, Oversize, stream_position

CRAWL_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz", ".warc.wet", ".warc.wet.gz")
# WARC response payloads of these content types are pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")


class CrawlError(Exception):
    """A WARC or WET file that cannot be read on: names the offset where it broke."""


def is_crawl(path: Path) -> bool:
    """Whether a file is WARC or WET by its name."""
    return path.name.lower().endswith(CRAWL_SUFFIXES)


def crawl_output_name(name: str) -> str:
    """`x.warc.wet.gz` -> `x.jsonl.gz`: what a crawl file's records are written as."""
    lowered = name.lower()
    for suffix in sorted(CRAWL_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return name[: -len(suffix)] + ".jsonl.gz"
    return name + ".jsonl.gz"


def crawl_lines(
    stream: BinaryIO, max_bytes: int = 0
) -> Iterator[tuple[int, bytes | None, int, int, str]]:
    """Each page of a WARC or WET stream as a JSONL line: (record number, the line, the
    stream's offset after it, the page's size, why it is refused). A page over
    `max_bytes` (0: no limit) is never held whole: it comes with no line; so does a WET
    page that is binary, not text, with the reason. A damaged gzip member in a file is
    named the same way, and reading goes on at the next member; damage that cannot be
    read past (a cut file, a stream) raises CrawlError, naming the record and offset."""
    at = _Position(0, max(stream_position(stream), 0))
    while True:
        try:
            yield from _records(stream, max_bytes, at)
            return
        except CrawlError as exc:
            resume = _next_member(stream, at.offset)
            if resume is None:
                raise
            at.no += 1  # the damaged record (and any the broken member held)
            why = f"{exc}; read on at the next gzip member, byte {resume}"
            yield at.no, None, resume, 0, why
            at.offset = resume
            stream.seek(resume)


@dataclass
class _Position:
    """The last record read whole: its number, and the offset after it."""

    no: int
    offset: int


def _records(
    stream: BinaryIO, max_bytes: int, at: _Position
) -> Iterator[tuple[int, bytes | None, int, int, str]]:
    """`crawl_lines` from the stream's position to the end, or to damage (CrawlError);
    `at` follows the records read."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream, no_record_parse=False, arc2warc=True)
    # What warcio raises on malformed input (a missing header reaches it as None).
    damaged = (
        ArchiveLoadFailed,
        EOFError,
        OSError,
        ValueError,
        zlib.error,
        AttributeError,
        TypeError,
        KeyError,
        IndexError,
    )
    pending = iter(records)
    while True:
        try:
            record = next(pending)
        except StopIteration:
            return
        except damaged as exc:
            raise CrawlError(
                f"damaged WARC/WET data at record {at.no + 1}, after byte {at.offset}: {_said(exc)}"
            ) from None
        no = at.no + 1
        try:
            page, size, why = _page(record, max_bytes)  # read before asking the offset,
            start = records.get_record_offset()  # which skips the rest of the record
            offset = start + records.get_record_length()
        except damaged as exc:
            raise CrawlError(
                f"damaged WARC/WET data in record {no}, after byte {at.offset}: {_said(exc)}"
            ) from None
        if record.length is None:  # every WARC record has one: its head is cut
            raise CrawlError(f"record {no} at byte {start} has no Content-Length (a cut file?)")
        short = getattr(record.raw_stream, "limit", 0)
        if short:  # the file ends inside the record, or its length is wrong
            raise CrawlError(
                f"record {no} at byte {start} ends {short} bytes short of its "
                "Content-Length (a cut file, or a wrong length)"
            )
        at.no, at.offset = no, max(offset, at.offset)  # never back: reading goes forward
        if page is not None or size:
            yield no, orjson.dumps(page) if page is not None else None, offset, size, why


# A damaged gzip member is read past by looking for the next member that starts a WARC
# record, this far at most (in pieces of _SCAN bytes).
RESYNC_MAX_BYTES = 64 << 20
_SCAN = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


def _next_member(stream: BinaryIO, after: int) -> int | None:
    """The offset of the next gzip member after `after` that holds a WARC record, in a
    gzip file that can seek; None for a stream, a plain file, or none found."""
    try:
        if not stream.seekable():
            return None
        stream.seek(0)
        if stream.read(2) != _GZIP_MAGIC[:2]:
            return None
        after = max(after, 0)
        pos = after + 1
        while pos - after < RESYNC_MAX_BYTES:
            stream.seek(pos)
            block = stream.read(_SCAN + len(_GZIP_MAGIC))
            if not block:
                return None
            k = block.find(_GZIP_MAGIC)
            while 0 <= k < _SCAN:
                if _starts_a_record(stream, pos + k):
                    return pos + k
                k = block.find(_GZIP_MAGIC, k + 1)
            pos += _SCAN
    except (OSError, ValueError):
        return None
    return None


def _starts_a_record(stream: BinaryIO, at: int) -> bool:
    """Whether the gzip member at `at` decompresses to the start of a WARC record."""
    stream.seek(at)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


# How much of what the WARC reader says about damage is repeated (it may quote
# a line of binary).
_SAID_CHARS = 120


def _said(exc: BaseException) -> str:
    """An exception's message, printable and cut to a line."""
    text = str(exc) or type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= _SAID_CHARS else text[:_SAID_CHARS] + "..."


# A page over the byte limit is read on in pieces of this many bytes, and dropped.
_PIECE = 1 << 20


def _read_limited(record: object, max_bytes: int) -> tuple[bytes | None, int]:
    """A record's content and its size; None for content over `max_bytes`, which is
    read to its end in pieces but never held."""
    content = record.content_stream()  # type: ignore[attr-defined]
    if not max_bytes:
        data = content.read()
        return data, len(data)
    data = content.read(max_bytes + 1)
    if len(data) <= max_bytes:
        return data, len(data)
    size = len(data)
    while piece := content.read(_PIECE):
        size += len(piece)
    return None, size


def _page(record: object, max_bytes: int = 0) -> tuple[dict | None, int, str]:
    """A WET conversion or an HTML WARC response as a record, its size, and why it is
    refused: (None, 0, "") for anything else, (None, size, "") for a page over
    `max_bytes`, (None, size, why) for a WET page that is binary."""
    kind = record.rec_type  # type: ignore[attr-defined]
    headers = record.rec_headers  # type: ignore[attr-defined]
    if kind not in ("conversion", "response"):
        return None, 0, ""
    content_type = ""
    if kind == "response":
        http = record.http_headers  # type: ignore[attr-defined]
        content_type = (http.get_header("Content-Type") if http else None) or ""
        if not content_type.lower().startswith(HTML_TYPES):
            return None, 0, ""
    data, size = _read_limited(record, max_bytes)
    if data is None:
        return None, size, ""
    if kind == "response":
        text = _decode_page(data, content_type)
    else:
        try:
            text = decode(data).text
        except InputError as exc:  # binary where text should be: named, not cleaned
            return None, max(size, 1), str(exc)
    page = {
        "id": headers.get_header("WARC-Record-ID"),
        "url": headers.get_header("WARC-Target-URI"),
        "date": headers.get_header("WARC-Date"),
        "text": text,
    }
    return page, size, ""


def _decode_page(data: bytes, content_type: str) -> str:
    """A page's bytes as text: the charset its HTTP headers name, else as files are."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            try:
                return data.decode(value.strip().strip("\"'"), errors="replace")
            except LookupError:
                break  # a charset Python does not know
    try:
        return decode(data).text
    except InputError:
        return data.decode("utf-8", errors="replace")


def crawl_chunks(
    stream: BinaryIO,
    *,
    shard: tuple[int, int] | None = None,
    records: int = CHUNK_RECORDS,
    size: int = CHUNK_BYTES,
    max_bytes: int = 0,
) -> Iterator[Chunk]:
    """The pages of a WARC or WET stream in chunks of JSONL lines, as `read_chunks`
    gives a JSONL file's (numbered by record; `shard` (I, N) keeps record I modulo N); a
    page over `max_bytes` comes alone as an `Oversize` chunk, held nowhere."""
    batch: list[tuple[int, bytes]] = []
    held = 0
    pos = -1
    try:
        for no, line, pos, page_size, why in crawl_lines(stream, max_bytes):
            if shard is not None and (no - 1) % shard[1] != shard[0]:
                continue
            if line is None:  # over the byte limit, or binary: refused, named
                if batch:
                    yield Chunk(batch, pos)
                    batch, held = [], 0
                yield Chunk([], pos, Oversize(no, page_size, None, why))
                continue
            batch.append((no, line))
            held += len(line)
            if len(batch) >= records or held >= size:
                yield Chunk(batch, pos)
                batch, held = [], 0
    except CrawlError:
        if batch:  # the pages before the damage go on, then the error
            yield Chunk(batch, pos)
        raise
    if batch:
        yield Chunk(batch, pos)
