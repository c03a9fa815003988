"""Site profiles built from inputs: per site, in how many documents each line occurs.

`cleaner profile build` reads files, folders and JSONL, finds each document's site (the
record's URL, an HTML page's canonical URL, or `--site`), cuts the document into the
units the engine judges, and counts each unit's key (`sites.line_key`) once per
document. Documents without a site are counted apart and not pooled: a line cannot
repeat across one document.

The counts go into a `Profile` (`io/site_profile.py`: how counts merge, which sample
texts are kept, the file); chunks of inputs are counted in worker processes and merged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..io.crawl import CrawlError, crawl_chunks, is_crawl
from ..io.formats import HTML_SUFFIXES, TEXT_SUFFIXES, InputError, decode, extract_html, is_html
from ..io.jsonl import is_jsonl, open_input, read_chunks
from ..io.site_profile import Profile, ProfileError
from ..record import RecordError
from ..text.shape import segment
from ..text.site_names import canonical_url, normalize_site, site_of_url
from .limits import DEFAULT_MAX_BYTES
from .records import parse_line

# Work is read and counted in chunks of this many files (or bytes of them).
FILES_PER_CHUNK = 16
CHUNK_FILE_BYTES = 4 << 20
# Chunks in flight per worker process.
IN_FLIGHT_PER_WORKER = 4
INPUT_SUFFIXES = (TEXT_SUFFIXES | HTML_SUFFIXES) - {".xhtml"}


# ---- reading documents ---------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """How to read inputs and find each document's site."""

    text_field: str = "text"
    url_field: str | None = "url"
    site: str | None = None  # for documents with no URL of their own
    jsonl: bool = False  # read files named directly as JSONL whatever their name


def document_site(sources: Sources, url: str | None = None, html: str | None = None) -> str | None:
    """A document's site: its URL's host, else its canonical URL's, else `--site`."""
    site = site_of_url(url)
    if site is None and html is not None:
        site = site_of_url(canonical_url(html))
    return site or normalize_site(sources.site)


def units_of(text: str, html: bool, url: str | None = None) -> list[str]:
    """The texts the engine judges in a document (HTML: after extraction)."""
    if html:
        text = extract_html(text, url).text
    return [u.text for u in segment(text) if u is not None]


