"""Inputs the fuzzers in tests/fuzz/ once broke on, replayed on every run.

A crasher saved as tests/fuzz/crashers/<target>-<name> (target: rules, literals, engine,
jsonl, crawl, parquet) is fed to that fuzzer's `test_one`, which raises if the bug is back.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

FUZZ = Path(__file__).parent / "fuzz"
CRASHERS = sorted((FUZZ / "crashers").glob("*-*"))


def _harness(target: str):
    spec = importlib.util.spec_from_file_location(f"fuzz_{target}", FUZZ / f"fuzz_{target}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_harness_loads_without_the_fuzzer() -> None:
    for path in sorted(FUZZ.glob("fuzz_*.py")):
        assert callable(_harness(path.stem.removeprefix("fuzz_")).test_one)


@pytest.mark.parametrize("path", CRASHERS, ids=lambda p: p.name)
def test_saved_crasher_no_longer_breaks(path: Path) -> None:
    target = path.name.split("-", 1)[0]
    _harness(target).test_one(path.read_bytes())
