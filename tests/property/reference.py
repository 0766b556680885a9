"""A plain reading of RULES.md §3 (as amended in round 2): which of the nineteen Phorest
codes a request earns.

The differential test runs it beside the engine. It shares no code with the engine: it
reads the snapshot DICT directly (plain lists, as ``booking_rules.testing.snapshots``
writes them), converts wall clock with ``zoneinfo`` alone, and answers every question with
a linear scan over the snapshot's appointments, roster slots and breaks. No index, no
sweep, no cleverness: if it is slow, it is still right.

Readings it takes where RULES.md leaves a choice, each the documented default of the
``phorest`` ruleset (so both sides answer the same question):

* ``RESERVED`` holds block (``reserved_holds_block = true``).
* ``MACHINE_DOUBLE_BOOKED`` with no ``machineId``: the service's machines are alternatives,
  one with a free unit suffices (``without_machine_id = "any"``); likewise for rooms.
* An offer limit of 0 means 0 (``zero_means_unlimited = false``).
* An existing appointment holds its staff, client, room and machine for exactly
  ``[startTime, endTime)`` (§2: Phorest returns a finish block as a row of its own;
  ``expand_existing_finish = false``).
* An earlier schedule without a room (machine) whose service lists rooms (machines) takes
  one unit of the first listed one with spare capacity over its span, for the later
  schedules (§2, ``assign_unnamed_resources = true``).
* ``INTERNET_BOOKING_ALREADY_BOOKED`` counts the sources ``ONLINE`` and ``WIDGET`` (§3,
  ``online_sources``).
* A rule that needs a service, a staff member or the time blocks of a schedule is skipped
  when the id is unknown (the engine reports UNKNOWN_ID instead); so are the offer codes
  when the offer link names no offer the snapshot holds (§4: the engine answers UNKNOWN),
  and every code whose list the snapshot does not hold (§6: absent is not empty).

And the plain readings of the amended §1, §2 and §4:

* Wall-clock intervals (appointments, roster slots, time off, breaks, offer windows): an
  end before its start runs past midnight; an end equal to its start is empty, and so is a
  start moved forward over a spring-forward gap onto or past its end. An empty interval
  overlaps nothing, but an empty appointment still counts on its local date.
* ``CANCELED`` and ``ARCHIVED`` rows do not block; every other state does.
* The offer link of an appointment is the first of ``specialOfferId``, ``serviceGroupId``,
  ``parentServiceGroupId`` that names an offer the snapshot holds; of a booking schedule,
  ``specialOfferId`` or ``branchServiceGroupId``. A session's client course is its item's,
  else ``clientCourseId``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PHOREST_CODES = (
    "STAFF_UNQUALIFIED", "STAFF_REQUESTED", "CLIENT_ALREADY_BOOKED_THIS_TIME",
    "STAFF_NOT_WORKING", "STAFF_DOUBLE_BOOKED", "EXCEEDED_ROOM_CAPACITY", "ROOM_UNSUITABLE",
    "MACHINE_DOUBLE_BOOKED", "MACHINE_UNSUITABLE", "SERVICE_ALREADY_BOOKED_THIS_DAY",
    "INTERNET_BOOKING_ALREADY_BOOKED", "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED",
    "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED", "SPECIAL_OFFER_BEFORE_START_DATE",
    "SPECIAL_OFFER_AFTER_END_DATE", "SPECIAL_OFFER_NOT_ALLOWED_TIME",
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED", "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED",
    "SPECIAL_OFFER_STAFF_EXCLUDED",
)
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ONLINE_SOURCES = ("ONLINE", "WIDGET")
# The snapshot lists each code reads (RULES.md §6): absent, the code is UNKNOWN, not found.
NEEDS: dict[str, tuple[str, ...]] = {
    "STAFF_NOT_WORKING": ("workTimeTables", "breaks"),
    "STAFF_DOUBLE_BOOKED": ("appointments",),
    "CLIENT_ALREADY_BOOKED_THIS_TIME": ("appointments",),
    "EXCEEDED_ROOM_CAPACITY": ("appointments", "breaks", "rooms"),
    "MACHINE_DOUBLE_BOOKED": ("appointments", "breaks", "machines"),
    "SERVICE_ALREADY_BOOKED_THIS_DAY": ("appointments",),
    "INTERNET_BOOKING_ALREADY_BOOKED": ("appointments",),
    "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED": ("appointments", "courses"),
    "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED": ("appointments", "courses"),
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED": ("appointments", "specialOffers"),
    "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED": ("appointments", "specialOffers"),
    "STAFF_REQUESTED": ("appointments",),
}

Span = tuple[datetime, datetime]


@dataclass
class Booking:
    """An appointment of the snapshot, or an earlier schedule of the request."""

    start: datetime
    end: datetime  # end of the main block
    client: str | None
    staff: str | None
    service: str | None
    room: str | None = None
    machine: str | None = None
    offer: str | None = None
    course_item: str | None = None
    source: str | None = None
    finish: Span | None = None
    from_request: bool = False
    local_date: date = date.min
    course: str | None = None  # the client course of a session

    @property
    def blocks(self) -> list[Span]:
        return [(self.start, self.end)] + ([self.finish] if self.finish else [])

    @property
    def span(self) -> Span:
        return (self.start, self.finish[1] if self.finish else self.end)


@dataclass
class Schedule:
    client: str | None
    service: str | None
    staff: str | None
    start: datetime
    end: datetime | None  # an explicit end, if the request gave one
    room: str | None = None
    machine: str | None = None
    offer: str | None = None
    course_item: str | None = None
    moved: dict[str, Any] | None = None  # the appointment an update moves
    extra: dict[str, Any] = field(default_factory=dict)


def overlaps(a: Span, b: Span) -> bool:
    """Half-open overlap; an empty span overlaps nothing (RULES.md §1)."""
    return a[0] < b[1] and b[0] < a[1] and a[0] < a[1] and b[0] < b[1]


class Salon:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.zone = ZoneInfo(doc["branch"]["timeZone"])
        self.utc_reads = (doc.get("conventions") or {}).get("appointmentTimes") == "utc"
        self.staff = {s["staffId"]: s for s in doc.get("staff") or []}
        self.services = {s["serviceId"]: s for s in doc.get("services") or []}
        self.rooms = {r["roomId"]: r for r in doc.get("rooms") or []}
        self.machines = {m["machineId"]: m for m in doc.get("machines") or []}
        self.offers = {o["specialOfferId"]: o for o in doc.get("specialOffers") or []}
        self.courses = {c["courseId"]: c for c in doc.get("courses") or []}
        self.items: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for cc in doc.get("clientCourses") or []:
            for item in cc.get("clientCourseItems") or []:
                self.items[item["clientCourseItemId"]] = (cc, item)
        self.appointments = list(doc.get("appointments") or [])
        self.course_of_item = {item: cc["clientCourseId"] for item, (cc, _) in self.items.items()}

    # --- time (RULES.md §1) ------------------------------------------------------------

    def wall(self, day: date, clock: str) -> datetime:
        """Branch-local wall clock as an instant: fold=0 takes a fold's first occurrence,
        and reads a time in a spring-forward gap with the offset before the gap, which
        moves it forward by the gap."""
        return datetime.combine(day, time.fromisoformat(clock), tzinfo=self.zone
                                ).astimezone(UTC)

    def wall_span(self, day: date, start: str, end: str) -> Span:
        """An end before its start is the next day; equal, or a start moved over the gap
        onto or past its end, is empty."""
        end_day = day + timedelta(days=1) if time.fromisoformat(end) < time.fromisoformat(
            start) else day
        s, e = self.wall(day, start), self.wall(end_day, end)
        return s, max(s, e)

    def read(self, day: date, clock: str) -> datetime:
        """An appointment read time, as the snapshot's convention says."""
        if self.utc_reads:
            return datetime.combine(day, time.fromisoformat(clock), tzinfo=UTC)
        return self.wall(day, clock)

    def read_span(self, day: date, start: str, end: str) -> Span:
        end_day = day + timedelta(days=1) if time.fromisoformat(end) < time.fromisoformat(
            start) else day
        s, e = self.read(day, start), self.read(end_day, end)
        return s, max(s, e)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()

    # --- what a service occupies (RULES.md §2) ----------------------------------------

    def duration(self, service: dict[str, Any], staff_id: str | None) -> int:
        user = (self.staff.get(staff_id or "") or {}).get("userId")
        for ud in service.get("userDurations") or []:
            if user is not None and ud["userRef"] == user:
                return int(ud["duration"])
        return int(service["duration"])

    def appointment(self, a: dict[str, Any]) -> Booking:
        start, end = self.read_span(date.fromisoformat(a["appointmentDate"]), a["startTime"],
                                    a["endTime"])
        links = [a.get(k) for k in ("specialOfferId", "serviceGroupId",
                                    "parentServiceGroupId")]
        offer = next((x for x in links if x and x in self.offers),
                     next((x for x in links if x), None))
        booking = Booking(start, end, a.get("clientId"), a.get("staffId"), a.get("serviceId"),
                          a.get("roomId"), a.get("machineId"), offer,
                          a.get("clientCourseItemId"), a.get("source"),
                          local_date=self.local_date(start))
        booking.course = self.course_of_item.get(a.get("clientCourseItemId") or "",
                                                 a.get("clientCourseId"))
        return booking


