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
