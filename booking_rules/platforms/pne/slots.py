"""Slots as PNE's ``ShowAvailable`` gives them, computed locally by the same rules.

    GET /appointments/ShowAvailable?CompanyId&EmployeeId&ServiceId&StartDate
    -> [{"AvailableSlot": "2025-09-11 13:15:00", "EmployeeName": "Lev Kurts", "Initial": 15}]

``find_slots`` on a PNE snapshot is the engine's search (``booking_rules._slots``), which is
sound and complete against the check of the canonical request. A PNE body carries its
start as the location's wall clock, so one more condition makes a slot bookable through
PNE: its wall clock must read back as the same instant. On a fall-back night the second
01:30 cannot be written (``StartDate`` has no offset, and a repeated wall time is read as
its first occurrence): :func:`bookable` leaves such a slot out, and so every slot offered
passes ``pne.check`` of the body :func:`body_for` writes (tests/pne/test_slots.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..._errors import InputError
from ..._slots import Slot, find_slots
from ..._time import wall_to_utc
from ...core.ruleset import Ruleset, resolve_ruleset
from ...core.snapshot import Snapshot
from .codes import TABLE
from .read import read_wall, wall_text
from .requests import VISH_NOTE

__all__ = ["body_for", "bookable", "show_available", "slots_to_pne"]


def bookable(snapshot: Snapshot, slot: Slot) -> bool:
    """Whether ``slot`` can be written as a PNE ``StartDate``: its wall clock reads back
    as the same instant (not the second pass of a repeated hour)."""
    wall = slot.start.astimezone(snapshot.zone)
    back = wall_to_utc(wall.date(), wall.time().replace(tzinfo=None), snapshot.zone)
    return back.instant == slot.start and not back.shifted


def body_for(snapshot: Snapshot, slot: Slot, customer_id: str) -> dict[str, Any]:
    """The ``POST /appointments`` body that books ``slot`` (its first service) for
    ``customer_id``, with the service's minutes."""
    sc = slot.schedules[0]
    service = snapshot.services[sc.service_id]
    return {"CompanyId": snapshot.branch.id, "CustomerId": customer_id,
            "EmployeeId": sc.staff_id, "ServiceId": sc.service_id,
            "StartDate": wall_text(sc.start, snapshot.zone), "Init": service.duration,
            "Delay": service.gap_time, "Complete": service.finish_duration}


def slots_to_pne(slots: Sequence[Slot], snapshot: Snapshot) -> list[dict[str, Any]]:
    """``ShowAvailable``'s shape, by start then employee: ``AvailableSlot`` (the location's
    wall clock, a space between date and time), ``EmployeeName``, ``Initial`` (the
    service's first block in minutes). Slots PNE cannot be sent are left out
    (:func:`bookable`)."""
    out = []
    for s in sorted(slots, key=lambda s: (s.start, s.staff_id)):
        if not bookable(snapshot, s):
            continue
        staff = snapshot.staff.get(s.staff_id)
        service = snapshot.services.get(s.schedules[0].service_id)
        out.append({"AvailableSlot": wall_text(s.start, snapshot.zone, " "),
                    "EmployeeName": staff.name if staff else s.staff_id,
                    "Initial": service.duration if service else None})
    return out


def show_available(snapshot: Snapshot, *, employee_id: str, service_id: str,
                   start_date: str, now: datetime,
                   ruleset: str | Path | Ruleset = "pne", customer_id: str | None = None,
                   company_id: str | None = None, vish: bool = False) -> list[dict[str, Any]]:
    """``ShowAvailable`` computed locally: the bookable starts of ``employee_id`` for
    ``service_id`` on the local day of ``start_date`` (``"2025-09-11T12:00:00"`` or
    ``"2025-09-11"``; PNE's ``StartDate`` is "the day to search"), in its shape.
    ``InputError`` for what PNE needs and was not given (the four parameters), an id the
    snapshot does not hold, another location, a day the snapshot does not cover, and on
    VISH (which has no ShowAvailable)."""
    if vish:
        raise InputError("ShowAvailable", "", f"PatientNow Essentials ({VISH_NOTE})", "VISH")
    if company_id is not None and company_id != snapshot.branch.id:
        raise InputError("ShowAvailable", "CompanyId", f"the snapshot's location "
                         f"{snapshot.branch.id!r}", company_id)
    day = _day(start_date, snapshot)
    zone = snapshot.zone
    start = wall_to_utc(day, time(0), zone).instant
    end = wall_to_utc(day + timedelta(days=1), time(0), zone).instant
    found = find_slots(snapshot, [service_id], start=start, end=end, staff_id=employee_id,
                       client_id=customer_id, now=now,
                       ruleset=resolve_ruleset(ruleset, TABLE))
    return slots_to_pne(found, snapshot)


def _day(start_date: str, snapshot: Snapshot) -> date:
    if isinstance(start_date, str) and len(start_date.strip()) == 10:
        try:
            return date.fromisoformat(start_date.strip())
        except ValueError:
            pass
    wall = read_wall(start_date, snapshot.zone)
    if wall is None:
        raise InputError("ShowAvailable", "StartDate", "the day to search, such as "
                         "2025-09-11T12:00:00 or 2025-09-11", start_date)
    return wall.wall.date()
