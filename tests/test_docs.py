"""The rule examples shown in README.md and docs/rules.md are valid and pass their checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner import Cleaner, load_ruleset
from cleaner.ruleset.checks import check_examples
from cleaner.ruleset.matching import CompiledRules

from .conftest import ROOT


def toml_blocks(path: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("doc", ["README.md", "docs/rules.md"])
def test_documented_rule_files_pass_rules_check(doc: str, tmp_path: Path) -> None:
    blocks = toml_blocks(ROOT / doc)
    assert blocks
    for n, block in enumerate(blocks):
        path = tmp_path / f"example{n}.toml"
        path.write_text(block, encoding="utf-8")
        # docs/rules.md shows a default file itself, so it loads alone.
        ruleset = load_ruleset([path], default_rules=doc == "README.md")
        assert check_examples(CompiledRules(ruleset)) == []


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    (tmp_path / "page.txt").write_text(
        (ROOT / "examples" / "news" / "wildfire.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"Cleaner": Cleaner})


def test_every_example_file_cleans_without_flags() -> None:
    cleaner = Cleaner()
    files = [p for p in (ROOT / "examples").rglob("*") if p.is_file()]
    assert len(files) >= 5
    for path in files:
        from cleaner.run.batch import clean_bytes

        result = clean_bytes(cleaner, path.read_bytes(), path)
        assert result.text and not result.flags, path


def steps_table() -> str:
    """The README's step table, made from the engine's own (cleaner/judge/steps.py)."""
    from cleaner.judge.steps import RULE_IDS, STEPS

    rows = [
        "| # | step | writes into the trace | runs on | code | what it does |",
        "|---|---|---|---|---|---|",
    ]
    for n, s in enumerate(STEPS, 1):
        writes = ", ".join(w if w == RULE_IDS else f"`{w}`" for w in s.writes) or "(the mode)"
        rows.append(
            f"| {n} | `{s.name}` | {writes} | {s.runs_on()} | `cleaner/{s.code}` | {s.why} |"
        )
    return "\n".join(rows) + "\n"


def test_readme_lists_the_steps_the_engine_runs() -> None:
    from cleaner.judge.steps import STEPS

    assert steps_table() in (ROOT / "README.md").read_text(encoding="utf-8")
    for step in STEPS:
        assert (ROOT / "cleaner" / step.code).is_file(), step.name
    names = [w for step in STEPS for w in step.writes]
    assert len(names) == len(set(names) - {"rule ids"}) + names.count("rule ids")


def _layout_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Project layout")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_readme_layout_names_every_module_and_only_real_paths() -> None:
    section = _layout_section()
    named = set(re.findall(r"`(cleaner/[\w/]*(?:\.py|/))`", section))
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "cleaner").rglob("*.py")
        if p.name != "__main__.py" and not (p.name == "__init__.py" and p.parent.name != "cleaner")
    }
    assert modules - named == set()
    for path in named:
        assert (ROOT / path).exists(), path


def test_architecture_doc_names_real_paths_and_every_stage() -> None:
    from .check_layout import LAYERS

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in re.findall(r"`(cleaner/[\w/]*(?:\.py|/))`", text):
        assert (ROOT / path).exists(), path
    for prefixes in LAYERS:
        for prefix in prefixes:
            if prefix.count(".") == 1 and not prefix.endswith(("_version", "__main__")):
                name = prefix.replace(".", "/")
                assert f"`{name}/`" in text or f"`{name}.py`" in text, prefix
