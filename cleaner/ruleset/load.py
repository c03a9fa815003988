"""Rule files found and loaded into one rule set: the defaults and users' files, each once,
ids unique across them. Parsing one file is `parse.py`; its names are imported here too."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .model import Allow, Rule, RuleError, RuleFile, RuleSet, RuleSetError
from .parse import (
    parse_rule_file,
)


def default_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's `rules/` in a source checkout."""
    packaged = resources.files("cleaner") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"  # beside the package cleaner/


def rule_files_in(path: Path) -> list[Path]:
    """The `.toml` files a path names: itself, or every one below a folder, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.toml") if p.is_file())
    return [path]


def load_ruleset(
    paths: list[Path], *, default_rules: bool = True, stress_defaults: bool = False
) -> RuleSet:
    """Load the default rules (if asked) and the given files or folders into one set.

    User patterns are stress-tested for catastrophic backtracking as they load; the
    default rules are tested by the test suite, and here only with `stress_defaults`.
    Raises RuleSetError listing every problem found, so a user fixes them in one go.
    """
    return load_rule_sources(rule_sources(paths, default_rules, stress_defaults))


def rule_sources(
    paths: list[Path], default_rules: bool = True, stress_defaults: bool = False
) -> list[tuple[Path, bool]]:
    """The rule files a load reads, in order, each once, and whether its patterns are
    stress-tested; raises RuleSetError for a path that does not exist."""
    files: list[tuple[Path, bool]] = []
    if default_rules:
        files += [(f, stress_defaults) for f in rule_files_in(default_rules_dir())]
    for p in paths:
        if not p.exists():
            raise RuleSetError([RuleError(p, None, "no such file or folder")])
        files += [(f, True) for f in rule_files_in(p)]
    unique: dict[Path, tuple[Path, bool]] = {}
    for f, stress in files:  # a file named twice (defaults and --rules) loads once
        key = f.resolve()
        unique[key] = (unique[key][0], unique[key][1] or stress) if key in unique else (f, stress)
    return list(unique.values())


def load_rule_sources(files: list[tuple[Path, bool]]) -> RuleSet:
    """Parse the files `rule_sources` named into one set (see `load_ruleset`)."""
    errors: list[RuleError] = []
    loaded: list[RuleFile] = []
    seen: dict[str, str] = {}
    for path, stress in files:
        try:
            rf = parse_rule_file(path, stress=stress)
        except RuleSetError as exc:
            errors += exc.errors
            continue
        items: list[Rule | Allow] = [*rf.rules, *rf.allows]
        for item in items:
            if item.id in seen:
                errors.append(RuleError(path, item.id, f"duplicate id (also in {seen[item.id]})"))
            else:
                seen[item.id] = str(path)
        loaded.append(rf)
    if errors:
        raise RuleSetError(errors)
    return RuleSet(loaded)
