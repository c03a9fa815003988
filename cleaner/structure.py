"""Structural heuristics: junk that no rule names, found by position and line shape.

Each heuristic is one function with one job and a stable name that goes into the
trace. They run after the rule pass, in the order `Cleaner._judge` lists, on lines
the rules left. Thresholds are the named constants below.
"""

from __future__ import annotations

from collections import Counter

import regex

from .document import HEURISTIC, RULE, Document
from .features import RUN_MAX_WORDS
from .normalize import phrase_key

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

# A headline has this many words, and does not end with a full stop.
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
_INNER_SENTENCE_END = regex.compile(r"[.!?]\s+\p{Lu}\p{Ll}")
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
_WORDS = regex.compile(r"\w+")
_TITLE_SEPARATOR = regex.compile(r"\s+[|\-–—·•»:]\s+|\s+[|]\s*")
# Below an anchored headline, the first widget of these families after this many words
# of article closes the article: share bars, comment forms, newsletter boxes.
TAIL_WIDGET_FAMILIES = ("comments", "share", "promos")
TAIL_WIDGET_MIN_BODY_WORDS = 80
# Other junk a rule named closes it too when, in this many lines after it, less than
# this share of the words is body-like.
TAIL_WINDOW_LINES = 10
TAIL_WINDOW_PROSE_SHARE = 0.3
# A teaser repeats a headline found within this many non-blank lines below it.
TEASER_LOOKAHEAD = 8
# At most this many leading body-like lines are checked for being teasers.
TEASER_MAX_CHECKS = 3


