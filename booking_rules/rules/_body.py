"""Helpers shared by the engine's own rules (not a rule itself): where a field of a
schedule sits in the request body, and whether the body sent it at all."""

from __future__ import annotations

from ..core.context import Context, Item


def field_at(item: Item, name: str) -> str:
    """The JSON path of field ``name`` of the item's schedule, relative to the body:
    ``clientAppointmentSchedules[0].serviceSchedules[1].staffId``, or ``staffId`` for an
    updateAppointment body (its schedule is the body itself)."""
    return f"{item.location}.{name}" if item.location else name


def body_sent(ctx: Context, name: str) -> bool:
    """Whether the body itself names this schedule field. A createBooking schedule states
    each id it uses; an update inherits the ones it leaves out (and always the special
    offer and course item) from the appointment it moves."""
    if ctx.request.kind != "update":
        return True
    return name in _UPDATE_ID_FIELDS and ctx.request.raw.get(name) is not None


_UPDATE_ID_FIELDS = frozenset({"serviceId", "staffId", "roomId", "machineId", "clientId"})
