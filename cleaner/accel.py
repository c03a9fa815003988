"""Which path the engine runs on: its hot modules compiled by mypyc, or pure Python.

The compiled modules are built from these same sources by `setup.py` where a C compiler
is found; the Python files stay the reference and the one place to read and change. A
compiled module is used only when the build's manifest says it was made from the very
source beside it (an edited or checked-out file falls back to Python, never to a stale
build), and never when `CLEANER_PURE=1`. `load_pure` gives the whole package from its
sources under another name, so a test can hold both paths equal in one process
(`comparable` says what "equal" covers).

Classes that are pickled (the compiled rule set, through the rule cache and to worker
processes, and results) stay Python classes inside compiled modules
(`mypyc_attr(native_class=False)`): mypyc's own pickling support (`serializable`)
skips `__init__` in mypy 2.4, and making them native gained nothing measurable.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

# The modules setup.py compiles: every one a document passes through line by line.
COMPILED_MODULES = (
    "text.normalize",
    "text.features",
    "text.stopwords",
    "text.shape",
    "text.language",
    "judge.document",
    "ruleset.gates",
    "ruleset.matching",
    "judge.vetoes",
    "judge.threads",
    "judge.rule_pass",
    "judge.mode",
    "judge.headline",
    "judge.article_end",
    "judge.repeats",
    "judge.body",
    "judge.tail_lists",
    "judge.edges",
    "judge.steps",
    "engine",
)
# Written by setup.py beside the compiled modules: each module's source digest.
MANIFEST = "_accel_manifest.json"
PURE_ENV = "CLEANER_PURE"
PURE = "pure Python"
MYPYC = "mypyc"

_HERE = Path(__file__).resolve().parent


def source_digest(path: Path) -> str:
    """The digest a compiled module's manifest entry holds for its source file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_file(name: str) -> Path:
    """The source of a module named relative to the package ("judge.headline")."""
    return _HERE.joinpath(*name.split(".")).with_suffix(".py")


def _compiled_file(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        found = source_file(name).with_suffix(suffix)
        if found.is_file():
            return found
    return None


def _why_pure() -> str | None:
    """Why the compiled modules cannot be used (None: they can)."""
    if os.environ.get(PURE_ENV, "").strip() not in ("", "0"):
        return f"{PURE_ENV} is set"
    try:
        manifest = json.loads((_HERE / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "not compiled at install"
    if not isinstance(manifest, dict) or set(manifest) != set(COMPILED_MODULES):
        return "the compiled modules are not this version's"
    for name in COMPILED_MODULES:
        where = f"cleaner/{name.replace('.', '/')}"
        if _compiled_file(name) is None:
            return f"{where} was not compiled"
        try:
            if manifest[name] != source_digest(source_file(name)):
                return f"{where}.py changed since it was compiled (reinstall)"
        except OSError:
            return f"{where}.py is missing"
    return None


WHY_PURE = _why_pure()


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Loads `cleaner.<module>` from its .py file, passing a compiled module over."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: object = None, target: object = None):  # type: ignore[no-untyped-def]
        if fullname not in self.names:
            return None
        source = source_file(fullname.partition(".")[2])
        return importlib.util.spec_from_file_location(fullname, source)


if WHY_PURE is not None and any(_compiled_file(n) for n in COMPILED_MODULES):
    sys.meta_path.insert(0, _SourceFinder({f"{__package__}.{n}" for n in COMPILED_MODULES}))


def path() -> str:
    """The path this process runs: "mypyc" or "pure Python"."""
    engine = sys.modules.get(f"{__package__}.engine")
    compiled = engine is not None and not str(getattr(engine, "__file__", "")).endswith(".py")
    return MYPYC if compiled else PURE


def describe() -> str:
    """The path, and why it is pure Python where that is not the default."""
    name = path()
    if name == MYPYC:
        return f"{MYPYC}, {len(COMPILED_MODULES)} modules compiled"
    return PURE if WHY_PURE is None else f"{PURE}: {WHY_PURE}"


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Loads the package's every module from source under another top-level name."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def find_spec(self, fullname: str, path: object = None, target: object = None):  # type: ignore[no-untyped-def]
        if fullname == self.alias:
            return importlib.util.spec_from_file_location(
                fullname, _HERE / "__init__.py", submodule_search_locations=[str(_HERE)]
            )
        if fullname.startswith(self.alias + "."):
            rest = fullname[len(self.alias) + 1 :]
            package = _HERE.joinpath(*rest.split("."))
            if (package / "__init__.py").is_file():  # a subpackage: its modules from source too
                return importlib.util.spec_from_file_location(
                    fullname, package / "__init__.py", submodule_search_locations=[str(package)]
                )
            if source_file(rest).is_file():
                return importlib.util.spec_from_file_location(fullname, source_file(rest))
        return None


def comparable(result: Any) -> tuple:
    """Everything a `Result` says, in a form two paths' results compare equal by: text,
    headline, removals and reasons, flags, counts, mode, language, vetoes, verdicts."""
    return (
        result.text,
        result.title,
        [(r.line, r.text, r.by, r.kind, r.action, r.detail) for r in result.removals],
        result.flags,
        (result.words_in, result.words_out, result.removed_lines),
        (result.mode, result.mode_reason, result.language),
        [(v.line, v.by, v.reason) for v in result.vetoes],
        [(v.line, v.status, v.by, v.detail) for v in result.verdicts],
    )


def load_pure(alias: str = "cleaner_pure") -> ModuleType:
    """The package again, every module from its Python source, as `alias` (for tests
    and fuzzers that compare the two paths on the same input in one process)."""
    if alias in sys.modules:
        return sys.modules[alias]
    sys.meta_path.insert(0, _AliasFinder(alias))
    return importlib.import_module(alias)
