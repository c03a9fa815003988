"""Command line: `cleaner clean`, `cleaner explain`, `cleaner rules list|show|check|suggest`,
`cleaner profile build|merge|show`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.markup import escape

from . import __version__, accel
from .engine import FLAG_EMPTIED, Cleaner, Result
from .io.crawl import CrawlError, crawl_lines, is_crawl
from .io.formats import InputError
from .io.jsonl import is_jsonl
from .judge.document import Veto
from .judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE, SiteRepeats, site_of_url, valid_site
from .ruleset.checks import check_examples
from .ruleset.load import Rule, RuleSetError, load_ruleset
from .ruleset.matching import CompiledRules
from .run.batch import (
    JSONL,
    STDIN,
    Job,
    Skipped,
    UsageError,
    clean_bytes,
    parse_shard,
    plan,
    shown,
    walk_inputs,
    write_atomic,
)
from .run.limits import (
    DEFAULT_TIMEOUT_S,
    DocumentTimeout,
    Limits,
    deadline,
    describe_size,
    parse_size,
)
from .run.pipeline import (
    Interrupted,
    OutputFull,
    Reporter,
    Settings,
    default_jobs,
    run,
    stop_on_signals,
)
from .run.profile import Profile, ProfileError, Sources, build_profile
from .run.records import Fields, RecordError, record_result
from .run.stats import RunStats

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="cleaner",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Strip aggregator and site boilerplate from scraped news and web text.",
)
rules_app = typer.Typer(no_args_is_help=True, help="List, show and check rule files.")
app.add_typer(rules_app, name="rules")

err = Console(stderr=True, highlight=False, soft_wrap=True)

RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule file or folder (repeatable).", show_default=False),
]
NoDefaultsOpt = Annotated[
    bool, typer.Option("--no-default-rules", help="Use only the rules given with --rules.")
]
KeepTitleOpt = Annotated[bool, typer.Option("--keep-title", help="Put the headline back on top.")]
AfterExtractorOpt = Annotated[
    bool | None,
    typer.Option(
        "--after-extractor/--full-page",
        help="Input is an extractor's output (light structure) or a full page "
        "[default: decided per document].",
        show_default=False,
    ),
]
ProfileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="A site profile (cleaner profile build): drop lines repeated across "
        "many pages of their site (structure.site-repeat).",
        show_default=False,
    ),
]
SiteOpt = Annotated[
    str | None,
    typer.Option(
        "--site",
        help="The site (host, or a URL) of documents whose URL does not say "
        "[default: none: such documents are not pooled].",
        show_default=False,
    ),
]
ShareOpt = Annotated[
    float,
    typer.Option(
        "--site-repeat-share",
        help="With a profile: a line goes when in this share of its site's documents...",
    ),
]
MinOpt = Annotated[
    int,
    typer.Option("--site-repeat-min", help="...and in at least this many of them."),
]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"cleaner: error: {escape(shown(message))}")
    return typer.Exit(code)


def _cleaner(
    rules: list[Path] | None,
    no_default_rules: bool,
    keep_title: bool = False,
    after_extractor: bool | None = None,
    site_repeats: SiteRepeats | None = None,
    site: str | None = None,
    comments: bool = False,
) -> Cleaner:
    if no_default_rules and not rules:
        raise _fail("--no-default-rules needs at least one --rules PATH")
    try:
        return Cleaner(
            rules or [],
            default_rules=not no_default_rules,
            keep_title=keep_title,
            after_extractor=after_extractor,
            profile=site_repeats,
            site=site,
            comments=comments,
        )
    except RuleSetError as exc:
        for e in exc.errors:
            err.print(f"cleaner: rule error: {escape(str(e))}")
        raise typer.Exit(EXIT_USAGE) from None


def _version(value: bool) -> None:
    if value:
        print(f"cleaner {__version__} ({accel.describe()})")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Strip aggregator and site boilerplate from scraped news and web text."""


class Flagged(StrEnum):
    write = "write"
    keep = "keep"
    reject = "reject"


class Format(StrEnum):
    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"
    wet = "wet"
    warc = "warc"
    parquet = "parquet"


