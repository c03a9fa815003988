"""The judging pipeline as one ordered table: every step a document goes through, the
names it writes into the trace, and when it runs. `judge` runs the table; `cleaner
explain --steps` and the README's step table are made from it.

A step is one function with one job (its thresholds are named constants beside it, in
its module). Adding a step is one entry here and one function there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..ruleset.matching import CompiledRules
from . import article_end, body, edges, headline, repeats, tail_lists, threads
from .document import Document
from .mode import extracted_reason
from .rule_pass import apply_cuts, apply_positional_rules, apply_rules
from .sites import SITE_REPEAT, PendingRepeats

# Which documents a step runs on.
ALL = "all"
FULL = "full"  # full pages only (not after an extractor: Document.light)
LIGHT = "light"  # extractor output only
RULE_IDS = "rule ids"  # what a rule pass writes into the trace: the ids of its rules
_PAGES = {ALL: "every document", FULL: "full pages", LIGHT: "extractor output"}


@dataclass(frozen=True)
class Judging:
    """What the steps of one document need beyond the document itself."""

    compiled: CompiledRules
    repeats: PendingRepeats | None  # the site profile's line keys, taken before any rule
    title_hint: str | None  # the headline the page named (an HTML page's title)
    light: bool | None  # None: decided by `extracted_reason`
    why: str  # who forced light, when `light` is True


@dataclass(frozen=True)
class Step:
    """One step: its name, the names it writes into the trace, when it runs, and why."""

    name: str
    run: Callable[[Document, Judging], None]
    writes: tuple[str, ...]
    code: str  # the module that holds the step's work, below cleaner/
    why: str
    pages: str = ALL
    needs_body: bool = False  # runs only once the body is found (`body`)

    def applies(self, doc: Document) -> bool:
        """Whether the step runs on this document, as far as it has been judged."""
        if (self.pages == FULL and doc.light) or (self.pages == LIGHT and not doc.light):
            return False
        return not self.needs_body or doc.body_start is not None

    def runs_on(self) -> str:
        """When the step runs, in words (`cleaner explain --steps`, the README)."""
        pages = _PAGES[self.pages]
        return f"{pages}, once a body is found" if self.needs_body else pages


def _rules(doc: Document, ctx: Judging) -> None:
    apply_rules(doc, ctx.compiled)


def _mode(doc: Document, ctx: Judging) -> None:
    if ctx.light is None:
        doc.mode_reason = extracted_reason(doc)
    else:
        doc.mode_reason = ctx.why if ctx.light else None
    doc.light = doc.mode_reason is not None


def _site_repeats(doc: Document, ctx: Judging) -> None:
    if ctx.repeats is not None:
        ctx.repeats.apply(doc)


def _positional_rules(doc: Document, ctx: Judging) -> None:
    apply_positional_rules(doc, ctx.compiled)


def _title(doc: Document, ctx: Judging) -> None:
    headline.find_title(doc, ctx.title_hint)


def _doc(step: Callable[[Document], None]) -> Callable[[Document, Judging], None]:
    """A step that needs nothing but the document."""

    def run(doc: Document, ctx: Judging) -> None:
        step(doc)

    return run


STEPS: tuple[Step, ...] = (
    Step(
        "rules",
        _rules,
        (RULE_IDS,),
        "judge/rule_pass.py",
        "rules that apply anywhere drop their lines and cut out their spans; block "
        "headers and rules for the head or the tail wait",
    ),
    Step(
        "mode",
        _mode,
        (),
        "judge/mode.py",
        "light structure for an extractor's output, full for a page",
    ),
    Step(
        "comment-thread",
        _doc(threads.drop_comment_thread),
        (threads.COMMENT_THREAD,),
        "judge/threads.py",
        "a reader comment thread, found by three or more stamps of one shape",
    ),
    Step(
        "page-title",
        _doc(headline.anchor_headline),
        (headline.PAGE_TITLE, headline.ABOVE_HEADLINE),
        "judge/headline.py",
        "the headline found again by the page's title line; the furniture above it",
        FULL,
    ),
    Step(
        "duplicate",
        _doc(repeats.drop_duplicates),
        (repeats.DUPLICATE,),
        "judge/repeats.py",
        "a second copy of the article's opening",
        LIGHT,
    ),
    Step(
        "site-repeat",
        _site_repeats,
        (SITE_REPEAT,),
        "judge/sites.py",
        "with a site profile: lines printed on many pages of the site",
    ),
    Step(
        "cuts",
        _doc(apply_cuts),
        (RULE_IDS,),
        "judge/rule_pass.py",
        "block headers cut the tail below the article, or the head above it",
    ),
    Step(
        "after-article",
        _doc(article_end.drop_after_article),
        (article_end.AFTER_ARTICLE,),
        "judge/article_end.py",
        "the article ends at the first share bar, comment form or newsletter box below it",
    ),
    Step(
        "teaser-box",
        _doc(article_end.drop_teaser_boxes),
        (article_end.TEASER_BOX,),
        "judge/article_end.py",
        "the headlines listed under a related-stories header",
    ),
    Step(
        "teaser",
        _doc(headline.drop_teasers),
        (headline.TEASER,),
        "judge/headline.py",
        "a leading line that repeats the headline below it",
    ),
    Step(
        "body",
        _doc(body.find_body),
        (body.DETACHED,),
        "judge/body.py",
        "the body: first to last sentence-shaped line; short prose a menu cuts off goes",
    ),
    Step(
        "positional-rules",
        _positional_rules,
        (RULE_IDS,),
        "judge/rule_pass.py",
        "rules limited to the head or the tail, now that the body is found",
        needs_body=True,
    ),
    Step(
        "title",
        _title,
        (headline.TITLE,),
        "judge/headline.py",
        "the headline-shaped line right above the body",
        needs_body=True,
    ),
    Step(
        "title-repeat",
        _doc(headline.drop_title_repeats),
        (headline.TITLE_REPEAT,),
        "judge/headline.py",
        "lines repeating the headline",
        needs_body=True,
    ),
    Step(
        "repeated-line",
        _doc(repeats.drop_repeated_lines),
        (repeats.REPEATED,),
        "judge/repeats.py",
        "captions and teasers printed twice",
        FULL,
        needs_body=True,
    ),
    Step(
        "above-title",
        _doc(headline.drop_above_title),
        (headline.ABOVE_TITLE,),
        "judge/headline.py",
        "kickers, tags and menus above the headline",
        needs_body=True,
    ),
    Step(
        "tail-list",
        _doc(tail_lists.drop_tail_lists),
        (tail_lists.TAIL_LIST,),
        "judge/tail_lists.py",
        "headline-shaped lines in a row below the article's last paragraph",
        needs_body=True,
    ),
    Step(
        "edge-runs",
        _doc(edges.drop_edge_runs),
        (edges.HEAD_RUN, edges.TAIL_RUN),
        "judge/edges.py",
        "short non-sentence lines next to junk at the edges, until nothing changes",
        needs_body=True,
    ),
)


def judge(doc: Document, ctx: Judging) -> None:
    """Run every step that applies, in the table's order."""
    for step in STEPS:
        if step.applies(doc):
            step.run(doc, ctx)