@dataclass
class Skipped:
    """Inputs and records that could not be read, with why (the first few)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, where: str, why: str) -> None:
        self.count += 1
        if len(self.examples) < 20:
            self.examples.append(f"{where}: {why}")


@dataclass
class Partial:
    """The work of one chunk: its counts, bytes read, and what was skipped."""

    profile: Profile
    nbytes: int = 0
    skipped: Skipped = field(default_factory=Skipped)


def profile_files(paths: list[Path], sources: Sources) -> Partial:
    """Count a few text or HTML files (a worker's task)."""
    done = Partial(Profile(sample_min=1))
    for path in paths:
        try:
            data = path.read_bytes()
            text = decode(data).text
        except OSError as exc:
            done.skipped.add(str(path), f"cannot read: {exc.strerror or exc}")
            continue
        except InputError as exc:
            done.skipped.add(str(path), str(exc))
            continue
        done.nbytes += len(data)
        html = is_html(path, text)
        site = document_site(sources, None, text if html else None)
        done.profile.add(site, units_of(text, html))
    return done


def _unreadable(where: str, why: str) -> Partial:
    """A chunk that could not be read: nothing counted, the reason kept."""
    done = Partial(Profile(sample_min=1))
    done.skipped.add(where, why)
    return done


def profile_records(lines: list[tuple[int, bytes]], sources: Sources, where: str) -> Partial:
    """Count a chunk of JSONL lines (a worker's task); bad records are skipped."""
    done = Partial(Profile(sample_min=1))
    for no, raw in lines:
        done.nbytes += len(raw) + 1
        try:
            record, _ = parse_line(raw)
        except RecordError as exc:
            done.skipped.add(f"{where}:{no}", str(exc))
            continue
        text = record.get(sources.text_field) if isinstance(record, dict) else None
        if not isinstance(text, str):
            done.skipped.add(f"{where}:{no}", f"no string {sources.text_field!r} field")
            continue
        url = record.get(sources.url_field) if sources.url_field else None
        url = url if isinstance(url, str) and url else None
        html = is_html(None, text)
        site = document_site(sources, url, text if html else None)
        done.profile.add(site, units_of(text, html, url))
    return done


def input_files(inputs: list[Path]) -> list[Path]:
    """Files named, and those below folders (text, HTML, JSONL), in a stable order."""
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            from .inputs import walk_inputs

            out.extend(walk_inputs(p))
        elif p.exists():
            out.append(p)
        else:
            raise ProfileError(f"no such file or folder: {p}")
    return out


Task = tuple[Callable[..., Partial], tuple[Any, ...]]


def _tasks(files: list[Path], sources: Sources, named: set[Path]) -> Iterator[Task]:
    """Chunks of work: a few text or HTML files, or a chunk of a JSONL file's lines
    (JSONL: by name, or any file named directly with `--format jsonl`)."""
    batch: list[Path] = []
    held = 0
    for f in files:
        if is_crawl(f):  # WARC or WET: its pages as records (crawl.py)
            if batch:
                yield profile_files, (batch, sources)
                batch, held = [], 0
            yield from _crawl_tasks(f, sources)
            continue
        if is_jsonl(f) or f in named:
            if batch:
                yield profile_files, (batch, sources)
                batch, held = [], 0
            try:
                lines, raw = open_input(f)
            except OSError as exc:
                yield _unreadable, (str(f), f"cannot read: {exc.strerror or exc}")
                continue
            try:
                # A record over the byte limit is not held whole, nor counted.
                for chunk in read_chunks(lines, raw, max_bytes=DEFAULT_MAX_BYTES):
                    if chunk.oversize is not None:
                        yield _unreadable, (f"{f}:{chunk.oversize.no}", "record over the limit")
                    else:
                        yield profile_records, (chunk.lines, sources, str(f))
            except InputError as exc:  # a broken gzip stream, say: what came before counts
                yield _unreadable, (str(f), str(exc))
            finally:
                lines.close()
                raw.close()
            continue
        batch.append(f)
        with contextlib.suppress(OSError):
            held += f.stat().st_size
        if len(batch) >= FILES_PER_CHUNK or held >= CHUNK_FILE_BYTES:
            yield profile_files, (batch, sources)
            batch, held = [], 0
    if batch:
        yield profile_files, (batch, sources)


def _crawl_tasks(path: Path, sources: Sources) -> Iterator[Task]:
    """A WARC or WET file's pages in chunks of records; a damaged file is named."""
    fields = replace(sources, text_field="text", url_field="url")  # what crawl.py writes
    try:
        with open(path, "rb") as raw:
            for chunk in crawl_chunks(raw, max_bytes=DEFAULT_MAX_BYTES):
                if chunk.oversize is not None:
                    why = chunk.oversize.why or "record over the limit"
                    yield _unreadable, (f"{path}:{chunk.oversize.no}", why)
                else:
                    yield profile_records, (chunk.lines, fields, str(path))
    except CrawlError as exc:
        yield _unreadable, (str(path), str(exc))
    except OSError as exc:
        yield _unreadable, (str(path), f"cannot read: {exc.strerror or exc}")


@dataclass
class Built:
    """A profile built from inputs, with what it read."""

    profile: Profile
    nbytes: int
    skipped: Skipped


def build_profile(
    inputs: list[Path],
    sources: Sources = Sources(),
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Built:
    """Profile files and folders; with `jobs` > 1, chunks are counted in worker processes.

    Chunks are the same whatever `jobs` is, and merged in input order, so the profile
    does not depend on it.
    """
    files = input_files(inputs)
    named = {p for p in inputs if sources.jsonl and not p.is_dir()}
    total = Profile()
    built = Built(total, 0, Skipped())

    def take(part: Partial) -> None:
        total.merge(part.profile)
        built.nbytes += part.nbytes
        built.skipped.count += part.skipped.count
        built.skipped.examples += part.skipped.examples[: 20 - len(built.skipped.examples)]
        if progress is not None:
            progress(part.nbytes)

    try:
        if jobs <= 1:
            for fn, args in _tasks(files, sources, named):
                take(fn(*args))
            return built
        with ProcessPoolExecutor(jobs) as pool:
            pending: list[Future[Partial]] = []
            for fn, args in _tasks(files, sources, named):
                pending.append(pool.submit(fn, *args))
                while len(pending) > jobs * IN_FLIGHT_PER_WORKER:
                    take(pending.pop(0).result())
            for fut in pending:
                take(fut.result())
    except OSError as exc:
        raise ProfileError(f"cannot read: {exc.strerror or exc}") from None
    return built
