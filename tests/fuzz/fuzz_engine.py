"""Fuzz the engine: any bytes decode and clean (as text, or as HTML when they look like
it) without an exception, and every output line comes from an input line.

    python tests/fuzz/fuzz_engine.py [corpus_dir] -max_total_time=1800
"""

from __future__ import annotations

import contextlib
import sys

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    from cleaner.engine import Cleaner
    from cleaner.io.formats import InputError, decode, is_html
    from cleaner.text.normalize import normalize_text

CLEANER = Cleaner()


def _squash(text: str) -> str:
    return "".join(text.split())


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def test_one(data: bytes) -> None:
    try:
        text = decode(data).text
    except InputError:
        return
    if is_html(None, text):
        CLEANER.clean_html(text)
        return
    result = CLEANER.clean(text)
    inputs = [_squash(x) for x in normalize_text(text).split("\n") if x.strip()]
    for line in result.text.split("\n"):
        if line.strip() and not any(_subsequence(_squash(line), src) for src in inputs):
            raise AssertionError(f"output line {line!r} is in no input line")
    if result.words_in and not result.text.strip() and "emptied" not in result.flags:
        raise AssertionError("emptied without the flag")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
