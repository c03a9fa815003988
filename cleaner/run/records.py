"""Records: clean the text field of a JSON object and say what was done, in the record.

`clean_record` is the JSONL form of `Cleaner.clean`: every field passes through in its
order, the cleaned text replaces the text field (or goes to another), and a `cleaner`
object is added. `clean_lines` does it for a chunk of raw JSONL lines, in a worker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..io.formats import is_html, page_text_words
from ..ruleset.load import RuleSet, default_rules_dir
from .limits import DocumentTimeout, deadline
from .stats import Tally

if TYPE_CHECKING:
    from ..engine import Cleaner, Result

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
    return _clean(cleaner, record, fields)[0]


def record_result(cleaner: Cleaner, record: object, fields: Fields = DEFAULT_FIELDS) -> Result:
    """The engine's result for a record's text (what `cleaner explain` shows of it);
    raises RecordError as `clean_record` does."""
    return _clean(cleaner, record, fields)[1]


def _clean(cleaner: Cleaner, record: object, fields: Fields) -> tuple[dict, Result, str]:
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
    from .. import __version__, accel

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


# ---- JSONL lines ---------------------------------------------------------------------


def parse_line(raw: bytes) -> tuple[Any, bool]:
    """A JSON value from one line, and whether the standard library had to read it
    (numbers beyond 64 bits, NaN), in which case it also writes it back."""
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError as exc:
        try:
            return json.loads(raw), True
        except (ValueError, RecursionError):
            raise RecordError(f"malformed JSON: {exc}") from None


def dump_line(record: dict, stdlib: bool = False) -> bytes:
    """One record as one JSON line (with its newline)."""
    if not stdlib:
        try:
            return orjson.dumps(record) + b"\n"
        except TypeError:
            pass
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    except UnicodeEncodeError:  # a lone surrogate read from a \ud800 escape: escape it back
        return json.dumps(record, separators=(",", ":")).encode() + b"\n"


@dataclass
class LinesDone:
    """A chunk of JSONL lines cleaned: output lines, rejected lines, and the counts."""

    out: bytes = b""
    rejects: list[tuple[int, bytes, str]] = field(default_factory=list)  # (line, raw, why)
    tally: Tally = field(default_factory=Tally)


def clean_lines(
    cleaner: Cleaner,
    lines: list[tuple[int, bytes]],
    fields: Fields,
    shard: tuple[int, int] | None = None,
    timeout: float = 0.0,
    flagged: str = "write",
) -> LinesDone:
    """Clean a chunk of numbered JSONL lines; a bad line is rejected, never raised.

    With `shard` (I, N), only records whose id field hashes to I are kept (the others
    belong to another shard); records without the id go by line number. A record that
    takes more than `timeout` seconds of CPU time (0: no limit) is rejected. A record
    flagged emptied or most-removed is written cleaned, as it was (`flagged` "keep"), or
    rejected ("reject").
    """
    done = LinesDone()
    parts: list[bytes] = []
    for no, raw in lines:
        try:
            record, stdlib = parse_line(raw)
        except RecordError as exc:
            if shard is None or (no - 1) % shard[1] == shard[0]:  # one shard reports it
                done.rejects.append((no, raw, str(exc)))
            continue
        if shard is not None and fields.id is not None:
            key = record.get(fields.id) if isinstance(record, dict) else None
            mine = (no - 1) % shard[1] if key is None else shard_of(_key_bytes(key), shard[1])
            if mine != shard[0]:
                continue
        try:
            with deadline(timeout):
                out, result, text = _clean(cleaner, record, fields)
            line = dump_line(out, stdlib)
        except DocumentTimeout:
            why = f"took over --timeout {timeout:g} s of CPU time"
            done.rejects.append((no, raw, _name(record, fields, why)))
            continue
        except RecordError as exc:
            done.rejects.append((no, raw, _name(record, fields, str(exc))))
            continue
        except Exception as exc:  # a bug must not end a run of a million records
            done.rejects.append((no, raw, _name(record, fields, f"internal error: {exc!r}")))
            continue
        if result.flags and flagged != "write":
            what = f"flagged {', '.join(result.flags)}"
            if flagged == "reject":
                done.rejects.append(
                    (no, raw, _name(record, fields, f"{what}: rejected (--flagged reject)"))
                )
                continue
            line = raw + b"\n"  # kept: the record as it came
        if result.html:
            result.page_words = page_text_words(text)
        done.tally.add(result, len(text.encode("utf-8", errors="surrogatepass")))
        parts.append(line)
    done.out = b"".join(parts)
    return done


def _key_bytes(key: object) -> bytes:
    """An id value as canonical JSON, to hash it the same everywhere."""
    try:
        return orjson.dumps(key, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # beyond orjson (a number over 64 bits)
        return json.dumps(key, sort_keys=True).encode()


def _name(record: object, fields: Fields, why: str) -> str:
    """The reason, with the record's id when it has one."""
    if fields.id is not None and isinstance(record, dict) and fields.id in record:
        return f"{why} (id {record[fields.id]!r})"
    return why


def shard_of(key: bytes, n: int) -> int:
    """A stable shard number in [0, n) for a key: the same on every machine and run."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % n
