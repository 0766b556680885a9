"""The Phorest adapter's reading: createBooking and updateAppointment bodies into
canonical requests, and the snapshot readers re-exported from their modules.

* ``wire``: the wire models and the fields Phorest returns that no rule reads;
* ``common``: paths, validation errors, HAL pages, the field audit (unknown fields, nulls);
* ``history``: the appointment history, decoded by msgspec into the core's column table;
* ``document``: a whole snapshot document into canonical parts;
* this module: request bodies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from ..._errors import InputError
from ..._time import (
    DATE_RANGE,
    UTC,
    LocalResolution,
    local_span,
    parse_instant,
    parse_wall_instant,
    wall_to_utc,
)
from ...core import model as m
from .common import Audit, join, page_items, validate
from .document import read_snapshot_doc, split_snapshot_json
from .history import AppointmentRow, table_from_json, table_from_value
from .typed import (
    ClientAppointmentSchedule,
    CreateBooking,
    ServiceSchedule,
    typed_create_booking,
)
from .wire import (
    APPOINTMENT_UNUSED,
    AppointmentIn,
    ClientAppointmentScheduleIn,
    CreateBookingIn,
    ServiceScheduleIn,
    UpdateAppointmentIn,
    Wire,
)

__all__ = [
    "APPOINTMENT_UNUSED",
    "AppointmentIn",
    "AppointmentRow",
    "PhorestKind",
    "infer_kind",
    "join",
    "read_create_booking",
    "read_snapshot_doc",
    "read_update_appointment",
    "split_snapshot_json",
    "table_from_json",
    "table_from_value",
    "validate",
]

_FATE = "it was kept and sent as is, but not checked"

# Names other modules import from here (the sandbox, writes, trim): kept while they move.
_page_items = page_items
_Wire = Wire
_table_from_value = table_from_value


PhorestKind = Literal["createBooking", "updateAppointment"]


def infer_kind(body: Mapping[str, Any]) -> PhorestKind | None:
    """Which Phorest write a bare body is, where its fields say so unambiguously."""
    if "clientAppointmentSchedules" in body or "schedules" in body:
        return "createBooking"
    if "appointmentId" in body and ("appointmentDate" in body or "startTime" in body):
        return "updateAppointment"
    return None


def _offer_link(ss: ServiceScheduleIn | ServiceSchedule) -> tuple[str | None, bool]:
    """The offer a schedule books (RULES.md §4): ``specialOfferId``, or the service
    group Phorest models an offer as (``branchServiceGroupId``), which may also be a group
    that is no offer (then the offer rules answer UNKNOWN, never a silent PASS)."""
    if ss.specialOfferId:
        return ss.specialOfferId, False
    if ss.branchServiceGroupId:
        return ss.branchServiceGroupId, True
    return None, False


def read_create_booking(body: object, source: str, path: str = "body", *,
                        typed: bool = False) -> m.Request:
    """A createBooking body made canonical. Its times are instants (``Z`` or an offset, or
    none: read as UTC, as Phorest documents), so no zone is needed to read them.

    ``typed``: the body holds no value of a subclass (``_json.check_value`` said so), so
    if it has the common shape it is read by msgspec (``typed``), not the audit and
    pydantic: the same values, at a fraction of the cost."""
    b: CreateBookingIn | CreateBooking | None = typed_create_booking(body) if typed else None
    audit: Audit | None = None
    if b is None:  # not the common shape: the full read, which says what it found
        audit = Audit(_FATE)
        b = validate(CreateBookingIn, audit.row(CreateBookingIn, body, "createBooking", ""),
                     source, path)
    notices: list[m.Notice] = []
    groups: list[tuple[str, str | None, Sequence[ServiceScheduleIn | ServiceSchedule]]] = []
    cases: Sequence[ClientAppointmentScheduleIn | ClientAppointmentSchedule] = (
        b.clientAppointmentSchedules or ())
    if cases:
        for i, cas in enumerate(cases):
            groups.append((f"clientAppointmentSchedules[{i}]", cas.clientId,
                           cas.serviceSchedules))
    if b.schedules:
        notices.append(m.Notice(
            "deprecated_schedules", "the flat `schedules` list is deprecated by Phorest "
            "(API 1.13.0); send `clientAppointmentSchedules[].serviceSchedules[]`",
            "schedules"))
        groups.append(("schedules", None, b.schedules))
    if not groups:
        raise InputError(source, join(path, "clientAppointmentSchedules"),
                         "at least one clientAppointmentSchedules[].serviceSchedules[] item")
    if audit is not None:
        notices += audit.notices()
    schedules: list[m.Schedule] = []
    for prefix, group_client, items in groups:
        for j, ss in enumerate(items):
            where = f"{prefix}.serviceSchedules[{j}]" if prefix != "schedules" else (
                f"schedules[{j}]")
            try:
                start, naive, wall = parse_wall_instant(ss.startTime)
            except ValueError:
                raise InputError(source, join(path, where, "startTime"),
                                 "an ISO-8601 instant such as 2026-12-01T15:00:00Z, "
                                 + DATE_RANGE,
                                 ss.startTime) from None
            end = None
            if ss.endTime is not None:
                try:
                    end, _ = parse_instant(ss.endTime)
                except ValueError:
                    raise InputError(source, join(path, where, "endTime"),
                                     "an ISO-8601 instant such as 2026-12-01T15:45:00Z, "
                                     + DATE_RANGE,
                                     ss.endTime) from None
                if end <= start:
                    raise InputError(source, join(path, where, "endTime"),
                                     "an instant after startTime", ss.endTime)
                if end - start > timedelta(minutes=m.MAX_MINUTES):
                    raise InputError(source, join(path, where, "endTime"),
                                     f"an instant at most {m.MAX_MINUTES} minutes after "
                                     "startTime", ss.endTime)
            offer, group = _offer_link(ss)
            schedules.append(m.Schedule(
                index=len(schedules), location=where,
                client_id=ss.clientId or group_client or b.clientId,
                service_id=ss.serviceId, staff_id=ss.staffId or None, start=start, end=end,
                room_id=ss.roomId, machine_id=ss.machineId, offer_id=offer,
                course_item_id=ss.clientCourseItemId, staff_request=ss.staffRequest,
                start_naive=naive, start_wall=wall, offer_group=group))
    return m.Request("create", tuple(schedules), b.clientId, b.bookingStatus,
                     notices=tuple(notices), raw=body if isinstance(body, dict) else {})


def read_update_appointment(
    body: object, source: str, zone: Any, times: str,
    existing: m.Appointment | None, path: str = "body",
) -> m.Request:
    audit = Audit(_FATE)
    u = validate(UpdateAppointmentIn, audit.row(UpdateAppointmentIn, body,
                                                "updateAppointment", ""), source, path)
    notices = audit.notices()
    end_t = u.endTime
    if times == "utc":
        start = datetime.combine(u.appointmentDate, u.startTime, UTC)
        end = None if end_t is None else datetime.combine(
            u.appointmentDate if end_t >= u.startTime else u.appointmentDate + timedelta(1),
            end_t, UTC)
    else:
        if end_t is not None:
            rs, re_ = local_span(u.appointmentDate, u.startTime, end_t, zone)
            reads: tuple[tuple[LocalResolution, str], ...] = ((rs, "startTime"),
                                                              (re_, "endTime"))
        else:
            rs = wall_to_utc(u.appointmentDate, u.startTime, zone)
            reads = ((rs, "startTime"),)
        start = rs.instant
        end = re_.instant if end_t is not None else None
        for r, name in reads:
            if r.shifted:
                notices.append(m.Notice(
                    "nonexistent_local_time", f"{name} falls in the spring-forward gap; "
                    f"read as {r.shifted} later", name))
            if r.ambiguous:
                notices.append(m.Notice(
                    "ambiguous_local_time", f"{name} occurs twice on a fall-back day; the "
                    "first occurrence was taken", name))
    ex = existing
    schedule = m.Schedule(
        index=0, location="", client_id=u.clientId or (ex.client_id if ex else None),
        service_id=u.serviceId or (ex.service_id if ex else None), staff_id=u.staffId or None,
        start=start, end=end,
        room_id=u.roomId if "roomId" in u.model_fields_set else (ex.room_id if ex else None),
        machine_id=u.machineId if "machineId" in u.model_fields_set else (
            ex.machine_id if ex else None),
        offer_id=ex.offer_id if ex else None,
        course_item_id=ex.course_item_id if ex else None,
        staff_request=ex.staff_request if ex else False)
    return m.Request("update", (schedule,), schedule.client_id, "ACTIVE",
                     appointment_id=u.appointmentId, version=u.version,
                     notices=tuple(notices), raw=body if isinstance(body, dict) else {})
