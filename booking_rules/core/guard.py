"""Arguments of the Python API, checked where they come in (the public face and each
platform's entry points): a wrong type or value is an :class:`~booking_rules.InputError`
naming the argument, never an AttributeError, TypeError or OverflowError from deep inside.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._errors import InputError
from .._time import require_instant
from .ruleset import Ruleset
from .snapshot import Snapshot

__all__ = ["require_bool", "require_instant", "require_optional_str", "require_ruleset",
           "require_snapshot"]


def require_snapshot(value: object, name: str = "snapshot") -> Snapshot:
    if not isinstance(value, Snapshot):
        raise InputError(name, "", "a Snapshot (from booking_rules.load_snapshot)",
                         type(value).__name__)
    return value


def require_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(name, "", "True or False", value)
    return value


def require_optional_str(value: object, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputError(name, "", "a string or None", value)
    return value


def require_ruleset(value: Any, name: str = "ruleset") -> str | Path | Ruleset:
    if isinstance(value, _AS_GIVEN):  # the common case first, tested against a tuple
        return value
    if not isinstance(value, os.PathLike):
        raise InputError(name, "", "a bundled ruleset name, a TOML path or a Ruleset",
                         type(value).__name__)
    return Path(os.fspath(value))


# A tuple, not a union: ``isinstance(v, A | B)`` builds the union on every call.
_AS_GIVEN = (str, Path, Ruleset)
