"""Input shapes: turn a document into the units the engine judges, and back.

Most scraped text has one block a line, and each line is judged alone. Two other
shapes are common: hard-wrapped text (paragraphs cut at a fixed width, as markdown
converters and e-mail write them), whose wrapped lines are joined into one unit per
paragraph; and whole documents or paragraphs on one very long line, which are split
into sentences. A unit remembers its paragraph, so kept units go back together with
the input's own line breaks: wrapped lines stay wrapped, sentences of one line stay
on one line, and paragraphs (in one-block-a-line text: lines) are separated by one
blank line.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

import regex

from .normalize import split_lines

# Hard-wrapped: most lines fill a fixed width of at most this many characters ...
WRAP_MAX_WIDTH = 120
WRAP_MIN_LINES = 6
# ... this share of lines is within [WRAP_FILL * width, width] ...
WRAP_FILL = 0.6
WRAP_FILLED_SHARE = 0.5
# ... few lines run past the width, and most adjacent lines continue a sentence.
WRAP_OVERFLOW_SHARE = 0.05
WRAP_CONTINUED_SHARE = 0.5
# A line longer than this is split into sentences before judging.
SPLIT_MIN_CHARS = 2000
# A line continues onto the next (a broken paragraph) when it has at least this many
# words, does not end a sentence, and the next line starts in lower case.
CONTINUE_MIN_WORDS = 8

_LIST_ITEM = regex.compile(r"^(?:[*\-•·▪►▸]\s|\d{1,3}[.)]\s|#{1,6}\s|>\s?)")
_SENTENCE_END = regex.compile(r"(?<=[.!?…][\"'’”»)\]]{0,2})\s+(?=[\p{Lu}\p{N}\"'“‘«(\[])")
_ENDS_SENTENCE = regex.compile(r"[.!?…:;][\"'’”»)\]]{0,2}$")


class Unit(NamedTuple):
    """One judged piece: a line, a paragraph of wrapped lines, or a sentence. (A named
    tuple: made for every line of every document, and the cheapest record to make.)"""

    no: int  # input line number where it starts
    text: str  # what is judged: wrapped lines joined by spaces
    out: str  # what is written if kept: wrapped lines keep their line breaks
    para: int  # kept units of one paragraph are joined by a space


def segment(text: str) -> list[Unit | None]:
    """Units of a document, in order (None for a blank line)."""
    lines = split_lines(text)
    return _wrapped_units(lines) if is_hard_wrapped(lines) else _line_units(lines)


def is_hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were cut at a fixed width rather than at paragraph ends."""
    filled = [len(x) for x in lines if x]
    if len(filled) < WRAP_MIN_LINES:
        return False
    ordered = sorted(filled)
    width = ordered[int(0.9 * (len(ordered) - 1))]
    if width > WRAP_MAX_WIDTH:
        return False
    in_band = sum(1 for n in filled if WRAP_FILL * width <= n <= width) / len(filled)
    overflow = sum(1 for n in filled if n > 1.15 * width) / len(filled)
    if in_band < WRAP_FILLED_SHARE or overflow > WRAP_OVERFLOW_SHARE:
        return False  # decided without reading the line pairs
    pairs = [(a, b) for a, b in pairwise(lines) if a and b]
    if not pairs:
        return False
    continued = sum(1 for a, b in pairs if _continues(a, b, need_words=False)) / len(pairs)
    return continued >= WRAP_CONTINUED_SHARE


def _continues(a: str, b: str, *, need_words: bool = True) -> bool:
    if need_words and not b[:1].islower():
        return False  # the cheap test first: most lines start with a capital
    if _LIST_ITEM.match(b) or _ENDS_SENTENCE.search(a):
        return False
    if need_words and len(a.split()) < CONTINUE_MIN_WORDS:
        return False
    return b[:1].islower() or not need_words


def _wrapped_units(lines: list[str]) -> list[Unit | None]:
    """One unit per paragraph: a run of lines up to a blank, a short line or a list item."""
    filled = sorted(len(x) for x in lines if x)
    width = filled[int(0.9 * (len(filled) - 1))]
    units: list[Unit | None] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            no = block[0][0]
            units.append(
                Unit(no, " ".join(t for _, t in block), "\n".join(t for _, t in block), no)
            )
            block.clear()

    for no, line in enumerate(lines, start=1):
        if not line:
            flush()
            units.append(None)
            continue
        if block and _LIST_ITEM.match(line):
            flush()
        block.append((no, line))
        if len(line) < WRAP_FILL * width:  # a short line ends its paragraph
            flush()
    flush()
    return units


def _line_units(lines: list[str]) -> list[Unit | None]:
    """One unit per line; a broken paragraph's lines join; an over-long line splits."""
    units: list[Unit | None] = []
    i = 0
    while i < len(lines):
        no, line = i + 1, lines[i]
        if not line:
            units.append(None)
            i += 1
            continue
        parts = [line]
        while i + 1 < len(lines) and lines[i + 1] and _continues(parts[-1], lines[i + 1]):
            i += 1
            parts.append(lines[i])
        i += 1
        if len(parts) > 1:  # judged as one; written as the lines they were
            units.append(Unit(no, " ".join(parts), "\n\n".join(parts), no))
        elif len(line) > SPLIT_MIN_CHARS:
            units += [Unit(no, s, s, no) for s in split_sentences(line)]
        else:
            units.append(Unit(no, line, line, no))
    return units


def split_sentences(line: str) -> list[str]:
    """Split a long line at sentence ends (a stop, then space, then a capital or digit)."""
    return [s for s in _SENTENCE_END.split(line) if s]


def join_units(kept: list[Unit]) -> str:
    """The text of kept units: one paragraph's units joined by a space, paragraphs by a
    blank line, ending in a newline (empty when nothing is kept)."""
    paras: list[list[str]] = []
    last = None
    for u in kept:
        if u.para != last:
            paras.append([])
            last = u.para
        paras[-1].append(u.out)
    return "\n\n".join(" ".join(p) for p in paras) + "\n" if paras else ""
