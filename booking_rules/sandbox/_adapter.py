"""The sandbox's only door into the core and the Phorest platform.

Every internal name the sandbox needs is imported here and nowhere else; everything else in
the sandbox goes through ``import booking_rules as br``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import booking_rules as br
from booking_rules import _json
from booking_rules._slots import slots_to_phorest
from booking_rules._time import parse_instant
from booking_rules.core.engine import resolve
from booking_rules.platforms.phorest import parse_request, read_appointments
from booking_rules.platforms.phorest.read import _page_items
from booking_rules.platforms.phorest.writes import client_of, read_records

__all__ = ["LIST_KEYS", "Placed", "client_of", "page_items", "parse_instant", "place",
           "read_appointments", "read_records", "slots_to_phorest"]

# The list keys of a snapshot document (cases/FORMAT.md), in the format's order.
LIST_KEYS = ("staff", "services", "workTimeTables", "breaks", "appointments", "rooms",
             "machines", "specialOffers", "courses", "clientCourses", "clients", "products",
             "vouchers", "purchases")


def page_items(value: object, key: str, source: str) -> list[object]:
    """A snapshot list given as plain items, one HAL page or a list of pages: its items,
    read exactly as ``load_snapshot`` reads them."""
    return _page_items(value, key, source, key)


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one schedule of an accepted write lands, as the engine resolved it."""

    index: int
    client_id: str | None
    service_id: str | None
    staff_id: str | None
    start: datetime
    end: datetime  # end of the main block (the start itself when no duration is known)
    finish: tuple[datetime, datetime] | None  # the finish block after the gap, if any
    room_id: str | None
    machine_id: str | None
    offer_id: str | None
    course_item_id: str | None
    staff_request: bool
    raw: Mapping[str, Any]  # the body's own schedule item (price, ...), {} for an update


def place(snapshot: br.Snapshot, body: Mapping[str, Any], kind: str) -> list[Placed]:
    """The schedules of ``body`` with the times the engine checked them at: the same
    reading of the body, the same durations (staff-specific ones included) and finish
    blocks. Raises ``br.InputError`` for a body the engine cannot read."""
    request = parse_request({"kind": kind, "body": body}, snapshot, "request body")
    raws = _raw_schedules(body) if kind == "createBooking" else []
    out = []
    for schedule in request.schedules:
        item = resolve(schedule, snapshot, request)
        out.append(Placed(
            schedule.index, schedule.client_id, schedule.service_id, schedule.staff_id,
            item.start, item.end or item.start, item.finish, schedule.room_id,
            schedule.machine_id, schedule.offer_id, schedule.course_item_id,
            schedule.staff_request,
            raws[schedule.index] if schedule.index < len(raws) else {}))
    return out


def _raw_schedules(body: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The body's schedule items in the engine's order (clientAppointmentSchedules first,
    then the deprecated flat list)."""
    out: list[Mapping[str, Any]] = []
    for group in body.get("clientAppointmentSchedules") or []:
        out.extend(s for s in group.get("serviceSchedules") or [] if isinstance(s, Mapping))
    out.extend(s for s in body.get("schedules") or [] if isinstance(s, Mapping))
    return out


def body_object(raw: bytes) -> dict[str, Any]:
    """A request body as the JSON object it must be, read by the bounded reader (README
    "Input limits": depth, integer size, key length), or an InputError naming what is
    wrong: a 400, never the 500 a body nested 100,000 deep was."""
    if not raw.strip():
        raise br.InputError("request body", "", "a JSON object (the body is empty)")
    body = _json.loads(raw, "request body")
    if not isinstance(body, dict):
        raise br.InputError("request body", "", "a JSON object", type(body).__name__)
    return body