def _title_shaped(doc: Document, i: int) -> bool:
    """A headline: a few words, one sentence, no full stop at the end, no link."""
    f = doc.lines[i].feats
    text = doc.lines[i].text
    return (
        f is not None
        and TITLE_MIN_WORDS <= f.words <= TITLE_MAX_WORDS
        and f.chars <= TITLE_MAX_CHARS
        and not text.endswith((".", "。", "．"))
        and not f.has_url
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
    page = _words_key(first.text)
    parts = {_words_key(p) for p in _TITLE_SEPARATOR.split(first.text)}
    parts = {p for p in parts if len(p.split()) >= TITLE_MIN_WORDS}
    # The headline part of the page title: its longest piece, without the site's name.
    page_words = set(max(parts or {page}, key=len).split())
    candidates = [
        i
        for i in order[1:ANCHOR_LOOKAHEAD_LINES]
        if _title_shaped(doc, i) and len(_words_key(doc.lines[i].text).split()) >= TITLE_MIN_WORDS
    ]

    def same(key: str) -> bool:
        return (
            key == page
            or key in parts
            or (page.startswith(key) and len(key) >= len(page) / 2)
            or any(key.startswith(p) and len(key) < 1.6 * len(p) for p in parts if len(p) > 20)
        )

    def alike(key: str) -> bool:  # a reworded headline shares most of its words
        words = set(key.split())
        smaller = min(len(words), len(page_words))
        return (
            smaller >= ANCHOR_ALIKE_MIN_WORDS
            and len(words & page_words) >= ANCHOR_ALIKE_SHARE * smaller
        )

    for test in (same, alike):
        for i in candidates:
            if test(_words_key(doc.lines[i].text)) and _more_body_below(doc, i):
                _anchor_at(doc, order, i)
                return


def _anchor_at(doc: Document, order: list[int], i: int) -> None:
    """Line i is the headline: the page title and everything above i go."""
    doc.remove(order[0], PAGE_TITLE, HEURISTIC, detail=f"headline at line {doc.lines[i].no}")
    for j in order[1:]:
        if j >= i:
            break
        doc.remove(j, ABOVE_HEADLINE, HEURISTIC)
    if not doc.lines[i].protected_from(TITLE):
        doc.lines[i].is_title = True
        doc.title = i


def _words_key(text: str) -> str:
    """Lower-case words only: a headline and its <title> differ in dashes and quotes."""
    return " ".join(_WORDS.findall(text.casefold()))


def _more_body_below(doc: Document, i: int) -> bool:
    """Whether the body-like words below line i outweigh those above it."""
    above = below = 0
    for j, line in enumerate(doc.lines):
        if line.alive and line.feats.good:
            if j < i:
                above += line.feats.words
            else:
                below += line.feats.words
    return below > above


def drop_after_article(doc: Document) -> None:
    """End the article at its first closing junk.

    On a full page, below an anchored headline, the share bar, comment form or
    newsletter box that follows enough article text marks the article's end; so does
    any other junk a rule named when little prose follows it. What comes after is
    related stories, comments and the site's footer. After an extractor, only the
    second kind closes it, and only once half the article stands above.
    """
    if doc.light:
        # After an extractor there is no page around: a widget closes the article only
        # once most of it stands above, and when little prose follows.
        total = sum(ln.feats.words for ln in doc.lines if ln.alive and ln.feats.good)
        start, needed, closes = 0, max(TAIL_WIDGET_MIN_BODY_WORDS, total / 2), _little_prose_after
    elif doc.title is None:
        return
    else:
        start, needed = doc.title + 1, TAIL_WIDGET_MIN_BODY_WORDS

        def closes(doc: Document, i: int) -> bool:
            family = doc.lines[i].removed_by.split(".")[0]
            return family in TAIL_WIDGET_FAMILIES or _little_prose_after(doc, i)

    words = 0
    for i in range(start, len(doc.lines)):
        line = doc.lines[i]
        if line.alive and line.feats.good:
            words += line.feats.words
            continue
        if words < needed or line.removed_kind != RULE:
            continue
        if closes(doc, i):
            for j in range(i + 1, len(doc.lines)):
                doc.remove(
                    j, AFTER_ARTICLE, HEURISTIC, detail=f"after {line.removed_by} at line {line.no}"
                )
            return


def _little_prose_after(doc: Document, i: int) -> bool:
    """Whether the lines after line i hold little body-like text."""
    window = [j for j in range(i + 1, len(doc.lines)) if doc.lines[j].feats][:TAIL_WINDOW_LINES]
    total = sum(doc.lines[j].feats.words for j in window)
    good = sum(
        doc.lines[j].feats.words for j in window if doc.lines[j].alive and doc.lines[j].feats.good
    )
    return not total or good < TAIL_WINDOW_PROSE_SHARE * total


def drop_repeated_lines(doc: Document) -> None:
    """Drop head and tail lines that the page prints more than once (gallery captions,
    teaser headlines, widget labels); article paragraphs are printed once."""
    keys = {i: phrase_key(ln.text) for i, ln in enumerate(doc.lines) if ln.feats is not None}
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
        later = [j for j in doc.nonblank(i + 1) if doc.lines[j].alive][:TEASER_LOOKAHEAD]
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
    if good:
        doc.body_start, doc.body_end = good[0], good[-1]


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
        doc.lines[above[-1]].is_title = True
        doc.title = above[-1]


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
    order = doc.nonblank()
    changed = True
    while changed:
        changed = False
        for positions in (range(len(order)), range(len(order) - 1, -1, -1)):
            for pos in positions:
                i = order[pos]
                if doc.lines[i].alive and (doc.in_head(i) or doc.in_tail(i)):
                    changed |= _judge_edge_line(doc, order, pos)
        changed |= _drop_sandwiched_runs(doc, order)


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


def _edge_run_rule(doc: Document, i: int):
    """The edge-run rule waiting on line i, if any."""
    return next((r for r in doc.lines[i].candidates if "edge-run" in r.where), None)


def _short(doc: Document, i: int) -> bool:
    """Short enough to be a menu item or teaser headline (questions included)."""
    return doc.lines[i].feats.words <= RUN_MAX_WORDS


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