@app.command()
def clean(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders to clean; - for stdin.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Output folder (mirrors input folders), or a .jsonl / .jsonl.gz file "
            "for one JSONL input.",
        ),
    ] = None,
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    keep_title: KeepTitleOpt = False,
    after_extractor: AfterExtractorOpt = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="Input format of stdin and of files named directly; auto: JSONL for "
            ".jsonl and .jsonl.gz, WARC/WET records for .warc(.gz) and .warc.wet(.gz), "
            "HTML for .html and .htm, text for .txt, else HTML when it reads as a page "
            "or fragment, text otherwise.",
        ),
    ] = Format.auto,
    text_field: Annotated[
        str,
        typer.Option("--text-field", help="JSONL and Parquet: the field holding the text."),
    ] = "text",
    flat: Annotated[
        bool,
        typer.Option(
            "--flat", help="Parquet: flat cleaner_* columns instead of one cleaner struct."
        ),
    ] = False,
    comments: Annotated[
        bool,
        typer.Option(
            "--comments",
            help="HTML: keep the page's reader comments after the body (counted in "
            "cleaner.comment_lines); by default they are dropped.",
        ),
    ] = False,
    flagged: Annotated[
        Flagged,
        typer.Option(
            "--flagged",
            help="A document flagged emptied or most-removed: write its cleaned body (and "
            "say so), keep it uncleaned, or reject it (records: to the rejects file).",
        ),
    ] = Flagged.write,
    url_field: Annotated[
        str, typer.Option("--url-field", help="JSONL: the field holding the URL, if present.")
    ] = "url",
    id_field: Annotated[
        str | None,
        typer.Option(
            "--id-field",
            help="JSONL: the record id, named in messages; --shard hashes it.",
            show_default=False,
        ),
    ] = None,
    output_field: Annotated[
        str | None,
        typer.Option(
            "--output-field",
            help="JSONL: write the cleaned text to this field [default: the text field].",
            show_default=False,
        ),
    ] = None,
    trace: Annotated[
        bool, typer.Option("--trace", help="JSONL: list every removal in the record.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="JSONL: write bad lines, unchanged, to this file "
            "[default: OUTPUT.rejects.jsonl beside each output].",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes [default: all cores]; 1: none.",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip inputs whose output already exists.")
    ] = False,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="I/N: clean only the I-th (from 0) of N disjoint parts "
            "of the inputs, or of one JSONL input's records.",
            show_default=False,
        ),
    ] = None,
    stats_file: Annotated[
        Path | None,
        typer.Option(
            "--stats", help="Write the run's summary to this file as JSON.", show_default=False
        ),
    ] = None,
    max_bytes: Annotated[
        str,
        typer.Option(
            "--max-bytes",
            help="Largest document cleaned: a file, or a JSONL line (k, M, G: powers of "
            "1000; 0: no limit). A larger file is written unchanged, a larger line rejected.",
        ),
    ] = "50M",
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="CPU seconds one document may take (0: no limit). A slower file is "
            "written unchanged, a slower record rejected.",
        ),
    ] = DEFAULT_TIMEOUT_S,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links",
            help="In folders, follow links to folders and to files outside the folder "
            "(loops are cut) [default: not followed, each named on stderr].",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Report errors only.")] = False,
    profile: ProfileOpt = None,
    learn: Annotated[
        bool,
        typer.Option(
            "--learn",
            help="Profile the inputs first, then clean them with that profile "
            "(two passes; with --shard, the profile still covers every input).",
        ),
    ] = False,
    site: SiteOpt = None,
    site_repeat_share: ShareOpt = SITE_REPEAT_SHARE,
    site_repeat_min: MinOpt = SITE_REPEAT_MIN,
) -> None:
    """Clean files, folders (recursively: .txt, .html, .htm, .jsonl, .jsonl.gz) or stdin."""
    if jobs is not None and jobs < 1:
        raise _fail("--jobs must be 1 or more")
    try:
        shard_at = parse_shard(shard) if shard is not None else None
    except UsageError as exc:
        raise _fail(str(exc)) from None
    try:
        limits = Limits(parse_size(max_bytes), timeout, flagged.value)
    except ValueError as exc:
        raise _fail(f"--max-bytes: {exc}") from None
    if not timeout >= 0:
        raise _fail("--timeout must be 0 (no limit) or more")
    site = _site_name(site)
    sources = Sources(text_field, url_field or None, site, fmt == Format.jsonl)
    learned = (inputs, sources, jobs or default_jobs(), quiet) if learn else None
    repeats = _site_repeats(profile, site_repeat_share, site_repeat_min, learned)
    cleaner = _cleaner(
        rules, no_default_rules, keep_title, after_extractor, repeats, site, comments
    )
    records_in = fmt in (Format.jsonl, Format.wet, Format.warc)
    if inputs == ["-"] and not records_in:
        _clean_stdin(cleaner, limits, fmt.value if fmt in (Format.html, Format.text) else None)
        return
    if "-" in inputs and inputs != ["-"]:
        raise _fail("'-' (standard input) cannot be mixed with files")
    notes: list[Skipped] = []
    try:
        if inputs == ["-"]:
            if output is not None and not is_jsonl(output):
                raise UsageError("records from stdin go to stdout or to -o FILE.jsonl")
            crawl = "warc" if fmt in (Format.wet, Format.warc) else None
            planned = (
                [Job(STDIN, None, JSONL, "-", read_as=crawl)]
                if output is None
                else plan([STDIN], output, fmt=fmt.value)
            )
        else:
            planned = plan(
                [Path(p) for p in inputs],
                output,
                fmt=fmt.value,
                follow_links=follow_links,
                skipped=notes,
            )
    except UsageError as exc:
        raise _fail(str(exc)) from None
    if rejects is not None and output is None and rejects.exists() and rejects.is_dir():
        raise _fail(f"--rejects {rejects} is a folder")
    fields = Fields(text_field, url_field or None, id_field, output_field, trace)
    settings = Settings(fields, jobs or default_jobs(), resume, shard_at, rejects, limits, flat)
    show = (
        not quiet
        and err.is_terminal
        and not os.environ.get("CI")
        and (len(planned) > 1 or any(j.kind == JSONL for j in planned))
    )
    reporter = _CliReporter(show)
    try:
        with stop_on_signals():
            try:
                stats = run(cleaner, planned, settings, reporter, skipped=notes)
            finally:
                reporter.stop()
    except Interrupted as exc:
        _quiet_stdout()  # what stdout still buffers is dropped: flushing could block
        if output is None:
            err.print(f"cleaner: stopped by {exc}: standard output is incomplete")
        else:
            err.print(
                f"cleaner: stopped by {exc}: outputs written so far are complete, no partial "
                "file is left; run the same command with --resume to finish"
            )
        raise typer.Exit(exc.exit_code) from None
    except BrokenProcessPool:
        raise _fail(
            "a worker process died (out of memory?); no partial file is left", EXIT_FAILED
        ) from None
    except OutputFull as exc:
        raise _fail(
            f"{exc}: stopped; outputs written so far are complete, no partial file is left; "
            "make room and run the same command with --resume to finish",
            EXIT_FAILED,
        ) from None
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(EXIT_FAILED) from None
    if stats_file is not None:
        try:
            write_atomic(
                stats_file,
                orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n",
            )
        except OSError as exc:
            raise _fail(f"cannot write {stats_file}: {exc.strerror or exc}", EXIT_FAILED) from None
    if not quiet and (output is not None or any(j.kind == JSONL for j in planned)):
        _summary(stats, output)
    raise typer.Exit(EXIT_FAILED if stats.failed else EXIT_OK)


