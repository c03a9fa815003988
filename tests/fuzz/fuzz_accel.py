"""Fuzz the compiled path against the pure one: any bytes, decoded and cleaned by both,
give the same text, headline, removals, flags and vetoes (see cleaner/accel.py).

    python tests/fuzz/fuzz_accel.py [corpus_dir] -max_total_time=1800
    python tests/fuzz/fuzz_accel.py --make-seeds DIR   (fixture texts as seeds)
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    from cleaner import accel
    from cleaner.engine import Cleaner
    from cleaner.io.formats import InputError, decode

    PURE = accel.load_pure().Cleaner()  # its Python code guides the fuzzer

COMPILED = accel.path() == accel.MYPYC
FAST = Cleaner()


def test_one(data: bytes) -> None:
    if not COMPILED:
        return  # nothing to compare: both would be the pure path
    try:
        text = decode(data).text
    except InputError:
        return
    fast, pure = accel.comparable(FAST.clean(text)), accel.comparable(PURE.clean(text))
    if fast != pure:
        raise AssertionError(f"the paths differ:\n{fast}\n{pure}")


def make_seeds(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    for path in sorted(fixtures.rglob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())


if __name__ == "__main__":
    if not COMPILED and "--make-seeds" not in sys.argv:
        sys.exit(f"the compiled path is not in use ({accel.describe()}): nothing to compare")
    from entry import fuzz_main  # beside this file

    fuzz_main(test_one, make_seeds)