def blocking(a: dict[str, Any]) -> bool:
    return not a.get("deleted") and a.get("activationState", "ACTIVE") not in (
        "CANCELED", "ARCHIVED")


def instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def read_request(salon: Salon, request: dict[str, Any]) -> tuple[str, list[Schedule]]:
    kind, body = request["kind"], request["body"]
    if kind == "createBooking":
        out = []
        for group in body.get("clientAppointmentSchedules") or []:
            for s in group["serviceSchedules"]:
                out.append(Schedule(
                    client=s.get("clientId") or group.get("clientId") or body["clientId"],
                    service=s["serviceId"], staff=s["staffId"], start=instant(s["startTime"]),
                    end=instant(s["endTime"]) if s.get("endTime") else None,
                    room=s.get("roomId"), machine=s.get("machineId"),
                    offer=s.get("specialOfferId") or s.get("branchServiceGroupId"),
                    course_item=s.get("clientCourseItemId")))
        return kind, out
    moved = None
    for a in salon.appointments:  # the later of two equal ids wins, as the loader does
        if a["appointmentId"] == body["appointmentId"]:
            moved = a
    old = moved or {}
    day = date.fromisoformat(body["appointmentDate"])
    if body.get("endTime") is not None:
        start, end = salon.read_span(day, body["startTime"], body["endTime"])
    else:
        start, end = salon.read(day, body["startTime"]), None
    return kind, [Schedule(
        client=body.get("clientId") or old.get("clientId"),
        service=body.get("serviceId") or old.get("serviceId"), staff=body["staffId"],
        start=start, end=end,
        room=body["roomId"] if "roomId" in body else old.get("roomId"),
        machine=body["machineId"] if "machineId" in body else old.get("machineId"),
        offer=salon.appointment(moved).offer if moved else None,
        course_item=old.get("clientCourseItemId"), moved=moved)]


