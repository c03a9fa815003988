"""Rule files: loading TOML, validating every field, and naming the culprit on error."""

from __future__ import annotations

import fnmatch
import math
import stat
import time
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex

from ..text.site_names import in_domains, valid_site
from .literals import repeat_weight

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
REGEX_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
STRESS_TIMEOUT_S = 0.25
# Counted repeats are unrolled when a pattern compiles: (?:a{30000}){130} takes
# gigabytes. The product of nested bounds may not pass this (the defaults reach 36,000).
MAX_REPEAT_WEIGHT = 100_000
_BOUND = regex.compile(r"(?<!\\)\{(\d{1,9})(?:,(\d{0,9}))?\}")
STRESS_LENGTH = 3000

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
}
_ALLOW_KEYS = {"id", "description", "phrases", "regex", "rules", "keep"}
_ID = regex.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)+")
_VERSION = regex.compile(r"\d+\.\d+\.\d+")
# regex's recursion and subroutine calls: a pattern calling itself.
_RECURSION = regex.compile(r"\(\?(?:R|[+-]?\d+|&\w+)\)")
_GROUP_REFERENCE = regex.compile(r"\\[1-9]|\\g<|\(\?P?<[A-Za-z_]|\(\?P[=>]")
# An unbounded repeat inside an unbounded repeat: (a+)+, (\w+\s?)*, (x|y+){2,}.
# Bounded nestings such as (?:\w{1,30} ){0,5} are left to the timed stress test.
_NESTED_QUANTIFIER = regex.compile(
    r"\((?:[^()\\*+{]|\\.|\{\d+(?:,\d+)?\})*(?:[*+]|\{\d+,\})(?:[^()\\]|\\.)*\)(?:[*+]|\{\d+,\})"
)


class RuleError(Exception):
    """A problem in a rule file, with the file and rule it concerns."""

    def __init__(self, path: Path | str, rule_id: str | None, problem: str) -> None:
        self.path = str(path)
        self.rule_id = rule_id
        self.problem = problem
        where = f"{self.path}: rule {rule_id}" if rule_id else self.path
        super().__init__(f"{where}: {problem}")


