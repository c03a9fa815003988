"""Fuzz the rule loader: any bytes as a rule file load or fail with a RuleSetError, and
a file that loads compiles and cleans a document.

    python tests/fuzz/fuzz_rules.py [corpus_dir] -max_total_time=1800
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # replaying saved crashers needs no fuzzer
    atheris = None

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    from cleaner.engine import Cleaner
    from cleaner.ruleset.model import RuleSet, RuleSetError
    from cleaner.ruleset.parse import parse_rule_file

SAMPLE = "Share this:\nA sentence of the article, long enough to be body text here.\nSource link\n"
_SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None


def test_one(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-rules-", dir=_SHM) as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(data)
        try:
            rule_file = parse_rule_file(path, stress=False)
        except RuleSetError:
            return
    cleaner = Cleaner(ruleset=RuleSet([rule_file]))
    cleaner.clean(SAMPLE)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()
