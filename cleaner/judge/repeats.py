"""Copies: a second copy of the article's opening after an extractor, and captions and
teasers printed twice.
"""

from __future__ import annotations

from collections import Counter

from ..text.normalize import phrase_key
from .document import HEURISTIC, RULE, Document

REPEATED = "structure.repeated-line"
DUPLICATE = "structure.duplicate"
# This many body-like lines repeating, in order, lines printed above are a copy.
DUPLICATE_MIN_RUN = 3
# ... starting from one of the article's first this many body-like lines (a second copy
# of the article; a plan or schedule repeats its middle parts).
DUPLICATE_FROM_FIRST_LINES = 2


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
