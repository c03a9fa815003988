"""The body: the main stretch of sentence-shaped lines, and prose stretches a long menu
cuts off from it (captions, polls) left outside.
"""

from __future__ import annotations

from itertools import pairwise

from .document import HEURISTIC, Document
from .vetoes import is_list

DETACHED = "structure.detached-prose"
# A menu between two stretches of prose splits them: this many lines or more, nearly all
# (this share) of at most this many words.
SPLIT_MENU_MIN_LINES = 10
SPLIT_MENU_ITEM_MAX_WORDS = 4
SPLIT_MENU_SHARE = 0.8
# A stretch of prose cut off from the article's by a menu is page furniture when it holds
# at most this share of the article stretch's words.
DETACHED_MAX_SHARE = 0.5
DETACHED_MAX_LINES = 3
# ... unless it starts this few lines below the headline the page title confirmed and
# holds this many words (more than a standfirst's one sentence): there the article
# begins, and the bigger stretch further down is reader posts or teasers.
DETACHED_OPENING_MAX_LINES = 12
DETACHED_OPENING_MIN_WORDS = 40


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
    page furniture (a caption, a disclaimer, a reader poll): its body-like lines go,
    unless it is the article's opening below its confirmed headline (`_opening`).
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
    opening = _opening(doc, stretches)
    for k, stretch in enumerate(stretches):
        if (
            k != main_at
            and len(stretch) <= DETACHED_MAX_LINES
            and words(stretch) <= DETACHED_MAX_SHARE * words(main)
        ):
            if k == opening and words(stretch) >= DETACHED_OPENING_MIN_WORDS:
                doc.veto(stretch[0], DETACHED, "the article's opening, right below its headline")
                continue
            # Cut off by a list (ingredients, steps), not a menu: the article's own.
            toward_main = menus[k] if k < main_at else menus[k - 1]
            if is_list(doc, toward_main):
                doc.veto(stretch[0], DETACHED, "the lines cutting it off are a list, not a menu")
                continue
            for j in stretch:
                doc.remove(j, DETACHED, HEURISTIC, detail="cut off from the article by a menu")
    return [j for j in good if doc.lines[j].alive]


def _opening(doc: Document, stretches: list[list[int]]) -> int | None:
    """Which stretch opens the article below the headline the page title confirmed
    (structure.page-title, the only headline found before the body): the first one
    below it, when it starts within DETACHED_OPENING_MAX_LINES lines of it."""
    title = doc.title
    if title is None:
        return None
    for k, stretch in enumerate(stretches):
        if stretch[0] > title:
            between = [j for j in range(title + 1, stretch[0]) if doc.lines[j].alive]
            return k if len(between) <= DETACHED_OPENING_MAX_LINES else None
    return None
