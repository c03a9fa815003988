"""Site options of the commands: --site, --profile, --learn, and profiling inputs."""

from __future__ import annotations

import time
from pathlib import Path

from rich.markup import escape

from ..io.site_profile import Profile, ProfileError
from ..judge.sites import SiteRepeats
from ..run.profile import Sources, build_profile
from ..text.site_names import site_of_url, valid_site
from .common import EXIT_FAILED, err, fail, mb

# What --learn needs to profile the inputs first: inputs, sources, jobs, quiet.
Learn = tuple[list[str], Sources, int, bool]


def site_name(site: str | None) -> str | None:
    """--site as a site name: a host or a URL's host, lower-case, without www."""
    if site is None:
        return None
    name = site_of_url(site)
    if name is None or not valid_site(name):
        raise fail(f"--site {site!r}: give a host such as news.example.com, or a URL")
    return name


def load_profile(path: Path) -> Profile:
    """A profile file, read (exit 2 when it cannot be)."""
    try:
        return Profile.load(path)
    except ProfileError as exc:
        raise fail(str(exc)) from None


def save_profile(profile: Profile, output: Path) -> None:
    """A profile, written to its file (exit 1 when it cannot be)."""
    try:
        profile.save(output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_FAILED) from None


def site_repeats(
    profile: Path | None,
    share: float,
    min_count: int,
    learn: Learn | None = None,
) -> SiteRepeats | None:
    """The site-repeat table of --profile, or of the inputs profiled first (--learn)."""
    if not 0 < share <= 1:
        raise fail("--site-repeat-share must be more than 0 and at most 1")
    if min_count < 2:
        raise fail("--site-repeat-min must be 2 or more")
    if learn is not None and profile is not None:
        raise fail("--learn and --profile: give one (merge profiles with cleaner profile merge)")
    if learn is not None:
        inputs, sources, jobs, quiet = learn
        if "-" in inputs:
            raise fail("--learn reads its inputs twice: give files or folders, not -")
        built = build(inputs, sources, jobs, quiet, "learned")
        return built.repeats(share, min_count)
    if profile is None:
        return None
    return load_profile(profile).repeats(share, min_count)


def build(inputs: list[str], sources: Sources, jobs: int, quiet: bool, verb: str) -> Profile:
    """Profile inputs, reporting what was read on stderr."""
    started = time.monotonic()
    try:
        built = build_profile([Path(p) for p in inputs], sources, jobs)
    except ProfileError as exc:
        raise fail(str(exc)) from None
    seconds = time.monotonic() - started
    for example in built.skipped.examples:
        err.print(f"cleaner: skipped: {escape(example)}")
    if not quiet:
        p = built.profile
        sited = p.documents - p.unsited
        err.print(
            f"cleaner: {verb} a profile of {p.documents:,} documents ({sited:,} of "
            f"{len(p.sites):,} sites, {p.unsited:,} without a site), {mb(built.nbytes)} in "
            f"{seconds:.1f} s ({mb(built.nbytes / seconds if seconds else 0)}/s)"
            + (f", {built.skipped.count} skipped" if built.skipped.count else "")
        )
    return built.profile
