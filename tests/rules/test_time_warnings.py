"""The time warnings of RULES.md §1 and the notices raised while reading input: naive
instants, local time sent as UTC, an endTime that disagrees with the duration, DST gaps and
folds in Toronto and Sydney, unknown fields, the deprecated flat list, snapshot duplicates
and breaks that block nothing.

The checks run with a ruleset of the engine's own rules only (``own``), so every assertion
is the exact set of codes and locations those rules produce.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br

from ..conftest import booking, minimal_doc, run, salon_doc, sched
from .own_rules import found, own_ruleset, update

S0 = "clientAppointmentSchedules[0].serviceSchedules[0]"
CASES = Path(__file__).resolve().parents[3] / "shared" / "cases" / "phorest"
BEFORE_DST = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> str:
    return own_ruleset(tmp_path_factory.mktemp("rulesets"))


def branch(zone: str, **lists: Any) -> dict[str, Any]:
    """One stylist, one 45-minute cut and one appointment to move, in ``zone``."""
    base: dict[str, Any] = dict(
        staff=[{"staffId": "ana", "userId": "u_ana", "firstName": "Ana"}],
        services=[{"serviceId": "cut", "name": "Cut", "duration": 45}],
        appointments=[{"appointmentId": "a1", "version": 1, "appointmentDate": "2026-08-03",
                       "startTime": "10:00:00", "endTime": "10:45:00", "clientId": "c",
                       "staffId": "ana", "serviceId": "cut"}])
    base.update(lists)
    return minimal_doc(zone, **base)


# --- TIME_WITHOUT_OFFSET ------------------------------------------------------------------

@pytest.mark.parametrize(("start", "expected"), [
    ("2026-12-01T16:00:00", {("TIME_WITHOUT_OFFSET", f"{S0}.startTime")}),
    ("2026-12-01T16:00:00.000", {("TIME_WITHOUT_OFFSET", f"{S0}.startTime")}),
    ("2026-12-01T16:00:00Z", set()),
    ("2026-12-01T16:00:00+00:00", set()),
    ("2026-12-01T11:00:00-05:00", set()),
])
def test_time_without_offset(own: str, start: str, expected: set[tuple[str, str]]) -> None:
    report = run(booking(sched("svc_cut", "stf_lisa", start)), ruleset=own)
    assert found(report) == expected
    assert all(v.severity == "warning" for v in report.warnings) and not report.violations


def test_time_without_offset_names_both_readings(own: str) -> None:
    (v,) = run(booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00")),
               ruleset=own).warnings
    assert v.evidence["readAsUtc"] == "2026-12-01 11:00 EST (16:00Z)"
    assert v.evidence["readAsLocal"] == "2026-12-01 16:00 EST (21:00Z)"
    assert "2026-12-01T21:00:00Z" in v.fix


def test_naive_time_is_read_as_utc_whatever_the_machine_zone(own: str) -> None:
    # Same instant as with Z: the naive reading is UTC, so START_IN_PAST agrees on both.
    naive = run(booking(sched("svc_cut", "stf_lisa", "2026-11-01T11:59:00")), ruleset=own)
    zulu = run(booking(sched("svc_cut", "stf_lisa", "2026-11-01T11:59:00Z")), ruleset=own)
    assert found(naive) == {("TIME_WITHOUT_OFFSET", f"{S0}.startTime"),
                            ("START_IN_PAST", f"{S0}.startTime")}
    assert found(zulu) == {("START_IN_PAST", f"{S0}.startTime")}


# --- LIKELY_LOCAL_TIME_SENT_AS_UTC --------------------------------------------------------

def test_the_acceptance_case_warns_of_local_time_sent_as_utc() -> None:
    path = CASES / "utc_trap_local_sent_as_utc.json"
    if not path.exists():
        pytest.skip("../shared/cases is not beside this checkout")
    case = json.loads(path.read_text())
    snap = br.load_snapshot(path.parent / case["snapshot"])
    report = br.check(snap, case["request"], now=datetime(2026, 11, 1, 12, tzinfo=UTC))
    assert [(v.code, v.severity, v.location) for v in report.warnings] == [
        ("LIKELY_LOCAL_TIME_SENT_AS_UTC", "warning", f"{S0}.startTime")]
    assert report.warnings[0].evidence["likelyMeant"] == "2026-12-03T18:30:00Z"
    assert {v.code for v in report.violations} == {"STAFF_NOT_WORKING"}


# Lisa works 09:00-13:00 and 13:30-17:30 in Toronto (UTC-5 in December); a cut is 45 min.
@pytest.mark.parametrize(("start", "expected"), [
    ("2026-12-03T13:30:00Z", {"LIKELY_LOCAL_TIME_SENT_AS_UTC"}),  # 08:30 sent, 13:30 fits
    ("2026-12-03T13:30:00+00:00", {"LIKELY_LOCAL_TIME_SENT_AS_UTC"}),
    ("2026-12-03T13:30:00", {"LIKELY_LOCAL_TIME_SENT_AS_UTC", "TIME_WITHOUT_OFFSET"}),
    ("2026-12-03T08:30:00-05:00", set()),  # the same instant, but a zone was chosen
    ("2026-12-03T13:30:00+05:00", set()),  # 03:30 in Toronto: a wrong zone, not this trap
    ("2026-12-03T18:30:00Z", set()),  # converted correctly
    ("2026-12-03T12:15:00Z", {"LIKELY_LOCAL_TIME_SENT_AS_UTC"}),  # 12:15-13:00 local fits
    ("2026-12-03T12:16:00Z", set()),  # local reading runs into the time off
    ("2026-12-03T08:15:00Z", set()),  # 03:15 sent, 08:15 local: neither fits
    ("2026-12-03T17:00:00Z", set()),  # 12:00 local as sent: inside the roster already
])
def test_local_time_sent_as_utc(own: str, start: str, expected: set[str]) -> None:
    report = run(booking(sched("svc_cut", "stf_lisa", start)), ruleset=own)
    assert {v.code for v in report.warnings} == expected and not report.violations


def test_local_time_sent_as_utc_moves_every_block(own: str) -> None:
    # 30 min, a 15-min gap, a 30-min finish; Ana works 09:00-12:00 and 14:00-18:00 in
    # Toronto (UTC-5).
    doc = branch("America/Toronto", services=[
        {"serviceId": "colour", "name": "Colour", "duration": 30, "gapTime": 15,
         "finishDuration": 30}], workTimeTables=[{"staffId": "ana", "timeSlots": [
             {"date": "2026-12-03", "startTime": start, "endTime": end, "type": "WORKING"}
             for start, end in (("09:00:00", "12:00:00"), ("14:00:00", "18:00:00"))]}])
    fits = booking(sched("colour", "ana", "2026-12-03T10:30:00Z"), client="c")
    assert found(run(fits, doc, ruleset=own)) == {
        ("LIKELY_LOCAL_TIME_SENT_AS_UTC", f"{S0}.startTime")}
    # 11:00 local fits the main block, but the finish (11:45-12:15) runs past 12:00.
    finish_outside = booking(sched("colour", "ana", "2026-12-03T11:00:00Z"), client="c")
    assert found(run(finish_outside, doc, ruleset=own)) == set()
    # As sent, 16:00Z is 11:00 local: its main block fits, its finish does not; read as
    # 16:00 local, both fit.
    sent_finish_outside = booking(sched("colour", "ana", "2026-12-03T16:00:00Z"), client="c")
    assert found(run(sent_finish_outside, doc, ruleset=own)) == {
        ("LIKELY_LOCAL_TIME_SENT_AS_UTC", f"{S0}.startTime")}


def test_local_time_sent_as_utc_is_not_checked_on_updates(own: str) -> None:
    # An update body is wall clock by design: 08:30 local is just outside the roster.
    move = update("ap_mary_cut", "2026-12-03", "08:30:00", "stf_lisa")
    assert found(run(move, ruleset=own)) == set()


def test_local_time_sent_as_utc_needs_a_roster(own: str) -> None:
    body = booking(sched("cut", "ana", "2026-12-03T13:30:00Z"))
    assert found(run(body, branch("America/Toronto"), ruleset=own)) == set()


# --- END_TIME_DIFFERS_FROM_DURATION -------------------------------------------------------

@pytest.mark.parametrize(("service", "staff", "start", "end", "expected"), [
    ("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z", "2026-12-01T16:45:00Z", set()),
    ("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z", "2026-12-01T16:44:00Z",
     {("END_TIME_DIFFERS_FROM_DURATION", f"{S0}.endTime")}),
    ("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z", "2026-12-01T11:45:00-05:00", set()),
    # Raj's own duration for a blow-dry (45) wins over the service's (30).
    ("svc_blowdry", "stf_raj", "2026-12-01T19:00:00Z", "2026-12-01T19:45:00Z", set()),
    ("svc_blowdry", "stf_raj", "2026-12-01T19:00:00Z", "2026-12-01T19:30:00Z",
     {("END_TIME_DIFFERS_FROM_DURATION", f"{S0}.endTime")}),
    ("svc_blowdry", "stf_lisa", "2026-12-01T16:00:00Z", "2026-12-01T16:30:00Z", set()),
])
def test_end_time_differs_from_duration(own: str, service: str, staff: str, start: str,
                                        end: str, expected: set[tuple[str, str]]) -> None:
    report = run(booking(sched(service, staff, start, endTime=end)), ruleset=own)
    assert found(report) == expected


def test_end_time_across_the_fall_back_is_elapsed_time(own: str) -> None:
    # 01:30 EDT (05:30Z) plus 45 minutes is 01:15 EST (06:15Z) on 1 November 2026.
    body = booking(sched("svc_cut", "stf_lisa", "2026-11-01T05:30:00Z",
                         endTime="2026-11-01T06:15:00Z"))
    assert found(run(body, now=datetime(2026, 10, 1, tzinfo=UTC), ruleset=own)) == set()


def test_end_time_of_an_update(own: str) -> None:
    moved = update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa", endTime="17:00:00")
    report = run(moved, ruleset=own)
    assert found(report) == {("END_TIME_DIFFERS_FROM_DURATION", "endTime")}
    assert report.warnings[0].fix.endswith("16:45:00")
    exact = update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa", endTime="16:45:00")
    assert found(run(exact, ruleset=own)) == set()
    assert found(run(update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa"),
                     ruleset=own)) == set()


# --- NONEXISTENT_LOCAL_TIME, AMBIGUOUS_LOCAL_TIME -----------------------------------------

@pytest.mark.parametrize(("zone", "day", "moved_to"), [
    ("America/Toronto", "2027-03-14", datetime(2027, 3, 14, 7, 30, tzinfo=UTC)),  # 03:30 EDT
    ("Australia/Sydney", "2026-10-04", datetime(2026, 10, 3, 16, 30, tzinfo=UTC)),  # AEDT
])
def test_a_gap_time_in_an_update_moves_forward(own: str, zone: str, day: str,
                                               moved_to: datetime) -> None:
    move = update("a1", day, "02:30:00", "ana")
    report = run(move, branch(zone), now=BEFORE_DST, ruleset=own)
    assert found(report) == {("NONEXISTENT_LOCAL_TIME", "startTime")}
    assert report.warnings[0].severity == "warning"
    # Where it moved to, seen through START_IN_PAST: 02:30 became 03:30.
    assert found(run(move, branch(zone), now=moved_to, ruleset=own)) == {
        ("NONEXISTENT_LOCAL_TIME", "startTime")}
    just_after = moved_to.replace(second=1)
    assert found(run(move, branch(zone), now=just_after, ruleset=own)) == {
        ("NONEXISTENT_LOCAL_TIME", "startTime"), ("START_IN_PAST", "startTime")}


@pytest.mark.parametrize(("zone", "day"), [
    ("America/Toronto", "2027-03-14"), ("Australia/Sydney", "2026-10-04")])
def test_times_around_the_gap_pass(own: str, zone: str, day: str) -> None:
    for clock in ("01:59:00", "03:00:00", "03:30:00"):
        move = update("a1", day, clock, "ana")
        assert found(run(move, branch(zone), now=BEFORE_DST, ruleset=own)) == set(), clock


def test_an_end_time_in_the_gap(own: str) -> None:
    move = update("a1", "2027-03-14", "01:45:00", "ana", endTime="02:30:00")
    report = run(move, branch("America/Toronto"), now=BEFORE_DST, ruleset=own)
    # 01:45 EST to 03:30 EDT is 45 minutes: the cut's length, so only the gap is reported.
    assert found(report) == {("NONEXISTENT_LOCAL_TIME", "endTime")}


def test_a_gap_time_in_the_snapshot(own: str) -> None:
    doc = branch("America/Toronto", breaks=[
        {"breakId": "b1", "breakDate": "2027-03-14", "startTime": "02:30:00",
         "endTime": "04:00:00", "staffId": "ana"}])
    report = run(booking(sched("cut", "ana", "2026-12-03T15:00:00Z"), client="c"), doc,
                 ruleset=own)
    assert found(report) == {("NONEXISTENT_LOCAL_TIME", "breaks[0]")}


def test_a_fold_time_takes_the_first_occurrence(own: str) -> None:
    # 01:30 on 1 November 2026 in Toronto is 05:30Z (EDT) and again 06:30Z (EST).
    move = update("a1", "2026-11-01", "01:30:00", "ana")
    doc = branch("America/Toronto")
    assert found(run(move, doc, now=BEFORE_DST, ruleset=own)) == {
        ("AMBIGUOUS_LOCAL_TIME", "startTime")}
    between = datetime(2026, 11, 1, 6, tzinfo=UTC)  # after the first, before the second
    assert found(run(move, doc, now=between, ruleset=own)) == {
        ("AMBIGUOUS_LOCAL_TIME", "startTime"), ("START_IN_PAST", "startTime")}


def test_times_around_the_fold_pass(own: str) -> None:
    for clock in ("00:59:00", "02:00:00"):
        move = update("a1", "2026-11-01", clock, "ana")
        assert found(run(move, branch("America/Toronto"), now=BEFORE_DST,
                         ruleset=own)) == set(), clock


def test_a_utc_instant_on_a_dst_night_is_never_a_notice(own: str) -> None:
    for start in ("2027-03-14T07:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"):
        body = booking(sched("cut", "ana", start), client="c")
        assert found(run(body, branch("America/Toronto"), now=BEFORE_DST,
                         ruleset=own)) == set(), start


def test_notices_take_the_ruleset_severity() -> None:
    move = update("a1", "2027-03-14", "02:30:00", "ana")
    report = run(move, branch("America/Toronto"), now=BEFORE_DST, ruleset="strict")
    assert "NONEXISTENT_LOCAL_TIME" in {v.code for v in report.violations}


# --- UNKNOWN_FIELD, DEPRECATED_SCHEDULES --------------------------------------------------

def test_unknown_fields_are_named_where_they_are(own: str) -> None:
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z", staffRequested=True))
    body["notes"] = "first visit"
    body["clientAppointmentSchedules"][0]["colour"] = "red"
    assert found(run(body, ruleset=own)) == {
        ("UNKNOWN_FIELD", "notes"),
        ("UNKNOWN_FIELD", "clientAppointmentSchedules[0].colour"),
        ("UNKNOWN_FIELD", f"{S0}.staffRequested")}
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z", staffRequest=True))
    body["note"] = "first visit"
    assert found(run(body, ruleset=own)) == set()


def test_unknown_fields_of_an_update_and_of_a_snapshot(own: str) -> None:
    move = update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa", startDate="x")
    assert found(run(move, ruleset=own)) == {("UNKNOWN_FIELD", "startDate")}
    doc = salon_doc()
    doc["extras"] = []
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z"))
    assert found(run(body, doc, ruleset=own)) == {("UNKNOWN_FIELD", "extras")}


def test_deprecated_flat_schedules_are_still_checked(own: str) -> None:
    flat = {"clientId": "cli_new", "schedules": [
        sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z"),
        sched("svc_cut", "stf_gone", "2026-12-01T17:00:00Z")]}
    assert found(run(flat, ruleset=own)) == {
        ("DEPRECATED_SCHEDULES", "schedules"), ("UNKNOWN_ID", "schedules[1].staffId")}
    current = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z"))
    assert found(run(current, ruleset=own)) == set()


# --- DUPLICATE_ID, BREAK_WITHOUT_RESOURCE -------------------------------------------------

def test_duplicate_id_and_the_later_entry_wins(own: str) -> None:
    doc = salon_doc()
    where = f"services[{len(doc['services'])}]"
    doc["services"].append({"serviceId": "svc_cut", "name": "Cut (old copy)", "duration": 30})
    thirty = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z",
                           endTime="2026-12-01T16:30:00Z"))
    assert found(run(thirty, doc, ruleset=own)) == {("DUPLICATE_ID", where)}
    forty_five = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z",
                               endTime="2026-12-01T16:45:00Z"))
    assert found(run(forty_five, doc, ruleset=own)) == {
        ("DUPLICATE_ID", where), ("END_TIME_DIFFERS_FROM_DURATION", f"{S0}.endTime")}
    assert found(run(forty_five, ruleset=own)) == set()


def test_break_without_resource(own: str) -> None:
    doc = salon_doc()
    where = f"breaks[{len(doc['breaks'])}]"
    meeting = {"breakId": "brk_team", "breakDate": "2026-12-01", "startTime": "08:00:00",
               "endTime": "08:30:00"}
    doc["breaks"].append(meeting)
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T16:00:00Z"))
    assert found(run(body, doc, ruleset=own)) == {("BREAK_WITHOUT_RESOURCE", where)}
    for owner in ({"staffId": "stf_lisa"}, {"roomId": "room_a"}, {"machineId": "mach_ipl"}):
        doc["breaks"][-1] = {**meeting, **owner}
        assert found(run(body, doc, ruleset=own)) == set(), owner
