"""`cleaner clean`: its options checked, then the run planned, made and reported."""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import orjson
import typer

from ..engine import Cleaner
from ..io.jsonl import is_jsonl
from ..judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE
from ..record import Fields
from ..run.jobs import JSONL, STDIN, Job, Skipped, UsageError
from ..run.limits import DEFAULT_TIMEOUT_S, Limits, parse_size
from ..run.outputs import write_atomic
from ..run.pipeline import Interrupted, default_jobs, run, stop_on_signals
from ..run.plan import plan
from ..run.profile import Sources
from ..run.settings import Settings
from ..run.shards import parse_shard
from ..run.stats import RunStats
from ..run.writer import OutputFull
from .common import EXIT_FAILED, EXIT_OK, err, fail, make_cleaner
from .options import (
    AfterExtractorOpt,
    CleanFormatOpt,
    CleanIdFieldOpt,
    CleanInputsArg,
    CleanJobsOpt,
    CleanOutputOpt,
    CleanTextFieldOpt,
    CleanUrlFieldOpt,
    CommentsOpt,
    Flagged,
    FlaggedOpt,
    FlatOpt,
    FollowLinksOpt,
    Format,
    KeepTitleOpt,
    LearnOpt,
    MaxBytesOpt,
    MinOpt,
    NoDefaultsOpt,
    OutputFieldOpt,
    ProfileOpt,
    QuietOpt,
    RejectsOpt,
    ResumeOpt,
    RulesOpt,
    ShardOpt,
    ShareOpt,
    SiteOpt,
    StatsOpt,
    TimeoutOpt,
    TraceOpt,
)
from .report import CliReporter, quiet_stdout, summary
from .sites import site_name, site_repeats
from .stdin import clean_stdin

# Formats whose input is records (JSONL lines, crawl pages), even on stdin.
RECORD_FORMATS = (Format.jsonl, Format.wet, Format.warc)


def clean(
    inputs: CleanInputsArg,
    output: CleanOutputOpt = None,
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    keep_title: KeepTitleOpt = False,
    after_extractor: AfterExtractorOpt = None,
    fmt: CleanFormatOpt = Format.auto,
    text_field: CleanTextFieldOpt = "text",
    flat: FlatOpt = False,
    comments: CommentsOpt = False,
    flagged: FlaggedOpt = Flagged.write,
    url_field: CleanUrlFieldOpt = "url",
    id_field: CleanIdFieldOpt = None,
    output_field: OutputFieldOpt = None,
    trace: TraceOpt = False,
    rejects: RejectsOpt = None,
    jobs: CleanJobsOpt = None,
    resume: ResumeOpt = False,
    shard: ShardOpt = None,
    stats_file: StatsOpt = None,
    max_bytes: MaxBytesOpt = "50M",
    timeout: TimeoutOpt = DEFAULT_TIMEOUT_S,
    follow_links: FollowLinksOpt = False,
    quiet: QuietOpt = False,
    profile: ProfileOpt = None,
    learn: LearnOpt = False,
    site: SiteOpt = None,
    site_repeat_share: ShareOpt = SITE_REPEAT_SHARE,
    site_repeat_min: MinOpt = SITE_REPEAT_MIN,
) -> None:
    """Clean files, folders (recursively: .txt, .html, .htm, .jsonl, .jsonl.gz) or stdin."""
    shard_at, limits = run_limits(jobs, shard, max_bytes, timeout, flagged)
    site = site_name(site)
    sources = Sources(text_field, url_field or None, site, fmt == Format.jsonl)
    learned = (inputs, sources, jobs or default_jobs(), quiet) if learn else None
    repeats = site_repeats(profile, site_repeat_share, site_repeat_min, learned)
    cleaner = make_cleaner(
        rules, no_default_rules, keep_title, after_extractor, repeats, site, comments
    )
    if inputs == ["-"] and fmt not in RECORD_FORMATS:
        clean_stdin(cleaner, limits, fmt.value if fmt in (Format.html, Format.text) else None)
        return
    notes: list[Skipped] = []
    planned = plan_jobs(inputs, output, fmt, follow_links, notes)
    if rejects is not None and output is None and rejects.exists() and rejects.is_dir():
        raise fail(f"--rejects {rejects} is a folder")
    fields = Fields(text_field, url_field or None, id_field, output_field, trace)
    settings = Settings(fields, jobs or default_jobs(), resume, shard_at, rejects, limits, flat)
    stats = run_batch(cleaner, planned, settings, notes, output, show_progress(quiet, planned))
    if stats_file is not None:
        write_stats(stats, stats_file)
    if not quiet and (output is not None or any(j.kind == JSONL for j in planned)):
        summary(stats, output)
    raise typer.Exit(EXIT_FAILED if stats.failed else EXIT_OK)


