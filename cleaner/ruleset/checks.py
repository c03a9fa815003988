"""Rule examples as tests: every `junk` line must be removed, every `keep` line must stay."""

from __future__ import annotations

from ..text.features import line_features
from ..text.normalize import normalize_line, normalize_text
from .matching import CompiledRules
from .model import Rule, RuleError


def _line(example: str) -> str:
    return normalize_line(normalize_text(example).replace("\n", " "))


def matching_rules(compiled: CompiledRules, line: str, site: str | None = None) -> list[Rule]:
    """Rules that would remove `line` somewhere in a document of `site`, after allow
    entries."""
    allows = compiled.allows_for(line)
    words = line_features(line).words
    found = list(compiled.line_rules(line, words, site))
    found += [s.rule for s in compiled.spans(line, site)]
    if (cut := compiled.cut_rule(line, words, site)) is not None:
        found.append(cut)
    seen: dict[str, Rule] = {}
    for rule in found:
        if not any(a.protects(rule.id) for a in allows):
            seen.setdefault(rule.id, rule)
    return list(seen.values())


def check_examples(compiled: CompiledRules) -> list[RuleError]:
    """Run every example of every loaded rule and allow entry; return the failures.

    Examples of a rule scoped to sites (`domains`) are run in a document of its first
    site, where the site's other rules apply too.
    """
    errors: list[RuleError] = []
    for rule in compiled.rules:
        site = rule.domains[0] if rule.domains else None
        for example in rule.junk:
            line = _line(example)
            if rule.id not in {r.id for r in matching_rules(compiled, line, site)}:
                errors.append(
                    RuleError(rule.path, rule.id, f"junk example not removed: {example!r}")
                )
        for example in rule.keep:
            hits = matching_rules(compiled, _line(example), site)
            if hits:
                names = ", ".join(r.id for r in hits)
                errors.append(
                    RuleError(rule.path, rule.id, f"keep example removed by {names}: {example!r}")
                )
    for allow in compiled.allows:
        for example in allow.keep:
            line = _line(example)
            if allow not in compiled.allows_for(line):
                errors.append(
                    RuleError(allow.path, allow.id, f"allow example not matched: {example!r}")
                )
            elif hits := matching_rules(compiled, line):
                names = ", ".join(r.id for r in hits)
                errors.append(
                    RuleError(allow.path, allow.id, f"keep example removed by {names}: {example!r}")
                )
    return errors
