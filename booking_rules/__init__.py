"""booking_rules: check a Phorest booking before it is sent, and explain its refusal.

    import booking_rules as br
    snap = br.load_snapshot("queen_st.json")
    report = br.check(snap, request, now=now)
    report.verdict, report.violations, report.predicted_api_code
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ._errors import BookingRulesError, InputError, RulesetError
from ._report import Report, Violation
from ._rule import Rule
from ._ruleset import Ruleset, load_ruleset
from ._snapshot import Snapshot, load_snapshot

__version__ = "0.1.0"

__all__ = [
    "BookingRulesError",
    "InputError",
    "Report",
    "Rule",
    "Ruleset",
    "RulesetError",
    "Snapshot",
    "Violation",
    "__version__",
    "check",
    "load_ruleset",
    "load_snapshot",
    "registry",
]


def check(snapshot: Snapshot, request: Any, *, now: datetime, online: bool = False,
          ruleset: str | Path | Ruleset = "phorest", kind: str | None = None) -> Report:
    """Every reason Phorest would refuse ``request``, checked against ``snapshot``.

    ``request`` is a createBooking or updateAppointment body, or ``{"kind", "body"}``.
    ``now`` is the instant the check runs at (aware); it is never read from the clock.
    """
    from ._engine import run

    return run(snapshot, request, now=now, online=online, ruleset=ruleset, kind=kind)


def registry() -> dict[str, Rule]:
    """Every rule the engine knows, by code, in documentation order."""
    from .rules import REGISTRY

    return dict(REGISTRY)
