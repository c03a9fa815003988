"""Fuzz the prefilter's soundness: whenever a pattern matches a normalized line, the line
holds one of the literals `required_literals` says every match needs; and whenever it
matches the whole line, the line passes the pattern's gate (width, start; `gate_of`), and
holds a digit when `needs_digit` says every match does.

    python tests/fuzz/fuzz_literals.py [corpus_dir] -max_total_time=1800
"""

from __future__ import annotations

import contextlib
import sys

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    import regex

    from cleaner.ruleset.gates import gate_of
    from cleaner.ruleset.literals import DIGIT, needs_digit, required_literals
    from cleaner.ruleset.patterns import REGEX_FLAGS, pattern_problem
    from cleaner.text.normalize import normalize_line, normalize_text

_DIGIT = regex.compile(r"\d")


def test_one(data: bytes) -> None:
    head, _, tail = data.partition(b"\x00")  # pattern NUL line: seeds stay readable
    pattern = head.decode("utf-8", "replace")[:300]
    line = normalize_line(normalize_text(tail.decode("utf-8", "replace")).replace("\n", " "))
    if pattern_problem(pattern, stress=False) is not None:
        return  # refused at load (a syntax error, or too big to compile): never used
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except (regex.error, OverflowError, RecursionError, ValueError):
        return
    try:
        whole = compiled.fullmatch(line, timeout=0.05)
    except TimeoutError:
        whole = None
    gate = gate_of(pattern)
    if whole is not None and gate is not None and not gate.admits(line):
        raise AssertionError(f"{pattern!r} fullmatched {line!r}, which its gate refuses")
    need = required_literals(pattern)
    if need is None:
        return
    try:
        found = compiled.search(line, timeout=0.05)
    except TimeoutError:
        return
    if found is None:
        return
    if needs_digit(pattern) and _DIGIT.search(line) is None:
        raise AssertionError(f"{pattern!r} matched {line!r}, which has no digit")
    folded = line.casefold()
    ok = any(lit in folded for lit in need if lit != DIGIT) or (
        DIGIT in need and _DIGIT.search(line) is not None
    )
    if not ok:
        raise AssertionError(f"{pattern!r} matched {line!r} without any of {sorted(need)!r}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
