"""Language: a cheap guess from stopword profiles, so prose is measured in its own words."""

from __future__ import annotations

import re
from collections import Counter

import regex

from .features import NOT_LATIN, latin_chars
from .stopwords import STOPWORDS, STOPWORDS_BY_LANGUAGE

# The guess reads this much of a document, and needs this many stopword hits, and this
# share of all hits, for one language; else the language is unknown (None).
SAMPLE_CHARS = 20_000
MIN_HITS = 8
MIN_LEAD = 0.4
_TOKEN = regex.compile(r"\p{L}[\p{L}'’]*")
# The same for text in the Latin range (see features.py): the stdlib's letters there,
# without digits, "_" and the few numbers Python counts as alphanumeric, spelled out.
_LATIN_LETTERS = latin_chars(r"[^\W\d_²³¹¼½¾]")
_LATIN_TOKEN = re.compile(f"[{_LATIN_LETTERS}][{_LATIN_LETTERS}'’]*")
# Each stopword and the languages that use it, so a token costs one lookup.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    w: tuple(lang for lang, words in STOPWORDS_BY_LANGUAGE.items() if w in words) for w in STOPWORDS
}


def detect_language(text: str) -> str | None:
    """The language whose stopwords the text uses most, or None if no list fits."""
    hits = dict.fromkeys(STOPWORDS_BY_LANGUAGE, 0)
    sample = text[:SAMPLE_CHARS].casefold()
    latin = NOT_LATIN.search(sample) is None
    tokens = Counter((_LATIN_TOKEN if latin else _TOKEN).findall(sample))
    for token, n in tokens.items():
        for lang in _LANGUAGES_OF.get(token, ()):
            hits[lang] += n
    best = max(hits, key=hits.__getitem__)
    total = sum(hits.values())
    if hits[best] < MIN_HITS or hits[best] < MIN_LEAD * total:
        return None
    return best


def stopwords_for(language: str | None) -> frozenset[str]:
    """A language's stopwords; all known ones when the language is unknown."""
    return STOPWORDS_BY_LANGUAGE.get(language or "", STOPWORDS)
