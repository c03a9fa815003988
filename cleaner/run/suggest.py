"""Rule candidates from a site profile, written as a rule file for review.

Two kinds: for each site, the lines printed on many of its pages (a rule with
`domains = [site]`); and the lines that several sites each print on several pages and
that are shaped like junk (short, no sentence end, no clause): a rule for every site,
limited to the head and tail of a document. Lines that rules already remove (or that an
allow entry protects from every rule) are left out. Every line is its rule's `junk`
example, and a comment above it says in how many documents it was seen, so a reviewer
deletes what is not junk (the phrase and its example) and keeps the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import regex

from ..io.site_profile import Profile
from ..judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_PROSE_SHARE, SITE_REPEAT_SHARE
from ..ruleset.checks import matching_rules
from ..ruleset.matching import CompiledRules
from ..ruleset.patterns import REGEX_FLAGS, pattern_problem
from ..text.features import line_features
from ..text.normalize import normalize_line, normalize_text, phrase_key

# A generic candidate is printed on at least this many pages of each of at least
# GENERIC_MIN_SITES sites ...
GENERIC_MIN_PAGES = 2
GENERIC_MIN_SITES = 3
# ... and is shaped like junk: at most this many words, no sentence end, no clause.
GENERIC_MAX_WORDS = 8
# At most this many lines are suggested per site (the most repeated first).
MAX_LINES_PER_SITE = 200
RULE_PREFIX = "suggested"

_DIGITS = re.compile(r"(\d+)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Candidate:
    """One line to suggest: its sample text, and where and how often it was seen."""

    text: str
    documents: int  # documents it is in (summed over sites for generic lines)
    of: int  # documents of its site (of all sites it is in, for generic lines)
    sites: int = 1

    @property
    def comment(self) -> str:
        share = self.documents / self.of if self.of else 0.0
        where = f" on {self.sites} sites" if self.sites > 1 else ""
        return f"in {self.documents} of {self.of} documents{where} ({share:.0%})"


@dataclass
class Suggestions:
    """Candidates per site (site-scoped rules) and for every site (generic ones)."""

    sites: dict[str, list[Candidate]] = field(default_factory=dict)
    generic: list[Candidate] = field(default_factory=list)
    skipped_known: int = 0  # lines that rules already remove

    @property
    def lines(self) -> int:
        return len(self.generic) + sum(len(c) for c in self.sites.values())


def suggest(
    profile: Profile,
    compiled: CompiledRules,
    *,
    share: float = SITE_REPEAT_SHARE,
    min_count: int = SITE_REPEAT_MIN,
    min_sites: int = GENERIC_MIN_SITES,
) -> Suggestions:
    """Pick the candidates: lines repeated across a site, and junk-shaped lines
    repeated across many sites; lines the rules in `compiled` remove are left out."""
    out = Suggestions()
    generic_keys = _generic(profile, compiled, min_sites, out)
    for site in sorted(profile.sites):
        sc = profile.sites[site]
        n = sc.documents
        if n < min_count:
            continue
        floor = max(min_count, share * n)
        prose_floor = max(min_count, SITE_REPEAT_PROSE_SHARE * n)
        found: list[tuple[int, str, Candidate]] = []
        seen: set[str] = set()
        for k, c in sc.counts.items():
            if c < floor or k in generic_keys or (text := sc.samples.get(k)) is None:
                continue
            if line_features(text).good and c < prose_floor:
                continue
            if not _usable(text, seen) or _known(compiled, text, site, out):
                continue
            found.append((-c, text, Candidate(text, c, n)))
        found.sort(key=lambda t: (t[0], t[1]))
        if found:
            out.sites[site] = [c for _, _, c in found[:MAX_LINES_PER_SITE]]
    return out


def _generic(
    profile: Profile, compiled: CompiledRules, min_sites: int, out: Suggestions
) -> set[int]:
    """Junk-shaped lines that many sites each repeat; returns their keys."""
    spread: dict[int, list[tuple[int, int, str | None]]] = {}
    for sc in profile.sites.values():
        for k, c in sc.counts.items():
            if c >= GENERIC_MIN_PAGES:
                spread.setdefault(k, []).append((c, sc.documents, sc.samples.get(k)))
    keys: set[int] = set()
    seen: set[str] = set()
    found = []
    for k, where in spread.items():
        if len(where) < min_sites:
            continue
        texts = [t for _, _, t in where if t is not None]
        if not texts:
            continue
        text = min(texts)
        f = line_features(text)
        if f.words > GENERIC_MAX_WORDS or not f.run_item or f.has_url:
            continue
        if not _usable(text, seen) or _known(compiled, text, None, out):
            continue
        keys.add(k)
        docs = sum(c for c, _, _ in where)
        total = sum(n for _, n, _ in where)
        found.append(Candidate(text, docs, total, len(where)))
    out.generic = sorted(found, key=lambda c: (-c.sites, -c.documents, c.text))
    return keys


def _usable(text: str, seen: set[str]) -> bool:
    """A sample that makes a rule: valid text, a phrase key, not suggested already."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot go into TOML
        return False
    if normalize_line(normalize_text(text)) != text:
        return False
    key = phrase_key(text)
    if not key or key in seen:
        return False
    seen.add(key)
    return True


