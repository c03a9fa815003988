"""Fuzz the Parquet path: rows made from any bytes, written as a Parquet file of small
row groups, then read, cleaned a batch at a time as the workers do, and written back
the way `cleaner clean x.parquet -o y.parquet` does. No exception escapes but
ColumnError (a file that is not Parquet, or is damaged: named, after the rows before
the damage), and nothing is lost: every row comes out once, in order, its other columns
unchanged, its text cleaned as the same record cleans as JSONL, or (null text) kept as
it was with a null `cleaner` and named as rejected.

    python tests/fuzz/fuzz_parquet.py [corpus_dir] -max_total_time=1800
    python tests/fuzz/fuzz_parquet.py --make-seeds DIR   # seeds from the fixtures

The first byte picks the variant: bit 0 a row whose text starts with "\\x01" has a null
text, bit 1 the text column is large_string, bit 2 flat `cleaner_*` columns, bit 3 the
file is damaged (the next two bytes: where; bit 4: cut there, else 64 bytes overwritten).
The rest is split into rows at each "\\x00".
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    import orjson
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cleaner.engine import Cleaner
    from cleaner.io.columns import ColumnError, ParquetOutput, parquet_batches
    from cleaner.record import Fields
    from cleaner.run.records import clean_lines

CLEANER = Cleaner()
ROW_GROUP = 3  # rows per row group in the input file
BATCH = 4  # rows per batch read (not a multiple: batches cross row groups)


def _table(body: bytes, nulls: bool, large: bool) -> pa.Table:
    texts: list[str | None] = []
    for piece in body.split(b"\x00"):
        text = piece.decode("utf-8", errors="replace")
        texts.append(None if nulls and text.startswith("\x01") else text)
    n = len(texts)
    return pa.table(
        {
            "id": pa.array(range(n), type=pa.int64()),
            "text": pa.array(texts, type=pa.large_string() if large else pa.string()),
            "url": pa.array([f"https://s{i % 3}.example.org/{i}" for i in range(n)]),
        }
    )


def _damage(path: Path, where: int, cut: bool) -> None:
    data = path.read_bytes()
    at = where % max(len(data), 1)
    path.write_bytes(data[:at] if cut else data[:at] + b"\xa5" * 64 + data[at + 64 :])


def _clean(src: Path, dst: Path, flat: bool) -> tuple[list[int], bool]:
    """Clean `src` into `dst`; the rows rejected, and whether the file was damaged."""
    out = ParquetOutput(dst, "text", flat)
    rejected: list[int] = []
    try:
        for batch, lines, _pos in parquet_batches(src, "text", "url", "id", rows=BATCH):
            done = clean_lines(CLEANER, lines, Fields(), None)
            numbers = [no for no, _ in lines]
            rejected += [no for no, _, _ in done.rejects]
            out.write_batch(batch, done.out, {no for no, _, _ in done.rejects}, numbers)
    except ColumnError:
        out.commit()
        return rejected, True
    out.commit()
    return rejected, False


def test_one(data: bytes) -> None:
    if len(data) < 3:
        return
    mode, where, body = data[0], int.from_bytes(data[1:3], "big"), data[3:]
    table = _table(body, bool(mode & 1), bool(mode & 2))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.parquet", Path(tmp) / "out.parquet"
        pq.write_table(table, src, row_group_size=ROW_GROUP)
        if mode & 8:
            _damage(src, where, bool(mode & 16))
        rejected, damaged = _clean(src, dst, bool(mode & 4))
        got = pq.read_table(dst) if dst.stat().st_size else None
    rows = got.num_rows if got is not None and got.num_columns else 0
    if not damaged and rows != table.num_rows:
        raise AssertionError(f"{table.num_rows} rows in, {rows} out")
    if not rows:
        return
    assert got is not None
    ids, urls = got.column("id").to_pylist(), got.column("url").to_pylist()
    if ids != list(range(rows)) or urls != table.column("url").to_pylist()[:rows]:
        if not mode & 8:  # a damaged file may read other values: never other rows
            raise AssertionError("the other columns changed, or rows moved")
        if len(ids) != len(set(ids)):
            raise AssertionError("a row came out twice")
        return
    texts_in = table.column("text").to_pylist()
    texts_out = got.column("text").to_pylist()
    info = got.column("cleaner_words_in" if mode & 4 else "cleaner").to_pylist()
    for i in range(rows):
        text = texts_in[i]
        if text is None:
            if texts_out[i] is not None or info[i] is not None or i + 1 not in rejected:
                raise AssertionError(f"row {i + 1}: a null text not kept and named")
            continue
        if info[i] is None:
            raise AssertionError(f"row {i + 1}: no cleaner object")
        if mode & 8:
            continue  # damage may change a text: what it reads as is not known here
        want = CLEANER.clean_record({"text": text, "url": urls[i]})
        if texts_out[i] != want["text"]:
            raise AssertionError(f"row {i + 1}: cleaned {texts_out[i]!r}, not {want['text']!r}")


def make_seeds(folder: Path) -> None:
    """Seeds from the fixtures: a few rows each, in every variant."""
    root = Path(__file__).resolve().parents[2] / "fixtures"
    texts = [p.read_bytes()[:900] for p in sorted(root.glob("*.txt")) if ".expected." not in p.name]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(0, len(texts), 5):
        body = b"\x00".join([*texts[i : i + 5], b"\x01null", orjson.dumps({"a": 1})])
        for mode in (0, 1, 3, 5, 9, 25):
            (folder / f"seed-{i}-{mode}").write_bytes(bytes([mode, i % 256, 77]) + body)


if __name__ == "__main__":
    from entry import fuzz_main  # beside this file

    fuzz_main(test_one, make_seeds)
