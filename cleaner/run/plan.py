"""Planning a batch: inputs mapped to their outputs (folders mirrored into the output
folder), each output checked to be its input's alone and to overwrite no input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..io.columns import is_parquet
from ..io.crawl import crawl_output_name, is_crawl
from ..io.jsonl import is_jsonl, rejects_path
from .inputs import crawl_read_as, is_records, real_path, walk_tree
from .jobs import JSONL, STDIN, TEXT, Job, Skipped, UsageError


def plan(
    inputs: list[Path],
    outdir: Path | None,
    *,
    fmt: str = "auto",
    follow_links: bool = False,
    skipped: list[Skipped] | None = None,
) -> list[Job]:
    """Map inputs to outputs, mirroring folders into OUTDIR with a `.txt` suffix.

    JSONL inputs (`.jsonl`, `.jsonl.gz`; any file named directly with fmt "jsonl") keep
    their name. An OUTDIR named `*.jsonl` or `*.jsonl.gz` is the output file of a
    single JSONL input. What a folder holds that is not read (pipes, devices, sockets,
    links out of the folder or to folders, folders that cannot be listed) is added to
    `skipped`. A file named directly is read whatever it is (a pipe: `<(zcat f.gz)`).
    """
    if outdir is not None and is_jsonl(outdir) and not outdir.is_dir():
        return [_plan_jsonl_file(inputs, outdir, fmt)]
    if outdir is not None and is_parquet(outdir) and not outdir.is_dir():
        return [_plan_parquet_file(inputs, outdir, fmt)]
    if outdir is not None and _names_a_file(outdir):
        return [_plan_text_file(inputs, outdir, fmt)]
    notes: list[Skipped] = [] if skipped is None else skipped
    jobs: list[Job] = []
    if outdir is not None:
        out_resolved = outdir.resolve()
        for p in inputs:
            if p.is_dir() and out_resolved.is_relative_to(p.resolve()):
                raise UsageError(f"output folder {outdir} is inside input folder {p}")
    for p in inputs:
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"no such file or folder: {p}")
        if p.is_dir():
            if outdir is None:
                raise UsageError(f"{p} is a folder: give an output folder with -o")
            for f in walk_tree(p, follow_links, notes):
                rel = f.relative_to(p)
                target = outdir / _output_name(rel, is_jsonl(f))
                job = _job(f, target, rel.as_posix(), walked=True, root=outdir)
                jobs.append(replace(job, read_as=crawl_read_as(f)))
        else:
            kind_jsonl = is_records(p, fmt)
            target = None if outdir is None else outdir / _output_name(Path(p.name), kind_jsonl)
            job = _job(p, target, p.name, JSONL if kind_jsonl else TEXT, root=outdir)
            read_as = fmt if fmt in ("html", "text") else crawl_read_as(p, fmt)
            jobs.append(replace(job, read_as=read_as))
    if outdir is None and len(jobs) > 1:
        raise UsageError("several inputs: give an output folder with -o")
    return _check_targets(jobs, notes)


def _check_targets(jobs: list[Job], skipped: list[Skipped]) -> list[Job]:
    """The jobs whose output is theirs alone and replaces no input. A file found in a
    folder that breaks this (`a.txt` and `a.html` both make `a.txt`) is left out with an
    error; a file named on the command line stops the run (UsageError)."""
    sources = {real_path(job.source): job.source for job in jobs}
    seen: dict[Path, Path] = {}
    kept = []
    for job in jobs:
        if job.target is None:
            kept.append(job)
            continue
        writes = [job.target] + ([rejects_path(job.target)] if job.kind == JSONL else [])
        clash = next((w for w in writes if w in seen), None)
        real = next((r for r in map(real_path, writes) if r in sources), None)
        if clash is not None:
            why = f"{job.source} and {seen[clash]} would both write {clash}"
        elif real is not None:
            what = "its input" if sources[real] == job.source else f"input {sources[real]}"
            why = f"output {job.target} would overwrite {what}"
        else:
            seen.update(dict.fromkeys(writes, job.source))
            kept.append(job)
            continue
        if not job.walked:
            raise UsageError(why)
        skipped.append(Skipped(job.source, f"not cleaned: {why}", error=True))
    return kept


def _plan_jsonl_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o out.jsonl`: a single JSONL input (or stdin) into one file."""
    if len(inputs) != 1 or inputs[0].is_dir():
        raise UsageError(f"-o {target} is a JSONL file: give one JSONL input, or an output folder")
    p = inputs[0]
    if p == STDIN:
        return Job(STDIN, target, JSONL, "-", read_as=crawl_read_as(p, fmt))
    if not is_records(p, fmt):
        raise UsageError(
            f"-o {target} is a JSONL file but {p} is not JSONL, WARC or WET (see --format)"
        )
    if not p.exists():
        raise UsageError(f"no such file or folder: {p}")
    if real_path(p) == real_path(target):
        raise UsageError(f"output {target} would overwrite its input")
    return replace(_job(p, target, p.name, JSONL), read_as=crawl_read_as(p, fmt))


