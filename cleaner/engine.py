"""The cleaning engine: rules first, then structure, then the safety checks.

`Cleaner` compiles a rule set once and cleans any number of documents with it. Where a
line is judged, and why, is the pipeline in `Cleaner._judge`: one step per line of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mypy_extensions import mypyc_attr

from .io.formats import extract_html, page_has_text
from .judge import structure, threads
from .judge.document import HEURISTIC, RULE, Document, Line, Removal, Veto
from .judge.sites import (
    SITE_REPEAT_MIN,
    SITE_REPEAT_SHARE,
    SiteRepeats,
    canonical_url,
    normalize_site,
    site_of_url,
)
from .judge.vetoes import counts_nothing_above_prose
from .ruleset.cache import compiled_rules
from .ruleset.load import RuleSet
from .ruleset.matching import CompiledRules
from .text.shape import Unit, join_units

if TYPE_CHECKING:
    from .io.site_profile import Profile

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
# A document that loses more than this share of its words is flagged for review.
MOST_REMOVED_SHARE = 0.8

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

FLAG_EMPTIED = "emptied"
FLAG_MOST_REMOVED = "most-removed"


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
@dataclass(frozen=True, slots=True)
class Verdict:
    """What happened to one input line, for `cleaner explain`."""

    line: int
    text: str  # the line as read (normalized)
    status: str  # keep, drop, strip, title, blank
    by: str = ""
    detail: str = ""


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
@dataclass
class Result:
    """A cleaned document: body, headline, every removal with its reason, and flags."""

    text: str
    title: str | None
    removals: list[Removal]
    flags: list[str]
    words_in: int
    words_out: int
    mode: str = "full"  # or "light": how much structure was applied (see Document.light)
    mode_reason: str | None = None  # why light: `extracted_reason`, or who forced it
    language: str | None = None  # guessed from stopwords; None when no list fits
    removed_lines: int = 0  # units dropped, or taken as the headline
    comment_lines: int | None = None  # with comments: the last this many lines of text
    vetoes: list[Veto] = field(default_factory=list)  # guesses the page did not confirm
    html: bool = False  # cleaned from a page's extracted text (`clean_html`)
    # In a run (`cleaner clean`): words of the page's own text, for the summary's share.
    page_words: int | None = None
    # The judged document, until `verdicts` are first asked for (most runs never ask).
    _doc: Document | None = field(default=None, repr=False, compare=False)
    _verdicts: list[Verdict] | None = field(default=None, repr=False, compare=False)

    @property
    def removed_share(self) -> float:
        """Share of the input's words that did not reach the body."""
        return 1 - self.words_out / self.words_in if self.words_in else 0.0

    @property
    def verdicts(self) -> list[Verdict]:
        """One verdict per judged unit, made from the document on first use."""
        if self._verdicts is None:
            self._verdicts = _verdicts(self._doc) if self._doc is not None else []
            self._doc = None
        return self._verdicts


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
class Cleaner:
    """A compiled rule set and the settings to clean documents with it.

    >>> Cleaner().clean("Powered by Blogger.").flags
    ['emptied']
    """

    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        *,
        default_rules: bool = True,
        keep_title: bool = False,
        after_extractor: bool | None = None,
        ruleset: RuleSet | None = None,
        profile: SiteRepeats | Profile | str | Path | None = None,
        site: str | None = None,
        site_repeat_share: float = SITE_REPEAT_SHARE,
        site_repeat_min: int = SITE_REPEAT_MIN,
        comments: bool = False,
    ) -> None:
        # A site profile (see profile.py) drops lines repeated across a site's pages;
        # `site` names the site of documents whose URL does not.
        self.site_repeats = _site_repeats(profile, site_repeat_share, site_repeat_min)
        self.site = normalize_site(site)
        self.keep_title = keep_title
        # HTML: the page's reader comments after the body (trafilatura drops them).
        self.comments = comments
        self.after_extractor = after_extractor  # None: decide per document
        if ruleset is None:
            self.compiled = compiled_rules([Path(p) for p in rules], default_rules=default_rules)
        else:
            self.compiled = CompiledRules(ruleset)
        self.ruleset = self.compiled.ruleset

    def clean(self, text: str, url: str | None = None, *, title_hint: str | None = None) -> Result:
        """Clean one plain-text document; `title_hint` names its headline if known.

        `url` is where the document came from: its host is the document's site (else
        the Cleaner's `site`), which scopes rules (`domains`) and site profiles.
        """
        site = site_of_url(url) or self.site
        return self._clean(Document(text), title_hint, self.after_extractor, site)

    def clean_record(
        self,
        record: dict,
        *,
        text_field: str = "text",
        url_field: str | None = "url",
        id_field: str | None = None,
        output_field: str | None = None,
        trace: bool = False,
    ) -> dict:
        """Clean a JSON-like record, as `cleaner clean` does a JSONL line (see records.py):
        other fields pass through, a `cleaner` object is added. Raises RecordError
        (a ValueError) when the text field is missing or not a string."""
        from .run.records import Fields, clean_record

        fields = Fields(text_field, url_field, id_field, output_field, trace)
        return clean_record(self, record, fields)

    def clean_html(self, html: str, url: str | None = None) -> Result:
        """Clean an HTML page: its main text through trafilatura, then the same rules
        with light structure, since the extractor has cut the page down already."""
        page = extract_html(html, url, self.comments)
        site = site_of_url(url)
        if site is None and (self.site_repeats is not None or self.compiled.scoped):
            site = site_of_url(canonical_url(html))  # read only when a site changes anything
        site = site or self.site
        result = self._clean(
            Document(page.text), page.title, light=True, site=site, why="trafilatura's text"
        )
        result.html = True
        if not result.words_in and FLAG_EMPTIED not in result.flags and page_has_text(html):
            result.flags.append(FLAG_EMPTIED)  # the extractor lost a page's text: say so
        if self.comments:
            _add_comments(result, page.comments)
        return result

    def judge(self, text: str, url: str | None = None) -> Document:
        """The judged document itself, for tools that need every line's state."""
        doc = Document(text)
        doc.site = site_of_url(url) or self.site
        self._judge(doc, None, self.after_extractor)
        return doc

    def _clean(
        self,
        doc: Document,
        title_hint: str | None,
        light: bool | None,
        site: str | None = None,
        why: str = "after_extractor",
    ) -> Result:
        doc.site = site
        words_in = doc.words()
        self._judge(doc, title_hint, light, why)
        result = self._result(doc, words_in)
        if result.title is None and title_hint:
            # The headline the page named (an HTML page's title) stands in no line
            # of the text: it is still the headline, and keep_title puts it on top.
            result.title = title_hint
            if self.keep_title and not _opens_with(result.text, title_hint):
                result.text = _titled(title_hint, result.text)
        return result

    def _judge(
        self,
        doc: Document,
        title_hint: str | None,
        light: bool | None,
        why: str = "after_extractor",
    ) -> None:
        """The pipeline: rules, block cuts, then structure (see `structure.py`).

        `light` (None: decided by `extracted_reason`) limits structure to what lies next
        to junk that rules named, for text an extractor already cut down; `why` says who
        forced it.
        """
        self.compiled.new_document()
        # Line keys are taken before rules strip spans (profiles count whole lines).
        repeats = self.site_repeats.prepare(doc, doc.site) if self.site_repeats else None
        self._apply_rules(doc)  # the same in both modes; the mode reads what rules named
        doc.mode_reason = extracted_reason(doc) if light is None else (why if light else None)
        doc.light = doc.mode_reason is not None
        threads.drop_comment_thread(doc)
        if not doc.light:
            structure.anchor_headline(doc)
        else:
            structure.drop_duplicates(doc)
        if repeats is not None:
            repeats.apply(doc)  # structure.site-repeat (sites.py)
        self._apply_cuts(doc)
        structure.drop_after_article(doc)
        structure.drop_teaser_boxes(doc)
        structure.drop_teasers(doc)
        structure.find_body(doc)
        if doc.body_start is None:
            return
        self._apply_positional_rules(doc)
        structure.find_title(doc, title_hint)
        structure.drop_title_repeats(doc)
        if not doc.light:
            structure.drop_repeated_lines(doc)
        structure.drop_above_title(doc)
        structure.drop_tail_lists(doc)
        structure.drop_edge_runs(doc)

    def _apply_rules(self, doc: Document) -> None:
        """Rules that apply anywhere remove their lines and spans; others wait for position."""
        compiled = self.compiled
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
                self._strip_spans(doc, i, "anywhere")

    def _strip_spans(self, doc: Document, i: int, zone: str) -> None:
        """Cut out of line i the spans of strip rules that apply in `zone`."""
        line = doc.lines[i]
        if self.compiled.quiet(line.text, line.feats.words):
            return
        spans = [
            s
            for s in self.compiled.spans(line.text, doc.site)
            if zone in s.rule.where and not line.protected_from(s.rule.id)
        ]
        for s in reversed(spans):
            if doc.lines[i].alive:
                doc.strip(i, s.start, s.end, s.rule.id)

    def _apply_cuts(self, doc: Document) -> None:
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
                if good_words >= needed or (
                    good_words >= CUT_MIN_BODY_WORDS and good_lines >= CUT_MIN_BODY_LINES
                ):
                    near = doc.next_lines(i, COUNTER_PROSE_LINES)  # the post right below?
                    follows = bool(near) and doc.lines[near[0]].alive
                    follows = follows and any(doc.lines[j].feats.good for j in near)
                    vetoed = counts_nothing_above_prose(line.text, follows)
                    if vetoed is None:
                        self._cut(doc, range(i, len(doc.lines)), marker.id, "cut-tail", line.no)
                        break
                    doc.veto(i, marker.id, vetoed)
            elif (
                marker is not None
                and marker.action == "cut-head"
                and first_good is not None
                and i < first_good
            ):
                self._cut(doc, range(i, -1, -1), marker.id, "cut-head", line.no)
            if line.feats.good:
                good_words += line.feats.words
                good_lines += 1
        for i, line in enumerate(doc.lines):
            marker = line.candidates[0] if line.alive and line.candidates else None
            if (
                marker is not None
                and marker.action.startswith("cut-")
                and "anywhere" in marker.where
            ):
                doc.remove(i, marker.id, RULE)

    @staticmethod
    def _cut(doc: Document, indices: range, rule_id: str, action: str, marker_no: int) -> None:
        for j in indices:
            doc.remove(j, rule_id, RULE, action, detail=f"block from line {marker_no}")

    def _apply_positional_rules(self, doc: Document) -> None:
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
                self._strip_spans(doc, i, zone)

    def _result(self, doc: Document, words_in: int) -> Result:
        kept = [Unit(ln.no, ln.text, ln.out, ln.para) for ln in doc.lines if ln.alive]
        title_at = doc.title
        title = doc.lines[title_at].text if title_at is not None else None
        words_out = sum(ln.feats.words for ln in doc.lines if ln.alive)
        flags = []
        if not kept and words_in:
            flags.append(FLAG_EMPTIED)
        elif words_in and words_out < (1 - MOST_REMOVED_SHARE) * words_in:
            flags.append(FLAG_MOST_REMOVED)
        if title_at is not None:
            line = doc.lines[title_at]
            doc.removals.append(Removal(line.no, line.text, structure.TITLE, HEURISTIC, "title"))
        text = join_units(kept)
        if title is not None and self.keep_title:
            text = _titled(title, text)
        return Result(
            text=text,
            title=title,
            removals=sorted(doc.removals, key=lambda r: r.line),
            flags=flags,
            words_in=words_in,
            words_out=words_out,
            mode="light" if doc.light else "full",
            mode_reason=doc.mode_reason,
            language=doc.language,
            removed_lines=sum(
                1 for ln in doc.lines if ln.is_title or (ln.removal is not None and not ln.blank)
            ),
            vetoes=doc.vetoes,
            _doc=doc,
        )