class RuleSetError(Exception):
    """One or more rule errors, reported together."""

    def __init__(self, errors: list[RuleError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Rule:
    """One rule: what it matches, where it applies, what it does, and its examples."""

    id: str
    description: str
    path: str
    category: str
    languages: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    regex: str | None = None
    span: str | None = None
    where: frozenset[str] = frozenset({"anywhere"})
    action: str = "drop"
    max_words: int | None = None
    junk: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # only for documents of these sites (and subdomains)
    not_domains: tuple[str, ...] = ()  # never for documents of these sites

    @property
    def kind(self) -> str:
        return "phrases" if self.phrases else "regex" if self.regex else "span"

    def applies_to(self, site: str | None) -> bool:
        """Whether the rule applies to a document of `site` (None: not known).

        A rule with `domains` applies only to documents known to be of those sites;
        one with `not_domains` to every other document, those of no known site too.
        """
        if self.domains and (site is None or not in_domains(site, self.domains)):
            return False
        return not (self.not_domains and site is not None and in_domains(site, self.not_domains))


@dataclass(frozen=True)
class Allow:
    """An exception: lines it matches are protected from the rules its globs name."""

    id: str
    description: str
    path: str
    rules: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    regex: str | None = None
    keep: tuple[str, ...] = ()

    def protects(self, name: str) -> bool:
        """Whether this entry protects from rule or heuristic `name`."""
        return any(fnmatch.fnmatchcase(name, glob) for glob in self.rules)


@dataclass(frozen=True)
class RuleFile:
    """A parsed rule file with its header."""

    path: str
    title: str
    version: str
    languages: tuple[str, ...]
    category: str
    rules: tuple[Rule, ...]
    allows: tuple[Allow, ...]


@dataclass
class RuleSet:
    """All loaded rule files; ids are unique across them."""

    files: list[RuleFile] = field(default_factory=list)

    @property
    def rules(self) -> list[Rule]:
        return [r for f in self.files for r in f.rules]

    @property
    def allows(self) -> list[Allow]:
        return [a for f in self.files for a in f.allows]

    def get(self, rule_id: str) -> Rule | Allow | None:
        items: list[Rule | Allow] = [*self.rules, *self.allows]
        return next((item for item in items if item.id == rule_id), None)


def default_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's `rules/` in a source checkout."""
    packaged = resources.files("cleaner") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"  # beside the package cleaner/


def rule_files_in(path: Path) -> list[Path]:
    """The `.toml` files a path names: itself, or every one below a folder, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.toml") if p.is_file())
    return [path]


def load_ruleset(
    paths: list[Path], *, default_rules: bool = True, stress_defaults: bool = False
) -> RuleSet:
    """Load the default rules (if asked) and the given files or folders into one set.

    User patterns are stress-tested for catastrophic backtracking as they load; the
    default rules are tested by the test suite, and here only with `stress_defaults`.
    Raises RuleSetError listing every problem found, so a user fixes them in one go.
    """
    return load_rule_sources(rule_sources(paths, default_rules, stress_defaults))


def rule_sources(
    paths: list[Path], default_rules: bool = True, stress_defaults: bool = False
) -> list[tuple[Path, bool]]:
    """The rule files a load reads, in order, each once, and whether its patterns are
    stress-tested; raises RuleSetError for a path that does not exist."""
    files: list[tuple[Path, bool]] = []
    if default_rules:
        files += [(f, stress_defaults) for f in rule_files_in(default_rules_dir())]
    for p in paths:
        if not p.exists():
            raise RuleSetError([RuleError(p, None, "no such file or folder")])
        files += [(f, True) for f in rule_files_in(p)]
    unique: dict[Path, tuple[Path, bool]] = {}
    for f, stress in files:  # a file named twice (defaults and --rules) loads once
        key = f.resolve()
        unique[key] = (unique[key][0], unique[key][1] or stress) if key in unique else (f, stress)
    return list(unique.values())


def load_rule_sources(files: list[tuple[Path, bool]]) -> RuleSet:
    """Parse the files `rule_sources` named into one set (see `load_ruleset`)."""
    errors: list[RuleError] = []
    loaded: list[RuleFile] = []
    seen: dict[str, str] = {}
    for path, stress in files:
        try:
            rf = parse_rule_file(path, stress=stress)
        except RuleSetError as exc:
            errors += exc.errors
            continue
        items: list[Rule | Allow] = [*rf.rules, *rf.allows]
        for item in items:
            if item.id in seen:
                errors.append(RuleError(path, item.id, f"duplicate id (also in {seen[item.id]})"))
            else:
                seen[item.id] = str(path)
        loaded.append(rf)
    if errors:
        raise RuleSetError(errors)
    return RuleSet(loaded)


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
    if not isinstance(raw, dict):
        err(None, "each [[rule]] must be a table")
        return None
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    n_before = len(err.errors)
    if rid is None:
        err(None, "rule without a string 'id'")
    elif not _ID.fullmatch(rid):
        err(rid, "id must be dotted lower-case words, like 'comments.leave-a-reply'")
    for key in sorted(set(raw) - _RULE_KEYS):
        err(rid, f"unknown key {key!r}")
    description = _string(raw, "description", rid, err)
    if "description" in raw and isinstance(raw["description"], str) and not description.strip():
        err(rid, "'description' is blank")
    phrases = tuple(_strings(raw, "phrases", rid, err))
    pattern = _string(raw, "regex", rid, err, required=False)
    span = _string(raw, "span", rid, err, required=False)
    kinds = [k for k, v in (("phrases", phrases), ("regex", pattern), ("span", span)) if v]
    if len(kinds) != 1:
        err(rid, "needs exactly one of 'phrases', 'regex' or 'span'")
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
    junk = tuple(_strings(raw, "junk", rid, err, required=True))
    keep = tuple(_strings(raw, "keep", rid, err))
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
    )


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


def pattern_problem(pattern: str, *, stress: bool = True) -> str | None:
    """Why a user pattern is unsafe or invalid, or None when it may be used.

    Refuses syntax errors, patterns that match the empty line, nested quantifiers,
    and patterns that take too long on adversarial stress inputs.
    """
    weight = repeat_weight(pattern)
    if weight is None:  # the stdlib cannot read it: count every bound, nested or not
        weight = math.prod(max(int(hi or lo), 1) for lo, hi in _BOUND.findall(pattern))
    if weight > MAX_REPEAT_WEIGHT:
        return (
            f"counted repeats too large: compiling would unroll {weight:,} copies "
            f"(at most {MAX_REPEAT_WEIGHT:,}; use + or * for open-ended runs)"
        )
    try:
        compiled = regex.compile(pattern, REGEX_FLAGS)
    except regex.error as exc:
        return f"bad pattern: {exc}"
    except (RecursionError, OverflowError, MemoryError):
        return "bad pattern: too complex"
    except Exception as exc:  # `regex` raises ValueError on some broken fuzzy syntax
        return f"bad pattern: {type(exc).__name__}: {exc}"
    if _GROUP_REFERENCE.search(pattern):
        return "named groups and back-references are not allowed (patterns are combined)"
    if _RECURSION.search(pattern):
        return "recursive patterns ((?R), (?1), (?&name)) are not allowed"
    try:
        if compiled.fullmatch("", timeout=STRESS_TIMEOUT_S):
            return "pattern matches an empty line"
    except (TimeoutError, RecursionError, MemoryError):
        return "catastrophic pattern: it does not finish even on an empty line"
    if _NESTED_QUANTIFIER.search(pattern):
        return "catastrophic pattern: a quantified group holds a quantifier, like (a+)+"
    for text in _stress_inputs(pattern) if stress else ():
        started = time.perf_counter()
        try:
            compiled.search(text, timeout=STRESS_TIMEOUT_S)
            compiled.fullmatch(text, timeout=STRESS_TIMEOUT_S)
        except TimeoutError:
            return "catastrophic pattern: it backtracks without end on a stress input"
        if time.perf_counter() - started > STRESS_TIMEOUT_S:
            return "catastrophic pattern: too slow on a stress input"
    return None


def _stress_inputs(pattern: str) -> list[str]:
    """Long strings of the characters a pattern cares about, each ending in a mismatch."""
    literals = {c for c in pattern if c.isalnum() or c in " .-_,:/@#"}
    alphabet = sorted(literals | {"a", " ", "1"})[:24]
    out = [c * STRESS_LENGTH + "\x00" for c in alphabet]
    out.append("".join(alphabet) * (STRESS_LENGTH // max(len(alphabet), 1)) + "\x00")
    out.append("a " * (STRESS_LENGTH // 2) + "\x00")
    return out
