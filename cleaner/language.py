"""Language: a cheap guess from stopword profiles, so prose is measured in its own words."""

from __future__ import annotations

import regex

from .stopwords import STOPWORDS, STOPWORDS_BY_LANGUAGE

# The guess reads this much of a document, and needs this many stopword hits, and this
# share of all hits, for one language; else the language is unknown (None).
SAMPLE_CHARS = 20_000
MIN_HITS = 8
MIN_LEAD = 0.4
_TOKEN = regex.compile(r"\p{L}[\p{L}'’]*")


def detect_language(text: str) -> str | None:
    """The language whose stopwords the text uses most, or None if no list fits."""
    hits = dict.fromkeys(STOPWORDS_BY_LANGUAGE, 0)
    for token in _TOKEN.findall(text[:SAMPLE_CHARS].casefold()):
        if token in STOPWORDS:
            for lang, words in STOPWORDS_BY_LANGUAGE.items():
                if token in words:
                    hits[lang] += 1
    best = max(hits, key=hits.get)
    total = sum(hits.values())
    if hits[best] < MIN_HITS or hits[best] < MIN_LEAD * total:
        return None
    return best


def stopwords_for(language: str | None) -> frozenset[str]:
    """A language's stopwords; all known ones when the language is unknown."""
    return STOPWORDS_BY_LANGUAGE.get(language or "", STOPWORDS)
