"""Batch runner: find inputs, clean each, write outputs atomically, report failures."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .engine import Cleaner, Result
from .formats import HTML_SUFFIXES, TEXT_SUFFIXES, InputError, decode, is_html

DEFAULT_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES - {".xhtml"}


class UsageError(Exception):
    """A command line that cannot be carried out (exit code 2)."""


@dataclass(frozen=True)
class Job:
    """One input file and where its output goes (None: standard output)."""

    source: Path
    target: Path | None


@dataclass
class Outcome:
    job: Job
    result: Result | None = None
    error: str | None = None


def clean_bytes(cleaner: Cleaner, data: bytes, path: Path | None = None) -> Result:
    """Clean one input given as bytes: text, or HTML through the extractor first."""
    text = decode(data).text
    if is_html(path, text):
        return cleaner.clean_html(text)
    return cleaner.clean(text)


def plan(inputs: list[Path], outdir: Path | None) -> list[Job]:
    """Map inputs to outputs, mirroring folders into OUTDIR with a `.txt` suffix."""
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
            for f in _walk(p):
                jobs.append(Job(f, outdir / f.relative_to(p).with_suffix(".txt")))
        else:
            target = None if outdir is None else outdir / Path(p.name).with_suffix(".txt")
            jobs.append(Job(p, target))
    if outdir is None and len(jobs) > 1:
        raise UsageError("several inputs: give an output folder with -o")
    seen: dict[Path, Path] = {}
    for job in jobs:
        if job.target is None:
            continue
        if job.target in seen:
            raise UsageError(f"{job.source} and {seen[job.target]} would both write {job.target}")
        if job.target.resolve() == job.source.resolve():
            raise UsageError(f"output {job.target} would overwrite its input")
        seen[job.target] = job.source
    return jobs


def _walk(root: Path) -> Iterator[Path]:
    """Files below root with a default suffix, sorted; symlinked folders are not followed."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() in DEFAULT_SUFFIXES:
                yield path


def run_job(cleaner: Cleaner, job: Job) -> Outcome:
    """Clean one file; an unreadable input becomes an error, never an exception."""
    try:
        data = job.source.read_bytes()
    except IsADirectoryError:
        return Outcome(job, error="is a folder, not a file")
    except OSError as exc:
        return Outcome(job, error=f"cannot read: {exc.strerror or exc}")
    try:
        result = clean_bytes(cleaner, data, job.source)
    except InputError as exc:
        return Outcome(job, error=str(exc))
    if job.target is not None:
        try:
            write_atomic(job.target, result.text)
        except OSError as exc:
            return Outcome(job, result, error=f"cannot write {job.target}: {exc.strerror or exc}")
    return Outcome(job, result)


def write_atomic(target: Path, text: str) -> None:
    """Write a file so that it is either absent, old, or complete: temp file, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
