"""Line features: the shape of a line, measured once, used by every structural heuristic."""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .stopwords import STOPWORDS

# A line this long (in words) and sentence-shaped is article body beyond doubt.
GOOD_MIN_WORDS = 10
# A line without a sentence ending is still body when it is this long and reads like
# prose (share of stopwords); shorter ones may be headlines.
LONG_PROSE_WORDS = 20
PROSE_STOPWORD_SHARE = 0.25
# Lines up to this many words may be taken as menu items, labels or names in a junk run.
RUN_MAX_WORDS = 12

# Scripts written without spaces: every two characters count as one word.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_UNSPACED_RUN = regex.compile(f"[{_UNSPACED}]+")
_WORD = regex.compile(f"(?:(?![{_UNSPACED}])[\\p{{L}}\\p{{N}}])[\\p{{L}}\\p{{N}}\\p{{M}}'’\\-]*")
# (An emoji after the stop, "… soon! 🙂", still ends a sentence. Emoji lie outside the
# Latin range, so the string tests of Latin lines below need not know them.)
_EMOJI = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]"
_TERMINAL = regex.compile(
    r"[.!?…。！？]['\"’”»)\]」』）]*" + f"(?:\\s?{_EMOJI}(?:\ufe0f|\u200d{_EMOJI})*)*$"
)
# A comma or semicolon followed by a lower-case word: a clause, so prose.
_CLAUSE = regex.compile(r"[,;] \p{Ll}")
_URL = regex.compile(r"https?://|www\.|\.(?:com|org|net|ly|co|io)/")
# The same measures for pure-ASCII lines, where the stdlib engine is quicker and no
# letter needs Unicode classes: [A-Za-z0-9] is \p{L}\p{N} there, and no mark exists.
_ASCII_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")
_ASCII_CLAUSE = re.compile(r"[,;] [a-z]")
_ASCII_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|ly|co|io)/")
# Below U+0300 (Latin-1 and the Latin extensions) there are no marks and no unspaced
# scripts, and the stdlib's word characters without "_" are exactly \p{L}\p{N}; the
# General Punctuation block (curly quotes, dashes, ellipsis) holds no word character.
# _TERMINAL on ASCII and Latin lines, as string tests: a stop, then closing quotes and
# brackets up to the end. (The empty string is "in" any string: a line of closers only
# leaves "", which must not count, so the stops are tested as a tuple of characters.)
_ASCII_STOPS = (".", "!", "?")
_LATIN_STOPS = (".", "!", "?", "…")
_LATIN_CLOSERS = "'\"’”»)]"
NOT_LATIN = re.compile("[^\x00-\u02ff\u2000-\u206f]")
LATIN_RANGE = [*range(0x300), *range(0x2000, 0x2070)]  # what NOT_LATIN leaves


def latin_chars(char_class: str) -> str:
    """The characters of the Latin range that `char_class` (a stdlib class such as
    `[^\\W_]`) matches, escaped for a class: spelled out, a class the stdlib engine scans
    several times faster than a negated category."""
    return re.escape("".join(c for c in map(chr, LATIN_RANGE) if re.fullmatch(char_class, c)))


# [^\W_][\w'’\-]* with its classes spelled out.
_LATIN_WORD_CHARS = latin_chars(r"[^\W_]")
_LATIN_WORD = re.compile(f"[{_LATIN_WORD_CHARS}][{_LATIN_WORD_CHARS}_'’\\-]*")


@dataclass(slots=True)
class LineFeatures:
    """What a line looks like: length, sentence shape, prose share, links."""

    words: int
    chars: int
    terminal: bool
    stopword_share: float
    has_url: bool
    clause: bool

    @property
    def sentence(self) -> bool:
        """Shaped like a sentence: several words ending as sentences end."""
        return self.words >= 3 and self.terminal

    @property
    def good(self) -> bool:
        """Article body beyond doubt: long, and prose rather than a list of names."""
        if self.words < GOOD_MIN_WORDS:
            return False
        return self.terminal or (
            self.words >= LONG_PROSE_WORDS and self.stopword_share >= PROSE_STOPWORD_SHARE
        )

    @property
    def run_item(self) -> bool:
        """Short and not prose: a menu item, label, name or teaser title."""
        return self.words <= RUN_MAX_WORDS and not self.sentence and not self.clause


