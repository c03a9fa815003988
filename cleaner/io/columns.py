"""Parquet in and out (the `parquet` extra, pyarrow): a text column cleaned by batches.

A `.parquet` input is read a record batch at a time; each row's text (`--text-field`),
URL and id go to the workers as the small JSON record `records.py` cleans, and come back
cleaned with their `cleaner` object. The output file has every input column as it was,
the text column replaced by the cleaned text, and the `cleaner` object as a struct
column (or flat `cleaner_*` columns with `--flat`), written a row group per batch, so
memory holds a few batches whatever the file's size. A row whose text is null or not a
string keeps its text and gets a null `cleaner`, and is named as a rejected record.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from .formats import InputError, decode
from .jsonl import CHUNK_RECORDS, FILE_MODE

PARQUET_SUFFIX = ".parquet"
INFO_FIELD = "cleaner"


class ColumnError(Exception):
    """A Parquet input that cannot be cleaned as asked (no such column, not Parquet)."""


def is_parquet(path: Path) -> bool:
    return path.name.lower().endswith(PARQUET_SUFFIX)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ColumnError("Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    return pa, pq


def info_type() -> Any:
    """The `cleaner` struct, typed once so every row group has the same schema."""
    pa, _ = _pyarrow()
    return pa.struct(
        [
            ("title", pa.string()),
            ("removed_lines", pa.int64()),
            ("removed_share", pa.float64()),
            ("words_in", pa.int64()),
            ("words_out", pa.int64()),
            ("flags", pa.list_(pa.string())),
            ("mode", pa.string()),
            ("language", pa.string()),
            ("versions", pa.struct([(k, pa.string()) for k in ("cleaner", "rules", "path")])),
            ("comment_lines", pa.int64()),
        ]
    )


def parquet_batches(
    path: Path,
    text_field: str,
    url_field: str | None,
    id_field: str | None,
    shard: tuple[int, int] | None = None,
    rows: int = CHUNK_RECORDS,
) -> Iterator[tuple[Any, list[tuple[int, bytes]], int]]:
    """(record batch, its rows as small JSON records numbered from 1, bytes of the file
    read so far) for each batch; `shard` (I, N) keeps the rows numbered I modulo N."""
    pa, pq = _pyarrow()
    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ColumnError(f"not a Parquet file: {exc}") from None
    names = source.schema_arrow.names
    if text_field not in names:
        raise ColumnError(f"no column {text_field!r} (columns: {', '.join(names)})")
    size = path.stat().st_size
    total = max(source.metadata.num_rows, 1)
    first = 1
    for batch in _batches(source, rows, pa):
        numbers = range(first, first + batch.num_rows)
        first += batch.num_rows
        keep = [
            i for i, no in enumerate(numbers) if shard is None or (no - 1) % shard[1] == shard[0]
        ]
        if shard is not None:
            batch = batch.take(pa.array(keep, type=pa.int64()))
        cols = {
            "text": pylist(batch.column(text_field)),
            "url": pylist(batch.column(url_field)) if url_field in names else None,
            "id": pylist(batch.column(id_field)) if id_field and id_field in names else None,
        }
        lines = []
        for k, i in enumerate(keep):
            record = {"text": cols["text"][k]}
            for key in ("url", "id"):
                value = cols[key][k] if cols[key] is not None else None
                if isinstance(value, str | int):
                    record[key] = value
            lines.append((numbers[i], orjson.dumps(record, default=str)))
        yield batch, lines, int(size * (first - 1) / total)


def pylist(column: Any) -> list[Any]:
    """A column's values; a string column holding bytes that are not UTF-8 (another
    tool's writing, or damage) is read as text files are, value by value."""
    try:
        return column.to_pylist()
    except UnicodeDecodeError:
        pa, _ = _pyarrow()
        binary = pa.large_binary() if pa.types.is_large_string(column.type) else pa.binary()
        return [None if v is None else _as_text(v) for v in column.cast(binary).to_pylist()]


def _as_text(data: bytes) -> str:
    try:
        return decode(data).text
    except InputError:  # binary: kept readable, its bad bytes replaced
        return data.decode("utf-8", errors="replace")


def _batches(source: Any, rows: int, pa: Any) -> Iterator[Any]:
    """The file's record batches, a row group at a time (a batch never spans two, so
    the rows before a damaged group are read); a damaged group raises ColumnError
    naming its first row, after the batches before it."""
    first = 1
    for group in range(source.num_row_groups):
        batches = source.iter_batches(batch_size=rows, row_groups=[group])
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            except (pa.ArrowException, OSError) as exc:
                message = " ".join(str(exc).split()) or type(exc).__name__
                raise ColumnError(f"damaged Parquet data at row {first}: {message}") from None
            first += batch.num_rows
            yield batch


class ParquetOutput:
    """The output file, written a row group at a time into a temp file beside it and
    renamed once the input is read to its end (like `jsonl.AtomicWriter`)."""

    def __init__(self, target: Path, text_field: str, flat: bool = False) -> None:
        self.pa, self.pq = _pyarrow()
        self.target, self.text_field, self.flat = target, text_field, flat
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        self.tmp = Path(tmp)
        self.writer: Any = None

    def write_batch(
        self, batch: Any, cleaned: bytes, rejected: set[int], numbers: list[int]
    ) -> None:
        """`batch` with its text replaced by the cleaned records in `cleaned` (JSONL, in
        row order, one per row not in `rejected`) and the `cleaner` column added."""
        pa = self.pa
        records = iter(orjson.loads(line) for line in cleaned.splitlines() if line)
        texts: list[Any] = []
        infos: list[dict | None] = []
        original = pylist(batch.column(self.text_field))
        for no, text in zip(numbers, original, strict=True):
            if no in rejected:
                texts.append(text)
                infos.append(None)
                continue
            record = next(records)
            texts.append(record["text"])
            infos.append(record.get(INFO_FIELD))  # none on a row kept as it was
        index = batch.schema.get_field_index(self.text_field)
        text_type = batch.schema.field(index).type
        if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
            text_type = pa.string()
        columns = list(batch.columns)
        names = list(batch.schema.names)
        columns[index] = pa.array(
            [t if isinstance(t, str) else None for t in texts], type=text_type
        )
        info = pa.array(infos, type=info_type())
        if self.flat:  # flatten(): a null struct gives null fields (field() would not)
            for field_no, child in enumerate(info.flatten()):
                names.append(f"{INFO_FIELD}_{info.type.field(field_no).name}")
                columns.append(child)
        else:
            names.append(INFO_FIELD)
            columns.append(info)
        table = pa.Table.from_arrays(columns, names=names)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(str(self.tmp), table.schema)
        self.writer.write_table(table)

    def commit(self) -> None:
        if self.writer is None:  # no rows: an empty file with the input's columns only
            self.pq.write_table(self.pa.table({}), str(self.tmp))
        else:
            self.writer.close()
        os.chmod(self.tmp, FILE_MODE)
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            if self.writer is not None:
                self.writer.close()
        self.tmp.unlink(missing_ok=True)
