"""The compiled path (mypyc, see cleaner/accel.py) cleans exactly as the pure-Python one:
the same text, headline, removals and reasons, flags and vetoes, on every fixture, every
seed and the dev-set dumps when ../shared is present, and on generated text. Where the
compiled modules are not in use (no compiler, CLEANER_PURE=1) the comparisons skip."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import Cleaner, accel

from .conftest import FIXTURES, ROOT, SHARED

COMPILED = accel.path() == accel.MYPYC
needs_compiled = pytest.mark.skipif(not COMPILED, reason=f"runs {accel.describe()}")


@pytest.fixture(scope="module")
def pure_cleaner() -> Any:
    return accel.load_pure().Cleaner()


def _texts(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if ".expected." not in p.name)


def test_the_pure_copy_is_pure_and_separate() -> None:
    pure = accel.load_pure()
    assert pure is not cleaner and pure.__name__ == "cleaner_pure"
    assert pure.accel.path() == accel.PURE
    engine = sys.modules["cleaner_pure.engine"]
    assert str(engine.__file__).endswith(".py")


@needs_compiled
def test_the_compiled_modules_are_in_use() -> None:
    for name in accel.COMPILED_MODULES:
        assert not str(sys.modules[f"cleaner.{name}"].__file__).endswith(".py"), name


@needs_compiled
@pytest.mark.parametrize("keep_title", [False, True])
def test_both_paths_clean_every_fixture_alike(keep_title: bool) -> None:
    fast, pure = Cleaner(keep_title=keep_title), accel.load_pure().Cleaner(keep_title=keep_title)
    files = _texts(FIXTURES, "*.txt")
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert accel.comparable(fast.clean(text)) == accel.comparable(pure.clean(text)), path.name


@needs_compiled
def test_both_paths_clean_html_alike(cleaner: Cleaner, pure_cleaner: Any) -> None:
    pages = sorted(FIXTURES.rglob("*.html"))
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert accel.comparable(cleaner.clean_html(html)) == accel.comparable(
            pure_cleaner.clean_html(html)
        )


@needs_compiled
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
def test_both_paths_clean_the_seeds_and_dev_dumps_alike(
    cleaner: Cleaner, pure_cleaner: Any
) -> None:
    files = _texts(SHARED / "seeds", "*.txt") + _texts(SHARED / "bench", "dumps/*.txt")
    assert len(files) > 800  # both dev sets' dumps, found
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert accel.comparable(cleaner.clean(text)) == accel.comparable(
            pure_cleaner.clean(text)
        ), path


_LINES = st.sampled_from(
    [
        "Share this article",
        "Leave a Reply",
        "Your email address will not be published.",
        "Posted by admin on March 3, 2021",
        "12 comments",
        "Home | News | Sport | Contact",
        "Related Articles",
        "The council voted on Tuesday to close the harbour bridge for six weeks of repairs.",
        "Engineers said the work, which begins in May, would cost about two million pounds.",
        "Read more",
        "",
        "© 2024 Example Media. All rights reserved.",
        "Opublikowano: 12 marca 2024",
        "来源：新华网 作者：张三",
        "Harbour bridge to close for repairs",
    ]
)


@needs_compiled
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_LINES, st.text(max_size=80)), max_size=40))
def test_both_paths_clean_generated_text_alike(
    cleaner: Cleaner, pure_cleaner: Any, lines: list[str]
) -> None:
    text = "\n".join(lines)
    assert accel.comparable(cleaner.clean(text)) == accel.comparable(pure_cleaner.clean(text))


def test_a_changed_source_or_missing_manifest_means_pure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(accel.PURE_ENV, raising=False)
    monkeypatch.setattr(accel, "_HERE", tmp_path)
    assert accel._why_pure() == "not compiled at install"
    for name in accel.COMPILED_MODULES:
        source = accel.source_file(name)
        assert source.parent.is_relative_to(tmp_path)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"# {name}\n", encoding="utf-8")
        source.with_suffix(importlib.machinery.EXTENSION_SUFFIXES[0]).write_bytes(b"")
    digests = {n: accel.source_digest(accel.source_file(n)) for n in accel.COMPILED_MODULES}
    (tmp_path / accel.MANIFEST).write_text(json.dumps(digests), encoding="utf-8")
    assert accel._why_pure() is None
    (tmp_path / "judge" / "document.py").write_text("# edited\n", encoding="utf-8")
    assert "judge/document.py changed since it was compiled" in (accel._why_pure() or "")
    monkeypatch.setenv(accel.PURE_ENV, "1")
    assert accel._why_pure() == f"{accel.PURE_ENV} is set"


def test_the_version_and_records_say_which_path_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(accel.PURE_ENV, raising=False)
    default = accel.MYPYC if accel._why_pure() is None else accel.PURE
    for env, expected in ((None, default), ("1", accel.PURE)):
        environment = {k: v for k, v in os.environ.items() if k != accel.PURE_ENV}
        if env is not None:
            environment[accel.PURE_ENV] = env
        proc = subprocess.run(
            [sys.executable, "-m", "cleaner", "--version"],
            capture_output=True,
            text=True,
            env=environment,
            cwd=ROOT,
            check=True,
        )
        assert proc.stdout.startswith(f"cleaner {cleaner.__version__} ({expected}"), proc.stdout
    record = Cleaner().clean_record({"text": "Some words here."})
    assert record["cleaner"]["versions"]["path"] == accel.path()
