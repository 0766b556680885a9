"""The engine: resolves each schedule of a request, runs the selected rules, builds a Report.

A request with several schedules is checked in order: schedule *i* is checked against the
snapshot plus schedules ``0..i-1`` of the same request (RULES.md §2). An update is checked as
the moved appointment, which never conflicts with itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from .._errors import InputError
from .._time import UTC, format_local, format_span
from ..platforms.phorest.read import infer_kind, read_create_booking, read_update_appointment
from . import model as m
from .report import Report, Violation
from .rule import Finding, Rule, Unknown
from .ruleset import Ruleset, resolve_ruleset
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

    def as_appointment(self, request_location: str) -> m.Appointment:
        s = self.schedule
        return m.Appointment(
            id=f"(this request) {request_location or 'appointment'}",
            start=self.start, end=self.end or self.start, local_date=self.local_date,
            client_id=s.client_id, staff_id=s.staff_id, service_id=s.service_id,
            room_id=s.room_id, machine_id=s.machine_id, offer_id=s.offer_id,
            course_item_id=s.course_item_id, finish=self.finish,
            from_request=request_location or "body")


@dataclass(slots=True)
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
    # Working-window look-ups already made (two rules ask for the same blocks), a short
    # list: comparing aware datetimes is cheaper than hashing them.
    _windows: list[tuple[str, datetime, datetime, m.Interval | None]] = field(
        default_factory=list, repr=False, compare=False)

    @property
    def zone(self) -> Any:
        return self.snapshot.zone

    def _keep(self, a: m.Appointment) -> bool:
        if a.id in self.exclude:
            return False
        if a.activation_state == m.ACTIVATION_RESERVED:
            return bool(self.ruleset.reserved_holds_block)
        return True

    def _merge(self, found: Iterable[m.Appointment], extra: list[m.Appointment]
               ) -> list[m.Appointment]:
        if not self.exclude and self.ruleset.reserved_holds_block:
            out = list(found)
            if extra:
                out += extra
            return out
        keep = self._keep
        return [a for a in found if keep(a)] + [a for a in extra if keep(a)]

    def _plain(self) -> bool:
        """Nothing to add to or filter out of what the snapshot answers: no earlier
        schedule, no appointment being moved, RESERVED holds block. The common case, which
        each query below takes without a call per appointment (a check asks several)."""
        return not self.prior and not self.exclude and bool(self.ruleset.reserved_holds_block)

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        """Blocking appointments whose staff blocks overlap ``[start, end)``."""
        found = self.snapshot.staff_appointments(staff_id, start, end)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.staff_id == staff_id
                 and any(s < end and start < e for s, e in a.blocks)]
        return self._merge(found, extra)

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> list[m.Appointment]:
        found = self.snapshot.client_appointments(client_id, start, end)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.client_id == client_id
                 and _hits(a.span, start, end)]
        return self._merge(found, extra)

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> list[m.Appointment]:
        found = self.snapshot.room_appointments(room_id, start, end)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.room_id == room_id and _hits(a.span, start, end)]
        return self._merge(found, extra)

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> list[m.Appointment]:
        found = self.snapshot.machine_appointments(machine_id, start, end)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior
                 if a.machine_id == machine_id and _hits(a.span, start, end)]
        return self._merge(found, extra)

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        found = self.snapshot.offer_appointments(offer_id, start, end)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.offer_id == offer_id and _hits(a.span, start, end)]
        return self._merge(found, extra)

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        found = self.snapshot.client_day(client_id, day)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.client_id == client_id and a.local_date == day]
        return self._merge(found, extra)

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        found = self.snapshot.offer_day(offer_id, day)
        if self._plain():
            return list(found)
        extra = [a for a in self.prior if a.offer_id == offer_id and a.local_date == day]
        return self._merge(found, extra)

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
        index = self.snapshot.course_sessions(client_course_id)
        found = list(index.from_(datetime.min.replace(tzinfo=UTC))) if index is not None else []
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
    start = schedule.start
    duration = service.duration_for(staff) if service else None
    if schedule.end is not None:
        end: datetime | None = schedule.end
    elif duration is not None:
        end = start + _minutes(duration)
    else:
        end = None
    finish = None
    if service is not None and end is not None:
        length = service.finish_for(staff)
        if length > 0:
            fs = end + _minutes(service.gap_time)
            finish = (fs, fs + _minutes(length))
    return Item(schedule, service, staff, existing, start, end, finish,
                start.astimezone(snapshot.zone).date(), duration)


def _minutes(n: int) -> timedelta:
    """``timedelta(minutes=n)``, built once per length (a branch has a few dozen)."""
    found = _MINUTES.get(n)
    if found is None:
        found = timedelta(minutes=n)
        if len(_MINUTES) < 4096:
            _MINUTES[n] = found
    return found


_MINUTES: dict[int, timedelta] = {}


# --- running ---------------------------------------------------------------------------


def run(snapshot: Snapshot, request: object, *, now: datetime, online: bool = False,
        ruleset: str | Path | Ruleset = "phorest", source: str = "<request>",
        kind: str | None = None) -> Report:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (it is always an input)")
    rs = resolve_ruleset(ruleset)
    snap = snapshot.with_times(rs.appointment_times)
    req = parse_request(request, snap, source, kind)
    checker = Checker(snap, rs, now, online or rs.online)
    items = [resolve(s, snap, req) for s in req.schedules]
    found: list[Violation] = []
    unknowns: list[Violation] = []
    severity_of = rs.severity_of
    for rule, outcome, item, location in checker.outcomes(req, items):
        sched = item.schedule.index if item is not None else None
        if isinstance(outcome, Unknown):
            unknowns.append(Violation(rule.code, "unknown", outcome.reason, location, sched,
                                      dict(outcome.evidence), "", rule.phorest))
        else:
            found.append(Violation(rule.code, severity_of(rule), outcome.message,
                                   outcome.location or location, sched,
                                   dict(outcome.evidence), outcome.fix, rule.phorest))
    return Report.build(found, unknowns, rs, snap, now)


class Checker:
    """Runs the rules of one ruleset against one snapshot at one ``now``: every outcome
    ``run`` reports (``outcomes``), or only whether a request would pass (``passes``).
    ``snap`` is the snapshot variant the ruleset reads (``Snapshot.with_times``) and
    ``online`` already includes the ruleset's own. The slot search keeps one for all its
    candidates.

    ``quiet_clients``: clients the caller found no blocking appointment of in ``snap``
    (``clients_without_appointments``): the rules silent unless the client may have one
    are not run for them. ``ignore``: codes whose findings ``passes`` does not count.
    """

    __slots__ = ("_cov_end", "_cov_start", "ignore", "now", "online", "quiet_clients", "rs",
                 "snap")

    def __init__(self, snap: Snapshot, rs: Ruleset, now: datetime, online: bool, *,
                 quiet_clients: frozenset[str] = frozenset(),
                 ignore: frozenset[str] = frozenset()) -> None:
        self.snap, self.rs, self.now, self.online = snap, rs, now, online
        self.quiet_clients, self.ignore = quiet_clients, ignore
        self._cov_start, self._cov_end = snap.coverage.start, snap.coverage.end

    def passes(self, req: m.Request, items: list[Item], timeless: bool | None = None
               ) -> bool:
        """Whether ``run`` would give PASS: no finding at error severity (but those of
        ``ignore``) and nothing UNKNOWN. The outcomes are ``outcomes``', less those that
        cannot fail (``Ruleset.steps(errors_only=True)``); it stops at the first that
        fails and renders nothing.

        With ``timeless`` True only the rules declared timeless (and the snapshot's own
        notices) are run, with False only the others (and the request's notices): the
        two parts partition the outcomes, so the request passes when both parts pass.
        """
        severity_of, ignore = self.rs.severity_of, self.ignore
        for rule, outcome, _, _ in self.outcomes(req, items, timeless, errors_only=True):
            if isinstance(outcome, Unknown):
                return False
            if severity_of(rule) == "error" and rule.code not in ignore:
                return False
        return True

    def outcomes(self, req: m.Request, items: list[Item], timeless: bool | None = None, *,
                 errors_only: bool = False
                 ) -> Iterator[tuple[Rule, Finding | Unknown, Item | None, str]]:
        """Every outcome of checking ``req``, in report order: (rule, outcome, the
        schedule's item or None for the request, the schedule's location). ``timeless``:
        see ``passes``; ``errors_only``: see ``Ruleset.steps``."""
        snap, rs = self.snap, self.rs
        notice_rule = rs.notice_rule
        if timeless is not False:
            for notice in snap.notices:
                rule = notice_rule(notice.code)
                if rule is not None:
                    yield rule, Finding(notice.message, notice.evidence), None, notice.location
        if timeless is not True:
            for notice in req.notices:
                rule = notice_rule(notice.code)
                if rule is not None:
                    yield rule, Finding(notice.message, notice.evidence), None, notice.location
            for it in items:
                if not it.schedule.notices:
                    continue
                for notice in it.schedule.notices:
                    rule = notice_rule(notice.code)
                    if rule is not None:
                        yield (rule, Finding(notice.message, notice.evidence), it,
                               notice.location)

        exclude = frozenset({req.appointment_id}) if req.appointment_id else frozenset()
        cov_start, cov_end = self._cov_start, self._cov_end
        update = req.kind == "updateAppointment"
        for i, item in enumerate(items):
            uncovered = False
            # Only a snapshot that declares coverage can leave a day uncovered. A history
            # rule reads the booking's local day, stretched to its span.
            if cov_start is not None or cov_end is not None:
                day_start, day_end = snap.day_bounds(item.local_date)
                uncovered = (cov_start is not None and day_start < cov_start) or (
                    cov_end is not None and max(day_end, item.span[1]) > cov_end)
            quiet = False
            if self.quiet_clients:
                client = item.schedule.client_id
                quiet = client in self.quiet_clients and not (i and any(
                    p.schedule.client_id == client for p in items[:i]))
            steps = rs.steps(self.online, _present(item, snap, update, quiet), timeless,
                             uncovered, errors_only)
            if not steps:
                continue
            ctx = Context(snap, req, self.now, self.online, rs,
                          [p.as_appointment(p.location) for p in items[:i] if p.end]
                          if i else [], exclude)
            location = item.schedule.location
            for step in steps:
                ctx.options = step.options
                if uncovered and step.history:
                    yield step.rule, Unknown(
                        f"the snapshot does not cover {item.local_date} (coverage "
                        f"{_cov(snap)}), so {step.rule.code} cannot be decided",
                        {"coverage": _cov(snap)}), item, location
                    continue
                for outcome in step.check(item, ctx):
                    yield step.rule, outcome, item, location


def clients_without_appointments(snap: Snapshot, client_ids: Iterable[str | None]
                                 ) -> frozenset[str]:
    """Those of ``client_ids`` that hold no blocking appointment in ``snap``, at any time:
    for ``outcomes(quiet_clients=...)``."""
    return frozenset(c for c in client_ids if c is not None and next(
        iter(snap.client_appointments(c, _ALL_TIME[0], _ALL_TIME[1])), None) is None)


_ALL_TIME = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


def _present(item: Item, snap: Snapshot, update: bool, quiet: bool) -> frozenset[str]:
    """Which ``needs`` (``_rule.NEEDS``) and conditions (``_rule.CONDITIONS``) of the
    rules this schedule meets; ``quiet``: its client holds no blocking appointment."""
    s, service, staff = item.schedule, item.service, item.staff
    key = (update << 5) | (not quiet) << 8
    if service is not None:
        key |= 1 | bool(service.room_ids) << 6 | bool(service.machine_ids) << 7 | (
            service.archived << 9 | service.addon_only << 10
            | (not service.internet_enabled) << 13)
    if staff is not None:
        key |= 2 | staff.archived << 9 | staff.hide_from_online << 13
    if item.end is not None:
        key |= 4
    if s.offer_id and s.offer_id in snap.offers:
        key |= 8
    if (s.course_item_id or "") in snap.course_items:
        key |= 16
    if s.room_id:
        key |= 64
    if s.machine_id:
        key |= 128
    if s.start_naive:
        key |= 2048
    if s.end is not None:
        key |= 4096
    found = _PRESENT.get(key)
    if found is None:
        found = _PRESENT[key] = frozenset(
            name for bit, name in enumerate(_NAMES) if key >> bit & 1)
    return found


# The bits of ``_present``'s key, in order.
_NAMES = ("service", "staff", "time", "offer", "course", "update", "room", "machine",
          "client", "archived", "addon", "naive", "end", "not_online")
_PRESENT: dict[int, frozenset[str]] = {}


def _cov(snap: Snapshot) -> str:
    c = snap.coverage
    start = _z(c.start) if c.start else "open"
    end = _z(c.end) if c.end else "open"
    return f"{start} to {end}"