def run_limits(
    jobs: int | None, shard: str | None, max_bytes: str, timeout: float, flagged: Flagged
) -> tuple[tuple[int, int] | None, Limits]:
    """--shard and the per-document limits, checked with --jobs (exit 2 when wrong)."""
    if jobs is not None and jobs < 1:
        raise fail("--jobs must be 1 or more")
    try:
        shard_at = parse_shard(shard) if shard is not None else None
    except UsageError as exc:
        raise fail(str(exc)) from None
    try:
        limits = Limits(parse_size(max_bytes), timeout, flagged.value)
    except ValueError as exc:
        raise fail(f"--max-bytes: {exc}") from None
    if not timeout >= 0:
        raise fail("--timeout must be 0 (no limit) or more")
    return shard_at, limits


def plan_jobs(
    inputs: list[str],
    output: Path | None,
    fmt: Format,
    follow_links: bool,
    notes: list[Skipped],
) -> list[Job]:
    """The jobs of a batch run: records from stdin, or the files of the inputs."""
    if "-" in inputs and inputs != ["-"]:
        raise fail("'-' (standard input) cannot be mixed with files")
    try:
        if inputs == ["-"]:
            if output is not None and not is_jsonl(output):
                raise UsageError("records from stdin go to stdout or to -o FILE.jsonl")
            crawl = "warc" if fmt in (Format.wet, Format.warc) else None
            return (
                [Job(STDIN, None, JSONL, "-", read_as=crawl)]
                if output is None
                else plan([STDIN], output, fmt=fmt.value)
            )
        return plan(
            [Path(p) for p in inputs],
            output,
            fmt=fmt.value,
            follow_links=follow_links,
            skipped=notes,
        )
    except UsageError as exc:
        raise fail(str(exc)) from None


def show_progress(quiet: bool, planned: list[Job]) -> bool:
    """Whether a progress bar is shown: on a terminal, outside CI, for more than one
    document."""
    return (
        not quiet
        and err.is_terminal
        and not os.environ.get("CI")
        and (len(planned) > 1 or any(j.kind == JSONL for j in planned))
    )


def run_batch(
    cleaner: Cleaner,
    planned: list[Job],
    settings: Settings,
    notes: list[Skipped],
    output: Path | None,
    show: bool,
) -> RunStats:
    """The run's statistics; a stop or a failure of the run as a message and an exit."""
    reporter = CliReporter(show)
    try:
        with stop_on_signals():
            try:
                return run(cleaner, planned, settings, reporter, skipped=notes)
            finally:
                reporter.stop()
    except Interrupted as exc:
        quiet_stdout()  # what stdout still buffers is dropped: flushing could block
        if output is None:
            err.print(f"cleaner: stopped by {exc}: standard output is incomplete")
        else:
            err.print(
                f"cleaner: stopped by {exc}: outputs written so far are complete, no partial "
                "file is left; run the same command with --resume to finish"
            )
        raise typer.Exit(exc.exit_code) from None
    except BrokenProcessPool:
        raise fail(
            "a worker process died (out of memory?); no partial file is left", EXIT_FAILED
        ) from None
    except OutputFull as exc:
        raise fail(
            f"{exc}: stopped; outputs written so far are complete, no partial file is left; "
            "make room and run the same command with --resume to finish",
            EXIT_FAILED,
        ) from None
    except BrokenPipeError:
        quiet_stdout()
        raise typer.Exit(EXIT_FAILED) from None


def write_stats(stats: RunStats, stats_file: Path) -> None:
    """--stats: the run's summary as JSON (exit 1 when it cannot be written)."""
    try:
        write_atomic(
            stats_file,
            orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n",
        )
    except OSError as exc:
        raise fail(f"cannot write {stats_file}: {exc.strerror or exc}", EXIT_FAILED) from None