# What a blank line measures: nothing (a blank line is never body, nor a run item that
# counts, since every step passes blank lines over by `Line.blank`).
BLANK_FEATURES = LineFeatures(0, 0, False, 0.0, False, False)

# A line longer than this is measured a piece at a time, so that its words are never
# all held at once (a 50 MB line of words would take ten times its size as a list).
PIECE_CHARS = 1 << 20


def line_features(line: str, stopwords: frozenset[str] = STOPWORDS) -> LineFeatures:
    """Measure one (normalized, non-blank) line; prose share counts `stopwords`."""
    if len(line) > PIECE_CHARS:
        return _long_features(line, stopwords)
    if line.isascii():
        return _ascii_features(line, stopwords)
    if NOT_LATIN.search(line) is None:
        return _latin_features(line, stopwords)
    return _unicode_features(line, stopwords)


def _long_features(line: str, stopwords: frozenset[str]) -> LineFeatures:
    """A very long line measured in pieces cut at spaces: no word spans a space, so the
    counts are those of the whole line, without a list of all its words."""
    words = stop = unspaced = 0
    start = 0
    while start < len(line):
        cut = line.find(" ", start + PIECE_CHARS)
        end = len(line) if cut < 0 else cut
        piece = line[start:end]
        start = end + 1
        if piece.isascii():
            found = _ASCII_WORD.findall(piece.lower())
            stop += sum(map(stopwords.__contains__, found))
        elif NOT_LATIN.search(piece) is None:
            found = _LATIN_WORD.findall(piece.replace("_", " "))
            stop += sum(w.casefold() in stopwords for w in found)
        else:
            found = _WORD.findall(piece)
            stop += sum(1 for w in found if w.casefold() in stopwords)
            unspaced += sum(len(run) for run in _UNSPACED_RUN.findall(piece))
        words += len(found)
    n = words + (unspaced + 1) // 2
    return LineFeatures(
        words=n,
        chars=len(line),
        terminal=bool(_TERMINAL.search(line)),
        stopword_share=stop / n if n else 0.0,
        has_url=bool(_URL.search(line)),
        clause=bool(_CLAUSE.search(line)),
    )


def _ascii_features(line: str, stopwords: frozenset[str]) -> LineFeatures:
    """The quick path for pure-ASCII lines; it measures exactly what the other one does."""
    words = _ASCII_WORD.findall(line.lower())
    n = len(words)
    return LineFeatures(
        words=n,
        chars=len(line),
        terminal=line.rstrip("'\")]")[-1:] in _ASCII_STOPS,
        stopword_share=sum(map(stopwords.__contains__, words)) / n if n else 0.0,
        has_url=("/" in line or "www." in line) and _ASCII_URL.search(line) is not None,
        clause=(", " in line or "; " in line) and _ASCII_CLAUSE.search(line) is not None,
    )


def _latin_features(line: str, stopwords: frozenset[str]) -> LineFeatures:
    """The quick path for lines in Latin letters below U+0300; measures as the other does."""
    words = _LATIN_WORD.findall(line.replace("_", " "))
    n = len(words)
    # Folding the line once tokenizes the same unless folding left the Latin range
    # ("İ" folds to "i" and a combining dot): then each word is folded alone.
    whole = line.casefold()
    if NOT_LATIN.search(whole) is None:
        folded = _LATIN_WORD.findall(whole.replace("_", " "))
    else:
        folded = [w.casefold() for w in words]
    return LineFeatures(
        words=n,
        chars=len(line),
        terminal=line.rstrip(_LATIN_CLOSERS)[-1:] in _LATIN_STOPS,
        stopword_share=sum(map(stopwords.__contains__, folded)) / n if n else 0.0,
        has_url=("/" in line or "www." in line) and _ASCII_URL.search(line) is not None,
        clause=(", " in line or "; " in line) and _CLAUSE.search(line) is not None,
    )


def _unicode_features(line: str, stopwords: frozenset[str]) -> LineFeatures:
    words = _WORD.findall(line)
    unspaced = sum(len(run) for run in _UNSPACED_RUN.findall(line))
    n = len(words) + (unspaced + 1) // 2
    stop = sum(1 for w in words if w.casefold() in stopwords) / n if n else 0.0
    return LineFeatures(
        words=n,
        chars=len(line),
        terminal=bool(_TERMINAL.search(line)),
        stopword_share=stop,
        has_url=bool(_URL.search(line)),
        clause=bool(_CLAUSE.search(line)),
    )
