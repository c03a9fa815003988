"""Generate the hostile-input suite: files nobody checked, as a batch meets them.

    python tests/hostile/make_inputs.py OUTDIR [--big | --only-big]

Writes text, HTML, JSONL and WET/WARC inputs that are binary, mis-encoded, empty, huge, oddly
shaped or broken, and file-system oddities (a folder named like a file, symlink loops,
links out of the folder, a named pipe, names with spaces, newlines, a right-to-left
override and non-UTF-8 bytes). Large inputs are made here, never committed. `--big`
adds the 50 MB line, the 100 MB record and the gzip bomb (`--only-big`: only those).
Returns (via `make`) what each input is and what `cleaner clean` with its default
limits must do with it (tests/hostile/test_hostile.py checks every one).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n\n"
    "Members said the plan would fund road repairs and two new libraries over the "
    "next three years, while keeping council tax unchanged.\n\n"
    "Share this article\n"
)


CLEAN = "clean"  # cleaned: its output is written, nothing said (or a warning: flagged)
FAIL = "fail"  # one line on stderr names it; no output
DAMAGED = "damaged"  # JSONL, WET, WARC read on to damage: named, the records before it written
PARTIAL = "partial"  # JSONL: good records written, each bad line named and rejected
REFUSED = "refused"  # WET/WARC: good pages written, each refused page named (no rejects file)
SKIP = "skip"  # found in the folder, not an input: one "skipped" line, never opened
PASSED = "passed"  # over a limit: written unchanged, one warning line


@dataclass(frozen=True)
class Case:
    """One hostile input: its path below OUTDIR and what must happen to it."""

    name: str
    expect: str  # CLEAN, FAIL, DAMAGED, PARTIAL, REFUSED, SKIP or PASSED
    rejects: int = 0  # PARTIAL: how many lines are rejected
    says: str = ""  # a piece of the stderr line about it


def make(outdir: Path, *, big: bool = False, small: bool = True) -> list[Case]:
    """Write the hostile inputs into `outdir` (the big ones too with `big`; only those
    without `small`); return the cases."""
    outdir.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    if small:
        _small(outdir, cases)
        _crawl(outdir, cases)
    if big:
        _big(outdir, cases)
    return cases


def _small(outdir: Path, cases: list[Case]) -> None:
    rng = random.Random(7)

    def write(name: str, data: bytes, expect: str, rejects: int = 0, says: str = "") -> None:
        (outdir / name).write_bytes(data)
        cases.append(Case(name, expect, rejects, says))

    # Binary files named like text.
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096))
    write("image.txt", png, FAIL, says="image.html would both write")  # and so would it
    write("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, FAIL)
    write("nul_bytes.txt", ARTICLE.encode().replace(b" ", b"\x00", 3), FAIL)
    write("image.html", png, FAIL, says="binary file")
    # Encodings.
    write("invalid_utf8.txt", ARTICLE.encode() + b"\xc3\x28 caf\xe9 \xff\xfe end.\n", "clean")
    write("utf16_bom.txt", ARTICLE.encode("utf-16"), "clean")
    write("utf8_bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode(), "clean")
    write("latin1.txt", ("Café crème à Paris. " * 5 + "\n\n" + ARTICLE).encode("latin-1"), "clean")
    write("cp1252.txt", ("“Quoted” – dash… " * 5 + "\n\n" + ARTICLE).encode("cp1252"), "clean")
    # Empty and blank.
    write("empty.txt", b"", "clean")
    write("whitespace.txt", b" \n\t\n\r\n   \n", "clean")
    # Line endings.
    write("cr_only.txt", ARTICLE.replace("\n", "\r").encode(), "clean")
    write(
        "mixed_endings.txt",
        ARTICLE.replace("\n\n", "\r\n\r\n", 1).replace("\n", "\r", 2).encode(),
        "clean",
    )
    # Unicode oddities.
    write(
        "combining.txt",
        ("Z\u0351\u0352\u0353a\u0300\u0301\u0302lgo text. " * 40 + "\n" + ARTICLE).encode(),
        "clean",
    )
    write(
        "rtl.txt",
        (
            "مرحبا بالعالم هذه جملة عربية طويلة بما يكفي. \u202eevil\u202c\n\n"
            + "שלום עולם זה משפט בעברית.\n"
            + ARTICLE
        ).encode(),
        "clean",
    )
    write(
        "emoji.txt", ("👩‍👩‍👧‍👦 🏳️‍🌈 🇺🇦 family news today. " * 20 + "\n" + ARTICLE).encode(), "clean"
    )
    write(
        "unassigned.txt",
        ("\U000e0001\U0010fffd\u0378\u0379 odd code points here. " * 10 + "\n" + ARTICLE).encode(
            "utf-8", "surrogatepass"
        ),
        "clean",
    )
    write("lone_surrogate.txt", b"before \xed\xa0\x80 after.\n" + ARTICLE.encode(), "clean")
    # Shapes.
    write(
        "million_short_lines.txt",
        ("\n".join(f"Item {i}" for i in range(1_000_000)) + "\n").encode(),
        "clean",
    )
    write(
        "long_line_1mb.txt",
        (("A sentence of the story goes on here. " * 27_000) + "\n").encode(),
        "clean",
    )
    # HTML.
    # The extractor finds nothing in these two: flagged, "every line was removed".
    write(
        "malformed.html",
        b"<html><head><title>Broken</head><body><p>Unclosed <div><p>"
        + ARTICLE.encode()
        + b"<table><tr><td>cell</p></div>",
        "clean",
        says="every line was removed",
    )
    write(
        "script_only.html",
        b"<html><head><script>var a = 1;</script></head>"
        b"<body><script>alert(1)</script></body></html>",
        "clean",
    )
    write(
        "nested_10000.html",
        b"<html><body>"
        + b"<div>" * 10_000
        + ARTICLE.encode()
        + b"</div>" * 10_000
        + b"</body></html>",
        "clean",
        says="every line was removed",
    )
    write(
        "unclosed_tags.html",
        b"<html><body><p>" + b"<" * 200_000 + ARTICLE.encode() + b"<script>" * 1000,
        "clean",
        says="every line was removed",
    )
    write(
        "wrong_charset.html",
        b'<html><head><meta charset="utf-16"></head><body><p>'
        + ("Caf\u00e9 " + ARTICLE).encode("latin-1", "replace")
        + b"</p></body></html>",
        "clean",
    )
    # JSONL.
    good = json.dumps({"id": 1, "url": "https://example.org/a", "text": ARTICLE}).encode()
    write("bom.jsonl", b"\xef\xbb\xbf" + good + b"\n" + good + b"\n", CLEAN)
    write(
        "bad_records.jsonl",
        b"\n".join(
            [
                good,
                b"{not json",
                json.dumps({"id": 2}).encode(),
                json.dumps({"id": 3, "text": None}).encode(),
                json.dumps({"id": 4, "text": 42}).encode(),
                json.dumps({"id": 5, "text": ["a", "b"]}).encode(),
                b"[1, 2, 3]",
                b"",
                good,
            ]
        )
        + b"\n",
        PARTIAL,
        6,
        "'text' is an array",
    )
    write(
        "deep.jsonl",
        b'{"text": "ok", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n" + good + b"\n",
        PARTIAL,
        1,
        "malformed JSON",
    )
    deep_object = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    write("deep_object.jsonl", deep_object + b"\n" + good + b"\n", PARTIAL, 1)
    write("crlf_blank.jsonl", b"\r\n\r\n" + good + b"\r\n   \r\n" + good + b"\r\n", CLEAN)
    write("only_blank.jsonl", b"\n \n\t\n", CLEAN)
    write("bad_utf8.jsonl", good + b"\n" + b'{"text": "caf\xe9 \xff bytes"}\n', PARTIAL, 1)
    escapes = json.dumps(
        {
            "text": "lone \ud800 surrogate \udfff and \u0000 NUL. " + ARTICLE,
            "n": 12345678901234567890123,
            "x": float("nan"),
        }
    )
    write("escapes.jsonl", escapes.encode() + b"\n", CLEAN)
    html_record = json.dumps(
        {"text": "<html><head><title>T</title></head><body><p>" + ARTICLE + "</p></body></html>"}
    )
    write("html_record.jsonl", html_record.encode() + b"\n", CLEAN)
    cut_gzip = gzip.compress((good + b"\n") * 50)[:-20]
    write("truncated.jsonl.gz", cut_gzip, DAMAGED, says="cannot read line")
    write("not_gzip.jsonl.gz", good + b"\n", CLEAN)  # gzip by name, plain by content: read as it is
    write("empty.jsonl.gz", b"", CLEAN)
    write("twin.jsonl", good + b"\n", CLEAN)  # and its twin would write twin.rejects.jsonl
    write("twin.jsonl.gz", gzip.compress(good + b"\n"), FAIL, says="would both write")
    # File-system oddities.
    (outdir / "folder.txt").mkdir(exist_ok=True)
    (outdir / "folder.txt" / "inside.txt").write_text(ARTICLE, encoding="utf-8")
    cases.append(Case("folder.txt/inside.txt", CLEAN))
    (outdir / "a" / "b" / "c").mkdir(parents=True, exist_ok=True)
    write("a/b/c/deep.html", b"<html><body><p>" + ARTICLE.encode() + b"</p></body></html>", CLEAN)
    write("name with spaces.txt", ARTICLE.encode(), CLEAN)
    write("name\nwith newline.txt", ARTICLE.encode(), CLEAN)
    write("binary\nnewline.txt", png, FAIL, says="binary\\nnewline.txt: binary file")
    write("evil\u202etxt.exe.txt", png, FAIL, says="evil\\u202etxt.exe.txt: binary file")
    write("-starts-with-dash.txt", ARTICLE.encode(), CLEAN)
    write("..dots..txt", ARTICLE.encode(), CLEAN)
    write("UPPER.TXT", ARTICLE.encode(), CLEAN)
    if sys.platform == "win32":
        return
    for name, data, expect, says in (
        (b"bad-\xff\xfe-name.txt", ARTICLE.encode(), CLEAN, ""),
        (b"bin-\xff-name.txt", png, FAIL, "bin-\\xff-name.txt: binary file"),
    ):
        with open(os.fsencode(outdir) + b"/" + name, "wb") as f:
            f.write(data)
        cases.append(Case(os.fsdecode(name), expect, says=says))
    links = [
        ("loop/again", "..", SKIP, "a link to a folder"),  # a loop: links to its parent
        ("link_out.txt", "/etc/hostname", SKIP, "a link out of the input folder"),
        ("broken_link.txt", "nowhere.txt", SKIP, "a broken symbolic link"),
        ("loop_a.txt", "loop_b.txt", SKIP, "a symbolic link loop"),
        ("loop_b.txt", "loop_a.txt", SKIP, "a symbolic link loop"),
        ("inner_link.txt", "utf8_bom.txt", CLEAN, ""),  # within the folder: followed
        ("link_to_dir_out", "/etc", SKIP, "a link to a folder"),
    ]
    (outdir / "loop").mkdir(exist_ok=True)
    for name, target, expect, says in links:
        link = outdir / name
        if not link.is_symlink():
            link.symlink_to(target)
        cases.append(Case(name, expect, says=says))
    fifo = outdir / "pipe.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    cases.append(Case("pipe.txt", SKIP, says="a named pipe"))
    sock = outdir / "socket.jsonl"
    if not sock.exists() and len(os.fsencode(sock)) < 100:  # AF_UNIX paths are short
        server = socket.socket(socket.AF_UNIX)
        server.bind(os.fsdecode(sock))
        server.close()  # the socket file stays
        cases.append(Case("socket.jsonl", SKIP, says="a socket"))


def warc_record(
    kind: str, uri: str, payload: bytes, n: int = 1, length: int | None = None
) -> bytes:
    """One WARC record, written by hand (a declared `length` other than the payload's
    makes it lie)."""
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T00:00:00Z\r\n"
        f"Content-Type: text/plain\r\nContent-Length: {len(payload) if length is None else length}"
        "\r\n\r\n"
    )
    return head.encode() + payload + b"\r\n\r\n"


def _crawl(outdir: Path, cases: list[Case]) -> None:
    """WET and WARC files: a good one, one cut short, one whose Content-Length lies,
    one that is not WARC at all, and gzip members that break."""
    page = ARTICLE.encode()
    members = [
        gzip.compress(warc_record("conversion", f"https://example.org/{n}", page, n))
        for n in range(1, 4)
    ]
    good = b"".join(members)
    (outdir / "good.warc.wet.gz").write_bytes(good)
    cases.append(Case("good.warc.wet.gz", CLEAN))
    (outdir / "cut.warc.wet.gz").write_bytes(good[: len(members[0]) + len(members[1]) // 2])
    cases.append(Case("cut.warc.wet.gz", DAMAGED, says="record 2"))
    lying = warc_record("conversion", "https://example.org/a", page, length=len(page) + 500)
    (outdir / "lying_length.warc").write_bytes(lying)
    cases.append(Case("lying_length.warc", FAIL, says="short of its Content-Length"))
    (outdir / "not_warc.warc.gz").write_bytes(gzip.compress(b'{"text": "a JSONL line"}\n'))
    cases.append(Case("not_warc.warc.gz", FAIL, says="record 1"))
    rng = random.Random(5)
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096))
    binary = gzip.compress(warc_record("conversion", "https://example.org/png", png, 9))
    (outdir / "binary_page.warc.wet.gz").write_bytes(members[0] + binary + members[2])
    cases.append(Case("binary_page.warc.wet.gz", REFUSED, 1, "binary"))
    broken = members[0] + members[1][:20] + b"\x00" * 64 + members[2]
    (outdir / "broken_member.warc.wet.gz").write_bytes(broken)
    cases.append(Case("broken_member.warc.wet.gz", REFUSED, 1, "read on at the next gzip member"))
    _parquet(outdir, cases)


def _parquet(outdir: Path, cases: list[Case]) -> None:
    """Parquet files that are not: a text file named .parquet, a file cut short, one
    without a text column (pyarrow absent: only the first two, which need none)."""
    (outdir / "not_parquet.parquet").write_bytes(b"PAR1" + b"plain text, not columns\n" * 20)
    cases.append(Case("not_parquet.parquet", FAIL, says="not a Parquet file"))
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return
    table = pa.table({"id": [1, 2], "body": [ARTICLE, ARTICLE]})
    pq.write_table(table, outdir / "no_text_column.parquet")
    cases.append(Case("no_text_column.parquet", FAIL, says="no column 'text'"))
    whole = (outdir / "no_text_column.parquet").read_bytes()
    (outdir / "cut.parquet").write_bytes(whole[: len(whole) // 2])
    cases.append(Case("cut.parquet", FAIL, says="not a Parquet file"))


def _big(outdir: Path, cases: list[Case]) -> None:
    """A 50 MB line (just under the default --max-bytes: cleaned), a 100 MB record
    (over it: rejected), and gzip expanding 1000-fold into a 100 MB line of spaces
    (blank, not a record) between good records."""
    good = json.dumps({"id": 1, "url": "https://example.org/a", "text": ARTICLE}).encode()
    (outdir / "one_line_50mb.txt").write_bytes(b"word " * 9_990_000 + b"end.\n")
    cases.append(Case("one_line_50mb.txt", CLEAN))
    record = json.dumps({"id": "big", "text": "A sentence of the story. " * 4_200_000})
    (outdir / "record_100mb.jsonl").write_bytes(
        good + b"\n" + record.encode() + b"\n" + good + b"\n"
    )
    cases.append(Case("record_100mb.jsonl", PARTIAL, 1, "is over --max-bytes"))
    bomb = gzip.compress(good + b"\n" + b" " * 100_000_000 + b"\n" + good + b"\n", compresslevel=9)
    (outdir / "bomb.jsonl.gz").write_bytes(bomb)
    cases.append(Case("bomb.jsonl.gz", CLEAN))


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    big, only = "--big" in argv, "--only-big" in argv
    cases = make(Path(argv[0]), big=big or only, small=not only)
    for case in cases:
        print(f"{case.expect:8s} {case.name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
