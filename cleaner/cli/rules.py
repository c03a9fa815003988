"""`cleaner rules list|show|check|suggest`: the rule files, listed, explained and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE
from ..ruleset.checks import check_examples
from ..ruleset.load import load_ruleset
from ..ruleset.matching import CompiledRules
from ..ruleset.model import Rule, RuleSetError
from ..run.outputs import write_atomic
from .common import EXIT_FAILED, EXIT_USAGE, err, fail, make_cleaner, rule_errors
from .options import MinOpt, NoDefaultsOpt, RulesOpt, ShareOpt
from .sites import load_profile

rules_app = typer.Typer(no_args_is_help=True, help="List, show and check rule files.")


@rules_app.command("list")
def rules_list(rules: RulesOpt = None, no_default_rules: NoDefaultsOpt = False) -> None:
    """List every loaded rule: id, family, languages, and what it does."""
    cleaner = make_cleaner(rules, no_default_rules)
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
    cleaner = make_cleaner(rules, no_default_rules)
    item = cleaner.ruleset.get(rule_id)
    if item is None:
        raise fail(f"no rule with id {rule_id!r} (see `cleaner rules list`)")
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
        raise rule_errors(exc) from None
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
    from ..run.rule_cost import pattern_costs, sample_texts

    try:
        table = pattern_costs(compiled, sample_texts(samples))
    except OSError as exc:
        raise fail(f"{exc.filename}: cannot read: {exc.strerror or exc}", EXIT_FAILED) from None
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
    from ..run.suggest import suggest, to_toml

    p = load_profile(profile)
    if not 0 < site_repeat_share <= 1 or site_repeat_min < 2 or min_sites < 2:
        raise fail("need 0 < --site-repeat-share <= 1, --site-repeat-min >= 2, --min-sites >= 2")
    cleaner = make_cleaner(rules, no_default_rules)
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
        raise fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_FAILED) from None
    err.print(
        f"cleaner: {found.lines} lines suggested ({len(found.generic)} generic, "
        f"{len(found.sites)} sites) into {escape(str(output))}; {found.skipped_known} "
        "left out as rules already remove them"
    )
    err.print(f"cleaner: review it, then: cleaner rules check {escape(str(output))}")
