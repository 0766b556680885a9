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
from .core.ruleset import Ruleset
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
          ruleset: str | Path | Ruleset | None = None, kind: str | None = None,
          platform: str = "phorest") -> Report:
    """Every reason the platform would refuse ``request``, checked against ``snapshot``.

    ``request`` is a createBooking or updateAppointment body, or ``{"kind", "body"}``
    (PNE: a ``POST /appointments`` or ``POST /orders`` body). ``now`` is the instant the
    check runs at (aware); it is never read from the clock. ``ruleset``: the platform's
    default (``phorest``, ``pne``) when not given.
    """
    from .platforms import get

    module = get(platform)
    found: Report = module.check(snapshot, request, now=now, online=online,
                                 ruleset=ruleset or _default_ruleset(module), kind=kind)
    return found


def _default_ruleset(module: Any) -> str:
    return str(getattr(module, "DEFAULT_RULESET", "phorest"))


def load_ruleset(name_or_path: str | Path, *, platform: str = "phorest") -> Ruleset:
    """A bundled ruleset by name (``phorest``, ``phorest-online``, ``strict``) or a TOML
    path, read with the platform's rule codes."""
    from .core.ruleset import load_ruleset as load
    from .platforms import table

    return load(name_or_path, table(platform))


def find_slots(snapshot: Snapshot, service_ids: Sequence[str], *, start: datetime,
               end: datetime, staff_id: str | None = None, client_id: str | None = None,
               online: bool = False, step_minutes: int | None = None, now: datetime,
               ruleset: str | Path | Ruleset | None = None,
               max_slots_per_day: int | None = None, platform: str = "phorest") -> list[Slot]:
    """Every start on the grid in ``[start, end)`` that ``check`` would pass, per staff.

    Sound and complete against ``check``: the same rules decide every slot. On PNE, only
    the starts a ``StartDate`` can say (``platforms.pne.slots.bookable``); VISH has none.
    """
    from ._slots import find_slots as _find
    from .core.ruleset import resolve_ruleset
    from .platforms import get, table

    module = get(platform)
    refuse = getattr(module, "refuse_slots", None)
    if refuse is not None:
        refuse()
    found = _find(snapshot, service_ids, start=start, end=end, staff_id=staff_id,
                  client_id=client_id, online=online, step_minutes=step_minutes, now=now,
                  ruleset=resolve_ruleset(ruleset or _default_ruleset(module),
                                          table(platform)),
                  max_slots_per_day=max_slots_per_day)
    keep = getattr(module, "bookable", None)
    return found if keep is None else [s for s in found if keep(snapshot, s)]


def registry(platform: str = "phorest") -> dict[str, Rule]:
    """Every rule the platform runs, by the platform's code, in documentation order."""
    from .platforms import table

    return table(platform).by_code()
