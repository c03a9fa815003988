"""The layout rules (tests/check_layout.py) hold for the package, and the checker itself
finds what it is meant to: a circle, an import up the stages, a module in no stage."""

from __future__ import annotations

from pathlib import Path

from . import check_layout
from .check_layout import Import, circles, imports_of, layer_of


def test_the_package_keeps_its_layout() -> None:
    assert check_layout.breaches() == []


def test_every_stage_is_a_real_part_of_the_package() -> None:
    known = check_layout.modules()
    for prefixes in check_layout.LAYERS:
        for prefix in prefixes:
            assert any(m == prefix or m.startswith(prefix + ".") for m in known), prefix


def test_the_stages_run_from_text_to_the_command() -> None:
    assert layer_of("cleaner.text.features") < layer_of("cleaner.ruleset.matching")
    assert layer_of("cleaner.ruleset.matching") < layer_of("cleaner.judge.steps")
    assert layer_of("cleaner.judge.steps") < layer_of("cleaner.engine")
    assert layer_of("cleaner.engine") < layer_of("cleaner.run.batch")
    assert layer_of("cleaner.run.batch") < layer_of("cleaner")  # the package's facade
    assert layer_of("cleaner.nowhere") == -1  # a new top-level module must take a stage


def test_a_circle_is_found_and_a_type_only_import_does_not_make_one() -> None:
    edges = [
        Import("cleaner.engine", "cleaner.record", 1, False),
        Import("cleaner.record", "cleaner.engine", 2, True),
    ]
    assert circles(edges) == []
    edges.append(Import("cleaner.record", "cleaner.engine", 3, False))
    assert circles(edges) == [["cleaner.engine", "cleaner.record"]]


def test_imports_are_read_inside_functions_and_type_blocks(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ..text import features\n"
        "if TYPE_CHECKING:\n"
        "    from ..engine import Cleaner\n"
        "def f():\n"
        "    from ..run.records import clean_lines\n",
        encoding="utf-8",
    )
    known = {m: Path() for m in ("cleaner.text.features", "cleaner.engine", "cleaner.run.records")}
    found = imports_of("cleaner.judge.mod", source, known)
    assert [(e.target, e.typing_only) for e in found] == [
        ("cleaner.text.features", False),
        ("cleaner.engine", True),
        ("cleaner.run.records", False),
    ]
