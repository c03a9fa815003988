"""The options of `clean`, `explain` and `profile build`, each declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Flagged(StrEnum):
    """--flagged: what becomes of a document flagged emptied or most-removed."""

    write = "write"
    keep = "keep"
    reject = "reject"


class Format(StrEnum):
    """--format: how inputs are read."""

    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"
    wet = "wet"
    warc = "warc"
    parquet = "parquet"


# ---- rules and structure: clean, explain, rules list|show|suggest ---------------------

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

# ---- site profiles: clean, explain, profile build|show, rules suggest -----------------

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

# ---- reading inputs: explain and profile build share these ----------------------------

TextFieldOpt = Annotated[
    str, typer.Option("--text-field", help="JSONL: the field holding the text.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Report errors only.")]

# ---- clean ----------------------------------------------------------------------------

CleanInputsArg = Annotated[
    list[str], typer.Argument(help="Files or folders to clean; - for stdin.")
]
CleanOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Output folder (mirrors input folders), or a .jsonl / .jsonl.gz file "
        "for one JSONL input.",
    ),
]
CleanFormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        help="Input format of stdin and of files named directly; auto: JSONL for "
        ".jsonl and .jsonl.gz, WARC/WET records for .warc(.gz) and .warc.wet(.gz), "
        "HTML for .html and .htm, text for .txt, else HTML when it reads as a page "
        "or fragment, text otherwise.",
    ),
]
CleanTextFieldOpt = Annotated[
    str,
    typer.Option("--text-field", help="JSONL and Parquet: the field holding the text."),
]
FlatOpt = Annotated[
    bool,
    typer.Option("--flat", help="Parquet: flat cleaner_* columns instead of one cleaner struct."),
]
CommentsOpt = Annotated[
    bool,
    typer.Option(
        "--comments",
        help="HTML: keep the page's reader comments after the body (counted in "
        "cleaner.comment_lines); by default they are dropped.",
    ),
]
FlaggedOpt = Annotated[
    Flagged,
    typer.Option(
        "--flagged",
        help="A document flagged emptied or most-removed: write its cleaned body (and "
        "say so), keep it uncleaned, or reject it (records: to the rejects file).",
    ),
]
CleanUrlFieldOpt = Annotated[
    str, typer.Option("--url-field", help="JSONL: the field holding the URL, if present.")
]
CleanIdFieldOpt = Annotated[
    str | None,
    typer.Option(
        "--id-field",
        help="JSONL: the record id, named in messages; --shard hashes it.",
        show_default=False,
    ),
]
OutputFieldOpt = Annotated[
    str | None,
    typer.Option(
        "--output-field",
        help="JSONL: write the cleaned text to this field [default: the text field].",
        show_default=False,
    ),
]
TraceOpt = Annotated[bool, typer.Option("--trace", help="JSONL: list every removal in the record.")]
RejectsOpt = Annotated[
    Path | None,
    typer.Option(
        "--rejects",
        help="JSONL: write bad lines, unchanged, to this file "
        "[default: OUTPUT.rejects.jsonl beside each output].",
        show_default=False,
    ),
]
CleanJobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Worker processes [default: all cores]; 1: none.",
        show_default=False,
    ),
]
ResumeOpt = Annotated[
    bool, typer.Option("--resume", help="Skip inputs whose output already exists.")
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="I/N: clean only the I-th (from 0) of N disjoint parts "
        "of the inputs, or of one JSONL input's records.",
        show_default=False,
    ),
]
StatsOpt = Annotated[
    Path | None,
    typer.Option(
        "--stats", help="Write the run's summary to this file as JSON.", show_default=False
    ),
]
MaxBytesOpt = Annotated[
    str,
    typer.Option(
        "--max-bytes",
        help="Largest document cleaned: a file, or a JSONL line (k, M, G: powers of "
        "1000; 0: no limit). A larger file is written unchanged, a larger line rejected.",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="CPU seconds one document may take (0: no limit). A slower file is "
        "written unchanged, a slower record rejected.",
    ),
]
FollowLinksOpt = Annotated[
    bool,
    typer.Option(
        "--follow-links",
        help="In folders, follow links to folders and to files outside the folder "
        "(loops are cut) [default: not followed, each named on stderr].",
    ),
]
LearnOpt = Annotated[
    bool,
    typer.Option(
        "--learn",
        help="Profile the inputs first, then clean them with that profile "
        "(two passes; with --shard, the profile still covers every input).",
    ),
]

# ---- explain --------------------------------------------------------------------------

ExplainInputsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or folders to explain (.jsonl: each record); - for stdin.",
        show_default=False,
    ),
]
StepsOpt = Annotated[
    bool,
    typer.Option("--steps", help="List the steps every line goes through, in order, and exit."),
]
FullOpt = Annotated[bool, typer.Option("--full", help="Show kept lines whole.")]
RecordIdOpt = Annotated[
    str | None,
    typer.Option("--id", help="JSONL: explain only the record with this id.", show_default=False),
]
ExplainIdFieldOpt = Annotated[str, typer.Option("--id-field", help="JSONL: the id field.")]

# ---- profile build --------------------------------------------------------------------

ProfileInputsArg = Annotated[
    list[str], typer.Argument(help="Files or folders (.txt, .html, .htm, .jsonl, .jsonl.gz).")
]
ProfileOutputOpt = Annotated[
    Path, typer.Option("-o", "--output", help="The profile file to write.")
]
ProfileUrlFieldOpt = Annotated[
    str, typer.Option("--url-field", help="JSONL: the field holding the URL.")
]
ProfileFormatOpt = Annotated[
    Format,
    typer.Option("--format", help="Files named directly: auto (JSONL by name) or jsonl."),
]
ProfileJobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", help="Worker processes [default: all cores].", show_default=False),
]
