"""Errors raised by booking_rules.

    BookingRulesError
     ├── InputError      unusable input: names the file, the JSON path and what was expected
     └── RulesetError    a ruleset names an unknown code or option, or a bad value
"""

from __future__ import annotations


class BookingRulesError(Exception):
    """Base of every error this library raises on purpose."""


class InputError(BookingRulesError):
    """Input that cannot be used: one clear message, never a traceback in the CLI."""

    def __init__(self, source: str, path: str, expected: str, got: object = None) -> None:
        self.source = source
        self.path = path or "(top level)"
        self.expected = expected
        self.got = got
        detail = f"expected {expected}"
        if got is not None:
            shown = repr(got)
            detail += f", got {shown if len(shown) <= 80 else shown[:77] + '...'}"
        super().__init__(f"{source}: at {self.path}: {detail}")


class RulesetError(BookingRulesError):
    """A ruleset that cannot be applied."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")
