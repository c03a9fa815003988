"""Parquet in and out: the text column cleaned by batches, every other column kept."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cleaner import Cleaner  # noqa: E402

from .conftest import FIXTURES  # noqa: E402

TEXTS = [
    p.read_text(encoding="utf-8")
    for p in sorted(FIXTURES.glob("*.txt"))
    if not p.name.endswith(".expected.txt")
][:7]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, timeout=300
    )


def write(path: Path, texts: list[str | None], row_group: int = 3) -> None:
    n = len(texts)
    table = pa.table(
        {
            "doc_id": pa.array(range(n), type=pa.int32()),
            "url": [f"https://news{i % 2}.example.com/{i}" for i in range(n)],
            "body": texts,
            "crawled": [datetime.datetime(2024, 5, 1 + i % 28) for i in range(n)],
            "tags": [["a", "b"][: i % 3] for i in range(n)],
        }
    )
    pq.write_table(table, path, row_group_size=row_group)


def test_parquet_round_trips_rows_columns_and_types(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    write(src, [*TEXTS, None])
    out = tmp_path / "out.parquet"
    got = run("clean", str(src), "-o", str(out), "--text-field", "body", "--jobs", "2")
    assert got.returncode == 1, got.stderr  # the null row is named as rejected
    assert f"{src}:{len(TEXTS) + 1}: 'text' is null" in got.stderr
    before, after = pq.read_table(src), pq.read_table(out)
    assert after.num_rows == before.num_rows
    for name in ("doc_id", "url", "crawled", "tags"):
        assert after.column(name).type == before.column(name).type
        assert after.column(name).to_pylist() == before.column(name).to_pylist()
    plain = Cleaner()
    cleaned = after.column("body").to_pylist()
    urls = before.column("url").to_pylist()
    assert cleaned[:-1] == [plain.clean(t, url=u).text for t, u in zip(TEXTS, urls, strict=False)]
    assert cleaned[-1] is None  # kept as it was
    info = after.column("cleaner").to_pylist()
    assert info[-1] is None and all(i["versions"]["rules"] for i in info[:-1])
    assert [i["words_in"] for i in info[:-1]] == [plain.clean(t).words_in for t in TEXTS]


def test_flat_columns_and_a_folder_of_parquet(tmp_path: Path) -> None:
    (tmp_path / "in" / "a").mkdir(parents=True)
    write(tmp_path / "in" / "a" / "part-0.parquet", [*TEXTS[:4], None])
    got = run(
        "clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--text-field", "body", "--flat"
    )
    assert got.returncode == 1, got.stderr  # the null row is named
    table = pq.read_table(tmp_path / "out" / "a" / "part-0.parquet")
    assert "cleaner" not in table.schema.names
    assert {"cleaner_words_in", "cleaner_flags", "cleaner_title"} <= set(table.schema.names)
    assert table.num_rows == 5
    words = table.column("cleaner_words_in").to_pylist()
    assert words[:4] == [Cleaner().clean(t).words_in for t in TEXTS[:4]]
    assert words[4] is None  # a null row has null flat columns, as its null struct


def test_a_string_column_that_is_not_utf8_is_read_as_text_files_are(tmp_path: Path) -> None:
    """Bytes another tool wrote into a string column unchecked (here cp1252) are decoded
    as a text file's would be, not a crash."""
    body = TEXTS[0].replace("the", "the café", 3).replace("\u20b9", "Rs ")
    raw = pa.array([body.encode("cp1252"), TEXTS[1].encode()], pa.binary())
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": raw.view(pa.string())}), src)
    out = tmp_path / "out.parquet"
    got = run("clean", str(src), "-o", str(out))
    assert got.returncode == 0, got.stderr
    texts = pq.read_table(out).column("text").to_pylist()
    assert texts == [Cleaner().clean(body).text, Cleaner().clean(TEXTS[1]).text]


def test_a_damaged_row_group_keeps_the_rows_before_it(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    write(src, TEXTS[:6], row_group=2)
    meta = pq.ParquetFile(src).metadata
    body = meta.schema.names.index("body")
    at = meta.row_group(2).column(body).data_page_offset
    data = bytearray(src.read_bytes())
    data[at : at + 32] = b"\xa5" * 32
    src.write_bytes(bytes(data))
    out = tmp_path / "out.parquet"
    got = run("clean", str(src), "-o", str(out), "--text-field", "body")
    assert got.returncode == 1 and "Traceback" not in got.stderr
    assert f"{src}: damaged Parquet data at row 5" in got.stderr
    assert "4 records before it written" in got.stderr
    table = pq.read_table(out)
    assert table.column("doc_id").to_pylist() == [0, 1, 2, 3]
    assert table.column("body").to_pylist() == [Cleaner().clean(t).text for t in TEXTS[:4]]


def test_shards_split_the_rows(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    write(src, TEXTS, row_group=2)
    ids = []
    for i in range(2):
        out = tmp_path / f"s{i}.parquet"
        got = run("clean", str(src), "-o", str(out), "--text-field", "body", "--shard", f"{i}/2")
        assert got.returncode == 0, got.stderr
        ids += pq.read_table(out).column("doc_id").to_pylist()
    assert sorted(ids) == list(range(len(TEXTS)))
    done = tmp_path / "s0.parquet"
    before = done.read_bytes()
    again = run("clean", str(src), "-o", str(done), "--text-field", "body", "--resume")
    assert again.returncode == 0 and "1 already done (skipped)" in again.stderr
    assert done.read_bytes() == before


@pytest.mark.parametrize("problem", ["no-column", "not-parquet"])
def test_bad_parquet_is_named_and_leaves_no_output(tmp_path: Path, problem: str) -> None:
    src = tmp_path / "in.parquet"
    if problem == "no-column":
        write(src, TEXTS[:2])  # the text is in "body", not "text"
        says = "no column 'text'"
    else:
        src.write_bytes(b"PAR1 this is not really parquet")
        says = "not a Parquet file"
    out = tmp_path / "out.parquet"
    got = run("clean", str(src), "-o", str(out))
    assert got.returncode == 1 and says in got.stderr and str(src) in got.stderr
    assert "Traceback" not in got.stderr and not out.exists()
    assert not list(tmp_path.glob(".out.parquet.*"))  # no temp file left
