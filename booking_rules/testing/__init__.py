"""Hypothesis strategies for booking_rules: realistic salons, requests, and refusals.

Integrators have no Phorest sandbox. These strategies stand in for one: they generate
branch snapshots (the document of ``cases/FORMAT.md``), booking requests against them,
requests that pass, and, for each of the nineteen Phorest codes, scenarios that Phorest
would refuse with that code::

    from hypothesis import given
    from booking_rules import testing as brt

    @given(brt.snapshots().flatmap(brt.passing_requests))
    def test_my_widget_only_sends_what_phorest_accepts(request): ...

Hypothesis is an optional dependency (the ``test`` extra): ``import booking_rules`` never
imports it, this module does.

What each strategy guarantees (sound, not complete: every value is valid, not every valid
value can be drawn):

* :func:`snapshots` -- a dict ``load_snapshot`` always reads without error or notice, whose
  every reference resolves (appointments name existing staff, services, clients, rooms,
  machines, offers and course items; services name existing rooms and machines; ...). It
  always has a walk-in client with no appointment, and a first service its first staff
  member can do in the first hour of their first working day (see :func:`passing_requests`).
* :func:`requests` -- a ``{"kind", "body"}`` createBooking or updateAppointment request that
  the engine parses (no ``InputError``), naming only the snapshot's ids, each client's
  first service starting on the quarter-hour grid (local wall clock, DST gaps and folds
  included) of a roster day.
* :func:`passing_requests` -- a request ``check`` answers ``PASS`` for, drawn from
  :func:`booking_rules.find_slots`; never filtered, so it never gives up on a snapshot
  :func:`snapshots` made.
* :func:`violations` -- a :class:`Scenario` that ``check`` refuses with the given code at
  error severity, built so by construction (a base salon plus the conflicting data).

Everything shrinks toward the smallest salon: one staff member, one day, one service, no
appointment.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .. import check, find_slots, load_snapshot
from .._time import format_utc
from ..core.report import Report
from ..core.ruleset import Ruleset
from ..core.snapshot import Snapshot
from ..platforms.phorest.codes import API_CODES as PHOREST_CODES
from .pne import now_for_pne, pne_appointments, pne_locations, pne_orders

__all__ = [
    "DEFAULT_ZONES",
    "WALK_IN",
    "Scenario",
    "now_for",
    "now_for_pne",
    "passing_requests",
    "pne_appointments",
    "pne_locations",
    "pne_orders",
    "requests",
    "snapshots",
    "violations",
]

Doc = dict[str, Any]
Request = dict[str, Any]

#: Zones the salons live in: DST in both hemispheres (Toronto, London, Dublin's negative
#: DST, Sydney, Auckland) and none (Tokyo, UTC).
DEFAULT_ZONES: tuple[str, ...] = (
    "America/Toronto", "Europe/London", "Australia/Sydney", "Pacific/Auckland",
    "Asia/Tokyo", "UTC", "Europe/Dublin",
)

_FIRST_DAY = date(2026, 1, 1)
_LAST_DAY = date(2027, 12, 31)
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_BRANCH_NAMES = {
    "America/Toronto": "Queen St", "Europe/London": "Shoreditch", "Europe/Dublin": "Grafton St",
    "Australia/Sydney": "Bondi", "Pacific/Auckland": "Ponsonby", "Asia/Tokyo": "Omotesando",
    "UTC": "Head Office",
}
_STAFF_NAMES = (("Lisa", "Moreau"), ("John", "Okafor"), ("Ann", "Kowalski"), ("Raj", "Patel"),
                ("Mei", "Tanaka"), ("Tom", "Byrne"))
_CLIENT_NAMES = (("Mary", "Client"), ("Ida", "Client"), ("Lou", "Client"), ("Cara", "Client"),
                 ("Ben", "Client"))
_SERVICE_NAMES = ("Cut & Blow-dry", "Full Head Colour", "Blow-dry", "Hydrating Facial",
                  "Laser Hair Removal", "Gel Nails")
_ROOM_NAMES = ("Treatment 1", "Facial suite", "Treatment 2")
_MACHINE_NAMES = ("Diode laser", "IPL", "Steamer")
_SOURCES = ("API", "ONLINE", "SALON")
#: The client every generated snapshot holds without a single appointment.
WALK_IN = "cli_walkin"
_QUARTER = timedelta(minutes=15)

_rarely = st.integers(0, 7).map(lambda n: n == 7)


# --- small helpers shared by the strategies ---------------------------------------------


def _minutes(clock: str) -> int:
    parsed = time.fromisoformat(clock)
    return parsed.hour * 60 + parsed.minute


def _hms(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def _wall(zone: ZoneInfo, day: date, minutes: int) -> datetime:
    """The instant of wall clock ``day`` + ``minutes`` after midnight: the engine's policy
    (a time in a spring-forward gap moves forward by the gap, a fold takes its first
    occurrence), which is what ``fold=0`` gives."""
    clock = time(minutes // 60, minutes % 60)
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _read_times(zone: ZoneInfo, utc: bool, start: datetime, end: datetime
                ) -> dict[str, str]:
    """``appointmentDate``/``startTime``/``endTime`` of ``[start, end)`` as the snapshot's
    convention writes them (local wall clock, or UTC)."""
    tz = UTC if utc else zone
    s, e = start.astimezone(tz), end.astimezone(tz)
    return {"appointmentDate": s.date().isoformat(), "startTime": s.strftime("%H:%M:%S"),
            "endTime": e.strftime("%H:%M:%S")}


@functools.cache
def _transition_days(zone_name: str) -> tuple[date, ...]:
    """The local dates in 2026-2027 on which ``zone_name`` changes its UTC offset."""
    zone = ZoneInfo(zone_name)
    out: list[date] = []
    day = _FIRST_DAY
    while day <= _LAST_DAY:
        nxt = day + timedelta(days=1)
        if (datetime.combine(day, time(0), tzinfo=zone).utcoffset()
                != datetime.combine(nxt, time(0), tzinfo=zone).utcoffset()):
            out.append(day)
        day = nxt
    return tuple(out)


def _items(doc: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
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


class _View:
    """What the request strategies need to know about a snapshot document."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.zone = ZoneInfo(str(doc["branch"]["timeZone"]))
        conv = doc.get("conventions") or {}
        self.utc = conv.get("appointmentTimes") == "utc"
        self.staff = {s["staffId"]: s for s in _items(doc, "staff")}
        self.services = {s["serviceId"]: s for s in _items(doc, "services")}
        self.rooms = [r["roomId"] for r in _items(doc, "rooms")]
        self.machines = [m["machineId"] for m in _items(doc, "machines")]
        self.offers = [o["specialOfferId"] for o in _items(doc, "specialOffers")]
        self.course_items = [it["clientCourseItemId"] for cc in _items(doc, "clientCourses")
                             for it in cc.get("clientCourseItems") or []]
        self.appointments = _items(doc, "appointments")
        clients = [c["clientId"] for c in _items(doc, "clients")]
        clients += [a["clientId"] for a in self.appointments if a.get("clientId")]
        self.clients = list(dict.fromkeys(clients)) or ["cli_new"]
        slots = [s for t in _items(doc, "workTimeTables") for s in t.get("timeSlots") or []]
        days = sorted({date.fromisoformat(s["date"]) for s in slots})
        self.working_days = sorted({date.fromisoformat(s["date"]) for s in slots
                                    if s.get("type") == "WORKING"})
        if not days:
            days = sorted({date.fromisoformat(a["appointmentDate"])
                           for a in self.appointments}) or [date(2026, 12, 1)]
        self.days = days
        # WORKING slots per staff member: (local date, first minute, last minute).
        self.slots: dict[str, list[tuple[date, int, int]]] = {}
        for table in _items(doc, "workTimeTables"):
            for slot in table.get("timeSlots") or []:
                if slot.get("type") != "WORKING":
                    continue
                lo, hi = _minutes(slot["startTime"]), _minutes(slot["endTime"])
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


