"""The canonical model: what the rules read. No Phorest field names, no wall-clock strings.

Every instant is an aware UTC ``datetime``; every interval is half-open ``[start, end)``.
Platform adapters (``booking_rules.platforms``) build these once; the indexes (``index``) are
built from them once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from .._errors import InputError

Interval = tuple[datetime, datetime]
# What a request does, whatever a platform calls it (Phorest: createBooking,
# updateAppointment, createClient, ...). "read" checks what an answer read back holds (a
# CSV export job's download link), before the caller acts on it.
Kind = Literal["create", "update", "read"]
# How a source writes appointment times of day: branch-local wall clock or UTC wall clock.
Times = Literal["local", "utc"]
# What a request is about; a rule declares the subject it checks (``core.rule``).
Subject = Literal["booking", "order", "purchase", "client", "client_course", "voucher",
                  "export_job"]
# Bounds on what a source may say (README "Input limits"): a service's durations (main
# block, gap, finish, per staff member) in minutes, and a course's spacing in days. Within
# them no span built from an input date can leave the calendar.
MAX_MINUTES = 1440
MAX_DAYS = 36_600
# The most schedules one request may hold: a request's cost grows with them.
MAX_SCHEDULES = 100
ACTIVATION_CANCELED = "CANCELED"
ACTIVATION_RESERVED = "RESERVED"
ACTIVATION_ARCHIVED = "ARCHIVED"
# RULES.md §2: CANCELED and ARCHIVED rows never block; ACTIVE and RESERVED do; any other
# state blocks too (a guess must not free a slot), with a notice naming it.
NON_BLOCKING_STATES = frozenset({ACTIVATION_CANCELED, ACTIVATION_ARCHIVED})
KNOWN_STATES = frozenset({"ACTIVE", ACTIVATION_RESERVED, *NON_BLOCKING_STATES})
SOURCE_ONLINE = "ONLINE"


@dataclass(frozen=True, slots=True)
class Branch:
    id: str
    name: str
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class Staff:
    id: str
    user_id: str | None
    name: str
    disqualified_services: frozenset[str] = frozenset()
    archived: bool = False
    hide_from_online: bool = False


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    duration: int  # minutes
    finish_duration: int = 0
    gap_time: int = 0
    user_durations: Mapping[str, int] = field(default_factory=dict)  # userId -> minutes
    user_finish_durations: Mapping[str, int] = field(default_factory=dict)
    disqualified_staff: frozenset[str] = frozenset()
    room_ids: tuple[str, ...] = ()
    machine_ids: tuple[str, ...] = ()
    internet_enabled: bool = True
    archived: bool = False
    addon_only: bool = False

    def __post_init__(self) -> None:
        # Any platform builds services; none may hand the engine a span off the calendar.
        for minutes in (self.duration, self.finish_duration, self.gap_time,
                        *self.user_durations.values(), *self.user_finish_durations.values()):
            if not (isinstance(minutes, int) and 0 <= minutes <= MAX_MINUTES):
                raise InputError(f"service {self.id}", "duration", f"a whole number of "
                                 f"minutes from 0 to {MAX_MINUTES}", minutes)

    def duration_for(self, staff: Staff | None) -> int:
        if staff is not None and staff.user_id is not None and (
                staff.user_id in self.user_durations):
            return self.user_durations[staff.user_id]
        return self.duration

    def finish_for(self, staff: Staff | None) -> int:
        if staff is not None and staff.user_id is not None and (
                staff.user_id in self.user_finish_durations):
            return self.user_finish_durations[staff.user_id]
        return self.finish_duration


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class Machine:
    id: str
    name: str
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class Appointment:
    """An appointment held by the snapshot, or an earlier schedule of the request itself.

    Existing appointments hold staff, client, room and machine for ``[start, end)``. A
    schedule of the request being checked may add a finish block after a gap, during which
    the staff is free but client, room and machine are still held (``span``).
    """

    id: str
    start: datetime
    end: datetime
    local_date: date
    client_id: str | None = None
    staff_id: str | None = None
    service_id: str | None = None
    version: int | None = None
    activation_state: str = "ACTIVE"
    deleted: bool = False
    staff_request: bool = False
    source: str | None = None
    room_id: str | None = None
    machine_id: str | None = None
    offer_id: str | None = None
    course_item_id: str | None = None
    finish: Interval | None = None
    from_request: str | None = None  # the request location, for a schedule of the request
    client_course_id: str | None = None  # a session of this client course, without an item
    created_at: datetime | None = None  # read for RESERVED holds only (reserved_hold_minutes)

    @property
    def blocks(self) -> tuple[Interval, ...]:
        """Where the staff is held."""
        if self.finish is None:
            return ((self.start, self.end),)
        return ((self.start, self.end), self.finish)

    @property
    def span(self) -> Interval:
        """Where client, room and machine are held: first block start to last block end."""
        return (self.start, self.finish[1] if self.finish else self.end)


ANY = "*"  # a quarantined row whose staff member (or date) could not be read


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A row that could not be read (RULES.md §6): kept out of the indexes, listed in the
    snapshot's notices, and every rule that would have needed it answers UNKNOWN.

    ``holds`` names what the row may have held, as ``"list.kind" -> id`` (``ANY`` when
    it could be any: a row without a readable staff member): ``appointments.staff``,
    ``appointments.client``, ``appointments.room``, ``appointments.machine``,
    ``appointments.offer``, ``roster.staff``, ``breaks.staff``, ``breaks.room``,
    ``breaks.machine``. ``days``: the local dates it may lie on, ``None`` for any."""

    location: str
    reason: str
    days: frozenset[date] | None
    holds: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Break:
    id: str
    start: datetime
    end: datetime
    local_date: date
    staff_id: str | None = None
    room_id: str | None = None
    machine_id: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class RosterSlot:
    """One ``WORKING`` time slot of a staff member, minus its own time off."""

    staff_id: str
    local_date: date
    start: datetime
    end: datetime
    time_off: Interval | None = None


