"""Text normalization: the one place that decides what a "line" is before judging it."""

from __future__ import annotations

import unicodedata

import regex

# No-break, figure, narrow and other fixed-width spaces, and the Unicode line and
# paragraph separators, become a plain space: every other white space a pattern's \s
# could meet is gone, which the matcher's prefilter relies on (see `literals.py`);
# zero-width characters and the BOM vanish. Tabs fold with other white space.
_SPACES = regex.compile(r"[\t\f\v\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_ZERO_WIDTH = regex.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_RUNS = regex.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """Unify line endings and Unicode form of a whole document."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # NFC already; no zero-width character; tabs and feeds only
        for space in "\t\f\v":
            if space in text:
                text = text.replace(space, " ")
        return text
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    return _SPACES.sub(" ", text)


def normalize_line(line: str) -> str:
    """Fold runs of spaces and trim a line already passed through `normalize_text`."""
    if "  " in line:
        line = _RUNS.sub(" ", line)
    return line.strip()


def split_lines(text: str) -> list[str]:
    """Normalize a document and split it into trimmed lines (blank lines kept as "")."""
    return [normalize_line(x) for x in normalize_text(text).split("\n")]


def phrase_key(line: str) -> str:
    """The key a whole-line phrase is compared on: case-folded, edge punctuation dropped."""
    return core_key(strip_edges(line))


def core_key(core: str) -> str:
    """`phrase_key` of a line whose edges are stripped already."""
    if "  " not in core and core.isprintable():  # its only white space is single spaces
        return core.casefold()  # as below, without a list of every word of a long line
    return " ".join(core.split()).casefold()


def strip_edges(line: str) -> str:
    """`line` without punctuation, symbols and white space at either end."""
    line = line.strip(_ASCII_EDGES)  # the common case in one call; the loop does the rest
    if not line or (line[0].isascii() and line[-1].isascii()):
        return line
    start, end = 0, len(line)
    while start < end and _edge(line[start]):
        start += 1
    while end > start and _edge(line[end - 1]):
        end -= 1
    return line[start:end]


def _edge(char: str) -> bool:
    """Punctuation, a symbol or white space (what `[\\p{P}\\p{S}\\s]` matches, plus the
    four information separators, which Python counts as white space)."""
    return not char.isalnum() and (char.isspace() or unicodedata.category(char)[0] in "PS")


# The ASCII characters `_edge` holds: punctuation, symbols and white space.
_ASCII_EDGES = "".join(c for c in map(chr, range(128)) if _edge(c))
