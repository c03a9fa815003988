"""Reader comment threads below an article, found by their repeating stamps.

A comment thread prints one stamp per comment: the commenter and when they wrote
("Deborah July 23, 2012 at 4:39 am", "Posted by: Toni at September 10, 2012 12:11 PM",
"by jovox on Aug 9, 2012 10:23 AM EDT reply actions"). The names change from stamp to
stamp; the skeleton of digits and punctuation from the first digit on does not.
Three or more stamps of one skeleton with text between them, below enough article,
are a thread, whatever the page's language: the thread (and the footer below it)
goes, from its first stamp or from the comment header just above it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate, pairwise

import regex

from .document import HEURISTIC, RULE, Document

COMMENT_THREAD = "structure.comment-thread"

# A stamp is a short line that says when: a clock time, a numeric date, or a year with
# a day number before it, a few words apart at most ("July 23, 2012", "23. Juli 2012",
# "23 de julio de 2012"), or after it ("2012年7月23日").
STAMP_MAX_WORDS = 14
_CLOCK = regex.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_NUMERIC_DATE = regex.compile(r"(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")
_DAY_YEAR = regex.compile(
    r"(?<!\d)\d{1,2}(?:st|nd|rd|th|er)?\.?,?(?:\s\p{L}+\.?,?){0,3}\s(?:19|20)\d{2}(?!\d)"
    r"|(?<!\d)(?:19|20)\d{2}\s?[年/.\-]\s?\d{1,2}(?!\d)"
    r"|(?<!\d)\d{1,2}\s\p{L}{3,9}\.?\s\d{2}(?![\d:])"  # "07 Nov 12": a two-digit year
)
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")
_DIGITS = regex.compile(r"\d+")
# This many stamps of one skeleton make a thread ...
THREAD_MIN_STAMPS = 3
# ... when successive ones stand at most this many lines apart on average, nearly every
# gap between them holds text (a comment; a list of dated items has them back to back),
# and this share of the gaps a body-like line (a schedule, an archive list or a table of
# dates has only short lines between its dates).
THREAD_MAX_MEAN_GAP = 8
# Stamps that give the hour are comments' (a list of dated items, an embedded post's
# "— Name (@handle) November 18, 2019", seldom says it): their comments may run longer,
# under a platform's furniture (a quote box, "Report abuse", the commenter's counts).
THREAD_MAX_MEAN_GAP_CLOCKED = 12
THREAD_MIN_FILLED_GAPS = 0.8
THREAD_MIN_PROSE_GAPS = 0.4
THREAD_MIN_PROSE_GAPS_HEADED = 0.1  # under a comment header: short comments are many
# At most this share of the gaps holds a stamp of another skeleton: between comments
# stand their texts; between the items of a dated list, more dated items.
THREAD_MAX_MIXED_GAPS = 0.5
# Stamps further apart than this belong to different clusters (a byline above the
# article, a list of recent posts below the thread).
THREAD_MAX_GAP = 30
# The thread starts below this many words of body-like lines (the article it is on),
# or below this many under a comment header (a photo post's caption, then "119
# Comments"): the header says what follows.
THREAD_MIN_BODY_WORDS = 60
THREAD_MIN_BODY_WORDS_HEADED = 10
# A comment header ("Comments", "69 comments", "Leave a reply") this few lines above
# the first stamp starts the thread (stamps printed under their comment leave the first
# comment above the first stamp).
THREAD_HEADER_LOOKBACK = 4
THREAD_HEADER_FAMILY = "comments"


def _is_stamp(text: str, words: int) -> bool:
    """A short line that says when (see the module docstring)."""
    if words > STAMP_MAX_WORDS or not any(map(str.isdigit, text)):
        return False
    return any(p.search(text) for p in (_CLOCK, _NUMERIC_DATE, _DAY_YEAR))


def _skeleton(text: str) -> str:
    """The stamp from its first digit on, without letters, digits as 0: what every stamp
    of a thread shares (the names before it vary, "Klaus M." and "Sabine" alike)."""
    first = next(k for k, c in enumerate(text) if c.isdigit())
    return " ".join(_DIGITS.sub("0", _LETTERS.sub(" ", text[first:])).split())


def drop_comment_thread(doc: Document) -> None:
    """Cut the document at the first reader comment thread below the article."""
    stamps: dict[str, list[int]] = {}
    for i in range(len(doc.lines)):
        line = doc.lines[i]
        alive = not line.blank and (line.alive or line.removed_kind == RULE)
        if alive and _is_stamp(line.text, line.feats.words):
            stamps.setdefault(_skeleton(line.text), []).append(i)
    if not any(len(found) >= THREAD_MIN_STAMPS for found in stamps.values()):
        return
    every = sorted(i for found in stamps.values() for i in found)
    # Body-like words above each line, counted once.
    good = (ln.feats.words if ln.alive and ln.feats.good else 0 for ln in doc.lines)
    above = [0, *accumulate(good)]
    lines = [0, *accumulate(not ln.blank for ln in doc.lines)]  # non-blank ones
    first = None
    for skeleton, found in stamps.items():
        clocked = "0:0" in skeleton  # a clock time ("5:39 PM" is "0:0" in a skeleton)
        begin = _thread_start(
            found, every, above, lines, lambda i: _header_above(doc, i) != i, clocked
        )
        if begin is not None and (first is None or begin < first):
            first = begin
    if first is None:
        return
    top = _header_above(doc, first)
    detail = f"comment thread from line {doc.lines[first].no}"
    for j in range(top, len(doc.lines)):
        doc.remove(j, COMMENT_THREAD, HEURISTIC, detail=detail)


def _thread_start(
    stamps: list[int],
    every: list[int],
    above: list[int],
    lines: list[int],
    headed: Callable[[int], bool],
    clocked: bool = False,
) -> int | None:
    """The first stamp of a thread among one skeleton's stamps, if they make one: a
    cluster of them (none further than THREAD_MAX_GAP lines from the next) below
    enough article, close together, with comments between. `above` and `lines` count
    body-like words and non-blank lines above each line; `headed` says whether a
    comment header stands just above a stamp."""
    clusters: list[list[int]] = [[]]
    for i in stamps:
        if clusters[-1] and i - clusters[-1][-1] > THREAD_MAX_GAP:
            clusters.append([])
        clusters[-1].append(i)
    for stamped in clusters:
        # Stamps with too little article above them (a byline) do not start a thread.
        is_headed = headed(stamped[0])
        need = THREAD_MIN_BODY_WORDS_HEADED if is_headed else THREAD_MIN_BODY_WORDS
        prose_share = THREAD_MIN_PROSE_GAPS_HEADED if is_headed else THREAD_MIN_PROSE_GAPS
        cluster = [i for i in stamped if above[i] >= need]
        if len(cluster) < THREAD_MIN_STAMPS:
            continue
        gaps = list(pairwise(cluster))
        max_mean = THREAD_MAX_MEAN_GAP_CLOCKED if clocked else THREAD_MAX_MEAN_GAP
        if (cluster[-1] - cluster[0]) / len(gaps) > max_mean:
            continue
        filled = sum(1 for a, b in gaps if lines[b] > lines[a + 1])
        prose = sum(1 for a, b in gaps if above[b] > above[a + 1])
        # Clocked stamps are comments' (see THREAD_MAX_MEAN_GAP_CLOCKED): another stamp
        # in a gap with prose is a comment saying a time.
        mixed = sum(
            1
            for a, b in gaps
            if bisect_right(every, a) < bisect_left(every, b)
            and not (clocked and above[b] > above[a + 1])
        )
        if (
            filled >= THREAD_MIN_FILLED_GAPS * len(gaps)
            and prose >= prose_share * len(gaps)
            and mixed <= THREAD_MAX_MIXED_GAPS * len(gaps)
        ):
            return cluster[0]
    return None


def _header_above(doc: Document, i: int) -> int:
    """Line i, or the comment header a few lines above it. Above the first stamp may
    stand the first comment's text (platforms that sign a comment under it); a counter
    ("3 comments") above prose is taken only with an article's worth of body-like text
    above it (not a post's own counter by its byline), a bare heading ("Comments") with
    a short post's."""
    looked = 0
    passed_prose = False
    for j in range(i - 1, -1, -1):
        line = doc.lines[j]
        if line.blank:
            continue
        if looked == THREAD_HEADER_LOOKBACK:
            break
        looked += 1
        families = [c.id.split(".")[0] for c in line.candidates]
        if line.removed_kind == RULE:
            families.append(line.removed_family)
        if THREAD_HEADER_FAMILY in families:
            # A counter ("3 comments") by a byline is the post's own; a heading is not.
            need = THREAD_MIN_BODY_WORDS if _counts(line.text) else THREAD_MIN_BODY_WORDS_HEADED
            if not passed_prose or _body_words_above(doc, j) >= need:
                return j
            break
        passed_prose |= line.alive and line.feats.good
    return i


def _counts(text: str) -> bool:
    """Whether a comment header counts comments (it holds a number)."""
    return any(c.isdigit() for c in text)


def _body_words_above(doc: Document, i: int) -> int:
    return sum(ln.feats.words for ln in doc.lines[:i] if ln.alive and ln.feats.good)
