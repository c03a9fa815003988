"""Where the article ends on a full page: the first share bar, comment form or newsletter
box below an anchored headline, or a related-stories header that only teasers follow;
and the teasers listed under such a header anywhere.
"""

from __future__ import annotations

import regex

from .document import HEURISTIC, RULE, Document
from .headline import title_shaped

AFTER_ARTICLE = "structure.after-article"
TEASER_BOX = "structure.teaser-box"
# Below an anchored headline, the first widget of these families after this many words
# of article closes the article: share bars, comment forms, newsletter boxes.
TAIL_WIDGET_FAMILIES = ("comments", "share", "promos")
TAIL_WIDGET_MIN_BODY_WORDS = 80
# ... unless the article resumes below it (a widget the page's layout put inside the
# text): in the window of lines after it (TAIL_WINDOW_LINES), this many body-like lines
# or more, holding this share of its words and as many words as the article above.
RESUME_MIN_LINES = 3
# Only share bars and promos: a comment form or stamp is followed by comments, prose
# that is not the article's.
RESUMING_FAMILIES = ("share", "promos")
RESUME_PROSE_SHARE = 0.7
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

        def closes(doc: Document, i: int, above: int) -> bool:
            return not _announces_more(doc, i) and _little_prose_after(doc, i)

    elif doc.title is None:
        return
    else:
        start, needed = doc.title + 1, float(TAIL_WIDGET_MIN_BODY_WORDS)

        def closes(doc: Document, i: int, above: int) -> bool:
            family = doc.lines[i].removed_family
            if family in TAIL_WIDGET_FAMILIES:
                return family not in RESUMING_FAMILIES or not _article_resumes(doc, i, above)
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
        if closes(doc, i, words):
            _drop_below(doc, i, f"after {line.removed_by} at line {line.no}")
            return


def _article_resumes(doc: Document, i: int, above: int) -> bool:
    """Whether the article goes on below the widget at line i: in the window after it,
    RESUME_MIN_LINES body-like lines or more hold RESUME_PROSE_SHARE of the words, and
    `above` words or more (the article's words above the widget)."""
    lines, good, total = _window_after(doc, i)
    return lines >= RESUME_MIN_LINES and good >= above and good >= RESUME_PROSE_SHARE * total


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
    _, good, total = _window_after(doc, i)
    return not total or good < TAIL_WINDOW_PROSE_SHARE * total


def _window_after(doc: Document, i: int) -> tuple[int, int, int]:
    """The TAIL_WINDOW_LINES non-blank lines after line i: how many are body-like (still
    in the body, prose), their words, and the words of them all."""
    window = [j for j in range(i + 1, len(doc.lines)) if not doc.lines[j].blank][:TAIL_WINDOW_LINES]
    good = [j for j in window if doc.lines[j].alive and doc.lines[j].feats.good]
    words = sum(doc.lines[j].feats.words for j in good)
    return len(good), words, sum(doc.lines[j].feats.words for j in window)


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
            if not below.alive or not title_shaped(doc, j) or below.feats.clause:
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
