"""Compiled rule matching: one hash lookup and one combined pattern per rule set.

A rule set is compiled once. Per line, whole-line phrases cost one dict lookup on the
line's phrase key; whole-line patterns cost one match of a combined alternation (lines
longer than every rule's word limit skip it); spans cost one search of a combined
alternation. The rare line matched by a rule that does not apply where it stands falls
back to the other rules one by one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from .normalize import phrase_key
from .ruleset import REGEX_FLAGS, Allow, Rule, RuleSet

# A user pattern that takes longer than this on one line is given up on for that line.
MATCH_TIMEOUT_S = 0.05


@dataclass(frozen=True)
class Span:
    """A piece of a line that a strip rule matched."""

    start: int
    end: int
    rule: Rule


class CompiledRules:
    """A rule set ready to apply: lookups and combined patterns built once."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.rules: list[Rule] = ruleset.rules
        line_rules = [r for r in self.rules if not r.span and not r.action.startswith("cut-")]
        cut_rules = [r for r in self.rules if r.action.startswith("cut-")]
        self._lines = _LineMatcher(line_rules)
        self._cuts = _LineMatcher(cut_rules)
        self._span_rules = [r for r in self.rules if r.span]
        self._span_pattern = _combine([r.span for r in self._span_rules])
        self.allows: list[Allow] = ruleset.allows
        self._allow_phrases: dict[str, list[Allow]] = {}
        for a in self.allows:
            for p in a.phrases:
                self._allow_phrases.setdefault(phrase_key(p), []).append(a)
        allow_rx = [a for a in self.allows if a.regex]
        self._allow_rx_entries = allow_rx
        self._allow_pattern = _combine([a.regex for a in allow_rx])
        self._allow_single = [regex.compile(a.regex, REGEX_FLAGS) for a in allow_rx]

    def line_rules(self, line: str, words: int) -> Iterator[Rule]:
        """Every whole-line drop rule matching `line` (phrases first), lazily, in file order."""
        return self._lines.matches(line, words)

    def cut_rule(self, line: str, words: int) -> Rule | None:
        """The first block-header rule (cut-tail, cut-head) matching `line`, if any."""
        return next(self._cuts.matches(line, words), None)

    def spans(self, line: str) -> list[Span]:
        """Every span a strip rule matches in `line`, left to right, not overlapping."""
        if self._span_pattern is None:
            return []
        out: list[Span] = []
        try:
            for m in self._span_pattern.finditer(line, timeout=MATCH_TIMEOUT_S):
                if m.end() > m.start():
                    out.append(Span(m.start(), m.end(), self._span_rules[_group_index(m)]))
        except TimeoutError:
            return out
        return out

    def allows_for(self, line: str) -> list[Allow]:
        """The allow entries that protect `line`."""
        found = list(self._allow_phrases.get(phrase_key(line), ()))
        if self._allow_pattern is not None and _fullmatch(self._allow_pattern, line):
            found += [
                a
                for a, rx in zip(self._allow_rx_entries, self._allow_single, strict=True)
                if _fullmatch(rx, line)
            ]
        return found


class _LineMatcher:
    """Whole-line rules: a phrase dict and one combined pattern, falling back to one by one."""

    def __init__(self, rules: list[Rule]) -> None:
        self._phrases: dict[str, list[Rule]] = {}
        for rule in rules:
            for p in rule.phrases:
                self._phrases.setdefault(phrase_key(p), []).append(rule)
        self._rules = [r for r in rules if r.regex]
        self._max_words = max((r.max_words or 0 for r in self._rules), default=0)
        self._pattern = _combine([r.regex for r in self._rules])
        self._single = [regex.compile(r.regex, REGEX_FLAGS) for r in self._rules]

    def matches(self, line: str, words: int) -> Iterator[Rule]:
        yield from self._phrases.get(phrase_key(line), ())
        if self._pattern is None or words > self._max_words:
            return
        m = _fullmatch(self._pattern, line)
        if m is None:
            return
        first = _group_index(m)
        rule = self._rules[first]
        if rule.max_words is None or words <= rule.max_words:
            yield rule
        for i in range(first + 1, len(self._rules)):
            other = self._rules[i]
            if (other.max_words is None or words <= other.max_words) and _fullmatch(
                self._single[i], line
            ):
                yield other


def _combine(patterns: list[str]) -> regex.Pattern | None:
    """One alternation with a named group per pattern, so a match names its rule."""
    if not patterns:
        return None
    body = "|".join(f"(?P<r{i}>{p})" for i, p in enumerate(patterns))
    return regex.compile(body, REGEX_FLAGS)


def _group_index(m: regex.Match) -> int:
    return int(m.lastgroup[1:]) if m.lastgroup and m.lastgroup[0] == "r" else _first_group(m)


def _first_group(m: regex.Match) -> int:
    for name, value in m.groupdict().items():
        if value is not None and name[0] == "r" and name[1:].isdigit():
            return int(name[1:])
    raise AssertionError("combined pattern matched no named group")


def _fullmatch(pattern: regex.Pattern, line: str) -> regex.Match | None:
    try:
        return pattern.fullmatch(line, timeout=MATCH_TIMEOUT_S)
    except TimeoutError:
        return None
