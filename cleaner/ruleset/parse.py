"""One rule file read, parsed and validated (TOML, header, rules, allow entries), every
problem collected with the rule it concerns, so that one error names them all."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import regex

from ..text.site_names import valid_site
from .model import Allow, Rule, RuleError, RuleFile, RuleSetError
from .patterns import pattern_problem

# The families of junk a rule file may cover; "custom" is for users' own files.
FAMILIES = (
    "aggregators",
    "comments",
    "platform-credits",
    "share",
    "navigation",
    "feeds",
    "legal",
    "cookies",
    "promos",
    "teasers",
    "bylines",
    "stamps",
    "ads",
    "embeds",
    "custom",
)
WHERE_VALUES = ("anywhere", "head", "tail", "edge-run")
ACTIONS = ("drop", "strip", "cut-tail", "cut-head")
DEFAULT_REGEX_MAX_WORDS = 12
MAX_RULE_FILE_BYTES = 2_000_000

_HEADER_KEYS = {"title", "version", "languages", "category", "rule", "allow"}
_RULE_KEYS = {
    "id",
    "description",
    "phrases",
    "regex",
    "span",
    "where",
    "action",
    "max_words",
    "junk",
    "keep",
    "domains",
    "not_domains",
    "weak",
}
_ALLOW_KEYS = {"id", "description", "phrases", "regex", "rules", "keep"}
_ID = regex.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)+")
_VERSION = regex.compile(r"\d+\.\d+\.\d+")


def parse_rule_file(path: Path, *, stress: bool = True) -> RuleFile:
    """Parse and validate one rule file; raise RuleSetError naming every problem.

    With `stress`, every pattern is also timed on adversarial inputs.
    """
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a pipe would block, a device never end
            raise RuleSetError([RuleError(path, None, "not a regular file")])
        if st.st_size > MAX_RULE_FILE_BYTES:
            raise RuleSetError([RuleError(path, None, f"file too large ({st.st_size} bytes)")])
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RULE_FILE_BYTES + 1)  # it may have grown since
    except OSError as exc:
        raise RuleSetError([RuleError(path, None, f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_RULE_FILE_BYTES:
        too_large = f"file too large (over {MAX_RULE_FILE_BYTES} bytes)"
        raise RuleSetError([RuleError(path, None, too_large)])
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleSetError([RuleError(path, None, f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise RuleSetError([RuleError(path, None, "nested too deeply")]) from None
    err = _Problems(path)

    for key in sorted(set(data) - _HEADER_KEYS):
        err(None, f"unknown header key {key!r}")
    title = _string(data, "title", None, err)
    version = _string(data, "version", None, err)
    if version and not _VERSION.fullmatch(version):
        err(None, f"version {version!r} is not MAJOR.MINOR.PATCH")
    languages = tuple(_strings(data, "languages", None, err, required=True))
    category = _string(data, "category", None, err)
    if category and category not in FAMILIES:
        err(None, f"category {category!r} is not one of {', '.join(FAMILIES)}")
    raw_rules = data.get("rule", [])
    raw_allows = data.get("allow", [])
    if not isinstance(raw_rules, list) or not isinstance(raw_allows, list):
        err(None, "'rule' and 'allow' must be arrays of tables ([[rule]], [[allow]])")
        raw_rules, raw_allows = [], []
    rules = [
        r for raw in raw_rules if (r := _parse_rule(raw, path, category, languages, err, stress))
    ]
    allows = [a for raw in raw_allows if (a := _parse_allow(raw, path, err, stress))]
    if err.errors:
        raise RuleSetError(err.errors)
    return RuleFile(str(path), title, version, languages, category, tuple(rules), tuple(allows))


class _Problems:
    """Collects the problems of one rule file; called as err(rule_id, problem)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[RuleError] = []

    def __call__(self, rule_id: str | None, problem: str) -> None:
        self.errors.append(RuleError(self.path, rule_id, problem))


def _parse_rule(
    raw: object,
    path: Path,
    category: str,
    languages: tuple[str, ...],
    err: _Problems,
    stress: bool,
) -> Rule | None:
    """One [[rule]] table as a Rule, or None when it has a problem (each one reported)."""
    if not isinstance(raw, dict):
        err(None, "each [[rule]] must be a table")
        return None
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    n_before = len(err.errors)
    _check_rule_keys(raw, rid, err)
    description = _string(raw, "description", rid, err)
    if "description" in raw and isinstance(raw["description"], str) and not description.strip():
        err(rid, "'description' is blank")
    phrases, pattern, span = _rule_match(raw, rid, err)
    where_list, action, max_words = _rule_placement(raw, rid, pattern, span, err)
    junk = tuple(_strings(raw, "junk", rid, err, required=True))
    keep = tuple(_strings(raw, "keep", rid, err))
    domains, not_domains = _rule_sites(raw, rid, err)
    weak = raw.get("weak", False)
    if not isinstance(weak, bool):
        err(rid, "'weak' must be true or false")
    elif weak and action != "cut-tail":
        err(rid, "'weak' goes with 'cut-tail' rules only")
    if not junk:
        err(rid, "needs at least one 'junk' example")
    for p in filter(None, (pattern, span)):
        if problem := pattern_problem(p, stress=stress):
            err(rid, problem)
    for ph in phrases:
        if not ph.strip():
            err(rid, "empty phrase")
    if rid is None or len(err.errors) != n_before:
        return None
    return Rule(
        id=rid,
        description=description,
        path=str(path),
        category=category,
        languages=languages,
        phrases=phrases,
        regex=pattern,
        span=span,
        where=frozenset(where_list),
        action=action,
        max_words=max_words,
        junk=junk,
        keep=keep,
        domains=domains,
        not_domains=not_domains,
        weak=bool(weak),
    )


