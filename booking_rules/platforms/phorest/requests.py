"""Phorest request bodies into canonical requests: createBooking and updateAppointment
(``read``), and the writes beside bookings (``writes``: clients, client courses,
purchases, vouchers, CSV export jobs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..._errors import InputError
from ...core import model as m
from ...core.snapshot import Snapshot
from .common import suggest
from .read import infer_kind, join, read_create_booking, read_update_appointment
from .wire import CreateBookingIn, UpdateAppointmentIn, field_names
from .writes import WRITE_KINDS, infer_write_kind, read_path, read_write

KINDS = ("createBooking", "updateAppointment", *WRITE_KINDS)
_WRAPPER = frozenset({"kind", "path", "body"})
# Keys of a bare body: a mapping holding one of them and a `body` is a body, not a wrapper.
_BODY_KEYS = (field_names(CreateBookingIn) | field_names(UpdateAppointmentIn)) - {"body"}


def parse_request(request: object, snapshot: Snapshot, source: str = "<request>",
                  kind: str | None = None, *, plain: bool = False) -> m.Request:
    """A request as given (``{"kind", "path", "body"}``, a bare body, or a Request) made
    canonical. ``plain``: ``_json.check_value`` answered True for it (no value of a
    subclass), so a createBooking body of the common shape may take the typed read."""
    if isinstance(request, m.Request):
        return request
    if type(request) is not dict and not isinstance(request, Mapping):
        raise InputError(source, "", "a JSON object: {\"kind\": ..., \"body\": ...} or a body")
    body: Any = request
    path = ""
    wrapper: list[m.Notice] = []
    path_ids: dict[str, str] = {}
    if "body" in request and ("kind" in request or "path" in request or len(request) == 1
                              or not (request.keys() & _BODY_KEYS)):
        body, path = request["body"], "body"
        kind = kind or request.get("kind")
        path_ids = read_path(request.get("path"), source)
        # Issue 12: a key beside kind, path and body is said, never dropped in silence.
        for key in request:
            if key not in _WRAPPER:
                close = suggest(str(key), _WRAPPER)
                wrapper.append(m.Notice(
                    "unknown_field", f"field {key!r} is not a known field of the request "
                    "file's {kind, path, body} wrapper"
                    + (f" (did you mean {close!r}?)" if close else "") + "; it was not read",
                    str(key), {"field": key, "didYouMean": close, "rows": 1}))
    if type(body) is not dict and not isinstance(body, Mapping):
        raise InputError(source, path, "a JSON object (the request body)")
    kind = kind or infer_kind(body) or infer_write_kind(body, path_ids)
    req: m.Request | None = None
    if isinstance(kind, str) and kind in WRITE_KINDS:
        req = read_write(kind, body, path_ids, snapshot.branch, source, path)
    elif kind == "createBooking":
        _bounded(body, source, path)
        req = read_create_booking(body, source, path, typed=plain)
    elif kind == "updateAppointment":
        existing = snapshot.appointments.get(str(body.get("appointmentId", "")))
        req = read_update_appointment(body, source, snapshot.zone,
                                      snapshot.appointment_times, existing, path)
    if req is not None:
        return dataclasses.replace(req, notices=(*wrapper, *req.notices)) if wrapper else req
    raise InputError(source, "kind" if path else "", "kind 'createBooking' or "
                     "'updateAppointment' (a booking: a body with "
                     "clientAppointmentSchedules, or with appointmentId and "
                     f"appointmentDate), or one of {', '.join(WRITE_KINDS)}", kind)


def _bounded(body: Mapping[str, Any], source: str, path: str) -> None:
    """At most ``MAX_SCHEDULES`` schedules, counted before the body is validated: a
    request's cost grows with its schedules, and a list of a million invalid items must
    not be read in full to find its first error."""
    count = 0
    groups = body.get("clientAppointmentSchedules")
    if isinstance(groups, list):
        count += len(groups)  # each holds at least one
        for group in groups:
            # A dict first: a Mapping (an ABC) is tested only for another kind.
            inner = group.get("serviceSchedules") if type(group) is dict or isinstance(
                group, Mapping) else None
            if isinstance(inner, list) and len(inner) > 1:
                count += len(inner) - 1
    flat = body.get("schedules")
    if isinstance(flat, list):
        count += len(flat)
    if count > m.MAX_SCHEDULES:
        where = join(path, "schedules" if isinstance(flat, list) and not isinstance(
            groups, list) else "clientAppointmentSchedules")
        raise InputError(source, where, f"at most {m.MAX_SCHEDULES} schedules in one "
                         f"request; this one holds {count:,}")
