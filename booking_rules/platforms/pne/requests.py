"""PNE request bodies (``POST /appointments``, ``POST /orders``) into canonical requests.

A body that cannot be read at all (not a JSON object, a required id missing or not a
string, a list that is not a list) is one ``InputError`` naming the JSON path, as for
Phorest. What PNE would take but a pre-flight should stop (the customer shape pasted into
an appointment, a ``StartDate`` that is not a date-time, minutes that are not minutes, a
money field that is not a number, an unknown ``InvType``, another location's
``CompanyId``) is read into the canonical request as a notice or a canonical value, so
the rules report it with its code and the rest is still checked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from ..._errors import InputError
from ...core import model as m
from ...core.snapshot import Snapshot
from .money import money, quantity
from .read import read_wall, wall_text

PneKind = Literal["appointment", "order"]
KINDS: tuple[PneKind, ...] = ("appointment", "order")

# The Appointment model's fields (pne_api.md, "Booking"; the recipes' step 3).
APPOINTMENT_FIELDS = ("CompanyId", "CustomerId", "EmployeeId", "ServiceId", "StartDate",
                      "Init", "Delay", "Complete", "Notes", "BookedOnline")
# The Customer model's fields an older example pastes into the appointment body instead
# (the recipes' warning): the customer search fields and the usual profile fields.
CUSTOMER_FIELDS = frozenset({
    "FirstName", "LastName", "Email", "MobilePhone", "HomePhone", "WorkPhone", "Phone",
    "Address", "Address1", "Address2", "City", "State", "Zip", "ZipCode", "Country",
    "BirthDate", "Birthday", "Gender", "ReferredBy", "EmailOptIn", "SmsOptIn",
    "CustomerNumber", "CreatedDate",
})
ORDER_FIELDS = ("CompanyId", "CustomerId", "EmployeeId", "OrderDate", "SubTotal", "Total",
                "LineItems", "Payments")
INV_TYPES = {"R": "retail", "S": "service", "P": "package", "O": "other", "G": "gift"}
PAYMENT_TYPES = {1: "cash", 2: "check", 3: "gift certificate", 4: "Visa", 5: "MasterCard",
                 6: "AMEX", 7: "Discover", 18: "debit"}
VISH_NOTE = ("VISH, PNE's read-mostly subset, has appointments read-only: POST /appointments "
             "(and ShowAvailable) are PatientNow Essentials only")


def infer_kind(body: Mapping[str, Any]) -> PneKind:
    """An order when the body has an order's money or lists, else an appointment (the
    customer-shape mistake included: it is reported as such)."""
    if any(k in body for k in ("LineItems", "Payments", "SubTotal", "Total", "OrderDate")):
        return "order"
    return "appointment"


def parse_request(request: object, snapshot: Snapshot, source: str = "<request>",
                  kind: str | None = None, *, vish: bool = False) -> m.Request:
    """A PNE request as given (``{"kind": "appointment"|"order", "body"}``, a bare body, or
    a canonical Request) made canonical against ``snapshot``. ``vish``: the VISH subset,
    which refuses every appointment write (a finding, before anything is sent)."""
    if isinstance(request, m.Request):
        return request
    if not isinstance(request, Mapping):
        raise InputError(source, "", "a JSON object: {\"kind\": ..., \"body\": ...} or a "
                         "PNE body")
    body: Any = request
    path = ""
    if "body" in request and ("kind" in request or len(request) == 1):
        body, path = request["body"], "body"
        kind = kind or request.get("kind")
    if not isinstance(body, Mapping):
        raise InputError(source, path, "a JSON object (the request body)")
    kind = kind or infer_kind(body)
    if kind == "appointment":
        return read_appointment(body, snapshot, source, path, vish=vish)
    if kind == "order":
        return read_order(body, snapshot, source, path)
    raise InputError(source, "kind" if path else "", "kind 'appointment' (POST "
                     "/appointments) or 'order' (POST /orders)", kind)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _id(body: Mapping[str, Any], name: str, source: str, path: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise InputError(source, _join(path, name), "an id string, as PNE returns it "
                         "(this field is required)", value)
    return value


def _optional_id(body: Mapping[str, Any], name: str, source: str, path: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InputError(source, _join(path, name), "an id string, as PNE returns it",
                         value)
    return value


def _company(value: object, where: str, location: str, zone_name: str, what: str
             ) -> m.Notice | None:
    """A notice when ``value`` is not the snapshot's location (``branch_mismatch``)."""
    if value == location:
        return None
    said = f"{what} names " + ("no CompanyId" if value is None else f"CompanyId {value!r}")
    return m.Notice(
        "branch_mismatch", f"{said}; the snapshot is of location {location!r} "
        f"({zone_name}), and one request writes to one location", where,
        {"CompanyId": value, "location": location},
        f"send CompanyId {json.dumps(location)} (the location the ids and times were read "
        "for), or check against that location's snapshot")


