"""Errors raised by booking_rules.

    BookingRulesError
     ├── InputError      unusable input: names the file, the JSON path and what was expected
     │                   (also a ValueError: a value the library cannot use)
     └── RulesetError    a ruleset names an unknown code or option, or a bad value

Every message echoes what it was given through :func:`echo`, so a hostile value (a
100,000-character zone name, an id made of control characters) can neither flood the output
nor forge a second line.
"""

from __future__ import annotations

ECHO_LIMIT = 80


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """``value`` as a message shows it: its ``repr`` (so control characters and lone
    surrogates are escaped, and the text stays one line), cut to ``limit`` characters with
    the full length said, e.g. ``'AAAA...' (100000 chars)``."""
    if isinstance(value, str):
        if len(value) <= limit:
            return _one_line(repr(value))
        cut = _one_line(repr(value[:limit]))
        return f"{cut[:-1]}...{cut[-1]} ({len(value):,} chars)"
    try:
        shown = repr(value)
    except Exception:  # a hostile __repr__ must not turn an input error into a crash
        shown = f"<{type(value).__name__}>"
    shown = _one_line(shown)
    if len(shown) <= limit:
        return shown
    size = f"{len(value):,} items, " if isinstance(value, list | tuple | dict | set) else ""
    return f"{shown[:limit]}... ({size}{len(shown):,} chars)"


def clip(text: str, limit: int = 200) -> str:
    """``text`` kept as text (an echoed id or message in a report), cut to ``limit``
    characters with its full length said: ``AAAA... (100,000 chars)``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} chars)"


def _one_line(text: str) -> str:
    # repr escapes a str's own line breaks; a container's repr of a custom object may not.
    return text.replace("\n", "\\n").replace("\r", "\\r")


class BookingRulesError(Exception):
    """Base of every error this library raises on purpose."""


class InputError(BookingRulesError, ValueError):
    """Input that cannot be used: one clear message, never a traceback in the CLI."""

    def __init__(self, source: str, path: str, expected: str, got: object = None) -> None:
        self.source = source
        self.path = path or "(top level)"
        self.expected = expected
        self.got = got
        detail = f"expected {expected}"
        if got is not None:
            detail += f", got {echo(got)}"
        super().__init__(f"{_name(source)}: at {_name(self.path, 200)}: {detail}")


class RulesetError(BookingRulesError):
    """A ruleset that cannot be applied."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{_name(source)}: {message}")


def _name(text: str, limit: int = 300) -> str:
    """A file name or JSON path in a message: given by the caller, but a path may be long
    (a JSON path 64 levels deep) or hold a line break; shown on one line, bounded."""
    text = _one_line(str(text))
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} chars)"