# At most this many errors are printed one by one; the summary counts them all.
MAX_ERRORS_SHOWN = 1000


class _CliReporter(Reporter):
    """Errors and flags on stderr; a progress bar when stderr is a terminal."""

    def __init__(self, show_progress: bool) -> None:
        self.show = show_progress
        self.progress = None
        self.task = None
        self.documents = 0
        self.errors = 0

    def start(self, total_bytes: int | None, inputs: int) -> None:
        if not self.show:
            return
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.fields[documents]} documents"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self.task = self.progress.add_task("clean", total=total_bytes, documents=0)
        self.progress.start()

    def advance(self, documents: int, nbytes: int) -> None:
        self.documents += documents
        if self.progress is not None:
            self.progress.update(self.task, advance=nbytes, documents=f"{self.documents:,}")

    def error(self, where: str, message: str) -> None:
        self._say("error", where, message)

    def skipped(self, where: str, why: str) -> None:
        self._say("skipped", where, why)

    def passed(self, where: str, why: str) -> None:
        self._say("warning", where, f"{why}: passed through unchanged")

    def _say(self, what: str, where: str, message: str) -> None:
        """One line on stderr, names escaped; past MAX_ERRORS_SHOWN, only counted."""
        self.errors += 1
        if self.errors <= MAX_ERRORS_SHOWN:
            err.print(f"cleaner: {what}: {escape(shown(where))}: {escape(shown(message))}")
        elif self.errors == MAX_ERRORS_SHOWN + 1:
            err.print("cleaner: more errors are not shown (the summary counts them)")

    def flagged(self, where: str, flags: list[str]) -> None:
        _report_flags(Job(Path(where), None), flags)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _summary(stats: RunStats, output: Path | None) -> None:
    """The end-of-run summary on stderr: what was done, removed, flagged and failed."""
    t = stats.tally
    where = f" into {escape(shown(str(output)))}" if output is not None else ""
    parts = [f"{stats.inputs_done} of {stats.inputs} inputs cleaned{where}"]
    if stats.inputs_skipped:
        parts.append(f"{stats.inputs_skipped} already done (skipped)")
    parts.append(f"{stats.inputs_failed} failed")
    if stats.inputs_passed:
        parts.append(f"{stats.inputs_passed} passed through unchanged (too large or slow)")
    if stats.records_rejected:
        parts.append(f"{stats.records_rejected} records rejected")
    if stats.paths_skipped:
        parts.append(f"{stats.paths_skipped} paths in folders not read (pipes, links, ...)")
    err.print("cleaner: " + ", ".join(parts))
    err.print(
        f"cleaner: {t.documents:,} documents, {_mb(t.bytes_in)} in, {_mb(t.bytes_out)} out, "
        f"{t.removed_share:.1%} of words removed, {t.flagged} flagged, "
        f"{stats.seconds:.1f} s ({_mb(t.bytes_in / stats.seconds if stats.seconds else 0)}/s)"
    )
    if t.html_documents:
        err.print(
            f"cleaner: HTML: {t.html_documents:,} pages, {t.html_page_share:.1%} of the "
            f"pages' text removed ({t.html_extractor_share:.1%} by the extractor), "
            f"{t.html_extracted_share:.1%} of the extracted text"
        )
    top = stats.top_rules(5)
    if top:
        err.print("cleaner: top rules: " + ", ".join(f"{escape(k)} {v:,}" for k, v in top))