def _check_rule_keys(raw: dict, rid: str | None, err: _Problems) -> None:
    """A rule's id is there and well formed, and it has no key a rule cannot have."""
    if rid is None:
        err(None, "rule without a string 'id'")
    elif not _ID.fullmatch(rid):
        err(rid, "id must be dotted lower-case words, like 'comments.leave-a-reply'")
    for key in sorted(set(raw) - _RULE_KEYS):
        err(rid, f"unknown key {key!r}")


def _rule_match(raw: dict, rid: str | None, err: _Problems) -> tuple[tuple[str, ...], str, str]:
    """What a rule matches: (phrases, regex, span), exactly one of them given."""
    phrases = tuple(_strings(raw, "phrases", rid, err))
    pattern = _string(raw, "regex", rid, err, required=False)
    span = _string(raw, "span", rid, err, required=False)
    kinds = [k for k, v in (("phrases", phrases), ("regex", pattern), ("span", span)) if v]
    if len(kinds) != 1:
        err(rid, "needs exactly one of 'phrases', 'regex' or 'span'")
    return phrases, pattern, span


def _rule_placement(
    raw: dict, rid: str | None, pattern: str, span: str, err: _Problems
) -> tuple[list[str], str, int | None]:
    """Where a rule applies and what it does: (where, action, max_words)."""
    where_raw = raw.get("where", "anywhere")
    where_list = [where_raw] if isinstance(where_raw, str) else where_raw
    if (
        not isinstance(where_list, list)
        or not where_list
        or any(w not in WHERE_VALUES for w in where_list)
    ):
        err(rid, f"'where' must be one of {', '.join(WHERE_VALUES)} (or a list of them)")
        where_list = ["anywhere"]
    action = raw.get("action", "strip" if span else "drop")
    if action not in ACTIONS:
        err(rid, f"'action' must be one of {', '.join(ACTIONS)}")
    elif (action == "strip") != bool(span):
        err(rid, "'strip' goes with 'span' rules, and 'span' rules must strip")
    max_words = raw.get("max_words", DEFAULT_REGEX_MAX_WORDS if pattern else None)
    if max_words is not None and (
        not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1
    ):
        err(rid, "'max_words' must be a positive integer")
    return where_list, action, max_words


def _rule_sites(
    raw: dict, rid: str | None, err: _Problems
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sites a rule is limited to and those it never applies to: (domains, not_domains)."""
    domains = tuple(_strings(raw, "domains", rid, err))
    not_domains = tuple(_strings(raw, "not_domains", rid, err))
    for key, sites in (("domains", domains), ("not_domains", not_domains)):
        if key in raw and not sites:
            err(rid, f"{key!r} is empty: leave it out to apply the rule to every site")
        for site in sites:
            if not valid_site(site):
                err(
                    rid,
                    f"{key!r}: {site!r} is not a site as written here: a host in lower case "
                    "without scheme, port, path or 'www.' (news.example.com)",
                )
    if set(domains) & set(not_domains):
        err(rid, "a site is in both 'domains' and 'not_domains'")
    return domains, not_domains


def _parse_allow(raw: object, path: Path, err: _Problems, stress: bool) -> Allow | None:
    if not isinstance(raw, dict):
        err(None, "each [[allow]] must be a table")
        return None
    aid = raw.get("id") if isinstance(raw.get("id"), str) else None
    if aid is None:
        err(None, "allow entry without a string 'id'")
        return None
    for key in sorted(set(raw) - _ALLOW_KEYS):
        err(aid, f"unknown key {key!r}")
    description = _string(raw, "description", aid, err)
    phrases = tuple(_strings(raw, "phrases", aid, err))
    pattern = _string(raw, "regex", aid, err, required=False)
    globs = tuple(_strings(raw, "rules", aid, err, required=True))
    keep = tuple(_strings(raw, "keep", aid, err))
    if bool(phrases) == bool(pattern):
        err(aid, "needs exactly one of 'phrases' or 'regex'")
    if pattern and (problem := pattern_problem(pattern, stress=stress)):
        err(aid, problem)
    if not globs:
        err(aid, "'rules' must name at least one rule id or glob")
    return Allow(aid, description, str(path), globs, phrases, pattern, keep)


def _string(d: dict, key: str, rid: str | None, err: _Problems, required: bool = True) -> str:
    value = d.get(key)
    if value is None:
        if required:
            err(rid, f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        err(rid, f"{key!r} must be a string")
        return ""
    return value


def _strings(
    d: dict, key: str, rid: str | None, err: _Problems, required: bool = False
) -> list[str]:
    value = d.get(key)
    if value is None:
        if required:
            err(rid, f"missing {key!r}")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        err(rid, f"{key!r} must be a list of strings")
        return []
    return value
