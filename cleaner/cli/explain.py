"""`cleaner explain`: every line of each document, kept or removed, and by what."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import typer
from rich.console import Console
from rich.markup import escape

from ..engine import Cleaner, Result
from ..io.crawl import CrawlError, crawl_lines, is_crawl
from ..io.formats import InputError
from ..io.jsonl import is_jsonl
from ..judge.document import Veto
from ..judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE
from ..judge.steps import RULE_IDS, STEPS
from ..record import Fields, RecordError, record_result
from ..run.batch import clean_bytes
from ..run.inputs import walk_inputs
from .common import EXIT_FAILED, err, fail, make_cleaner
from .options import (
    AfterExtractorOpt,
    ExplainIdFieldOpt,
    ExplainInputsArg,
    FullOpt,
    KeepTitleOpt,
    MinOpt,
    NoDefaultsOpt,
    ProfileOpt,
    RecordIdOpt,
    RulesOpt,
    ShareOpt,
    SiteOpt,
    StepsOpt,
    TextFieldOpt,
)
from .sites import site_name, site_repeats

# Kept lines are shortened to this many characters unless --full.
EXPLAIN_KEPT_CHARS = 90
_STATUS_STYLE = {"keep": "", "drop": "red", "title": "cyan", "strip": "yellow"}
_STATUS_MARK = {"keep": " ", "drop": "-", "title": "T", "strip": "~"}


def explain(
    inputs: ExplainInputsArg = None,
    steps: StepsOpt = False,
    rules: RulesOpt = None,
    no_default_rules: NoDefaultsOpt = False,
    keep_title: KeepTitleOpt = False,
    after_extractor: AfterExtractorOpt = None,
    full: FullOpt = False,
    record_id: RecordIdOpt = None,
    text_field: TextFieldOpt = "text",
    id_field: ExplainIdFieldOpt = "id",
    profile: ProfileOpt = None,
    site: SiteOpt = None,
    site_repeat_share: ShareOpt = SITE_REPEAT_SHARE,
    site_repeat_min: MinOpt = SITE_REPEAT_MIN,
) -> None:
    """Show every line kept or removed, with the rule or heuristic that removed it."""
    if steps:
        print_steps(Console(highlight=False, soft_wrap=True))
        return
    if not inputs:
        raise fail("give files or folders to explain (or --steps)")
    site = site_name(site)
    repeats = site_repeats(profile, site_repeat_share, site_repeat_min)
    cleaner = make_cleaner(
        rules,
        no_default_rules,
        keep_title,
        after_extractor=after_extractor,
        site_repeats=repeats,
        site=site,
    )
    for arg in inputs:
        if arg != "-" and not Path(arg).exists():
            raise fail(f"no such file or folder: {arg}")
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
        raise fail(f"no record with {id_field} {record_id!r}")
    if failed:
        raise typer.Exit(EXIT_FAILED)


def _explained(
    cleaner: Cleaner, inputs: list[str], record_id: str | None, text_field: str, id_field: str
) -> Iterator[tuple[str, Result | str]]:
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


def _explain_bytes(cleaner: Cleaner, data: bytes, path: Path | None) -> Result | str:
    try:
        return clean_bytes(cleaner, data, path)
    except InputError as exc:
        return str(exc)


def _explained_records(
    cleaner: Cleaner, path: Path, record_id: str | None, text_field: str, id_field: str
) -> Iterator[tuple[str, Result | str]]:
    """The records of a JSONL file (plain or gzip) by line number and id, or the pages
    of a WARC or WET file by record number and WARC-Record-ID."""
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


def print_steps(out: Console) -> None:
    """The judging steps in the order the engine runs them (cleaner/judge/steps.py)."""
    for n, step in enumerate(STEPS, 1):
        writes = ", ".join(w for w in step.writes if w != RULE_IDS)
        names = f"  [{writes}]" if writes else ("  [rule ids]" if step.writes else "")
        out.print(f"{n:>2} {step.name}{escape(names)}  ({step.runs_on()}; cleaner/{step.code})")
        out.print(f"   {step.why}")
