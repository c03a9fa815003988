"""The headline steps: the page title found again on a full page (and the furniture
above it dropped), teaser lines repeating the headline, the headline above the body,
its repeats, and the kickers and menus above it. Thresholds are the constants below.
"""

from __future__ import annotations

from itertools import accumulate, islice

import regex

from ..text.normalize import phrase_key
from .document import HEURISTIC, Document
from .vetoes import continues_list, headline_drops_main_run

PAGE_TITLE = "structure.page-title"
ABOVE_HEADLINE = "structure.above-headline"
TEASER = "structure.teaser"
TITLE = "structure.title"
TITLE_REPEAT = "structure.title-repeat"
ABOVE_TITLE = "structure.above-title"
# A headline has this many words, and does not end with a full stop.
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
# A sentence ends inside the line: not after an initial ("U.S. States", "L.A. Auto") or a
# title ("Rep. Ilhan Omar", "Dr. Jones").
_INNER_SENTENCE_END = regex.compile(
    r"(?<!\b\p{L})(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Rep|Sen|Gov|Gen|Col|Lt|Capt|Sgt|Prof|Rev|No|vs))"
    r"[.!?]\s+\p{Lu}\p{Ll}"
)

# After an extractor: a headline only when at most this many lines precede the body,
# and above it only kicker-sized lines ("World", "US News") are dropped.
LIGHT_TITLE_MAX_LINES_ABOVE_BODY = 3
LIGHT_KICKER_MAX_WORDS = 4
# Up to this many one- or two-word lines between the headline and the body are skipped.
TITLE_SKIP_BUTTONS = 3
# The page title (first line of a full-page dump) is looked for again this far down.
ANCHOR_LOOKAHEAD_LINES = 400
# Failing an exact repeat, a line of this many words sharing this share of them with
# the page title is the headline reworded.
ANCHOR_ALIKE_MIN_WORDS = 4
ANCHOR_ALIKE_SHARE = 0.7
# Or: an exact repeat with an article starting within this many lines below it.
ANCHOR_FOLLOW_LINES = 12
_WORDS = regex.compile(r"\w+")
_TITLE_SEPARATOR = regex.compile(r"\s+[|\-–—·•»:]\s+|\s+[|]\s*")
# A teaser repeats a headline found within this many non-blank lines below it.
TEASER_LOOKAHEAD = 8
# At most this many leading body-like lines are checked for being teasers.
TEASER_MAX_CHECKS = 3
# The headline a teaser repeats has this many words or more, and starts within this many
# words of the teaser's start ("story : <headline> <first words of the article>"): the
# words of a short line below found inside a sentence ("... met at the Old Mill Hall on
# Friday ...") are no headline repeated.
TEASER_MIN_HEADLINE_WORDS = 4
TEASER_MAX_LEAD_WORDS = 3


def title_shaped(doc: Document, i: int) -> bool:
    """A headline: a few words, one sentence, no full stop at the end, no link."""
    text = doc.lines[i].text
    return (
        _headline_sized(doc, i)
        and not text.endswith((".", "。", "．"))
        and not _INNER_SENTENCE_END.search(text)
    )


