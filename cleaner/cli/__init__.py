"""The `cleaner` command line: the app, its commands (clean, explain, rules, profile), main."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import accel
from .._version import __version__
from .clean import clean
from .explain import explain
from .profile import profile_app
from .rules import rules_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="cleaner",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Strip aggregator and site boilerplate from scraped news and web text.",
)
app.add_typer(rules_app, name="rules")
app.command()(clean)
app.command()(explain)
app.add_typer(profile_app, name="profile")


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


def main() -> None:
    """Console-script entry point: usage errors exit 2, as click does."""
    app()
