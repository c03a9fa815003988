"""Tail lists: headline-shaped lines in a row below the article's last paragraph (other
stories), unless the article announces them or they are its own data.
"""

from __future__ import annotations

import unicodedata

from .document import HEURISTIC, Document
from .headline import title_shaped

TAIL_LIST = "structure.tail-list"
# Below the article on a full page, a list of at least this many headline-shaped lines
# in a row (other stories: related, recent, most-read posts) goes, header or not.
TAIL_LIST_MIN_LINES = 4
TAIL_LIST_MIN_WORDS = 4
# ... unless this share of its lines start with a figure: the article's own data
# (dates, quantities, track numbers), not headlines.
TAIL_LIST_FIGURES_SHARE = 1 / 2


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
        if len(run) >= TAIL_LIST_MIN_LINES and not data_list(doc, run):
            for j in run:
                doc.remove(j, TAIL_LIST, HEURISTIC, detail=f"a list of {len(run)} headlines")
        run = []


def data_list(doc: Document, run: list[int]) -> bool:
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
        and title_shaped(doc, i)
    )
