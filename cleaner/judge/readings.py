"""Two readings of one HTML page, and which is its body: the extractor's main text
(trafilatura, cleaned with light structure), or the page's whole text judged as a full
page. They agree on most pages; where the page's body lies inside the extractor's text
and the extractor kept much more besides (a comment thread, a sidebar, the posts below),
the page's structure has marked that surplus as furniture, and its reading is taken.
"""

from __future__ import annotations

from collections.abc import Sequence

from .document import Document
from .headline import words_key

# Lines are compared by their 4-word shingles: a line of one reading is in the other
# when this share of its shingles occurs there.
SHINGLE_WORDS = 4
LINE_SHARED = 0.5
# The page's reading is taken when at most this share of the extractor's words lies in
# lines the page's reading kept too (the extractor holds a surplus) ...
EXTRACT_MAX_AGREED = 0.8
# ... while at least this share of the page's reading lies inside the extractor's text
# (its body is the part the two agree on, not another block of the page) ...
PAGE_MIN_INSIDE = 0.6
# ... and the page's reading holds this many words (a few lines are no body to prefer).
PAGE_MIN_WORDS = 30
# The page's reading is taken, too, when cleaning kept at most this share of the
# extractor's words and the page shows more: the extractor took the wrong block (a
# photo gallery's captions, a list of links), not a body with some junk around it.
EXTRACT_MAX_KEPT = 0.05


def page_reading_reason(
    extracted: Sequence[str], page: Sequence[str], extracted_words: int | None = None
) -> str | None:
    """Why the page's reading is the body rather than the extractor's (None: it is not).

    `extracted` and `page` are the lines each reading kept; `extracted_words` is how
    many words the extractor's text held before cleaning. The extractor's text wins
    ties: it is only set aside when the page's body lies inside it and it holds a
    surplus the page's structure removed, or when nearly all of it was junk.
    """
    ext_lines = [_shingles(line) for line in extracted]
    page_lines = [_shingles(line) for line in page]
    page_words = sum(n for _, n in page_lines)
    ext_words = sum(n for _, n in ext_lines)
    if page_words < PAGE_MIN_WORDS:
        return None
    if not ext_words:
        return "the extractor found no main text"
    if extracted_words and ext_words <= EXTRACT_MAX_KEPT * extracted_words < page_words:
        return (
            f"the page's reading: cleaning kept {ext_words / extracted_words:.0%} of the "
            "extractor's text, a block of junk"
        )
    ext_pool, page_pool = _pool(ext_lines), _pool(page_lines)
    agreed = _share_in(ext_lines, page_pool, ext_words)
    inside = _share_in(page_lines, ext_pool, page_words)
    if agreed <= EXTRACT_MAX_AGREED and inside >= PAGE_MIN_INSIDE:
        return (
            f"the page's reading: {1 - agreed:.0%} of the extractor's text lies outside "
            f"the body the page shows, which lies {inside:.0%} inside it"
        )
    return None


# Where the extractor's text stops while the page's article goes on: paragraphs of this
# many words or more, body-like, kept by the page's reading and following one another
# straight after the extractor's last line (no line of furniture between), are the
# article's own continuation.
CONTINUED_MIN_WORDS = 30
# Between them may stand a removed slot of at most this many words ("Advertisement",
# "Continue reading below"): the break that made the extractor stop.
CONTINUED_SKIP_MAX_WORDS = 3


def continuation(extracted: Sequence[str], whole: Document) -> list[int]:
    """Lines of the judged page `whole` that continue the article past the extractor's
    last line (`extracted`: the lines its reading kept), in order; none when anything
    but long body-like paragraphs stands between, or the extractor's text ends on a
    short line (a caption, a sign-off: the extractor's end, not a cut in prose)."""
    pool = _pool([_shingles(line) for line in extracted])
    if not pool:
        return []
    alive = (i for i in range(len(whole.lines) - 1, -1, -1) if whole.lines[i].alive)
    last = next((i for i in alive if _inside(_shingles(whole.lines[i].text)[0], pool)), None)
    if last is None or not _continues(whole, last):
        return []
    found = []
    for i in whole.nonblank(last + 1):
        line = whole.lines[i]
        if not line.alive and not line.is_title and line.feats.words <= CONTINUED_SKIP_MAX_WORDS:
            continue
        if not _continues(whole, i) or _inside(_shingles(line.text)[0], pool):
            break
        found.append(i)
    return found


def _continues(doc: Document, i: int) -> bool:
    """A paragraph of running prose kept by the page's reading."""
    line = doc.lines[i]
    return line.alive and line.feats.good and line.feats.words >= CONTINUED_MIN_WORDS


def _pool(lines: list[tuple[set[tuple[str, ...]], int]]) -> set[tuple[str, ...]]:
    """Every shingle of a reading's lines (`_shingles` of each)."""
    return set().union(*(s for s, _ in lines))


def _inside(found: set[tuple[str, ...]], pool: set[tuple[str, ...]]) -> bool:
    """Whether most of a line's shingles lie in `pool`."""
    return bool(found) and len(found & pool) >= LINE_SHARED * len(found)


def _shingles(line: str) -> tuple[set[tuple[str, ...]], int]:
    """A line's word shingles (the line's words, when fewer) and its word count."""
    words = words_key(line).split()
    n = SHINGLE_WORDS
    found = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    return (found or ({tuple(words)} if words else set())), len(words)


def _share_in(
    lines: list[tuple[set[tuple[str, ...]], int]], pool: set[tuple[str, ...]], total: int
) -> float:
    """The share of `total` words that lie in lines mostly found in `pool`."""
    found = sum(n for s, n in lines if _inside(s, pool))
    return found / total if total else 0.0