# An -o with one of these suffixes (or an existing file) is the output file of one input.
OUTPUT_FILE_SUFFIXES = frozenset({".txt", ".text", ".md"})


def _names_a_file(output: Path) -> bool:
    """Whether `-o` names a file rather than a folder."""
    if output.is_dir():
        return False
    return output.exists() or output.suffix.lower() in OUTPUT_FILE_SUFFIXES


def _plan_parquet_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o out.parquet`: a single Parquet input into one file."""
    if len(inputs) != 1 or inputs[0].is_dir() or inputs[0] == STDIN:
        raise UsageError(f"-o {target} is a Parquet file: give one Parquet input")
    p = inputs[0]
    if crawl_read_as(p, fmt) != "parquet":
        raise UsageError(f"-o {target} is a Parquet file but {p} is not Parquet (see --format)")
    if not p.exists():
        raise UsageError(f"no such file or folder: {p}")
    if real_path(p) == real_path(target):
        raise UsageError(f"output {target} would overwrite its input")
    return replace(_job(p, target, p.name, JSONL), read_as="parquet")


def _plan_text_file(inputs: list[Path], target: Path, fmt: str) -> Job:
    """The one job of `-o body.txt`: a single text or HTML input into that file."""
    if len(inputs) != 1 or inputs[0].is_dir():
        what = "a folder needs" if len(inputs) == 1 else "several inputs need"
        raise UsageError(f"-o {target} is a file, not a folder: {what} an output folder")
    p = inputs[0]
    if is_records(p, fmt):
        raise UsageError(
            f"-o {target} is not a JSONL file but {p} holds records (use -o out.jsonl)"
        )
    if not p.exists() and not p.is_symlink():
        raise UsageError(f"no such file or folder: {p}")
    if real_path(p) == real_path(target):
        raise UsageError(f"output {target} would overwrite its input")
    job = _job(p, target, p.name, TEXT)
    return replace(job, read_as=fmt) if fmt in ("html", "text") else job


def _job(
    source: Path,
    target: Path | None,
    key: str,
    kind: str | None = None,
    *,
    walked: bool = False,
    root: Path | None = None,
) -> Job:
    try:
        size = source.stat().st_size
    except OSError:
        size = 0
    kind = kind or (JSONL if is_records(source) else TEXT)
    return Job(source, target, kind, key, size, walked, root)


def _output_name(rel: Path, jsonl: bool) -> Path:
    """A text input's output is `.txt`; a JSONL input's keeps its name (and gzip); a
    WARC or WET file's records go to `.jsonl.gz`."""
    if rel.is_absolute() or ".." in rel.parts:
        raise UsageError(f"{rel}: an input name that would leave the output folder")
    if is_crawl(rel):
        return rel.with_name(crawl_output_name(rel.name))
    return rel if jsonl or is_parquet(rel) else rel.with_suffix(".txt")
