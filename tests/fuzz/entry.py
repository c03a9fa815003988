"""The command line every fuzzer here shares: `--make-seeds DIR`, else run atheris."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def fuzz_main(test_one: Callable[[bytes], None], make_seeds: Callable[[Path], None]) -> None:
    """`python fuzz_X.py --make-seeds DIR` writes seeds; otherwise fuzz `test_one`."""
    if len(sys.argv) > 2 and sys.argv[1] == "--make-seeds":
        make_seeds(Path(sys.argv[2]))
        return
    try:
        import atheris
    except ImportError:
        sys.exit("pip install atheris to fuzz")
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
