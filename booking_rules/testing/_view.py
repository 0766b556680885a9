"""Reading a snapshot document (``cases/FORMAT.md``) the way the strategies need to: its
lists as plain items, and :class:`View`, the ids, roster slots, days and durations the
request and scenario strategies draw from. Also :func:`now_for`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ._adapter import Snapshot
from ._clock import clock_minutes, wall

#: A snapshot document and a ``{"kind", "body"}`` request, as plain JSON-like dicts.
Doc = dict[str, Any]
Request = dict[str, Any]


def items_of(doc: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """A snapshot list as plain items (a list, one HAL page or a list of HAL pages)."""
    value = doc.get(key) or []
    pages = [value] if isinstance(value, dict) else list(value)
    out: list[dict[str, Any]] = []
    for page in pages:
        if isinstance(page, dict) and "_embedded" in page:
            embedded = page["_embedded"]
            lists = embedded.values() if isinstance(embedded, dict) else [embedded]
            for items in lists:
                out.extend(i for i in items if isinstance(i, dict))
        elif isinstance(page, dict):
            out.append(page)
    return out


class View:
    """What the request strategies need to know about a snapshot document."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.zone = ZoneInfo(str(doc["branch"]["timeZone"]))
        conv = doc.get("conventions") or {}
        self.utc = conv.get("appointmentTimes") == "utc"
        self.staff = {s["staffId"]: s for s in items_of(doc, "staff")}
        self.services = {s["serviceId"]: s for s in items_of(doc, "services")}
        self.rooms = [r["roomId"] for r in items_of(doc, "rooms")]
        self.machines = [m["machineId"] for m in items_of(doc, "machines")]
        self.offers = [o["specialOfferId"] for o in items_of(doc, "specialOffers")]
        self.course_items = [it["clientCourseItemId"] for cc in items_of(doc, "clientCourses")
                             for it in cc.get("clientCourseItems") or []]
        self.appointments = items_of(doc, "appointments")
        clients = [c["clientId"] for c in items_of(doc, "clients")]
        clients += [a["clientId"] for a in self.appointments if a.get("clientId")]
        self.clients = list(dict.fromkeys(clients)) or ["cli_new"]
        slots = [s for t in items_of(doc, "workTimeTables") for s in t.get("timeSlots") or []]
        days = sorted({date.fromisoformat(s["date"]) for s in slots})
        self.working_days = sorted({date.fromisoformat(s["date"]) for s in slots
                                    if s.get("type") == "WORKING"})
        if not days:
            days = sorted({date.fromisoformat(a["appointmentDate"])
                           for a in self.appointments}) or [date(2026, 12, 1)]
        self.days = days
        # WORKING slots per staff member: (local date, first minute, last minute).
        self.slots: dict[str, list[tuple[date, int, int]]] = {}
        for table in items_of(doc, "workTimeTables"):
            for slot in table.get("timeSlots") or []:
                if slot.get("type") != "WORKING":
                    continue
                lo, hi = clock_minutes(slot["startTime"]), clock_minutes(slot["endTime"])
                self.slots.setdefault(str(table["staffId"]), []).append(
                    (date.fromisoformat(slot["date"]), lo, hi if hi > lo else hi + 1440))
        # Existing appointments on a roster day: (local date, wall-clock minute).
        self.near: list[tuple[date, int]] = []
        for a in self.appointments:
            read_day = date.fromisoformat(a["appointmentDate"])
            clock = time(0) if not a.get("startTime") else time.fromisoformat(
                str(a["startTime"]))
            when = datetime.combine(read_day, clock, tzinfo=UTC if self.utc else self.zone)
            local = when.astimezone(self.zone)
            if local.date() in days:
                self.near.append((local.date(), local.hour * 60 + local.minute // 15 * 15))

    def minutes(self, service_id: str | None, staff_id: str | None) -> tuple[int, int, int]:
        """(main duration, gap, finish) of ``service_id`` done by ``staff_id``."""
        service = self.services.get(service_id or "")
        if service is None:
            return 30, 0, 0
        user = (self.staff.get(staff_id or "") or {}).get("userId")
        duration = int(service.get("duration") or 0)
        for ud in service.get("userDurations") or []:
            if user is not None and ud.get("userRef") == user:
                duration = int(ud["duration"])
        finish = int(service.get("finishDuration") or 0)
        return duration, int(service.get("gapTime") or 0) if finish else 0, finish

    def span_minutes(self, service_id: str | None, staff_id: str | None) -> int:
        return sum(self.minutes(service_id, staff_id))


def now_for(snapshot: Mapping[str, Any] | Snapshot) -> datetime:
    """A ``now`` for checking requests against ``snapshot`` (a document or a loaded
    ``Snapshot``): one week before local midnight of the first day it holds, as
    ``find_slots`` reads it (its declared ``coverage``, else its rosters), so every day
    it holds lies in the future, with notice to spare."""
    if isinstance(snapshot, Snapshot):
        first = _first_day(snapshot)
        if first is None:
            raise ValueError("a snapshot with neither coverage nor rosters holds no day")
        return wall(snapshot.zone, first, 0) - timedelta(days=7)
    view = View(snapshot)
    cov = snapshot.get("coverage") or {}
    start = cov.get("from") if isinstance(cov, Mapping) else None
    if isinstance(start, str):
        first_day = (date.fromisoformat(start) if len(start) == 10 else
                     datetime.fromisoformat(start.replace("Z", "+00:00"))
                     .astimezone(view.zone).date())
        return wall(view.zone, first_day, 0) - timedelta(days=7)
    return wall(view.zone, view.days[0], 0) - timedelta(days=7)


def _first_day(snapshot: Snapshot) -> date | None:
    if snapshot.coverage.start is not None:
        return snapshot.coverage.start.astimezone(snapshot.zone).date()
    span = snapshot.roster_range
    return span[0] if span is not None else None