def anchor_headline(doc: Document) -> None:
    """In a full-page dump, find the headline by the page title that opens the dump.

    Text dumps of web pages start with the page's <title> ("Headline | Site"); the
    article's own headline repeats it (or its headline part) just above the article.
    Found, with more article-like text below it than above, that line is the headline
    and everything above it is page furniture.
    """
    order = [i for i in doc.nonblank() if doc.lines[i].alive]
    if len(order) < 3:
        return
    title = _PageTitle(doc.lines[order[0]].text)
    # The page title itself vouches for a line that repeats it, even one with a full stop
    # ("... They just might be."); a merely alike line must be headline-shaped.
    keys = {
        i: words_key(doc.lines[i].text)
        for i in order[1:ANCHOR_LOOKAHEAD_LINES]
        if _headline_sized(doc, i)
    }
    sized = [i for i, key in keys.items() if len(key.split()) >= TITLE_MIN_WORDS]
    shaped = [i for i in sized if title_shaped(doc, i)]

    # The headline repeating the page title stands where an article follows it, even on
    # a page whose menus and teasers above hold more prose than the article itself.
    # The headline part is tried first, then any part (the longest part may be the
    # site's name, and a masthead repeats that), then reworded headlines.
    # Body-like words above each line, counted once: candidates are many on a long page.
    good = (ln.feats.words if ln.alive and ln.feats.good else 0 for ln in doc.lines)
    above = [0, *accumulate(good)]

    def more_below(i: int) -> bool:  # the body-like words below line i outweigh those above
        return above[-1] - above[i] > above[i]

    def starts(i: int) -> bool:  # prose right below, and more prose below than above
        return _article_follows(doc, i) or (more_below(i) and _article_follows(doc, i, run=1))

    vetoed: set[int] = set()  # candidates the page did not confirm: not tried again
    # A repeat of the title with prose right below it is preferred to an earlier one
    # that only has more prose somewhere further down (the headline listed in a menu
    # above the article).
    for test, candidates, checks in (
        (lambda key: title.repeated_by(key, {title.headline_part}), sized, (starts, more_below)),
        (lambda key: title.repeated_by(key, title.parts), sized, (starts, more_below)),
        (title.alike, shaped, (more_below,)),
    ):
        matching = [i for i in candidates if test(keys[i])]
        for check in checks:
            for i in matching:
                if i in vetoed or not check(i):
                    continue
                why = headline_drops_main_run(doc, order, i)
                if why is None:
                    _anchor_at(doc, order, i)
                    return
                vetoed.add(i)
                doc.veto(i, ABOVE_HEADLINE, why)


class _PageTitle:
    """The page title that opens a full-page dump, and the tests of a line repeating it."""

    def __init__(self, text: str) -> None:
        self.page = words_key(text)
        # In title order: of two parts as long, the first is the headline ("Headline |
        # Site"), and a set's order would change from run to run with string hashing.
        ordered = [words_key(p) for p in _TITLE_SEPARATOR.split(text)]
        ordered = [p for p in dict.fromkeys(ordered) if len(p.split()) >= TITLE_MIN_WORDS]
        self.parts = set(ordered)
        # The headline part of the page title: its longest piece, without the site's name.
        self.headline_part = max(ordered or [self.page], key=len)
        self.words = set(self.headline_part.split())
        # A dump's title line may have lost what its tag escaped ("Chads World 15Flash"
        # for "Chad’s World 15–Flash"): the same letters and digits in a row are the same.
        self.squashed = self.page.replace(" ", "")

    def repeated_by(self, key: str, pieces: set[str]) -> bool:
        """Whether a line's words key repeats the title, or one of these of its parts."""
        page = self.page
        squashed = key.replace(" ", "")
        return (
            key == page
            or key in pieces
            or squashed == self.squashed
            or any(squashed == p.replace(" ", "") for p in pieces)
            or (page.startswith(key) and len(key) >= len(page) / 2)
            or any(key.startswith(p) and len(key) < 1.6 * len(p) for p in pieces if len(p) > 20)
        )

    def alike(self, key: str) -> bool:
        """Whether a line is the headline reworded: it shares most of its words."""
        words = set(key.split())
        smaller = min(len(words), len(self.words))
        return (
            smaller >= ANCHOR_ALIKE_MIN_WORDS
            and len(words & self.words) >= ANCHOR_ALIKE_SHARE * smaller
        )


def _headline_sized(doc: Document, i: int) -> bool:
    """A few words, no link: what a headline is, whatever its punctuation."""
    f = doc.lines[i].feats
    return (
        not doc.lines[i].blank
        and TITLE_MIN_WORDS <= f.words <= TITLE_MAX_WORDS
        and f.chars <= TITLE_MAX_CHARS
        and not f.has_url
    )


def _article_follows(doc: Document, i: int, run: int = 2) -> bool:
    """Whether an article starts right below line i: `run` body-like lines in a row among
    the next few lines still in the body (a teaser has one blurb; a footer none)."""
    alive = (j for j in range(i + 1, len(doc.lines)) if doc.lines[j].alive)
    in_row = 0
    for j in islice(alive, ANCHOR_FOLLOW_LINES):
        in_row = in_row + 1 if doc.lines[j].feats.good else 0
        if in_row >= run:
            return True
    return False


