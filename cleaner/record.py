"""A record: the text field of a JSON object cleaned, and what was done said in it.

`clean_record` is the JSONL form of `Cleaner.clean`: every field passes through in its
order, the cleaned text replaces the text field (or goes to another), and a `cleaner`
object is added, with the versions of the code and rules that cleaned it. Runs over
many records (JSONL chunks in workers) are in `run/records.py`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from . import accel
from ._version import __version__
from .io.formats import is_html
from .ruleset.load import default_rules_dir
from .ruleset.model import RuleSet

if TYPE_CHECKING:  # the engine calls in with itself; no import at run time
    from .engine import Cleaner
    from .judge.result import Result

INFO_FIELD = "cleaner"


class RecordError(ValueError):
    """A record that cannot be cleaned: not an object, or no string in its text field."""


@dataclass(frozen=True)
class Fields:
    """Which fields of a record hold what, and what to add to it."""

    text: str = "text"
    url: str | None = "url"  # used when present and a string
    id: str | None = None  # names records in messages; shards by it when given
    output: str | None = None  # where the cleaned text goes (default: the text field)
    trace: bool = False  # add every removal to the `cleaner` object


DEFAULT_FIELDS = Fields()

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
}


def clean_record(cleaner: Cleaner, record: dict, fields: Fields = DEFAULT_FIELDS) -> dict:
    """A copy of `record` with its text cleaned and a `cleaner` object added.

    HTML in the text field (it starts like a page) goes through the HTML extractor
    first, as it does on standard input. Raises RecordError for a record without text.
    """
    return clean_fields(cleaner, record, fields)[0]


def record_result(cleaner: Cleaner, record: object, fields: Fields = DEFAULT_FIELDS) -> Result:
    """The engine's result for a record's text (what `cleaner explain` shows of it);
    raises RecordError as `clean_record` does."""
    return clean_fields(cleaner, record, fields)[1]


def clean_fields(cleaner: Cleaner, record: object, fields: Fields) -> tuple[dict, Result, str]:
    """The cleaned record, the engine's result, and the text that was cleaned."""
    if not isinstance(record, dict):
        raise RecordError(f"not a JSON object but {_json_type(record)}")
    if fields.text not in record:
        raise RecordError(f"no {fields.text!r} field")
    text = record[fields.text]
    if text is None:
        raise RecordError(f"{fields.text!r} is null")
    if not isinstance(text, str):
        raise RecordError(f"{fields.text!r} is {_json_type(text)}, not a string")
    url = record.get(fields.url) if fields.url else None
    url = url if isinstance(url, str) and url else None
    result = cleaner.clean_html(text, url) if is_html(None, text) else cleaner.clean(text, url=url)
    out = dict(record)
    out[fields.output or fields.text] = result.text
    out[INFO_FIELD] = record_info(cleaner, result, trace=fields.trace)
    return out, result, text


def record_info(cleaner: Cleaner, result: Result, *, trace: bool = False) -> dict[str, Any]:
    """The `cleaner` object added to a record: what was removed and by which rules."""
    info: dict[str, Any] = {
        "title": result.title,
        "removed_lines": result.removed_lines,
        "removed_share": round(result.removed_share, 4),
        "words_in": result.words_in,
        "words_out": result.words_out,
        "flags": list(result.flags),
        "mode": result.mode,
        "language": result.language,
        "versions": versions(cleaner.ruleset),
    }
    if result.reading is not None:  # HTML: the extractor's text or the page's reading
        info["reading"] = result.reading
    if result.comment_lines is not None:  # --comments: the text's last lines are comments
        info["comment_lines"] = result.comment_lines
    if trace:
        info["removals"] = [
            {
                "line": r.line,
                "by": r.by,
                "kind": r.kind,
                "action": r.action,
                "text": r.text,
                **({"detail": r.detail} if r.detail else {}),
            }
            for r in result.removals
        ]
        info["vetoes"] = [{"line": v.line, "by": v.by, "reason": v.reason} for v in result.vetoes]
    return info


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    for t, name in _JSON_TYPES.items():
        if type(value) is t:
            return name
    return "a number" if isinstance(value, float) else type(value).__name__


# ---- rule-set versions ---------------------------------------------------------------

_VERSIONS: dict[int, tuple[RuleSet, dict[str, str]]] = {}


def versions(ruleset: RuleSet) -> dict[str, str]:
    """`cleaner`'s version, a short hash of the rule set (every file's name, version
    and rules), so a record says which rules cleaned it, and the path that ran
    (`accel.path`: compiled or pure Python); computed once per rule set."""
    cached = _VERSIONS.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    value = {"cleaner": __version__, "rules": rules_hash(ruleset), "path": accel.path()}
    _VERSIONS[id(ruleset)] = (ruleset, value)
    return value


def rule_file_versions(ruleset: RuleSet) -> dict[str, str]:
    """Every rule file's name (relative to the defaults folder) and its version."""
    base = default_rules_dir().resolve()
    return {_file_key(f.path, base): f.version for f in ruleset.files}


def rules_hash(ruleset: RuleSet) -> str:
    """12 hex digits that change when any rule file's version or any rule changes."""
    base = default_rules_dir().resolve()
    canon = [
        [
            _file_key(f.path, base),
            f.version,
            [
                [r.id, r.phrases, r.regex, r.span, sorted(r.where), r.action, r.max_words]
                + [sorted(getattr(r, k, None) or ()) for k in ("domains", "not_domains")]
                for r in f.rules
            ],
            [[a.id, a.rules, a.phrases, a.regex] for a in f.allows],
        ]
        for f in ruleset.files
    ]
    return hashlib.sha256(orjson.dumps(canon)).hexdigest()[:12]


def _file_key(path: str, base: Path) -> str:
    """A rule file's name relative to `base`, the defaults folder (resolved), if in it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(base).as_posix()
    except ValueError:
        return p.name
