"""Structural heuristics: junk that no rule names, found by position and line shape.

Each heuristic is one function with one job and a stable name that goes into the
trace. They run after the rule pass, in the order `Cleaner._judge` lists, on lines
the rules left. Thresholds are the named constants below.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from itertools import accumulate, islice, pairwise

import regex

from ..text.features import RUN_MAX_WORDS
from ..text.normalize import phrase_key
from .document import HEURISTIC, RULE, Document
from .vetoes import continues_list, headline_drops_main_run, is_list

PAGE_TITLE = "structure.page-title"
ABOVE_HEADLINE = "structure.above-headline"
AFTER_ARTICLE = "structure.after-article"
REPEATED = "structure.repeated-line"
TEASER = "structure.teaser"
TITLE = "structure.title"
TITLE_REPEAT = "structure.title-repeat"
ABOVE_TITLE = "structure.above-title"
HEAD_RUN = "structure.head-run"
TAIL_RUN = "structure.tail-run"
DETACHED = "structure.detached-prose"
DUPLICATE = "structure.duplicate"
TEASER_BOX = "structure.teaser-box"
TAIL_LIST = "structure.tail-list"

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
# Below an anchored headline, the first widget of these families after this many words
# of article closes the article: share bars, comment forms, newsletter boxes.
TAIL_WIDGET_FAMILIES = ("comments", "share", "promos")
TAIL_WIDGET_MIN_BODY_WORDS = 80
# A share bar under the headline and another below it frame the article even when it is
# a list without prose: this many lines, words, and words a line on average between them.
FRAMED_LIST_MIN_LINES = 5
FRAMED_LIST_MIN_WORDS = 40
FRAMED_LIST_MIN_AVERAGE = 5
# Other junk a rule named closes it too when, in this many lines after it, less than
# this share of the words is body-like.
TAIL_WINDOW_LINES = 10
TAIL_WINDOW_PROSE_SHARE = 0.3
# A header of a related-stories box ("Related", "Most Popular", "More in <section>") sits
# inside articles too; it closes the article when no prose run follows it anywhere below:
# no two body-like lines in a row, only teaser headlines and their one-line blurbs (two
# or more of them, or none).
TEASER_BOX_FAMILIES = ("teasers",)
# A box header is short; a longer teaser line is a single link inside the text.
TEASER_BOX_HEADER_MAX_WORDS = 6
# A box header with a headline after a colon ("Related post: <headline>") is one link.
_LABELLED_LINK = regex.compile(r":\s*\w")
# Text that announces what follows it ("... our picks are below.", "The squad:") goes on
# below, as a list or a table: junk after it does not end the article.
_ANNOUNCES = regex.compile(r"(?::|\bbelow[.!]?)\s*$", regex.IGNORECASE)
# Under a box header, this many headline-shaped lines are its links.
TEASER_BOX_MIN_ITEMS = 2
TEASER_BOX_MAX_ITEMS = 8
# A menu between two stretches of prose splits them: this many lines or more, nearly all
# (this share) of at most this many words.
SPLIT_MENU_MIN_LINES = 10
SPLIT_MENU_ITEM_MAX_WORDS = 4
SPLIT_MENU_SHARE = 0.8
# A stretch of prose cut off from the article's by a menu is page furniture when it holds
# at most this share of the article stretch's words.
DETACHED_MAX_SHARE = 0.5
DETACHED_MAX_LINES = 3
# Below the article of a full page, teaser headlines of other stories run this long.
TAIL_TEASER_MAX_WORDS = 20
# This many body-like lines repeating, in order, lines printed above are a copy.
DUPLICATE_MIN_RUN = 3
# ... starting from one of the article's first this many body-like lines (a second copy
# of the article; a plan or schedule repeats its middle parts).
DUPLICATE_FROM_FIRST_LINES = 2
# Below the article on a full page, a list of at least this many headline-shaped lines
# in a row (other stories: related, recent, most-read posts) goes, header or not.
TAIL_LIST_MIN_LINES = 4
TAIL_LIST_MIN_WORDS = 4
# ... unless this share of its lines start with a figure: the article's own data
# (dates, quantities, track numbers), not headlines.
TAIL_LIST_FIGURES_SHARE = 1 / 2
# A teaser repeats a headline found within this many non-blank lines below it.
TEASER_LOOKAHEAD = 8
# At most this many leading body-like lines are checked for being teasers.
TEASER_MAX_CHECKS = 3


def _title_shaped(doc: Document, i: int) -> bool:
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
    first = doc.lines[order[0]]
    page = words_key(first.text)
    # In title order: of two parts as long, the first is the headline ("Headline |
    # Site"), and a set's order would change from run to run with string hashing.
    ordered = [words_key(p) for p in _TITLE_SEPARATOR.split(first.text)]
    ordered = [p for p in dict.fromkeys(ordered) if len(p.split()) >= TITLE_MIN_WORDS]
    parts = set(ordered)
    # The headline part of the page title: its longest piece, without the site's name.
    headline_part = max(ordered or [page], key=len)
    page_words = set(headline_part.split())
    # The page title itself vouches for a line that repeats it, even one with a full stop
    # ("... They just might be."); a merely alike line must be headline-shaped.
    keys = {
        i: words_key(doc.lines[i].text)
        for i in order[1:ANCHOR_LOOKAHEAD_LINES]
        if _headline_sized(doc, i)
    }
    sized = [i for i, key in keys.items() if len(key.split()) >= TITLE_MIN_WORDS]
    shaped = [i for i in sized if _title_shaped(doc, i)]

    # A dump's title line may have lost what its tag escaped ("Chads World 15Flash" for
    # "Chad’s World 15–Flash"): the same letters and digits in a row are the same title.
    squashed_page = page.replace(" ", "")

    def same(key: str, pieces: set[str]) -> bool:
        squashed = key.replace(" ", "")
        return (
            key == page
            or key in pieces
            or squashed == squashed_page
            or any(squashed == p.replace(" ", "") for p in pieces)
            or (page.startswith(key) and len(key) >= len(page) / 2)
            or any(key.startswith(p) and len(key) < 1.6 * len(p) for p in pieces if len(p) > 20)
        )

    def alike(key: str) -> bool:  # a reworded headline shares most of its words
        words = set(key.split())
        smaller = min(len(words), len(page_words))
        return (
            smaller >= ANCHOR_ALIKE_MIN_WORDS
            and len(words & page_words) >= ANCHOR_ALIKE_SHARE * smaller
        )

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
        (lambda key: same(key, {headline_part}), sized, (starts, more_below)),
        (lambda key: same(key, parts), sized, (starts, more_below)),
        (alike, shaped, (more_below,)),
    ):
        matching = [i for i in candidates if test(keys[i])]
        for starts in checks:
            for i in matching:
                if i in vetoed or not starts(i):
                    continue
                why = headline_drops_main_run(doc, order, i)
                if why is None:
                    _anchor_at(doc, order, i)
                    return
                vetoed.add(i)
                doc.veto(i, ABOVE_HEADLINE, why)


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


def drop_after_article(doc: Document) -> None:
    """End the article at its first closing junk.

    On a full page, below an anchored headline, the share bar, comment form or
    newsletter box that follows enough article text marks the article's end; so does
    any other junk a rule named when little prose follows it, and the header of a
    related-stories box below which no prose run follows (only headlines and blurbs).
    What comes after is related stories, comments and the site's footer. After an
    extractor, only little prose after junk closes it, and only once half the article
    stands above. Junk right after text that announces more ("... below:") closes
    nothing but a widget. An article that is a list, with no prose, ends at the second
    of the share bars that frame it.
    """
    if doc.light:
        # After an extractor there is no page around: a widget closes the article only
        # once most of it stands above, and when little prose follows.
        total = sum(ln.feats.words for ln in doc.lines if ln.alive and ln.feats.good)
        start, needed = 0, max(float(TAIL_WIDGET_MIN_BODY_WORDS), total / 2)

        def closes(doc: Document, i: int) -> bool:
            return not _announces_more(doc, i) and _little_prose_after(doc, i)

    elif doc.title is None:
        return
    else:
        start, needed = doc.title + 1, float(TAIL_WIDGET_MIN_BODY_WORDS)

        def closes(doc: Document, i: int) -> bool:
            family = doc.lines[i].removed_family
            if family in TAIL_WIDGET_FAMILIES:
                return True
            if _announces_more(doc, i):
                return False  # "... our picks are below:": a list follows, not the footer
            return _little_prose_after(doc, i) or (
                _box_header(doc, i) and not _prose_resumes(doc, i)
            )

    words = 0
    bar = None  # the share bar last seen below the headline (full page)
    for i in range(start, len(doc.lines)):
        line = doc.lines[i]
        if line.alive and line.feats.good:
            words += line.feats.words
            continue
        if line.removed_kind != RULE:
            continue
        if not doc.light and line.removed_family == "share":
            if words < needed and bar is not None and _framed_list(doc, bar, i):
                _drop_below(doc, i, f"after {line.removed_by} at line {line.no}, below a list")
                framed = [j for j in range(bar + 1, i) if doc.lines[j].alive]
                doc.body_start, doc.body_end = framed[0], framed[-1]  # no prose to find it by
                return
            bar = i
        if words < needed:
            continue
        if closes(doc, i):
            _drop_below(doc, i, f"after {line.removed_by} at line {line.no}")
            return


def _announces_more(doc: Document, i: int) -> bool:
    """Whether the last line still in the body above line i announces what follows it
    (ends with a colon, or with "below"): the article goes on, as a list or a table."""
    above = next((j for j in range(i - 1, -1, -1) if doc.lines[j].alive), None)
    return above is not None and bool(_ANNOUNCES.search(doc.lines[above].text))


def _drop_below(doc: Document, i: int, detail: str) -> None:
    """Everything below line i goes: the article has ended."""
    for j in range(i + 1, len(doc.lines)):
        doc.remove(j, AFTER_ARTICLE, HEURISTIC, detail=detail)


def _framed_list(doc: Document, top: int, bottom: int) -> bool:
    """Whether the lines between two share bars below the headline are an article made
    of a list (a calendar, a line-up): no prose, but several lines of a few words each,
    more than a menu or a byline holds."""
    lines = [j for j in range(top + 1, bottom) if doc.lines[j].alive]
    words = sum(doc.lines[j].feats.words for j in lines)
    return (
        len(lines) >= FRAMED_LIST_MIN_LINES
        and words >= FRAMED_LIST_MIN_WORDS
        and words >= FRAMED_LIST_MIN_AVERAGE * len(lines)
        and not any(doc.lines[j].feats.good for j in lines)
    )


def _little_prose_after(doc: Document, i: int) -> bool:
    """Whether the lines after line i hold little body-like text."""
    window = [j for j in range(i + 1, len(doc.lines)) if not doc.lines[j].blank][:TAIL_WINDOW_LINES]
    total = sum(doc.lines[j].feats.words for j in window)
    good = sum(
        doc.lines[j].feats.words for j in window if doc.lines[j].alive and doc.lines[j].feats.good
    )
    return not total or good < TAIL_WINDOW_PROSE_SHARE * total


def drop_teaser_boxes(doc: Document) -> None:
    """Drop the headlines listed under a related-stories box header that a rule named
    ("Related", "Read more", "More in Politics"), up to the text that follows the box:
    two to TEASER_BOX_MAX_ITEMS headline-shaped lines."""
    for i, line in enumerate(doc.lines):
        if not _box_header(doc, i):
            continue
        items = []
        for j in doc.next_lines(i, TEASER_BOX_MAX_ITEMS + 1):
            below = doc.lines[j]
            if not below.alive or not _title_shaped(doc, j) or below.feats.clause:
                break
            items.append(j)
        if not TEASER_BOX_MIN_ITEMS <= len(items) <= TEASER_BOX_MAX_ITEMS:
            continue  # one line may be the text's own; a long list is not a box of links
        for j in items:
            doc.remove(
                j, TEASER_BOX, HEURISTIC, detail=f"under {line.removed_by} at line {line.no}"
            )


def _box_header(doc: Document, i: int) -> bool:
    """A short header of a related-stories box that a rule removed (not a single link
    such as 'Related post: <headline>')."""
    line = doc.lines[i]
    return (
        line.removed_kind == RULE
        and line.removed_family in TEASER_BOX_FAMILIES
        and not line.blank
        and line.feats.words <= TEASER_BOX_HEADER_MAX_WORDS
        and not _LABELLED_LINK.search(line.text)
    )


def _prose_resumes(doc: Document, i: int) -> bool:
    """Whether the article goes on below a box inside it at line i: two body-like lines
    follow each other somewhere below (among the lines still in the body), or a single
    body-like line stands below (the article's last paragraph; blurbs come in a list)."""
    previous_good = False
    good = 0
    for j in range(i + 1, len(doc.lines)):
        line = doc.lines[j]
        if not line.alive:
            continue
        if line.feats.good and previous_good:
            return True
        previous_good = line.feats.good
        good += line.feats.good
    return good == 1


def drop_duplicates(doc: Document) -> None:
    """After an extractor, drop a second copy of the article: a run of body-like lines
    (DUPLICATE_MIN_RUN or more) that repeats, in order, the article's opening lines (an
    app or feed copy under the web copy; shortened copies ending in an ellipsis count).
    The first copy stays, so no text is lost; lines and parts repeat in real articles
    (the same question put to each guest, the days of a plan) and stay."""
    good = [i for i in doc.alive_indices() if doc.lines[i].feats.good]
    first: dict[str, int] = {}  # key -> position in `good` of its first copy
    origin: list[int | None] = []
    for pos, i in enumerate(good):
        text = doc.lines[i].text
        key = phrase_key(text)
        found = first.get(key)
        if found is None and text.endswith(("...", "…")):
            found = next((p for k, p in first.items() if k.startswith(key)), None)
        origin.append(found)
        first.setdefault(key, pos)
    pos = 0
    while pos < len(good):
        end = pos
        start = origin[pos]  # the run pos..end copies lines start.. in order
        if start is not None:
            while end + 1 < len(good) and origin[end + 1] == start + end + 1 - pos:
                end += 1
        if (
            start is not None
            and start < DUPLICATE_FROM_FIRST_LINES
            and end - pos + 1 >= DUPLICATE_MIN_RUN
        ):
            for k in range(pos, end + 1):
                original = doc.lines[good[start + k - pos]].no
                doc.remove(good[k], DUPLICATE, HEURISTIC, detail=f"copy of line {original}")
        pos = end + 1


def drop_repeated_lines(doc: Document) -> None:
    """Drop head and tail lines that the page prints more than once (gallery captions,
    teaser headlines, widget labels); article paragraphs are printed once."""
    keys = {i: phrase_key(ln.text) for i, ln in enumerate(doc.lines) if not ln.blank}
    seen = Counter(k for i, k in keys.items() if doc.lines[i].removed_kind != RULE)
    for i, key in keys.items():
        if key and seen[key] > 1 and doc.lines[i].alive and (doc.in_head(i) or doc.in_tail(i)):
            doc.remove(i, REPEATED, HEURISTIC)


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
        key = phrase_key(doc.lines[i].text)
        later = doc.next_lines(i, TEASER_LOOKAHEAD, alive=True)
        for j in later:
            later_key = phrase_key(doc.lines[j].text)
            if _title_shaped(doc, j) and later_key in key and len(later_key) < len(key):
                doc.remove(i, TEASER, HEURISTIC, detail=f"repeats line {doc.lines[j].no}")
                break
        else:
            return


def find_body(doc: Document) -> None:
    """Find the article body: from the first to the last body-like line the rules left.

    A line that a head or tail rule would remove there does not mark the body's edge.
    """
    good = [
        i
        for i in doc.alive_indices()
        if doc.lines[i].feats.good
        and not any(c.where.isdisjoint({"anywhere"}) for c in doc.lines[i].candidates)
    ]
    if good and not doc.light:
        good = _main_stretch(doc, good)
    if good:
        doc.body_start, doc.body_end = good[0], good[-1]


def _main_stretch(doc: Document, good: list[int]) -> list[int]:
    """On a full page, the body-like lines of the article's own stretch of prose.

    A long menu (SPLIT_MENU_MIN_LINES lines or more, nearly all of a few words) between
    two body-like lines splits the page into stretches (unless the line above it ends
    with a colon: a list the text introduces); the one with the most words is the
    article's. A stretch of a few lines, much smaller than it and cut off by a menu, is
    page furniture (a caption, a disclaimer, a reader poll): its body-like lines go.
    """
    stretches = [[good[0]]]
    menus: list[list[int]] = []  # the lines between stretch k and k + 1
    for a, b in pairwise(good):
        between = [j for j in range(a + 1, b) if doc.lines[j].alive]
        items = [j for j in between if doc.lines[j].feats.words <= SPLIT_MENU_ITEM_MAX_WORDS]
        if (
            len(items) >= SPLIT_MENU_MIN_LINES
            and len(items) >= SPLIT_MENU_SHARE * len(between)
            and not doc.lines[a].text.endswith(":")  # a list the text introduces
        ):
            stretches.append([b])
            menus.append(between)
        else:
            stretches[-1].append(b)
    if len(stretches) == 1:
        return good

    def words(stretch: list[int]) -> int:
        return sum(doc.lines[j].feats.words for j in stretch)

    main_at = max(range(len(stretches)), key=lambda k: words(stretches[k]))
    main = stretches[main_at]
    for k, stretch in enumerate(stretches):
        if (
            k != main_at
            and len(stretch) <= DETACHED_MAX_LINES
            and words(stretch) <= DETACHED_MAX_SHARE * words(main)
        ):
            # Cut off by a list (ingredients, steps), not a menu: the article's own.
            toward_main = menus[k] if k < main_at else menus[k - 1]
            if is_list(doc, toward_main):
                doc.veto(stretch[0], DETACHED, "the lines cutting it off are a list, not a menu")
                continue
            for j in stretch:
                doc.remove(j, DETACHED, HEURISTIC, detail="cut off from the article by a menu")
    return [j for j in good if doc.lines[j].alive]


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
    if above and _title_shaped(doc, above[-1]) and not doc.lines[above[-1]].protected_from(TITLE):
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


def drop_edge_runs(doc: Document) -> None:
    """Extend junk at the head and tail to the short lines around it, until nothing changes.

    A short non-prose line (menu item, blogroll entry, author name) next to junk, in the
    head or the tail, is junk; so is a run of short lines of any kind with junk (or the
    document's edge) on both sides, such as teaser headlines between two widgets.
    Edge-run rules ("Search", "Share") also fire on the first or last line.
    """
    # The article's own list right below its last paragraph (tour dates, quantities)
    # is not the tail's junk: its lines are not judged here.
    kept = set(_data_list_below_body(doc))
    order = [i for i in doc.nonblank() if i not in kept]
    changed = True
    while changed:
        changed = False
        for positions in (range(len(order)), range(len(order) - 1, -1, -1)):
            for pos in positions:
                i = order[pos]
                if not doc.lines[i].alive:
                    continue
                if doc.in_head(i) or doc.in_tail(i):
                    changed |= _judge_edge_line(doc, order, pos)
                elif not doc.light:
                    changed |= _judge_widget_word(doc, order, pos)
        changed |= _drop_sandwiched_runs(doc, order)


def _data_list_below_body(doc: Document) -> list[int]:
    """The lines of a list that starts right below the body's last line and is the
    article's own data (`_data_list`): at least TAIL_LIST_MIN_LINES short lines."""
    if doc.light or doc.body_end is None:
        return []
    run = []
    for i in doc.nonblank(doc.body_end + 1):
        line = doc.lines[i]
        if not line.alive or line.feats.words > TAIL_TEASER_MAX_WORDS or line.feats.good:
            break
        run.append(i)
    if len(run) >= TAIL_LIST_MIN_LINES and _data_list(doc, run):
        return run
    return []


def _is_junk(doc: Document, order: list[int], pos: int) -> bool:
    """Whether the non-blank line at `pos` was removed (in light structure: by a rule);
    beyond either end counts as junk."""
    if not 0 <= pos < len(order):
        return True
    line = doc.lines[order[pos]]
    return line.removed_by is not None and (not doc.light or line.removed_kind == RULE)


def _judge_edge_line(doc: Document, order: list[int], pos: int) -> bool:
    i = order[pos]
    line = doc.lines[i]
    next_to_junk = (pos > 0 and _is_junk(doc, order, pos - 1)) or (
        pos + 1 < len(order) and _is_junk(doc, order, pos + 1)
    )
    at_edge = pos == 0 if doc.in_head(i) else pos == len(order) - 1
    # Two menu words in a row ("Facebook", "Twitter") make a widget of their own.
    in_widget = any(
        0 <= k < len(order) and _edge_run_rule(doc, order[k]) is not None
        for k in (pos - 1, pos + 1)
    )
    rule = _edge_run_rule(doc, i)
    if rule is not None and (next_to_junk or at_edge or in_widget) and doc.remove(i, rule.id, RULE):
        return True
    if next_to_junk and line.feats.run_item and not (doc.light and doc.in_head(i)):
        return doc.remove(i, HEAD_RUN if doc.in_head(i) else TAIL_RUN, HEURISTIC)
    return False


def _judge_widget_word(doc: Document, order: list[int], pos: int) -> bool:
    """Inside the article of a full page, a widget word an edge-run rule names ("Share",
    "Tweet", "Email") goes only as part of a widget: next to a line a rule removed, or
    to another such word."""
    i = order[pos]
    rule = _edge_run_rule(doc, i)
    if rule is None:
        return False
    for k in (pos - 1, pos + 1):
        if not 0 <= k < len(order):
            continue
        j = order[k]
        near = doc.lines[j]
        if (near.removed_kind == RULE and near.removed_by is not None) or (
            near.alive and _edge_run_rule(doc, j) is not None
        ):
            return doc.remove(i, rule.id, RULE)
    return False


def _edge_run_rule(doc: Document, i: int):
    """The edge-run rule waiting on line i, if any."""
    return next((r for r in doc.lines[i].candidates if "edge-run" in r.where), None)


def _short(doc: Document, i: int) -> bool:
    """Short enough to be a menu item or teaser headline (questions included)."""
    return doc.lines[i].feats.words <= RUN_MAX_WORDS or _tail_teaser(doc, i)


def _tail_teaser(doc: Document, i: int) -> bool:
    """Below the article of a full page, a headline of another story: headline-shaped,
    no clause, up to TAIL_TEASER_MAX_WORDS words (longer than a menu item)."""
    f = doc.lines[i].feats
    return (
        not doc.light
        and doc.in_tail(i)
        and f.words <= TAIL_TEASER_MAX_WORDS
        and not f.clause
        and _title_shaped(doc, i)
    )


def _run_member(doc: Document, i: int) -> bool:
    """A short line still in the body, or one an edge-run heuristic already took."""
    line = doc.lines[i]
    return (line.alive and _short(doc, i)) or line.removed_by in (HEAD_RUN, TAIL_RUN)


def _drop_sandwiched_runs(doc: Document, order: list[int]) -> bool:
    """Drop runs of short lines in the head or tail with junk on both sides."""
    changed = False
    pos = 0
    while pos < len(order):
        i = order[pos]
        zone = doc.in_tail(i) or (doc.in_head(i) and not doc.light)
        if not (zone and _run_member(doc, i)):
            pos += 1
            continue
        end = pos
        while end + 1 < len(order):
            j = order[end + 1]
            if not (doc.in_tail(j) == doc.in_tail(i) and _run_member(doc, j)):
                break
            end += 1
        if _is_junk(doc, order, pos - 1) and _is_junk(doc, order, end + 1):
            name = HEAD_RUN if doc.in_head(i) else TAIL_RUN
            for k in range(pos, end + 1):
                changed |= doc.remove(order[k], name, HEURISTIC, detail="between junk")
        pos = end + 1
    return changed


def drop_tail_lists(doc: Document) -> None:
    """On a full page, drop lists of other stories' headlines below the article: runs of
    TAIL_LIST_MIN_LINES or more headline-shaped lines (a few words, no sentence end)
    after its last prose line, with or without a header a rule names."""
    if doc.light or doc.body_end is None or doc.body_start is None:
        return
    if all(doc.lines[i].alive for i in doc.nonblank(0, doc.body_start)):
        return  # no furniture above the article: not a full page (an extractor's text)
    run: list[int] = []
    for i in [*doc.nonblank(doc.body_end + 1), None]:
        if i is not None and not doc.lines[i].alive:
            continue  # junk already gone does not end a list
        if i is not None and _tail_list_item(doc, i):
            run.append(i)
            continue
        if len(run) >= TAIL_LIST_MIN_LINES and not _data_list(doc, run):
            for j in run:
                doc.remove(j, TAIL_LIST, HEURISTIC, detail=f"a list of {len(run)} headlines")
        run = []


def _data_list(doc: Document, run: list[int]) -> bool:
    """Whether a run of short lines is the article's own list, not other stories: the
    text above announces it ("... dates:"), or half its lines start with a figure
    (dates, quantities, track numbers), as headlines of other stories seldom do."""
    above = next((j for j in range(run[0] - 1, -1, -1) if doc.lines[j].alive), None)
    if above is not None and doc.lines[above].text.rstrip().endswith(":"):
        return True
    figures = sum(1 for j in run if _led_by_a_figure(doc.lines[j].text))
    return figures >= TAIL_LIST_FIGURES_SHARE * len(run)


def _led_by_a_figure(text: str) -> bool:
    """A figure in the line's first two words: "June 9 – Tampa", "1 can milk", "01 Intro"
    (a model number later in a headline, "LG Viper 4G", does not count)."""
    return any(c.isdigit() for c in " ".join(text.split()[:2]))


def _tail_list_item(doc: Document, i: int) -> bool:
    """A headline of another story: a few words, headline-shaped, not a sentence (no
    end mark, not even "!" or "?"; a line closed by an emoji is a sentence too)."""
    f = doc.lines[i].feats
    text = doc.lines[i].text
    return (
        f.words >= TAIL_LIST_MIN_WORDS
        and not f.terminal
        and not unicodedata.category(text[-1]).startswith("S")
        and _title_shaped(doc, i)
    )
