"""The rule set's data: rules, allow entries, rule files, and the errors naming them;
apart from parsing and loading, which both use them, as matching and the judges do."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from ..text.site_names import in_domains


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
    # A weak block header (cut-tail only): it cuts only with half the page's body above
    # it and when the page prints it once ("Comments", a post pager).
    weak: bool = False

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
