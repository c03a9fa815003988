"""Every fixture in fixtures/ comes out exactly as its expected body."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.run.batch import clean_bytes

from .conftest import FIXTURES


def fixture_inputs() -> list[Path]:
    found = []
    for expected in sorted(FIXTURES.glob("*.expected.txt")):
        name = expected.name.removesuffix(".expected.txt")
        inputs = [p for p in (FIXTURES / f"{name}.txt", FIXTURES / f"{name}.html") if p.exists()]
        assert len(inputs) == 1, f"{expected.name} needs exactly one input"
        found.append(inputs[0])
    return found


INPUTS = fixture_inputs()


def test_there_are_enough_fixtures() -> None:
    assert len(INPUTS) >= 40
    assert sum(p.suffix == ".html" for p in INPUTS) >= 3


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_fixture_comes_out_as_expected(cleaner: Cleaner, path: Path) -> None:
    expected = (FIXTURES / f"{path.stem}.expected.txt").read_text(encoding="utf-8")
    result = clean_bytes(cleaner, path.read_bytes(), path)
    assert result.text == expected
    assert all(r.by for r in result.removals)
    assert not result.flags


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.stem)
def test_expected_body_is_left_alone(cleaner: Cleaner, path: Path) -> None:
    expected = (FIXTURES / f"{path.stem}.expected.txt").read_text(encoding="utf-8")
    assert cleaner.clean(expected).text == expected
