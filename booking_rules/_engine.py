"""The engine: resolves each schedule of a request, runs the selected rules, builds a Report.

A request with several schedules is checked in order: schedule *i* is checked against the
snapshot plus schedules ``0..i-1`` of the same request (RULES.md §2). An update is checked as
the moved appointment, which never conflicts with itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import _model as m
from ._errors import InputError
from ._phorest import infer_kind, read_create_booking, read_update_appointment
from ._report import Report, Violation
from ._rule import Finding, Rule, Unknown
from ._ruleset import Ruleset, resolve_ruleset
from ._snapshot import Snapshot
from ._time import UTC, format_local, format_span, local_date


@dataclass(frozen=True, slots=True)
class Item:
    """A schedule with what it occupies resolved: the unit every rule checks."""

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

    def as_appointment(self, request_location: str) -> m.Appointment:
        s = self.schedule
        return m.Appointment(
            id=f"(this request) {request_location or 'appointment'}",
            start=self.start, end=self.end or self.start, local_date=self.local_date,
            client_id=s.client_id, staff_id=s.staff_id, service_id=s.service_id,
            room_id=s.room_id, machine_id=s.machine_id, offer_id=s.offer_id,
            course_item_id=s.course_item_id, finish=self.finish,
            from_request=request_location or "body")


@dataclass
class Context:
    """What a rule may read: the snapshot through its indexes, plus this request's own
    earlier schedules, minus the appointment being moved."""

    snapshot: Snapshot
    request: m.Request
    now: datetime
    online: bool
    ruleset: Ruleset
    prior: list[m.Appointment] = field(default_factory=list)
    exclude: frozenset[str] = frozenset()
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> Any:
        return self.snapshot.zone

    def _keep(self, a: m.Appointment) -> bool:
        if a.id in self.exclude:
            return False
        if a.activation_state == m.ACTIVATION_RESERVED:
            return bool(self.ruleset.reserved_holds_block)
        return True

    def _merge(self, found: Iterable[m.Appointment], extra: Iterable[m.Appointment]
               ) -> list[m.Appointment]:
        return [a for a in found if self._keep(a)] + [a for a in extra if self._keep(a)]

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        """Blocking appointments whose staff blocks overlap ``[start, end)``."""
        extra = [a for a in self.prior if a.staff_id == staff_id
                 and any(s < end and start < e for s, e in a.blocks)]
        return self._merge(self.snapshot.staff_appointments(staff_id, start, end), extra)

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> list[m.Appointment]:
        extra = [a for a in self.prior if a.client_id == client_id and _hits(a.span, start, end)]
        return self._merge(self.snapshot.client_appointments(client_id, start, end), extra)

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> list[m.Appointment]:
        extra = [a for a in self.prior if a.room_id == room_id and _hits(a.span, start, end)]
        return self._merge(self.snapshot.room_appointments(room_id, start, end), extra)

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> list[m.Appointment]:
        extra = [a for a in self.prior
                 if a.machine_id == machine_id and _hits(a.span, start, end)]
        return self._merge(self.snapshot.machine_appointments(machine_id, start, end), extra)

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        extra = [a for a in self.prior if a.offer_id == offer_id and _hits(a.span, start, end)]
        return self._merge(self.snapshot.offer_appointments(offer_id, start, end), extra)

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        extra = [a for a in self.prior if a.client_id == client_id and a.local_date == day]
        return self._merge(self.snapshot.client_day(client_id, day), extra)

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        extra = [a for a in self.prior if a.offer_id == offer_id and a.local_date == day]
        return self._merge(self.snapshot.offer_day(offer_id, day), extra)

    def course_sessions(self, client_course_id: str) -> list[m.Appointment]:
        """Blocking sessions of one client course, in start order."""
        index = self.snapshot.course_sessions(client_course_id)
        found = list(index.from_(datetime.min.replace(tzinfo=UTC))) if index else []
        items = self.snapshot.course_items
        extra = [a for a in self.prior if a.course_item_id in items
                 and items[a.course_item_id].client_course_id == client_course_id]
        return sorted(self._merge(found, extra), key=lambda a: a.start)

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
            "startTime": _z(a.start), "endTime": _z(a.span[1]),
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


def _z(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- requests --------------------------------------------------------------------------


def parse_request(request: object, snapshot: Snapshot, source: str = "<request>",
                  kind: str | None = None) -> m.Request:
    """A request as given (``{"kind", "body"}``, a bare body, or a Request) made canonical."""
    if isinstance(request, m.Request):
        return request
    if not isinstance(request, Mapping):
        raise InputError(source, "", "a JSON object: {\"kind\": ..., \"body\": ...} or a body")
    body: Any = request
    path = ""
    if "body" in request and ("kind" in request or len(request) == 1):
        body, path = request["body"], "body"
        kind = kind or request.get("kind")
    if not isinstance(body, Mapping):
        raise InputError(source, path, "a JSON object (the request body)")
    kind = kind or infer_kind(body)
    if kind == "createBooking":
        return read_create_booking(body, source, snapshot.zone, path)
    if kind == "updateAppointment":
        existing = snapshot.appointments.get(str(body.get("appointmentId", "")))
        return read_update_appointment(body, source, snapshot.zone,
                                       snapshot.appointment_times, existing, path)
    raise InputError(source, "kind" if path else "", "kind 'createBooking' or "
                     "'updateAppointment' (or a body with clientAppointmentSchedules, "
                     "or with appointmentId and appointmentDate)", kind)


def resolve(schedule: m.Schedule, snapshot: Snapshot, request: m.Request) -> Item:
    service = snapshot.services.get(schedule.service_id or "")
    staff = snapshot.staff.get(schedule.staff_id or "")
    existing = (snapshot.appointments.get(request.appointment_id or "")
                if request.kind == "updateAppointment" else None)
    duration = service.duration_for(staff) if service else None
    if schedule.end is not None:
        end: datetime | None = schedule.end
    elif duration is not None:
        end = schedule.start + timedelta(minutes=duration)
    else:
        end = None
    finish = None
    if service is not None and end is not None:
        length = service.finish_for(staff)
        if length > 0:
            fs = end + timedelta(minutes=service.gap_time)
            finish = (fs, fs + timedelta(minutes=length))
    return Item(schedule, service, staff, existing, schedule.start, end, finish,
                local_date(schedule.start, snapshot.zone), duration)


# --- running ---------------------------------------------------------------------------


def run(snapshot: Snapshot, request: object, *, now: datetime, online: bool = False,
        ruleset: str | Path | Ruleset = "phorest", source: str = "<request>",
        kind: str | None = None) -> Report:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (it is always an input)")
    rs = resolve_ruleset(ruleset)
    snap = snapshot.with_times(rs.appointment_times)
    req = parse_request(request, snap, source, kind)
    online = online or rs.online
    items = [resolve(s, snap, req) for s in req.schedules]
    exclude = frozenset({req.appointment_id}) if req.appointment_id else frozenset()
    found: list[Violation] = []
    unknowns: list[Violation] = []

    def add(rule: Rule, outcome: Finding | Unknown, item: Item | None, location: str) -> None:
        severity = rs.severity_of(rule)
        where = (outcome.location if isinstance(outcome, Finding) and outcome.location
                 else location)
        sched = item.schedule.index if item is not None else None
        if isinstance(outcome, Unknown):
            unknowns.append(Violation(rule.code, "unknown", outcome.reason, where, sched,
                                      dict(outcome.evidence), "", rule.phorest))
            return
        found.append(Violation(rule.code, severity, outcome.message, where, sched,
                               dict(outcome.evidence), outcome.fix, rule.phorest))

    notices: list[tuple[m.Notice, Item | None]] = [
        (n, None) for n in (*snap.notices, *req.notices)]
    notices += [(n, it) for it in items for n in it.schedule.notices]
    for notice, it in notices:
        rule = rs.notice_rule(notice.code)
        if rule is not None:
            add(rule, Finding(notice.message, notice.evidence), it, notice.location)

    for i, item in enumerate(items):
        ctx = Context(snap, req, now, online, rs,
                      prior=[p.as_appointment(p.location) for p in items[:i] if p.end],
                      exclude=exclude)
        # Only a snapshot that declares coverage can leave a day uncovered.
        uncovered = (snap.coverage.start or snap.coverage.end) and not ctx.covers(
            *_local_day(item, snap))
        for rule in rs.runnable(online):
            if ("service" in rule.needs and item.service is None) or (
                    "staff" in rule.needs and item.staff is None) or (
                    "time" in rule.needs and item.end is None):
                continue
            ctx.options = rs.options_for(rule)
            if rule.history and uncovered:
                add(rule, Unknown(
                    f"the snapshot does not cover {item.local_date} (coverage "
                    f"{_cov(snap)}), so {rule.code} cannot be decided",
                    {"coverage": _cov(snap)}), item, item.location)
                continue
            for outcome in rule.check(item, ctx):
                add(rule, outcome, item, item.location)
    return Report.build(found, unknowns, rs, snap, now)


def _local_day(item: Item, snap: Snapshot) -> tuple[datetime, datetime]:
    """The booking's local day, stretched to its span: the data a history rule reads."""
    start, end = snap.day_bounds(item.local_date)
    return start, max(end, item.span[1])


def _cov(snap: Snapshot) -> str:
    c = snap.coverage
    start = _z(c.start) if c.start else "open"
    end = _z(c.end) if c.end else "open"
    return f"{start} to {end}"

