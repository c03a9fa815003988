"""Gates of whole-line patterns: what a line must be, beyond holding a pattern's
literals, for the pattern to match all of it: short enough, and starting with one of
the pattern's prefixes (or a digit). Tested for the few patterns a line's literals
picked (`matching.py`), they turn most of those away without running them."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import regex
from mypy_extensions import mypyc_attr

from .literals import max_width, required_prefixes

HAS_DIGIT = regex.compile(r"\d")  # what \d means in rule patterns
_NONWORD_RUN = regex.compile(r"\W*")  # what \W means in rule patterns


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
@dataclass(frozen=True, slots=True)
class Gate:
    """What a whole-line pattern needs of a line beyond its literals: at most `width`
    characters, and to start with one of `prefixes` or with a digit when `digit` (after
    its leading non-word characters when `after_nonword`)."""

    width: int | None
    prefixes: tuple[str, ...] | None
    after_nonword: bool = False
    digit: bool = False  # or starts with a digit

    def admits(self, line: str) -> bool:
        """Whether `line` may be a whole match (one gate; `Gates` tests many at once)."""
        folded = line.casefold()
        fits = self.width is None or len(line) <= self.width
        return fits and self.starts(folded, _rest(line, folded))

    def starts(self, folded: str, rest: str) -> bool:
        """Whether a line starts as a match must; `folded` is the line case-folded, `rest`
        the same after the line's leading non-word characters (see `_rest`)."""
        if self.prefixes is None:
            return True
        head = rest if self.after_nonword else folded
        return head.startswith(self.prefixes) or (self.digit and HAS_DIGIT.match(head) is not None)


def _rest(line: str, folded: str) -> str:
    """`line` case-folded after its leading non-word characters (`folded`: all of it)."""
    first = line[:1]
    if first.isalpha() or first.isdecimal():
        return folded  # letters and decimal digits are \w: no \W run to skip
    skip = _NONWORD_RUN.match(line).end()  # type: ignore[union-attr]
    return line[skip:].casefold() if skip else folded


@mypyc_attr(native_class=False)  # pickled: stays a Python class (accel.py)
class Gates:
    """Every whole-line pattern's gate, applied to the few patterns a line's literals
    picked (a loop over them beat indexing gates by first character, measured)."""

    def __init__(self, gates: dict[int, Gate]) -> None:
        self.gates = gates
        self.numbers = frozenset(gates)
        self.after_nonword = any(g.after_nonword for g in gates.values())
        # Each gate's prefixes by their first character: a line's head is compared with
        # the few that start as it does, not with all of them (up to hundreds a gate).
        self._starts = {
            n: (_by_first(g.prefixes), g.after_nonword, g.digit) for n, g in gates.items()
        }
        # Long lines fail most gates on width alone: _narrower[k] holds the gates whose
        # width is below _widths[k - 1], taken out in one step.
        self._widths = sorted({g.width for g in gates.values() if g.width is not None})
        self._narrower = [
            frozenset(n for n, g in gates.items() if g.width is not None and g.width < w)
            for w in [0, *(w + 1 for w in self._widths)]
        ]

    def refuse(self, found: set[int], line: str, folded: str) -> None:
        """Take out of `found` the gated patterns that cannot match `line`."""
        gated = found & self.numbers
        if not gated:
            return
        if narrow := gated & self._narrower[bisect_left(self._widths, len(line))]:
            found -= narrow
            gated -= narrow
        rest = _rest(line, folded) if self.after_nonword else folded
        starts = self._starts
        for n in gated:  # all wide enough now; Gate.starts, inlined (the hot loop)
            by_first, after_nonword, digit = starts[n]
            if by_first is None:
                continue
            head = rest if after_nonword else folded
            prefixes = by_first.get(head[:1])
            if (prefixes is None or not head.startswith(prefixes)) and not (
                digit and HAS_DIGIT.match(head)
            ):
                found.discard(n)


def _by_first(prefixes: tuple[str, ...] | None) -> dict[str, tuple[str, ...]] | None:
    """`prefixes` grouped by their first character (None: no start limit, as when one
    prefix is empty)."""
    if prefixes is None or "" in prefixes:
        return None
    grouped: dict[str, list[str]] = {}
    for prefix in prefixes:
        grouped.setdefault(prefix[:1], []).append(prefix)
    return {first: tuple(group) for first, group in grouped.items()}


def gate_of(pattern: str) -> Gate | None:
    """A whole-line pattern's width and start limits, or None when it has neither."""
    width = max_width(pattern)
    starts = required_prefixes(pattern)
    if width is None and starts is None:
        return None
    if starts is None:
        return Gate(width, None)
    return Gate(width, starts.strings, starts.after_nonword, starts.digit)
