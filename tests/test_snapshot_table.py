"""The appointment history held column by column: the fast reads (a file decoded straight
into rows, a dict converted in C) must give exactly what the general, pydantic read gives,
and the queries over the table must give what the appointments say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import booking_rules as br
from booking_rules._time import wall_to_utc
from booking_rules.platforms.phorest import history as _history
from booking_rules.platforms.phorest import wire as _wire
from booking_rules.testing import snapshots

from .conftest import minimal_doc

STAFF = [{"staffId": "s1", "userId": "u1", "firstName": "Ana"},
         {"staffId": "s2", "userId": "u2", "firstName": "Bo"}]
SERVICES = [{"serviceId": "cut", "name": "Cut", "duration": 30}]
TORONTO = ZoneInfo("America/Toronto")


@contextmanager
def general_read_only() -> Iterator[None]:
    """Every appointment list read by ``AppointmentIn``, row by row (the fallback)."""
    saved = _history.FAST
    _history.FAST = False
    try:
        yield
    finally:
        _history.FAST = saved


def _appt(aid: str, day: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {"appointmentId": aid, "appointmentDate": day, "startTime": start,
            "endTime": end, "staffId": "s1", "clientId": "c1", "serviceId": "cut", **more}


def _doc(appointments: list[dict[str, Any]], zone: str = "America/Toronto"
         ) -> dict[str, Any]:
    doc = minimal_doc(staff=STAFF, services=SERVICES, appointments=appointments)
    doc["branch"]["timeZone"] = zone
    return doc


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "snap.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _view(snap: br.Snapshot) -> dict[str, Any]:
    """Everything a rule can read of the appointments, in a comparable form."""
    far_start = datetime(1990, 1, 1, tzinfo=UTC)
    far_end = datetime(2100, 1, 1, tzinfo=UTC)
    staff_ids = {a.staff_id for a in snap.appointments.values() if a.staff_id}
    client_ids = {a.client_id for a in snap.appointments.values() if a.client_id}
    days = {a.local_date for a in snap.appointments.values()}
    return {
        "appointments": {k: snap.appointments[k] for k in snap.appointments},
        "order": list(snap.appointments),
        "notices": snap.notices,
        "staff": {s: [a.id for a in snap.staff_appointments(s, far_start, far_end)]
                  for s in sorted(staff_ids)},
        "client": {c: [a.id for a in snap.client_appointments(c, far_start, far_end)]
                   for c in sorted(client_ids)},
        "client_day": {(c, d): [a.id for a in snap.client_day(c, d)]
                       for c in sorted(client_ids) for d in sorted(days)},
    }


def test_a_file_a_dict_and_the_general_read_agree(tmp_path: Path) -> None:
    appts = [
        _appt("a1", "2026-12-01", "09:00:00", "09:30:00", price=60.0, bookingId="b1"),
        _appt("a2", "2026-12-01", "09:00:00", "09:45:00", staffId="s2", roomId="r1"),
        _appt("a3", "2026-12-01", "23:30:00", "00:30:00", version=3),  # past midnight
        _appt("a4", "2026-12-02", "10:00:00", "10:30:00", activationState="CANCELED"),
        _appt("a5", "2026-12-02", "10:00:00", "10:30:00", deleted=True),
        _appt("a6", "2026-12-02", "10:00:00", "10:30:00", activationState="RESERVED",
              staffRequest=True, source="ONLINE"),
        _appt("a1", "2026-12-03", "11:00:00", "11:30:00"),  # a later duplicate wins
        _appt("a7", "2026-03-08", "02:30:00", "03:15:00"),  # in the spring-forward gap
        _appt("a8", "2026-11-01", "01:30:00", "02:00:00"),  # in the fall-back fold
        _appt("a9", "2026-12-04", "10:00:00.250", "10:30", specialOfferId="o1",
              machineId="m1", clientCourseItemId="ci1"),
    ]
    doc = _doc(appts)
    from_file = br.load_snapshot(_write(tmp_path, doc))
    from_dict = br.load_snapshot(doc)
    with general_read_only():
        general = br.load_snapshot(doc)
    assert _view(from_file) == _view(from_dict) == _view(general)
    # a7's start moves over the gap past its end: zero-length (RULES.md §1, round 2).
    assert [(n.rule, n.location) for n in general.notices] == [
        ("duplicate_id", "appointments[6]"), ("nonexistent_local_time", "appointments[7]"),
        ("zero_length_appointment", "appointments[7]")]
    assert general.appointments["a7"].end == general.appointments["a7"].start
    a1 = general.appointments["a1"]
    assert a1.start == datetime(2026, 12, 3, 16, tzinfo=UTC)
    assert general.appointments["a3"].end == datetime(2026, 12, 2, 5, 30, tzinfo=UTC)
    assert general.appointments["a9"].start == datetime(2026, 12, 4, 15, 0, 0, 250_000,
                                                        tzinfo=UTC)
    assert general.appointments["a7"].start == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert general.appointments["a8"].start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["America/Toronto", "Australia/Sydney", "Europe/London",
                                  "Pacific/Chatham", "Asia/Tokyo"])
def test_every_quarter_hour_of_a_dst_weekend_reads_as_the_exact_conversion(
        tmp_path: Path, zone: str) -> None:
    tz = ZoneInfo(zone)
    days = [date(2026, 3, 7) + timedelta(days=k) for k in range(3)] + [
        date(2026, 4, 4) + timedelta(days=k) for k in range(3)] + [
        date(2026, 9, 26) + timedelta(days=k) for k in range(3)] + [
        date(2026, 10, 31) + timedelta(days=k) for k in range(3)]
    appts = []
    for day in days:
        for q in range(96):
            clock = time(q // 4, q % 4 * 15)
            end = time((q + 1) % 96 // 4, (q + 1) % 4 * 15)
            appts.append(_appt(f"{day}-{q}", day.isoformat(), clock.isoformat(),
                               end.isoformat()))
    snap = br.load_snapshot(_write(tmp_path, _doc(appts, zone)))
    for day in days:
        for q in range(96):
            clock = time(q // 4, q % 4 * 15)
            expected = wall_to_utc(day, clock, tz).instant
            assert snap.appointments[f"{day}-{q}"].start == expected, (day, clock)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=snapshots(max_appointments=12), data=st.data())
def test_generated_snapshots_read_the_same_every_way(doc: dict[str, Any],
                                                     data: st.DataObject) -> None:
    with general_read_only():
        general = br.load_snapshot(doc)
    assert _view(br.load_snapshot(doc)) == _view(general)
    other = "utc" if general.appointment_times == "local" else "local"
    assert _view(br.load_snapshot(doc).with_times(other)) == _view(general.with_times(other))


def test_a_file_with_unusual_rows_takes_the_general_read(tmp_path: Path) -> None:
    # A number as a string, a HAL page: pydantic decides them, the same as for a dict.
    appts = [_appt("a1", "2026-12-01", "09:00:00", "09:30:00", version="7")]
    snap = br.load_snapshot(_write(tmp_path, _doc(appts)))
    assert snap.appointments["a1"].version == 7
    page = _doc([])
    page["appointments"] = {"_embedded": {"appointments": appts}, "page": {}}
    assert br.load_snapshot(_write(tmp_path, page, "hal.json")).appointments["a1"].version == 7


@pytest.mark.parametrize(("row", "path", "need"), [
    ({"startTime": "9am"}, "appointments[1].startTime", "a time of day HH:mm:ss"),
    ({"appointmentDate": "2026-13-01"}, "appointments[1].appointmentDate", "a date"),
    ({"appointmentId": ""}, "appointments[1].appointmentId", "at least 1 character"),
    ({"version": "seven"}, "appointments[1].version", "valid integer"),
    ({"deleted": "perhaps"}, "appointments[1].deleted", "valid boolean"),
])
def test_a_bad_row_in_a_file_names_its_path(tmp_path: Path, row: dict[str, Any], path: str,
                                            need: str) -> None:
    # RULES.md §6 (round 2): the row is quarantined, listed with its path, not a failed load;
    # the rows around it are read (a2, after it, keeps its own place in the notices).
    appts = [_appt("a0", "2026-12-01", "08:00:00", "08:30:00"),
             {**_appt("a1", "2026-12-01", "09:00:00", "09:30:00"), **row},
             _appt("a0", "2026-12-02", "08:00:00", "08:30:00")]
    for source in (_write(tmp_path, _doc(appts)), _doc(appts)):
        for fast in (True, False):
            _history.FAST = fast
            try:
                snap = br.load_snapshot(source)
            finally:
                _history.FAST = True
            listed = [n for n in snap.notices if n.rule == "unreadable_row"]
            assert [n.location for n in listed] == ["appointments[1]"]
            field = path.rsplit(".", 1)[1]
            assert field in listed[0].message
            assert "a1" not in snap.appointments
            assert [(n.rule, n.location) for n in snap.notices if n.rule == "duplicate_id"
                    ] == [("duplicate_id", "appointments[2]")]
            assert [q.location for q in snap.quarantined] == ["appointments[1]"]


def test_unknown_appointment_fields_are_said_once_per_name(tmp_path: Path) -> None:
    appts = [_appt(f"a{i}", "2026-12-01", f"{9 + i:02d}:00:00", f"{9 + i:02d}:30:00",
                   colour="red") for i in range(3)]
    appts[1]["mood"] = "calm"
    snap = br.load_snapshot(_write(tmp_path, _doc(appts)))
    assert [(n.rule, n.location, dict(n.evidence)) for n in snap.notices] == [
        ("unknown_field", "appointments[0].colour",
         {"field": "colour", "didYouMean": None, "rows": 3}),
        ("unknown_field", "appointments[1].mood",
         {"field": "mood", "didYouMean": None, "rows": 1})]
    assert "3 of 3" in snap.notices[0].message
    assert len(snap.appointments) == 3


def test_without_appointment_frees_its_time_and_hides_it() -> None:
    appts = [_appt("a1", "2026-12-01", "09:00:00", "09:30:00"),
             _appt("a2", "2026-12-01", "09:30:00", "10:00:00")]
    snap = br.load_snapshot(_doc(appts))
    start = datetime(2026, 12, 1, 14, tzinfo=UTC)
    end = start + timedelta(hours=1)
    trimmed = snap.without_appointment("a1")
    assert [a.id for a in snap.staff_appointments("s1", start, end)] == ["a1", "a2"]
    assert [a.id for a in trimmed.staff_appointments("s1", start, end)] == ["a2"]
    assert "a1" not in trimmed.appointments and len(trimmed.appointments) == 1
    assert list(trimmed.appointments) == ["a2"]
    with pytest.raises(KeyError):
        trimmed.appointments["a1"]
    assert [a.id for a in trimmed.with_times("utc").staff_appointments(
        "s1", start - timedelta(hours=5), end)] == ["a2"]
    assert "a1" in snap.appointments  # the original is untouched


def test_a_file_snapshot_reads_again_under_the_other_convention(tmp_path: Path) -> None:
    appts = [_appt("a1", "2026-12-01", "10:00:00", "10:30:00")]
    doc = _doc(appts)  # no conventions: local unless the caller says otherwise
    snap = br.load_snapshot(_write(tmp_path, doc))
    assert snap.appointments["a1"].start == datetime(2026, 12, 1, 15, tzinfo=UTC)
    assert snap.with_times("utc").appointments["a1"].start == datetime(
        2026, 12, 1, 10, tzinfo=UTC)


def test_bad_bytes_keep_their_precise_messages(tmp_path: Path) -> None:
    bad_utf8 = tmp_path / "latin1.json"
    bad_utf8.write_bytes(b'{"branch": "caf\xe9"}')
    with pytest.raises(br.InputError, match="UTF-8"):
        br.load_snapshot(bad_utf8)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(br.InputError, match="valid JSON"):
        br.load_snapshot(empty)
    nan = tmp_path / "nan.json"
    nan.write_text('{"branch": {"branchId": "b", "timeZone": "UTC"}, "x": NaN}')
    # NaN is not JSON (issue 12): refused with its JSON path, not read as a float.
    with pytest.raises(br.InputError, match=r"at x: expected a finite number"):
        br.load_snapshot(nan)
    with pytest.raises(br.InputError, match="a regular snapshot file, not a directory"):
        br.load_snapshot(tmp_path)


def test_a_file_with_an_unknown_top_level_key_reads_like_its_dict(tmp_path: Path) -> None:
    appts = [_appt("a1", "2026-12-01", "09:00:00", "09:30:00"),
             _appt("a2", "2026-12-01", "09:30:00", "10:00:00", staffId="s2")]
    doc = {"giftCards": [{"id": 1}], **_doc(appts)}  # not a key (vouchers are: issue 18)
    from_file = br.load_snapshot(_write(tmp_path, doc))
    assert _view(from_file) == _view(br.load_snapshot(doc))
    assert [n.location for n in from_file.notices] == ["giftCards"]


def test_the_fast_row_reads_exactly_the_fields_of_appointment_in() -> None:
    # The two must move together: a field only AppointmentIn knows would be dropped by
    # the dict fast path (msgspec.convert ignores what the struct does not name).
    assert set(_history.AppointmentRow.__struct_fields__) == set(
        _wire.AppointmentIn.model_fields)
    assert not set(_wire.APPOINTMENT_UNUSED) & set(_wire.AppointmentIn.model_fields)


def test_unknown_and_live_fields_keep_every_row_off_the_general_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 11 item 5: a field nobody knows, on every row, was a trip through pydantic for
    # the whole history (4x). It is now taken onto the fast row by name, reported once.
    calls: list[int] = []
    general = _wire.AppointmentIn.model_validate

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return general(*args, **kwargs)

    monkeypatch.setattr(_wire.AppointmentIn, "model_validate", counted)
    live = {"notes": None, "groupBookingId": "g1", "serviceGroupItemOptionId": None,
            "courseId": None, "courseName": None, "waitingListDateTime": None,
            "depositAmount": 5.0, "serviceGroupId": None, "parentServiceGroupId": None,
            "clientCourseId": None, "createdAt": "2026-11-01T00:00:00.000Z"}
    appts = [_appt(f"a{i}", "2026-12-01", f"{8 + i % 10:02d}:00:00",
                   f"{8 + i % 10:02d}:30:00", staffId=f"s{i}", **live, **{
                       "colour-formula": "6/0", "mood": i}) for i in range(5000)]
    for source in (_write(tmp_path, _doc(appts)), _doc(appts)):
        snap = br.load_snapshot(source)
        assert len(snap.appointments) == 5000
        assert sorted((n.location, n.evidence["rows"]) for n in snap.notices) == [
            ("appointments[0].colour-formula", 5000), ("appointments[0].mood", 5000)]
    assert calls == []


def test_a_history_out_of_start_order_is_indexed_as_one_in_order() -> None:
    # The indexes group rows by key and skip sorting when the whole history is in start
    # order; out of order, each key's rows are sorted. Both must answer alike.
    appts = [_appt(f"a{i}", f"2026-12-0{1 + i % 3}", f"{9 + i % 5:02d}:{15 * (i % 4):02d}:00",
                   f"{10 + i % 5:02d}:00:00", staffId=f"s{1 + i % 2}", clientId=f"c{i % 3}")
             for i in range(24)]
    ordered = br.load_snapshot(_doc(sorted(appts, key=lambda a: (
        a["appointmentDate"], a["startTime"]))))
    shuffled = br.load_snapshot(_doc(list(reversed(appts))))
    start = datetime(2026, 11, 30, tzinfo=UTC)
    end = start + timedelta(days=5)
    for staff in ("s1", "s2"):
        got = [a.id for a in shuffled.staff_appointments(staff, start, end)]
        assert got == [a.id for a in ordered.staff_appointments(staff, start, end)]
        assert len(got) == 12
    for client in ("c0", "c1", "c2"):
        got = [a.id for a in shuffled.client_appointments(client, start, end)]
        assert got == [a.id for a in ordered.client_appointments(client, start, end)]
        assert got and [shuffled.appointments[i].start for i in got] == sorted(
            shuffled.appointments[i].start for i in got)
