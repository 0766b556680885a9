"""Staff, client, room, machine, roster and per-day rules at their boundaries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ..conftest import booking, codes, minimal_doc, run, sched

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _salon(zone: str = "America/Toronto", days: tuple[str, ...] = ("2026-12-01",),
           appointments: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """One stylist (Ana, 09:00-17:00 local) and one colourist (Bo), a 60-min service with a
    20-min gap and a 30-min finish, a room of capacity 1, a machine of quantity 2."""
    slots = [{"date": d, "startTime": "09:00:00", "endTime": "17:00:00", "type": "WORKING"}
             for d in days]
    lists: dict[str, Any] = dict(
        staff=[{"staffId": "ana", "userId": "u_ana", "firstName": "Ana"},
               {"staffId": "bo", "userId": "u_bo", "firstName": "Bo"}],
        services=[{"serviceId": "cut", "name": "Cut", "duration": 30},
                  {"serviceId": "colour", "name": "Colour", "duration": 60,
                   "gapTime": 20, "finishDuration": 30},
                  {"serviceId": "peel", "name": "Peel", "duration": 30, "roomIds": ["r1"],
                   "machineIds": ["m1"]}],
        rooms=[{"roomId": "r1", "name": "Room 1", "capacity": 1}],
        machines=[{"machineId": "m1", "name": "Laser", "quantity": 2}],
        workTimeTables=[{"staffId": s, "timeSlots": slots} for s in ("ana", "bo")],
        appointments=appointments or [],
    )
    lists.update(extra)
    return minimal_doc(zone, **lists)


def _appt(aid: str, start: str, end: str, day: str = "2026-12-01", **kw: Any) -> dict[str, Any]:
    return {"appointmentId": aid, "version": 1, "appointmentDate": day, "startTime": start,
            "endTime": end, "clientId": "cli_x", "staffId": "ana", "serviceId": "cut", **kw}


# Toronto in December is UTC-5: 10:00 local = 15:00Z.

@pytest.mark.parametrize(("start", "expected"), [
    ("2026-12-01T14:30:00Z", set()),  # 09:30-10:00 ends as the other starts
    ("2026-12-01T14:31:00Z", {"STAFF_DOUBLE_BOOKED"}),
    ("2026-12-01T15:30:00Z", set()),  # starts as the other ends
    ("2026-12-01T15:29:00Z", {"STAFF_DOUBLE_BOOKED"}),
])
def test_back_to_back_is_never_a_conflict(start: str, expected: set[str]) -> None:
    doc = _salon(appointments=[_appt("a1", "10:00:00", "10:30:00")])
    assert codes(run(booking(sched("cut", "ana", start)), doc, now=NOW)) == expected


def test_a_request_collides_with_itself() -> None:
    doc = _salon()
    one = sched("cut", "ana", "2026-12-01T15:00:00Z")
    two = sched("cut", "ana", "2026-12-01T15:15:00Z")
    report = run(booking(one, two), doc, now=NOW)
    # The second schedule meets the first: staff busy, client busy, same service that day.
    assert {(v.code, v.location) for v in report.violations} == {
        (c, "clientAppointmentSchedules[0].serviceSchedules[1]") for c in
        ("STAFF_DOUBLE_BOOKED", "CLIENT_ALREADY_BOOKED_THIS_TIME",
         "SERVICE_ALREADY_BOOKED_THIS_DAY")}


def test_the_processing_gap_frees_the_staff_but_not_the_client() -> None:
    doc = _salon()
    colour = sched("colour", "ana", "2026-12-01T15:00:00Z")  # 10:00-11:00, gap, 11:20-11:50
    in_gap_other_client = booking(
        colour, sched("cut", "ana", "2026-12-01T16:00:00Z", clientId="someone"))
    report = run({"clientId": "cli_new", "clientAppointmentSchedules": [
        {"clientId": "cli_new", "serviceSchedules": [colour]},
        {"clientId": "cli_other", "serviceSchedules": [
            {"serviceId": "cut", "staffId": "ana", "startTime": "2026-12-01T16:00:00Z",
             "endTime": "2026-12-01T16:20:00Z"}]}]}, doc, now=NOW)
    assert codes(report) == set()
    del in_gap_other_client
    # The same client in the gap is still in the chair.
    same_client = run(booking(colour, sched("cut", "bo", "2026-12-01T16:00:00Z")), doc,
                      now=NOW)
    assert "CLIENT_ALREADY_BOOKED_THIS_TIME" in codes(same_client)
    # The finish block holds the staff again.
    finish = run({"clientId": "cli_new", "clientAppointmentSchedules": [
        {"clientId": "cli_new", "serviceSchedules": [colour]},
        {"clientId": "cli_other", "serviceSchedules": [
            sched("cut", "ana", "2026-12-01T16:30:00Z")]}]}, doc, now=NOW)
    assert codes(finish) == {"STAFF_DOUBLE_BOOKED"}


def test_an_update_never_conflicts_with_its_own_old_slot() -> None:
    doc = _salon(appointments=[_appt("a1", "10:00:00", "10:30:00", clientId="cli_x")])
    move = {"kind": "updateAppointment", "body": {
        "appointmentId": "a1", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "10:15:00", "endTime": "10:45:00", "staffId": "ana",
        "serviceId": "cut"}}
    assert codes(run(move, doc, now=NOW)) == set()
    # ...but it does conflict with someone else's appointment.
    doc = _salon(appointments=[_appt("a1", "10:00:00", "10:30:00"),
                               _appt("a2", "10:30:00", "11:00:00", clientId="cli_y")])
    assert codes(run(move, doc, now=NOW)) == {"STAFF_DOUBLE_BOOKED"}


def test_roster_boundaries_and_adjacent_slots() -> None:
    doc = _salon()
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T14:00:00Z")), doc,
                     now=NOW)) == set()  # 09:00, the first minute
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T13:59:00Z")), doc,
                     now=NOW)) == {"STAFF_NOT_WORKING"}
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T21:30:00Z")), doc,
                     now=NOW)) == set()  # 16:30-17:00, ends with the roster
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T21:31:00Z")), doc,
                     now=NOW)) == {"STAFF_NOT_WORKING"}
    split = minimal_doc(
        staff=[{"staffId": "ana"}], services=[{"serviceId": "cut", "duration": 30}],
        workTimeTables=[{"staffId": "ana", "timeSlots": [
            {"date": "2026-12-01", "startTime": "09:00", "endTime": "13:00", "type": "WORKING"},
            {"date": "2026-12-01", "startTime": "13:00", "endTime": "17:00", "type": "WORKING"},
            {"date": "2026-12-02", "startTime": "09:00", "endTime": "13:00", "type": "WORKING"},
            {"date": "2026-12-02", "startTime": "13:00", "endTime": "17:00",
             "type": "NON_WORKING"}]}])
    across = booking(sched("cut", "ana", "2026-12-01T17:45:00Z"))  # 12:45-13:15
    assert codes(run(across, split, now=NOW)) == set()
    not_working = booking(sched("cut", "ana", "2026-12-02T17:45:00Z"))
    assert codes(run(not_working, split, now=NOW)) == {"STAFF_NOT_WORKING"}


def test_breaks_and_time_off_are_not_working_time() -> None:
    doc = _salon(breaks=[{"breakId": "b1", "breakDate": "2026-12-01", "startTime": "12:00:00",
                          "endTime": "12:30:00", "staffId": "ana"}])
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T16:45:00Z")), doc,
                     now=NOW)) == {"STAFF_NOT_WORKING"}
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T17:30:00Z")), doc,
                     now=NOW)) == set()
    assert codes(run(booking(sched("cut", "bo", "2026-12-01T16:45:00Z")), doc,
                     now=NOW)) == set()


@pytest.mark.parametrize(("start", "expected"), [
    ("2026-12-01T15:00:00Z", {"EXCEEDED_ROOM_CAPACITY"}),
    ("2026-12-01T15:30:00Z", {"EXCEEDED_ROOM_CAPACITY"}),
    ("2026-12-01T16:15:00Z", set()),
    ("2026-12-01T19:15:00Z", {"EXCEEDED_ROOM_CAPACITY"}),  # a break takes the room
    ("2026-12-01T19:30:00Z", set()),
])
def test_room_capacity(start: str, expected: set[str]) -> None:
    doc = _salon(appointments=[
        _appt("p1", "10:00:00", "10:30:00", serviceId="peel", roomId="r1", staffId="bo"),
        _appt("p2", "10:45:00", "11:15:00", serviceId="peel", roomId="r1", staffId="bo",
              clientId="cli_y")],
        breaks=[{"breakId": "clean", "breakDate": "2026-12-01", "startTime": "14:00:00",
                 "endTime": "14:30:00", "roomId": "r1"}])
    got = codes(run(booking(sched("peel", "ana", start, roomId="r1")), doc, now=NOW))
    assert got == expected


def test_machine_quantity_is_a_peak() -> None:
    # Two units; two uses that do not overlap each other leave one free all the time.
    appts = [_appt("m_a", "10:00:00", "10:30:00", serviceId="peel", machineId="m1",
                   staffId="bo"),
             _appt("m_b", "10:30:00", "11:00:00", serviceId="peel", machineId="m1",
                   staffId="bo", clientId="cli_y")]
    doc = _salon(appointments=appts)
    req = booking(sched("peel", "ana", "2026-12-01T15:15:00Z", machineId="m1"))
    assert codes(run(req, doc, now=NOW)) == set()
    appts.append(_appt("m_c", "10:15:00", "10:45:00", serviceId="peel", machineId="m1",
                       staffId="bo", clientId="cli_z"))
    doc = _salon(appointments=appts)
    req = booking(sched("peel", "ana", "2026-12-01T15:20:00Z", machineId="m1"))
    assert codes(run(req, doc, now=NOW)) == {"MACHINE_DOUBLE_BOOKED"}


def test_same_service_same_day_uses_the_local_date() -> None:
    # 23:30 local on 1 Dec is 04:30Z on 2 Dec: the same local day as a 10:00 cut.
    roster = [{"date": "2026-12-01", "startTime": "08:00:00", "endTime": "23:59:00",
               "type": "WORKING"}]
    doc = _salon(appointments=[_appt("a1", "10:00:00", "10:30:00", clientId="cli_new")],
                 workTimeTables=[{"staffId": s, "timeSlots": roster} for s in ("ana", "bo")])
    late = booking(sched("cut", "bo", "2026-12-02T04:00:00Z"))
    assert codes(run(late, doc, now=NOW)) == {"SERVICE_ALREADY_BOOKED_THIS_DAY"}
    next_day_utc_same = booking(sched("cut", "bo", "2026-12-01T12:00:00Z"))  # 07:00 local
    assert "SERVICE_ALREADY_BOOKED_THIS_DAY" in codes(run(next_day_utc_same, doc, now=NOW))


@pytest.mark.parametrize(("zone", "day", "ok_start", "bad_start"), [
    # Toronto falls back on 1 Nov 2026: 09:00 EST = 14:00Z, and 08:30 EST is not working.
    ("America/Toronto", "2026-11-01", "2026-11-01T14:00:00Z", "2026-11-01T13:30:00Z"),
    # Toronto springs forward on 14 Mar 2027: 09:00 EDT = 13:00Z.
    ("America/Toronto", "2027-03-14", "2027-03-14T13:00:00Z", "2027-03-14T12:30:00Z"),
    # Sydney springs forward on 4 Oct 2026: 09:00 AEDT = 22:00Z the day before.
    ("Australia/Sydney", "2026-10-04", "2026-10-03T22:00:00Z", "2026-10-03T21:30:00Z"),
    # Sydney falls back on 5 Apr 2026: 09:00 AEST = 23:00Z the day before.
    ("Australia/Sydney", "2026-04-05", "2026-04-04T23:00:00Z", "2026-04-04T22:30:00Z"),
])
def test_roster_on_dst_days_in_both_hemispheres(zone: str, day: str, ok_start: str,
                                                bad_start: str) -> None:
    doc = _salon(zone=zone, days=(day,))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert codes(run(booking(sched("cut", "ana", ok_start)), doc, now=now)) == set()
    assert codes(run(booking(sched("cut", "ana", bad_start)), doc, now=now)) == {
        "STAFF_NOT_WORKING"}


def test_unqualified_either_side() -> None:
    doc = _salon()
    doc["staff"][0]["disqualifiedServices"] = ["cut"]
    doc["services"][1]["disqualifiedStaff"] = ["bo"]
    assert codes(run(booking(sched("cut", "ana", "2026-12-01T15:00:00Z")), doc,
                     now=NOW)) == {"STAFF_UNQUALIFIED"}
    assert codes(run(booking(sched("colour", "bo", "2026-12-01T15:00:00Z")), doc,
                     now=NOW)) == {"STAFF_UNQUALIFIED"}
    assert codes(run(booking(sched("cut", "bo", "2026-12-01T15:00:00Z")), doc,
                     now=NOW)) == set()


def test_staff_requested_only_when_the_staff_changes() -> None:
    doc = _salon(appointments=[_appt("a1", "10:00:00", "10:30:00", staffRequest=True)])
    body = {"appointmentId": "a1", "version": 1, "appointmentDate": "2026-12-01",
            "startTime": "11:00:00", "endTime": "11:30:00", "serviceId": "cut"}
    same = {"kind": "updateAppointment", "body": {**body, "staffId": "ana"}}
    other = {"kind": "updateAppointment", "body": {**body, "staffId": "bo"}}
    assert codes(run(same, doc, now=NOW)) == set()
    assert codes(run(other, doc, now=NOW)) == {"STAFF_REQUESTED"}
    doc["appointments"][0]["staffRequest"] = False
    assert codes(run(other, doc, now=NOW)) == set()


def test_room_and_machine_suitability() -> None:
    doc = _salon(rooms=[{"roomId": "r1", "capacity": 1}, {"roomId": "r2", "capacity": 1}],
                 machines=[{"machineId": "m1"}, {"machineId": "m2"}])
    ok = booking(sched("peel", "ana", "2026-12-01T15:00:00Z", roomId="r1", machineId="m1"))
    bad = booking(sched("peel", "ana", "2026-12-01T15:00:00Z", roomId="r2", machineId="m2"))
    assert codes(run(ok, doc, now=NOW)) == set()
    assert codes(run(bad, doc, now=NOW)) == {"ROOM_UNSUITABLE", "MACHINE_UNSUITABLE"}


def test_reserved_holds_block() -> None:
    doc = _salon(appointments=[_appt("h", "10:00:00", "10:30:00", activationState="RESERVED"),
                               _appt("c", "11:00:00", "11:30:00", activationState="CANCELED"),
                               _appt("d", "12:00:00", "12:30:00", deleted=True)])
    def at(start: str) -> set[str]:
        return codes(run(booking(sched("cut", "ana", start)), doc, now=NOW))
    assert at("2026-12-01T15:00:00Z") == {"STAFF_DOUBLE_BOOKED"}
    assert at("2026-12-01T16:00:00Z") == set()
    assert at("2026-12-01T17:00:00Z") == set()