def _add_comments(result: Result, comments: str) -> None:
    """Reader comments after the body, a paragraph a line as the body is written, and
    how many lines they are (0: the page had none)."""
    lines = [" ".join(line.split()) for line in comments.splitlines() if line.strip()]
    result.comment_lines = len(lines)
    if lines:
        body = result.text.rstrip("\n")
        result.text = (body + "\n\n" if body else "") + "\n\n".join(lines) + "\n"


def _titled(title: str, text: str) -> str:
    """The body with its headline on top (keep_title)."""
    return f"{title}\n\n{text}" if text else f"{title}\n"


def _opens_with(text: str, title: str) -> bool:
    """Whether the text's first line is the title already (its words, any case)."""
    first = text.split("\n", 1)[0]
    return structure.words_key(first) == structure.words_key(title)


def _site_repeats(
    profile: SiteRepeats | Profile | str | Path | None, share: float, min_count: int
) -> SiteRepeats | None:
    """The site-repeat table from a profile, a profile file, or a ready table."""
    from .io.site_profile import Profile

    if profile is None or isinstance(profile, SiteRepeats):
        return profile
    if not isinstance(profile, Profile):
        profile = Profile.load(Path(profile))
    return profile.repeats(share, min_count)


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


def _verdicts(doc: Document) -> list[Verdict]:
    """One verdict per judged unit, from the removals recorded on it."""
    out = []
    for line in doc.lines:
        if line.blank:
            out.append(Verdict(line.no, "", "blank"))
        elif line.is_title:
            out.append(Verdict(line.no, line.text, "title", structure.TITLE))
        elif line.removal is not None:
            r = line.removal
            out.append(Verdict(line.no, r.text, "drop", r.by, r.detail))
        elif line.stripped:
            by = ", ".join(r.by for r in line.stripped)
            pieces = " | ".join(r.text for r in line.stripped)
            out.append(Verdict(line.no, line.text, "strip", by, pieces))
        else:
            out.append(Verdict(line.no, line.text, "keep"))
    return out
