"""Every PNE shape this package reads that PNE has NOT published, in one place.

PatientNow Essentials documents its endpoints one field list at a time, and some of what a
pre-flight needs is in none of them (``../shared/reference/pne_api.md``, "Unknown"). The
snapshot format defines those fields itself, here, each marked ``ASSUMED``, so they change
in one module when the real shapes are known. ``docs/pne.md`` ("Assumed shapes") documents
each for users, as RULES.md §4 does Phorest's.

The wire models of ``read`` take these fields by inheriting the classes below; nothing
else names them.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..._time import parse_local_time

__all__ = ["CANCELLED_STATUSES", "START_DATE_READING", "AppointmentAssumed",
           "CompanyAssumed", "EmployeeAssumed", "WorkDayIn"]


def _clock(value: object) -> time:
    if not isinstance(value, str):
        raise ValueError("a time of day HH:mm:ss")
    try:
        return parse_local_time(value)
    except ValueError:
        raise ValueError("a time of day HH:mm:ss") from None


def _day(value: object) -> date:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError("a date yyyy-MM-dd")


Clock = Annotated[time, BeforeValidator(_clock)]
Day = Annotated[date, BeforeValidator(_day)]
Id = Annotated[str, Field(min_length=1)]


class _Assumed(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class CompanyAssumed(_Assumed):
    """ASSUMED: ``Company.TimeZone``, the location's IANA time zone.

    ``CompanyId`` is a location, but its zone is in no published field list. Every wall
    time of a PNE snapshot and body is read in it, so the snapshot must carry it."""

    TimeZone: str


class WorkDayIn(_Assumed):
    """ASSUMED: one dated working day of an employee (``Employee.WorkSchedule[]``).

    PNE's calendar offers times "based on the employee work schedule", but the shape of
    that schedule is not public. Location wall clock; an optional time off inside the day
    (``OffStartTime``-``OffEndTime``, e.g. lunch). A date with no entry is a day off; an
    end not after the start ends the next day."""

    Date: Day
    StartTime: Clock
    EndTime: Clock
    OffStartTime: Clock | None = None
    OffEndTime: Clock | None = None


class EmployeeAssumed(_Assumed):
    """ASSUMED: what an employee row needs beyond ``GET /employees``' ``EmployeeId``.

    ``QualifiedServices``: the ``ServiceId``s the employee may perform (the calendar option
    "use the employee's qualified services when booking"). Absent (null): qualified for
    every service, because the check cannot see a restriction it was not given; docs/pne.md
    says so. ``WorkSchedule``: the dated working days (:class:`WorkDayIn`)."""

    QualifiedServices: list[Id] | None = None
    WorkSchedule: list[WorkDayIn] = []


class AppointmentAssumed(_Assumed):
    """ASSUMED: ``Appointment.Status``. PNE publishes no status values; its customer
    endpoints list cancelled appointments apart (``/CancelledAppointments``), so they
    exist. A status in :data:`CANCELLED_STATUSES` (any case) holds nothing; any other
    status, or none, holds the employee and the customer."""

    Status: str | None = None


CANCELLED_STATUSES = frozenset({"cancelled", "canceled", "deleted"})

# Decision (not a shape): PNE's examples send ``StartDate`` without an offset and PNE
# documents no zone for it. It is read as the location's wall clock (``TimeZone``); a
# ``StartDate`` with an offset is converted to that wall clock, with a warning.
START_DATE_READING = "location-local wall time"
