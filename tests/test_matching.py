"""The compiled matcher gives exactly what trying every rule on every line would give."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.text.features import line_features
from cleaner.text.normalize import split_lines

from .conftest import FIXTURES


def brute_force(cleaner: Cleaner, line: str) -> list[str]:
    m = cleaner.compiled._lines
    words = line_features(line).words
    return [
        r.id
        for r, p in zip(m._rules, m._single, strict=True)
        if words <= m._max_words
        and (r.max_words is None or words <= r.max_words)
        and p.fullmatch(line)
    ]


def matched(cleaner: Cleaner, line: str) -> list[str]:
    words = line_features(line).words
    return [r.id for r in cleaner.compiled.line_rules(line, words) if r.regex]


def known_lines(cleaner: Cleaner) -> list[str]:
    """Every line of the fixtures and every rule example, sorted."""
    lines = {
        line
        for p in FIXTURES.glob("*.txt")
        for line in split_lines(p.read_text(encoding="utf-8", errors="replace"))
        if line
    }
    for rule in cleaner.ruleset.rules:
        lines.update(rule.junk + rule.keep)
    return sorted(lines)


def test_matcher_equals_brute_force_on_every_fixture_line(cleaner: Cleaner) -> None:
    lines = known_lines(cleaner)
    assert len(lines) > 1000
    for line in lines:
        assert matched(cleaner, line) == brute_force(cleaner, line), line


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Posted in", "Share", "Read more:", "0", "©", "By", "Tags:", "#", "“"]),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        max_size=60,
    ),
)
def test_matcher_equals_brute_force_on_generated_lines(
    cleaner: Cleaner, head: str, tail: str
) -> None:
    line = " ".join(f"{head} {tail}".split())
    if line:
        assert matched(cleaner, line) == brute_force(cleaner, line)


def test_cleaner_pickles_and_cleans_the_same(cleaner: Cleaner) -> None:
    text = (FIXTURES / "aggregator_disclaimer_wildfire.txt").read_text(encoding="utf-8")
    cleaner.clean(text)  # warm the caches, which are not pickled
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.clean(text).text == cleaner.clean(text).text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "The",
                "cat",
                "sat",
                "on",
                "a",
                "mat",
                ",",
                ";",
                ".",
                "!",
                "?",
                "'",
                '"',
                ")",
                "]",
                "-",
                "http://x.co",
                "www.",
                "site.com/",
                "3",
                "it's",
                "A",
                "de",
                "le",
                "  ",
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_ascii_features_equal_the_unicode_measure(line: str) -> None:
    from cleaner.text.features import _ascii_features, _unicode_features
    from cleaner.text.stopwords import STOPWORDS

    assert _ascii_features(line, STOPWORDS) == _unicode_features(line, STOPWORDS)


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF)
        | st.characters(min_codepoint=0x2000, max_codepoint=0x206F),
        max_size=80,
    )
)
def test_latin_features_equal_the_unicode_measure(line: str) -> None:
    from cleaner.text.features import _latin_features, _unicode_features
    from cleaner.text.stopwords import STOPWORDS

    assert _latin_features(line, STOPWORDS) == _unicode_features(line, STOPWORDS)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF)
        | st.sampled_from(["'", "’", " "]),
        max_size=80,
    )
)
def test_latin_tokens_equal_the_unicode_tokens(text: str) -> None:
    from cleaner.text.language import _LATIN_TOKEN, _TOKEN

    folded = text.casefold()
    if all(c < "\u0300" for c in folded):
        assert _LATIN_TOKEN.findall(folded) == _TOKEN.findall(folded)


def test_span_subsets_find_what_the_whole_alternation_finds(cleaner: Cleaner) -> None:
    from cleaner.ruleset.matching import MATCH_TIMEOUT_S, _group_index

    compiled = cleaner.compiled
    found = 0
    for line in known_lines(cleaner):
        whole = [
            (m.start(), m.end(), compiled._span_rules[_group_index(m)].id)
            for m in compiled._span_pattern.finditer(line, timeout=MATCH_TIMEOUT_S)
            if m.end() > m.start()
        ]
        spans = [(s.start, s.end, s.rule.id) for s in compiled.spans(line)]
        assert spans == whole, line
        found += bool(spans)
    assert found > 10  # lines with spans among them


def test_a_probe_lasts_for_its_document_only(cleaner: Cleaner) -> None:
    compiled = cleaner.compiled
    compiled.new_document()
    assert not compiled.quiet("Share this:", 2)
    assert "Share this:" in compiled._probes
    cleaner.clean("A first line of some article text.\n")
    assert "Share this:" not in compiled._probes


def test_a_quiet_line_is_one_nothing_matches(cleaner: Cleaner) -> None:
    """quiet() skips a line only when no rule, block header, span or allow entry could
    take it: checked against trying every one of them, on every fixture line."""
    compiled = cleaner.compiled
    loud = 0
    for line in known_lines(cleaner):
        compiled.new_document()
        words = line_features(line).words
        cuts = compiled._cuts
        anything = bool(
            brute_force(cleaner, line)
            or [
                r
                for r, rx in zip(cuts._rules, cuts._single, strict=True)
                if words <= cuts._max_words
                and (r.max_words is None or words <= r.max_words)
                and rx.fullmatch(line)
            ]
            or list(compiled.line_rules(line, words))
            or [m for m in compiled._span_pattern.finditer(line) if m.end() > m.start()]
            or [
                a
                for a, rx in zip(compiled._allow_rx_entries, compiled._allow_single, strict=True)
                if rx.fullmatch(line)
            ]
            or compiled.allows_for(line)
        )
        compiled.new_document()
        if anything:
            loud += 1
            assert not compiled.quiet(line, words), line
    assert loud > 500


def test_a_line_no_candidate_matches_is_quiet(cleaner: Cleaner) -> None:
    """quiet() tries the whole-line patterns a line's literals and length leave: a line
    that only hits literals of patterns that do not match it is quiet, so it skips the
    rule pass (and each pattern is tried once: the matcher reuses the answer)."""
    compiled = cleaner.compiled
    quiet_after_trying = 0
    for line in known_lines(cleaner):
        compiled.new_document()
        words = line_features(line).words
        probe = compiled._probe(line)
        if probe.key in compiled._phrase_keys:
            continue
        whole = compiled._whole  # number -> (word limit, width or None, pattern)
        left = [
            n
            for n in probe.hits
            if n in whole
            and words <= whole[n][0]
            and (whole[n][1] is None or len(line) <= whole[n][1])
        ]
        spans_or_allows = [n for n in probe.hits if n not in whole]
        others = [n for n in probe.hits if n in whole and n not in left]
        if (
            left
            and not spans_or_allows
            and not any(whole[n][2].fullmatch(line) for n in left + others)
        ):
            assert compiled.quiet(line, words), line
            assert set(left) <= set(probe.tried), line  # answers kept for the matcher
            quiet_after_trying += 1
    assert quiet_after_trying > 100


def test_gates_refuse_as_each_gate_admits(cleaner: Cleaner) -> None:
    """The gates' hot loop (prefixes grouped by first character) refuses exactly the
    patterns whose own gate does not admit the line."""
    prefilter = cleaner.compiled._prefilter
    gates = prefilter._gates
    for line in known_lines(cleaner):
        found = set(prefilter.gates)
        gates.refuse(found, line, line.casefold())
        admitted = {n for n, g in prefilter.gates.items() if g.admits(line)}
        assert found == admitted, line
