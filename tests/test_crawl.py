"""WARC and WET files in: each page a JSONL record out, cleaned as its text or HTML is."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

warcio = pytest.importorskip("warcio")
from warcio.archiveiterator import ArchiveIterator  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.io.crawl import CrawlError, crawl_lines, crawl_output_name, is_crawl  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("news_*.txt"))[:4]]
PAGE = (
    "<html><head><meta charset='iso-8859-1'><title>Café reopens | Town Post</title></head>"
    "<body><nav><a href='/'>Home</a></nav><article><h1>Café reopens</h1>"
    "<p>The harbour café reopened on Saturday after a year of repairs, and the queue "
    "reached the end of the pier before the doors opened at eight.</p>"
    "<p>Its owner said the new kitchen would let it serve hot food all winter, a first "
    "for the café in its forty years on the quay.</p></article></body></html>"
)


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, timeout=300
    )


def write_wet(path: Path, texts: list[str]) -> list[str]:
    """A WET file: a warcinfo record, then one conversion record per text; their ids."""
    ids = []
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        w.write_record(w.create_warcinfo_record("x.warc.wet.gz", {"software": "test"}))
        for n, text in enumerate(texts):
            rec = w.create_warc_record(
                f"https://news{n % 2}.example.com/story/{n}",
                "conversion",
                payload=io.BytesIO(text.encode("utf-8")),
                warc_content_type="text/plain",
            )
            w.write_record(rec)
            ids.append(rec.rec_headers.get_header("WARC-Record-ID"))
    return ids


def write_warc(path: Path) -> str:
    """A WARC file: a request, an HTML response in Latin-1, an image; the page's id."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        req = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "town.example.com")], is_http_request=True
        )
        w.write_record(
            w.create_warc_record("https://town.example.com/cafe", "request", http_headers=req)
        )
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=iso-8859-1")], protocol="HTTP/1.1"
        )
        page = w.create_warc_record(
            "https://town.example.com/cafe",
            "response",
            payload=io.BytesIO(PAGE.encode("latin-1")),
            http_headers=http,
        )
        w.write_record(page)
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(
            w.create_warc_record(
                "https://town.example.com/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                http_headers=img,
            )
        )
    return page.rec_headers.get_header("WARC-Record-ID")