def _anchor_at(doc: Document, order: list[int], i: int) -> None:
    """Line i is the headline: the page title and everything above i go."""
    doc.remove(order[0], PAGE_TITLE, HEURISTIC, detail=f"headline at line {doc.lines[i].no}")
    for j in order[1:]:
        if j >= i:
            break
        doc.remove(j, ABOVE_HEADLINE, HEURISTIC)
    if not doc.lines[i].protected_from(TITLE):
        doc.mark_title(i)


def words_key(text: str) -> str:
    """Lower-case words only: a headline and its <title> differ in dashes and quotes."""
    return " ".join(_WORDS.findall(text.casefold()))


def drop_teasers(doc: Document) -> None:
    """Drop leading body-like lines that repeat a headline standing a little below them.

    Aggregators print "story : <headline> <first words of the article>" above the
    article; such a line contains a later, headline-shaped line.
    """
    checked = 0
    for i in doc.alive_indices():
        if checked >= TEASER_MAX_CHECKS:
            return
        if not doc.lines[i].feats.good:
            continue
        checked += 1
        key = words_key(doc.lines[i].text).split()
        later = doc.next_lines(i, TEASER_LOOKAHEAD, alive=True)
        for j in later:
            if title_shaped(doc, j) and _leads(words_key(doc.lines[j].text).split(), key):
                doc.remove(i, TEASER, HEURISTIC, detail=f"repeats line {doc.lines[j].no}")
                break
        else:
            return


def _leads(headline: list[str], words: list[str]) -> bool:
    """Whether `words` hold the headline's words, TEASER_MIN_HEADLINE_WORDS or more, in a
    row starting within TEASER_MAX_LEAD_WORDS of their start, and more words besides."""
    n = len(headline)
    if n < TEASER_MIN_HEADLINE_WORDS or n >= len(words):
        return False
    return any(words[k : k + n] == headline for k in range(TEASER_MAX_LEAD_WORDS + 1))


def find_title(doc: Document, hint: str | None = None) -> None:
    """Take the headline: the line above the body equal to the known title (`hint`),
    else the nearest remaining line above the body, if headline-shaped."""
    if doc.title is not None:
        return
    above = [i for i in doc.nonblank(0, doc.body_start) if doc.lines[i].alive]
    if doc.light and len(above) > LIGHT_TITLE_MAX_LINES_ABOVE_BODY:
        return  # after an extractor, many lines above the body are body, not a head
    if hint and (key := phrase_key(hint)):
        named = [i for i in above if phrase_key(doc.lines[i].text) == key]
        if named:
            above = named
    # Buttons between headline and body ("Print Recipe", "Listen") do not hide it.
    for _ in range(TITLE_SKIP_BUTTONS):
        if above and doc.lines[above[-1]].feats.words < TITLE_MIN_WORDS:
            above.pop()
    if above and title_shaped(doc, above[-1]) and not doc.lines[above[-1]].protected_from(TITLE):
        vetoed = continues_list(doc, above[-1])
        if vetoed is None:
            doc.mark_title(above[-1])
        else:
            doc.veto(above[-1], TITLE, vetoed)


def drop_title_repeats(doc: Document) -> None:
    """Drop head and tail lines that repeat the headline (feed footers, teasers)."""
    if doc.title is None:
        return
    key = phrase_key(doc.lines[doc.title].text)
    for i in doc.alive_indices():
        if (doc.in_head(i) or doc.in_tail(i)) and key in phrase_key(doc.lines[i].text):
            doc.remove(
                i, TITLE_REPEAT, HEURISTIC, detail=f"headline at line {doc.lines[doc.title].no}"
            )


def drop_above_title(doc: Document) -> None:
    """Drop short non-sentence lines above the headline: kickers, tags, menus."""
    if doc.title is None:
        return
    for i in doc.nonblank(0, doc.title):
        line = doc.lines[i]
        if line.alive and line.feats.run_item:
            if doc.light and line.feats.words > LIGHT_KICKER_MAX_WORDS:
                continue
            doc.remove(i, ABOVE_TITLE, HEURISTIC)
