"""The typed read of a createBooking body (``platforms/phorest/typed.py``, issue 10) reads
exactly what the full read (the field audit, then pydantic) reads: the same canonical
request, notices included, or the same error, for bodies of the common shape and for
every way a body can leave it (an unknown key, a ``null``, a value of another type, a
string subclass, an empty id, an empty list)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import booking_rules as br
from booking_rules import _json
from booking_rules._errors import InputError
from booking_rules.platforms import phorest
from booking_rules.platforms.phorest import read, typed, wire
from booking_rules.platforms.phorest.common import Audit, validate

from ..conftest import salon_doc
from .conftest import scaled

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)

PAIRS: tuple[tuple[type[msgspec.Struct], type[BaseModel]], ...] = (
    (typed.ServiceSchedule, wire.ServiceScheduleIn),
    (typed.ClientAppointmentSchedule, wire.ClientAppointmentScheduleIn),
    (typed.CreateBooking, wire.CreateBookingIn),
)


def test_the_typed_shapes_mirror_the_wire_models() -> None:
    for struct, model in PAIRS:
        info = msgspec.inspect.type_info(struct)
        assert isinstance(info, msgspec.inspect.StructType)
        fields = {f.name: f for f in info.fields}
        assert fields.keys() == model.model_fields.keys(), struct.__name__
        for name, f in model.model_fields.items():
            assert fields[name].required == f.is_required(), (struct.__name__, name)
            if not f.is_required():
                assert fields[name].default == f.get_default(), (struct.__name__, name)


class _Str(str):
    """A string subclass: a caller's own type, which the typed read must not mistake."""


_TEXT = st.sampled_from(["", "s1", "st-1", "r1", "x" * 40]) | st.text(max_size=4)
_ODD = st.none() | st.integers(-2, 2) | st.booleans() | st.floats(allow_nan=False) | \
    st.builds(_Str, _TEXT) | st.just([]) | st.just({})
_INSTANT = st.sampled_from([
    "2026-12-01T10:00:00Z", "2026-12-01T10:00:00", "2026-12-01T10:00:00+11:00",
    "2026-12-01T10:45:00.000Z", "2026-03-29T01:30:00Z", "2026-12-01T09:00:00Z",
    "2026-12-01", "10:00", "2026-13-01T10:00:00Z", "0001-01-01T00:00:00Z", "x"])


def _value(kind: str) -> st.SearchStrategy[Any]:
    good: st.SearchStrategy[Any]
    if kind == "instant":
        good = _INSTANT
    elif kind == "bool":
        good = st.booleans()
    elif kind == "number":
        good = st.integers(0, 99) | st.floats(0, 99)
    elif kind == "status":
        good = st.sampled_from(["ACTIVE", "RESERVED", "CANCELED", "active"])
    else:
        good = _TEXT
    # Mostly the field's own type, so that whole bodies of the common shape are drawn.
    return st.integers(0, 11).flatmap(lambda k: _ODD if k == 0 else good)


_SCHEDULE = {"serviceId": "id", "startTime": "instant", "staffId": "id",
             "endTime": "instant", "staffRequest": "bool", "roomId": "id",
             "machineId": "id", "clientCourseItemId": "id", "specialOfferId": "id",
             "clientId": "id", "branchServiceGroupId": "id",
             "serviceGroupItemOptionId": "id", "alternativeStaffMember": "bool",
             "price": "number", "appointmentId": "id"}
_REQUIRED = ("serviceId", "startTime")
_UNKNOWN = st.sampled_from(["staffID", "colour", "startTme", "version", "body"])