def _unknown_fields(body: Mapping[str, Any], known: tuple[str, ...], path: str,
                    what: str) -> list[m.Notice]:
    return [m.Notice("unknown_field", f"field {name!r} is not a field of PNE's {what}; it "
                     "would be sent as is, but nothing checks it", name,
                     {"field": name})
            for name in sorted(body) if name not in known]


# --- POST /appointments ----------------------------------------------------------------


def read_appointment(body: Mapping[str, Any], snapshot: Snapshot, source: str,
                     path: str = "", *, vish: bool = False) -> m.Request:
    zone = snapshot.zone
    location = snapshot.branch.id
    notices: list[m.Notice] = []
    if vish:
        notices.append(m.Notice(
            "write_outside_subset", f"{VISH_NOTE}; this appointment cannot be written "
            "through VISH", "", {"subset": "VISH", "write": "POST /appointments"},
            "book through PatientNow Essentials (check with --platform pne), or in the "
            "VISH calendar itself"))
    pasted = sorted(k for k in body if k in CUSTOMER_FIELDS)
    if pasted and "ServiceId" not in body:
        right = {
            "CompanyId": body.get("CompanyId") if isinstance(body.get("CompanyId"), str)
            else location,
            "CustomerId": body.get("CustomerId") if isinstance(body.get("CustomerId"), str)
            else "CUSTOMER_ID",
            "EmployeeId": "EMPLOYEE_ID", "ServiceId": "SERVICE_ID",
            "StartDate": "2025-09-11T13:15:00", "Init": 15, "Delay": 0, "Complete": 0,
            "Notes": "Booked via API", "BookedOnline": True}
        notices.append(m.Notice(
            "client_shape_in_booking", "The body is a customer, not an appointment: it has "
            f"the customer fields {', '.join(pasted)} and no ServiceId (the mistake PNE's "
            "recipes warn about: older examples paste the customer field list here)", "",
            {"customerFields": pasted, "appointmentFields": list(APPOINTMENT_FIELDS),
             "rightShape": right},
            f"send the appointment shape: {json.dumps(right)} (the customer is named by "
            "CustomerId only; create or update the customer itself with the customer "
            "endpoints)"))
        return m.Request("create", (), _str(body.get("CustomerId")), notices=tuple(notices),
                         raw=body)
    customer = _id(body, "CustomerId", source, path)
    employee = _id(body, "EmployeeId", source, path)
    service = _id(body, "ServiceId", source, path)
    for name in ("Notes",):
        if body.get(name) is not None and not isinstance(body.get(name), str):
            raise InputError(source, _join(path, name), "a string", body.get(name))
    if body.get("BookedOnline") is not None and not isinstance(body.get("BookedOnline"),
                                                                bool):
        raise InputError(source, _join(path, "BookedOnline"), "true or false",
                         body.get("BookedOnline"))
    notice = _company(body.get("CompanyId"), "CompanyId", location, zone.key,
                      "the appointment")
    if notice is not None:
        notices.append(notice)
    notices += _unknown_fields(body, APPOINTMENT_FIELDS, path, "Appointment model")

    minutes = _minutes(body, snapshot.services.get(service), notices)
    raw_start = body.get("StartDate")
    wall = read_wall(raw_start, zone)
    if wall is None:
        notices.append(m.Notice(
            "start_time_invalid", f"StartDate {raw_start!r} is not a date with a time of "
            "day, so the appointment has no start: nothing that needs its time could be "
            "checked", "StartDate", {"StartDate": raw_start},
            "send the location's wall clock as PNE's examples do: \"2025-09-11T13:15:00\" "
            "(a slot of ShowAvailable, \"2025-09-11 13:15:00\", with T for the space)"))
        return m.Request("create", (), customer, notices=tuple(notices), raw=body)
    if not wall.documented:
        notices.append(m.Notice(
            "start_time_format", f"StartDate {raw_start!r} is not in the form of PNE's "
            f"examples ({wall.form}); it was read as {wall_text(wall.instant, zone, ' ')} "
            f"{zone.key}, location wall time", "StartDate",
            {"StartDate": raw_start, "readAs": wall_text(wall.instant, zone)},
            f"send \"{wall_text(wall.instant, zone)}\": the location's wall clock, without "
            "an offset"))
    if wall.shifted:
        notices.append(m.Notice(
            "nonexistent_local_time", f"StartDate {raw_start!r} falls in the spring-forward "
            f"gap of {zone.key}; read as {wall.shifted} later", "StartDate",
            {"StartDate": raw_start, "readAs": wall_text(wall.instant, zone)}))
    if wall.ambiguous:
        notices.append(m.Notice(
            "ambiguous_local_time", f"StartDate {raw_start!r} occurs twice on a fall-back "
            f"day in {zone.key}; the first occurrence was taken", "StartDate",
            {"StartDate": raw_start}))
    schedule = m.Schedule(
        index=0, location="", client_id=customer, service_id=service, staff_id=employee,
        start=wall.instant, end=None, start_wall=wall.wall, minutes=minutes)
    return m.Request("create", (schedule,), customer, notices=tuple(notices), raw=body)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _minutes(body: Mapping[str, Any], service: m.Service | None, notices: list[m.Notice]
             ) -> tuple[int, int, int] | None:
    """(Init, Delay, Complete) as the body states them; a notice for each that is not a
    whole number of minutes (Init > 0, the others >= 0). A missing Delay or Complete is 0;
    a missing Init is reported."""
    out: list[int] = []
    bad = False
    for name, low in (("Init", 1), ("Delay", 0), ("Complete", 0)):
        value = body.get(name)
        if value is None and name != "Init":
            out.append(0)
            continue
        whole = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
        if value is None or not whole or int(value) < low:
            bad = True
            need = "a whole number of minutes, more than 0" if low else (
                "a whole number of minutes, 0 or more")
            said = "is missing" if value is None else f"is {json.dumps(value)}"
            own = {"Init": service.duration, "Delay": service.gap_time,
                   "Complete": service.finish_duration}[name] if service else None
            hint = (f" (the service's {_SERVICE_FIELD[name]} is {own})" if own is not None
                    else "")
            notices.append(m.Notice(
                "block_minutes_invalid", f"{name} {said}: PNE needs {need}{hint}", name,
                {"field": name, "sent": value, "service": own},
                f"send {name}: {own if own is not None else 'the minutes'} (the service's "
                f"{_SERVICE_FIELD[name]}, from GET /services)"))
            out.append(0)
            continue
        out.append(int(value))
    if bad and out[0] <= 0:
        return (0, out[1], out[2])  # not a block: the engine takes the service's
    return (out[0], out[1], out[2])


