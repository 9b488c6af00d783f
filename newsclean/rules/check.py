"""``newsclean rules --check FILE``: run every example of a user's rule file.

Loading a rule file stops at the first rule whose examples fail; a check loads
the file without that stop, runs every ``drops`` and ``keeps`` example of every
rule on that rule alone, and reports each failure, and the rules that have no
examples at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import example_failures, load_rule_file


@dataclass(frozen=True)
class CheckReport:
    path: str
    rules: int
    examples: int
    failures: tuple[str, ...]  # "rule CODE: what went wrong"
    without_examples: tuple[str, ...]  # codes of rules with no drops and no keeps

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        """The report as a user reads it: one line per failure, then a summary line."""
        out = [f"{self.path}: {failure}" for failure in self.failures]
        if self.without_examples:
            out.append(f"{self.path}: no examples (add drops and keeps): {', '.join(self.without_examples)}")
        verdict = f"{len(self.failures)} failed" if self.failures else "all pass"
        out.append(f"{self.path}: {self.rules} rules, {self.examples} examples: {verdict}")
        return out


def check_file(path: str | Path) -> CheckReport:
    """Run the examples of every rule in the file at ``path``.

    Raises :class:`~newsclean.rules.RuleFileError` when the file cannot be
    loaded at all (not TOML, an unknown field, a pattern that does not compile).
    """
    _group, rules = load_rule_file(path, check_examples=False)
    failures = [f"rule {rule.code}: {failure}" for rule in rules for failure in example_failures(rule)]
    return CheckReport(
        path=str(path), rules=len(rules), examples=sum(len(r.drops) + len(r.keeps) for r in rules),
        failures=tuple(failures), without_examples=tuple(r.code for r in rules if not r.drops and not r.keeps),
    )
