"""The cleaning engine: rules first, then structure, then the safety checks.

`Cleaner` compiles a rule set once and cleans any number of documents with it. Where a
line is judged, and why, is the pipeline in `Cleaner._judge`: one step per line of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mypy_extensions import mypyc_attr

from .io.formats import extract_html, page_has_text, page_text
from .io.site_profile import Profile
from .judge import headline, readings, steps
from .judge.document import HEURISTIC, Document, Removal, Veto
from .judge.sites import SITE_REPEAT_MIN, SITE_REPEAT_SHARE, SiteRepeats
from .record import Fields, clean_record
from .ruleset.cache import compiled_rules
from .ruleset.matching import CompiledRules
from .ruleset.model import RuleSet
from .text.shape import Unit, join_units
from .text.site_names import canonical_url, normalize_site, site_of_url

# A document that loses more than this share of its words is flagged for review.
MOST_REMOVED_SHARE = 0.8

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
    # HTML (`clean_html`): whose reading is the body, "extractor" or "page" (see
    # judge/readings.py); None for text.
    reading: str | None = None
    # In a run (`cleaner clean`): words of the page's own text, for the summary's share.
    page_words: int | None = None
    # The judged document, until `verdicts` are first asked for (most runs never ask).
    _doc: Document | None = field(default=None, repr=False, compare=False)
    _verdicts: list[Verdict] | None = field(default=None, repr=False, compare=False)

    @property
    def html(self) -> bool:
        """Whether the result was cleaned from an HTML page (`clean_html`)."""
        return self.reading is not None

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
        """Clean a JSON-like record, as `cleaner clean` does a JSONL line (see record.py):
        other fields pass through, a `cleaner` object is added. Raises RecordError
        (a ValueError) when the text field is missing or not a string."""
        fields = Fields(text_field, url_field, id_field, output_field, trace)
        return clean_record(self, record, fields)

    def clean_html(self, html: str, url: str | None = None) -> Result:
        """Clean an HTML page: its main text through trafilatura, then the same rules
        with light structure, since the extractor has cut the page down already; and the
        page's whole text as a full page, whose reading is taken where the extractor kept
        a surplus the page's structure removed (`judge/readings.py`)."""
        page = extract_html(html, url, self.comments)
        site = site_of_url(url)
        if site is None and (self.site_repeats is not None or self.compiled.scoped):
            site = site_of_url(canonical_url(html))  # read only when a site changes anything
        site = site or self.site
        extracted = Document(page.text)
        result = self._clean(extracted, page.title, light=True, site=site, why="trafilatura's text")
        whole = Document(page_text(html))
        full = self._clean(whole, page.title, light=False, site=site)
        kept = _kept(extracted)
        reason = readings.page_reading_reason(kept, _kept(whole), result.words_in)
        if reason is None:
            result.reading = "extractor"
            _continue_from(result, whole, readings.continuation(kept, whole))
        else:
            result = full
            result.reading, result.mode_reason = "page", reason
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
        """Judge every line: the steps of `judge/steps.py`, in their order.

        `light` (None: decided by `extracted_reason`) limits structure to what lies next
        to junk that rules named, for text an extractor already cut down; `why` says who
        forced it.
        """
        self.compiled.new_document()
        # Line keys are taken before rules strip spans (profiles count whole lines).
        repeats = self.site_repeats.prepare(doc, doc.site) if self.site_repeats else None
        steps.judge(doc, steps.Judging(self.compiled, repeats, title_hint, light, why))

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
            doc.removals.append(Removal(line.no, line.text, headline.TITLE, HEURISTIC, "title"))
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


def _kept(doc: Document) -> list[str]:
    """The lines of a judged document that reached the body."""
    return [ln.text for ln in doc.lines if ln.alive]


def _continue_from(result: Result, whole: Document, lines: list[int]) -> None:
    """Append the page's paragraphs that continue the article past the extractor's end
    (`readings.continuation`), and say so in the mode reason."""
    if not lines:
        return
    paragraphs = [whole.lines[i].out for i in lines]
    body = result.text.rstrip("\n")
    result.text = (body + "\n\n" if body else "") + "\n\n".join(paragraphs) + "\n"
    result.words_out += sum(whole.lines[i].feats.words for i in lines)
    first = whole.lines[lines[0]].no
    note = f"{len(lines)} paragraphs from line {first} of the page's text continue the article"
    result.mode_reason = f"{result.mode_reason}; {note}" if result.mode_reason else note


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
    return headline.words_key(first) == headline.words_key(title)


def _site_repeats(
    profile: SiteRepeats | Profile | str | Path | None, share: float, min_count: int
) -> SiteRepeats | None:
    """The site-repeat table from a profile, a profile file, or a ready table."""
    if profile is None or isinstance(profile, SiteRepeats):
        return profile
    if not isinstance(profile, Profile):
        profile = Profile.load(Path(profile))
    return profile.repeats(share, min_count)


def _verdicts(doc: Document) -> list[Verdict]:
    """One verdict per judged unit, from the removals recorded on it."""
    out = []
    for line in doc.lines:
        if line.blank:
            out.append(Verdict(line.no, "", "blank"))
        elif line.is_title:
            out.append(Verdict(line.no, line.text, "title", headline.TITLE))
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
