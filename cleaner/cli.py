"""Command line: `cleaner clean`, `cleaner explain`, `cleaner rules list|show|check`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from . import __version__
from .batch import Job, UsageError, clean_bytes, plan, run_job
from .checks import check_examples
from .engine import FLAG_EMPTIED, Cleaner
from .formats import InputError
from .matching import CompiledRules
from .ruleset import Rule, RuleSetError, load_ruleset

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


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err.print(f"cleaner: error: {escape(message)}")
    return typer.Exit(code)


def _cleaner(
    rules: list[Path] | None,
    no_default_rules: bool,
    keep_title: bool = False,
    after_extractor: bool | None = None,
) -> Cleaner:
    if no_default_rules and not rules:
        raise _fail("--no-default-rules needs at least one --rules PATH")
    try:
        return Cleaner(
            rules or [],
            default_rules=not no_default_rules,
            keep_title=keep_title,
            after_extractor=after_extractor,
        )
    except RuleSetError as exc:
        for e in exc.errors:
            err.print(f"cleaner: rule error: {escape(str(e))}")
        raise typer.Exit(EXIT_USAGE) from None


def _version(value: bool) -> None:
    if value:
        print(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Strip aggregator and site boilerplate from scraped news and web text."""


@app.command()
def clean(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders to clean; - for stdin.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output folder (mirrors input folders).")
    ] = None,
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    keep_title: KeepTitleOpt = False,
    after_extractor: AfterExtractorOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Report errors only.")] = False,
) -> None:
    """Clean files, folders (recursively: .txt, .html, .htm) or standard input."""
    cleaner = _cleaner(rules, no_default_rules, keep_title, after_extractor)
    if inputs == ["-"]:
        _clean_stdin(cleaner)
        return
    if "-" in inputs:
        raise _fail("'-' (standard input) cannot be mixed with files")
    try:
        jobs = plan([Path(p) for p in inputs], output)
    except UsageError as exc:
        raise _fail(str(exc)) from None
    failed = flagged = 0
    for job in jobs:
        outcome = run_job(cleaner, job)
        if outcome.error:
            failed += 1
            err.print(f"cleaner: error: {escape(str(job.source))}: {escape(outcome.error)}")
            continue
        result = outcome.result
        if job.target is None:
            sys.stdout.write(result.text)
        if result.flags:
            flagged += 1
            _report_flags(job, result.flags)
    if not quiet and output is not None:
        done = len(jobs) - failed
        err.print(
            f"cleaner: {done} of {len(jobs)} inputs cleaned into {escape(str(output))}"
            f" ({flagged} flagged, {failed} failed)"
        )
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


def _report_flags(job: Job, flags: list[str]) -> None:
    what = "every line was removed" if FLAG_EMPTIED in flags else "most of its text was removed"
    err.print(f"cleaner: warning: {escape(str(job.source))}: {what} ({', '.join(flags)})")


def _clean_stdin(cleaner: Cleaner) -> None:
    data = sys.stdin.buffer.read()
    try:
        result = clean_bytes(cleaner, data)
    except InputError as exc:
        raise _fail(f"<stdin>: {exc}", EXIT_FAILED) from None
    sys.stdout.write(result.text)
    if result.flags:
        _report_flags(Job(Path("<stdin>"), None), result.flags)


# Kept lines are shortened to this many characters unless --full.
EXPLAIN_KEPT_CHARS = 90
_STATUS_STYLE = {"keep": "", "drop": "red", "title": "cyan", "strip": "yellow"}
_STATUS_MARK = {"keep": " ", "drop": "-", "title": "T", "strip": "~"}


@app.command()
def explain(
    file: Annotated[str, typer.Argument(help="A file to explain; - for stdin.")],
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    after_extractor: AfterExtractorOpt = None,
    full: Annotated[bool, typer.Option("--full", help="Show kept lines whole.")] = False,
) -> None:
    """Show every line kept or removed, with the rule or heuristic that removed it."""
    cleaner = _cleaner(rules, no_default_rules, after_extractor=after_extractor)
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        result = clean_bytes(cleaner, data, None if file == "-" else Path(file))
    except OSError as exc:
        raise _fail(f"{file}: cannot read: {exc.strerror or exc}", EXIT_FAILED) from None
    except InputError as exc:
        raise _fail(f"{file}: {exc}", EXIT_FAILED) from None
    out = Console(highlight=False, soft_wrap=True)
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
    removed = result.removed_lines
    flags = f", flags: {', '.join(result.flags)}" if result.flags else ""
    share = f"{result.removed_share:.0%}"
    out.print(
        f"-- {result.mode} structure, language {result.language or 'unknown'}: "
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
    failures = check_examples(CompiledRules(ruleset))
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


def main() -> None:
    """Console-script entry point: usage errors exit 2, as click does."""
    app()
