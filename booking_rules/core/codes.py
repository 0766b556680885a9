"""How a platform names the rules: one table per platform, as ruff keys each upstream
linter's codes (``(Pyflakes, "401")``) in one table with redirects for renamed codes.

A rule's identity is neutral (its module's name). A platform's :class:`CodeTable` says which
rules it runs, the code each is reported under, which of those codes the platform's API
itself answers (the ones a prediction may name), and the codes that were renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .rule import Rule


@dataclass(frozen=True)
class CodeTable:
    platform: str  # the name a user gives: "phorest"
    display: str  # the name a report gives: "Phorest"
    rules: Mapping[str, Rule]  # the rules the platform runs, by neutral name, in order
    codes: Mapping[str, str]  # neutral name -> the platform's code
    api: frozenset[str] = frozenset()  # neutral names whose code the platform's API answers
    redirects: Mapping[str, str] = field(default_factory=dict)  # old code -> current code
    _by_code: dict[str, Rule] = field(default_factory=dict, init=False, repr=False,
                                      compare=False)

    def __post_init__(self) -> None:
        missing = self.rules.keys() - self.codes.keys()
        if missing:
            raise ValueError(f"{self.platform}: rules without a code {sorted(missing)}")
        if not self.api <= self.rules.keys():
            raise ValueError(f"{self.platform}: api names unknown rules "
                             f"{sorted(self.api - self.rules.keys())}")
        by_code = {self.codes[name]: rule for name, rule in self.rules.items()}
        if len(by_code) != len(self.rules):
            raise ValueError(f"{self.platform}: two rules share a code")
        bad = {old: new for old, new in self.redirects.items() if new not in by_code}
        if bad:
            raise ValueError(f"{self.platform}: redirects to unknown codes {bad}")
        # Built here, once: a table is shared by every thread that checks (no lazy fill).
        self._by_code.update(by_code)

    def code_of(self, rule: Rule) -> str:
        return self.codes[rule.name]

    def is_api(self, rule: Rule) -> bool:
        return rule.name in self.api

    def rule(self, code_or_name: str) -> Rule | None:
        """The rule a ruleset or a person names: by code, by a renamed code, or by the
        neutral name."""
        found = self._by_code.get(self.redirects.get(code_or_name, code_or_name))
        return found if found is not None else self.rules.get(code_or_name)

    def by_code(self) -> dict[str, Rule]:
        """Every rule the platform runs, by its code, in table order."""
        return dict(self._by_code)

    @property
    def api_codes(self) -> tuple[str, ...]:
        """The codes the platform's API itself answers, in table order."""
        return tuple(self.codes[n] for n in self.rules if n in self.api)

    def known_names(self) -> Iterable[str]:
        """What a ruleset may name: every code, renamed code and neutral name."""
        return [*self._by_code, *self.redirects, *self.rules]
