"""The state of one document while it is judged: its lines, verdicts and removal trace."""

from __future__ import annotations

from dataclasses import dataclass

from mypy_extensions import mypyc_attr

from ..ruleset.model import Allow, Rule
from ..text.features import BLANK_FEATURES, LineFeatures, line_features
from ..text.language import detect_language, stopwords_for
from ..text.shape import segment

RULE = "rule"
HEURISTIC = "heuristic"


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
@dataclass(frozen=True, slots=True)
class Removal:
    """One thing taken out of a document, and who took it: a rule id or a heuristic name."""

    line: int  # 1-based line number in the input
    text: str  # the line, or the span for a strip
    by: str
    kind: str  # "rule" or "heuristic"
    action: str  # drop, strip, cut-tail, cut-head, title
    detail: str = ""


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
@dataclass(frozen=True, slots=True)
class Veto:
    """A structural guess the page did not confirm: the step did not act, and why."""

    line: int  # 1-based input line number of the line the guess was about
    by: str  # the step, e.g. structure.above-headline
    reason: str


@dataclass(slots=True)
class Line:
    """One input line with its shape and its verdict so far."""

    no: int
    text: str
    feats: LineFeatures  # BLANK_FEATURES for a blank line
    out: str = ""  # what is written if kept (wrapped lines keep their breaks)
    para: int = 0  # kept units of one paragraph are joined by a space
    allows: tuple[Allow, ...] = ()
    candidates: tuple[Rule, ...] = ()  # rules waiting on position
    removed_by: str | None = None
    removed_kind: str | None = None  # RULE or HEURISTIC
    removal: Removal | None = None  # why the line went
    stripped: tuple[Removal, ...] = ()  # spans cut out of it
    is_title: bool = False
    # Non-blank and still part of the body: kept equal to `not blank and
    # removed_by is None and not is_title` by the Document methods that change those.
    alive: bool = False
    blank: bool = False

    @property
    def removed_family(self) -> str:
        """The family of what removed the line ("share" of share.network-row), or ""."""
        return self.removed_by.split(".")[0] if self.removed_by is not None else ""

    def protected_from(self, name: str) -> bool:
        return any(a.protects(name) for a in self.allows)


class Document:
    """Lines of a document, the removals made so far, and the zones found."""

    def __init__(self, text: str) -> None:
        units = segment(text)
        self.language = detect_language(text)
        self.stopwords = stopwords_for(self.language)
        self.lines: list[Line] = []
        for n, u in enumerate(units):
            if u is None:
                self.lines.append(Line(n + 1, "", BLANK_FEATURES, blank=True))
            else:
                feats = line_features(u.text, self.stopwords)
                self.lines.append(Line(u.no, u.text, feats, u.out, u.para, alive=True))
        self.removals: list[Removal] = []
        self.vetoes: list[Veto] = []  # guesses the page did not confirm (vetoes.py)
        self.body_start: int | None = None  # index of the first article-body line
        self.body_end: int | None = None  # index of the last article-body line
        self.title: int | None = None  # index of the headline
        # Light structure, for text an extractor already cut down: heuristics act only
        # next to junk that rules named, and a headline only stands near the top.
        self.light = False
        self.mode_reason: str | None = None  # why light was chosen (`extracted_reason`)
        # The site it came from, when known: scopes rules (`domains`) and site profiles.
        self.site: str | None = None

    def remove(self, i: int, by: str, kind: str, action: str = "drop", detail: str = "") -> bool:
        """Remove line i unless an allow entry protects it from `by`; say whether it went."""
        line = self.lines[i]
        if not line.alive or line.protected_from(by):
            return False
        line.removed_by, line.removed_kind, line.alive = by, kind, False
        line.removal = Removal(line.no, line.text, by, kind, action, detail)
        self.removals.append(line.removal)
        return True

    def veto(self, i: int, by: str, reason: str) -> None:
        """Record that step `by` did not act on its guess about line i, and why."""
        no = self.lines[i].no
        if not any(v.line == no and v.by == by for v in self.vetoes):
            self.vetoes.append(Veto(no, by, reason))

    def strip(self, i: int, start: int, end: int, by: str) -> None:
        """Cut the span [start, end) out of line i, dropping the line if nothing is left."""
        line = self.lines[i]
        piece = line.text[start:end]
        rest = (line.text[:start] + line.text[end:]).strip()
        removal = Removal(line.no, piece.strip(), by, RULE, "strip")
        self.removals.append(removal)
        line.stripped += (removal,)
        if any(c.isalnum() for c in rest):
            line.out = _cut_written(line.text, line.out, start, end)
            line.text = " ".join(rest.split())
            line.feats = line_features(line.text, self.stopwords)
        else:
            line.removed_by, line.removed_kind, line.removal = by, RULE, removal
            line.alive = False

    def mark_title(self, i: int) -> None:
        """Line i is the headline: out of the body, written only with --keep-title."""
        self.lines[i].is_title, self.lines[i].alive = True, False
        self.title = i

    def nonblank(self, lo: int = 0, hi: int | None = None) -> list[int]:
        """Indices of non-blank lines in [lo, hi), removed or not."""
        hi = len(self.lines) if hi is None else hi
        return [i for i in range(lo, hi) if not self.lines[i].blank]

    def next_lines(self, i: int, count: int, *, alive: bool = False) -> list[int]:
        """Up to `count` indices of the non-blank lines after line i (only lines still in
        the body with `alive`): a window that costs its size, not the document's."""
        found: list[int] = []
        for j in range(i + 1, len(self.lines)):
            line = self.lines[j]
            if line.blank or (alive and not line.alive):
                continue
            found.append(j)
            if len(found) >= count:
                break
        return found

    def alive_indices(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.alive]

    def in_head(self, i: int) -> bool:
        return self.body_start is not None and i < self.body_start

    def in_tail(self, i: int) -> bool:
        return self.body_end is not None and i > self.body_end

    def words(self) -> int:
        """Words in the document's non-blank lines."""
        return sum(line.feats.words for line in self.lines)  # a blank line has none


def _cut_written(text: str, out: str, start: int, end: int) -> str:
    """`out` (a unit as written: its input lines joined by line breaks) without the span
    [start, end) of `text` (the same lines joined by spaces), so a strip keeps the
    unit's own line breaks and never joins two input lines into one."""
    sep = "\n\n" if "\n\n" in out else "\n"
    parts = out.split(sep)
    if out == text or " ".join(parts) != text:
        return " ".join((text[:start] + text[end:]).split())
    kept: list[str] = []
    pos = 0
    for part in parts:
        lo, hi = max(pos, start), min(pos + len(part), end)
        piece = part if lo >= hi else part[: lo - pos] + part[hi - pos :]
        pos += len(part) + 1
        if piece := " ".join(piece.split()):
            kept.append(piece)
    return sep.join(kept)