def phorest_codes(doc: dict[str, Any], request: dict[str, Any], *, online: bool = False
                  ) -> set[str]:
    """The Phorest codes RULES.md §3 gives ``request`` against the snapshot ``doc``."""
    salon = Salon(doc)
    kind, schedules = read_request(salon, request)
    moved_id = request["body"].get("appointmentId") if kind == "updateAppointment" else None
    existing = [salon.appointment(a) for a in salon.appointments
                if blocking(a) and a["appointmentId"] != moved_id]
    found: set[str] = set()
    earlier: list[Booking] = []
    for s in schedules:
        service = salon.services.get(s.service or "")
        staff = salon.staff.get(s.staff or "")
        main_end = s.end
        if main_end is None and service is not None:
            main_end = s.start + timedelta(minutes=salon.duration(service, s.staff))
        finish = None
        if service is not None and main_end is not None and service.get("finishDuration"):
            f_start = main_end + timedelta(minutes=service.get("gapTime") or 0)
            finish = (f_start, f_start + timedelta(minutes=service["finishDuration"]))
        me = Booking(s.start, main_end or s.start, s.client, s.staff, s.service, s.room,
                     s.machine, s.offer, s.course_item, finish=finish, from_request=True,
                     local_date=salon.local_date(s.start))
        me.course = salon.course_of_item.get(s.course_item or "")
        others = existing + earlier
        found |= codes_of(salon, s, me, service, staff, main_end is not None, others,
                          kind, online)
        if main_end is not None:
            if service is not None:  # §2: an unnamed room or machine takes the first free
                for kind_, key, listed in (("room", "room", service.get("roomIds")),
                                           ("machine", "machine", service.get("machineIds"))):
                    if getattr(me, key) is None:
                        pool = salon.rooms if kind_ == "room" else salon.machines
                        setattr(me, key, next((r for r in listed or () if r in pool and not
                                               full(salon, kind_, r, me.span, others)), None))
            earlier.append(me)
    # §6: a code whose list the snapshot does not hold is UNKNOWN, not found.
    return {code for code in found if all(key in doc for key in NEEDS.get(code, ()))}