@st.composite
def _row(draw: st.DrawFn, fields: dict[str, str], required: tuple[str, ...],
         nested: dict[str, st.SearchStrategy[Any]] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, kind in fields.items():
        if (name in required and draw(st.integers(0, 19))) or draw(st.integers(0, 2)) == 0:
            row[name] = draw(_value(kind))
    for name, strategy in (nested or {}).items():
        if draw(st.integers(0, 3)):
            row[name] = draw(strategy)
    if draw(st.integers(0, 9)) == 0:
        row[draw(_UNKNOWN)] = draw(_TEXT)
    return row


_SCHEDULES = st.lists(_row(_SCHEDULE, _REQUIRED), min_size=0, max_size=3)
_GROUP = _row({"clientId": "id"}, (), {"serviceSchedules": _SCHEDULES})
_BODY = _row({"clientId": "id", "bookingStatus": "status", "note": "text"}, ("clientId",),
             {"clientAppointmentSchedules": st.lists(_GROUP, max_size=2) | _ODD,
              "schedules": _SCHEDULES | _ODD})


_ID = st.sampled_from(["s1", "st-1", "c1", "x" * 40]) | st.text(min_size=1, max_size=4)


def _good(kind: str) -> st.SearchStrategy[Any]:
    return _value(kind).filter(lambda v: v is not None and type(v) in (str, bool, int, float))


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A body of the common shape with at most one change: a value of another type, a
    null, an unknown key or a required key dropped, in the body, a group or a schedule."""
    schedules = [{"serviceId": draw(_ID), "startTime": draw(_INSTANT),
                  **{name: draw(_good(kind)) for name, kind in _SCHEDULE.items()
                     if name not in _REQUIRED and draw(st.integers(0, 3)) == 0}}
                 for _ in range(draw(st.integers(1, 3)))]
    body: dict[str, Any] = {"clientId": draw(_ID), "clientAppointmentSchedules": [
        {"clientId": draw(_ID), "serviceSchedules": schedules}]}
    if draw(st.booleans()):
        body["bookingStatus"] = draw(_good("status"))
    row = draw(st.sampled_from([body, body["clientAppointmentSchedules"][0], *schedules]))
    change = draw(st.sampled_from(["none", "odd", "null", "unknown", "drop"]))
    key = draw(st.sampled_from(sorted(row)))
    if change == "odd":
        row[key] = draw(_ODD)
    elif change == "null":
        row[key] = None
    elif change == "unknown":
        row[draw(_UNKNOWN)] = draw(_TEXT)
    elif change == "drop":
        del row[key]
    return body


def _read(body: object, typed_read: bool) -> object:
    try:
        return read.read_create_booking(body, "req.json", "body", typed=typed_read)
    except InputError as exc:
        return ("InputError", str(exc))


@settings(max_examples=scaled(5))  # cheap examples: five times the profile's
@given(_BODY | _mutated())
def test_the_typed_read_reads_what_the_full_read_reads(body: dict[str, Any]) -> None:
    try:
        plain = _json.check_value(body, "req.json")
    except InputError:  # out of the input limits (an infinite price): refused before
        plain = False
    took = typed.typed_create_booking(body) if plain else None
    found, full = _read(body, plain), _read(body, False)
    assert found == full
    if took is not None:
        # The typed read takes only what the audit has nothing to say of and pydantic
        # accepts, and reads the same values.
        audit = Audit(read._FATE)
        model = validate(wire.CreateBookingIn, audit.row(
            wire.CreateBookingIn, body, "createBooking", ""), "req.json", "body")
        assert audit.notices() == []
        assert msgspec.to_builtins(took) == model.model_dump()


_SCHEDULE_ROW = {"serviceId": "sv1", "staffId": "st1", "startTime": "2026-12-01T10:00:00Z",
                 "roomId": None}
_COMMON = {"clientId": "c1", "bookingStatus": "ACTIVE", "clientAppointmentSchedules": [
    {"clientId": "c1", "serviceSchedules": [_SCHEDULE_ROW]}]}


def test_the_common_shape_takes_the_typed_read_and_others_do_not() -> None:
    assert typed.typed_create_booking(_COMMON) is not None
    for odd in ({"staffID": "st1"}, {"staffRequest": None}, {"staffRequest": 1},
                {"serviceId": ""}, {"price": "12"}, {"startTime": 900}):
        changed = {**_COMMON, "clientAppointmentSchedules": [
            {"clientId": "c1", "serviceSchedules": [{**_SCHEDULE_ROW, **odd}]}]}
        assert typed.typed_create_booking(changed) is None, odd
        assert _read(changed, True) == _read(changed, False), odd
    for odd_body in ({**_COMMON, "bookingStatus": None}, {**_COMMON, "colour": "red"},
                     {**_COMMON, "clientAppointmentSchedules": [{"serviceSchedules": []}]},
                     [_COMMON], "body"):
        assert typed.typed_create_booking(odd_body) is None, odd_body


def test_a_caller_s_string_subclass_is_read_as_its_string() -> None:
    # msgspec keeps a str subclass as given; pydantic reads it as a str. The cheap walk of
    # the input limits tells the two apart, and such a body takes the full read.
    body = {**_COMMON, "clientId": _Str("c1")}
    assert _json.check_value(body, "req.json") is False
    assert _json.check_value(_COMMON, "req.json") is True
    snap = br.load_snapshot(salon_doc())
    req = phorest.parse_request(body, snap, plain=False)
    assert type(req.client_id) is str and req.client_id == "c1"
    # Before the typed read, the careful walk found nothing wrong with a subclass and
    # the check refused the body as "not a JSON document"; it is checked as its string.
    assert br.check(snap, body, now=NOW).to_dict() == br.check(
        snap, _COMMON, now=NOW).to_dict()
