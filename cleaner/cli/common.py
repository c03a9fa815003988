"""What the commands share: the stderr console, exit codes, usage errors, the Cleaner."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from ..engine import Cleaner
from ..judge.sites import SiteRepeats
from ..ruleset.model import RuleSetError
from ..run.batch import shown

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print an error on stderr; the exit to raise with `code`."""
    err.print(f"cleaner: error: {escape(shown(message))}")
    return typer.Exit(code)


def rule_errors(exc: RuleSetError) -> typer.Exit:
    """Print the errors of rule files on stderr; the usage exit to raise."""
    for e in exc.errors:
        err.print(f"cleaner: rule error: {escape(str(e))}")
    return typer.Exit(EXIT_USAGE)


def make_cleaner(
    rules: list[Path] | None,
    no_default_rules: bool,
    keep_title: bool = False,
    after_extractor: bool | None = None,
    site_repeats: SiteRepeats | None = None,
    site: str | None = None,
    comments: bool = False,
) -> Cleaner:
    """The Cleaner the rule and structure options ask for (exit 2 on bad rules)."""
    if no_default_rules and not rules:
        raise fail("--no-default-rules needs at least one --rules PATH")
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
        raise rule_errors(exc) from None


def mb(n: float) -> str:
    """A size for people: kB below a megabyte, else MB or GB."""
    if n < 1e6:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB" if n < 1e9 else f"{n / 1e9:.2f} GB"
