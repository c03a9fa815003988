"""Edge runs: short non-sentence lines next to junk at the body's edges, spreading until
nothing changes; inside the article only the widget words an edge-run rule names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..text.features import RUN_MAX_WORDS
from .document import HEURISTIC, RULE, Document
from .headline import title_shaped
from .tail_lists import TAIL_LIST_MIN_LINES, data_list
from .vetoes import is_list

HEAD_RUN = "structure.head-run"
TAIL_RUN = "structure.tail-run"
# Below the article of a full page, teaser headlines of other stories run this long.
TAIL_TEASER_MAX_WORDS = 20
# Above it, teaser headlines count only in a list of this many: one or two such lines
# between menus are the article's own headline and standfirst.
HEAD_TEASER_MIN_LINES = 3
# A menu needs no junk beside it when it is this long, every line of at most this many
# words and no sentence: a blog's category list or blogroll around a short post.
LONG_MENU_MIN_LINES = 10
LONG_MENU_ITEM_MAX_WORDS = 3


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
    _drop_long_menus(doc, order)
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
    article's own data (`data_list`): at least TAIL_LIST_MIN_LINES short lines."""
    if doc.light or doc.body_end is None:
        return []
    run = []
    for i in doc.nonblank(doc.body_end + 1):
        line = doc.lines[i]
        if not line.alive or line.feats.words > TAIL_TEASER_MAX_WORDS or line.feats.good:
            break
        run.append(i)
    if len(run) >= TAIL_LIST_MIN_LINES and data_list(doc, run):
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
    return doc.in_tail(i) and _teaser_shaped(doc, i)


def _teaser_shaped(doc: Document, i: int) -> bool:
    """On a full page, a line shaped as a story's headline: no clause, up to
    TAIL_TEASER_MAX_WORDS words."""
    f = doc.lines[i].feats
    return (
        not doc.light and f.words <= TAIL_TEASER_MAX_WORDS and not f.clause and title_shaped(doc, i)
    )


def _run_member(doc: Document, i: int) -> bool:
    """A short line still in the body, or one an edge-run heuristic already took; in
    the head, a teaser headline too (the run must hold enough of them: `_head_list`)."""
    line = doc.lines[i]
    return (
        line.alive and (_short(doc, i) or (doc.in_head(i) and _teaser_shaped(doc, i)))
    ) or line.removed_by in (HEAD_RUN, TAIL_RUN)


def _head_list(doc: Document, run: list[int]) -> bool:
    """Whether a run in the head is a menu (no line longer than a menu item) or a list of
    other stories' headlines: HEAD_TEASER_MIN_LINES of them or more."""
    longer = [i for i in run if doc.lines[i].alive and not _short(doc, i)]
    return not longer or len(longer) >= HEAD_TEASER_MIN_LINES


def _drop_sandwiched_runs(doc: Document, order: list[int]) -> bool:
    """Drop runs of short lines in the head or tail with junk on both sides."""
    changed = False
    for pos, end in _runs(
        order,
        lambda i: (doc.in_tail(i) or (doc.in_head(i) and not doc.light)) and _run_member(doc, i),
        lambda i, j: doc.in_tail(j) == doc.in_tail(i) and _run_member(doc, j),
    ):
        i = order[pos]
        if (
            _is_junk(doc, order, pos - 1)
            and _is_junk(doc, order, end + 1)
            and (not doc.in_head(i) or _head_list(doc, order[pos : end + 1]))
        ):
            name = HEAD_RUN if doc.in_head(i) else TAIL_RUN
            for k in range(pos, end + 1):
                changed |= doc.remove(order[k], name, HEURISTIC, detail="between junk")
    return changed


def _runs(
    order: list[int], starts: Callable[[int], bool], joins: Callable[[int, int], bool]
) -> Iterator[tuple[int, int]]:
    """The maximal runs of `order`, as first and last positions: each starts at a line
    `starts` admits and takes the next line while `joins(first line, next line)`. A run
    is yielded before the lines after it are read, so its caller may judge it first."""
    pos = 0
    while pos < len(order):
        if not starts(order[pos]):
            pos += 1
            continue
        end = pos
        while end + 1 < len(order) and joins(order[pos], order[end + 1]):
            end += 1
        yield pos, end
        pos = end + 1


def _menu_item(doc: Document, i: int) -> bool:
    """A label of a long menu, removed already or not: a few words, no sentence."""
    f = doc.lines[i].feats
    return f.words <= LONG_MENU_ITEM_MAX_WORDS and not f.terminal


def _drop_long_menus(doc: Document, order: list[int]) -> None:
    """On a full page, drop a run of LONG_MENU_MIN_LINES menu labels or more in the head
    or tail, junk beside it or not, unless it is a list (numbered, or announced). Runs
    count the labels rules took already, so one pass before the spreading suffices."""
    if doc.light:
        return
    for pos, end in _runs(
        order,
        lambda i: (doc.in_head(i) or doc.in_tail(i)) and _menu_item(doc, i),
        lambda i, j: (
            doc.in_head(j) == doc.in_head(i)
            and doc.in_tail(j) == doc.in_tail(i)
            and _menu_item(doc, j)
        ),
    ):
        run = order[pos : end + 1]
        if len(run) >= LONG_MENU_MIN_LINES and not is_list(doc, run) and not data_list(doc, run):
            name = HEAD_RUN if doc.in_head(run[0]) else TAIL_RUN
            for k in run:
                if doc.lines[k].alive:
                    doc.remove(k, name, HEURISTIC, detail="a long menu")