def _mb(n: float) -> str:
    """A size for people: kB below a megabyte, else MB or GB."""
    if n < 1e6:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB" if n < 1e9 else f"{n / 1e9:.2f} GB"


def _quiet_stdout() -> None:
    """After a closed pipe (`| head`) or a stop, send what is left for stdout nowhere."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, embedding)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _report_flags(job: Job, flags: list[str]) -> None:
    what = "every line was removed" if FLAG_EMPTIED in flags else "most of its text was removed"
    err.print(f"cleaner: warning: {escape(shown(str(job.source)))}: {what} ({', '.join(flags)})")


def _clean_stdin(cleaner: Cleaner, limits: Limits, read_as: str | None = None) -> None:
    """One document from standard input to standard output; one too large or too slow
    goes through unchanged (exit 1)."""
    stream = sys.stdin.buffer
    data = stream.read(limits.max_bytes + 1) if limits.max_bytes else stream.read()
    passed = None
    if limits.over(len(data)):
        passed = f"more than --max-bytes {describe_size(limits.max_bytes)}"
    else:
        try:
            with deadline(limits.timeout):
                result = clean_bytes(cleaner, data, None, read_as)
        except DocumentTimeout:
            passed = f"took over --timeout {limits.timeout:g} s of CPU time"
        except InputError as exc:
            raise _fail(f"<stdin>: {exc}", EXIT_FAILED) from None
    if passed is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        while block := stream.read(1 << 20):
            sys.stdout.buffer.write(block)
        sys.stdout.buffer.flush()
        err.print(f"cleaner: warning: <stdin>: {passed}: passed through unchanged")
        raise typer.Exit(EXIT_FAILED)
    if result.flags and limits.flagged != "write":
        what = f"flagged {', '.join(result.flags)}"
        if limits.flagged == "reject":
            raise _fail(f"<stdin>: {what}: not written (--flagged reject)", EXIT_FAILED)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        err.print(f"cleaner: warning: <stdin>: {what}: kept uncleaned (--flagged keep)")
        return
    sys.stdout.write(result.text)
    if result.flags:
        _report_flags(Job(Path("<stdin>"), None), result.flags)


# Kept lines are shortened to this many characters unless --full.
EXPLAIN_KEPT_CHARS = 90
_STATUS_STYLE = {"keep": "", "drop": "red", "title": "cyan", "strip": "yellow"}
_STATUS_MARK = {"keep": " ", "drop": "-", "title": "T", "strip": "~"}


@app.command()
def explain(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files or folders to explain (.jsonl: each record); - for stdin."),
    ],
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    keep_title: KeepTitleOpt = False,
    after_extractor: AfterExtractorOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Show kept lines whole.")] = False,
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="JSONL: explain only the record with this id.", show_default=False
        ),
    ] = None,
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL: the field holding the text.")
    ] = "text",
    id_field: Annotated[str, typer.Option("--id-field", help="JSONL: the id field.")] = "id",
    profile: ProfileOpt = None,
    site: SiteOpt = None,
    site_repeat_share: ShareOpt = SITE_REPEAT_SHARE,
    site_repeat_min: MinOpt = SITE_REPEAT_MIN,
) -> None:
    """Show every line kept or removed, with the rule or heuristic that removed it."""
    site = _site_name(site)
    repeats = _site_repeats(profile, site_repeat_share, site_repeat_min)
    cleaner = _cleaner(
        rules,
        no_default_rules,
        keep_title,
        after_extractor=after_extractor,
        site_repeats=repeats,
        site=site,
    )
    for arg in inputs:
        if arg != "-" and not Path(arg).exists():
            raise _fail(f"no such file or folder: {arg}")
    out = Console(highlight=False, soft_wrap=True)
    # One plain file prints as it always has; more documents get a header each.
    many = len(inputs) > 1 or any(
        a != "-" and (Path(a).is_dir() or is_jsonl(Path(a)) or is_crawl(Path(a))) for a in inputs
    )
    shown = 0
    failed = False
    for where, result in _explained(cleaner, inputs, record_id, text_field, id_field):
        if isinstance(result, str):  # an input that could not be read or cleaned
            err.print(f"cleaner: error: {escape(where)}: {escape(result)}")
            failed = True
            continue
        if many:
            out.print(f"== {escape(where)}")
        shown += 1
        _print_explained(out, result, full)
    if record_id is not None and not shown and not failed:
        raise _fail(f"no record with {id_field} {record_id!r}")
    if failed:
        raise typer.Exit(EXIT_FAILED)


def _explained(
    cleaner: Cleaner, inputs: list[str], record_id: str | None, text_field: str, id_field: str
) -> Iterator[tuple[str, object]]:
    """Each document of the inputs with its result, or the reason it has none: files,
    the files of folders (as `cleaner clean` finds them), JSONL records one by one."""
    for arg in inputs:
        if arg == "-":
            yield "<stdin>", _explain_bytes(cleaner, sys.stdin.buffer.read(), None)
            continue
        path = Path(arg)
        files = list(walk_inputs(path)) if path.is_dir() else [path]
        for f in files:
            if is_jsonl(f) or is_crawl(f):
                yield from _explained_records(cleaner, f, record_id, text_field, id_field)
                continue
            try:
                data = f.read_bytes()
            except OSError as exc:
                yield str(f), f"cannot read: {exc.strerror or exc}"
                continue
            yield str(f), _explain_bytes(cleaner, data, f)


def _explain_bytes(cleaner: Cleaner, data: bytes, path: Path | None) -> object:
    try:
        return clean_bytes(cleaner, data, path)
    except InputError as exc:
        return str(exc)


def _explained_records(
    cleaner: Cleaner, path: Path, record_id: str | None, text_field: str, id_field: str
) -> Iterator[tuple[str, object]]:
    """The records of a JSONL file (plain or gzip) by line number and id, or the pages
    of a WARC or WET file by record number and WARC-Record-ID."""
    import gzip

    crawl = is_crawl(path)
    opener = gzip.open if path.name.endswith(".gz") and not crawl else open
    if crawl:
        text_field, id_field = "text", "id"  # what crawl.py makes of a page
    fields = Fields(text_field, "url", id_field, None, False)
    try:
        with opener(path, "rb") as fh:
            lines = (
                ((no, line) for no, line, *_ in crawl_lines(fh) if line is not None)
                if crawl
                else enumerate(fh, start=1)
            )
            for no, raw in lines:
                if not raw.strip():
                    continue
                try:
                    record = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    if record_id is None:  # looking for one record: the others are not ours
                        yield f"{path}:{no}", f"not JSON: {exc}"
                    continue
                rid = record.get(id_field) if isinstance(record, dict) else None
                if record_id is not None and str(rid) != record_id:
                    continue
                where = f"{path}:{no}" + (f" ({id_field} {rid})" if rid is not None else "")
                try:
                    yield where, record_result(cleaner, record, fields)
                except RecordError as exc:
                    yield where, str(exc)
    except CrawlError as exc:
        yield str(path), str(exc)
    except (OSError, EOFError) as exc:
        yield str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def _print_explained(out: Console, result: Result, full: bool) -> None:
    """One document's verdicts, line by line (a vetoed guess under the line it was
    about), and its summary line."""
    vetoes: dict[int, list[Veto]] = {}
    for veto in result.vetoes:
        vetoes.setdefault(veto.line, []).append(veto)
    for v in result.verdicts:
        if v.status == "blank":
            continue
        style = _STATUS_STYLE[v.status]
        why = f"  [{v.by}]" if v.by else ""
        detail = f" ({v.detail})" if v.detail and v.status != "strip" else ""
        extra = f"  stripped: {v.detail!r}" if v.status == "strip" else ""
        shown = v.text
        if v.status == "keep" and not full and len(shown) > EXPLAIN_KEPT_CHARS:
            shown = shown[: EXPLAIN_KEPT_CHARS - 1] + "…"
        text = f"{v.line:>4} {_STATUS_MARK[v.status]} {shown}"
        line = escape(text) + escape(why + detail + extra)
        out.print(f"[{style}]{line}[/{style}]" if style else line)
        for veto in vetoes.get(v.line, ()):
            out.print(f"[yellow]{escape(f'       ! {veto.by}: vetoed ({veto.reason})')}[/yellow]")
    removed = result.removed_lines
    flags = f", flags: {', '.join(result.flags)}" if result.flags else ""
    if result.vetoes:
        flags += f", {len(result.vetoes)} vetoed"
    share = f"{result.removed_share:.0%}"
    why = f" ({escape(result.mode_reason)})" if result.mode_reason else ""
    out.print(
        f"-- {result.mode} structure{why}, language {result.language or 'unknown'}: "
        f"{removed} lines removed, {share} of words{flags}"
        + (f"; title: {escape(result.title)}" if result.title else "")
    )


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, no_default_rules: NoDefaultsOpt = False) -> None:
    """List every loaded rule: id, family, languages, and what it does."""
    cleaner = _cleaner(rules, no_default_rules)
    out = Console(highlight=False, soft_wrap=True)
    for f in cleaner.ruleset.files:
        out.print(f"# {escape(f.path)} ({escape(f.title)}, v{f.version}, {','.join(f.languages)})")
        for r in f.rules:
            out.print(f"{r.id:<45} {r.action:<8} {escape(r.description)}")
    out.print(
        f"-- {len(cleaner.ruleset.rules)} rules, {len(cleaner.ruleset.allows)} allow entries"
        f" in {len(cleaner.ruleset.files)} files"
    )


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule or allow id.")],
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
) -> None:
    """Explain one rule: what it matches, where, what it does, and its examples."""
    cleaner = _cleaner(rules, no_default_rules)
    item = cleaner.ruleset.get(rule_id)
    if item is None:
        raise _fail(f"no rule with id {rule_id!r} (see `cleaner rules list`)")
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{escape(item.id)}: {escape(item.description)}")
    out.print(f"  file: {escape(item.path)}")
    if isinstance(item, Rule):
        out.print(f"  matches: {item.kind}")
        for p in item.phrases:
            out.print(f"    {escape(p)}")
        for p in filter(None, (item.regex, item.span)):
            out.print(f"    {escape(p)}")
        out.print(
            f"  where: {', '.join(sorted(item.where))}; action: {item.action}"
            + (f"; max words: {item.max_words}" if item.max_words else "")
        )
        if item.domains or item.not_domains:
            scope = f"only {', '.join(item.domains)}" if item.domains else "all sites"
            but = f", not {', '.join(item.not_domains)}" if item.not_domains else ""
            out.print(f"  sites: {escape(scope + but)}")
        examples = [("junk", item.junk), ("keep", item.keep)]
    else:
        out.print(f"  protects from: {', '.join(item.rules)}")
        for p in (*item.phrases, *filter(None, [item.regex])):
            out.print(f"    {escape(p)}")
        examples = [("keep", item.keep)]
    for label, lines in examples:
        for ex in lines:
            out.print(f"  {label}: {escape(ex)}")


@rules_app.command("check")
def rules_check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Rule files or folders (default: the defaults).")
    ] = None,
    no_default_rules: NoDefaultsOpt = False,
    cost: Annotated[
        list[Path] | None,
        typer.Option(
            "--cost",
            help="Sample text (file or folder, repeatable; .jsonl: its text fields): "
            "also print what each pattern costs on it.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Patterns shown with --cost.")] = 15,
) -> None:
    """Validate rule files and run every example in them (exit 2 on any problem)."""
    try:
        ruleset = load_ruleset(
            paths or [], default_rules=not (paths and no_default_rules), stress_defaults=True
        )
    except RuleSetError as exc:
        for e in exc.errors:
            err.print(f"cleaner: rule error: {escape(str(e))}")
        raise typer.Exit(EXIT_USAGE) from None
    compiled = CompiledRules(ruleset)
    failures = check_examples(compiled)
    for e in failures:
        err.print(f"cleaner: rule error: {escape(str(e))}")
    n_examples = sum(len(r.junk) + len(r.keep) for r in ruleset.rules)
    n_examples += sum(len(a.keep) for a in ruleset.allows)
    summary = (
        f"{len(ruleset.files)} files, {len(ruleset.rules)} rules, "
        f"{len(ruleset.allows)} allow entries, {n_examples} examples"
    )
    if failures:
        err.print(f"cleaner: {len(failures)} problems in {summary}")
        raise typer.Exit(EXIT_USAGE)
    print(f"ok: {summary}")
    if cost:
        _print_costs(compiled, cost, top)


def _print_costs(compiled: CompiledRules, samples: list[Path], top: int) -> None:
    """The costliest patterns on the sample texts (see rulecost.py)."""
    from .run.rule_cost import pattern_costs, sample_texts

    try:
        table = pattern_costs(compiled, sample_texts(samples))
    except OSError as exc:
        raise _fail(f"{exc.filename}: cannot read: {exc.strerror or exc}", EXIT_FAILED) from None
    total = table.seconds or 1e-9
    print(
        f"cost on {table.documents} documents, {table.lines} lines: "
        f"{1e3 * table.seconds:.1f} ms in patterns, {1e6 * table.seconds / max(table.lines, 1):.2f}"
        " µs a line"
    )
    print(
        f"{'rule':<44} {'kind':<5} {'tried':>8} {'matched':>8} {'µs/try':>8} {'ms':>8} {'share':>6}"
    )
    for c in table.top(top):
        slow = f"  ({c.timeouts} timeouts)" if c.timeouts else ""
        print(
            f"{c.id:<44} {c.kind:<5} {c.tried:>8} {c.matched:>8} {c.us_per_line:>8.2f} "
            f"{1e3 * c.seconds:>8.1f} {c.seconds / total:>6.1%}{slow}"
        )


# ---- site profiles -------------------------------------------------------------------

profile_app = typer.Typer(
    no_args_is_help=True,
    help="Build, merge and show site profiles: per site, in how many documents each line occurs.",
)
app.add_typer(profile_app, name="profile")


def _site_name(site: str | None) -> str | None:
    """--site as a site name: a host or a URL's host, lower-case, without www."""
    if site is None:
        return None
    name = site_of_url(site)
    if name is None or not valid_site(name):
        raise _fail(f"--site {site!r}: give a host such as news.example.com, or a URL")
    return name


