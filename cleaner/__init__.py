"""cleaner: strip aggregator and site boilerplate from scraped news and web text."""

from __future__ import annotations

from . import accel  # noqa: F401  (first: it picks compiled or pure modules below)
from ._version import __version__
from .engine import Cleaner, Result, Verdict
from .judge.document import Removal
from .record import RecordError
from .ruleset.load import load_ruleset
from .ruleset.model import RuleError, RuleSet, RuleSetError

__all__ = [
    "Cleaner",
    "RecordError",
    "Removal",
    "Result",
    "RuleError",
    "RuleSet",
    "RuleSetError",
    "Verdict",
    "__version__",
    "clean",
    "load_ruleset",
]

_default: Cleaner | None = None


def clean(text: str) -> str:
    """Clean one document with the default rules and return its body (one-off use)."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(text).text
