"""The on-disk cache of compiled rule sets: used when it matches, rebuilt when it does not."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.ruleset import cache as rulecache
from cleaner.ruleset.cache import CACHE_ENV, compiled_rules

RULES = """
title = "Cache test rules"
version = "1.0.0"
languages = ["en"]
category = "custom"

[[rule]]
id = "cache.widget"
description = "A widget line."
regex = 'frobnicate (?:this|that)!?'
junk = ["Frobnicate this!"]
keep = ["We frobnicate this way every day, she said."]
"""

BODY = "A long enough sentence to be body for the cache test here, and more of it. " * 2


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _rules(tmp_path: Path, text: str = RULES) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.pickle"))


def test_second_load_comes_from_the_cache_and_cleans_the_same(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rules(tmp_path)
    first = Cleaner([path], default_rules=False)
    assert len(_files(cache)) == 1
    built: list[object] = []
    original = rulecache.CompiledRules.__init__

    def counting(self: object, ruleset: object) -> None:
        built.append(ruleset)
        original(self, ruleset)  # type: ignore[arg-type]

    monkeypatch.setattr(rulecache.CompiledRules, "__init__", counting)
    second = Cleaner([path], default_rules=False)
    assert built == []  # nothing compiled: it came from the file
    text = "Frobnicate this!\n" + BODY
    assert second.clean(text).text == first.clean(text).text == BODY.strip() + "\n"
    assert [r.by for r in second.clean(text).removals] == ["cache.widget"]


def test_an_edited_rule_file_is_never_served_the_old_rules(cache: Path, tmp_path: Path) -> None:
    path = _rules(tmp_path)
    assert Cleaner([path], default_rules=False).clean("Frobnicate that!\n" + BODY).removals
    _rules(tmp_path, RULES.replace("(?:this|that)", "this").replace("way every", "way each"))
    again = Cleaner([path], default_rules=False)
    assert not again.clean("Frobnicate that!\n" + BODY).removals
    assert len(_files(cache)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # cut short
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"not a cache file at all",
    ],
)
def test_a_damaged_cache_file_is_rebuilt(cache: Path, tmp_path: Path, damage) -> None:
    path = _rules(tmp_path)
    Cleaner([path], default_rules=False)
    (found,) = _files(cache)
    found.write_bytes(damage(found.read_bytes()))
    assert rulecache._read(found) is None
    c = Cleaner([path], default_rules=False)
    assert [r.by for r in c.clean("Frobnicate this!\n" + BODY).removals] == ["cache.widget"]
    assert rulecache._read(found) is not None  # written again, whole


def test_a_cache_file_holding_something_else_is_not_used(cache: Path, tmp_path: Path) -> None:
    path = _rules(tmp_path)
    Cleaner([path], default_rules=False)
    (found,) = _files(cache)
    import hashlib

    payload = pickle.dumps({"not": "rules"})
    digest = hashlib.sha256(payload).digest()
    found.write_bytes(rulecache.CACHE_FORMAT + digest + payload)
    assert rulecache._read(found) is None
    assert Cleaner([path], default_rules=False).clean("Frobnicate this!\n" + BODY).removals


def test_cache_off_or_unwritable_still_cleans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _rules(tmp_path)
    monkeypatch.setenv(CACHE_ENV, "off")
    assert rulecache.cache_dir() is None
    assert Cleaner([path], default_rules=False).clean("Frobnicate this!\n" + BODY).removals
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "below-a-file"))
    assert Cleaner([path], default_rules=False).clean("Frobnicate this!\n" + BODY).removals


def test_old_cache_files_are_pruned(cache: Path, tmp_path: Path) -> None:
    path = _rules(tmp_path)
    for n in range(rulecache.CACHE_FILES_KEPT + 3):
        _rules(tmp_path, RULES.replace("every day", f"every day {n}"))
        compiled_rules([path], default_rules=False)
    assert len(_files(cache)) == rulecache.CACHE_FILES_KEPT


def test_compiled_rules_pickle_whole_and_match_alike(cleaner: Cleaner) -> None:
    """Workers and the cache get the compiled patterns, not a rebuild: same answers."""
    copy = pickle.loads(pickle.dumps(cleaner.compiled))
    for line in ["Share this:", "Leave a Reply", "Powered by Blogger.", "An ordinary sentence."]:
        assert [r.id for r in copy.line_rules(line, len(line.split()))] == [
            r.id for r in cleaner.compiled.line_rules(line, len(line.split()))
        ]
        assert copy.spans(line) == cleaner.compiled.spans(line)
