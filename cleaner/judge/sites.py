"""Sites: which site a document comes from, line keys, and the `site-repeat` step.

A site profile (`profile.py`) counts, per site, in how many documents each line occurs.
Lines printed on many of a site's pages (menus, footers, promos, "About us" blurbs) are
page furniture that no rule needs to name. Counts are kept per site: a line that several
sites print (five sites quoting one speaker) is never removed for that alone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import regex

from .document import HEURISTIC, Document
from .headline import TITLE_MAX_WORDS, TITLE_MIN_WORDS

SITE_REPEAT = "structure.site-repeat"

# A line goes when it is in at least this many of its site's documents ...
SITE_REPEAT_MIN = 5
# ... and in at least this share of them.
SITE_REPEAT_SHARE = 0.5
# Body safety: a long prose line (article-like), or any line between the first and the
# last prose line of the page's own, goes only when it is in this share of the site's
# documents, a clear majority: a stock sentence or subheading ("What happens next") that
# many articles share is body; an "About us" paragraph on every page is not.
SITE_REPEAT_PROSE_SHARE = 0.8
# The article of a page copied on several pages (an updated story, print and AMP
# versions) is in as many documents as its copies. Its lines are never furniture: only
# lines in more documents than the page's own prose go. That count is taken at this
# quantile of the counts of the page's prose lines (a low one: prose furniture on a
# page with a short article must not raise it).
OWN_PROSE_QUANTILE = 0.25
# The page's own headline is kept even when the site prints it on most pages (a "Most
# read" box): the longest headline-shaped line in this many lines above the article.
HEADLINE_WINDOW_LINES = 6

_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")
_DIGIT = regex.compile(r"\p{Nd}")
_ASCII_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_ASCII_DIGIT = re.compile(r"[0-9]")


def line_key(text: str) -> int | None:
    """A line's key in a profile: lower-case, digits as 0, only letters and digits kept,
    hashed to 63 bits (blake2b). None for a line with no letter or digit."""
    if text.isascii():
        folded = _ASCII_DIGIT.sub("0", _ASCII_NOT_ALNUM.sub("", text.lower()))
    else:
        folded = _DIGIT.sub("0", _NOT_ALNUM.sub("", text.casefold()))
    if not folded:
        return None
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass
class SiteTable:
    """One site's documents and the keys of lines in at least `min_count` of them."""

    documents: int
    counts: dict[int, int] = field(default_factory=dict)


@dataclass
class SiteRepeats:
    """What the `site-repeat` step needs: per site, the counts of frequent lines."""

    sites: dict[str, SiteTable]
    share: float = SITE_REPEAT_SHARE
    min_count: int = SITE_REPEAT_MIN

    def __post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise ValueError(f"site-repeat share must be in (0, 1], not {self.share}")
        if self.min_count < 2:
            raise ValueError(f"site-repeat minimum must be 2 or more, not {self.min_count}")

    def prepare(self, doc: Document, site: str | None) -> PendingRepeats | None:
        """Take the document's line keys before rules strip spans out of lines."""
        table = self.sites.get(site) if site else None
        if table is None or table.documents < self.min_count:
            return None
        keys = {i: line_key(ln.text) for i, ln in enumerate(doc.lines) if not ln.blank}
        return PendingRepeats(self, table, keys)


@dataclass
class PendingRepeats:
    """One document's line keys, waiting for the step's place in the pipeline."""

    repeats: SiteRepeats
    table: SiteTable
    keys: dict[int, int | None]

    def apply(self, doc: Document) -> None:
        drop_site_repeats(doc, self.repeats, self.table, self.keys)


def drop_site_repeats(
    doc: Document, repeats: SiteRepeats, table: SiteTable, keys: dict[int, int | None]
) -> None:
    """`structure.site-repeat`: drop lines printed on many of the site's pages.

    A line goes when it is in at least `min_count` and `share` of the site's documents
    (a long prose line, or a line inside the page's own prose: SITE_REPEAT_PROSE_SHARE of
    them), and in more documents than the page's own prose (a page copied across the
    site keeps its article). The page's own headline stays for the headline steps.
    """
    n = table.documents
    counts = {i: table.counts.get(k, 1) if k is not None else 0 for i, k in keys.items()}
    prose = [i for i in keys if not doc.lines[i].blank and doc.lines[i].feats.good]
    own = sorted(counts[i] for i in prose)
    own_copies = own[int(OWN_PROSE_QUANTILE * (len(own) - 1))] if own else 1
    # the stretch of the page's own prose: the article, as far as the profile can tell
    mine = [i for i in prose if counts[i] <= own_copies]
    first, last = (mine[0], mine[-1]) if mine else (0, -1)
    floor = max(repeats.min_count, repeats.share * n)
    prose_floor = max(repeats.min_count, SITE_REPEAT_PROSE_SHARE * n)
    headline = _own_headline(doc, counts, own_copies)
    for i, c in counts.items():
        line = doc.lines[i]
        if not line.alive or c <= own_copies or i == headline:
            continue
        if c >= (prose_floor if line.feats.good or first < i < last else floor):
            doc.remove(i, SITE_REPEAT, HEURISTIC, detail=f"in {c} of {n} pages of the site")


def _own_headline(doc: Document, counts: dict[int, int], own_copies: int) -> int | None:
    """The longest headline-shaped line just above the page's first prose of its own."""
    first = next(
        (
            i
            for i in doc.alive_indices()
            if doc.lines[i].feats.good and counts.get(i, 0) <= own_copies
        ),
        None,
    )
    if first is None:
        return None
    above = [j for j in doc.nonblank(0, first) if doc.lines[j].alive][-HEADLINE_WINDOW_LINES:]
    shaped = [
        j
        for j in above
        if TITLE_MIN_WORDS <= doc.lines[j].feats.words <= TITLE_MAX_WORDS
        and not doc.lines[j].feats.terminal
    ]
    return max(shaped, key=lambda j: doc.lines[j].feats.words, default=None)
