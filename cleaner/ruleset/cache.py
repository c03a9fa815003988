"""A compiled rule set kept on disk, so that `Cleaner()` starts in milliseconds.

Loading validates every rule (pattern checks, stress tests of user patterns) and
compiling analyses each pattern's literals and compiles it: over a second for the
default rules. Both depend only on the rule files' bytes and on this code, so the
result is pickled under a key made of them: the files' paths and contents, Python's
version, the compiled `regex` and `pyahocorasick` libraries' files, and a digest of
cleaner's own source. A cache file whose digest does not match its contents, that does
not unpickle, or that holds something else is rebuilt, never trusted; one that cannot
be written is skipped.

The cache folder is `$CLEANER_CACHE_DIR`, else `$XDG_CACHE_HOME/cleaner`, else
`~/.cache/cleaner`; `CLEANER_CACHE_DIR=off` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path

import ahocorasick
from ahocorasick import Automaton
from regex import _regex  # type: ignore[attr-defined]

from .. import accel
from .load import load_rule_sources, rule_sources
from .matching import CompiledRules
from .parse import MAX_RULE_FILE_BYTES

CACHE_ENV = "CLEANER_CACHE_DIR"
CACHE_OFF = "off"
# Bumped when the file layout changes.
CACHE_FORMAT = b"cleaner-rules-cache-1\n"
# Cache files kept in the folder; older ones are removed when a new one is written.
CACHE_FILES_KEPT = 8
_DIGEST_BYTES = 32  # sha256


def compiled_rules(paths: list[Path], *, default_rules: bool = True) -> CompiledRules:
    """The compiled rule set of the default rules (if asked) and `paths`, from the cache
    when it holds this exact set, else loaded, compiled and stored."""
    sources = rule_sources(paths, default_rules)
    folder = cache_dir()
    key = _key(sources) if folder is not None else None
    if folder is not None and key is not None:
        found = _read(folder / f"rules-{key}.pickle")
        if found is not None:
            return found
    compiled = CompiledRules(load_rule_sources(sources))
    # A file edited while it was loading would pair the new rules with the old key.
    if folder is not None and key is not None and _key(sources) == key:
        _write(folder, f"rules-{key}.pickle", compiled)
    return compiled


def cache_dir() -> Path | None:
    """Where compiled rule sets are kept, or None when the cache is off."""
    named = os.environ.get(CACHE_ENV)
    if named is not None:
        return None if named.strip().lower() in ("", CACHE_OFF) else Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cleaner"


def _key(sources: list[tuple[Path, bool]]) -> str | None:
    """A digest of everything the compiled set depends on; None if a file is not a
    regular file of a readable size (the load then reports it: a pipe is never read)."""
    h = hashlib.sha256(CACHE_FORMAT)
    h.update(_code_digest())
    for path, stress in sources:
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_RULE_FILE_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        h.update(f"\0{path.resolve()}\0{stress}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:40]


@cache
def _code_digest() -> bytes:
    """Python's version, the compiled matching libraries (their files' path, size and
    time: a reinstall changes them) and cleaner's own source."""
    h = hashlib.sha256(sys.version.encode())
    # The package's name and path: a pure copy loaded beside a compiled one (accel.py)
    # pickles its own classes, and each path keeps its own file.
    h.update(f"\0{__package__}\0{accel.path()}".encode())
    for module in (ahocorasick, _regex):
        found = Path(module.__file__ or module.__name__)
        try:
            st = found.stat()
            h.update(f"\0{found}\0{st.st_size}\0{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"\0{found}".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        h.update(source.read_bytes())
    return h.digest()


def _read(path: Path) -> CompiledRules | None:
    """The compiled set in `path`, or None when it is missing, damaged or foreign."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(CACHE_FORMAT)
    digest, payload = data[head : head + _DIGEST_BYTES], data[head + _DIGEST_BYTES :]
    if not data.startswith(CACHE_FORMAT) or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        found, automaton = pickle.loads(payload)
    except Exception:  # any failure means: rebuild
        return None
    if not isinstance(found, CompiledRules) or not isinstance(automaton, Automaton | None):
        return None
    found.set_automaton(automaton)
    return found


def _write(folder: Path, name: str, compiled: CompiledRules) -> None:
    """Store `compiled` as `folder/name`, whole or not at all; old cache files go."""
    payload = pickle.dumps((compiled, compiled.automaton), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(CACHE_FORMAT + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return  # a read-only or full disk: run uncached


def _prune(folder: Path) -> None:
    """Keep the newest CACHE_FILES_KEPT cache files."""
    files = sorted(folder.glob("rules-*.pickle"), key=_mtime, reverse=True)
    for old in files[CACHE_FILES_KEPT:]:
        old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0
