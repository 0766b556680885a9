"""Phorest request bodies into canonical requests: createBooking and updateAppointment
(``read``), and the writes beside bookings (``writes``: clients, client courses,
purchases, vouchers, CSV export jobs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._errors import InputError
from ...core import model as m
from ...core.snapshot import Snapshot
from .read import infer_kind, read_create_booking, read_update_appointment
from .writes import WRITE_KINDS, infer_write_kind, read_path, read_write

KINDS = ("createBooking", "updateAppointment", *WRITE_KINDS)


def parse_request(request: object, snapshot: Snapshot, source: str = "<request>",
                  kind: str | None = None) -> m.Request:
    """A request as given (``{"kind", "path", "body"}``, a bare body, or a Request) made
    canonical."""
    if isinstance(request, m.Request):
        return request
    if not isinstance(request, Mapping):
        raise InputError(source, "", "a JSON object: {\"kind\": ..., \"body\": ...} or a body")
    body: Any = request
    path = ""
    path_ids: dict[str, str] = {}
    if "body" in request and ("kind" in request or "path" in request or len(request) == 1):
        body, path = request["body"], "body"
        kind = kind or request.get("kind")
        path_ids = read_path(request.get("path"), source)
    if not isinstance(body, Mapping):
        raise InputError(source, path, "a JSON object (the request body)")
    kind = kind or infer_kind(body) or infer_write_kind(body, path_ids)
    if isinstance(kind, str) and kind in WRITE_KINDS:
        return read_write(kind, body, path_ids, snapshot.branch, source, path)
    if kind == "createBooking":
        return read_create_booking(body, source, snapshot.zone, path)
    if kind == "updateAppointment":
        existing = snapshot.appointments.get(str(body.get("appointmentId", "")))
        return read_update_appointment(body, source, snapshot.zone,
                                       snapshot.appointment_times, existing, path)
    raise InputError(source, "kind" if path else "", "kind 'createBooking' or "
                     "'updateAppointment' (a booking: a body with "
                     "clientAppointmentSchedules, or with appointmentId and "
                     f"appointmentDate), or one of {', '.join(WRITE_KINDS)}", kind)
