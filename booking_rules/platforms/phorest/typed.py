"""The common createBooking body, typed by msgspec: the check's fast read.

A check's reading of a body (the field audit, then pydantic) cost as much as the rules it
runs (issue 10: a passing check must stay within 10% of round 1). A body of exactly the
shape ``wire.CreateBookingIn`` describes (every key a field of its model, every value of
the field's own type, no ``null`` where the model has a default) holds nothing the audit
would say and nothing pydantic would coerce, so msgspec's strict conversion reads it into
the same values at a fraction of the cost. Anything else (an unknown or misspelt key, a
``null`` read as a default, a value pydantic would coerce or refuse) is not this shape:
``typed_create_booking`` answers None and the body takes the full read, which says what
it found. The shapes mirror the wire models field for field (name, type, default): a
test holds them to it, and another holds the two reads to identical requests.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

_Id = Annotated[str, msgspec.Meta(min_length=1)]


class ServiceSchedule(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    """``wire.ServiceScheduleIn``."""

    serviceId: _Id
    startTime: str
    staffId: str | None = None
    endTime: str | None = None
    staffRequest: bool = False
    roomId: str | None = None
    machineId: str | None = None
    clientCourseItemId: str | None = None
    specialOfferId: str | None = None
    clientId: str | None = None
    branchServiceGroupId: str | None = None
    serviceGroupItemOptionId: str | None = None
    alternativeStaffMember: bool | None = None
    price: float | None = None
    appointmentId: str | None = None


class ClientAppointmentSchedule(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """``wire.ClientAppointmentScheduleIn``."""

    serviceSchedules: Annotated[list[ServiceSchedule], msgspec.Meta(min_length=1)]
    clientId: str | None = None


class CreateBooking(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """``wire.CreateBookingIn``."""

    clientId: _Id
    bookingStatus: Literal["ACTIVE", "RESERVED", "CANCELED"] = "ACTIVE"
    note: str | None = None
    clientAppointmentSchedules: list[ClientAppointmentSchedule] | None = None
    schedules: list[ServiceSchedule] | None = None


def typed_create_booking(body: object) -> CreateBooking | None:
    """``body`` read as the common createBooking shape, or None when it is not exactly
    that shape (then the full read decides, and says why)."""
    if type(body) is not dict:
        return None
    try:
        return msgspec.convert(body, CreateBooking, strict=True)
    except msgspec.ValidationError:
        return None