def now_for(snapshot: Mapping[str, Any]) -> datetime:
    """A ``now`` for checking requests against ``snapshot``: one week before local midnight
    of its first roster day (so every roster day lies in the future, with notice to spare)."""
    view = _View(snapshot)
    return _wall(view.zone, view.days[0], 0) - timedelta(days=7)


# --- snapshots ------------------------------------------------------------------------------


def snapshots(*, zones: Sequence[str] = DEFAULT_ZONES, max_staff: int = 3, max_days: int = 3,
              max_services: int = 4, max_appointments: int = 8,
              finish_durations: bool = True) -> st.SearchStrategy[Doc]:
    """Snapshot documents (``cases/FORMAT.md``) of one small branch.

    A branch in one of ``zones`` (starting on or just before a DST change about half the
    time), 1..``max_staff`` staff with qualifications (``disqualifiedServices``,
    ``disqualifiedStaff``) and ``userDurations``, 1..``max_days`` consecutive roster days
    (``WORKING`` slots, split shifts, time off, ``NON_WORKING`` and ``NOT_SPECIFIED``
    slots, days off), staff/room/machine breaks, rooms, machines, special offers, courses
    with client courses, and 0..``max_appointments`` appointments in every activation state
    (``ACTIVE``, ``RESERVED``, ``CANCELED``, ``deleted``), some in the weeks before the
    roster. Appointment times follow ``conventions.appointmentTimes`` (undeclared, local or
    utc). ``finish_durations=False`` leaves out services with a finish block.

    Guarantees: ``load_snapshot`` reads it without an error or a notice; every id it
    references exists; client ``cli_walkin`` has no appointment; the first service
    (``svc_1``: no room, machine, finish, add-on or archive flag, internet-enabled, at most
    60 minutes) can be done by the first staff member (``stf_1``: not archived, not hidden
    online) in the first hour of their first working day, which nothing blocks.
    """
    if not zones:
        raise InvalidArgument("zones must name at least one IANA zone")
    for name in zones:
        ZoneInfo(name)
    for label, value in (("max_staff", max_staff), ("max_days", max_days),
                         ("max_services", max_services)):
        if value < 1:
            raise InvalidArgument(f"{label} must be at least 1, got {value}")
    if max_appointments < 0:
        raise InvalidArgument(f"max_appointments must be at least 0, got {max_appointments}")
    return _salon(tuple(zones), max_staff, max_days, max_services, max_appointments,
                  finish_durations)


def _subset(draw: st.DrawFn, pool: Sequence[str], max_size: int | None = None) -> list[str]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), unique=True,
                         max_size=len(pool) if max_size is None else max_size))