def _load_profile(path: Path) -> Profile:
    try:
        return Profile.load(path)
    except ProfileError as exc:
        raise _fail(str(exc)) from None


def _site_repeats(
    profile: Path | None,
    share: float,
    min_count: int,
    learn: tuple[list[str], Sources, int, bool] | None = None,
) -> SiteRepeats | None:
    """The site-repeat table of --profile, or of the inputs profiled first (--learn)."""
    if not 0 < share <= 1:
        raise _fail("--site-repeat-share must be more than 0 and at most 1")
    if min_count < 2:
        raise _fail("--site-repeat-min must be 2 or more")
    if learn is not None and profile is not None:
        raise _fail("--learn and --profile: give one (merge profiles with cleaner profile merge)")
    if learn is not None:
        inputs, sources, jobs, quiet = learn
        if "-" in inputs:
            raise _fail("--learn reads its inputs twice: give files or folders, not -")
        built = _build(inputs, sources, jobs, quiet, "learned")
        return built.repeats(share, min_count)
    if profile is None:
        return None
    return _load_profile(profile).repeats(share, min_count)


def _build(inputs: list[str], sources: Sources, jobs: int, quiet: bool, verb: str) -> Profile:
    """Profile inputs, reporting what was read on stderr."""
    import time

    started = time.monotonic()
    try:
        built = build_profile([Path(p) for p in inputs], sources, jobs)
    except ProfileError as exc:
        raise _fail(str(exc)) from None
    seconds = time.monotonic() - started
    for example in built.skipped.examples:
        err.print(f"cleaner: skipped: {escape(example)}")
    if not quiet:
        p = built.profile
        sited = p.documents - p.unsited
        err.print(
            f"cleaner: {verb} a profile of {p.documents:,} documents ({sited:,} of "
            f"{len(p.sites):,} sites, {p.unsited:,} without a site), {_mb(built.nbytes)} in "
            f"{seconds:.1f} s ({_mb(built.nbytes / seconds if seconds else 0)}/s)"
            + (f", {built.skipped.count} skipped" if built.skipped.count else "")
        )
    return built.profile


