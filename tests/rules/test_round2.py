"""The amendments of RULES.md round 2 (issue 11; issue 12 item 1), each with a failing and
a passing case, on DST days of both hemispheres where time matters:

zero-length rows and wall-clock intervals (§1); ARCHIVED and unknown states, RESERVED
expiry, rows holding their own span, unnamed rooms and machines (§2); online sources (§3);
offer and course links under their live names, unknown and known fields (§4); absent
lists, nulls, quarantined rows, pages of branches (§6); a schedule without staff.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import booking_rules as br

from ..conftest import booking, codes, minimal_doc, run, salon_doc, sched

NOW = datetime(2026, 1, 1, tzinfo=UTC)
# The four transition days of 2026 (Toronto spring and fall, Sydney fall and spring), and
# an ordinary day.
DST_DAYS = [("America/Toronto", "2026-03-08"), ("America/Toronto", "2026-11-01"),
            ("Australia/Sydney", "2026-04-05"), ("Australia/Sydney", "2026-10-04"),
            ("America/Toronto", "2026-12-01")]


def at(zone: str, day: str, clock: str) -> str:
    """A wall time as the ISO-8601 instant a booking sends (fold 0 on a fall-back day)."""
    wall = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock),
                            tzinfo=ZoneInfo(zone))
    return wall.astimezone(UTC).isoformat().replace("+00:00", "Z")


def salon(zone: str = "America/Toronto", days: tuple[str, ...] = ("2026-12-01",),
          appointments: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """Ana and Bo work 08:00-20:00 local; a cut (30 min), a colour with a 15-min gap and a
    30-min finish, a facial that takes one of two single rooms, a laser that takes one of
    two single machines."""
    slots = [{"date": d, "startTime": "08:00:00", "endTime": "20:00:00", "type": "WORKING"}
             for d in days]
    lists: dict[str, Any] = dict(
        staff=[{"staffId": "ana", "userId": "u_ana", "firstName": "Ana"},
               {"staffId": "bo", "userId": "u_bo", "firstName": "Bo"},
               {"staffId": "cy", "userId": "u_cy", "firstName": "Cy"}],
        services=[{"serviceId": "cut", "name": "Cut", "duration": 30},
                  {"serviceId": "colour", "name": "Colour", "duration": 45, "gapTime": 30,
                   "finishDuration": 30},
                  {"serviceId": "facial", "name": "Facial", "duration": 60,
                   "roomIds": ["r1", "r2"]},
                  {"serviceId": "laser", "name": "Laser", "duration": 30,
                   "machineIds": ["m1", "m2"]}],
        rooms=[{"roomId": "r1", "capacity": 1}, {"roomId": "r2", "capacity": 1}],
        machines=[{"machineId": "m1", "quantity": 1}, {"machineId": "m2", "quantity": 1}],
        workTimeTables=[{"staffId": s, "timeSlots": [dict(x) for x in slots]}
                        for s in ("ana", "bo", "cy")],
        clients=[{"clientId": c, "firstName": c} for c in ("cli_x", "cli_y", "cli_z")],
        appointments=appointments or [],
    )
    lists.update(extra)
    return minimal_doc(zone, **lists)


def appt(aid: str, day: str, start: str, end: str, **kw: Any) -> dict[str, Any]:
    return {"appointmentId": aid, "version": 1, "appointmentDate": day, "startTime": start,
            "endTime": end, "clientId": "cli_x", "staffId": "ana", "serviceId": "cut",
            "activationState": "ACTIVE", **kw}


def with_options(**options: Any) -> br.Ruleset:
    return dataclasses.replace(br.load_ruleset("phorest"), **options)


def notices(report: br.Report, code: str) -> list[br.Violation]:
    return [v for v in (*report.violations, *report.warnings) if v.code == code]


# --- §1 zero-length rows ------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_a_zero_length_row_occupies_nothing(zone: str, day: str) -> None:
    zero = salon(zone, (day,), [appt("z", day, "11:00:00", "11:00:00")])
    quarter = salon(zone, (day,), [appt("z", day, "11:00:00", "11:15:00")])
    for start in ("10:45", "10:50", "11:00"):  # touching, around, at: none overlaps it
        request = booking(sched("cut", "ana", at(zone, day, start)), client="cli_y")
        report = run(request, zero, now=NOW)
        assert codes(report) == set(), start
        assert [w.location for w in notices(report, "ZERO_LENGTH_APPOINTMENT")] == [
            "appointments[0]"]
    # The same row lasting 15 minutes blocks (it used to be read as 24 hours).
    assert codes(run(booking(sched("cut", "ana", at(zone, day, "10:50")), client="cli_y"),
                     quarter, now=NOW)) == {"STAFF_DOUBLE_BOOKED"}
    assert codes(run(booking(sched("cut", "ana", at(zone, day, "11:15")), client="cli_y"),
                     quarter, now=NOW)) == set()


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_a_zero_length_row_still_counts_on_its_local_date(zone: str, day: str) -> None:
    doc = salon(zone, (day,), [appt("z", day, "11:00:00", "11:00:00")])
    same_day = booking(sched("cut", "bo", at(zone, day, "15:00")), client="cli_x")
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    doc["workTimeTables"][1]["timeSlots"].append(
        {"date": next_day, "startTime": "08:00:00", "endTime": "20:00:00", "type": "WORKING"})
    assert codes(run(same_day, doc, now=NOW)) == {"SERVICE_ALREADY_BOOKED_THIS_DAY"}
    assert codes(run(booking(sched("cut", "bo", at(zone, next_day, "09:00")),
                             client="cli_x"), doc, now=NOW)) == set()


@pytest.mark.parametrize(("zone", "day", "start"), [
    ("America/Toronto", "2026-03-08", "02:30:00"), ("Australia/Sydney", "2026-10-04",
                                                    "02:30:00")])
def test_a_start_moved_over_the_gap_onto_its_end_is_zero_length(zone: str, day: str,
                                                                  start: str) -> None:
    doc = salon(zone, (day,), [appt("g", day, start, "03:00:00")])
    doc["workTimeTables"][0]["timeSlots"][0]["startTime"] = "00:00:00"
    snap = br.load_snapshot(doc)
    a = snap.appointments["g"]
    assert a.start == a.end
    assert {n.rule for n in snap.notices} >= {"zero_length_appointment",
                                              "nonexistent_local_time"}
    assert codes(run(booking(sched("cut", "ana", at(zone, day, "03:00")), client="cli_y"),
                     doc, now=NOW)) == set()


# --- §1 wall-clock intervals: past midnight, or empty ---------------------------------------


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_a_roster_slot_past_midnight_and_an_empty_one(zone: str, day: str) -> None:
    night = salon(zone, (day,))
    for t in night["workTimeTables"]:
        t["timeSlots"] = [{"date": day, "startTime": "22:00:00", "endTime": "02:00:00",
                           "type": "WORKING"}]
    after = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    assert codes(run(booking(sched("cut", "ana", at(zone, after, "01:00"))), night,
                     now=NOW)) == set()
    assert codes(run(booking(sched("cut", "ana", at(zone, after, "01:45"))), night,
                     now=NOW)) == {"STAFF_NOT_WORKING"}
    empty = salon(zone, (day,))
    for t in empty["workTimeTables"]:
        t["timeSlots"] = [{"date": day, "startTime": "09:00:00", "endTime": "09:00:00",
                           "type": "WORKING"}]
    # An end equal to its start is empty, not 24 hours.
    assert codes(run(booking(sched("cut", "ana", at(zone, day, "12:00"))), empty,
                     now=NOW)) == {"STAFF_NOT_WORKING"}


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_empty_time_off_and_breaks_take_nothing(zone: str, day: str) -> None:
    doc = salon(zone, (day,))
    doc["workTimeTables"][0]["timeSlots"][0].update(
        {"timeOffStartTime": "12:00:00", "timeOffEndTime": "12:00:00"})
    doc["breaks"] = [{"breakId": "b1", "breakDate": day, "startTime": "14:00:00",
                      "endTime": "14:00:00", "staffId": "ana"},
                     {"breakId": "b2", "breakDate": day, "startTime": "16:00:00",
                      "endTime": "16:30:00", "staffId": "ana"}]
    for start in ("11:45", "13:45"):
        assert codes(run(booking(sched("cut", "ana", at(zone, day, start))), doc,
                         now=NOW)) == set(), start
    assert codes(run(booking(sched("cut", "ana", at(zone, day, "15:45"))), doc,
                     now=NOW)) == {"STAFF_NOT_WORKING"}


def test_an_empty_offer_window_takes_no_time() -> None:
    doc = salon(specialOffers=[{"specialOfferId": "so", "serviceIds": ["cut"],
                                "allowedTimes": [{"days": ["TUESDAY"], "startTime": "00:00:00",
                                                  "endTime": "00:00:00"}]}])
    request = booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "10:00"),
                            specialOfferId="so"))
    assert codes(run(request, doc, now=NOW)) == {"SPECIAL_OFFER_NOT_ALLOWED_TIME"}
    doc["specialOffers"][0]["allowedTimes"][0]["endTime"] = "23:59:59"
    assert codes(run(request, doc, now=NOW)) == set()


# --- §2 activation states and RESERVED holds ------------------------------------------------


@pytest.mark.parametrize(("state", "blocks", "notice"), [
    ("ACTIVE", True, False), ("RESERVED", True, False), ("CANCELED", False, False),
    ("ARCHIVED", False, False), ("PENDING", True, True)])
def test_activation_states(state: str, blocks: bool, notice: bool) -> None:
    doc = salon(appointments=[appt("a", "2026-12-01", "10:00:00", "10:30:00",
                                   activationState=state)])
    report = run(booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "10:15")),
                         client="cli_y"), doc, now=NOW)
    assert ("STAFF_DOUBLE_BOOKED" in codes(report)) is blocks
    found = notices(report, "UNKNOWN_ACTIVATION_STATE")
    assert bool(found) is notice
    if notice:
        assert "'PENDING'" in found[0].message


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_reserved_holds_expire_by_created_at(zone: str, day: str) -> None:
    now = datetime.combine(date.fromisoformat(day), time(12), tzinfo=UTC) - timedelta(days=1)

    def hold(minutes_old: int | None) -> dict[str, Any]:
        extra = {} if minutes_old is None else {
            "createdAt": (now - timedelta(minutes=minutes_old)).isoformat()}
        return appt("h", day, "11:00:00", "11:30:00", activationState="RESERVED", **extra)
    request = booking(sched("cut", "ana", at(zone, day, "11:00")), client="cli_y")
    seven = with_options(reserved_hold_minutes=7)
    old = salon(zone, (day,), [hold(8)])
    report = run(request, old, now=now, ruleset=seven)
    assert codes(report) == set()
    assert [w.code for w in report.warnings] == ["EXPIRED_HOLD"]
    assert report.warnings[0].evidence["hold"]["appointmentId"] == "h"
    # By default, and for a hold not yet 7 minutes old or without createdAt, it blocks.
    assert codes(run(request, old, now=now)) == {"STAFF_DOUBLE_BOOKED"}
    for young in (hold(7), hold(None)):
        report = run(request, salon(zone, (day,), [young]), now=now, ruleset=seven)
        assert codes(report) == {"STAFF_DOUBLE_BOOKED"} and not report.warnings


def test_reserved_hold_minutes_loads_from_a_ruleset(tmp_path: Any) -> None:
    path = tmp_path / "holds.toml"
    path.write_text('extends = "phorest"\n[options]\nreserved_hold_minutes = 7\n'
                    'expand_existing_finish = true\nassign_unnamed_resources = false\n')
    rs = br.load_ruleset(path)
    assert (rs.reserved_hold_minutes, rs.expand_existing_finish,
            rs.assign_unnamed_resources) == (7, True, False)
    for bad in ("reserved_hold_minutes = true", "reserved_hold_minutes = -1",
                "expand_existing_finish = 1"):
        path.write_text(f'extends = "phorest"\n[options]\n{bad}\n')
        with pytest.raises(br.RulesetError):
            br.load_ruleset(path)


# --- §2 existing rows hold their own span ---------------------------------------------------


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_existing_rows_hold_their_own_span_unless_expanded(zone: str, day: str) -> None:
    # A colour row 10:00-10:45 (its finish, were it split, a row of its own at 11:15).
    doc = salon(zone, (day,), [appt("c", day, "10:00:00", "10:45:00", serviceId="colour")])
    staff_in_finish = booking(sched("cut", "ana", at(zone, day, "11:15")), client="cli_y")
    staff_in_gap = booking(sched("cut", "ana", at(zone, day, "10:45")), client="cli_y")
    client_in_gap = booking(sched("cut", "bo", at(zone, day, "10:50")), client="cli_x")
    expand = with_options(expand_existing_finish=True)
    assert codes(run(staff_in_finish, doc, now=NOW)) == set()
    assert codes(run(staff_in_finish, doc, now=NOW, ruleset=expand)) == {
        "STAFF_DOUBLE_BOOKED"}
    assert codes(run(staff_in_gap, doc, now=NOW, ruleset=expand)) == set()  # free in the gap
    assert codes(run(client_in_gap, doc, now=NOW)) == set()
    assert codes(run(client_in_gap, doc, now=NOW, ruleset=expand)) == {
        "CLIENT_ALREADY_BOOKED_THIS_TIME"}
    snap = br.load_snapshot(doc).with_finish(True)
    assert snap.appointments["c"].finish is not None
    assert snap.with_finish(False).appointments["c"].finish is None


def test_expanded_rows_answer_slots_too() -> None:
    doc = salon(appointments=[appt("c", "2026-12-01", "10:00:00", "10:45:00",
                                   serviceId="colour")])
    start = datetime(2026, 12, 1, 15, tzinfo=UTC)  # 10:00 local
    plain = br.find_slots(br.load_snapshot(doc), ["cut"], start=start,
                          end=start + timedelta(hours=2), staff_id="ana", now=NOW)
    expanded = br.find_slots(br.load_snapshot(doc), ["cut"], start=start,
                             end=start + timedelta(hours=2), staff_id="ana", now=NOW,
                             ruleset=with_options(expand_existing_finish=True))
    at_1115 = datetime(2026, 12, 1, 16, 15, tzinfo=UTC)
    assert at_1115 in {s.start for s in plain}
    assert at_1115 not in {s.start for s in expanded}


# --- §2 unnamed rooms and machines of earlier schedules -------------------------------------


def for_clients(*schedules: dict[str, Any]) -> dict[str, Any]:
    """A booking of one schedule per client (cli_x, cli_y, cli_z), so only the shared
    resources can collide."""
    clients = ("cli_x", "cli_y", "cli_z")
    return {"clientId": "cli_x", "clientAppointmentSchedules": [
        {"clientId": c, "serviceSchedules": [s]} for c, s in zip(clients, schedules,
                                                                 strict=False)]}


@pytest.mark.parametrize(("service", "kind"), [("facial", "EXCEEDED_ROOM_CAPACITY"),
                                               ("laser", "MACHINE_DOUBLE_BOOKED")])
def test_an_unnamed_schedule_takes_the_first_free_unit(service: str, kind: str) -> None:
    doc = salon()
    when = at("America/Toronto", "2026-12-01", "10:00")
    two = for_clients(sched(service, "ana", when), sched(service, "bo", when))
    three = for_clients(sched(service, "ana", when), sched(service, "bo", when),
                        sched(service, "cy", when))
    assert run(two, doc, now=NOW).verdict == "PASS"  # the second takes the other unit
    report = run(three, doc, now=NOW)
    assert [(v.code, v.schedule) for v in report.violations if v.code == kind] == [(kind, 2)]
    off = with_options(assign_unnamed_resources=False)
    assert kind not in codes(run(three, doc, now=NOW, ruleset=off))
    # A later schedule naming the unit the first one took finds it taken.
    key = "roomId" if service == "facial" else "machineId"
    named = for_clients(sched(service, "ana", when), sched(
        service, "bo", when, **{key: "r1" if key == "roomId" else "m1"}))
    assert kind in codes(run(named, doc, now=NOW))
    assert kind not in codes(run(named, doc, now=NOW, ruleset=off))


# --- §3 online sources ----------------------------------------------------------------------


@pytest.mark.parametrize(("source", "default", "widget_only"), [
    ("ONLINE", True, False), ("WIDGET", True, True), ("API", False, False),
    ("PHOREST", False, False)])
def test_online_sources(source: str, default: bool, widget_only: bool) -> None:
    doc = salon(appointments=[appt("o", "2026-12-01", "09:00:00", "09:30:00",
                                   source=source, staffId="bo")])
    request = booking(sched("colour", "ana", at("America/Toronto", "2026-12-01", "14:00")),
                      client="cli_x")
    online = "INTERNET_BOOKING_ALREADY_BOOKED"
    assert (online in codes(run(request, doc, now=NOW, online=True))) is default
    base = br.load_ruleset("phorest")
    rs = dataclasses.replace(base, rule_options={
        **base.rule_options, "second_online_booking_same_day": {"online_sources": ["WIDGET"]}})
    assert (online in codes(run(request, doc, now=NOW, online=True, ruleset=rs))) is (
        widget_only)


# --- §4 links under their live names ----------------------------------------------------------


def test_the_example_offer_booking_under_branch_service_group_id() -> None:
    # Issue 11: sent with branchServiceGroupId it used to go from FAIL to PASS in silence.
    body = booking(sched("svc_cut", "stf_john", "2026-12-02T17:30:00Z",
                         specialOfferId="so_morning"))
    group = copy.deepcopy(body)
    schedule = group["clientAppointmentSchedules"][0]["serviceSchedules"][0]
    schedule["branchServiceGroupId"] = schedule.pop("specialOfferId")
    assert codes(run(body)) == codes(run(group)) == {"SPECIAL_OFFER_NOT_ALLOWED_TIME"}
    schedule["branchServiceGroupId"] = "grp_package"  # a group the snapshot holds no offer of
    report = run(group)
    assert report.verdict == "UNKNOWN" and not report.violations
    assert {u.code for u in report.unknowns} >= {"SPECIAL_OFFER_NOT_ALLOWED_TIME",
                                                 "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"}
    assert all("'grp_package'" in u.message for u in report.unknowns)
    # A snapshot that knows the branch has no offers: a service group is no offer there.
    no_offers = salon_doc()
    no_offers["specialOffers"] = []
    assert run(group, no_offers).verdict == "PASS"


@pytest.mark.parametrize("field", ["specialOfferId", "serviceGroupId", "parentServiceGroupId"])
def test_an_appointment_names_its_offer_under_any_live_name(field: str) -> None:
    offer = {"specialOfferId": "so", "serviceIds": ["cut"], "maxPerDay": 1}
    doc = salon(specialOffers=[offer], appointments=[
        appt("o", "2026-12-01", "09:00:00", "09:30:00", staffId="bo", **{field: "so"})])
    request = booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "15:00"),
                            specialOfferId="so"), client="cli_y")
    assert codes(run(request, doc, now=NOW)) == {"SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"}
    other_day = booking(sched("cut", "ana", at("America/Toronto", "2026-12-02", "15:00"),
                              specialOfferId="so"), client="cli_y")
    doc["workTimeTables"][0]["timeSlots"].append(
        {"date": "2026-12-02", "startTime": "08:00:00", "endTime": "20:00:00",
         "type": "WORKING"})
    assert codes(run(other_day, doc, now=NOW)) == set()


def test_a_session_named_by_its_client_course_counts() -> None:
    doc = salon(
        courses=[{"courseId": "crs", "minDaysBetweenSessions": 14}],
        clientCourses=[{"clientCourseId": "cc", "clientId": "cli_x", "courseId": "crs",
                        "clientCourseItems": [{"clientCourseItemId": "cci",
                                               "serviceId": "cut", "remainingUnits": 5}]}],
        appointments=[appt("s1", "2026-11-25", "10:00:00", "10:30:00",
                           clientCourseId="cc")])
    request = booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "10:00"),
                            clientCourseItemId="cci"), client="cli_x")
    assert codes(run(request, doc, now=NOW)) == {"MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED"}
    doc["appointments"][0].pop("clientCourseId")
    assert codes(run(request, doc, now=NOW)) == set()


# --- §4 and issue 12: unknown fields, known live fields -------------------------------------


def test_a_misspelt_staff_field_is_reported_and_strict_fails() -> None:
    # Issue 12: `disqualifiedService` dropped the qualification and the booking passed,
    # even under strict.
    doc = salon_doc()
    doc["staff"][0]["disqualifiedService"] = ["svc_cut"]
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-03T16:00:00Z"))
    report = run(body, doc)
    (w,) = notices(report, "UNKNOWN_FIELD")
    assert w.location == "staff[0].disqualifiedService"
    assert w.evidence["didYouMean"] == "disqualifiedServices"
    assert "did you mean 'disqualifiedServices'" in w.message
    assert report.verdict == "PASS"
    assert run(body, doc, ruleset="strict").verdict == "FAIL"
    doc["staff"][0]["disqualifiedServices"] = doc["staff"][0].pop("disqualifiedService")
    assert codes(run(body, doc)) == {"STAFF_UNQUALIFIED"}


@pytest.mark.parametrize(("where", "path"), [
    (("branch",), "branch"), (("coverage",), "coverage"), (("conventions",), "conventions"),
    (("services", 0), "services[0]"), (("services", 4, "userDurations", 0),
                                       "services[4].userDurations[0]"),
    (("rooms", 0), "rooms[0]"), (("machines", 0), "machines[0]"),
    (("specialOffers", 0), "specialOffers[0]"),
    (("specialOffers", 0, "allowedTimes", 0), "specialOffers[0].allowedTimes[0]"),
    (("courses", 0), "courses[0]"), (("clientCourses", 0), "clientCourses[0]"),
    (("clientCourses", 0, "clientCourseItems", 0), "clientCourses[0].clientCourseItems[0]"),
    (("clients", 0), "clients[0]"), (("workTimeTables", 0), "workTimeTables[0]"),
    (("workTimeTables", 0, "timeSlots", 0), "workTimeTables[0].timeSlots[0]"),
    (("breaks", 0), "breaks[0]"), (("appointments", 0), "appointments[0]"),
])
def test_an_unknown_key_anywhere_in_a_snapshot_is_said_once(where: tuple[Any, ...],
                                                            path: str) -> None:
    doc = salon_doc()
    doc.setdefault("coverage", {"from": "2026-11-01"})
    target: Any = doc
    for step in where:
        target = target[step]
    target["zzTypo"] = 1
    report = run(booking(sched("svc_cut", "stf_lisa", "2026-12-03T16:00:00Z")), doc)
    assert [(w.location, w.evidence["field"]) for w in notices(report, "UNKNOWN_FIELD")] == [
        (f"{path}.zzTypo", "zzTypo")]


def test_an_unknown_key_in_a_request_and_its_wrapper() -> None:
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-03T16:00:00Z", staffRequst=True))
    body["notes"] = "first visit"
    report = run({"kind": "createBooking", "body": body, "knd": "x"})
    found = {(w.location, w.evidence["didYouMean"]) for w in notices(report, "UNKNOWN_FIELD")}
    assert found == {("knd", "kind"), ("notes", "note"), (
        "clientAppointmentSchedules[0].serviceSchedules[0].staffRequst", "staffRequest")}
    assert run({"kind": "createBooking", "body": body}, ruleset="strict").verdict == "FAIL"


def test_known_live_appointment_fields_are_silent() -> None:
    doc = salon_doc()
    doc["appointments"][0].update(
        notes="x", groupBookingId="g", serviceGroupItemOptionId="o", courseId="c",
        courseName="n", waitingListDateTime="2026-11-01T00:00:00Z", depositAmount=10.0,
        depositDateTime=None, createdAt="2026-11-01T00:00:00.000Z",
        isFinishAppointment=False, clientCourseId=None)
    snap = br.load_snapshot(doc)
    assert not [n for n in snap.notices if n.rule == "unknown_field"]


# --- §6 absent is not empty -----------------------------------------------------------------


def test_staff_and_services_alone_give_unknown_not_a_confident_fail() -> None:
    doc = salon(absent=("workTimeTables", "breaks", "appointments", "rooms", "machines",
                        "specialOffers", "courses", "clientCourses", "clients"))
    for key in ("workTimeTables", "breaks", "appointments", "clients"):
        doc.pop(key, None)
    report = run(booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "22:00"))),
                 doc, now=NOW)
    assert report.verdict == "UNKNOWN" and not report.violations
    by_code = {u.code: u for u in report.unknowns}
    assert "workTimeTables" in by_code["STAFF_NOT_WORKING"].message
    assert by_code["STAFF_NOT_WORKING"].evidence["missing"] == ["breaks", "workTimeTables"]
    assert "appointments" in by_code["STAFF_DOUBLE_BOOKED"].message
    # Present and empty is known: no roster that day is a confident FAIL.
    known = salon(workTimeTables=[])
    assert codes(run(booking(sched("cut", "ana", at("America/Toronto", "2026-12-01",
                                                     "22:00"))), known, now=NOW)) == {
        "STAFF_NOT_WORKING"}


def test_services_absent_make_the_service_unknown_not_an_unknown_id() -> None:
    doc = salon()
    doc.pop("services")
    report = run(booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "10:00"))),
                 doc, now=NOW)
    assert report.verdict == "UNKNOWN" and not report.violations
    assert "services" in next(u for u in report.unknowns if u.code == "UNKNOWN_ID").message


# --- §6 nulls read as defaults ----------------------------------------------------------------


def test_a_null_where_a_field_has_a_default_reads_as_the_default() -> None:
    doc = salon(appointments=[
        appt("n1", "2026-12-01", "10:00:00", "10:30:00", deleted=None, staffRequest=None),
        appt("n2", "2026-12-01", "11:00:00", "11:30:00", deleted=None,
             activationState=None)])
    doc["staff"][0]["disqualifiedServices"] = None
    snap = br.load_snapshot(doc)
    nulls = sorted((n.location, n.evidence["rows"]) for n in snap.notices
                   if n.rule == "null_field")
    assert nulls == [("appointments[0].deleted", 2), ("appointments[0].staffRequest", 1),
                     ("appointments[1].activationState", 1),
                     ("staff[0].disqualifiedServices", 1)]
    report = run(booking(sched("cut", "ana", at("America/Toronto", "2026-12-01", "10:15")),
                         client="cli_y"), doc, now=NOW)
    assert codes(report) == {"STAFF_DOUBLE_BOOKED"}  # deleted: null is not deleted


# --- §6 one odd row does not sink the branch ----------------------------------------------------


@pytest.mark.parametrize(("zone", "day"), DST_DAYS)
def test_an_unreadable_appointment_makes_only_its_resources_unknown(zone: str, day: str
                                                                    ) -> None:
    doc = salon(zone, (day,), [appt("bad", day, "25:00:00", "10:30:00"),
                               appt("ok", day, "10:00:00", "10:30:00", staffId="bo",
                                    clientId="cli_z")])
    snap = br.load_snapshot(doc)
    assert [q.location for q in snap.quarantined] == ["appointments[0]"]
    ana = run(booking(sched("cut", "ana", at(zone, day, "15:00")), client="cli_y"), doc,
              now=NOW)
    assert ana.verdict == "UNKNOWN"
    assert {u.code for u in ana.unknowns} == {"STAFF_DOUBLE_BOOKED"}
    assert "appointments[0]" in ana.unknowns[0].message
    # Cy, on that day, and Ana on another day, are decided; Bo's real conflict is found.
    assert run(booking(sched("cut", "cy", at(zone, day, "15:00")), client="cli_y"), doc,
               now=NOW).verdict == "PASS"
    assert codes(run(booking(sched("cut", "bo", at(zone, day, "10:00")), client="cli_y"),
                     doc, now=NOW)) == {"STAFF_DOUBLE_BOOKED"}
    # The client of the unreadable row is unknown that day too.
    client = run(booking(sched("cut", "cy", at(zone, day, "15:00")), client="cli_x"), doc,
                 now=NOW)
    assert {u.code for u in client.unknowns} == {"CLIENT_ALREADY_BOOKED_THIS_TIME",
                                                 "SERVICE_ALREADY_BOOKED_THIS_DAY"}


def test_a_row_without_staff_may_be_anyones() -> None:
    doc = salon(appointments=[{k: v for k, v in appt("x", "2026-12-01", "10:00:00",
                                                      "10:30:00").items() if k != "staffId"}])
    report = run(booking(sched("cut", "cy", at("America/Toronto", "2026-12-01", "15:00")),
                         client="cli_y"), doc, now=NOW)
    assert {u.code for u in report.unknowns} == {"STAFF_DOUBLE_BOOKED"}
    other_day = salon(days=("2026-12-02",), appointments=doc["appointments"])
    assert run(booking(sched("cut", "cy", at("America/Toronto", "2026-12-02", "15:00")),
                       client="cli_y"), other_day, now=NOW).verdict == "PASS"


def test_unreadable_roster_slots_and_breaks() -> None:
    doc = salon()
    doc["workTimeTables"][0]["timeSlots"].append(
        {"date": "2026-12-01", "startTime": "nine", "endTime": "17:00:00", "type": "WORKING"})
    doc["breaks"] = [{"breakId": "b", "breakDate": "2026-12-01", "startTime": "oops",
                      "endTime": "12:00:00", "roomId": "r1"}]
    when = at("America/Toronto", "2026-12-01", "10:00")
    ana = run(booking(sched("cut", "ana", when)), doc, now=NOW)
    assert {u.code for u in ana.unknowns} == {"STAFF_NOT_WORKING"}
    assert run(booking(sched("cut", "bo", when)), doc, now=NOW).verdict == "PASS"
    room = run(booking(sched("facial", "bo", when, roomId="r1")), doc, now=NOW)
    assert {u.code for u in room.unknowns} == {"EXCEEDED_ROOM_CAPACITY"}
    assert run(booking(sched("facial", "bo", when, roomId="r2")), doc, now=NOW
               ).verdict == "PASS"


def test_an_unreadable_staff_row_makes_its_id_unknown_not_missing() -> None:
    doc = salon()
    doc["staff"].append({"staffId": "dee", "disqualifiedServices": "all"})
    report = run(booking(sched("cut", "dee", at("America/Toronto", "2026-12-01", "10:00"))),
                 doc, now=NOW)
    assert report.verdict == "UNKNOWN" and not report.violations
    assert "staff[3]" in next(u for u in report.unknowns if u.code == "UNKNOWN_ID").message


def test_a_document_that_is_not_a_snapshot_is_still_an_input_error() -> None:
    for doc in ([], {"staff": []}, {"branch": {"branchId": "b", "timeZone": "Europe"}}):
        with pytest.raises(br.InputError):
            br.load_snapshot(doc)  # type: ignore[arg-type]


# --- branches -----------------------------------------------------------------------------------


def test_a_page_of_branches_names_the_one_it_holds() -> None:
    page = {"_embedded": {"branches": [
        {"branchId": "br_a", "name": "A", "timeZone": "America/Toronto"},
        {"branchId": "br_b", "name": "B", "timeZone": "Australia/Sydney"}]}}
    doc = salon()
    doc["branch"] = page
    with pytest.raises(br.InputError, match="exactly one branch"):
        br.load_snapshot(doc)
    assert br.load_snapshot(doc, branch="br_b").branch.zone.key == "Australia/Sydney"
    doc["branchId"] = "br_a"
    assert br.load_snapshot(doc).branch.name == "A"
    doc["branchId"] = "br_c"
    with pytest.raises(br.InputError, match="br_a, br_b"):
        br.load_snapshot(doc)
