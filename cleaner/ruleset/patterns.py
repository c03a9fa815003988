"""Whether a rule's pattern is safe to run (syntax, size, catastrophic backtracking): rule
files are untrusted data, and a pattern is refused before it can stall a run."""

from __future__ import annotations

import math
import time

import regex

from .literals import repeat_weight

REGEX_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
STRESS_TIMEOUT_S = 0.25
# Counted repeats are unrolled when a pattern compiles: (?:a{30000}){130} takes
# gigabytes. The product of nested bounds may not pass this (the defaults reach 36,000).
MAX_REPEAT_WEIGHT = 100_000
_BOUND = regex.compile(r"(?<!\\)\{(\d{1,9})(?:,(\d{0,9}))?\}")
STRESS_LENGTH = 3000
# regex's recursion and subroutine calls: a pattern calling itself.
_RECURSION = regex.compile(r"\(\?(?:R|[+-]?\d+|&\w+)\)")
_GROUP_REFERENCE = regex.compile(r"\\[1-9]|\\g<|\(\?P?<[A-Za-z_]|\(\?P[=>]")
# An unbounded repeat inside an unbounded repeat: (a+)+, (\w+\s?)*, (x|y+){2,}.
# Bounded nestings such as (?:\w{1,30} ){0,5} are left to the timed stress test.
_NESTED_QUANTIFIER = regex.compile(
    r"\((?:[^()\\*+{]|\\.|\{\d+(?:,\d+)?\})*(?:[*+]|\{\d+,\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,\})"
)


def pattern_problem(pattern: str, *, stress: bool = True) -> str | None:
    """Why a user pattern is unsafe or invalid, or None when it may be used.

    Refuses syntax errors, patterns that match the empty line, nested quantifiers,
    and patterns that take too long on adversarial stress inputs.
    """
    weight = repeat_weight(pattern)
    if weight is None:  # the stdlib cannot read it: count every bound, nested or not
        weight = math.prod(max(int(hi or lo), 1) for lo, hi in _BOUND.findall(pattern))
    if weight > MAX_REPEAT_WEIGHT:
        return (
            f"counted repeats too large: compiling would unroll {weight:,} copies "
            f"(at most {MAX_REPEAT_WEIGHT:,}; use + or * for open-ended runs)"
        )
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except regex.error as exc:
        return f"bad pattern: {exc}"
    except (RecursionError, OverflowError, MemoryError):
        return "bad pattern: too complex"
    except Exception as exc:  # `regex` raises ValueError on some broken fuzzy syntax
        return f"bad pattern: {type(exc).__name__}: {exc}"
    if _GROUP_REFERENCE.search(pattern):
        return "named groups and back-references are not allowed (patterns are combined)"
    if _RECURSION.search(pattern):
        return "recursive patterns ((?R), (?1), (?&name)) are not allowed"
    try:
        if compiled.fullmatch("", timeout=STRESS_TIMEOUT_S):
            return "pattern matches an empty line"
    except (TimeoutError, RecursionError, MemoryError):
        return "catastrophic pattern: it does not finish even on an empty line"
    if _NESTED_QUANTIFIER.search(pattern):
        return "catastrophic pattern: a quantified group holds a quantifier, like (a+)+"
    for text in _stress_inputs(pattern) if stress else ():
        started = time.perf_counter()
        try:
            compiled.search(text, timeout=STRESS_TIMEOUT_S)
            compiled.fullmatch(text, timeout=STRESS_TIMEOUT_S)
        except TimeoutError:
            return "catastrophic pattern: it backtracks without end on a stress input"
        if time.perf_counter() - started > STRESS_TIMEOUT_S:
            return "catastrophic pattern: too slow on a stress input"
    return None


def _stress_inputs(pattern: str) -> list[str]:
    """Long strings of the characters a pattern cares about, each ending in a mismatch."""
    literals = {c for c in pattern if c.isalnum() or c in " .-_,:/@#"}
    alphabet = sorted(literals | {"a", " ", "1"})[:24]
    out = [c * STRESS_LENGTH + "\x00" for c in alphabet]
    out.append("".join(alphabet) * (STRESS_LENGTH // max(len(alphabet), 1)) + "\x00")
    out.append("a " * (STRESS_LENGTH // 2) + "\x00")
    return out
