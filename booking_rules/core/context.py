"""What a rule reads: a schedule resolved (``Item``) and the branch as it sees it
(``Context``), with the wording helpers that name things the same way in every message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from .._time import format_local, format_span, format_utc
from . import model as m
from .ruleset import Ruleset
from .snapshot import Snapshot


class Item(NamedTuple):
    """A schedule with what it occupies resolved: the unit every rule checks. Immutable;
    a named tuple because the slot search resolves one per candidate start, and a tuple
    is built several times faster than a frozen dataclass."""

    schedule: m.Schedule
    service: m.Service | None
    staff: m.Staff | None
    existing: m.Appointment | None  # the appointment an update moves
    start: datetime
    end: datetime | None  # end of the main block; None when no duration can be known
    finish: m.Interval | None
    local_date: date
    duration: int | None  # minutes of the main block by the service

    @property
    def blocks(self) -> tuple[m.Interval, ...]:
        """Where the staff is held."""
        if self.end is None:
            return ()
        return ((self.start, self.end),) + ((self.finish,) if self.finish else ())

    @property
    def span(self) -> m.Interval:
        """Where client, room and machine are held."""
        end = self.finish[1] if self.finish else (self.end or self.start)
        return (self.start, end)

    @property
    def location(self) -> str:
        return self.schedule.location

    def as_appointment(self, request_location: str, room_id: str | None = None,
                       machine_id: str | None = None) -> m.Appointment:
        """The schedule as an appointment of the branch, for the later schedules of the
        request; ``room_id``/``machine_id``: the unit it takes when it names none."""
        s = self.schedule
        return m.Appointment(
            id=f"(this request) {request_location or 'appointment'}",
            start=self.start, end=self.end or self.start, local_date=self.local_date,
            client_id=s.client_id, staff_id=s.staff_id, service_id=s.service_id,
            room_id=s.room_id or room_id, machine_id=s.machine_id or machine_id,
            offer_id=s.offer_id,
            course_item_id=s.course_item_id, finish=self.finish,
            from_request=request_location or "body")


@dataclass(slots=True)
class Context:
    """What a rule may read: ``snapshot`` is the branch as this schedule sees it (an
    overlay holding the request's earlier schedules, without the appointment being
    moved), ``options`` the rule's own ruleset options."""

    snapshot: Snapshot
    request: m.Request
    now: datetime
    online: bool
    ruleset: Ruleset
    options: Mapping[str, Any] = field(default_factory=dict)
    # Working-window look-ups already made (two rules ask for the same blocks), a short
    # list: comparing aware datetimes is cheaper than hashing them.
    _windows: list[tuple[str, datetime, datetime, m.Interval | None]] = field(
        default_factory=list, repr=False, compare=False)
    # RESERVED holds a query left out because they expired (``reserved_hold_minutes``),
    # by id: the engine reports each once (EXPIRED_HOLD).
    expired: dict[str, m.Appointment] = field(default_factory=dict, repr=False,
                                              compare=False)

    @property
    def zone(self) -> Any:
        return self.snapshot.zone

    def _keep(self, found: list[m.Appointment]) -> list[m.Appointment]:
        """``found`` less the RESERVED holds that do not block under the ruleset: all of
        them (``reserved_holds_block = false``), or those older than
        ``reserved_hold_minutes`` by their ``createdAt`` at ``now`` (remembered in
        ``expired``). A hold without a ``createdAt`` cannot be aged: it blocks."""
        rs = self.ruleset
        if rs.reserved_holds_block and not rs.reserved_hold_minutes:
            return found
        if not rs.reserved_holds_block:
            return [a for a in found if a.activation_state != m.ACTIVATION_RESERVED]
        oldest = self.now - timedelta(minutes=rs.reserved_hold_minutes)
        kept = []
        for a in found:
            if (a.activation_state == m.ACTIVATION_RESERVED and a.created_at is not None
                    and a.created_at < oldest and a.from_request is None):
                self.expired.setdefault(a.id, a)
                continue
            kept.append(a)
        return kept

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        """Blocking appointments whose staff blocks overlap ``[start, end)``."""
        return self._keep(self.snapshot.staff_appointments(staff_id, start, end))

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> list[m.Appointment]:
        return self._keep(self.snapshot.client_appointments(client_id, start, end))

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> list[m.Appointment]:
        return self._keep(self.snapshot.room_appointments(room_id, start, end))

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> list[m.Appointment]:
        return self._keep(self.snapshot.machine_appointments(machine_id, start, end))

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        return self._keep(self.snapshot.offer_appointments(offer_id, start, end))

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        return self._keep(self.snapshot.client_day(client_id, day))

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        return self._keep(self.snapshot.offer_day(offer_id, day))

    def working_window(self, staff_id: str, start: datetime, end: datetime
                       ) -> m.Interval | None:
        """``Snapshot.working_window``, asked once per check for the same blocks."""
        for staff, s, e, found in self._windows:
            if s == start and e == end and staff == staff_id:
                return found
        window = self.snapshot.working_window(staff_id, start, end)
        self._windows.append((staff_id, start, end, window))
        return window

    def course_sessions(self, client_course_id: str) -> list[m.Appointment]:
        """Blocking sessions of one client course, in start order."""
        return self._keep(self.snapshot.course_sessions(client_course_id))

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether the snapshot declares it holds the data of ``[start, end)``."""
        cov = self.snapshot.coverage
        if cov.start is not None and start < cov.start:
            return False
        return not (cov.end is not None and end > cov.end)

    # --- wording helpers, so every message names things the same way ---------------------

    def when(self, start: datetime, end: datetime | None = None) -> str:
        if end is None:
            return format_local(start, self.zone)
        return format_span(start, end, self.zone)

    def staff_name(self, staff_id: str | None) -> str:
        st = self.snapshot.staff.get(staff_id or "")
        return st.name if st else f"staff {staff_id}"

    def client_name(self, client_id: str | None) -> str:
        cl = self.snapshot.clients.get(client_id or "")
        return cl.name if cl else f"client {client_id}"

    def service_name(self, service_id: str | None) -> str:
        sv = self.snapshot.services.get(service_id or "")
        return sv.name if sv else f"service {service_id}"

    def describe(self, a: m.Appointment) -> dict[str, Any]:
        """An appointment as evidence: ids, names, local and UTC times."""
        out: dict[str, Any] = {
            "appointmentId": a.id if a.from_request is None else None,
            "requestLocation": a.from_request,
            "clientId": a.client_id, "client": self.client_name(a.client_id),
            "staffId": a.staff_id, "staff": self.staff_name(a.staff_id),
            "serviceId": a.service_id, "service": self.service_name(a.service_id),
            "startTime": format_utc(a.start), "endTime": format_utc(a.span[1]),
            "local": self.when(a.start, a.span[1]),
        }
        if a.activation_state != "ACTIVE":
            out["activationState"] = a.activation_state
        return {k: v for k, v in out.items() if v is not None}

    def label(self, a: m.Appointment) -> str:
        """``Cut & Blow-dry (ap_mary_cut)``: an appointment named without its client."""
        ref = a.id if a.from_request is None else f"this request's {a.from_request}"
        return f"{self.service_name(a.service_id)} ({ref})"

    def name_of(self, a: m.Appointment) -> str:
        """``Mary Client's Cut & Blow-dry (ap_mary_cut)``: an appointment in a sentence."""
        ref = a.id if a.from_request is None else f"this request's {a.from_request}"
        return f"{self.client_name(a.client_id)}'s {self.service_name(a.service_id)} ({ref})"


def _hits(span: m.Interval, start: datetime, end: datetime) -> bool:
    return span[0] < end and start < span[1]