@dataclass(frozen=True, slots=True)
class AllowedTime:
    weekdays: frozenset[int]  # Monday = 0
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class SpecialOffer:
    id: str
    name: str
    service_ids: frozenset[str] = frozenset()
    start_date: date | None = None
    end_date: date | None = None
    allowed_times: tuple[AllowedTime, ...] = ()
    max_concurrent: int | None = None
    max_per_day: int | None = None
    excluded_staff: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    name: str
    min_days: int | None = None
    max_days: int | None = None


@dataclass(frozen=True, slots=True)
class ClientCourseItem:
    id: str
    client_course_id: str
    client_id: str | None
    course_id: str | None
    service_id: str | None
    initial_units: int | None
    remaining_units: int | None
    expiry_date: date | None
    archived: bool


@dataclass(frozen=True, slots=True)
class Client:
    id: str
    name: str


# The canonical lists of a snapshot, by the names rules and coverage use for them.
LIST_NAMES = ("staff", "services", "roster", "breaks", "appointments", "rooms", "machines",
              "offers", "courses", "course_items", "clients")


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a snapshot covers: local days (``start``/``end`` as instants), when it was
    fetched (the oldest of its lists), and when each list was (``streams``: canonical list
    name -> fetched-at, for the lists that say; the others count as ``fetched_at``)."""

    start: datetime | None = None
    end: datetime | None = None
    fetched_at: datetime | None = None
    streams: tuple[tuple[str, datetime], ...] = ()

    def fetched(self, name: str) -> datetime | None:
        """When list ``name`` was fetched: its own stamp, else the snapshot's."""
        for key, at in self.streams:
            if key == name:
                return at
        return self.fetched_at


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a reader of the input should know, with a place: ``rule`` is the neutral
    name of the rule that reports it (``unknown_field``), which a platform names by code."""

    rule: str
    message: str
    location: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix: str = ""  # what to send instead, when the reader knows (e.g. the right shape)


@dataclass(frozen=True, slots=True)
class Schedule:
    """One requested service, in canonical form (UTC instants, canonical ids)."""

    index: int
    location: str  # e.g. "clientAppointmentSchedules[0].serviceSchedules[1]"
    client_id: str | None
    service_id: str | None
    staff_id: str | None
    start: datetime
    end: datetime | None  # the explicit end of the request, if it gave one
    room_id: str | None = None
    machine_id: str | None = None
    offer_id: str | None = None
    course_item_id: str | None = None
    staff_request: bool = False
    start_naive: bool = False
    start_wall: datetime | None = None  # the wall clock as written, for the UTC-trap warning
    notices: tuple[Notice, ...] = ()
    # The offer link names a service group, which may be no special offer (RULES.md §4):
    # unresolved, it makes the offer rules UNKNOWN but is no unknown id.
    offer_group: bool = False
    # The main block, processing gap and finish block in minutes as the request states
    # them (PNE's Init, Delay, Complete); None: the service's. A main block that is not
    # positive is not used (the service's is), and a rule reports it.
    minutes: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """A request in canonical form. A booking (``subject`` "booking") holds schedules; a
    request of another subject holds that subject's canonical ``payload`` (an order, a
    purchase, ...), which only the rules of that subject read."""

    kind: Kind
    schedules: tuple[Schedule, ...]
    client_id: str | None = None
    # The state the booking asks for. Checked as an ACTIVE booking whatever it says: a
    # booking created RESERVED holds what an ACTIVE one does, and Phorest publishes
    # nothing about one created CANCELED, so it is checked rather than waved through
    # (docs/decisions.md). The sandbox stores it as given.
    booking_status: str = "ACTIVE"
    appointment_id: str | None = None  # an update only
    version: int | None = None  # an update only
    notices: tuple[Notice, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)
    subject: Subject = "booking"
    payload: Any = None  # the canonical body of a request that is not a booking


# --- orders: a sale of items with its payments (``Request.subject`` "order") -------------


@dataclass(frozen=True, slots=True)
class Amount:
    """A number of a request as read: where it is, what was sent, its exact value.

    ``value`` is None when what was sent is not a usable number (``problem`` says why:
    not a number, not whole cents, ...); money is never a float inside."""

    path: str
    sent: Any
    value: Decimal | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A value of a request taken from a published list: what was sent, its meaning
    (None when it is not in the list), and the list (sent value -> meaning)."""

    path: str
    sent: Any
    value: str | None
    allowed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ref:
    """An id a request names, and where."""

    path: str
    id: str | None


@dataclass(frozen=True, slots=True)
class OrderLine:
    index: int
    path: str
    item: Ref
    kind: Choice  # "retail", "service", "package", "other", "gift"
    quantity: Amount
    unit_price: Amount
    extended: Amount
    branch: Ref
    client: Ref
    staff: Ref


@dataclass(frozen=True, slots=True)
class OrderPayment:
    index: int
    path: str
    method: Choice  # "cash", "check", "gift", "card", ...
    amount: Amount
    branch: Ref


@dataclass(frozen=True, slots=True)
class Order:
    """A sale in canonical form: the ``payload`` of a request of subject "order"."""

    branch: Ref
    client: Ref
    staff: Ref
    subtotal: Amount
    total: Amount
    lines: tuple[OrderLine, ...]
    payments: tuple[OrderPayment, ...]