def records(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_names() -> None:
    assert is_crawl(Path("CC-MAIN-1.warc.wet.gz")) and is_crawl(Path("a.warc"))
    assert not is_crawl(Path("a.jsonl.gz"))
    assert crawl_output_name("CC-MAIN-1.warc.wet.gz") == "CC-MAIN-1.jsonl.gz"
    assert crawl_output_name("seg.warc.gz") == "seg.jsonl.gz"


def test_a_wet_file_cleans_each_page_as_its_text_file_would(tmp_path: Path) -> None:
    wet = tmp_path / "seg.warc.wet.gz"
    ids = write_wet(wet, TEXTS)
    out = tmp_path / "seg.jsonl.gz"
    got = run("clean", str(wet), "-o", str(out), "--jobs", "2")
    assert got.returncode == 0, got.stderr
    rows = records(out)
    assert [r["id"] for r in rows] == ids  # order kept, the warcinfo record passed over
    assert [r["url"] for r in rows] == [
        f"https://news{n % 2}.example.com/story/{n}" for n in range(len(TEXTS))
    ]
    assert all(r["date"] for r in rows)
    plain = Cleaner()
    assert [r["text"] for r in rows] == [plain.clean(t).text for t in TEXTS]
    assert all(r["cleaner"]["versions"]["rules"] for r in rows)


def test_shards_split_a_wet_files_pages_and_resume_skips_a_done_file(tmp_path: Path) -> None:
    wet = tmp_path / "seg.warc.wet.gz"
    ids = write_wet(wet, TEXTS)
    got_ids = []
    for i in range(2):
        out = tmp_path / f"s{i}.jsonl.gz"
        got = run("clean", str(wet), "-o", str(out), "--shard", f"{i}/2")
        assert got.returncode == 0, got.stderr
        got_ids.append([r["id"] for r in records(out)])
    # By WARC record number (the warcinfo record is the first), each shard in order.
    assert got_ids[0] == ids[1::2] and got_ids[1] == ids[0::2]
    done = tmp_path / "s0.jsonl.gz"
    before = done.read_bytes()
    again = run("clean", str(wet), "-o", str(done), "--resume")
    assert again.returncode == 0 and "1 already done (skipped)" in again.stderr.decode()
    assert done.read_bytes() == before


def test_a_warc_file_sends_html_responses_through_the_extractor(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    page_id = write_warc(warc)
    out = tmp_path / "crawl.jsonl"
    got = run("clean", str(warc), "-o", str(out))
    assert got.returncode == 0, got.stderr
    (row,) = records(out)  # the request and the image are passed over
    assert row["id"] == page_id and row["url"] == "https://town.example.com/cafe"
    assert "harbour café reopened" in row["text"]  # Latin-1, read by its HTTP charset
    assert "<p>" not in row["text"] and "Home" not in row["text"]


def test_a_folder_of_crawl_files_mirrors_as_jsonl_gz(tmp_path: Path) -> None:
    src = tmp_path / "in" / "2024"
    src.mkdir(parents=True)
    write_wet(src / "a.warc.wet.gz", TEXTS[:2])
    write_warc(src / "b.warc.gz")
    got = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert got.returncode == 0, got.stderr
    assert len(records(tmp_path / "out" / "2024" / "a.jsonl.gz")) == 2
    assert len(records(tmp_path / "out" / "2024" / "b.jsonl.gz")) == 1


def test_stdin_takes_wet_with_format(tmp_path: Path) -> None:
    wet = tmp_path / "s.warc.wet"
    ids = write_wet(wet, TEXTS[:2])
    got = run("clean", "-", "--format", "wet", stdin=wet.read_bytes())
    assert got.returncode == 0, got.stderr
    rows = [json.loads(line) for line in got.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ids


@pytest.mark.parametrize("damage", ["cut", "long-length", "garbage"])
def test_damaged_crawl_files_are_named_with_the_record_and_byte(
    tmp_path: Path, damage: str
) -> None:
    wet = tmp_path / "bad.warc.wet.gz"
    write_wet(wet, TEXTS)
    data = wet.read_bytes()
    if damage == "cut":
        wet.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "long-length":
        wet = tmp_path / "bad.warc"
        wet.write_bytes(b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 9999\r\n\r\nshort")
    else:
        wet.write_bytes(data[:200] + b"\x00garbage" * 50)
    out = tmp_path / "bad.jsonl"
    got = run("clean", str(wet), "-o", str(out))
    assert got.returncode == 1
    err = got.stderr.decode()
    assert str(wet) in err and "record" in err and "Traceback" not in err
    if damage == "cut":  # the pages before the cut are kept, and the error says how many
        kept = records(out)
        assert kept and f"{len(kept)} record" in err
        assert [r["text"] for r in kept] == [Cleaner().clean(t).text for t in TEXTS[: len(kept)]]
    else:  # damaged in its first record: nothing read, no output
        assert not out.exists()


def test_crawl_lines_raise_crawl_error_on_a_cut_record(tmp_path: Path) -> None:
    wet = tmp_path / "c.warc.wet"
    write_wet(wet, TEXTS[:2])
    data = wet.read_bytes()
    with pytest.raises(CrawlError, match="short of its Content-Length"):
        list(crawl_lines(io.BytesIO(data[:-100])))
    assert len(list(crawl_lines(io.BytesIO(data)))) == 2


def test_learn_on_a_wet_file_removes_each_sites_furniture(tmp_path: Path) -> None:
    """A crawl segment's own repeats become its profile: the site fixtures as WET."""
    sites = FIXTURES / "sites"
    pages = sorted((sites / "pages").glob("*/*.txt"))
    wet = tmp_path / "seg.warc.wet.gz"
    with open(wet, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for page in pages:
            rec = w.create_warc_record(
                f"https://www.{page.parent.name}/news/{page.stem}",
                "conversion",
                payload=io.BytesIO(page.read_bytes()),
                warc_content_type="text/plain",
            )
            w.write_record(rec)
    out = tmp_path / "seg.jsonl.gz"
    got = run("clean", "-q", "--learn", str(wet), "-o", str(out))
    assert got.returncode == 0, got.stderr
    rows = records(out)
    assert len(rows) == len(pages)
    for page, row in zip(pages, rows, strict=True):
        want = (sites / "expected" / page.parent.name / page.name).read_text(encoding="utf-8")
        assert row["text"] == want, page
    plain = run("clean", "-q", str(wet), "-o", str(tmp_path / "p.jsonl"))
    assert plain.returncode == 0
    unlearned = records(tmp_path / "p.jsonl")
    assert sum(r["text"] != u["text"] for r, u in zip(rows, unlearned, strict=True)) >= 6


def test_a_page_over_max_bytes_is_rejected_and_the_rest_cleaned(tmp_path: Path) -> None:
    wet = tmp_path / "big.warc.wet.gz"
    huge = "A line of a page far too long to be an article. " * 4000  # about 200 kB
    ids = write_wet(wet, [TEXTS[0], huge, TEXTS[1]])
    out = tmp_path / "big.jsonl.gz"
    got = run("clean", str(wet), "-o", str(out), "--max-bytes", "100k")
    assert got.returncode == 1  # a record rejected
    assert [r["id"] for r in records(out)] == [ids[0], ids[2]]
    err = got.stderr.decode()
    assert f"{wet}:3" in err and "--max-bytes" in err  # record 3: the warcinfo is record 1


def _crawl_harness():
    import importlib.util

    path = Path(__file__).parent / "fuzz" / "fuzz_crawl.py"
    spec = importlib.util.spec_from_file_location("fuzz_crawl", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESS = _crawl_harness()


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 7),
    st.lists(
        st.sampled_from([t[:600].encode() for t in TEXTS] + [b"", b"<p>x</p>", b"\xff\xfe"]),
        max_size=5,
    ),
    st.integers(0, 4000),
    st.binary(max_size=40),
)
def test_the_crawl_fuzz_harness_holds_on_generated_streams(
    mode: int, pages: list[bytes], cut: int, noise: bytes
) -> None:
    """The fuzzer's checks, on framed pages, cut and salted at random places."""
    body = b"\x00".join(pages)
    if mode & 4:  # a real stream, damaged: cut short and with bytes spliced in
        stream = HARNESS.frame(body, bool(mode & 1))
        at = cut % (len(stream) + 1)
        body = stream[:at] + noise + stream[at:][: cut // 2]
    HARNESS.test_one(bytes([mode]) + body)


def test_explain_shows_each_page_of_a_wet_file(tmp_path: Path) -> None:
    wet = tmp_path / "e.warc.wet.gz"
    ids = write_wet(wet, TEXTS[:2])
    got = run("explain", str(wet))
    assert got.returncode == 0, got.stderr
    out = got.stdout.decode()
    assert out.count("== ") == 2 and ids[1] in out  # record 3 (after the warcinfo)
    one = run("explain", str(wet), "--id", ids[0])
    assert one.returncode == 0 and one.stdout.decode().count("== ") == 1


def test_a_binary_page_in_a_wet_file_is_named_and_the_rest_cleaned(tmp_path: Path) -> None:
    """A conversion record holding an image is not text: named as a rejected record
    (FILE:RECORD: why), never cleaned into the output, the other pages written."""
    wet = tmp_path / "mixed.warc.wet"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16
    with open(wet, "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        for n, payload in enumerate([TEXTS[0].encode(), png, TEXTS[1].encode()]):
            rec = w.create_warc_record(
                f"https://a.example.org/{n}",
                "conversion",
                payload=io.BytesIO(payload),
                warc_content_type="text/plain",
            )
            w.write_record(rec)
    out = tmp_path / "mixed.jsonl"
    got = run("clean", str(wet), "-o", str(out))
    assert got.returncode == 1
    err = got.stderr.decode()
    assert f"{wet}:2: binary" in err and "1 records rejected" in err
    assert [r["url"] for r in records(out)] == [
        "https://a.example.org/0",
        "https://a.example.org/2",
    ]


def test_a_broken_gzip_member_is_named_and_reading_goes_on(tmp_path: Path) -> None:
    """A damaged member in the middle of a WET file loses that record only: it is named
    (FILE:RECORD: why, with the byte reading went on at), the pages after it are read."""
    wet = tmp_path / "seg.warc.wet.gz"
    ids = write_wet(wet, TEXTS)
    data = wet.read_bytes()
    with open(wet, "rb") as fh:  # where each record's gzip member starts
        it = ArchiveIterator(fh)
        starts = [it.get_record_offset() for _ in it]
    bounds = [*starts, len(data)]
    members = [data[a:b] for a, b in pairwise(bounds)]  # warcinfo, then one per text
    broken = members[2][:30] + b"\x00" * 40  # the second page's member, cut and padded
    wet.write_bytes(b"".join([*members[:2], broken, *members[3:]]))
    out = tmp_path / "seg.jsonl"
    got = run("clean", str(wet), "-o", str(out))
    assert got.returncode == 1
    err = got.stderr.decode()
    assert f"{wet}:3: damaged" in err and "read on at the next gzip member" in err
    assert [r["id"] for r in records(out)] == [ids[0], *ids[2:]]