def codes_of(salon: Salon, s: Schedule, me: Booking, service: dict[str, Any] | None,
             staff: dict[str, Any] | None, timed: bool, others: list[Booking], kind: str,
             online: bool) -> set[str]:
    out: set[str] = set()
    day = me.local_date

    # STAFF_UNQUALIFIED
    if service is not None and staff is not None and (
            service["serviceId"] in (staff.get("disqualifiedServices") or [])
            or staff["staffId"] in (service.get("disqualifiedStaff") or [])):
        out.add("STAFF_UNQUALIFIED")

    # STAFF_REQUESTED
    if kind == "updateAppointment" and s.moved is not None and s.moved.get("staffRequest") \
            and s.staff != s.moved.get("staffId"):
        out.add("STAFF_REQUESTED")

    # CLIENT_ALREADY_BOOKED_THIS_TIME
    if timed and s.client and any(o.client == s.client and overlaps(o.span, me.span)
                                  for o in others):
        out.add("CLIENT_ALREADY_BOOKED_THIS_TIME")

    if service is not None and timed:
        # STAFF_NOT_WORKING
        if any(not working(salon, s.staff, block) for block in me.blocks):
            out.add("STAFF_NOT_WORKING")
        # STAFF_DOUBLE_BOOKED
        if any(o.staff == s.staff and overlaps(a, b) for o in others for a in me.blocks
               for b in o.blocks):
            out.add("STAFF_DOUBLE_BOOKED")
        # EXCEEDED_ROOM_CAPACITY
        if s.room:
            if s.room in salon.rooms and full(salon, "room", s.room, me.span, others):
                out.add("EXCEEDED_ROOM_CAPACITY")
        else:
            listed = [r for r in service.get("roomIds") or [] if r in salon.rooms]
            if listed and all(full(salon, "room", r, me.span, others) for r in listed):
                out.add("EXCEEDED_ROOM_CAPACITY")
        # MACHINE_DOUBLE_BOOKED
        if s.machine:
            if s.machine in salon.machines and full(salon, "machine", s.machine, me.span,
                                                    others):
                out.add("MACHINE_DOUBLE_BOOKED")
        else:
            listed = [m for m in service.get("machineIds") or [] if m in salon.machines]
            if listed and all(full(salon, "machine", m, me.span, others) for m in listed):
                out.add("MACHINE_DOUBLE_BOOKED")

    if service is not None:
        # ROOM_UNSUITABLE, MACHINE_UNSUITABLE
        if s.room and service.get("roomIds") and s.room not in service["roomIds"]:
            out.add("ROOM_UNSUITABLE")
        if s.machine and service.get("machineIds") and s.machine not in service["machineIds"]:
            out.add("MACHINE_UNSUITABLE")

    # SERVICE_ALREADY_BOOKED_THIS_DAY
    if s.client and any(o.client == s.client and o.service == s.service
                        and o.local_date == day for o in others):
        out.add("SERVICE_ALREADY_BOOKED_THIS_DAY")

    # INTERNET_BOOKING_ALREADY_BOOKED
    if online and s.client and any(
            o.client == s.client and not o.from_request and o.source in ONLINE_SOURCES
            and o.local_date == day for o in others):
        out.add("INTERNET_BOOKING_ALREADY_BOOKED")

    # MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED, MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED
    if s.course_item in salon.items:
        cc = salon.items[s.course_item or ""][0]
        course = salon.courses.get(cc.get("courseId") or "")
        sessions = [o for o in others if o.course == cc["clientCourseId"]]
        if course is not None:
            least = course.get("minDaysBetweenSessions")
            if least and any(abs((day - o.local_date).days) < least for o in sessions):
                out.add("MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED")
            most = course.get("maxDaysBetweenSessions")
            before = [o for o in sessions if o.start < me.start]
            if most is not None and before:
                nearest = max(before, key=lambda o: o.start)
                if (day - nearest.local_date).days > most:
                    out.add("MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED")

    # SPECIAL_OFFER_*
    offer = salon.offers.get(s.offer or "")
    if offer is not None:
        if offer.get("startDate") and day < date.fromisoformat(offer["startDate"]):
            out.add("SPECIAL_OFFER_BEFORE_START_DATE")
        if offer.get("endDate") and day > date.fromisoformat(offer["endDate"]):
            out.add("SPECIAL_OFFER_AFTER_END_DATE")
        windows = offer.get("allowedTimes") or []
        if windows:
            local = me.start.astimezone(salon.zone)
            if not any(in_window(w, local) for w in windows):
                out.add("SPECIAL_OFFER_NOT_ALLOWED_TIME")
        on_offer = [o for o in others if o.offer == offer["specialOfferId"]]
        limit = offer.get("maxConcurrent")
        if timed and limit is not None and most_at_once(
                [o.span for o in on_offer if overlaps(o.span, me.span)], me.span) >= limit:
            out.add("SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED")
        per_day = offer.get("maxPerDay")
        if per_day is not None and sum(o.local_date == day for o in on_offer) >= per_day:
            out.add("SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED")
        if staff is not None and staff["staffId"] in (offer.get("excludedStaffIds") or []):
            out.add("SPECIAL_OFFER_STAFF_EXCLUDED")
    return out