def _known(compiled: CompiledRules, text: str, site: str | None, out: Suggestions) -> bool:
    """Whether rules already remove the line, or an allow entry protects it from all."""
    if matching_rules(compiled, text, site) or any(
        a.protects(f"{RULE_PREFIX}.x") for a in compiled.allows_for(text)
    ):
        out.skipped_known += 1
        return True
    return False


def slug(site: str) -> str:
    """A site as a piece of a rule id: `news.example.com` -> `news-example-com`."""
    return _SLUG.sub("-", site.lower()).strip("-") or "site"


def digit_pattern(text: str) -> str:
    """A pattern for a line with numbers: the text itself, any number where it has one."""
    return "".join(
        r"\d+" if i % 2 else regex.escape(part, special_only=True, literal_spaces=True)
        for i, part in enumerate(_DIGITS.split(text))
    )


def to_toml(s: Suggestions, source: str) -> str:
    """The rule file: one phrase rule per site and one generic, plus a pattern rule for
    each line holding a number (any number matches there)."""
    out = [
        f"# Rule candidates suggested from the site profile {source}.",
        "# Review before use: delete a line that is not junk (its phrase or pattern and",
        "# its junk example), then `cleaner rules check` this file.",
        f"title = {_q('Suggested from a site profile')}",
        'version = "0.1.0"',
        'languages = ["any"]',
        'category = "custom"',
    ]
    if s.generic:
        out += _rules(
            f"{RULE_PREFIX}.generic",
            "Junk-shaped lines that several sites print on many pages (suggested).",
            s.generic,
            where='["head", "tail"]',
        )
    for site, cands in s.sites.items():
        out += _rules(
            f"{RULE_PREFIX}.site.{slug(site)}",
            f"Lines printed on many pages of {site} (suggested).",
            cands,
            domains=site,
        )
    return "\n".join(out) + "\n"


def _rules(
    rid: str,
    description: str,
    cands: list[Candidate],
    *,
    where: str | None = None,
    domains: str | None = None,
) -> list[str]:
    phrases = [c for c in cands if not _DIGITS.search(c.text)]
    patterns = [c for c in cands if _DIGITS.search(c.text)]
    out: list[str] = []

    def head(rule_id: str) -> None:
        out.extend(["", "[[rule]]", f"id = {_q(rule_id)}", f"description = {_q(description)}"])
        if domains is not None:
            out.append(f"domains = [{_q(domains)}]")
        if where is not None:
            out.append(f"where = {where}")

    if phrases:
        head(rid)
        out.append("phrases = [")
        for c in phrases:
            out += [f"  # {c.comment}", f"  {_q(c.text)},"]
        out.append("]")
        out.append("junk = [")
        out += [f"  {_q(c.text)}," for c in phrases]
        out.append("]")
    for n, c in enumerate(patterns, 1):
        pattern = digit_pattern(c.text)
        if pattern_problem(pattern) or not regex.fullmatch(pattern, c.text, REGEX_FLAGS):
            continue
        head(f"{rid}.n{n}")
        out.append(f"# {c.comment}")
        out.append(f"regex = {_q(pattern)}")
        out.append(f"max_words = {max(line_features(c.text).words + 2, 3)}")
        out.append(f"junk = [{_q(c.text)}]")
    return out


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
