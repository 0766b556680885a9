"""Explain (``booking_rules.explain``): Phorest's answer read in every form, diagnosed by the
same rules as ``check``, advised by status, with alternatives that are proven to pass.

The nineteen codes are explained on their own rule docstrings' failing examples (the same
requests ``test_rule_docs`` runs), against the example salon at now = 2026-11-01T12:00:00Z.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import json
import shutil
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules import Explanation, InputError, explain, explain_corpus
from booking_rules.core.rule import examples
from booking_rules.explain import AXES, PER_AXIS, load_error
from booking_rules.platforms.phorest import API_CODES as PHOREST_CODES
from booking_rules.platforms.phorest.errors import parse_response

from .conftest import NOW, ROOT, booking, example_setup, salon_doc, sched

RULES = br.registry()
SALON = br.load_snapshot(salon_doc())
CORPUS = ROOT / "tests" / "data" / "corpus"
MIN_DAYS = "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED"
MAX_DAYS = "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED"
ENDPOINT = "/business/{businessId}/branch/br_tor/"


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def failing_example(code: str) -> tuple[dict[str, Any], bool, br.Snapshot, Any]:
    """The first ```json fails``` example of the rule: (request, online, snapshot, ruleset),
    with its "addToSalon" entries and "ruleOptions" applied (conftest.example_setup)."""
    ex = next(e for e in examples(RULES[code]) if e.expect_fail)
    request, doc, ruleset = example_setup(ex.source)
    return request, ex.online, br.load_snapshot(doc), ruleset


def phorest_body(code: str) -> dict[str, Any]:
    """The body observed live: the code in `detail`, the category in `errorCode`."""
    return {"statusCode": 400, "id": "e-1", "detail": code, "errorCode": "SLOT_UNAVAILABLE"}


def explain_example(code: str) -> Explanation:
    request, online, snap, ruleset = failing_example(code)
    return explain(phorest_body(code), request, snap, now=NOW, online=online,
                   ruleset=ruleset)


def starts(ex: Explanation, change: str) -> list[str]:
    """The startTime of the first schedule of each alternative along ``change``."""
    out = []
    for a in ex.alternatives:
        if a["change"] != change:
            continue
        body = a["request"]["body"]
        if "clientAppointmentSchedules" in body:
            out.append(body["clientAppointmentSchedules"][0]["serviceSchedules"][0]
                       ["startTime"])
        else:
            out.append(f"{body['appointmentDate']} {body['startTime']}")
    return out


def assert_alternatives_pass(ex: Explanation, snap: br.Snapshot, *, online: bool = False,
                             ruleset: Any = "phorest", now: datetime = NOW) -> None:
    """Every alternative passes ``check`` on its own, independently of explain."""
    for alt in ex.alternatives:
        assert set(alt) == {"change", "description", "request"}
        assert alt["change"] in AXES
        report = br.check(snap, alt["request"], now=now, online=online, ruleset=ruleset)
        assert report.verdict == "PASS", (alt, report.to_text())
    per_axis = Counter(a["change"] for a in ex.alternatives)
    assert all(n <= PER_AXIS for n in per_axis.values())


# --- the nineteen codes ------------------------------------------------------------------

# Exact values from each confirming violation's evidence (a subset of its keys).
EVIDENCE: dict[str, dict[str, Any]] = {
    "STAFF_UNQUALIFIED": {"staffId": "stf_john", "serviceId": "svc_colour",
                          "listedIn": ["the staff member's disqualifiedServices"]},
    "STAFF_REQUESTED": {"requestedStaffId": "stf_lisa", "newStaffId": "stf_john"},
    "CLIENT_ALREADY_BOOKED_THIS_TIME": {
        "clientId": "cli_mary", "requested": "2026-12-01 10:15-10:45 EST (15:15Z-15:45Z)"},
    "STAFF_NOT_WORKING": {
        "staffId": "stf_lisa", "localDate": "2026-12-02",
        "requested": "2026-12-02 12:45-13:30 EST (17:45Z-18:30Z)",
        "workingWindows": ["2026-12-02 09:00-13:00 EST (14:00Z-18:00Z)",
                           "2026-12-02 13:30-17:30 EST (18:30Z-22:30Z)"]},
    "STAFF_DOUBLE_BOOKED": {
        "staffId": "stf_lisa", "requested": "2026-12-01 10:30-11:15 EST (15:30Z-16:15Z)"},
    "EXCEEDED_ROOM_CAPACITY": {"roomId": "room_b", "capacity": 2, "peakOccupancy": 2,
                               "peakAt": "2026-12-01 12:30 EST (17:30Z)"},
    "ROOM_UNSUITABLE": {"roomId": "room_b", "serviceId": "svc_laser",
                        "suitableRoomIds": ["room_a", "room_c"]},
    "MACHINE_DOUBLE_BOOKED": {"machineId": "mach_laser", "quantity": 1, "peakInUse": 1,
                              "peakAt": "2026-12-01 09:45 EST (14:45Z)"},
    "MACHINE_UNSUITABLE": {"machineId": "mach_ipl", "serviceId": "svc_laser",
                           "suitableMachineIds": ["mach_laser"]},
    "SERVICE_ALREADY_BOOKED_THIS_DAY": {"clientId": "cli_mary", "serviceId": "svc_cut",
                                        "localDate": "2026-12-01"},
    "INTERNET_BOOKING_ALREADY_BOOKED": {"clientId": "cli_jo", "localDate": "2026-12-02"},
    MIN_DAYS: {"clientCourseId": "cc_cara", "minDaysBetweenSessions": 14, "days": 13,
               "localDate": "2026-12-14"},
    MAX_DAYS: {"clientCourseId": "cc_cara", "maxDaysBetweenSessions": 42, "days": 43,
               "localDate": "2027-01-13"},
    "SPECIAL_OFFER_BEFORE_START_DATE": {"specialOfferId": "so_morning",
                                        "localDate": "2026-11-14", "daysEarly": 1},
    "SPECIAL_OFFER_AFTER_END_DATE": {"specialOfferId": "so_morning",
                                     "localDate": "2027-01-01", "daysLate": 1},
    "SPECIAL_OFFER_NOT_ALLOWED_TIME": {"specialOfferId": "so_morning",
                                       "localWeekday": "Wednesday", "localStart": "12:00:00"},
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED": {"specialOfferId": "so_morning", "peak": 1,
                                              "limit": 1},
    "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED": {"specialOfferId": "so_morning", "count": 2,
                                           "limit": 2, "localDate": "2026-12-01"},
    "SPECIAL_OFFER_STAFF_EXCLUDED": {"specialOfferId": "so_morning", "staffId": "stf_ann",
                                     "excludedStaffIds": ["stf_ann"]},
}
# The appointment each one names: (evidence key, appointmentId).
NAMED: dict[str, tuple[str, str]] = {
    "STAFF_REQUESTED": ("appointment", "ap_mary_cut"),
    "CLIENT_ALREADY_BOOKED_THIS_TIME": ("conflict", "ap_mary_cut"),
    "STAFF_DOUBLE_BOOKED": ("conflict", "ap_mary_cut"),
    "SERVICE_ALREADY_BOOKED_THIS_DAY": ("existing", "ap_mary_cut"),
    "INTERNET_BOOKING_ALREADY_BOOKED": ("existing", "ap_jo_online"),
    MIN_DAYS: ("session", "ap_cara_laser"),
    MAX_DAYS: ("previous", "ap_cara_laser"),
}
# Other codes the check finds beside the confirmed one, and the one it would have predicted.
ALSO: dict[str, tuple[list[str], str]] = {
    "STAFF_UNQUALIFIED": (["STAFF_DOUBLE_BOOKED"], "STAFF_UNQUALIFIED"),
    "MACHINE_DOUBLE_BOOKED": (["STAFF_DOUBLE_BOOKED"], "STAFF_DOUBLE_BOOKED"),
    "SPECIAL_OFFER_BEFORE_START_DATE": (["STAFF_NOT_WORKING", "SPECIAL_OFFER_NOT_ALLOWED_TIME"],
                                        "STAFF_NOT_WORKING"),
    "SPECIAL_OFFER_NOT_ALLOWED_TIME": (["STAFF_NOT_WORKING"], "STAFF_NOT_WORKING"),
}
# The alternatives each example gets, by axis.
AXES_FOUND: dict[str, dict[str, int]] = {
    "STAFF_UNQUALIFIED": {},
    "STAFF_REQUESTED": {"same-time-other-staff": 1},
    "CLIENT_ALREADY_BOOKED_THIS_TIME": {"same-staff-other-time": 3},
    "STAFF_NOT_WORKING": {"same-staff-other-time": 3, "same-time-other-staff": 2},
    "STAFF_DOUBLE_BOOKED": {"same-staff-other-time": 3, "same-time-other-staff": 1},
    "EXCEEDED_ROOM_CAPACITY": {"same-staff-other-time": 3, "other-room": 1},
    "ROOM_UNSUITABLE": {"other-room": 2},
    "MACHINE_DOUBLE_BOOKED": {"same-staff-other-time": 3},
    "MACHINE_UNSUITABLE": {"other-machine": 1},
    "SERVICE_ALREADY_BOOKED_THIS_DAY": {"same-staff-other-time": 3},
    "INTERNET_BOOKING_ALREADY_BOOKED": {"same-staff-other-time": 3},
    MIN_DAYS: {"same-staff-other-time": 3, "course-date": 3},
    MAX_DAYS: {"same-staff-other-time": 3, "course-date": 3},
    "SPECIAL_OFFER_BEFORE_START_DATE": {"same-staff-other-time": 3},
    "SPECIAL_OFFER_AFTER_END_DATE": {"same-staff-other-time": 3, "without-special-offer": 1},
    "SPECIAL_OFFER_NOT_ALLOWED_TIME": {"same-staff-other-time": 3},
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED": {"same-staff-other-time": 3,
                                              "without-special-offer": 1},
    "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED": {"same-staff-other-time": 3,
                                           "without-special-offer": 1},
    "SPECIAL_OFFER_STAFF_EXCLUDED": {"same-time-other-staff": 2, "without-special-offer": 1},
}


def test_the_tables_cover_the_nineteen_codes() -> None:
    assert set(EVIDENCE) == set(AXES_FOUND) == set(PHOREST_CODES)
    assert len(PHOREST_CODES) == 19


@pytest.mark.parametrize("code", PHOREST_CODES)
def test_each_code_is_confirmed_with_its_evidence(code: str) -> None:
    ex = explain_example(code)
    assert (ex.code, ex.source_field, ex.status, ex.diagnosis) == (
        code, "detail", 400, "confirmed")
    assert [e["code"] for e in ex.evidence] == [code]
    ev = ex.evidence[0]
    assert ev["severity"] == "error"
    assert ev["location"] == ("" if code == "STAFF_REQUESTED"
                              else "clientAppointmentSchedules[0].serviceSchedules[0]")
    assert {k: ev["evidence"][k] for k in EVIDENCE[code]} == EVIDENCE[code]
    if code in NAMED:
        key, appointment = NAMED[code]
        assert ev["evidence"][key]["appointmentId"] == appointment
    assert ex.explanation.startswith(
        f"Phorest refused the {'appointment update' if code == 'STAFF_REQUESTED' else 'booking'}"
        f" with {code} (HTTP 400, in `detail`, category SLOT_UNAVAILABLE, error id e-1). "
        f"The snapshot confirms it: {ev['message']}")
    also, predicted = ALSO.get(code, ([], code))
    assert ex.report is not None
    assert ex.report.predicted_api_code == predicted
    if also:
        assert f" The check also finds {' and '.join(also)}." in ex.explanation
    if predicted != code:
        assert (f" It would have predicted {predicted} first (ruleset phorest priority); "
                f"Phorest answered with {code}, which also applies.") in ex.explanation
    else:
        assert "It would have predicted" not in ex.explanation
    # The rule's own fix comes first, then where to look.
    assert ex.remedies[0] == {"action": ev["fix"]}
    assert any("endpoint" in r for r in ex.remedies)


@pytest.mark.parametrize("code", PHOREST_CODES)
def test_each_codes_alternatives_pass_check(code: str) -> None:
    request, online, snap, ruleset = failing_example(code)
    ex = explain(phorest_body(code), request, snap, now=NOW, online=online, ruleset=ruleset)
    assert dict(Counter(a["change"] for a in ex.alternatives)) == AXES_FOUND[code]
    assert_alternatives_pass(ex, snap, online=online, ruleset=ruleset)
    kind = "updateAppointment" if code == "STAFF_REQUESTED" else "createBooking"
    assert {a["request"]["kind"] for a in ex.alternatives} <= {kind}
    # The request itself still fails: alternatives are new bodies, not edits of it.
    assert br.check(snap, request, now=NOW, online=online, ruleset=ruleset).verdict == "FAIL"


def test_the_axes_searched_are_the_ones_the_rules_declare() -> None:
    # One place per fact: each rule lists the changes that can make it stop firing.
    for code, found in AXES_FOUND.items():
        involved = [code, *ALSO.get(code, ([], code))[0]]
        declared = set().union(*(RULES[c].alternatives for c in involved))
        assert set(found) <= declared, code
    rule = RULES["STAFF_UNQUALIFIED"]
    with pytest.raises(ValueError, match="unknown alternatives"):
        dataclasses.replace(rule, alternatives=frozenset({"other-planet"}))
    with pytest.raises(ValueError, match="timeless"):  # moving it in time cannot fix it
        dataclasses.replace(rule, alternatives=frozenset({"same-staff-other-time"}))


def test_staff_double_booked_alternatives_exactly() -> None:
    ex = explain_example("STAFF_DOUBLE_BOOKED")
    assert starts(ex, "same-staff-other-time") == [
        "2026-12-01T15:45:00Z", "2026-12-01T17:15:00Z", "2026-12-01T18:30:00Z"]
    assert [a["description"] for a in ex.alternatives] == [
        "Lisa Moreau at 2026-12-01 10:45 EST (15:45Z), 15 min later",
        "Lisa Moreau at 2026-12-01 12:15 EST (17:15Z), 1 h 45 min later",
        "Lisa Moreau at 2026-12-01 13:30 EST (18:30Z), 3 h later",
        "Ann Kowalski (stf_ann) instead of Lisa Moreau, same time "
        "(2026-12-01 10:30 EST (15:30Z))",
    ]
    assert ex.alternatives[0]["request"] == {"kind": "createBooking", "body": {
        "clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
            {"serviceId": "svc_cut", "staffId": "stf_lisa",
             "startTime": "2026-12-01T15:45:00Z"}]}]}}
    assert ex.alternatives[3]["request"]["body"] == {
        "clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
            {"serviceId": "svc_cut", "staffId": "stf_ann",
             "startTime": "2026-12-01T15:30:00Z"}]}]}


def test_same_staff_other_time_prefers_the_same_day_then_the_nearest_days() -> None:
    ex = explain_example("SERVICE_ALREADY_BOOKED_THIS_DAY")  # Mary's second cut that day
    assert starts(ex, "same-staff-other-time") == [
        "2026-12-02T14:45:00Z", "2026-12-02T15:00:00Z", "2026-12-02T15:15:00Z"]
    ex = explain_example("CLIENT_ALREADY_BOOKED_THIS_TIME")  # before and after, same day
    assert starts(ex, "same-staff-other-time") == [
        "2026-12-01T14:30:00Z", "2026-12-01T14:15:00Z", "2026-12-01T14:00:00Z"]


def test_other_room_and_other_machine() -> None:
    ex = explain_example("ROOM_UNSUITABLE")
    assert [a["description"] for a in ex.alternatives] == [
        "room Treatment 1 (room_a) instead of Facial suite (room_b), same time and staff",
        "room Treatment 2 (room_c) instead of Facial suite (room_b), same time and staff"]
    assert [a["request"]["body"]["clientAppointmentSchedules"][0]["serviceSchedules"][0]
            ["roomId"] for a in ex.alternatives] == ["room_a", "room_c"]
    ex = explain_example("MACHINE_UNSUITABLE")
    assert ex.alternatives[0]["request"]["body"]["clientAppointmentSchedules"][0][
        "serviceSchedules"][0] == {"serviceId": "svc_laser", "staffId": "stf_ann",
                                   "startTime": "2026-12-02T15:00:00Z", "roomId": "room_c",
                                   "machineId": "mach_laser"}


def test_course_date_is_the_nearest_date_the_spacing_allows() -> None:
    ex = explain_example(MIN_DAYS)  # 14 days from 1 December: 15 December on
    assert starts(ex, "course-date") == [
        "2026-12-15T15:00:00Z", "2026-12-16T15:00:00Z", "2026-12-17T15:00:00Z"]
    assert ex.alternatives[3]["description"] == (
        "Ann Kowalski at 2026-12-15 10:00 EST (15:00Z), 1 day later: a date the course's "
        "spacing allows")
    ex = explain_example(MAX_DAYS)  # at most 42 days after 1 December: back to 12 January
    assert starts(ex, "course-date") == [
        "2027-01-12T15:00:00Z", "2027-01-11T15:00:00Z", "2027-01-08T15:00:00Z"]


def test_without_special_offer_drops_only_the_offer() -> None:
    ex = explain_example("SPECIAL_OFFER_AFTER_END_DATE")
    alt = next(a for a in ex.alternatives if a["change"] == "without-special-offer")
    assert alt["request"]["body"]["clientAppointmentSchedules"][0]["serviceSchedules"] == [
        {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2027-01-01T15:00:00Z"}]
    assert alt["description"] == ("the same booking without the special offer 'Weekday "
                                  "morning cut' (so_morning) (at the service's normal price)")


def test_update_alternatives_are_update_bodies_in_local_time() -> None:
    # Moving Mary's 10:00 cut to 11:00 runs into Lou's 11:30 cut with Lisa.
    request = {"kind": "updateAppointment", "body": {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "11:00:00", "endTime": "11:45:00", "staffId": "stf_lisa",
        "serviceId": "svc_cut"}}
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, request, SALON, status=400, now=NOW)
    assert ex.diagnosis == "confirmed"
    # 10:30 and 10:15 overlap the appointment's own old time (10:00-10:45): allowed.
    assert starts(ex, "same-staff-other-time") == [
        "2026-12-01 10:45:00", "2026-12-01 10:30:00", "2026-12-01 10:15:00"]
    first = ex.alternatives[0]
    assert first["request"] == {"kind": "updateAppointment", "body": {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "10:45:00", "endTime": "11:30:00", "staffId": "stf_lisa",
        "serviceId": "svc_cut"}}
    assert first["description"] == "Lisa Moreau at 2026-12-01 10:45 EST (15:45Z), 15 min " \
                                   "earlier"
    assert_alternatives_pass(ex, SALON)
    ex = explain_example("STAFF_REQUESTED")
    assert ex.alternatives[0]["request"]["body"] == {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "10:00:00", "endTime": "10:45:00", "staffId": "stf_lisa",
        "serviceId": "svc_cut"}


def test_update_alternatives_follow_a_utc_read_convention() -> None:
    doc = salon_doc()
    doc["conventions"] = {"appointmentTimes": "utc"}
    for a in doc["appointments"]:  # the same instants, written as UTC wall clock
        start = datetime.fromisoformat(f"{a['appointmentDate']}T{a['startTime']}-05:00")
        end = datetime.fromisoformat(f"{a['appointmentDate']}T{a['endTime']}-05:00")
        a["appointmentDate"], a["startTime"] = f"{start.astimezone(UTC):%Y-%m-%d}", \
            f"{start.astimezone(UTC):%H:%M:%S}"
        a["endTime"] = f"{end.astimezone(UTC):%H:%M:%S}"
    snap = br.load_snapshot(doc)
    request = {"kind": "updateAppointment", "body": {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "16:00:00", "endTime": "16:45:00", "staffId": "stf_lisa",
        "serviceId": "svc_cut"}}
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, request, snap, status=400, now=NOW)
    assert starts(ex, "same-staff-other-time")[0] == "2026-12-01 15:45:00"
    assert_alternatives_pass(ex, snap)


def test_a_multi_service_booking_moves_the_failing_schedule() -> None:
    # The facial (second schedule) overfills the suite; the cut is fine.
    request = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:45:00Z"),
                      sched("svc_facial", "stf_john", "2026-12-01T17:30:00Z", roomId="room_b"))
    ex = explain({"detail": "EXCEEDED_ROOM_CAPACITY"}, request, SALON, now=NOW)
    assert ex.diagnosis == "confirmed"
    assert ex.evidence[0]["location"] == "clientAppointmentSchedules[0].serviceSchedules[1]"
    room = next(a for a in ex.alternatives if a["change"] == "other-room")
    schedules = room["request"]["body"]["clientAppointmentSchedules"][0]["serviceSchedules"]
    assert schedules[0] == request["clientAppointmentSchedules"][0]["serviceSchedules"][0]
    assert schedules[1]["roomId"] == "room_a"
    assert_alternatives_pass(ex, SALON)


def test_a_chain_moves_as_a_whole_when_the_failing_schedule_cannot_move_alone() -> None:
    # Lisa's cut runs into Mary's; Ann's blow-dry follows it for the same client at 11:15.
    request = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:30:00Z"),
                      sched("svc_blowdry", "stf_ann", "2026-12-01T16:15:00Z"))
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, request, SALON, now=NOW)
    moves = [a for a in ex.alternatives if a["change"] == "same-staff-other-time"]
    assert [a["description"] for a in moves] == [
        "the whole booking moved: Lisa Moreau at 2026-12-01 10:45 EST (15:45Z), 15 min later",
        "Lisa Moreau at 2026-12-01 12:15 EST (17:15Z), 1 h 45 min later",
        "Lisa Moreau at 2026-12-01 13:30 EST (18:30Z), 3 h later"]
    assert [s["startTime"] for s in moves[0]["request"]["body"]["clientAppointmentSchedules"]
            [0]["serviceSchedules"]] == ["2026-12-01T15:45:00Z", "2026-12-01T16:30:00Z"]
    assert [s["startTime"] for s in moves[1]["request"]["body"]["clientAppointmentSchedules"]
            [0]["serviceSchedules"]] == ["2026-12-01T17:15:00Z", "2026-12-01T16:15:00Z"]
    assert_alternatives_pass(ex, SALON)


# --- not reproduced, other code, undecided ------------------------------------------------

LISA_FREE = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:45:00Z"))  # passes


def fetched(at: str | None) -> br.Snapshot:
    doc = salon_doc()
    if at is not None:
        doc["coverage"] = {"from": "2026-11-02", "to": "2027-01-29", "fetchedAt": at}
    return br.load_snapshot(doc)


def test_not_reproduced_names_the_missing_data_and_a_stale_cache() -> None:
    ex = explain(phorest_body("STAFF_DOUBLE_BOOKED"), LISA_FREE, fetched("2026-11-30T09:00:00Z"),
                 now=z("2026-11-30T12:00:00Z"))
    assert (ex.diagnosis, ex.evidence, ex.alternatives) == ("not-reproduced", (), ())
    assert ex.explanation == (
        "Phorest refused the booking with STAFF_DOUBLE_BOOKED (HTTP 400, in `detail`, category "
        "SLOT_UNAVAILABLE, error id e-1). The snapshot does not reproduce it: against it this "
        "booking passes the check. For Phorest's answer to hold, Phorest must have seen an "
        "appointment of Lisa Moreau overlapping 2026-12-01 10:45-11:30 EST (15:45Z-16:30Z) "
        "that the snapshot does not hold. The snapshot was fetched 3 h before the request "
        "(2026-11-30 07:00 EST (12:00Z)): most likely a stale cache.")
    assert ex.remedies[0]["action"].startswith("refresh the snapshot (the data named above)")
    assert ex.remedies[1:] == (
        {"action": "ask Phorest for free times before booking",
         "endpoint": f"POST {ENDPOINT}appointments/availability (findAvailableAppointmentTimes)"},
        {"action": "see the staff member's bookings that day",
         "endpoint": f"GET {ENDPOINT}appointment?staff_id=stf_lisa&from_date=2026-12-01"
                     "&to_date=2026-12-01 (getAppointments)"})


def test_not_reproduced_race_and_unknown_age() -> None:
    ex = explain(phorest_body("STAFF_DOUBLE_BOOKED"), LISA_FREE,
                 fetched("2026-11-30T11:59:20Z"), now=z("2026-11-30T12:00:00Z"))
    assert ex.explanation.endswith(
        "The snapshot was fetched only 40 s before the request (2026-11-30 07:00 EST "
        "(12:00Z)): most likely a race, a change made in Phorest between the fetch and the "
        "request.")
    ex = explain(phorest_body("STAFF_DOUBLE_BOOKED"), LISA_FREE, SALON, now=NOW)
    assert ex.explanation.endswith(
        "The snapshot does not say when it was fetched (coverage.fetchedAt), so its age is "
        "unknown.")
    ex = explain(phorest_body("STAFF_DOUBLE_BOOKED"), LISA_FREE,
                 fetched("2026-11-30T14:00:00Z"), now=z("2026-11-30T12:00:00Z"))
    assert ex.explanation.endswith(
        "The snapshot was fetched 2 h after the request (2026-11-30 07:00 EST (12:00Z)), so "
        "it should show the same picture: a change made since (a cancellation) or a "
        "difference between this rule and Phorest's is more likely.")


@pytest.mark.parametrize(("code", "needs"), [
    ("STAFF_NOT_WORKING", "a roster of Lisa Moreau on 2026-12-01 that does not cover "
     "2026-12-01 10:45-11:30 EST (15:45Z-16:30Z) (a changed work timetable, new time off, or "
     "a break the snapshot does not hold)"),
    ("CLIENT_ALREADY_BOOKED_THIS_TIME", "an appointment of New Client overlapping 2026-12-01 "
     "10:45-11:30 EST (15:45Z-16:30Z) that the snapshot does not hold"),
    ("STAFF_UNQUALIFIED", "Lisa Moreau disqualified from Cut & Blow-dry (in the staff "
     "member's disqualifiedServices or the service's disqualifiedStaff), which the "
     "snapshot's lists do not say"),
    ("SERVICE_ALREADY_BOOKED_THIS_DAY", "another appointment of New Client for Cut & "
     "Blow-dry on 2026-12-01 that the snapshot does not hold"),
    ("INTERNET_BOOKING_ALREADY_BOOKED", "an online booking: this explanation checked a salon "
     "booking (online=False), and the rule applies to online bookings only; explain again "
     "with online=True"),
    ("STAFF_REQUESTED", "something this request does not show (STAFF_REQUESTED concerns "
     "moving an existing appointment to another staff member, and this request moves none)"),
    ("SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED", "something this request does not show (no "
     "schedule uses a special offer the snapshot holds)"),
])
def test_not_reproduced_says_what_phorest_must_have_seen(code: str, needs: str) -> None:
    ex = explain({"detail": code}, LISA_FREE, SALON, now=NOW)
    assert ex.diagnosis == "not-reproduced"
    assert f"Phorest must have seen {needs}. " in ex.explanation


def test_not_reproduced_for_offers_rooms_and_courses() -> None:
    offer = booking(sched("svc_cut", "stf_john", "2026-12-02T15:00:00Z",
                          specialOfferId="so_morning"))
    ex = explain({"detail": "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"}, offer, SALON, now=NOW)
    assert ("Phorest must have seen other bookings on the special offer 'Weekday morning cut' "
            "(so_morning) on 2026-12-02 (or a lower maxPerDay than 2) that the snapshot does "
            "not hold.") in ex.explanation
    ex = explain({"detail": "SPECIAL_OFFER_NOT_ALLOWED_TIME"}, offer, SALON, now=NOW)
    assert ("allowed times of the special offer 'Weekday morning cut' (so_morning) that "
            "exclude Wednesday 10:00 (the snapshot says Mon/Tue/Wed/Thu/Fri 09:00-12:00)"
            ) in ex.explanation
    room = booking(sched("svc_facial", "stf_john", "2026-12-01T18:00:00Z", roomId="room_b"))
    ex = explain({"detail": "EXCEEDED_ROOM_CAPACITY"}, room, SALON, now=NOW)
    assert ("more bookings or a break in the room Facial suite (room_b) overlapping 2026-12-01 "
            "13:00-14:00 EST (18:00Z-19:00Z) (or a lower capacity than its 2) than the "
            "snapshot holds") in ex.explanation
    course = booking(sched("svc_laser", "stf_ann", "2026-12-15T15:00:00Z",
                           clientCourseItemId="cci_cara"), client="cli_cara")
    ex = explain({"detail": MIN_DAYS}, course, SALON, now=NOW)
    assert ex.diagnosis == "not-reproduced"
    assert ("another session of Cara Client's course Laser x6 fewer than 14 days from "
            "2026-12-15 (or a larger minDaysBetweenSessions than 14) that the snapshot does "
            "not hold") in ex.explanation


def test_other_code_lists_what_the_snapshot_predicts() -> None:
    request = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:30:00Z"))
    ex = explain({"detail": "STAFF_NOT_WORKING"}, request, SALON, status=400, now=NOW)
    assert ex.diagnosis == "other-code"
    assert [e["code"] for e in ex.evidence] == ["STAFF_DOUBLE_BOOKED"]
    assert ex.explanation.startswith(
        "Phorest refused the booking with STAFF_NOT_WORKING (HTTP 400, in `detail`). The "
        "snapshot does not show STAFF_NOT_WORKING; it predicts STAFF_DOUBLE_BOOKED instead: "
        "Lisa Moreau is already booked")
    assert ex.explanation.endswith(
        "For STAFF_NOT_WORKING to hold, Phorest must have seen a roster of Lisa Moreau on "
        "2026-12-01 that does not cover 2026-12-01 10:30-11:15 EST (15:30Z-16:15Z) (a changed "
        "work timetable, new time off, or a break the snapshot does not hold).")
    assert {"action": "check the staff member's roster that day",
            "endpoint": f"GET {ENDPOINT}staff/worktimetable?from_date=2026-12-01"
                        "&to_date=2026-12-01"} in ex.remedies
    assert starts(ex, "same-staff-other-time") == [
        "2026-12-01T15:45:00Z", "2026-12-01T17:15:00Z", "2026-12-01T18:30:00Z"]
    assert_alternatives_pass(ex, SALON)


def test_other_code_with_several_codes() -> None:
    ex = explain({"errorCode": "ROOM_UNSUITABLE"}, failing_example("STAFF_UNQUALIFIED")[0],
                 SALON, now=NOW)
    assert ex.diagnosis == "other-code"
    assert [e["code"] for e in ex.evidence] == ["STAFF_UNQUALIFIED", "STAFF_DOUBLE_BOOKED"]
    assert ("it predicts STAFF_UNQUALIFIED instead (and also finds STAFF_DOUBLE_BOOKED): John "
            "Okafor is not qualified") in ex.explanation
    assert ("a room assigned to Full Head Colour that does not suit it, though the request "
            "names none") in ex.explanation


def test_undecided_when_the_snapshot_does_not_cover_the_day() -> None:
    doc = salon_doc()
    doc["coverage"] = {"from": "2026-11-02", "to": "2026-11-30"}
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, LISA_FREE, br.load_snapshot(doc), now=NOW)
    assert ex.diagnosis == "undecided"
    assert [e["code"] for e in ex.evidence] == ["STAFF_DOUBLE_BOOKED"]
    assert [e["severity"] for e in ex.evidence] == ["unknown"]
    assert "The snapshot cannot decide it: the snapshot does not cover 2026-12-01" in \
        ex.explanation
    assert ex.alternatives == ()


def test_a_code_the_ruleset_does_not_run_is_said() -> None:
    base = br.load_ruleset("phorest")
    rs = dataclasses.replace(base, rules=tuple(r for r in base.rules
                                               if r.name != "staff_double_booked"))
    request = failing_example("STAFF_DOUBLE_BOOKED")[0]
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, request, SALON, now=NOW, ruleset=rs)
    assert ex.diagnosis == "not-reproduced"
    assert ex.explanation.endswith(" The ruleset phorest does not run STAFF_DOUBLE_BOOKED.")


# --- reading every form of the body --------------------------------------------------------


@pytest.mark.parametrize(("error", "status", "expected"), [
    # (code, source_field, status, form)
    ('{"statusCode": 400, "id": "x", "detail": "STAFF_NOT_WORKING", "errorCode": '
     '"SLOT_UNAVAILABLE"}', None, ("STAFF_NOT_WORKING", "detail", 400, "json")),
    ('{"statusCode": 400, "errorCode": "STAFF_NOT_WORKING", "detail": "Staff not working"}',
     None, ("STAFF_NOT_WORKING", "errorCode", 400, "json")),
    ({"message": "STAFF_NOT_WORKING"}, None, ("STAFF_NOT_WORKING", "message", None, "json")),
    ({"errorCode": "STAFF_DOUBLE_BOOKED", "detail": "STAFF_NOT_WORKING"}, None,
     ("STAFF_NOT_WORKING", "detail", None, "json")),
    ({"errorCode": "STAFF_DOUBLE_BOOKED", "detail": "Also STAFF_NOT_WORKING"}, None,
     ("STAFF_DOUBLE_BOOKED", "errorCode", None, "json")),
    ({"message": "Booking failed: staff_double_booked."}, 400,
     ("STAFF_DOUBLE_BOOKED", "message", 400, "json")),
    ({"errors": [{"detail": "ROOM_UNSUITABLE"}]}, 400,
     ("ROOM_UNSUITABLE", "errors[0].detail", 400, "json")),
    ({"error": {"errorCode": "MACHINE_UNSUITABLE"}, "statusCode": "400"}, None,
     ("MACHINE_UNSUITABLE", "error.errorCode", 400, "json")),
    ({"detail": " SPECIAL_OFFER_STAFF_EXCLUDED"}, None,
     ("SPECIAL_OFFER_STAFF_EXCLUDED", "detail", None, "json")),
    ({"detail": "'STAFF_REQUESTED'"}, None, ("STAFF_REQUESTED", "detail", None, "json")),
    ({"data": {"reason": "CLIENT_ALREADY_BOOKED_THIS_TIME"}}, 400,
     ("CLIENT_ALREADY_BOOKED_THIS_TIME", "body", 400, "json")),
    ("STAFF_DOUBLE_BOOKED", 400, ("STAFF_DOUBLE_BOOKED", "text", 400, "text")),
    (b"Refused: MACHINE_DOUBLE_BOOKED\n", 400, ("MACHINE_DOUBLE_BOOKED", "text", 400, "text")),
    ('"STAFF_REQUESTED"', 400, ("STAFF_REQUESTED", "text", 400, "text")),
    ("<!DOCTYPE html><html><head><title>Bad Request</title></head><body><p>Error: "
     "STAFF_NOT_WORKING</p></body></html>", 400, ("STAFF_NOT_WORKING", "html", 400, "html")),
    ("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", None,
     (None, None, 502, "html")),
    ("", 429, (None, None, 429, "empty")),
    (b"", None, (None, None, None, "empty")),
    (None, 503, (None, None, 503, "empty")),
    (b"\xef\xbb\xbf  \n", 500, (None, None, 500, "empty")),
    ('{"statusCode": 400, "detail": "STAFF_NOT_WORKING"}', 409,
     ("STAFF_NOT_WORKING", "detail", 409, "json")),
    ('{"timestamp": "2026-12-01T10:00:00Z", "status": 404, "error": "Not Found", '
     '"message": "No message available", "path": "/x"}', None, (None, None, 404, "json")),
    ('{"statusCode": 400, "errorCode": "CLIENT_DOUBLE_BOOKED"}', None,
     ("CLIENT_DOUBLE_BOOKED", "errorCode", 400, "json")),
])
def test_parse_every_form(error: Any, status: int | None, expected: tuple[Any, ...]) -> None:
    parsed = parse_response(error, status)
    assert (parsed.code, parsed.source_field, parsed.status, parsed.form) == expected


def test_codes_match_whole_words_only() -> None:
    assert parse_response("MACHINE_DOUBLE_BOOKED").code == "MACHINE_DOUBLE_BOOKED"
    assert parse_response("XSTAFF_DOUBLE_BOOKED").code is None
    assert parse_response("STAFF_DOUBLE_BOOKED_2").code is None
    assert parse_response({"detail": "Slot unavailable"}).code is None


@pytest.mark.parametrize(("error", "described"), [
    ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
     "</center><hr><center>nginx</center></body></html>",
     "the response body is not JSON: HTML page titled '502 Bad Gateway'"),
    ("<html><body><h1>Service Unavailable</h1></body></html>",
     "the response body is not JSON: an HTML page ('Service Unavailable')"),
    ("", "the response body is empty"),
    ("Too Many Requests", "the response body is not JSON: plain text 'Too Many Requests'"),
    ("[1, 2]", "the response body is JSON but not an object: '[1, 2]'"),
    ('{"statusCode": 404}', "the response body is a JSON object without detail, errorCode or "
     "message: '{\"statusCode\": 404}'"),
    ({"detail": "Conflict", "errorCode": "CONFLICT"},
     "the response body says detail 'Conflict', errorCode 'CONFLICT'"),
    ('{"detail": "STAFF_NOT_WORKING"', "the response body is not JSON: plain text "
     "'{\"detail\": \"STAFF_NOT_WORKING\"'"),
])
def test_the_body_is_described_as_what_it_is(error: Any, described: str) -> None:
    assert parse_response(error).describe() == described


@pytest.mark.parametrize("error", [
    b"\xff\xfe\x00garbage\x00", "{", "[", "null", "123", "true", "[]", "{}", "<", "<html",
    "[" * 100000, "<html><title>unterminated", '{"statusCode": "abc", "detail": 7}',
    '{"detail": null, "errorCode": ["x"], "message": {"a": 1}}', "\x00\x01\x02",
])
def test_a_malformed_body_never_crashes(error: Any) -> None:
    ex = explain(error, LISA_FREE, SALON, now=NOW)
    assert ex.diagnosis == "not-a-rule-code"
    assert ex.code is None
    assert ex.explanation.startswith("Phorest answered the booking with no HTTP status given; "
                                     "the response body ")
    json.loads(ex.to_json())
    ex.to_text()


def test_a_truncated_json_body_still_yields_its_code() -> None:
    ex = explain('{"statusCode": 400, "detail": "STAFF_DOUBLE_BOOKED", "errorCo',
                 failing_example("STAFF_DOUBLE_BOOKED")[0], SALON, now=NOW)
    assert (ex.code, ex.source_field, ex.status, ex.diagnosis) == (
        "STAFF_DOUBLE_BOOKED", "text", None, "confirmed")


# Bodies of about 200 KB that a regular expression retried from every opening (`<!--.*?-->`)
# reads in quadratic time: 160 KB of `<!--` took 28 s (issue 12 item 3). Read linearly,
# each takes well under a second of CPU; the bound is generous, and CPU time (not wall
# time) keeps a busy machine from failing it.
HOSTILE = {
    "unclosed comments": "<html>" + "<!--" * 50_000,
    "unclosed titles": "<html>" + "<title" * 34_000,
    "an unclosed title": "<html><title>" + "<title>" * 29_000,
    "unclosed scripts": "<html>" + "<script>" * 25_000,
    "unclosed styles": "<html>" + "<STYLE " * 29_000,
    "unclosed tags": "<html>" + "<a " * 67_000,
    "comment openers inside a comment": "<html><!--" + "<!-- -- >" * 23_000,
    "unclosed entities": "<html><p>" + "&#" * 100_000,
    "a code-like detail": json.dumps({"detail": "A_" * 100_000 + "!"}),
    "code fragments": "STAFF_DOUBLE_BOOKE " * 11_000,
    "nested JSON": "[" * 200_000,
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_body_is_read_in_linear_time(body: str) -> None:
    assert len(body) >= 200_000
    start = time.process_time()
    ex = explain(body, LISA_FREE, SALON, now=NOW)
    assert time.process_time() - start < 1.0
    assert (ex.code, ex.diagnosis) == (None, "not-a-rule-code")


def test_a_long_page_still_yields_its_code_and_title() -> None:
    page = ("<html><head><title>400 Bad Request</title><script>var x = '<p>';</script>"
            "</head><body>" + "<!-- a comment --><p>filler</p>" * 7_000
            + "<p>STAFF_DOUBLE_BOOKED</p><!-- left open")
    start = time.process_time()
    parsed = parse_response(page)
    assert time.process_time() - start < 1.0
    assert (parsed.code, parsed.source_field, parsed.status, parsed.title) == (
        "STAFF_DOUBLE_BOOKED", "html", 400, "400 Bad Request")
    assert parsed.text.startswith("400 Bad Request filler filler")
    assert parsed.text.endswith("filler STAFF_DOUBLE_BOOKED <!-- left open")


# --- advice by status -------------------------------------------------------------------


def test_401_credentials() -> None:
    ex = explain(b"", LISA_FREE, SALON, status=401, now=NOW)
    assert (ex.code, ex.status, ex.diagnosis, ex.evidence, ex.alternatives) == (
        None, 401, "not-a-rule-code", (), ())
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 401; the response body is empty. Phorest did "
        "not accept the credentials, so it did not look at the booking.")
    assert ex.remedies == (
        {"action": "send HTTP Basic auth on every request, with the username global/<email> "
                   "(without the global/ prefix Phorest answers 401) and the password Phorest "
                   "issued"},
        {"action": "there is no OAuth and no token exchange in this API: credentials come "
                   "only from Phorest Support"})


def test_403_adds_the_path_ids() -> None:
    ex = explain('{"statusCode": 403}', LISA_FREE, SALON, now=NOW)
    assert ex.status == 403
    assert ex.remedies[-1] == {"action": "check the businessId and the branchId (br_tor) in "
                                         "the path; ask Phorest Support for access"}


def test_404_names_the_unknown_id() -> None:
    request = booking(sched("svc_cut", "stf_lsa", "2026-12-01T15:45:00Z"))
    ex = explain("Not Found", request, SALON, status=404, now=NOW)
    assert ex.diagnosis == "not-a-rule-code"
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 404; the response body is not JSON: plain "
        "text 'Not Found'. Phorest did not find something the request names, and the "
        "snapshot does not hold it either: Staff member 'stf_lsa' at "
        "clientAppointmentSchedules[0].serviceSchedules[0].staffId is not in the snapshot "
        "(did you mean 'stf_lisa'?); Phorest would refuse it, or the snapshot is older than "
        "the id.")
    assert [(e["code"], e["evidence"]["id"]) for e in ex.evidence] == [("UNKNOWN_ID",
                                                                        "stf_lsa")]
    assert ex.remedies == ({"action": "use the id exactly as `GET .../branch/{branchId}/staff` "
                                      "returns it, or refresh the snapshot if the staff member "
                                      "is new"},)


def test_404_with_every_id_known_points_to_another_branch_or_a_deletion() -> None:
    update = failing_example("STAFF_REQUESTED")[0]
    ex = explain({"statusCode": 404}, update, fetched("2026-11-30T09:00:00Z"),
                 now=z("2026-11-30T12:00:00Z"))
    assert ex.explanation == (
        "Phorest answered the appointment update with HTTP 404; the response body is a JSON "
        "object without detail, errorCode or message: '{\"statusCode\": 404}'. Every id in "
        "the request is known to the snapshot (branch br_tor), so the id may belong to "
        "another branch (check the branchId in the path) or was deleted after the snapshot "
        "was fetched. The snapshot was fetched 3 h before the request (2026-11-30 07:00 EST "
        "(12:00Z)): most likely a stale cache.")
    assert ex.remedies == (
        {"action": "check that the path's branchId is br_tor, the snapshot's branch"},
        {"action": "refresh the snapshot and explain again"},
        {"action": "if GET .../appointment/{appointmentId} itself answers 404 (one tenant saw "
                   "it always do), list the appointment with updated_from/updated_to instead",
         "endpoint": f"GET {ENDPOINT}appointment?updated_from=...&updated_to=... "
                     "(getAppointments)"})


def test_409_stale_version() -> None:
    update = {"kind": "updateAppointment", "body": {
        "appointmentId": "ap_mary_cut", "version": 0, "appointmentDate": "2026-12-01",
        "startTime": "16:00:00", "endTime": "16:45:00", "staffId": "stf_lisa"}}
    ex = explain({"statusCode": 409, "detail": "Conflict"}, update, SALON, now=NOW)
    assert (ex.status, ex.diagnosis) == (409, "not-a-rule-code")
    assert [e["code"] for e in ex.evidence] == ["STALE_VERSION"]
    assert ex.evidence[0]["evidence"] == {"appointmentId": "ap_mary_cut",
                                          "requestVersion": 0, "snapshotVersion": 1}
    assert ("A conflict: the appointment changed since it was read (its `version` is stale) or "
            "another write got there first. The snapshot agrees: The update sends version 0"
            ) in ex.explanation
    assert ex.remedies == (
        {"action": "read the appointment again and rebuild the request from it, with its "
                   "current version; then send it once more",
         "endpoint": f"GET {ENDPOINT}appointment/ap_mary_cut"},
        {"action": "do not retry the same body: it will conflict again"})
    current = copy.deepcopy(update)
    current["body"]["version"] = 1
    ex = explain({"statusCode": 409}, current, SALON, now=NOW)
    assert ex.evidence == ()
    assert "The snapshot agrees" not in ex.explanation


def test_429_back_off_without_a_hard_coded_rate() -> None:
    ex = explain("Too Many Requests", LISA_FREE, SALON, status=429, now=NOW)
    assert (ex.status, ex.diagnosis, ex.alternatives) == (429, "not-a-rule-code", ())
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 429; the response body is not JSON: plain "
        "text 'Too Many Requests'. Phorest throttled the request (too many requests); it did "
        "not look at the booking.")
    assert [r["action"] for r in ex.remedies] == [
        "back off and retry: exponential backoff with jitter, honouring a Retry-After header "
        "when one is sent",
        "do not hard-code a rate: Phorest's published limit (100 requests a second) and one "
        "integration's observed limit (500 requests per 1000 s window) disagree",
        "make fewer calls: read from a cached snapshot and check bookings before sending them"]


def test_5xx_html_page_retry_after_checking() -> None:
    page = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>"
            "502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n"
            "</html>\r\n")
    ex = explain(page.encode(), LISA_FREE, SALON, now=NOW)
    assert (ex.code, ex.source_field, ex.status, ex.diagnosis) == (
        None, None, 502, "not-a-rule-code")
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 502; the response body is not JSON: HTML page "
        "titled '502 Bad Gateway'. A server or gateway error, usually transient. The booking "
        "may or may not have been made: check before retrying.")
    assert ex.remedies == (
        {"action": "before retrying, check whether it was made: list the client's "
                   "appointments that day",
         "endpoint": f"GET {ENDPOINT}appointment?client_id=cli_new&from_date=2026-12-01"
                     "&to_date=2026-12-01 (getAppointments)"},
        {"action": "then retry with exponential backoff (and jitter); do not retry a "
                   "createBooking that already exists"})
    ex = explain("", failing_example("STAFF_REQUESTED")[0], SALON, status=500, now=NOW)
    assert ex.remedies[1] == {"action": "read the appointment: a new version means the update "
                                        "went through",
                              "endpoint": f"GET {ENDPOINT}appointment/ap_mary_cut"}


def test_31_day_range_limit() -> None:
    for error in ({"detail": "Max date range allowed is 31 days"},
                  "max date range allowed is 31 days"):
        ex = explain(error, LISA_FREE, SALON, status=400, now=NOW)
        assert (ex.code, ex.diagnosis) == (None, "not-a-rule-code")
        assert ("That is the 31-day limit of Phorest's list endpoints (appointments, work "
                "timetables, breaks)") in ex.explanation
        assert ex.remedies[0] == {
            "action": "split the range into windows of at most 31 days (to_date is inclusive: "
                      "2026-12-01 to 2026-12-31 is 31 days)",
            "endpoint": f"GET {ENDPOINT}appointment?from_date=...&to_date=... "
                        "(getAppointments)"}
        assert len(ex.remedies) == 3


def test_an_unknown_code_is_unmodelled_with_the_raw_text() -> None:
    raw = '{"statusCode":400,"errorCode":"CLIENT_DOUBLE_BOOKED","detail":"Client double booked"}'
    ex = explain(raw, LISA_FREE, SALON, now=NOW)
    assert (ex.code, ex.source_field, ex.status, ex.diagnosis) == (
        "CLIENT_DOUBLE_BOOKED", "errorCode", 400, "unmodelled")
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 400; the response body says detail 'Client "
        "double booked', errorCode 'CLIENT_DOUBLE_BOOKED'. CLIENT_DOUBLE_BOOKED (in "
        "`errorCode`) is not one of the nineteen Phorest codes this library models. Raw body: "
        f"{raw!r}. Against the snapshot this booking passes the check.")
    assert ex.remedies == ({"action": "keep the raw body and report the code, so it can be "
                                      "modelled (a rule, or the ruleset's priority)"},)


def test_the_category_alone_is_unmodelled_and_the_check_predicts() -> None:
    request = failing_example("STAFF_DOUBLE_BOOKED")[0]
    ex = explain({"statusCode": 400, "errorCode": "SLOT_UNAVAILABLE"}, request, SALON, now=NOW)
    assert (ex.code, ex.diagnosis) == ("SLOT_UNAVAILABLE", "unmodelled")
    assert ("SLOT_UNAVAILABLE is the broad category Phorest was seen to send in `errorCode` "
            "beside the specific code in `detail`; this body names no specific code. The "
            "snapshot predicts STAFF_DOUBLE_BOOKED: Lisa Moreau") in ex.explanation
    assert [e["code"] for e in ex.evidence] == ["STAFF_DOUBLE_BOOKED"]


def test_a_bare_400_puts_the_engines_own_codes_first() -> None:
    request = booking(sched("svc_cut", "stf_lsa", "2026-12-01T15:45:00Z"))
    ex = explain("Booking data is invalid, unable to create a booking", request, SALON,
                 status=400, now=NOW)
    assert (ex.code, ex.diagnosis) == (None, "not-a-rule-code")
    assert ex.evidence[0]["code"] == "UNKNOWN_ID"
    assert ex.explanation == (
        "Phorest answered the booking with HTTP 400; the response body is not JSON: plain "
        "text 'Booking data is invalid, unable to create a booking'. It names none of "
        "Phorest's booking codes. The check finds UNKNOWN_ID: Staff "
        "member 'stf_lsa' at clientAppointmentSchedules[0].serviceSchedules[0].staffId is not "
        "in the snapshot (did you mean 'stf_lisa'?); Phorest would refuse it, or the snapshot "
        "is older than the id.")
    assert ex.remedies[-1] == {"action": "keep the HTTP status and the raw body in the "
                                         "integration's log: explain them again with the "
                                         "status"}


def test_a_rule_code_with_an_unusual_status_says_so() -> None:
    request = failing_example("STAFF_DOUBLE_BOOKED")[0]
    ex = explain({"detail": "STAFF_DOUBLE_BOOKED"}, request, SALON, status=409, now=NOW)
    assert ex.diagnosis == "confirmed"
    assert ex.explanation.endswith(" (Phorest sends its booking codes with HTTP 400; this "
                                   "answer came with HTTP 409.)")


# --- output -------------------------------------------------------------------------------


def test_to_dict_to_json_and_to_text() -> None:
    ex = explain_example("STAFF_DOUBLE_BOOKED")
    d = ex.to_dict()
    # The JSON contract (docs/schemas/explain.schema.json): camelCase, versioned.
    assert list(d) == ["schemaVersion", "code", "sourceField", "status", "diagnosis",
                       "explanation", "evidence", "remedies", "alternatives", "response",
                       "check"]
    assert d["schemaVersion"] == 1
    assert d["response"] == {"form": "json", "statusCode": 400, "id": "e-1",
                             "detail": "STAFF_DOUBLE_BOOKED", "errorCode": "SLOT_UNAVAILABLE"}
    assert d["check"] == {"verdict": "FAIL", "predictedApiCode": "STAFF_DOUBLE_BOOKED",
                          "codes": ["STAFF_DOUBLE_BOOKED"], "snapshotAgeSeconds": None}
    assert json.loads(ex.to_json()) == d
    assert ex.to_text() == "\n".join([
        "STAFF_DOUBLE_BOOKED (HTTP 400, from detail): confirmed",
        "",
        "Phorest refused the booking with STAFF_DOUBLE_BOOKED (HTTP 400, in `detail`, category "
        "SLOT_UNAVAILABLE, error id e-1). The snapshot confirms it: Lisa Moreau is already "
        "booked 2026-12-01 10:00-10:45 EST (15:00Z-15:45Z) with Mary Client's Cut & Blow-dry "
        "(ap_mary_cut); this service needs them 2026-12-01 10:30-11:15 EST (15:30Z-16:15Z).",
        "",
        "Evidence:",
        "  - STAFF_DOUBLE_BOOKED at clientAppointmentSchedules[0].serviceSchedules[0]: Lisa "
        "Moreau is already booked 2026-12-01 10:00-10:45 EST (15:00Z-15:45Z) with Mary "
        "Client's Cut & Blow-dry (ap_mary_cut); this service needs them 2026-12-01 "
        "10:30-11:15 EST (15:30Z-16:15Z).",
        "",
        "What to do:",
        "  - choose another time for this staff member, or another qualified staff member at "
        "this time (`booking-rules slots` lists both)",
        f"  - ask Phorest for free times before booking (POST {ENDPOINT}appointments/"
        "availability (findAvailableAppointmentTimes))",
        f"  - see the staff member's bookings that day (GET {ENDPOINT}appointment?staff_id="
        "stf_lisa&from_date=2026-12-01&to_date=2026-12-01 (getAppointments))",
        "  - or send one of the alternatives below: each passes the check against this "
        "snapshot",
        "",
        "Instead (each passes the check):",
        "  - same-staff-other-time: Lisa Moreau at 2026-12-01 10:45 EST (15:45Z), 15 min later",
        "  - same-staff-other-time: Lisa Moreau at 2026-12-01 12:15 EST (17:15Z), 1 h 45 min "
        "later",
        "  - same-staff-other-time: Lisa Moreau at 2026-12-01 13:30 EST (18:30Z), 3 h later",
        "  - same-time-other-staff: Ann Kowalski (stf_ann) instead of Lisa Moreau, same time "
        "(2026-12-01 10:30 EST (15:30Z))",
    ]) + "\n"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.diagnosis = "other"  # type: ignore[misc]


def test_text_of_a_non_rule_answer_has_no_empty_sections() -> None:
    ex = explain("", LISA_FREE, SALON, status=429, now=NOW)
    text = ex.to_text()
    assert text.startswith("no Phorest code (HTTP 429): not-a-rule-code\n\n")
    assert "Evidence:" not in text and "Instead" not in text and "What to do:" in text


# --- bad input ------------------------------------------------------------------------------


def test_unusable_request_or_snapshot_raises_input_error() -> None:
    with pytest.raises(InputError, match="a JSON object"):
        explain({"detail": "STAFF_DOUBLE_BOOKED"}, [1, 2], SALON, now=NOW)
    bad_time = booking(sched("svc_cut", "stf_lisa", "tomorrow"))
    with pytest.raises(InputError, match=r"serviceSchedules\[0\]\.startTime"):
        explain({"detail": "STAFF_DOUBLE_BOOKED"}, bad_time, SALON, now=NOW)
    with pytest.raises(InputError, match="branch"):
        explain({"detail": "STAFF_DOUBLE_BOOKED"}, LISA_FREE, {"staff": []}, now=NOW)
    with pytest.raises(InputError, match="an HTTP status code"):
        explain("", LISA_FREE, SALON, status="400", now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="aware"):
        explain("", LISA_FREE, SALON, now=datetime(2026, 11, 1))


def test_the_cli_helpers_name_the_files(tmp_path: Path) -> None:
    bad_time = booking(sched("svc_cut", "stf_lisa", "tomorrow"))
    with pytest.raises(InputError) as err:
        explain("", bad_time, SALON, now=NOW, request_source="req.json")
    assert str(err.value).startswith(
        "req.json: at clientAppointmentSchedules[0].serviceSchedules[0].startTime: expected")
    with pytest.raises(InputError) as err:
        load_error(tmp_path / "nope.txt")
    assert str(err.value) == f"{tmp_path / 'nope.txt'}: at (top level): expected an existing " \
                             "file (the raw response body)"
    (tmp_path / "body.txt").write_bytes(b"\xff<html>")
    assert load_error(tmp_path / "body.txt") == b"\xff<html>"


def test_the_snapshot_may_be_a_path_or_a_dict() -> None:
    from .conftest import EXAMPLE_SALON

    a = explain({"detail": "STAFF_DOUBLE_BOOKED"}, LISA_FREE, EXAMPLE_SALON, now=NOW)
    b = explain({"detail": "STAFF_DOUBLE_BOOKED"}, LISA_FREE, salon_doc(), now=NOW)
    assert a.to_dict() == b.to_dict()
    assert a.diagnosis == "not-reproduced"


# --- corpus mode ------------------------------------------------------------------------------


def test_corpus_confusion_table_counts() -> None:
    report = explain_corpus(CORPUS)
    assert [e.name for e in report.entries] == [
        "01_confirmed_staff_double_booked", "02_stale_cache_staff_double_booked",
        "03_other_code_staff_not_working", "04_rate_limited", "05_gateway_502_html",
        "06_disagree_machine_double_booked", "07_confirmed_staff_requested_update",
        "08_online_second_booking_plain_text"]
    assert report.rows == ["STAFF_REQUESTED", "STAFF_NOT_WORKING", "STAFF_DOUBLE_BOOKED",
                           "MACHINE_DOUBLE_BOOKED", "INTERNET_BOOKING_ALREADY_BOOKED", "none"]
    assert report.columns == ["STAFF_REQUESTED", "STAFF_DOUBLE_BOOKED",
                              "INTERNET_BOOKING_ALREADY_BOOKED", "PASS"]
    assert report.confusion == {
        "STAFF_REQUESTED": {"STAFF_REQUESTED": 1},
        "STAFF_NOT_WORKING": {"STAFF_DOUBLE_BOOKED": 1},
        "STAFF_DOUBLE_BOOKED": {"STAFF_DOUBLE_BOOKED": 1, "PASS": 1},
        "MACHINE_DOUBLE_BOOKED": {"STAFF_DOUBLE_BOOKED": 1},
        "INTERNET_BOOKING_ALREADY_BOOKED": {"INTERNET_BOOKING_ALREADY_BOOKED": 1},
        "none": {"PASS": 2},
    }
    assert (report.scored, report.matched, report.accuracy) == (6, 3, 0.5)
    assert report.diagnoses == {"confirmed": 4, "not-reproduced": 1, "other-code": 1,
                                "not-a-rule-code": 2}
    assert [(e.explanation.status, e.api_code, e.predicted, e.verdict, e.matched)
            for e in report.entries] == [
        (400, "STAFF_DOUBLE_BOOKED", "STAFF_DOUBLE_BOOKED", "FAIL", True),
        (400, "STAFF_DOUBLE_BOOKED", None, "PASS", False),
        (400, "STAFF_NOT_WORKING", "STAFF_DOUBLE_BOOKED", "FAIL", False),
        (429, None, None, "PASS", None),
        (502, None, None, "PASS", None),
        (400, "MACHINE_DOUBLE_BOOKED", "STAFF_DOUBLE_BOOKED", "FAIL", False),
        (400, "STAFF_REQUESTED", "STAFF_REQUESTED", "FAIL", True),
        (400, "INTERNET_BOOKING_ALREADY_BOOKED", "INTERNET_BOOKING_ALREADY_BOOKED", "FAIL",
         True),
    ]
    by_name = {e.name: e.explanation for e in report.entries}
    stale = by_name["02_stale_cache_staff_double_booked"]
    assert stale.diagnosis == "not-reproduced"
    assert stale.explanation.endswith(
        "The snapshot was fetched 2 days before the request (2026-11-30 11:20 EST (16:20Z)): "
        "most likely a stale cache.")
    assert by_name["06_disagree_machine_double_booked"].source_field == "errorCode"
    assert by_name["08_online_second_booking_plain_text"].source_field == "text"
    assert by_name["05_gateway_502_html"].explanation.startswith(
        "Phorest answered the booking with HTTP 502; the response body is not JSON: HTML page "
        "titled '502 Bad Gateway'.")
    # Entries without meta.json's now were checked at the snapshot's coverage.fetchedAt.
    rate = next(e for e in report.entries if e.name == "04_rate_limited").explanation
    assert rate.report is not None and rate.report.now == z("2026-11-30T16:00:00Z")
    assert rate.report.snapshot_age_seconds == 0
    for entry in report.entries:
        snap = br.load_snapshot(CORPUS / entry.name / "snapshot.json")
        assert entry.explanation.report is not None
        assert_alternatives_pass(entry.explanation, snap, online=entry.name.startswith("08"),
                                 now=entry.explanation.report.now)


def test_corpus_report_text_and_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = explain_corpus("tests/data/corpus")
    text = report.to_text()
    guide = (ROOT / "docs" / "explain.md").read_text()
    block = guide.split("<!-- corpus-example", 1)[1].split("```text\n", 1)[1].split("```")[0]
    assert text.startswith(block), "docs/explain.md is stale"
    assert ("  02_stale_cache_staff_double_booked   400  API STAFF_DOUBLE_BOOKED, predicted "
            "PASS: not-reproduced, MISS") in text
    assert ("  05_gateway_502_html                  502  API none, predicted PASS: "
            "not-a-rule-code, not scored") in text
    assert text.endswith("Diagnoses: confirmed 4, not-reproduced 1, other-code 1, "
                         "not-a-rule-code 2\n")
    d = report.to_dict()
    assert d["accuracy"] == 0.5 and d["scored"] == 6 and d["matched"] == 3
    assert d["confusion"]["counts"] == report.confusion
    assert d["entries"][1] == {
        "name": "02_stale_cache_staff_double_booked", "status": 400,
        "apiCode": "STAFF_DOUBLE_BOOKED", "predicted": None, "verdict": "PASS",
        "diagnosis": "not-reproduced", "scored": True, "matched": False}
    assert json.loads(report.to_json()) == d


def copy_entry(tmp_path: Path, name: str = "01_confirmed_staff_double_booked") -> Path:
    target = tmp_path / "corpus" / name
    shutil.copytree(CORPUS / name, target)
    return target


def test_corpus_now_defaults_and_the_error_naming_the_entry(tmp_path: Path) -> None:
    entry = copy_entry(tmp_path)
    (entry / "meta.json").write_text('{"status": 400}')
    report = explain_corpus(tmp_path / "corpus")
    assert report.entries[0].explanation.report is not None
    assert report.entries[0].explanation.report.now == z("2026-11-30T14:00:00Z")  # fetchedAt
    report = explain_corpus(tmp_path / "corpus", now=z("2026-11-30T15:00:00Z"))
    assert report.entries[0].explanation.report is not None
    assert report.entries[0].explanation.report.now == z("2026-11-30T15:00:00Z")
    doc = json.loads((entry / "snapshot.json").read_text())
    del doc["coverage"]["fetchedAt"]
    (entry / "snapshot.json").write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        explain_corpus(tmp_path / "corpus")
    assert str(err.value) == (
        f"{entry}: at meta.json: now: expected the instant the request was sent: `now` in "
        "meta.json, or a snapshot with coverage.fetchedAt")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda e: (e / "response.json").unlink(), "response.json: expected the raw response "
     "body, in response.json or response.txt"),
    (lambda e: (e / "request.json").write_text("{"), "request.json: at line 1 column 2: "
     "expected valid JSON"),
    (lambda e: (e / "request.json").write_text('{"kind": "createBooking", "body": {"clientId":'
                                               ' "c"}}'),
     "request.json: at body.clientAppointmentSchedules: expected at least one"),
    (lambda e: (e / "meta.json").write_text('{"status": "four hundred"}'),
     "meta.json: at status: expected an HTTP status code such as 400"),
    (lambda e: (e / "meta.json").write_text('{"now": "yesterday"}'),
     "meta.json: at now: expected an ISO-8601 instant"),
    (lambda e: (e / "meta.json").write_text('{"online": "yes"}'),
     "meta.json: at online: expected true or false"),
    (lambda e: (e / "meta.json").write_text('{"sent": 1}'),
     "meta.json: at sent: expected only the keys status, now and online"),
    (lambda e: (e / "snapshot.json").unlink(), "snapshot.json: expected the snapshot"),
])
def test_corpus_bad_entries_are_input_errors_naming_the_file(
        tmp_path: Path, damage: Any, message: str) -> None:
    entry = copy_entry(tmp_path)
    damage(entry)
    with pytest.raises(InputError) as err:
        explain_corpus(tmp_path / "corpus")
    assert str(err.value).startswith(str(entry)), str(err.value)
    assert message in str(err.value)


def test_corpus_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="a corpus directory"):
        explain_corpus(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("not an entry")
    (tmp_path / "empty" / "_skipped").mkdir()
    with pytest.raises(InputError, match="at least one entry folder"):
        explain_corpus(tmp_path / "empty")


# --- the platform is a parameter ---------------------------------------------------------------


def test_explain_imports_no_platform() -> None:
    for path in sorted((ROOT / "booking_rules" / "explain").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any("platforms" in n.split(".") for n in names), (path.name, names)


def test_a_platform_brings_its_own_name_and_advice() -> None:
    from booking_rules.explain import Advice, Response, Situation
    from booking_rules.explain import explain as explain_with
    from booking_rules.platforms.phorest import TABLE
    from booking_rules.platforms.phorest.explain import PhorestExplain

    @dataclasses.dataclass(frozen=True)
    class Acme(PhorestExplain):
        def advise(self, response: Response, situation: Situation) -> Advice | None:
            if response.status == 503:
                return Advice(f"Acme rests; the {situation.what} was not looked at.",
                              [{"action": "wait"}])
            return None

    acme = Acme(table=dataclasses.replace(TABLE, display="Acme"), rule_status=422)
    ex = explain_with("", LISA_FREE, SALON, platform=acme, ruleset="phorest", status=503,
                      now=NOW)
    assert (ex.diagnosis, ex.remedies) == ("not-a-rule-code", ({"action": "wait"},))
    assert ex.explanation == ("Acme answered the booking with HTTP 503; the response body "
                              "is empty. Acme rests; the booking was not looked at.")
    assert ex.to_text().startswith("no Acme code (HTTP 503): not-a-rule-code\n")
    ex = explain_with({"detail": "STAFF_DOUBLE_BOOKED"}, failing_example(
        "STAFF_DOUBLE_BOOKED")[0], SALON, platform=acme, ruleset="phorest", status=400,
        now=NOW)
    assert ex.diagnosis == "confirmed"
    assert ex.explanation.startswith("Acme refused the booking with STAFF_DOUBLE_BOOKED")
    assert ex.explanation.endswith(" (Acme sends its booking codes with HTTP 422; this "
                                   "answer came with HTTP 400.)")