def in_window(w: dict[str, Any], local: datetime) -> bool:
    """§1: a window from its start to its end on each listed day; past midnight when the
    end is before the start (the early hours then belong to the day before); empty when
    they are equal."""
    start, end = time.fromisoformat(w["startTime"]), time.fromisoformat(w["endTime"])
    clock, weekday = local.time().replace(tzinfo=None), local.weekday()
    if start < end:
        return WEEKDAYS[weekday] in w["days"] and start <= clock < end
    if start > end:
        return (WEEKDAYS[weekday] in w["days"] and clock >= start) or (
            WEEKDAYS[(weekday - 1) % 7] in w["days"] and clock < end)
    return False


def working(salon: Salon, staff_id: str | None, block: Span) -> bool:
    """Whether ``block`` is covered by the staff's WORKING slots minus their time off and
    minus the staff's breaks. Cut the block at every boundary; each piece must start at an
    instant that is inside some slot and inside no hole."""
    slots: list[Span] = []
    holes: list[Span] = []
    for table in salon.doc.get("workTimeTables") or []:
        if table["staffId"] != staff_id:
            continue
        for slot in table.get("timeSlots") or []:
            if slot.get("type") != "WORKING":
                continue
            day = date.fromisoformat(slot["date"])
            slots.append(salon.wall_span(day, slot["startTime"], slot["endTime"]))
            if slot.get("timeOffStartTime") and slot.get("timeOffEndTime"):
                holes.append(salon.wall_span(day, slot["timeOffStartTime"],
                                             slot["timeOffEndTime"]))
    for b in salon.doc.get("breaks") or []:
        if b.get("staffId") == staff_id and staff_id is not None:
            holes.append(salon.wall_span(date.fromisoformat(b["breakDate"]), b["startTime"],
                                         b["endTime"]))
    cuts = {block[0]}
    for s, e in slots + holes:
        cuts |= {t for t in (s, e) if block[0] < t < block[1]}
    for t in cuts:
        inside = any(s <= t < e for s, e in slots)
        off = any(s <= t < e for s, e in holes)
        if not inside or off:
            return False
    return True


def most_at_once(spans: list[Span], within: Span) -> int:
    """The most spans holding one instant of ``within``: look at every instant where
    something starts (a count only rises there)."""
    moments = {within[0]} | {s for s, _ in spans if within[0] < s < within[1]}
    return max((sum(s <= t < e for s, e in spans) for t in moments), default=0)


def full(salon: Salon, kind: str, rid: str, span: Span, others: list[Booking]) -> bool:
    """Whether room/machine ``rid`` is already at its capacity at some instant of
    ``span``: the bookings in it, and its breaks, which take all of it."""
    if kind == "room":
        size = salon.rooms[rid].get("capacity", 1)
        held = [o.span for o in others if o.room == rid and overlaps(o.span, span)]
    else:
        size = salon.machines[rid].get("quantity", 1)
        held = [o.span for o in others if o.machine == rid and overlaps(o.span, span)]
    key = "roomId" if kind == "room" else "machineId"
    for b in salon.doc.get("breaks") or []:
        if b.get(key) == rid and overlaps(salon.wall_span(
                date.fromisoformat(b["breakDate"]), b["startTime"], b["endTime"]), span):
            return True
    return most_at_once(held, span) >= size
