"""Light or full: whether a document reads as an extractor's output (light structure, only
what lies next to junk the rules named) or as a full page (every structure step)."""

from __future__ import annotations

from .document import RULE, Document, Line

# A document reads as an extractor's output when this share of its words is in
# body-like lines and few of its first lines are menu-like ...
EXTRACTED_GOOD_SHARE = 0.6
EXTRACTED_HEAD_LINES = 15
EXTRACTED_MAX_HEAD_RUN_ITEMS = 6
# ... or when rules name at most this many of its lines (a full page carries menus,
# share rows and footers that rules name), no menu of labels (one or two words of
# letters alone: "Home", "Personal Finance") stands above its body or in a run below
# its start, and either its first body-like line comes within this many words or the
# whole text is shorter than a page's furniture alone.
EXTRACTED_MAX_RULE_LINES = 2
EXTRACTED_MAX_HEAD_LABELS = 2
EXTRACTED_MAX_LABEL_RUN = 4
EXTRACTED_LABEL_MAX_WORDS = 2
EXTRACTED_MAX_WORDS_BEFORE_BODY = 40
EXTRACTED_SHORT_WORDS = 300


def extracted_reason(doc: Document) -> str | None:
    """Why a document reads as an extractor's output, after the rules ran; None for a
    full page. Full structure on extractor output finds a headline and page furniture
    where there are none and cuts body, so a text without a page's marks goes light."""
    text_lines = [ln for ln in doc.lines if not ln.blank]
    lines = [ln.feats for ln in text_lines]
    total = sum(f.words for f in lines)
    if not total:
        return "no words"
    good = sum(f.words for f in lines if f.good)
    head_items = sum(1 for f in lines[:EXTRACTED_HEAD_LINES] if f.run_item)
    if good >= EXTRACTED_GOOD_SHARE * total and head_items <= EXTRACTED_MAX_HEAD_RUN_ITEMS:
        return f"{good / total:.0%} of words body-like, {head_items} menu-like lines on top"
    named = sum(1 for ln in text_lines if _named_by_rules(ln))
    if named > EXTRACTED_MAX_RULE_LINES:
        return None
    first = next((i for i, f in enumerate(lines) if f.good), len(lines))
    labels = [_is_label(ln) for ln in text_lines]
    if sum(labels[:first]) > EXTRACTED_MAX_HEAD_LABELS:
        return None
    run = 0
    for is_label in labels[first:]:
        run = run + 1 if is_label else 0
        if run > EXTRACTED_MAX_LABEL_RUN:
            return None
    before = sum(f.words for f in lines[:first])
    named_text = f"{named} line{'' if named == 1 else 's'} named by rules"
    if before <= EXTRACTED_MAX_WORDS_BEFORE_BODY:
        return f"{named_text}, body from word {before + 1}"
    if total < EXTRACTED_SHORT_WORDS:
        return f"{named_text}, {total} words in all"
    return None


def _is_label(line: Line) -> bool:
    """Whether a non-blank line is a menu label: one or two words of letters alone
    (a table cell often holds a digit or a "|", a heading a colon or a sentence end)."""
    return line.feats.words <= EXTRACTED_LABEL_MAX_WORDS and all(
        c.isalpha() or c in _LABEL_MARKS for c in line.text
    )


_LABEL_MARKS = frozenset(" &'’-")


def _named_by_rules(line: Line) -> bool:
    """Whether a rule removed, cut into, or waits to judge the line."""
    return line.removed_kind == RULE or bool(line.candidates) or bool(line.stripped)
