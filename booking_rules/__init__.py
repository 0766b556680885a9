"""booking_rules: check a Phorest booking before it is sent, and explain its refusal.

    import booking_rules as br
    snap = br.load_snapshot("queen_st.json")
    report = br.check(snap, request, now=now)
    report.verdict, report.violations, report.predicted_api_code
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import BookingRulesError, InputError, RulesetError
from .core.report import Report, Violation
from .core.rule import Rule
from .core.ruleset import Ruleset, load_ruleset
from .core.snapshot import Snapshot
from .explain import CorpusReport, Explanation, explain, explain_corpus
from .platforms.phorest import load_snapshot

if TYPE_CHECKING:
    from ._slots import Slot

__version__ = "0.1.0"

__all__ = [
    "BookingRulesError",
    "CorpusReport",
    "Explanation",
    "InputError",
    "Report",
    "Rule",
    "Ruleset",
    "RulesetError",
    "Snapshot",
    "Violation",
    "__version__",
    "check",
    "explain",
    "explain_corpus",
    "find_slots",
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
    from .platforms.phorest import check as phorest_check

    return phorest_check(snapshot, request, now=now, online=online, ruleset=ruleset, kind=kind)


def find_slots(snapshot: Snapshot, service_ids: Sequence[str], *, start: datetime,
               end: datetime, staff_id: str | None = None, client_id: str | None = None,
               online: bool = False, step_minutes: int | None = None, now: datetime,
               ruleset: str | Path | Ruleset = "phorest",
               max_slots_per_day: int | None = None) -> list[Slot]:
    """Every start on the grid in ``[start, end)`` that ``check`` would pass, per staff.

    Sound and complete against ``check``: the same rules decide every slot.
    """
    from ._slots import find_slots as _find

    return _find(snapshot, service_ids, start=start, end=end, staff_id=staff_id,
                 client_id=client_id, online=online, step_minutes=step_minutes, now=now,
                 ruleset=ruleset, max_slots_per_day=max_slots_per_day)


def registry() -> dict[str, Rule]:
    """Every rule the engine knows, by code, in documentation order."""
    from .rules import REGISTRY

    return dict(REGISTRY)
