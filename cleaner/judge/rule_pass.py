"""The rule pass: rules that apply anywhere remove their lines and cut out their spans,
block headers cut the head or the tail once the article stands on the right side of
them, and rules limited to the head or the tail act once the body is found."""

from __future__ import annotations

from ..ruleset.matching import CompiledRules
from .document import RULE, Document
from .vetoes import counts_nothing_above_prose, repeated_heading

# A cut-tail marker needs this many words of article body above it, and this share of
# all the body-like words: a block header above the article must not cut it away.
CUT_MIN_BODY_WORDS = 25
CUT_MIN_BODY_SHARE = 0.5
# Or this many body-like lines above it, whatever follows: a long thread of reader
# comments below a "Top Rated Comments" header outweighs the article it follows.
CUT_MIN_BODY_LINES = 6
# A header counting no comments with prose within this many lines below it, and no
# junk right below it, is a post's own counter, not a thread (vetoes.py).
COUNTER_PROSE_LINES = 3


def apply_rules(doc: Document, compiled: CompiledRules) -> None:
    """Rules that apply anywhere remove their lines and spans; others wait for position."""
    for i, line in enumerate(doc.lines):
        if line.blank or compiled.quiet(line.text, line.feats.words):
            continue
        line.allows = tuple(compiled.allows_for(line.text)) if compiled.allows else ()
        marker = compiled.cut_rule(line.text, line.feats.words, doc.site)
        if marker is not None and not line.protected_from(marker.id):
            line.candidates += (marker,)  # a block header: the cut step judges it
            continue
        for rule in compiled.line_rules(line.text, line.feats.words, doc.site):
            if line.protected_from(rule.id):
                continue
            if rule.action == "drop" and "anywhere" in rule.where:
                doc.remove(i, rule.id, RULE)
                break
            line.candidates += (rule,)
        if line.alive:
            strip_spans(doc, compiled, i, "anywhere")


def strip_spans(doc: Document, compiled: CompiledRules, i: int, zone: str) -> None:
    """Cut out of line i the spans of strip rules that apply in `zone`."""
    line = doc.lines[i]
    if compiled.quiet(line.text, line.feats.words):
        return
    spans = [
        s
        for s in compiled.spans(line.text, doc.site)
        if zone in s.rule.where and not line.protected_from(s.rule.id)
    ]
    for s in reversed(spans):
        if doc.lines[i].alive:
            doc.strip(i, s.start, s.end, s.rule.id)


def apply_cuts(doc: Document) -> None:
    """Block headers: cut the tail from the first valid one, the head up to the last.

    A header that may not cut where it stands (a "Related" box above the article) is
    still junk itself: it is dropped where its rule applies.
    """
    total_good = sum(ln.feats.words for ln in doc.lines if ln.alive and ln.feats.good)
    first_good = next((i for i, ln in enumerate(doc.lines) if ln.alive and ln.feats.good), None)
    # Below a found headline the article has begun: a header cuts once it has a start.
    needed = (
        CUT_MIN_BODY_WORDS
        if doc.title is not None
        else max(CUT_MIN_BODY_WORDS, CUT_MIN_BODY_SHARE * total_good)
    )
    good_words = good_lines = 0
    for i, line in enumerate(doc.lines):
        if not line.alive:
            continue
        marker = line.candidates[0] if line.candidates else None
        if marker is not None and marker.action == "cut-tail":
            # A weak header ("Comments", a post pager: as links they stand inside
            # articles too) needs half the body above it, headline or not, and must be
            # printed only once (vetoes.repeated_heading).
            weak = marker.weak
            need = max(needed, CUT_MIN_BODY_SHARE * total_good) if weak else needed
            if good_words >= need or (
                not weak and good_words >= CUT_MIN_BODY_WORDS and good_lines >= CUT_MIN_BODY_LINES
            ):
                near = doc.next_lines(i, COUNTER_PROSE_LINES)  # the post right below?
                follows = bool(near) and doc.lines[near[0]].alive
                follows = follows and any(doc.lines[j].feats.good for j in near)
                vetoed = counts_nothing_above_prose(line.text, follows)
                if vetoed is None and weak:
                    vetoed = repeated_heading(doc, i)
                if vetoed is None:
                    _cut(doc, range(i, len(doc.lines)), marker.id, "cut-tail", line.no)
                    break
                doc.veto(i, marker.id, vetoed)
        elif (
            marker is not None
            and marker.action == "cut-head"
            and first_good is not None
            and i < first_good
        ):
            _cut(doc, range(i, -1, -1), marker.id, "cut-head", line.no)
        if line.feats.good:
            good_words += line.feats.words
            good_lines += 1
    for i, line in enumerate(doc.lines):
        marker = line.candidates[0] if line.alive and line.candidates else None
        if marker is not None and marker.action.startswith("cut-") and "anywhere" in marker.where:
            doc.remove(i, marker.id, RULE)


def _cut(doc: Document, indices: range, rule_id: str, action: str, marker_no: int) -> None:
    for j in indices:
        doc.remove(j, rule_id, RULE, action, detail=f"block from line {marker_no}")


def apply_positional_rules(doc: Document, compiled: CompiledRules) -> None:
    """Rules limited to the head or the tail, now that the body is found."""
    for i, line in enumerate(doc.lines):
        if not line.alive:
            continue
        zone = "head" if doc.in_head(i) else "tail" if doc.in_tail(i) else None
        if zone is None:
            continue
        for rule in line.candidates:
            if zone in rule.where and doc.remove(i, rule.id, RULE):
                break
        if line.alive:
            strip_spans(doc, compiled, i, zone)
