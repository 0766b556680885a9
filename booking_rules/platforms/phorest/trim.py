"""A snapshot document cut down to what the rules read for one request.

``explain --save`` keeps each refusal as a corpus entry; a team that logs hundreds of them
cannot copy a 60 MB snapshot per entry. What a check of one request reads is small: the
branch, its staff, services, rooms, machines, offers and courses (kept whole: small and
read by id), the request's client and their courses, every appointment of that client
(course spacing and same-day rules read them at any date), the appointment an update
moves, and the appointments, rosters and breaks of the request's local days with a day's
margin either side. The copy declares ``coverage`` for those days only, so anything
outside them answers UNKNOWN rather than "free". The caller verifies that the copy
explains the request as the whole snapshot did (``booking_rules.cli._save``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ...core import model as m
from ...core.snapshot import Snapshot
from .read import _page_items

_WHOLE = ("staff", "services", "rooms", "machines", "specialOffers", "courses")


def request_days(request: m.Request, snapshot: Snapshot) -> tuple[date, date]:
    """The first and last local date the request's schedules touch."""
    zone = snapshot.zone
    days = []
    for s in request.schedules:
        days.append(s.start.astimezone(zone).date())
        if s.end is not None:
            days.append(s.end.astimezone(zone).date())
    if request.appointment_id and request.appointment_id in snapshot.appointments:
        moved = snapshot.appointments[request.appointment_id]
        days.append(moved.start.astimezone(zone).date())
    if not days:
        raise ValueError("a request with no schedule has no day to keep")
    return min(days), max(days)


def trim_document(doc: Mapping[str, Any], request: m.Request, snapshot: Snapshot,
                  margin_days: int = 1) -> dict[str, Any]:
    """``doc`` holding only what checking ``request`` against it reads (see above)."""
    first, last = request_days(request, snapshot)
    lo, hi = first - timedelta(days=margin_days), last + timedelta(days=margin_days)
    kept = {str(lo + timedelta(days=k)) for k in range((hi - lo).days + 1)}
    clients = {s.client_id for s in request.schedules if s.client_id}
    if request.client_id:
        clients.add(request.client_id)
    moved = request.appointment_id

    def items(key: str) -> list[Any]:
        value = doc.get(key)
        return [] if value is None else _page_items(value, key, "<snapshot>", key)

    out: dict[str, Any] = {k: doc[k] for k in ("branch", "conventions") if k in doc}
    for key in _WHOLE:
        if key in doc:
            out[key] = items(key)
    if "clients" in doc:
        out["clients"] = [c for c in items("clients") if isinstance(c, dict)
                          and c.get("clientId") in clients]
    if "clientCourses" in doc:
        out["clientCourses"] = [c for c in items("clientCourses") if isinstance(c, dict)
                                and c.get("clientId") in clients]
    if "appointments" in doc:
        out["appointments"] = [
            a for a in items("appointments") if isinstance(a, dict) and (
                str(a.get("appointmentDate")) in kept or a.get("clientId") in clients
                or (moved is not None and a.get("appointmentId") == moved))]
    if "workTimeTables" in doc:
        rosters = []
        for row in items("workTimeTables"):
            if not isinstance(row, dict):
                continue
            slots = [t for t in row.get("timeSlots") or [] if isinstance(t, dict)
                     and str(t.get("date")) in kept]
            rosters.append({**row, "timeSlots": slots})
        out["workTimeTables"] = rosters
    if "breaks" in doc:
        out["breaks"] = [b for b in items("breaks") if isinstance(b, dict)
                         and str(b.get("breakDate")) in kept]
    out["coverage"] = _coverage(doc.get("coverage"), lo, hi)
    return out


def _coverage(given: object, lo: date, hi: date) -> dict[str, Any]:
    """The kept days, within the coverage the whole snapshot declared."""
    cov: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
    start, end = str(lo), str(hi)
    if isinstance(cov.get("from"), str) and len(cov["from"]) == 10:
        start = max(start, cov["from"])
    if isinstance(cov.get("to"), str) and len(cov["to"]) == 10:
        end = min(end, cov["to"])
    out: dict[str, Any] = {"from": start, "to": end}
    if cov.get("fetchedAt") is not None:
        out["fetchedAt"] = cov["fetchedAt"]
    return out
