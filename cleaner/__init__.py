"""cleaner: strip aggregator and site boilerplate from scraped news and web text."""

from __future__ import annotations

from . import accel  # noqa: F401  (first: it picks compiled or pure modules below)
from .engine import Cleaner, Result, Verdict
from .judge.document import Removal
from .ruleset.load import RuleError, RuleSet, RuleSetError, load_ruleset
from .run.records import RecordError

__all__ = [
    "Cleaner",
    "RecordError",
    "Removal",
    "Result",
    "RuleError",
    "RuleSet",
    "RuleSetError",
    "Verdict",
    "clean",
    "load_ruleset",
]
__version__ = "1.0.0"

_default: Cleaner | None = None


def clean(text: str) -> str:
    """Clean one document with the default rules and return its body (one-off use)."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(text).text
