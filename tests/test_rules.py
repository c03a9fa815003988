"""Rule files: every default example passes, and wrong files are refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, RuleSetError, load_ruleset
from cleaner.ruleset.checks import check_examples
from cleaner.ruleset.load import default_rules_dir, rule_files_in
from cleaner.ruleset.matching import CompiledRules
from cleaner.ruleset.parse import parse_rule_file

GOOD_RULE = """
title = "Test rules"
version = "1.0.0"
languages = ["en"]
category = "comments"

[[rule]]
id = "test.widget"
description = "A test widget."
phrases = ["Frobnicate this"]
junk = ["Frobnicate this"]
keep = ["We frobnicate this way every day, she said."]
"""


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_default_rules_load_with_stress_test_and_all_examples_pass() -> None:
    ruleset = load_ruleset([], stress_defaults=True)
    assert len(ruleset.rules) >= 50
    assert check_examples(CompiledRules(ruleset)) == []


def test_default_rule_files_are_sorted_by_language_folder() -> None:
    for path in rule_files_in(default_rules_dir()):
        lang = path.parent.name
        f = parse_rule_file(path, stress=False)
        assert list(f.languages) == [lang], path


def test_user_rules_add_to_defaults(tmp_path: Path) -> None:
    c = Cleaner([write(tmp_path, GOOD_RULE)])
    r = c.clean("Frobnicate this!\n" + "A long enough sentence to be body for the test here. " * 2)
    assert [x.by for x in r.removals] == ["test.widget"]


@pytest.mark.parametrize(
    ("text", "rule_id", "problem"),
    [
        ("title = 'x'\nversion = \n", None, "not valid TOML"),
        (GOOD_RULE + "colour = 'red'\n", "test.widget", "unknown key 'colour'"),
        (
            GOOD_RULE.replace('phrases = ["Frobnicate this"]', "regex = '(unclosed'"),
            "test.widget",
            "bad pattern",
        ),
        (
            GOOD_RULE.replace('phrases = ["Frobnicate this"]', r"regex = '(\w+\s?)*x'"),
            "test.widget",
            "catastrophic",
        ),
        (
            GOOD_RULE.replace('phrases = ["Frobnicate this"]', r"regex = '(?:a|aa|ab)+c'"),
            "test.widget",
            "catastrophic",
        ),
        (
            GOOD_RULE.replace('junk = ["Frobnicate this"]', "junk = []"),
            "test.widget",
            "at least one 'junk'",
        ),
        (GOOD_RULE.replace('version = "1.0.0"', 'version = "one"'), None, "MAJOR.MINOR.PATCH"),
        (GOOD_RULE.replace('category = "comments"', 'category = "weather"'), None, "category"),
        (GOOD_RULE + "where = 'middle'\n", "test.widget", "'where'"),
        (GOOD_RULE + "action = 'strip'\n", "test.widget", "'strip' goes with 'span'"),
        (GOOD_RULE.replace('"A test widget."', '"  "'), "test.widget", "'description' is blank"),
        (GOOD_RULE + "weak = 'yes'\n", "test.widget", "'weak' must be true or false"),
        (GOOD_RULE + "weak = true\n", "test.widget", "'weak' goes with 'cut-tail'"),
    ],
)
def test_wrong_rule_file_names_file_rule_and_problem(
    tmp_path: Path, text: str, rule_id: str | None, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as exc:
        load_ruleset([path], default_rules=False)
    err = exc.value.errors[0]
    assert err.path == str(path) and err.rule_id == rule_id and problem in err.problem
    assert str(path) in str(exc.value)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    a, b = write(tmp_path, GOOD_RULE, "a.toml"), write(tmp_path, GOOD_RULE, "b.toml")
    with pytest.raises(RuleSetError, match="duplicate id"):
        load_ruleset([a, b], default_rules=False)


def test_failing_examples_are_reported(tmp_path: Path) -> None:
    text = GOOD_RULE.replace('junk = ["Frobnicate this"]', 'junk = ["Frobnicate that"]')
    text = text.replace("We frobnicate this way", "Frobnicate this")
    text = text.replace("every day, she said.", "")
    ruleset = load_ruleset([write(tmp_path, text)], default_rules=False)
    problems = [e.problem for e in check_examples(CompiledRules(ruleset))]
    assert any("junk example not removed" in p for p in problems)
    assert any("keep example removed by test.widget" in p for p in problems)


def test_counted_repeats_that_unroll_to_gigabytes_are_refused() -> None:
    # Found by the fuzzer: compiling (?:x{30000}){130} runs a loader out of memory.
    from cleaner.ruleset.patterns import pattern_problem

    problem = pattern_problem(r"(?:ab{30000}){130}", stress=False)
    assert problem is not None and "counted repeats too large" in problem
    assert pattern_problem(r"by(?: [\w.\-]{1,30}){0,3}", stress=False) is None


def test_a_pattern_that_crashes_the_regex_compiler_is_a_bad_pattern() -> None:
    # Found by the fuzzer: `regex` raises ValueError, not regex.error, on this one.
    from cleaner.ruleset.patterns import pattern_problem

    assert (pattern_problem("(d{1d<,}|", stress=False) or "").startswith("bad pattern")


def test_recursive_patterns_are_refused() -> None:
    # Found by the fuzzer: (?R) made the empty-line check run out of memory.
    from cleaner.ruleset.patterns import pattern_problem

    for pattern in (r"a(?R)?b", r"(x(?1)?y)", r"(?:photo(?R))?z"):
        assert "recursive" in (pattern_problem(pattern, stress=False) or ""), pattern


def test_a_weak_header_is_read_from_its_rule(tmp_path: Path) -> None:
    text = GOOD_RULE + "action = 'cut-tail'\nweak = true\n"
    rule = next(r for r in load_ruleset([write(tmp_path, text)], default_rules=False).rules)
    assert rule.weak and rule.action == "cut-tail"
    assert not next(
        iter(load_ruleset([write(tmp_path, GOOD_RULE)], default_rules=False).rules)
    ).weak
