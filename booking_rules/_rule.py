"""What a rule is: a code, a check function, options, and its docstring as documentation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._engine import Context, Item

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
REQUIRED_SECTIONS = ("What it checks", "Why the API refuses it", "Example", "Fix")


@dataclass(frozen=True, slots=True)
class Option:
    """A per-rule option a ruleset may set."""

    default: Any
    doc: str

    def accepts(self, value: object) -> bool:
        kind = type(self.default)
        if kind is bool:
            return isinstance(value, bool)
        if kind is int:
            return isinstance(value, int) and not isinstance(value, bool)
        if kind is list:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, kind)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a schedule would be refused, with what a person needs to act on it."""

    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix: str = ""
    location: str | None = None  # defaults to the schedule's own location


@dataclass(frozen=True, slots=True)
class Unknown:
    """The rule cannot decide from the snapshot (RULES.md §6): never a silent pass."""

    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


Outcome = Finding | Unknown
Check = Callable[["Item", "Context"], Iterable[Outcome]]


@dataclass(frozen=True)
class Rule:
    """A rule: declared in its own module, listed once in the registry."""

    code: str
    check: Check
    doc: str
    module: str
    severity: Severity = "error"
    phorest: bool = False  # one of the nineteen Phorest codes
    options: Mapping[str, Option] = field(default_factory=dict)
    # What the rule needs resolved before it can run: a known service, staff, the time blocks.
    needs: frozenset[str] = frozenset({"service", "staff"})
    online_only: bool = False
    history: bool = False  # reads appointments or rosters over time: coverage applies
    notice: bool = False  # reports notices raised while reading input, checks nothing else

    @property
    def name(self) -> str:
        return self.module.rsplit(".", 1)[-1]

    @property
    def summary(self) -> str:
        first = self.doc.strip().splitlines()[0]
        return first.split(":", 1)[1].strip() if ":" in first else first

    def sections(self) -> dict[str, str]:
        """The docstring's ``## Heading`` sections, by heading."""
        out: dict[str, str] = {}
        parts = re.split(r"^## +(.+?)\s*$", self.doc, flags=re.M)
        for heading, body in zip(parts[1::2], parts[2::2], strict=True):
            out[heading.strip()] = body.strip("\n")
        return out


_EXAMPLE = re.compile(r"^```json ([a-z ]+)\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True, slots=True)
class Example:
    expect_fail: bool
    online: bool
    source: str


def examples(rule: Rule) -> list[Example]:
    """The failing and passing examples of a rule's docstring (```json fails|passes```)."""
    out = []
    for info, body in _EXAMPLE.findall(rule.sections().get("Example", "")):
        words = info.split()
        out.append(Example("fails" in words, "online" in words, body))
    return out
