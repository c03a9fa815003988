"""`cleaner profile build|merge|show`: site profiles, built, merged and summarized."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..io.site_profile import Profile
from ..run.pipeline import default_jobs
from ..run.profile import Sources
from .common import fail
from .options import (
    Format,
    ProfileFormatOpt,
    ProfileInputsArg,
    ProfileJobsOpt,
    ProfileOutputOpt,
    ProfileUrlFieldOpt,
    QuietOpt,
    SiteOpt,
    TextFieldOpt,
)
from .sites import build, load_profile, save_profile, site_name

profile_app = typer.Typer(
    no_args_is_help=True,
    help="Build, merge and show site profiles: per site, in how many documents each line occurs.",
)


@profile_app.command("build")
def profile_build(
    inputs: ProfileInputsArg,
    output: ProfileOutputOpt,
    site: SiteOpt = None,
    text_field: TextFieldOpt = "text",
    url_field: ProfileUrlFieldOpt = "url",
    fmt: ProfileFormatOpt = Format.auto,
    jobs: ProfileJobsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Count, per site, in how many documents each line occurs, into a profile file."""
    if jobs is not None and jobs < 1:
        raise fail("--jobs must be 1 or more")
    if "-" in inputs:
        raise fail("profile build reads files or folders, not -")
    sources = Sources(text_field, url_field or None, site_name(site), fmt == Format.jsonl)
    profile = build(inputs, sources, jobs or default_jobs(), quiet, "built")
    save_profile(profile, output)


@profile_app.command("merge")
def profile_merge(
    profiles: Annotated[list[Path], typer.Argument(help="Profiles to merge (of shards).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The merged profile.")],
) -> None:
    """Merge profiles: the counts of N shards profiled apart, as one run over all."""
    merged = Profile()
    for path in profiles:
        merged.merge(load_profile(path))
    save_profile(merged, output)


@profile_app.command("show")
def profile_show(
    profile: Annotated[Path, typer.Argument(help="A profile file.")],
    top: Annotated[int, typer.Option("--top", help="Lines shown per site.")] = 10,
    site: SiteOpt = None,
) -> None:
    """Summarize a profile: sites, documents, and their most repeated lines."""
    p = load_profile(profile)
    name = site_name(site)
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{p.documents:,} documents: {len(p.sites):,} sites, {p.unsited:,} without a site")
    sites = [name] if name else sorted(p.sites, key=lambda s: (-p.sites[s].documents, s))
    for s in sites:
        sc = p.sites.get(s)
        if sc is None:
            raise fail(f"no site {s!r} in {profile}")
        out.print(f"# {escape(s)}: {sc.documents:,} documents, {len(sc.counts):,} lines")
        best = sorted(sc.counts.items(), key=lambda kc: (-kc[1], kc[0]))[:top]
        for k, c in best:
            if c < 2:
                break
            text = sc.samples.get(k, "(no sample)")
            out.print(f"{c:>8,} {c / sc.documents:>5.0%}  {escape(text)}")
