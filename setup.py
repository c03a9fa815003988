"""Build: the engine's hot modules compiled by mypyc from their own sources, where a C
compiler and mypyc are at hand; otherwise (or if the build fails) pure Python. The
package's metadata is in pyproject.toml; `cleaner --version` says which path runs.

CLEANER_PURE_BUILD=1 skips the compiled build."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def _accel():  # type: ignore[no-untyped-def]
    """cleaner/accel.py on its own (importing the package would need its dependencies)."""
    spec = importlib.util.spec_from_file_location("_cleaner_accel", HERE / "cleaner" / "accel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


accel = _accel()
SOURCES = [str(accel.source_file(name).relative_to(HERE)) for name in accel.COMPILED_MODULES]


def _say(message: str) -> None:
    print(f"cleaner build: {message}", file=sys.stderr)


def _extensions() -> list:
    if os.environ.get("CLEANER_PURE_BUILD", "").strip() not in ("", "0"):
        _say("CLEANER_PURE_BUILD is set: pure Python")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _say("mypyc is not installed: pure Python")
        return []
    try:
        return mypycify(SOURCES, opt_level="3", group_name="cleaner._accel")
    except BaseException as exc:  # a type error in a source ends mypycify with SystemExit
        _say(f"mypyc could not compile the sources ({exc}): pure Python")
        return []


class OptionalBuildExt(build_ext):
    """Builds the compiled modules and their manifest; on any failure, none of them."""

    def _manifest(self) -> Path:
        """Where the manifest goes: beside the compiled modules (in the source tree when
        the install is editable, `inplace`)."""
        return Path(self.get_ext_fullpath("cleaner.engine")).parent / accel.MANIFEST

    def run(self) -> None:
        if not self.extensions:
            if self.inplace:  # an editable install's earlier build: gone, not stale
                self._manifest().unlink(missing_ok=True)
            return
        try:
            super().run()
        except Exception as exc:  # no compiler, a compile error: the pure path serves
            _say(f"compiling failed ({exc}): pure Python")
            for out in [*self.get_outputs(), str(self._manifest())]:
                Path(out).unlink(missing_ok=True)
            self.extensions = []
            return
        digests = {n: accel.source_digest(accel.source_file(n)) for n in accel.COMPILED_MODULES}
        self._manifest().write_text(json.dumps(digests) + "\n", encoding="utf-8")

    def get_outputs(self) -> list[str]:
        outs = super().get_outputs()
        if self.extensions and not self.inplace:
            outs.append(str(self._manifest()))
        return outs


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