@st.composite
def _salon(draw: st.DrawFn, zones: tuple[str, ...], max_staff: int, max_days: int,
           max_services: int, max_appointments: int, finish: bool) -> Doc:
    zone_name = draw(st.sampled_from(zones))
    zone = ZoneInfo(zone_name)
    n_days = draw(st.integers(1, max_days))
    transitions = _transition_days(zone_name)
    if bool(transitions) and draw(st.booleans()):
        first_day = draw(st.sampled_from(transitions)) - timedelta(
            days=draw(st.integers(0, n_days - 1)))
    else:
        first_day = draw(st.dates(_FIRST_DAY, _LAST_DAY - timedelta(days=max_days)))
    days = [first_day + timedelta(days=k) for k in range(n_days)]
    convention = draw(st.sampled_from((None, "local", "utc")))
    branch_id = "br_1"

    rooms: list[dict[str, Any]] = [{"roomId": f"room_{i + 1}", "name": _ROOM_NAMES[i],
              "capacity": draw(st.sampled_from((1, 2, 3)))}
             for i in range(draw(st.integers(0, 2)))]
    machines: list[dict[str, Any]] = [{"machineId": f"mach_{i + 1}", "name": _MACHINE_NAMES[i],
                 "quantity": draw(st.sampled_from((1, 2)))}
                for i in range(draw(st.integers(0, 2)))]
    room_ids = [str(r["roomId"]) for r in rooms]
    machine_ids = [str(m["machineId"]) for m in machines]

    n_staff = draw(st.integers(1, max_staff))
    staff_ids = [f"stf_{i + 1}" for i in range(n_staff)]
    n_services = draw(st.integers(1, max_services))
    service_ids = [f"svc_{i + 1}" for i in range(n_services)]

    services: list[dict[str, Any]] = []
    for i, sid in enumerate(service_ids):
        first = i == 0
        service: dict[str, Any] = {
            "serviceId": sid, "name": _SERVICE_NAMES[i % len(_SERVICE_NAMES)],
            "duration": draw(st.sampled_from((30, 45, 60, 15) if first
                                             else (30, 45, 60, 15, 20, 90, 120))),
            "price": 40.0 + 15 * i,
            "internetEnabled": True if first else not draw(_rarely),
            "archived": False if first else draw(_rarely),
        }
        if not first and draw(_rarely):
            service["isAddonOnly"] = True
        users = _subset(draw, [f"usr_{j + 1}" for j in range(n_staff)])
        if users:
            service["userDurations"] = [
                {"userRef": u, "duration": draw(st.sampled_from((30, 45, 60, 15)))}
                for u in users]
        dq = _subset(draw, staff_ids[1:] if first else staff_ids, 1)
        if dq:
            service["disqualifiedStaff"] = dq
        if not first:
            rids = _subset(draw, room_ids)
            mids = _subset(draw, machine_ids)
            if rids:
                service["roomIds"] = rids
            if mids:
                service["machineIds"] = mids
            if finish and draw(_rarely):
                service["finishDuration"] = draw(st.sampled_from((15, 30)))
                service["gapTime"] = draw(st.sampled_from((0, 15, 30)))
        services.append(service)

    staff: list[dict[str, Any]] = []
    for i, sid in enumerate(staff_ids):
        first_name, last_name = _STAFF_NAMES[i % len(_STAFF_NAMES)]
        staff.append({
            "staffId": sid, "userId": f"usr_{i + 1}", "firstName": first_name,
            "lastName": last_name,
            "disqualifiedServices": _subset(draw, service_ids[1:] if i == 0 else service_ids,
                                            1),
            "archived": False if i == 0 else draw(_rarely),
            "hideFromOnlineBookings": False if i == 0 else draw(_rarely),
        })

    # Rosters: branch-local wall clock. Shifts start 07:00-10:00 and end by 20:00; the
    # first staff member's first day starts by 09:00 and keeps its first hour free.
    tables: list[dict[str, Any]] = []
    free_start: datetime | None = None
    free_end: datetime | None = None
    for i, sid in enumerate(staff_ids):
        slots: list[dict[str, Any]] = []
        for k, day in enumerate(days):
            guaranteed = i == 0 and k == 0
            kind = "WORKING" if guaranteed else draw(st.sampled_from(
                ("WORKING", "WORKING", "NON_WORKING", "NOT_SPECIFIED", "NONE")))
            if kind == "NONE":
                continue
            if kind != "WORKING":
                slots.append({"date": day.isoformat(), "startTime": "09:00:00",
                              "endTime": "17:00:00", "type": kind})
                continue
            start = draw(st.sampled_from((540, 480, 420, 510) if guaranteed
                                         else (540, 480, 420, 510, 570, 600)))
            end = start + 60 * draw(st.integers(4, 10))
            if guaranteed:
                free_start, free_end = _wall(zone, day, start), _wall(zone, day, start + 60)
            if draw(st.booleans()) and end - start >= 240:
                cut = start + 120 + 30 * draw(st.integers(0, (end - start - 240) // 30))
                resume = cut + draw(st.sampled_from((0, 30, 60)))
                slots.append({"date": day.isoformat(), "startTime": _hms(start),
                              "endTime": _hms(cut), "type": "WORKING"})
                slots.append({"date": day.isoformat(), "startTime": _hms(resume),
                              "endTime": _hms(max(end, resume + 60)), "type": "WORKING"})
                continue
            slot = {"date": day.isoformat(), "startTime": _hms(start), "endTime": _hms(end),
                    "type": "WORKING"}
            if draw(st.booleans()):
                off = start + 120 + 30 * draw(st.integers(0, (end - start - 180) // 30))
                slot["timeOffStartTime"] = _hms(off)
                slot["timeOffEndTime"] = _hms(min(off + draw(st.sampled_from((30, 60))),
                                                  end - 30))
            slots.append(slot)
        tables.append({"staffId": sid, "branchId": branch_id, "timeSlots": slots})
    assert free_start is not None and free_end is not None

    # Breaks lie 11:00-18:00, after every guaranteed first hour.
    breaks: list[dict[str, Any]] = []
    targets = [("staffId", s) for s in staff_ids] + [("roomId", r) for r in room_ids] + [
        ("machineId", m) for m in machine_ids]
    for k in range(draw(st.integers(0, 3))):
        key, target = draw(st.sampled_from(targets))
        day = draw(st.sampled_from(days))
        start = 660 + 15 * draw(st.integers(0, 23))
        breaks.append({"breakId": f"brk_{k + 1}", "breakDate": day.isoformat(),
                       "startTime": _hms(start),
                       "endTime": _hms(start + draw(st.sampled_from((30, 15, 60)))),
                       key: target, "label": "Lunch" if key == "staffId" else "Cleaning"})

    clients = [{"clientId": WALK_IN, "firstName": "Walk-in", "lastName": "Client"}]
    for k in range(draw(st.integers(1, 3))):
        first_name, last_name = _CLIENT_NAMES[k]
        clients.append({"clientId": f"cli_{k + 1}", "firstName": first_name,
                        "lastName": last_name})
    regulars = [c["clientId"] for c in clients[1:]]

    offers: list[dict[str, Any]] = []
    for k in range(draw(st.integers(0, 2))):
        offer: dict[str, Any] = {
            "specialOfferId": f"so_{k + 1}", "name": f"Offer {k + 1}",
            "serviceIds": draw(st.lists(st.sampled_from(service_ids), min_size=1,
                                        unique=True)),
        }
        if draw(st.booleans()):
            offer["startDate"] = (first_day + timedelta(days=draw(st.integers(-30, 2)))
                                  ).isoformat()
        if draw(st.booleans()):
            offer["endDate"] = (days[-1] + timedelta(days=draw(st.integers(-2, 30)))
                                ).isoformat()
        windows = []
        for _ in range(draw(st.integers(0, 2))):
            w_start = 420 + 30 * draw(st.integers(0, 16))
            windows.append({
                "days": sorted(draw(st.lists(st.sampled_from(_WEEKDAYS), min_size=1,
                                             unique=True)), key=_WEEKDAYS.index),
                "startTime": _hms(w_start),
                "endTime": _hms(min(w_start + 60 * draw(st.integers(1, 8)), 23 * 60)),
            })
        if windows:
            offer["allowedTimes"] = windows
        if draw(st.booleans()):
            offer["maxConcurrent"] = draw(st.integers(1, 2))
        if draw(st.booleans()):
            offer["maxPerDay"] = draw(st.integers(1, 3))
        excluded = _subset(draw, staff_ids, 1)
        if excluded:
            offer["excludedStaffIds"] = excluded
        offers.append(offer)

    courses: list[dict[str, Any]] = []
    for k in range(draw(st.integers(0, 1))):
        course: dict[str, Any] = {"courseId": f"crs_{k + 1}", "name": f"Course x6 ({k + 1})"}
        low = draw(st.one_of(st.none(), st.integers(1, 14)))
        if low is not None:
            course["minDaysBetweenSessions"] = low
        if draw(st.booleans()):
            course["maxDaysBetweenSessions"] = (low or 0) + draw(st.integers(0, 42))
        courses.append(course)
    client_courses: list[dict[str, Any]] = []
    if courses:
        for k in range(draw(st.integers(0, 2))):
            items = [{"clientCourseItemId": f"cci_{k + 1}_{j + 1}",
                      "serviceId": draw(st.sampled_from(service_ids)),
                      "initialUnits": 6, "remainingUnits": draw(st.integers(0, 6))}
                     for j in range(draw(st.integers(1, 2)))]
            client_courses.append({
                "clientCourseId": f"cc_{k + 1}",
                "clientId": draw(st.sampled_from(regulars)),
                "courseId": draw(st.sampled_from([c["courseId"] for c in courses])),
                "purchaseDate": (first_day - timedelta(days=90)).isoformat(),
                "expiryDate": (days[-1] + timedelta(days=draw(st.integers(-1, 180)))
                               ).isoformat(),
                "archived": False,
                "clientCourseItems": items,
            })

    appointments: list[dict[str, Any]] = []
    durations = _View({"branch": {"timeZone": zone_name}, "staff": staff,
                       "services": services})
    for k in range(draw(st.integers(0, max_appointments))):
        offset = draw(st.one_of(st.integers(0, n_days - 1), st.integers(-60, -1)))
        day = first_day + timedelta(days=offset)
        staff_id = draw(st.sampled_from(staff_ids))
        service_id = draw(st.sampled_from(service_ids))
        client_id = draw(st.sampled_from(regulars))
        minutes = draw(st.one_of(st.none(), st.sampled_from((15, 30, 60)))) or (
            durations.minutes(service_id, staff_id)[0])
        start_min = 420 + 15 * draw(st.integers(0, 51))
        begins = _wall(zone, day, start_min)
        if staff_id == staff_ids[0] and begins < free_end and (
                begins + timedelta(minutes=minutes) > free_start):
            begins = free_end + _QUARTER * (start_min % 4)
        ends = begins + timedelta(minutes=minutes)
        appt: dict[str, Any] = {
            "appointmentId": f"ap_{k + 1}", "version": draw(st.integers(1, 4)),
            "branchId": branch_id, **_read_times(zone, convention == "utc", begins, ends),
            "clientId": client_id, "staffId": staff_id, "serviceId": service_id,
            "activationState": draw(st.sampled_from(("ACTIVE", "ACTIVE", "RESERVED",
                                                     "CANCELED"))),
            "state": "BOOKED", "deleted": draw(_rarely),
            "staffRequest": draw(st.booleans()), "source": draw(st.sampled_from(_SOURCES)),
        }
        service = services[service_ids.index(service_id)]
        if service.get("roomIds") and draw(st.booleans()):
            appt["roomId"] = draw(st.sampled_from(service["roomIds"]))
        if service.get("machineIds") and draw(st.booleans()):
            appt["machineId"] = draw(st.sampled_from(service["machineIds"]))
        usable = [o["specialOfferId"] for o in offers if service_id in o["serviceIds"]]
        if bool(usable) and draw(st.booleans()):
            appt["specialOfferId"] = draw(st.sampled_from(usable))
        own = [it["clientCourseItemId"] for cc in client_courses if cc["clientId"] == client_id
               for it in cc["clientCourseItems"] if it["serviceId"] == service_id]
        if bool(own) and draw(st.booleans()):
            appt["clientCourseItemId"] = draw(st.sampled_from(own))
        appointments.append(appt)

    doc: Doc = {"branch": {"branchId": branch_id, "name": _BRANCH_NAMES.get(
        zone_name, "Main St"), "timeZone": zone_name}}
    if convention is not None:
        doc["conventions"] = {"appointmentTimes": convention}
    doc.update({
        "staff": staff, "services": services, "rooms": rooms, "machines": machines,
        "workTimeTables": tables, "breaks": breaks, "appointments": appointments,
        "specialOffers": offers, "courses": courses, "clientCourses": client_courses,
        "clients": clients,
    })
    return doc


# --- requests -------------------------------------------------------------------------------


def requests(snapshot: Mapping[str, Any], *,
             kinds: Iterable[str] = ("createBooking", "updateAppointment"),
             ) -> st.SearchStrategy[Request]:
    """Any ``{"kind", "body"}`` request against ``snapshot``: createBooking (one or two
    clients, one to three services each, back to back or not, with or without rooms,
    machines, special offers, course items and explicit end times, in every ISO-8601
    offset style including none) or updateAppointment (a move of one of its appointments,
    to another time, staff member, service or room). Ids come from the snapshot; starts
    lie on the quarter-hour grid of a roster day (local wall clock), often near an
    existing appointment (a back-to-back service starts when the one before it ends).
    Most requests fail some rule: that is the point."""
    view = _View(snapshot)
    wanted = tuple(kinds)
    unknown = set(wanted) - {"createBooking", "updateAppointment"}
    if unknown or not wanted:
        raise InvalidArgument(f"kinds must name createBooking and/or updateAppointment, got "
                              f"{wanted!r}")
    if not view.services or not view.staff:
        raise InvalidArgument("the snapshot needs at least one service and one staff member")
    options: list[st.SearchStrategy[Request]] = []
    if "createBooking" in wanted:
        options.append(_create_booking(view))
    if "updateAppointment" in wanted and view.appointments:
        options.append(_update_appointment(view))
    if not options:
        raise InvalidArgument("updateAppointment requests need a snapshot with appointments")
    return st.one_of(options)


def _start_instant(draw: st.DrawFn, view: _View, staff_id: str | None = None
                   ) -> tuple[date, int, datetime]:
    """A roster day, a wall-clock minute on the quarter-hour grid, and its instant: inside
    a WORKING slot of ``staff_id``, near an existing appointment, or anywhere that day
    (night hours included, so DST gaps and folds are reached)."""
    how = draw(st.sampled_from(("slot", "near", "any")))
    slots = view.slots.get(staff_id or "", [])
    if how == "slot" and slots:
        day, lo, hi = draw(st.sampled_from(slots))
        minutes = lo + 15 * draw(st.integers(0, max(0, (hi - lo) // 15 - 1)))
    elif how != "any" and view.near:
        day, at = draw(st.sampled_from(view.near))
        minutes = min(max(at + 15 * draw(st.integers(-4, 4)), 0), 1425)
    else:
        day = draw(st.sampled_from(view.days))
        minutes = 15 * draw(st.one_of(st.integers(28, 79), st.integers(0, 95)))
    day += timedelta(days=minutes // 1440)
    minutes %= 1440
    return day, minutes, _wall(view.zone, day, minutes)


def _instant_text(draw: st.DrawFn, view: _View, instant: datetime) -> str:
    style = draw(st.sampled_from(("Z", "local", "millis", "+00:00", "naive")))
    if style == "local":
        return instant.astimezone(view.zone).isoformat(timespec="seconds")
    if style == "millis":
        return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if style == "+00:00":
        return instant.astimezone(UTC).isoformat(timespec="seconds")
    if style == "naive":  # read as UTC, with a warning: the most common integration bug
        return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return format_utc(instant)


def _maybe(draw: st.DrawFn, pool: Sequence[str]) -> str | None:
    if not pool:
        return None
    return draw(st.one_of(st.none(), st.sampled_from(pool)))


@st.composite
def _create_booking(draw: st.DrawFn, view: _View) -> Request:
    client = draw(st.sampled_from(view.clients))
    services, staff = sorted(view.services), sorted(view.staff)
    groups = []
    for g in range(draw(st.integers(1, 2))):
        group_client = client if g == 0 else draw(st.sampled_from(view.clients))
        chain = draw(st.booleans())
        schedules: list[dict[str, Any]] = []
        previous_end: datetime | None = None
        for _ in range(draw(st.integers(1, 3))):
            service_id = draw(st.sampled_from(services))
            staff_id = draw(st.sampled_from(staff))
            if chain and previous_end is not None:
                start = previous_end
            else:
                start = _start_instant(draw, view, staff_id)[2]
            main, gap, finish = view.minutes(service_id, staff_id)
            previous_end = start + timedelta(minutes=main + gap + finish)
            sched: dict[str, Any] = {"serviceId": service_id, "staffId": staff_id,
                                     "startTime": _instant_text(draw, view, start)}
            if draw(_rarely):
                extra = draw(st.sampled_from((0, 15, -15)))
                sched["endTime"] = format_utc(start + timedelta(minutes=max(main + extra, 15)))
            listed = view.services[service_id]
            for key, pool in (("roomId", list(dict.fromkeys(
                    [*listed.get("roomIds", []), *view.rooms]))),
                    ("machineId", list(dict.fromkeys(
                        [*listed.get("machineIds", []), *view.machines]))),
                    ("specialOfferId", view.offers),
                    ("clientCourseItemId", view.course_items)):
                chosen = _maybe(draw, pool)
                if chosen is not None:
                    sched[key] = chosen
            if draw(_rarely):
                sched["staffRequest"] = True
            schedules.append(sched)
        group: dict[str, Any] = {"serviceSchedules": schedules}
        if g > 0 or draw(st.booleans()):
            group["clientId"] = group_client
        groups.append(group)
    body: dict[str, Any] = {"clientId": client, "clientAppointmentSchedules": groups}
    status = draw(st.sampled_from((None, "ACTIVE", "RESERVED")))
    if status is not None:
        body["bookingStatus"] = status
    return {"kind": "createBooking", "body": body}


@st.composite
def _update_appointment(draw: st.DrawFn, view: _View) -> Request:
    appt = draw(st.sampled_from(view.appointments))
    staff_id = draw(st.one_of(st.just(str(appt.get("staffId") or sorted(view.staff)[0])),
                              st.sampled_from(sorted(view.staff))))
    service_id = draw(st.one_of(st.none(), st.just(appt.get("serviceId")),
                                st.sampled_from(sorted(view.services))))
    day, minutes, start = _start_instant(draw, view, staff_id)
    version = int(appt.get("version") or 1) + draw(st.sampled_from((0, 0, 0, 1, -1)))
    body: dict[str, Any] = {"appointmentId": appt["appointmentId"], "version": version}
    main = view.minutes(service_id or appt.get("serviceId"), staff_id)[0]
    end = start + timedelta(minutes=main + draw(st.sampled_from((0, 0, 15))))
    if view.utc:
        times = _read_times(view.zone, True, start, end)
    else:  # local wall clock as written, DST gaps and folds included
        times = {"appointmentDate": day.isoformat(), "startTime": _hms(minutes),
                 "endTime": _hms(minutes + (end - start) // timedelta(minutes=1))}
    body["appointmentDate"] = times["appointmentDate"]
    body["startTime"] = times["startTime"]
    if draw(st.booleans()):
        body["endTime"] = times["endTime"]
    body["staffId"] = staff_id
    if service_id is not None:
        body["serviceId"] = service_id
    for key, pool in (("roomId", view.rooms), ("machineId", view.machines)):
        if bool(pool) and draw(_rarely):
            body[key] = draw(st.sampled_from(pool))
    if appt.get("clientId") and draw(st.booleans()):
        body["clientId"] = appt["clientId"]
    return {"kind": "updateAppointment", "body": body}


# --- passing requests -------------------------------------------------------------------------


def passing_requests(snapshot: Mapping[str, Any], *, now: datetime | None = None,
                     online: bool = False, ruleset: str | Path | Ruleset = "phorest",
                     kinds: Iterable[str] = ("createBooking", "updateAppointment"),
                     ) -> st.SearchStrategy[Request]:
    """Requests ``check(load_snapshot(snapshot), r, now=now, online=online)`` answers PASS.

    Drawn from :func:`booking_rules.find_slots` (one day, one service or a back-to-back
    pair, one staff member or any, for a client of the snapshot), never filtered: when the
    drawn combination has no free time, the others are tried in turn, down to the placeholder
    client of ``find_slots``. An update moves a blocking appointment to a free time of its
    own staff member and is kept only when ``check`` passes it; else a createBooking is
    drawn (with ``kinds=("updateAppointment",)`` alone, ``InvalidArgument`` is raised
    instead). ``now`` defaults to :func:`now_for`. Raises ``InvalidArgument`` when no time
    of the snapshot passes (never for a snapshot :func:`snapshots` made, at its default
    ``now``)."""
    when = now if now is not None else now_for(snapshot)
    if when.tzinfo is None:
        raise InvalidArgument("now must be an aware datetime")
    wanted = tuple(kinds)
    if not wanted or set(wanted) - {"createBooking", "updateAppointment"}:
        raise InvalidArgument(f"kinds must name createBooking and/or updateAppointment, got "
                              f"{wanted!r}")
    view = _View(snapshot)
    if not view.working_days:
        raise InvalidArgument("the snapshot has no WORKING roster slot, so no time passes")
    snap = load_snapshot(snapshot)
    return _passing(view, snap, when, online, ruleset, wanted)


@st.composite
def _passing(draw: st.DrawFn, view: _View, snap: Snapshot, now: datetime, online: bool,
             ruleset: str | Path | Ruleset, kinds: tuple[str, ...]) -> Request:
    services, staff, days = sorted(view.services), sorted(view.staff), view.working_days
    clients = [c for c in view.clients if c in {x["clientId"] for x in _items(
        view.doc, "clients")}] or view.clients
    if "updateAppointment" in kinds and ("createBooking" not in kinds
                                         or draw(st.booleans())):
        moved = _passing_update(draw, view, snap, now, online, ruleset)
        if moved is not None:
            return moved
        if "createBooking" not in kinds:
            raise InvalidArgument("no appointment of the snapshot can be moved to a time "
                                  "that passes")
    client_i = draw(st.integers(0, len(clients) - 1))
    service_i = draw(st.integers(0, len(services) - 1))
    staff_i = draw(st.integers(0, len(staff)))  # len(staff): any staff member
    day_i = draw(st.integers(0, len(days) - 1))
    pair = draw(_rarely)

    def rotate(seq: Sequence[Any], i: int) -> list[Any]:
        return [*seq[i:], *seq[:i]]

    def search(client: str | None, chain: list[str], staff_id: str | None, day: date
               ) -> list[Any]:
        start = _wall(view.zone, day, 0)
        end = _wall(view.zone, day + timedelta(days=1), 0)
        return find_slots(snap, chain, start=start, end=end, staff_id=staff_id,
                          client_id=client, online=online, now=now, ruleset=ruleset)

    first_service = services[service_i]
    chain = [first_service, draw(st.sampled_from(services))] if pair else [first_service]
    attempts: list[tuple[str | None, list[str], str | None, date]] = [
        (clients[client_i], chain, staff[staff_i] if staff_i < len(staff) else None,
         days[day_i])]
    for client in (clients[client_i], WALK_IN if WALK_IN in clients else None, None):
        for day in rotate(days, day_i):
            for service in rotate(services, service_i):
                attempts.append((client, [service], None, day))
    seen: set[tuple[str | None, tuple[str, ...], str | None, date]] = set()
    for client, services_, staff_id, day in attempts:
        key = (client, tuple(services_), staff_id, day)
        if key in seen:
            continue
        seen.add(key)
        found = search(client, services_, staff_id, day)
        if found:
            slot = draw(st.sampled_from(found))
            body = slot.booking(client)
            for group in body["clientAppointmentSchedules"]:
                for sched in group["serviceSchedules"]:
                    if draw(st.booleans()):  # the same instant, written with local offset
                        sched["startTime"] = datetime.fromisoformat(
                            sched["startTime"]).astimezone(view.zone).isoformat(
                            timespec="seconds")
            return {"kind": "createBooking", "body": body}
    raise InvalidArgument(f"no time of the snapshot passes check at now={now.isoformat()} "
                          "(every staff member is busy, off or unqualified on every roster "
                          "day, or the days are before now)")


def _passing_update(draw: st.DrawFn, view: _View, snap: Snapshot, now: datetime,
                    online: bool, ruleset: str | Path | Ruleset) -> Request | None:
    movable = [a for a in view.appointments if not a.get("deleted")
               and a.get("activationState", "ACTIVE") != "CANCELED"
               and a.get("staffId") in view.staff and a.get("serviceId") in view.services
               and a.get("version") is not None]
    if not movable:
        return None
    appt = draw(st.sampled_from(movable))
    day = draw(st.sampled_from(view.working_days))
    found = find_slots(snap, [appt["serviceId"]], start=_wall(view.zone, day, 0),
                       end=_wall(view.zone, day + timedelta(days=1), 0),
                       staff_id=appt["staffId"], client_id=appt.get("clientId"),
                       online=online, now=now, ruleset=ruleset)
    if not found:
        return None
    slot = draw(st.sampled_from(found))
    main = view.minutes(appt["serviceId"], appt["staffId"])[0]
    times = _read_times(view.zone, view.utc, slot.start,
                        slot.start + timedelta(minutes=main))
    body = {"appointmentId": appt["appointmentId"], "version": appt["version"], **times,
            "staffId": appt["staffId"]}
    request = {"kind": "updateAppointment", "body": body}
    if check(snap, request, now=now, online=online, ruleset=ruleset).verdict == "PASS":
        return request
    return None


# --- violations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A booking Phorest would refuse with ``code``: the snapshot document, the request
    (``{"kind", "body"}``), the instant of the check and whether it is an online booking.
    ``about`` says in one line how the scenario was built."""

    code: str
    snapshot: Doc
    request: Request
    now: datetime
    online: bool
    about: str = ""

    def check(self, ruleset: str | Path | Ruleset = "phorest") -> Report:
        """``check`` of this scenario, as its properties promise it."""
        return check(load_snapshot(self.snapshot), self.request, now=self.now,
                     online=self.online, ruleset=ruleset)


def violations(code: str) -> st.SearchStrategy[Scenario]:
    """Scenarios ``check`` refuses with the Phorest ``code`` at error severity (default
    ``phorest`` ruleset). Each is built by construction: a salon from :func:`snapshots`,
    plus the data that makes the request conflict (an overlapping appointment, a full room,
    a disqualification, a session too close, an offer out of its dates, ...), in several
    variants: createBooking, a move (updateAppointment), or a conflict between two
    schedules of the same request. Other codes may fire too."""
    try:
        builder = _BUILDERS[code]
    except KeyError:
        raise InvalidArgument(
            f"{code!r} is not one of the nineteen Phorest codes: {', '.join(PHOREST_CODES)}"
        ) from None
    return _scenario(code, builder)


class _Build:
    """A base salon being extended into a scenario: fresh ids, times in its convention."""

    def __init__(self, doc: Doc, day: date, minute: int, draw: st.DrawFn) -> None:
        self.doc = doc
        self.draw = draw
        self.view = _View(doc)
        self.zone, self.utc = self.view.zone, self.view.utc
        self.day, self.minute = day, minute
        self.start = _wall(self.zone, day, minute)
        self.count = 0
        self.about: list[str] = []

    # time
    def at(self, day: date, minute: int) -> datetime:
        return _wall(self.zone, day, minute)

    def refresh(self) -> None:
        self.view = _View(self.doc)

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}_v{self.count}"

    # entities
    def add(self, key: str, item: dict[str, Any]) -> dict[str, Any]:
        self.doc.setdefault(key, []).append(item)
        self.refresh()
        return item

    def service(self, **fields: Any) -> str:
        sid = self.fresh("svc")
        self.add("services", {"serviceId": sid, "name": f"Service {sid}",
                              "duration": self.draw(st.sampled_from((30, 45, 60, 15))),
                              "internetEnabled": True, **fields})
        return sid

    def any_service(self) -> str:
        """A service of the base salon (no rooms or machines), or a fresh one."""
        plain = [s["serviceId"] for s in _items(self.doc, "services")
                 if not s.get("roomIds") and not s.get("machineIds")]
        if bool(plain) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(sorted(plain))))
        return self.service()

    def staff(self) -> str:
        sid = self.fresh("stf")
        self.add("staff", {"staffId": sid, "userId": f"usr_{sid}", "firstName": "Vera",
                           "lastName": sid, "disqualifiedServices": []})
        return sid

    def any_staff(self) -> str:
        base = sorted(self.view.staff)
        if bool(base) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(base)))
        return self.staff()

    def client(self) -> str:
        cid = self.fresh("cli")
        self.add("clients", {"clientId": cid, "firstName": "Val", "lastName": cid})
        return cid

    def any_client(self) -> str:
        base = [c["clientId"] for c in _items(self.doc, "clients")]
        if bool(base) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(base)))
        return self.client()

    def roster(self, staff_id: str, slot: dict[str, Any]) -> None:
        for table in self.doc.setdefault("workTimeTables", []):
            if table.get("staffId") == staff_id:
                table.setdefault("timeSlots", []).append(slot)
                return
        self.add("workTimeTables", {"staffId": staff_id, "timeSlots": [slot]})

    def appointment(self, start: datetime, minutes: int, *, client: str, staff: str,
                    service: str, state: str | None = None, **links: Any) -> str:
        aid = self.fresh("ap")
        if state is None:
            state = self.draw(st.sampled_from(("ACTIVE", "RESERVED")))
        self.add("appointments", {
            "appointmentId": aid, "version": 1,
            **_read_times(self.zone, self.utc, start, start + timedelta(minutes=minutes)),
            "clientId": client, "staffId": staff, "serviceId": service,
            "activationState": state, "deleted": False, "staffRequest": False,
            "source": "API", **links})
        return aid

    # what a requested service occupies (RULES.md §2), as the engine computes it
    def main(self, service: str, staff: str) -> int:
        return self.view.minutes(service, staff)[0]

    def span(self, service: str, staff: str) -> int:
        return self.view.span_minutes(service, staff)

    def overlapping(self, target: datetime, target_minutes: int, own_minutes: int
                    ) -> datetime:
        """A quarter-hour start for an interval of ``own_minutes`` that overlaps
        ``[target, target + target_minutes)``."""
        k = self.draw(st.integers(-((own_minutes - 1) // 15), (target_minutes - 1) // 15))
        return target + _QUARTER * k

    # requests
    def schedule(self, service: str, staff: str, start: datetime, **extra: Any
                 ) -> dict[str, Any]:
        return {"serviceId": service, "staffId": staff, "startTime": format_utc(start), **extra}

    def create(self, client: str, *schedules: dict[str, Any]) -> Request:
        return {"kind": "createBooking", "body": {
            "clientId": client, "clientAppointmentSchedules": [
                {"clientId": client, "serviceSchedules": list(schedules)}]}}

    def update(self, appointment_id: str, start: datetime, staff: str, **extra: Any
               ) -> Request:
        appt = next(a for a in _items(self.doc, "appointments")
                    if a["appointmentId"] == appointment_id)
        service = str(extra.get("serviceId") or appt["serviceId"])
        end = start + timedelta(minutes=self.main(service, staff))
        times = _read_times(self.zone, self.utc, start, end)
        body = {"appointmentId": appointment_id, "version": appt["version"], **times,
                "staffId": staff, **extra}
        if self.draw(st.booleans()):
            del body["endTime"]
        return {"kind": "updateAppointment", "body": body}

    def elsewhere(self) -> datetime:
        """A start far from the scenario's day, for an appointment about to be moved."""
        return self.at(self.day + timedelta(days=self.draw(st.integers(200, 300))),
                       self.minute)

    def move_or_create(self, client: str, service: str, staff: str, start: datetime,
                       **links: Any) -> Request:
        """createBooking of ``service`` at ``start``, or a move there of an appointment of
        the same client and service booked far away (which carries ``links``)."""
        if self.draw(st.booleans()):
            self.about.append("createBooking")
            return self.create(client, self.schedule(service, staff, start, **links))
        moved = self.appointment(self.elsewhere(), self.main(service, staff), client=client,
                                 staff=staff, service=service, state="ACTIVE",
                                 **{k: v for k, v in links.items()
                                    if k in ("specialOfferId", "clientCourseItemId")})
        extra = {k: v for k, v in links.items() if k in ("roomId", "machineId")}
        if self.draw(st.booleans()):
            extra["clientId"] = client
        self.about.append(f"move of {moved}")
        return self.update(moved, start, staff, **extra)


_Builder = Callable[[_Build], Request]


@st.composite
def _scenario(draw: st.DrawFn, code: str, builder: _Builder) -> Scenario:
    doc = copy.deepcopy(draw(snapshots(max_staff=2, max_days=2, max_services=3,
                                       max_appointments=4)))
    view = _View(doc)
    day = draw(st.sampled_from(view.days))
    minute = 15 * draw(st.integers(32, 68))  # 08:00-17:00: clear of every DST change
    b = _Build(doc, day, minute, draw)
    request = builder(b)
    online = True if code == "INTERNET_BOOKING_ALREADY_BOOKED" else draw(st.booleans())
    now = b.at(day, 0) - timedelta(days=draw(st.integers(1, 30)))
    return Scenario(code, b.doc, request, now, online, f"{code}: " + "; ".join(b.about))


def _staff_unqualified(b: _Build) -> Request:
    staff = b.any_staff()
    service = b.service()
    how = b.draw(st.sampled_from(("disqualifiedServices", "disqualifiedStaff", "both")))
    if how in ("disqualifiedServices", "both"):
        member = next(s for s in b.doc["staff"] if s["staffId"] == staff)
        member["disqualifiedServices"] = [*member.get("disqualifiedServices", []), service]
    if how in ("disqualifiedStaff", "both"):
        listed = next(s for s in b.doc["services"] if s["serviceId"] == service)
        listed["disqualifiedStaff"] = [staff]
    b.refresh()
    b.about.append(f"{staff} in {how}")
    return b.move_or_create(b.any_client(), service, staff, b.start)


def _staff_requested(b: _Build) -> Request:
    requested = b.any_staff()
    other = b.staff()
    client, service = b.any_client(), b.any_service()
    state = b.draw(st.sampled_from(("ACTIVE", "RESERVED", "CANCELED")))
    appt = b.appointment(b.start, b.main(service, requested), client=client,
                         staff=requested, service=service, state=state)
    for a in b.doc["appointments"]:
        if a["appointmentId"] == appt:
            a["staffRequest"] = True
    when = b.at(b.day, b.minute + 15 * b.draw(st.integers(-4, 8)))
    b.about.append(f"{appt} requested {requested}, moved to {other}")
    return b.update(appt, when, other)


def _client_already_booked(b: _Build) -> Request:
    client, staff = b.any_client(), b.any_staff()
    service = b.any_service()
    own = b.span(service, staff)
    if b.draw(st.booleans()):  # two schedules of one request
        second_staff, second_service = b.staff(), b.any_service()
        b.about.append("two overlapping schedules of one request")
        later = b.overlapping(b.start, own, b.span(second_service, second_staff))
        return b.create(client, b.schedule(service, staff, b.start),
                        b.schedule(second_service, second_staff, later))
    other_staff, other_service = b.staff(), b.any_service()
    length = b.draw(st.sampled_from((30, 45, 60, 90)))
    held = b.appointment(b.overlapping(b.start, own, length), length, client=client,
                         staff=other_staff, service=other_service)
    b.about.append(f"client already in {held}")
    return b.move_or_create(client, service, staff, b.start)


def _staff_not_working(b: _Build) -> Request:
    service = b.any_service()
    how = b.draw(st.sampled_from(("day off", "time off", "break", "past the end",
                                  "before the start", "non-working slot", "no roster")))
    b.about.append(how)
    if how == "day off":
        staff = str(b.draw(st.sampled_from(sorted(b.view.staff))))
        day = max(b.view.days) + timedelta(days=b.draw(st.integers(1, 20)))
        return b.move_or_create(b.any_client(), service, staff, b.at(day, b.minute))
    staff = b.staff()
    if how == "no roster":
        return b.move_or_create(b.any_client(), service, staff, b.start)
    main = b.main(service, staff)
    if how == "non-working slot":
        b.roster(staff, {"date": b.day.isoformat(), "startTime": "07:00:00",
                         "endTime": "21:00:00",
                         "type": b.draw(st.sampled_from(("NON_WORKING", "NOT_SPECIFIED")))})
        return b.move_or_create(b.any_client(), service, staff, b.start)
    opens, closes = b.minute - 120, b.minute + 240
    slot: dict[str, Any] = {"date": b.day.isoformat(), "startTime": _hms(opens),
                            "endTime": _hms(closes), "type": "WORKING"}
    hole = b.at(b.day, b.minute + 60)
    hole_minutes = b.draw(st.sampled_from((15, 30, 60)))
    if how == "time off":
        slot["timeOffStartTime"] = _hms(b.minute + 60)
        slot["timeOffEndTime"] = _hms(b.minute + 60 + hole_minutes)
    b.roster(staff, slot)
    if how == "break":
        b.add("breaks", {"breakId": b.fresh("brk"), "breakDate": b.day.isoformat(),
                         "startTime": _hms(b.minute + 60),
                         "endTime": _hms(b.minute + 60 + hole_minutes), "staffId": staff,
                         "label": "Lunch"})
    if how in ("time off", "break"):
        start = b.overlapping(hole, hole_minutes, main)
    elif how == "past the end":
        start = b.overlapping(b.at(b.day, closes), 60, main)
    else:
        start = b.overlapping(b.at(b.day, opens - 60), 60, main)
    return b.move_or_create(b.any_client(), service, staff, start)


def _staff_double_booked(b: _Build) -> Request:
    staff = b.any_staff()
    how = b.draw(st.sampled_from(("existing", "two schedules", "finish block")))
    b.about.append(how)
    if how == "finish block":
        service = b.service(finishDuration=b.draw(st.sampled_from((15, 30))),
                            gapTime=b.draw(st.sampled_from((15, 30, 45))))
        main, gap, finish = b.view.minutes(service, staff)
        target, target_minutes = b.start + timedelta(minutes=main + gap), finish
    else:
        service = b.any_service()
        target, target_minutes = b.start, b.main(service, staff)
    if how == "two schedules":
        second = b.any_service()
        later = b.overlapping(target, target_minutes, b.main(second, staff))
        return b.create(b.client(), b.schedule(service, staff, b.start),
                        b.schedule(second, staff, later))
    length = b.draw(st.sampled_from((15, 30, 45, 60)))
    held = b.appointment(b.overlapping(target, target_minutes, length), length,
                         client=b.client(), staff=staff, service=b.any_service())
    b.about.append(f"staff already in {held}")
    return b.move_or_create(b.client(), service, staff, b.start)


def _capacity(b: _Build, kind: str) -> Request:
    """EXCEEDED_ROOM_CAPACITY (kind ``room``) or MACHINE_DOUBLE_BOOKED (``machine``)."""
    key, list_key, size_key, listed_key = (
        ("roomId", "rooms", "capacity", "roomIds") if kind == "room"
        else ("machineId", "machines", "quantity", "machineIds"))
    size = b.draw(st.sampled_from((1, 2, 3)))
    resource = b.fresh("room" if kind == "room" else "mach")
    b.add(list_key, {key: resource, "name": f"{kind} {resource}", size_key: size})
    named = b.draw(st.booleans())  # the request names the resource, or the service lists it
    service = b.service(**{listed_key: [resource]})
    staff, client = b.any_staff(), b.client()
    span = b.span(service, staff)
    if b.draw(st.booleans()):
        length = b.draw(st.sampled_from((15, 30, 60)))
        start = b.overlapping(b.start, span, length)
        b.add("breaks", {"breakId": b.fresh("brk"),
                         "breakDate": start.astimezone(b.zone).date().isoformat(),
                         "startTime": start.astimezone(b.zone).strftime("%H:%M:%S"),
                         "endTime": (start + timedelta(minutes=length)).astimezone(
                             b.zone).strftime("%H:%M:%S"), key: resource,
                         "label": "Maintenance"})
        b.about.append(f"a break of {resource}")
    else:
        # `size` appointments in it, all holding one common instant of the request's span
        instant = b.start + _QUARTER * b.draw(st.integers(0, (span - 1) // 15))
        for _ in range(size):
            before = b.draw(st.integers(0, 3))
            length = 15 * (before + b.draw(st.integers(1, 4)))
            b.appointment(instant - _QUARTER * before, length, client=b.client(),
                          staff=b.staff(), service=service, **{key: resource})
        b.about.append(f"{size} appointments in {resource} (size {size})")
    links = {key: resource} if named else {}
    b.about.append("named in the request" if named else "listed by the service")
    return b.move_or_create(client, service, staff, b.start, **links)


def _unsuitable(b: _Build, kind: str) -> Request:
    key, list_key, size_key, listed_key = (
        ("roomId", "rooms", "capacity", "roomIds") if kind == "room"
        else ("machineId", "machines", "quantity", "machineIds"))
    suitable, other = b.fresh(kind), b.fresh(kind)
    for rid in (suitable, other):
        b.add(list_key, {key: rid, "name": f"{kind} {rid}", size_key: 2})
    service = b.service(**{listed_key: [suitable]})
    b.about.append(f"{other} is not in the service's {listed_key}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start, **{key: other})


def _service_twice(b: _Build) -> Request:
    client, service, staff = b.any_client(), b.any_service(), b.any_staff()
    if b.draw(st.booleans()):
        b.about.append("twice in one request")
        later = b.start + timedelta(minutes=b.span(service, staff) + 15 * b.draw(
            st.integers(0, 8)))
        return b.create(client, b.schedule(service, staff, b.start),
                        b.schedule(service, b.staff(), later))
    other = b.at(b.day, 15 * b.draw(st.integers(32, 72)))
    held = b.appointment(other, b.main(service, staff), client=client, staff=b.staff(),
                         service=service)
    b.about.append(f"same service same day in {held}")
    if b.draw(st.booleans()):  # a move that changes the service to the one booked
        moved = b.appointment(b.elsewhere(), 30, client=client, staff=staff,
                              service=b.service(), state="ACTIVE")
        b.about.append(f"move of {moved} with serviceId")
        return b.update(moved, b.start, staff, serviceId=service)
    return b.move_or_create(client, service, staff, b.start)


def _internet_booking(b: _Build) -> Request:
    client = b.any_client()
    other = b.at(b.day, 15 * b.draw(st.integers(32, 72)))
    held = b.appointment(other, 30, client=client, staff=b.staff(), service=b.any_service())
    for a in b.doc["appointments"]:
        if a["appointmentId"] == held:
            a["source"] = "ONLINE"
    b.about.append(f"online booking {held} the same day")
    return b.move_or_create(client, b.any_service(), b.any_staff(), b.start)


def _course(b: _Build, **limits: int) -> tuple[str, str, str, str]:
    """A client with a course (``limits``) of one or two items: (client, item, other item,
    service of the item)."""
    course = b.fresh("crs")
    b.add("courses", {"courseId": course, "name": "Laser x6", **limits})
    client, service, other_service = b.any_client(), b.any_service(), b.any_service()
    item, other = b.fresh("cci"), b.fresh("cci")
    b.add("clientCourses", {
        "clientCourseId": b.fresh("cc"), "clientId": client, "courseId": course,
        "expiryDate": (b.day + timedelta(days=400)).isoformat(), "archived": False,
        "clientCourseItems": [
            {"clientCourseItemId": item, "serviceId": service, "initialUnits": 6,
             "remainingUnits": 4},
            {"clientCourseItemId": other, "serviceId": other_service, "initialUnits": 6,
             "remainingUnits": 4}]})
    return client, item, other, service


def _session_item(b: _Build, item: str, other: str) -> tuple[str, str]:
    """One of the course's two items for an existing session, and its service."""
    chosen = b.draw(st.sampled_from((item, other)))
    for cc in b.doc["clientCourses"]:
        for it in cc["clientCourseItems"]:
            if it["clientCourseItemId"] == chosen:
                return chosen, str(it["serviceId"])
    raise AssertionError(chosen)


def _min_days(b: _Build) -> Request:
    minimum = b.draw(st.integers(1, 14))
    client, item, other, service = _course(b, minDaysBetweenSessions=minimum)
    staff = b.any_staff()
    delta = b.draw(st.integers(-(minimum - 1), minimum - 1))
    when = b.at(b.day + timedelta(days=delta), 15 * b.draw(st.integers(32, 68)))
    if b.draw(st.booleans()) and delta > 0:
        b.about.append(f"two sessions {delta} days apart in one request (min {minimum})")
        return b.create(client, b.schedule(service, staff, b.start, clientCourseItemId=item),
                        b.schedule(service, b.staff(), when, clientCourseItemId=item))
    session_item, session_service = _session_item(b, item, other)
    held = b.appointment(when, 30, client=client, staff=b.staff(), service=session_service,
                         clientCourseItemId=session_item)
    b.about.append(f"session {held} {delta} days away (min {minimum})")
    return b.move_or_create(client, service, staff, b.start, clientCourseItemId=item)


def _max_days(b: _Build) -> Request:
    maximum = b.draw(st.integers(0, 42))
    client, item, other, service = _course(b, maxDaysBetweenSessions=maximum)
    staff = b.any_staff()
    gap = maximum + 1 + b.draw(st.integers(0, 20))
    when = b.at(b.day - timedelta(days=gap), 15 * b.draw(st.integers(32, 68)))
    if b.draw(st.booleans()):
        b.about.append(f"two sessions {gap} days apart in one request (max {maximum})")
        return b.create(client, b.schedule(service, b.staff(), when, clientCourseItemId=item),
                        b.schedule(service, staff, b.start, clientCourseItemId=item))
    session_item, session_service = _session_item(b, item, other)
    held = b.appointment(when, 30, client=client, staff=b.staff(), service=session_service,
                         clientCourseItemId=session_item)
    b.about.append(f"previous session {held} {gap} days before (max {maximum})")
    return b.move_or_create(client, service, staff, b.start, clientCourseItemId=item)


def _offer(b: _Build, service: str, **fields: Any) -> str:
    offer = b.fresh("so")
    b.add("specialOffers", {"specialOfferId": offer, "name": f"Offer {offer}",
                            "serviceIds": [service], **fields})
    return offer


def _offer_dates(b: _Build, before: bool) -> Request:
    service = b.any_service()
    days = b.draw(st.integers(1, 30))
    if before:
        fields = {"startDate": (b.day + timedelta(days=days)).isoformat()}
        if b.draw(st.booleans()):
            fields["endDate"] = (b.day + timedelta(days=days + 60)).isoformat()
    else:
        fields = {"endDate": (b.day - timedelta(days=days)).isoformat()}
        if b.draw(st.booleans()):
            fields["startDate"] = (b.day - timedelta(days=days + 60)).isoformat()
    offer = _offer(b, service, **fields)
    b.about.append(f"{offer} {fields}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start,
                            specialOfferId=offer)


def _offer_time(b: _Build) -> Request:
    service = b.any_service()
    weekday = b.day.weekday()
    windows = []
    for _ in range(b.draw(st.integers(1, 2))):
        if b.draw(st.booleans()):  # another weekday, any time
            others = [d for d in _WEEKDAYS if d != _WEEKDAYS[weekday]]
            days = b.draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
            start = 15 * b.draw(st.integers(28, 60))
            end = start + 60 * b.draw(st.integers(1, 6))
        else:  # this weekday, a window that ends by the start or begins after it
            days = [_WEEKDAYS[weekday]]
            if b.draw(st.booleans()):
                end = b.minute - 15 * b.draw(st.integers(0, 8))
                start = end - 60 * b.draw(st.integers(1, 3))
            else:
                start = b.minute + 15 * b.draw(st.integers(1, 8))
                end = start + 60 * b.draw(st.integers(1, 3))
        windows.append({"days": sorted(days, key=_WEEKDAYS.index), "startTime": _hms(start),
                        "endTime": _hms(end)})
    offer = _offer(b, service, allowedTimes=windows)
    b.about.append(f"{offer} windows {windows}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start,
                            specialOfferId=offer)


def _offer_concurrent(b: _Build) -> Request:
    service, staff = b.any_service(), b.any_staff()
    limit = b.draw(st.integers(1, 3))
    offer = _offer(b, service, maxConcurrent=limit)
    span = b.span(service, staff)
    instant = b.start + _QUARTER * b.draw(st.integers(0, (span - 1) // 15))
    for _ in range(limit):
        before = b.draw(st.integers(0, 3))
        b.appointment(instant - _QUARTER * before, 15 * (before + b.draw(st.integers(1, 4))),
                      client=b.client(), staff=b.staff(), service=service,
                      specialOfferId=offer)
    b.about.append(f"{limit} bookings on {offer} at one instant (max {limit})")
    return b.move_or_create(b.client(), service, staff, b.start, specialOfferId=offer)


def _offer_per_day(b: _Build) -> Request:
    service, staff = b.any_service(), b.any_staff()
    limit = b.draw(st.integers(1, 3))
    offer = _offer(b, service, maxPerDay=limit)
    for _ in range(limit):
        b.appointment(b.at(b.day, 15 * b.draw(st.integers(32, 72))), 30, client=b.client(),
                      staff=b.staff(), service=service, specialOfferId=offer)
    b.about.append(f"{limit} bookings on {offer} that day (max {limit})")
    return b.move_or_create(b.client(), service, staff, b.start, specialOfferId=offer)


def _offer_staff(b: _Build) -> Request:
    service, staff = b.any_service(), b.any_staff()
    others = b.draw(st.lists(st.sampled_from(sorted(b.view.staff)), unique=True))
    offer = _offer(b, service, excludedStaffIds=sorted({staff, *others}))
    b.about.append(f"{staff} excluded from {offer}")
    return b.move_or_create(b.any_client(), service, staff, b.start, specialOfferId=offer)


_BUILDERS: dict[str, _Builder] = {
    "STAFF_UNQUALIFIED": _staff_unqualified,
    "STAFF_REQUESTED": _staff_requested,
    "CLIENT_ALREADY_BOOKED_THIS_TIME": _client_already_booked,
    "STAFF_NOT_WORKING": _staff_not_working,
    "STAFF_DOUBLE_BOOKED": _staff_double_booked,
    "EXCEEDED_ROOM_CAPACITY": lambda b: _capacity(b, "room"),
    "ROOM_UNSUITABLE": lambda b: _unsuitable(b, "room"),
    "MACHINE_DOUBLE_BOOKED": lambda b: _capacity(b, "machine"),
    "MACHINE_UNSUITABLE": lambda b: _unsuitable(b, "machine"),
    "SERVICE_ALREADY_BOOKED_THIS_DAY": _service_twice,
    "INTERNET_BOOKING_ALREADY_BOOKED": _internet_booking,
    "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED": _min_days,
    "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED": _max_days,
    "SPECIAL_OFFER_BEFORE_START_DATE": lambda b: _offer_dates(b, before=True),
    "SPECIAL_OFFER_AFTER_END_DATE": lambda b: _offer_dates(b, before=False),
    "SPECIAL_OFFER_NOT_ALLOWED_TIME": _offer_time,
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED": _offer_concurrent,
    "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED": _offer_per_day,
    "SPECIAL_OFFER_STAFF_EXCLUDED": _offer_staff,
}
assert set(_BUILDERS) == set(PHOREST_CODES), "a builder for each of the nineteen codes"


def _register() -> None:
    """``st.from_type(Scenario)``: a scenario for any of the nineteen codes."""
    st.register_type_strategy(Scenario, st.sampled_from(PHOREST_CODES).flatmap(violations))


_register()
