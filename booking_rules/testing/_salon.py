"""Snapshot documents of one small salon: :func:`snapshots`.

The salon is drawn part by part (zone and days, rooms and machines, services, staff,
rosters, breaks, clients, offers, courses, appointments), each part naming only ids drawn
before it, so every reference resolves by construction. Two guarantees the other strategies
lean on are kept here: the walk-in client has no appointment, and ``svc_1`` by ``stf_1`` in
the first hour of the first working day is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._clock import FIRST_DAY, LAST_DAY, QUARTER, WEEKDAYS, hms, read_times, transition_days, wall
from ._draws import rarely, subset
from ._view import Doc, View

#: Zones the salons live in: DST in both hemispheres (Toronto, London, Dublin's negative
#: DST, Sydney, Auckland) and none (Tokyo, UTC).
DEFAULT_ZONES: tuple[str, ...] = (
    "America/Toronto", "Europe/London", "Australia/Sydney", "Pacific/Auckland",
    "Asia/Tokyo", "UTC", "Europe/Dublin",
)

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


Items = list[dict[str, Any]]
_BRANCH_ID = "br_1"


@st.composite
def _salon(draw: st.DrawFn, zones: tuple[str, ...], max_staff: int, max_days: int,
           max_services: int, max_appointments: int, finish: bool) -> Doc:
    # The parts are drawn in this order, each naming only ids drawn before it; the order is
    # also what Hypothesis shrinks along, so it stays as it is.
    zone_name = draw(st.sampled_from(zones))
    zone = ZoneInfo(zone_name)
    days = _days(draw, zone_name, max_days)
    convention = draw(st.sampled_from((None, "local", "utc")))
    rooms, machines = _rooms_and_machines(draw)
    room_ids = [str(r["roomId"]) for r in rooms]
    machine_ids = [str(m["machineId"]) for m in machines]
    staff_ids = [f"stf_{i + 1}" for i in range(draw(st.integers(1, max_staff)))]
    service_ids = [f"svc_{i + 1}" for i in range(draw(st.integers(1, max_services)))]
    services = [_service(draw, i, service_ids, staff_ids, room_ids, machine_ids, finish)
                for i in range(len(service_ids))]
    staff = [_staff_member(draw, i, staff_ids, service_ids) for i in range(len(staff_ids))]
    tables, free = _rosters(draw, zone, staff_ids, days)
    breaks = _breaks(draw, days, staff_ids, room_ids, machine_ids)
    clients = _clients(draw)
    regulars = [c["clientId"] for c in clients[1:]]
    offers = [_offer(draw, k, service_ids, staff_ids, days)
              for k in range(draw(st.integers(0, 2)))]
    courses, client_courses = _courses(draw, service_ids, regulars, days)
    durations = View({"branch": {"timeZone": zone_name}, "staff": staff,
                      "services": services})
    appointments = [
        _appointment(draw, k, zone, convention == "utc", days, free, durations, staff_ids,
                     services, regulars, offers, client_courses)
        for k in range(draw(st.integers(0, max_appointments)))]

    doc: Doc = {"branch": {"branchId": _BRANCH_ID, "name": _BRANCH_NAMES.get(
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


def _days(draw: st.DrawFn, zone_name: str, max_days: int) -> list[date]:
    """1..``max_days`` consecutive roster days, about half the time spanning or just
    before a DST change of the zone."""
    n_days = draw(st.integers(1, max_days))
    transitions = transition_days(zone_name)
    if bool(transitions) and draw(st.booleans()):
        first_day = draw(st.sampled_from(transitions)) - timedelta(
            days=draw(st.integers(0, n_days - 1)))
    else:
        first_day = draw(st.dates(FIRST_DAY, LAST_DAY - timedelta(days=max_days)))
    return [first_day + timedelta(days=k) for k in range(n_days)]


def _rooms_and_machines(draw: st.DrawFn) -> tuple[Items, Items]:
    rooms: Items = [{"roomId": f"room_{i + 1}", "name": _ROOM_NAMES[i],
                     "capacity": draw(st.sampled_from((1, 2, 3)))}
                    for i in range(draw(st.integers(0, 2)))]
    machines: Items = [{"machineId": f"mach_{i + 1}", "name": _MACHINE_NAMES[i],
                        "quantity": draw(st.sampled_from((1, 2)))}
                       for i in range(draw(st.integers(0, 2)))]
    return rooms, machines


def _service(draw: st.DrawFn, i: int, service_ids: list[str], staff_ids: list[str],
             room_ids: list[str], machine_ids: list[str], finish: bool) -> dict[str, Any]:
    """Service ``i``. The first is the guaranteed one: internet-enabled, not archived nor
    add-on only, at most 60 minutes, no room, machine or finish block, and ``stf_1`` may
    do it."""
    first = i == 0
    service: dict[str, Any] = {
        "serviceId": service_ids[i], "name": _SERVICE_NAMES[i % len(_SERVICE_NAMES)],
        "duration": draw(st.sampled_from((30, 45, 60, 15) if first
                                         else (30, 45, 60, 15, 20, 90, 120))),
        "price": 40.0 + 15 * i,
        "internetEnabled": True if first else not draw(rarely),
        "archived": False if first else draw(rarely),
    }
    if not first and draw(rarely):
        service["isAddonOnly"] = True
    users = subset(draw, [f"usr_{j + 1}" for j in range(len(staff_ids))])
    if users:
        service["userDurations"] = [
            {"userRef": u, "duration": draw(st.sampled_from((30, 45, 60, 15)))}
            for u in users]
    dq = subset(draw, staff_ids[1:] if first else staff_ids, 1)
    if dq:
        service["disqualifiedStaff"] = dq
    if not first:
        rids = subset(draw, room_ids)
        mids = subset(draw, machine_ids)
        if rids:
            service["roomIds"] = rids
        if mids:
            service["machineIds"] = mids
        if finish and draw(rarely):
            service["finishDuration"] = draw(st.sampled_from((15, 30)))
            service["gapTime"] = draw(st.sampled_from((0, 15, 30)))
    return service


def _staff_member(draw: st.DrawFn, i: int, staff_ids: list[str], service_ids: list[str]
                  ) -> dict[str, Any]:
    """Staff member ``i``. The first is neither archived nor hidden online, and may do
    ``svc_1``."""
    first_name, last_name = _STAFF_NAMES[i % len(_STAFF_NAMES)]
    return {
        "staffId": staff_ids[i], "userId": f"usr_{i + 1}", "firstName": first_name,
        "lastName": last_name,
        "disqualifiedServices": subset(draw, service_ids[1:] if i == 0 else service_ids, 1),
        "archived": False if i == 0 else draw(rarely),
        "hideFromOnlineBookings": False if i == 0 else draw(rarely),
    }


def _rosters(draw: st.DrawFn, zone: ZoneInfo, staff_ids: list[str], days: list[date]
             ) -> tuple[Items, tuple[datetime, datetime]]:
    """Work time tables, and the guaranteed free hour ``[start, end)``.

    Branch-local wall clock. Shifts start 07:00-10:00 and end by 20:00; the first staff
    member's first day starts by 09:00 and keeps its first hour free."""
    tables: Items = []
    free_start: datetime | None = None
    free_end: datetime | None = None
    for i, sid in enumerate(staff_ids):
        slots: Items = []
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
                free_start, free_end = wall(zone, day, start), wall(zone, day, start + 60)
            if draw(st.booleans()) and end - start >= 240:
                cut = start + 120 + 30 * draw(st.integers(0, (end - start - 240) // 30))
                resume = cut + draw(st.sampled_from((0, 30, 60)))
                slots.append({"date": day.isoformat(), "startTime": hms(start),
                              "endTime": hms(cut), "type": "WORKING"})
                slots.append({"date": day.isoformat(), "startTime": hms(resume),
                              "endTime": hms(max(end, resume + 60)), "type": "WORKING"})
                continue
            slot = {"date": day.isoformat(), "startTime": hms(start), "endTime": hms(end),
                    "type": "WORKING"}
            if draw(st.booleans()):
                off = start + 120 + 30 * draw(st.integers(0, (end - start - 180) // 30))
                slot["timeOffStartTime"] = hms(off)
                slot["timeOffEndTime"] = hms(min(off + draw(st.sampled_from((30, 60))),
                                                 end - 30))
            slots.append(slot)
        tables.append({"staffId": sid, "branchId": _BRANCH_ID, "timeSlots": slots})
    assert free_start is not None and free_end is not None
    return tables, (free_start, free_end)


def _breaks(draw: st.DrawFn, days: list[date], staff_ids: list[str], room_ids: list[str],
            machine_ids: list[str]) -> Items:
    """0..3 staff, room or machine breaks, 11:00-18:00: after every guaranteed first hour."""
    breaks: Items = []
    targets = [("staffId", s) for s in staff_ids] + [("roomId", r) for r in room_ids] + [
        ("machineId", m) for m in machine_ids]
    for k in range(draw(st.integers(0, 3))):
        key, target = draw(st.sampled_from(targets))
        day = draw(st.sampled_from(days))
        start = 660 + 15 * draw(st.integers(0, 23))
        breaks.append({"breakId": f"brk_{k + 1}", "breakDate": day.isoformat(),
                       "startTime": hms(start),
                       "endTime": hms(start + draw(st.sampled_from((30, 15, 60)))),
                       key: target, "label": "Lunch" if key == "staffId" else "Cleaning"})
    return breaks


def _clients(draw: st.DrawFn) -> Items:
    """The walk-in client (never given an appointment), then 1..3 regulars."""
    clients: Items = [{"clientId": WALK_IN, "firstName": "Walk-in", "lastName": "Client"}]
    for k in range(draw(st.integers(1, 3))):
        first_name, last_name = _CLIENT_NAMES[k]
        clients.append({"clientId": f"cli_{k + 1}", "firstName": first_name,
                        "lastName": last_name})
    return clients


def _offer(draw: st.DrawFn, k: int, service_ids: list[str], staff_ids: list[str],
           days: list[date]) -> dict[str, Any]:
    """Special offer ``k``: dates around the roster, weekday windows, limits, excluded
    staff, each or not."""
    offer: dict[str, Any] = {
        "specialOfferId": f"so_{k + 1}", "name": f"Offer {k + 1}",
        "serviceIds": draw(st.lists(st.sampled_from(service_ids), min_size=1, unique=True)),
    }
    if draw(st.booleans()):
        offer["startDate"] = (days[0] + timedelta(days=draw(st.integers(-30, 2)))
                              ).isoformat()
    if draw(st.booleans()):
        offer["endDate"] = (days[-1] + timedelta(days=draw(st.integers(-2, 30)))
                            ).isoformat()
    windows = []
    for _ in range(draw(st.integers(0, 2))):
        w_start = 420 + 30 * draw(st.integers(0, 16))
        windows.append({
            "days": sorted(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1,
                                         unique=True)), key=WEEKDAYS.index),
            "startTime": hms(w_start),
            "endTime": hms(min(w_start + 60 * draw(st.integers(1, 8)), 23 * 60)),
        })
    if windows:
        offer["allowedTimes"] = windows
    if draw(st.booleans()):
        offer["maxConcurrent"] = draw(st.integers(1, 2))
    if draw(st.booleans()):
        offer["maxPerDay"] = draw(st.integers(1, 3))
    excluded = subset(draw, staff_ids, 1)
    if excluded:
        offer["excludedStaffIds"] = excluded
    return offer


def _courses(draw: st.DrawFn, service_ids: list[str], regulars: list[str], days: list[date]
             ) -> tuple[Items, Items]:
    """0..1 course with session spacing limits, and 0..2 regulars' client courses of it."""
    courses: Items = []
    for k in range(draw(st.integers(0, 1))):
        course: dict[str, Any] = {"courseId": f"crs_{k + 1}", "name": f"Course x6 ({k + 1})"}
        low = draw(st.one_of(st.none(), st.integers(1, 14)))
        if low is not None:
            course["minDaysBetweenSessions"] = low
        if draw(st.booleans()):
            course["maxDaysBetweenSessions"] = (low or 0) + draw(st.integers(0, 42))
        courses.append(course)
    client_courses: Items = []
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
                "purchaseDate": (days[0] - timedelta(days=90)).isoformat(),
                "expiryDate": (days[-1] + timedelta(days=draw(st.integers(-1, 180)))
                               ).isoformat(),
                "archived": False,
                "clientCourseItems": items,
            })
    return courses, client_courses


