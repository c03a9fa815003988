"""Compiled rule matching: one hash lookup and one literal scan per line, then a few patterns.

A rule set is compiled once. Per line, whole-line phrases cost one dict lookup on the
line's phrase key. Every pattern's required literals (see `literals.py`) go into one
Aho-Corasick automaton, so one scan of the case-folded line names the few patterns that
could match; only those run, in file order, plus the handful whose literals could not
be worked out. The result equals trying every rule on every line (a test checks it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick
import regex
from mypy_extensions import mypyc_attr

from ..text.normalize import core_key, phrase_key, strip_edges
from .gates import HAS_DIGIT, Gate, Gates, gate_of
from .literals import DIGIT, max_width, needs_digit, required_literals
from .model import Allow, Rule, RuleSet
from .patterns import REGEX_FLAGS

# A user pattern that takes longer than this on one line is given up on for that line.
MATCH_TIMEOUT_S = 0.05

# Lines of a document whose probes are kept (then the cache starts again), up to this
# length each.
PROBE_CACHE_LINES = 4096
PROBE_CACHE_CHARS = 2000
# Span-rule subsets compiled at most (then the whole alternation serves).
MAX_SPAN_SUBSETS = 256

_ASCII_DIGIT = re.compile("[0-9]")  # the same as \d on an ASCII line


@dataclass(frozen=True)
class Span:
    """A piece of a line that a strip rule matched."""

    start: int
    end: int
    rule: Rule


@dataclass(slots=True)
class _Probe:
    """What one line offers the matchers: its phrase key and the patterns worth trying."""

    line: str
    key: str | None  # None: longer than every phrase
    hits: set[int]  # global numbers of the patterns that could match the line
    # Whole-line patterns tried on the line so far: number -> whether it matched (each
    # is tried once, whether `quiet` or the matcher asks first).
    tried: dict[int, bool]


def _whole_match(probe: _Probe, n: int, pattern: regex.Pattern) -> bool:
    """Whether whole-line pattern `n` (compiled: `pattern`) matches the probed line."""
    found = probe.tried.get(n)
    if found is None:
        found = _fullmatch(pattern, probe.line) is not None
        probe.tried[n] = found
    return found


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
class _Prefilter:
    """Patterns numbered globally; one automaton maps literals to the patterns needing them."""

    def __init__(self) -> None:
        self.patterns: list[str] = []
        self.always: set[int] = set()  # patterns with no usable literal: tried on every line
        # Whole-line patterns' gates; those with no usable literal are tried on every
        # line their gate admits, the others on lines that also hold a literal.
        self.gates: dict[int, Gate] = {}
        self.gated: set[int] = set()
        self._gates = Gates({})
        self._tried: frozenset[int] = frozenset()
        self.digit: set[int] = set()  # patterns that need a digit somewhere in the line
        # Patterns with literals that need a digit as well: not tried on digitless lines.
        self.digit_too: set[int] = set()
        self._literals: dict[str, list[int]] = {}
        self._automaton: ahocorasick.Automaton | None = None

    def add(self, patterns: Sequence[str], *, whole_line: bool = False) -> range:
        """Number `patterns` and index their literals; return their global numbers.
        `whole_line` patterns are only ever fullmatched, so their width and start count."""
        first = len(self.patterns)
        for n, pattern in enumerate(patterns, start=first):
            self.patterns.append(pattern)
            needed = required_literals(pattern)
            gate = gate_of(pattern) if whole_line else None
            if gate is not None:
                self.gates[n] = gate
            if needed is None and gate is not None:
                self.gated.add(n)
            elif needed is None:
                self.always.add(n)
            else:
                if DIGIT not in needed and needs_digit(pattern):
                    self.digit_too.add(n)
                for lit in needed:
                    if lit == DIGIT:
                        self.digit.add(n)
                    else:
                        self._literals.setdefault(lit, []).append(n)
        return range(first, len(self.patterns))

    def __getstate__(self) -> dict:
        """The automaton stays behind (3 MB pickled): it is rebuilt from the literals on
        first use, unless the rule cache hands it over (`set_automaton`)."""
        state = dict(self.__dict__)
        state["_automaton"] = None
        return state

    @property
    def automaton(self) -> ahocorasick.Automaton | None:
        """The literal automaton (None: no literals), built when first asked for."""
        if self._automaton is None and self._literals:
            self._build_automaton()
        return self._automaton

    def set_automaton(self, automaton: ahocorasick.Automaton | None) -> None:
        self._automaton = automaton

    def build(self) -> None:
        self._gates = Gates(self.gates)
        self._tried = frozenset(self.always | self.gated)  # before any literal
        self._build_automaton()

    def _build_automaton(self) -> None:
        automaton = ahocorasick.Automaton()
        for lit, numbers in self._literals.items():
            automaton.add_word(lit, tuple(numbers))
        if self._literals:
            automaton.make_automaton()
            self._automaton = automaton

    def hits(self, line: str) -> set[int]:
        """Numbers of the patterns that could match `line`."""
        found = set(self._tried)
        digit = (_ASCII_DIGIT if line.isascii() else HAS_DIGIT).search(line) is not None
        if digit:
            found |= self.digit
        folded = line.casefold()
        automaton = self._automaton if self._automaton is not None else self.automaton
        if automaton is not None:
            for _end, numbers in automaton.iter(folded):
                found.update(numbers)
            if not digit:
                found -= self.digit_too
        self._gates.refuse(found, line, folded)
        return found


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
class CompiledRules:
    """A rule set ready to apply: lookups, literal automaton and patterns built once."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.rules: list[Rule] = ruleset.rules
        self.scoped = any(r.domains or r.not_domains for r in self.rules)
        self._build()

    def _build(self) -> None:
        prefilter = _Prefilter()
        line_rules = [r for r in self.rules if not r.span and not r.action.startswith("cut-")]
        cut_rules = [r for r in self.rules if r.action.startswith("cut-")]
        self._lines = _LineMatcher(line_rules, prefilter)
        self._cuts = _LineMatcher(cut_rules, prefilter)
        self._span_rules = [r for r in self.rules if r.span]
        self._span_numbers = prefilter.add([r.span for r in self._span_rules if r.span])
        self._span_set = frozenset(self._span_numbers)
        self._span_pattern = _combine([r.span for r in self._span_rules if r.span])
        # The alternation of only the span patterns a line's literals allow, by their
        # numbers: the others cannot match anywhere in it, so it finds the same spans.
        self._span_subsets: dict[tuple[int, ...], regex.Pattern | None] = {}
        self.allows: list[Allow] = self.ruleset.allows
        self._allow_phrases: dict[str, list[Allow]] = {}
        for a in self.allows:
            for p in a.phrases:
                self._allow_phrases.setdefault(phrase_key(p), []).append(a)
        self._allow_rx_entries = [a for a in self.allows if a.regex]
        self._allow_numbers = prefilter.add(
            [a.regex for a in self._allow_rx_entries if a.regex], whole_line=True
        )
        self._allow_set = frozenset(self._allow_numbers)
        self._allow_single = [regex.compile(a.regex, REGEX_FLAGS) for a in self._allow_rx_entries]
        prefilter.build()
        self._prefilter = prefilter
        self._last: _Probe | None = None
        self._probes: dict[str, _Probe] = {}
        self._phrase_keys = (
            set(self._lines._phrases) | set(self._cuts._phrases) | set(self._allow_phrases)
        )
        self._longest_key = max(map(len, self._phrase_keys), default=0)
        # Every whole-line rule pattern by number: the most words of a line it can
        # match, for one tried on every line (no literal) its width too, and the pattern.
        # `quiet` tries the few a line's literals and length leave.
        limits = {**self._lines.word_limits(), **self._cuts.word_limits()}
        tried_on_all = prefilter.always | prefilter.gated
        compiled = {**self._lines.compiled(), **self._cuts.compiled()}
        self._whole = {
            n: (limit, max_width(prefilter.patterns[n]) if n in tried_on_all else None, compiled[n])
            for n, limit in limits.items()
        }

    def __getstate__(self) -> dict:
        """Everything compiled travels (to the cache, to worker processes): `regex`
        patterns pickle their compiled code, so nothing is parsed again. The lines
        probed in the current document stay behind."""
        state = dict(self.__dict__)
        state["_probes"], state["_last"] = {}, None
        return state

    def _probe(self, line: str) -> _Probe:
        """The line's key and literal hits, computed once for all the calls on one line
        of a document (the engine asks several times, steps apart)."""
        last = self._last  # one read: safe when threads share the matcher
        if last is not None and last.line is line:
            return last
        probe = self._probes.get(line)
        if probe is None:
            # A normalized line's key is never shorter than the line without its edges,
            # so a longer line cannot be a phrase: its key is not worth making.
            core = strip_edges(line)
            key = core_key(core) if len(core) <= self._longest_key else None
            probe = _Probe(line, key, self._prefilter.hits(line), {})
            if len(line) <= PROBE_CACHE_CHARS:
                if len(self._probes) >= PROBE_CACHE_LINES:
                    self._probes.clear()
                self._probes[line] = probe
        self._last = probe
        return probe

    @property
    def automaton(self) -> ahocorasick.Automaton | None:
        """The prefilter's literal automaton: the rule cache stores it beside the pickle
        (it unpickles five times faster than it builds)."""
        return self._prefilter.automaton

    def set_automaton(self, automaton: ahocorasick.Automaton | None) -> None:
        """Hand over the automaton the rule cache kept (see `automaton`)."""
        self._prefilter.set_automaton(automaton)

    def patterns(self) -> list[tuple[int, str, Rule | Allow, regex.Pattern, int | None]]:
        """Every compiled pattern: its global number, its kind (line, cut, span, allow),
        the rule or allow entry it belongs to, the pattern alone, and the most words of
        a line it is tried on (None: any). For cost tables (`rulecost.py`)."""
        out: list[tuple[int, str, Rule | Allow, regex.Pattern, int | None]] = []
        for kind, matcher in (("line", self._lines), ("cut", self._cuts)):
            limits = matcher.word_limits()
            for n, rule, rx in zip(matcher._numbers, matcher._rules, matcher._single, strict=True):
                out.append((n, kind, rule, rx, limits[n]))
        for n, rule in zip(self._span_numbers, self._span_rules, strict=True):
            out.append((n, "span", rule, regex.compile(rule.span or "", REGEX_FLAGS), None))
        for n, entry, rx in zip(
            self._allow_numbers, self._allow_rx_entries, self._allow_single, strict=True
        ):
            out.append((n, "allow", entry, rx, None))
        return out

    def candidates(self, line: str) -> set[int]:
        """The numbers of the patterns the prefilter lets run on `line` (see `patterns`)."""
        return self._prefilter.hits(line)

    def new_document(self) -> None:
        """Forget the lines probed so far: each document starts afresh, so that a line
        costs the same in every document (and repeated benchmark runs measure work)."""
        self._probes = {}
        self._last = None

    def quiet(self, line: str, words: int) -> bool:
        """True when no rule or allow entry can match `line`: most lines, at one scan."""
        probe = self._probe(line)
        if probe.key in self._phrase_keys:
            return False
        for n in probe.hits:
            whole = self._whole.get(n)
            if whole is None:  # a span or allow pattern: left to the full check
                return False
            limit, width, pattern = whole
            if words > limit or (width is not None and len(line) > width):
                continue  # a whole-line pattern cannot match a line this long
            if _whole_match(probe, n, pattern):
                return False
        return True

    def line_rules(self, line: str, words: int, site: str | None = None) -> Iterator[Rule]:
        """Every whole-line drop rule matching `line` (phrases first), lazily, in file order.

        Rules scoped to sites (`domains`, `not_domains`) match as `site` allows.
        """
        found = self._lines.matches(self._probe(line), words)
        return (r for r in found if r.applies_to(site)) if self.scoped else found

    def cut_rule(self, line: str, words: int, site: str | None = None) -> Rule | None:
        """The first block-header rule (cut-tail, cut-head) matching `line`, if any."""
        found = self._cuts.matches(self._probe(line), words)
        return next((r for r in found if r.applies_to(site)) if self.scoped else found, None)

    def spans(self, line: str, site: str | None = None) -> list[Span]:
        """Every span a strip rule matches in `line`, left to right, not overlapping."""
        found = self._spans(line)
        return [s for s in found if s.rule.applies_to(site)] if self.scoped else found

    def _spans(self, line: str) -> list[Span]:
        if self._span_pattern is None:
            return []
        hits = self._probe(line).hits
        if hits.isdisjoint(self._span_set):
            return []
        pattern = self._span_subset(tuple(sorted(hits & self._span_set)))
        out: list[Span] = []
        try:
            for m in pattern.finditer(line, timeout=MATCH_TIMEOUT_S):  # type: ignore[union-attr]
                if m.end() > m.start():
                    out.append(Span(m.start(), m.end(), self._span_rules[_group_index(m)]))
        except TimeoutError:
            return out
        return out

    def _span_subset(self, numbers: tuple[int, ...]) -> regex.Pattern | None:
        """The combined pattern of some span rules, compiled once per set of them."""
        found = self._span_subsets.get(numbers)
        if found is None:
            if len(self._span_subsets) >= MAX_SPAN_SUBSETS:
                return self._span_pattern
            first = self._span_numbers.start
            found = _combine({n - first: self._span_rules[n - first].span for n in numbers})
            self._span_subsets[numbers] = found
        return found

    def allows_for(self, line: str) -> list[Allow]:
        """The allow entries that protect `line`."""
        probe = self._probe(line)
        found = list(self._allow_phrases.get(probe.key, ())) if probe.key is not None else []
        if probe.hits.isdisjoint(self._allow_set):
            return found
        for n, entry, rx in zip(
            self._allow_numbers, self._allow_rx_entries, self._allow_single, strict=True
        ):
            if n in probe.hits and _fullmatch(rx, line):
                found.append(entry)
        return found


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
class _LineMatcher:
    """Whole-line rules: a phrase dict, and patterns tried only when their literals occur."""

    def __init__(self, rules: list[Rule], prefilter: _Prefilter) -> None:
        self._phrases: dict[str, list[Rule]] = {}
        for rule in rules:
            for p in rule.phrases:
                self._phrases.setdefault(phrase_key(p), []).append(rule)
        self._rules = [r for r in rules if r.regex]
        self._max_words = max((r.max_words or 0 for r in self._rules), default=0)
        self._single = [regex.compile(r.regex, REGEX_FLAGS) for r in self._rules]
        self._numbers = prefilter.add([r.regex for r in self._rules if r.regex], whole_line=True)

    def word_limits(self) -> dict[int, int]:
        """Each pattern's number and the most words a line it matches may have."""
        return {
            n: min(self._max_words, r.max_words or self._max_words)
            for n, r in zip(self._numbers, self._rules, strict=True)
        }

    def compiled(self) -> dict[int, regex.Pattern]:
        """Each pattern's global number and its compiled pattern."""
        return dict(zip(self._numbers, self._single, strict=True))

    def matches(self, probe: _Probe, words: int) -> Iterator[Rule]:
        if probe.key is not None:
            yield from self._phrases.get(probe.key, ())
        if words > self._max_words:
            return
        first = self._numbers.start
        for n in sorted(probe.hits):
            i = n - first
            if not 0 <= i < len(self._rules):
                continue
            rule = self._rules[i]
            if (rule.max_words is None or words <= rule.max_words) and _whole_match(
                probe, n, self._single[i]
            ):
                yield rule


def _combine(patterns: list[str] | dict[int, str | None]) -> regex.Pattern | None:
    """One alternation with a named group per pattern, so a match names its rule (its
    index in the list, or its key)."""
    if not patterns:
        return None
    numbered = patterns.items() if isinstance(patterns, dict) else enumerate(patterns)
    body = "|".join(f"(?P<r{i}>{p})" for i, p in numbered)
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