@profile_app.command("build")
def profile_build(
    inputs: Annotated[
        list[str], typer.Argument(help="Files or folders (.txt, .html, .htm, .jsonl, .jsonl.gz).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="The profile file to write.")],
    site: SiteOpt = None,
    text_field: Annotated[
        str, typer.Option("--text-field", help="JSONL: the field holding the text.")
    ] = "text",
    url_field: Annotated[
        str, typer.Option("--url-field", help="JSONL: the field holding the URL.")
    ] = "url",
    fmt: Annotated[
        Format,
        typer.Option("--format", help="Files named directly: auto (JSONL by name) or jsonl."),
    ] = Format.auto,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Worker processes [default: all cores].", show_default=False
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Report errors only.")] = False,
) -> None:
    """Count, per site, in how many documents each line occurs, into a profile file."""
    if jobs is not None and jobs < 1:
        raise _fail("--jobs must be 1 or more")
    if "-" in inputs:
        raise _fail("profile build reads files or folders, not -")
    sources = Sources(text_field, url_field or None, _site_name(site), fmt == Format.jsonl)
    profile = _build(inputs, sources, jobs or default_jobs(), quiet, "built")
    _save_profile(profile, output)


def _save_profile(profile: Profile, output: Path) -> None:
    try:
        profile.save(output)
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_FAILED) from None


@profile_app.command("merge")
def profile_merge(
    profiles: Annotated[list[Path], typer.Argument(help="Profiles to merge (of shards).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The merged profile.")],
) -> None:
    """Merge profiles: the counts of N shards profiled apart, as one run over all."""
    merged = Profile()
    for path in profiles:
        merged.merge(_load_profile(path))
    _save_profile(merged, output)


@profile_app.command("show")
def profile_show(
    profile: Annotated[Path, typer.Argument(help="A profile file.")],
    top: Annotated[int, typer.Option("--top", help="Lines shown per site.")] = 10,
    site: SiteOpt = None,
) -> None:
    """Summarize a profile: sites, documents, and their most repeated lines."""
    p = _load_profile(profile)
    name = _site_name(site)
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{p.documents:,} documents: {len(p.sites):,} sites, {p.unsited:,} without a site")
    sites = [name] if name else sorted(p.sites, key=lambda s: (-p.sites[s].documents, s))
    for s in sites:
        sc = p.sites.get(s)
        if sc is None:
            raise _fail(f"no site {s!r} in {profile}")
        out.print(f"# {escape(s)}: {sc.documents:,} documents, {len(sc.counts):,} lines")
        best = sorted(sc.counts.items(), key=lambda kc: (-kc[1], kc[0]))[:top]
        for k, c in best:
            if c < 2:
                break
            text = sc.samples.get(k, "(no sample)")
            out.print(f"{c:>8,} {c / sc.documents:>5.0%}  {escape(text)}")


@rules_app.command("suggest")
def rules_suggest(
    profile: Annotated[Path, typer.Option("--profile", help="A site profile.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The rule file to write.")],
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    site_repeat_share: ShareOpt = SITE_REPEAT_SHARE,
    site_repeat_min: MinOpt = SITE_REPEAT_MIN,
    min_sites: Annotated[
        int,
        typer.Option("--min-sites", help="A generic rule's lines repeat on this many sites."),
    ] = 3,
) -> None:
    """Write rule candidates from a profile, for review: site-scoped and generic ones."""
    from .run.suggest import suggest, to_toml

    p = _load_profile(profile)
    if not 0 < site_repeat_share <= 1 or site_repeat_min < 2 or min_sites < 2:
        raise _fail("need 0 < --site-repeat-share <= 1, --site-repeat-min >= 2, --min-sites >= 2")
    cleaner = _cleaner(rules, no_default_rules)
    found = suggest(
        p,
        cleaner.compiled,
        share=site_repeat_share,
        min_count=site_repeat_min,
        min_sites=min_sites,
    )
    try:
        write_atomic(output, to_toml(found, profile.name))
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_FAILED) from None
    err.print(
        f"cleaner: {found.lines} lines suggested ({len(found.generic)} generic, "
        f"{len(found.sites)} sites) into {escape(str(output))}; {found.skipped_known} "
        "left out as rules already remove them"
    )
    err.print(f"cleaner: review it, then: cleaner rules check {escape(str(output))}")


def main() -> None:
    """Console-script entry point: usage errors exit 2, as click does."""
    app()
