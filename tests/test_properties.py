"""Properties that hold for any text: no crash, one answer, nothing invented, bodies kept."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.text.normalize import normalize_text

from .conftest import FIXTURES, SHARED


def _pool() -> list[str]:
    """Real lines to build documents from: fixture lines and every rule example."""
    lines = {
        line.strip()
        for p in sorted(FIXTURES.glob("*.txt"))
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    }
    rules = Cleaner().ruleset.rules
    lines.update(example for rule in rules for example in rule.junk + rule.keep)
    return sorted(lines)


POOL = _pool()
ANY_LINE = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=0, max_size=120)
DOCUMENTS = st.lists(
    st.one_of(st.sampled_from(POOL), st.sampled_from(POOL), ANY_LINE, st.just("")),
    max_size=40,
).map("\n".join)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def _squash(text: str) -> str:
    return "".join(text.split())


@PROPERTY
@given(DOCUMENTS)
def test_cleaning_is_total_and_deterministic(cleaner: Cleaner, text: str) -> None:
    first = cleaner.clean(text)
    again = cleaner.clean(text)
    assert first.text == again.text
    assert [r.by for r in first.removals] == [r.by for r in again.removals]
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.clean(text).text == first.text


@PROPERTY
@given(DOCUMENTS)
def test_output_lines_come_from_input_lines(cleaner: Cleaner, text: str) -> None:
    """Every output line is an input line, or one with spans cut out (sentences of one
    long line may be rejoined): cleaning removes, it never writes."""
    inputs = [_squash(x) for x in normalize_text(text).split("\n") if x.strip()]
    for line in cleaner.clean(text).text.split("\n"):
        if line.strip():
            squashed = _squash(line)
            assert any(_subsequence(squashed, src) for src in inputs), line


@PROPERTY
@given(DOCUMENTS)
def test_a_document_is_never_silently_emptied(cleaner: Cleaner, text: str) -> None:
    result = cleaner.clean(text)
    if result.words_in and not result.text.strip():
        assert "emptied" in result.flags


def _bodies() -> list[Path]:
    bodies = sorted(FIXTURES.glob("*.expected.txt"))
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        bodies += sorted(seeds.glob("*.expected.txt"))
    return bodies


@pytest.mark.parametrize("path", _bodies(), ids=lambda p: p.name)
def test_a_pure_article_body_is_left_alone(cleaner: Cleaner, path: Path) -> None:
    body = path.read_text(encoding="utf-8")
    result = cleaner.clean(body)
    assert not result.removals, [(r.by, r.text) for r in result.removals]