def _appointment(draw: st.DrawFn, k: int, zone: ZoneInfo, utc: bool, days: list[date],
                 free: tuple[datetime, datetime], durations: View, staff_ids: list[str],
                 services: Items, regulars: list[str], offers: Items, client_courses: Items
                 ) -> dict[str, Any]:
    """Appointment ``k`` of a regular, on a roster day or in the 60 days before, in any
    activation state, linked to a room, machine, offer or course item it may use. It keeps
    clear of the guaranteed free hour of ``stf_1``."""
    service_ids = [s["serviceId"] for s in services]
    free_start, free_end = free
    offset = draw(st.one_of(st.integers(0, len(days) - 1), st.integers(-60, -1)))
    day = days[0] + timedelta(days=offset)
    staff_id = draw(st.sampled_from(staff_ids))
    service_id = draw(st.sampled_from(service_ids))
    client_id = draw(st.sampled_from(regulars))
    minutes = draw(st.one_of(st.none(), st.sampled_from((15, 30, 60)))) or (
        durations.minutes(service_id, staff_id)[0])
    start_min = 420 + 15 * draw(st.integers(0, 51))
    begins = wall(zone, day, start_min)
    if staff_id == staff_ids[0] and begins < free_end and (
            begins + timedelta(minutes=minutes) > free_start):
        begins = free_end + QUARTER * (start_min % 4)
    ends = begins + timedelta(minutes=minutes)
    appt: dict[str, Any] = {
        "appointmentId": f"ap_{k + 1}", "version": draw(st.integers(1, 4)),
        "branchId": _BRANCH_ID, **read_times(zone, utc, begins, ends),
        "clientId": client_id, "staffId": staff_id, "serviceId": service_id,
        "activationState": draw(st.sampled_from(("ACTIVE", "ACTIVE", "RESERVED",
                                                 "CANCELED"))),
        "state": "BOOKED", "deleted": draw(rarely),
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
    return appt