_SERVICE_FIELD = {"Init": "InitialMinutes", "Delay": "ProcessMinutes",
                  "Complete": "CompleteMinutes"}


# --- POST /orders ----------------------------------------------------------------------


def read_order(body: Mapping[str, Any], snapshot: Snapshot, source: str, path: str = ""
               ) -> m.Request:
    location = snapshot.branch.id
    zone = snapshot.zone.key
    notices: list[m.Notice] = []
    notice = _company(body.get("CompanyId"), "CompanyId", location, zone, "the order")
    if notice is not None:
        notices.append(notice)
    lines_raw = body.get("LineItems")
    if not isinstance(lines_raw, list):
        raise InputError(source, _join(path, "LineItems"), "a list of line items "
                         "(this field is required)", lines_raw if lines_raw is None else None)
    pays_raw = body.get("Payments", [])
    if pays_raw is None:
        pays_raw = []
    if not isinstance(pays_raw, list):
        raise InputError(source, _join(path, "Payments"), "a list of payments", None)
    order_customer = _optional_id(body, "CustomerId", source, path)
    order_employee = _optional_id(body, "EmployeeId", source, path)
    lines = []
    for i, line in enumerate(lines_raw):
        where = f"LineItems[{i}]"
        if not isinstance(line, Mapping):
            raise InputError(source, _join(path, where), "a line item object")
        item = _optional_id(line, "ItemId", source, _join(path, where))
        if item is None:
            raise InputError(source, _join(path, f"{where}.ItemId"), "the item's id (a "
                             "ProductId, or a ServiceId for InvType S; it is required)")
        if "CompanyId" in line:
            notice = _company(line.get("CompanyId"), f"{where}.CompanyId", location, zone,
                              f"line item {i}")
            if notice is not None:
                notices.append(notice)
        kind = line.get("InvType")
        lines.append(m.OrderLine(
            i, where, m.Ref(f"{where}.ItemId", item),
            m.Choice(f"{where}.InvType", kind,
                     INV_TYPES.get(kind) if isinstance(kind, str) else None, INV_TYPES),
            quantity(f"{where}.Qty", line.get("Qty")),
            money(f"{where}.RetailPrice", line.get("RetailPrice")),
            money(f"{where}.ExtendedPrice", line.get("ExtendedPrice")),
            m.Ref(f"{where}.CompanyId", _str(line.get("CompanyId"))),
            m.Ref(f"{where}.CustomerId",
                  _optional_id(line, "CustomerId", source, _join(path, where))),
            m.Ref(f"{where}.EmployeeId",
                  _optional_id(line, "EmployeeId", source, _join(path, where)))))
    payments = []
    for i, pay in enumerate(pays_raw):
        where = f"Payments[{i}]"
        if not isinstance(pay, Mapping):
            raise InputError(source, _join(path, where), "a payment object")
        if "CompanyId" in pay:
            notice = _company(pay.get("CompanyId"), f"{where}.CompanyId", location, zone,
                              f"payment {i}")
            if notice is not None:
                notices.append(notice)
        method = pay.get("PaymentType")
        meaning = PAYMENT_TYPES.get(method) if isinstance(method, int) and not isinstance(
            method, bool) else None
        payments.append(m.OrderPayment(
            i, where, m.Choice(f"{where}.PaymentType", method, meaning,
                               {str(k): v for k, v in PAYMENT_TYPES.items()}),
            money(f"{where}.Amount", pay.get("Amount")),
            m.Ref(f"{where}.CompanyId", _str(pay.get("CompanyId")))))
    order = m.Order(
        m.Ref("CompanyId", _str(body.get("CompanyId"))), m.Ref("CustomerId", order_customer),
        m.Ref("EmployeeId", order_employee), money("SubTotal", body.get("SubTotal")),
        money("Total", body.get("Total")), tuple(lines), tuple(payments))
    return m.Request("create", (), order_customer, notices=tuple(notices), raw=body,
                     subject="order", payload=order)
