"""Guesses the page must confirm: no single structural guess may take the article with it.

A headline found by the page title, a headline taken above the body, a stretch of prose
cut off by a menu: each is a guess, and a wrong one removes the article. Before such a
step acts, the rest of the page is asked. Each check here returns None (the page agrees)
or the reason the step does not act, which the step records with `Document.veto`: it
goes into the trace and `cleaner explain` as `structure.<step>: vetoed`.

The page's *text runs* are what the checks read: stretches of lines in a row that read
as running text (prose, and also verse or lyrics: lines of a few words, many of them
little words), where a label of a word or two ("Chorus", "Verse 2") does not end one.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..text.features import LineFeatures
from ..text.normalize import phrase_key
from .document import Document

# A headline is vetoed when the text run it would drop (ending right above it, or
# running through it) holds at least VETO_MIN_WORDS words in VETO_MIN_LINES lines of
# text, more than VETO_RUN_RATIO times the words of the longest run it keeps below (the
# prose kept must be the longer), and the guessed line is no headline of it: a label
# without a little word ("MAGAZINE 52/2018", "Print edition 3/2021"), or a repeat of a
# line inside that run (a chorus). (A true headline under a long block of teasers, a
# line with little words, is not vetoed: teasers glued to their blurbs read as text.)
VETO_RUN_RATIO = 1.0
VETO_MIN_WORDS = 60
VETO_MIN_LINES = 3
# "Right above": at most this many lines between the run's end and the headline.
VETO_GAP_LINES = 2
# Running text: prose, or a line of at least this many words with this share of
# stopwords (a line of verse; a menu item or a name has none).
TEXT_MIN_WORDS = 4
TEXT_STOPWORD_SHARE = 0.2
# A line of at most this many words is a label inside a run, not its end.
RUN_LABEL_MAX_WORDS = 2
# A list, not a menu: at least this many lines, and this share of them led by a number
# or a bullet (ingredients, steps, a numbered list).
LIST_MIN_ITEMS = 3
LIST_SHARE = 0.8
_BULLETS = ("•", "·", "▪", "►", "✓", "○", "◦", "- ", "– ", "* ")


@dataclass(frozen=True, slots=True)
class Run:
    """Lines in a row that read as running text: first and last index, and words."""

    first: int
    last: int
    words: int
    lines: int  # text lines in it (labels not counted)


def text_line(f: LineFeatures) -> bool:
    """Reads as running text: prose, or a line of verse."""
    return f.good or (
        f.words >= TEXT_MIN_WORDS and f.stopword_share >= TEXT_STOPWORD_SHARE and not f.has_url
    )


def text_runs(doc: Document, order: list[int], cut: int) -> list[Run]:
    """The text runs among the lines `order` (indices, in order); a run also ends above
    line `cut`, so the guessed line starts the side below it."""
    runs: list[Run] = []
    first = last = -1
    words = lines = 0
    for i in order:
        f = doc.lines[i].feats
        text = text_line(f)
        if first >= 0 and (i == cut or not (text or f.words <= RUN_LABEL_MAX_WORDS)):
            runs.append(Run(first, last, words, lines))
            first, words, lines = -1, 0, 0
        if text:
            first = i if first < 0 else first
            last, words, lines = i, words + f.words, lines + 1
    if first >= 0:
        runs.append(Run(first, last, words, lines))
    return runs


def headline_drops_main_run(doc: Document, order: list[int], i: int) -> str | None:
    """Whether taking line i as the headline (everything above it dropped) would drop the
    page's main text run: the longest run ends right above it (or runs into it), it
    outweighs every run below, and line i is a label or repeats a line of it. A
    print-issue label under the article, a chorus line repeating the song's title: the
    text above is the article."""
    runs = text_runs(doc, order, i)
    above = [r for r in runs if r.last < i]
    if not above:
        return None
    main = max(above, key=lambda r: r.words)
    kept = max((r.words for r in runs if r.first >= i), default=0)
    gap = sum(1 for j in order if main.last < j < i)
    if gap > VETO_GAP_LINES or main.words < VETO_MIN_WORDS or main.lines < VETO_MIN_LINES:
        return None
    if main.words <= VETO_RUN_RATIO * kept:
        return None
    run = (
        f"the page's main text run (lines {doc.lines[main.first].no}-"
        f"{doc.lines[main.last].no}, {main.words} words; the longest below it has {kept})"
    )
    f = doc.lines[i].feats
    if f.stopword_share == 0 and not f.terminal:
        return f"a label, not a headline, under {run}"
    key = phrase_key(doc.lines[i].text)
    for j in order:
        if main.first <= j <= main.last and phrase_key(doc.lines[j].text) == key:
            return f"it repeats line {doc.lines[j].no} of {run}: a refrain, not a headline"
    return None


def list_led(text: str) -> bool:
    """Led by a number or a bullet, as list items are ("250 g Honig", "• Step two")."""
    return text[:1].isdigit() or text.startswith(_BULLETS)


def is_list(doc: Document, lines: list[int]) -> bool:
    """Whether these lines are a list (items led by numbers or bullets), not a menu."""
    led = sum(1 for j in lines if list_led(doc.lines[j].text))
    return len(lines) >= LIST_MIN_ITEMS and led >= LIST_SHARE * len(lines)


def continues_list(doc: Document, i: int) -> str | None:
    """Whether line i, taken as the headline, is the last item of a list above it."""
    if not list_led(doc.lines[i].text):
        return None
    items = []
    for j in range(i - 1, -1, -1):
        line = doc.lines[j]
        if line.blank:
            continue
        if not line.alive or not list_led(line.text):
            break
        items.append(j)
    if len(items) < LIST_MIN_ITEMS - 1:
        return None
    first = doc.lines[items[-1]].no
    return f"it is the last item of the list at lines {first}-{doc.lines[i].no}"


# A header counting no comments ("0 comments", "No comments") heads no thread.
_COUNTS_NOTHING = regex.compile(r"(?:0|no|zero)\b", regex.IGNORECASE)


def repeated_heading(doc: Document, i: int) -> str | None:
    """Whether a block header ("Comments") is printed on another line of the page too:
    a link under each item, not the header of one block."""
    key = phrase_key(doc.lines[i].text)
    again = sum(1 for ln in doc.lines if not ln.blank and phrase_key(ln.text) == key) - 1
    if not again:
        return None
    return f"it is printed {again + 1} times on the page: a link under each item, not a header"


def counts_nothing_above_prose(text: str, follows: bool) -> str | None:
    """Whether a comment-thread header that would cut the rest of the page counts no
    comments and has prose right below it (`follows`: no junk between): a post's own
    counter ("0 comments") above the post, not a thread."""
    if not follows or _COUNTS_NOTHING.match(text.strip()) is None:
        return None
    return "it counts no comments, and prose follows it right below: no thread starts here"
