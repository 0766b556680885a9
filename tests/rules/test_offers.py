"""The special-offer rules: dates, allowed times, limits, excluded staff (RULES.md §3).

Most tests build a tiny branch whose staff work around the clock, so the only codes a
booking can earn are the offer's: every test asserts the exact set of error codes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ..conftest import booking, codes, minimal_doc, run, sched

BEFORE = "SPECIAL_OFFER_BEFORE_START_DATE"
AFTER = "SPECIAL_OFFER_AFTER_END_DATE"
TIME = "SPECIAL_OFFER_NOT_ALLOWED_TIME"
CONCURRENT = "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED"
PER_DAY = "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"
EXCLUDED = "SPECIAL_OFFER_STAFF_EXCLUDED"
OFFER_CODES = {BEFORE, AFTER, TIME, CONCURRENT, PER_DAY, EXCLUDED}

TORONTO = "America/Toronto"
SYDNEY = "Australia/Sydney"
BEFORE_SYDNEY_DST = datetime(2026, 9, 1, tzinfo=UTC)  # `now` for Sydney's 4 Oct 2026
BEFORE_TORONTO_FALL = datetime(2026, 10, 1, tzinfo=UTC)  # `now` for Toronto's 1 Nov 2026

STAFF = [{"staffId": f"stf_{n}", "userId": f"usr_{n}", "firstName": n.title(),
          "lastName": "Stylist"} for n in ("a", "b", "c", "d")]
CLIENTS = [{"clientId": f"cli_{n}", "firstName": n.title(), "lastName": "Client"}
           for n in ("a", "b", "c", "d", "new")]


def branch(first: str, last: str, *, zone: str = TORONTO, offer: dict[str, Any] | None = None,
           appointments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A branch whose four staff work round the clock from ``first`` to ``last`` (local
    dates), with one 60-minute service and the special offer ``so`` on it."""
    d0, d1 = date.fromisoformat(first), date.fromisoformat(last)
    days = [(d0 + timedelta(days=i)).isoformat() for i in range((d1 - d0).days + 1)]
    return minimal_doc(
        zone=zone, conventions={"appointmentTimes": "local"}, staff=STAFF, clients=CLIENTS,
        services=[{"serviceId": "svc_cut", "name": "Cut", "duration": 60}],
        # Whole days: an end equal to its start is empty (RULES.md §1), so each day is
        # two slots, the second running to midnight (an end before its start).
        workTimeTables=[{"staffId": s["staffId"], "timeSlots": [
            {"date": d, "startTime": start, "endTime": end, "type": "WORKING"}
            for d in days for start, end in (("00:00:00", "12:00:00"),
                                             ("12:00:00", "00:00:00"))]} for s in STAFF],
        specialOffers=[{"specialOfferId": "so", "name": "Happy hour",
                        "serviceIds": ["svc_cut"], **(offer or {})}],
        appointments=appointments or [])


def appt(ap_id: str, day: str, start: str, end: str, *, staff: str, client: str,
         offer: str | None = "so", **extra: Any) -> dict[str, Any]:
    """An existing appointment, times as branch-local wall clock."""
    out = {"appointmentId": ap_id, "version": 1, "appointmentDate": day,
           "startTime": start, "endTime": end, "clientId": client, "staffId": staff,
           "serviceId": "svc_cut", "activationState": "ACTIVE", "deleted": False,
           "source": "API", **extra}
    if offer:
        out["specialOfferId"] = offer
    return out


def cut(start: str, staff: str = "stf_a", offer: str = "so", **extra: Any) -> dict[str, Any]:
    return sched("svc_cut", staff, start, specialOfferId=offer, **extra)


def two_clients(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """A createBooking for two clients, one schedule each."""
    return {"clientId": "cli_a", "clientAppointmentSchedules": [
        {"clientId": "cli_a", "serviceSchedules": [first]},
        {"clientId": "cli_b", "serviceSchedules": [second]}]}


def update(ap_id: str, day: str, start: str, end: str, staff: str) -> dict[str, Any]:
    return {"kind": "updateAppointment", "body": {
        "appointmentId": ap_id, "version": 1, "appointmentDate": day, "startTime": start,
        "endTime": end, "staffId": staff, "serviceId": "svc_cut"}}


def of(report: Any, code: str) -> list[Any]:
    return [v for v in report.violations if v.code == code]


# --- SPECIAL_OFFER_BEFORE_START_DATE ------------------------------------------------------


def test_the_day_before_the_start_date_fails() -> None:
    doc = branch("2026-12-01", "2026-12-31", offer={"startDate": "2026-12-10"})
    report = run(booking(cut("2026-12-09T10:00:00-05:00")), doc)
    assert codes(report) == {BEFORE}
    assert of(report, BEFORE)[0].evidence["startDate"] == "2026-12-10"
    assert of(report, BEFORE)[0].evidence["localDate"] == "2026-12-09"


def test_the_start_date_itself_passes() -> None:
    doc = branch("2026-12-01", "2026-12-31", offer={"startDate": "2026-12-10"})
    assert codes(run(booking(cut("2026-12-10T00:00:00-05:00")), doc)) == set()


def test_start_date_compares_the_local_date_not_the_utc_date() -> None:
    doc = branch("2026-12-30", "2027-01-02", offer={"startDate": "2027-01-01"})
    # 2026-12-31 23:30 in Toronto is 2027-01-01 04:30 UTC: still the day before, locally.
    assert codes(run(booking(cut("2027-01-01T04:30:00Z")), doc)) == {BEFORE}
    # Local midnight of the start date (05:00 UTC) is on it.
    assert codes(run(booking(cut("2027-01-01T05:00:00Z")), doc)) == set()


def test_start_date_east_of_utc_passes_on_the_local_date_that_is_the_day_before_in_utc(
) -> None:
    doc = branch("2026-12-30", "2027-01-02", zone=SYDNEY, offer={"startDate": "2027-01-01"})
    # 2027-01-01 09:00 in Sydney (+11) is 2026-12-31 22:00 UTC.
    assert codes(run(booking(cut("2026-12-31T22:00:00Z")), doc)) == set()
    assert codes(run(booking(cut("2026-12-31T12:59:00Z")), doc)) == {BEFORE}  # 23:59 local


def test_an_offer_without_a_start_date_has_no_lower_bound() -> None:
    doc = branch("2026-12-01", "2026-12-02", offer={"endDate": "2026-12-31"})
    assert codes(run(booking(cut("2026-12-01T10:00:00-05:00")), doc)) == set()


# --- SPECIAL_OFFER_AFTER_END_DATE ---------------------------------------------------------


def test_the_day_after_the_end_date_fails() -> None:
    doc = branch("2026-12-01", "2026-12-31", offer={"endDate": "2026-12-10"})
    report = run(booking(cut("2026-12-11T10:00:00-05:00")), doc)
    assert codes(report) == {AFTER}
    assert of(report, AFTER)[0].evidence["daysLate"] == 1


def test_the_end_date_itself_passes_even_when_the_booking_runs_past_midnight() -> None:
    doc = branch("2026-12-01", "2026-12-31", offer={"endDate": "2026-12-10"})
    assert codes(run(booking(cut("2026-12-10T23:30:00-05:00")), doc)) == set()


def test_end_date_compares_the_local_date_not_the_utc_date() -> None:
    doc = branch("2026-12-30", "2027-01-02", offer={"endDate": "2026-12-31"})
    # 2026-12-31 23:30 in Toronto is 2027-01-01 04:30 UTC: the local date counts.
    assert codes(run(booking(cut("2027-01-01T04:30:00Z")), doc)) == set()
    assert codes(run(booking(cut("2027-01-01T05:00:00Z")), doc)) == {AFTER}


def test_salon_offer_is_valid_from_its_start_to_its_end_date() -> None:
    # so_morning runs 2026-11-15 (a Sunday) .. 2026-12-31, weekdays 09:00-12:00.
    assert codes(run(booking(cut("2026-11-16T09:00:00-05:00", "stf_lisa", "so_morning")))
                 ) == set()
    assert codes(run(booking(cut("2026-12-31T11:00:00-05:00", "stf_lisa", "so_morning")))
                 ) == set()
    assert codes(run(booking(cut("2027-01-01T09:00:00-05:00", "stf_lisa", "so_morning")))
                 ) == {AFTER}


# --- SPECIAL_OFFER_NOT_ALLOWED_TIME -------------------------------------------------------

WEEKDAY_MORNINGS = {"allowedTimes": [{"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY",
                                               "FRIDAY"],
                                      "startTime": "09:00:00", "endTime": "12:00:00"}]}


@pytest.mark.parametrize(("local", "expected"), [
    ("08:59", {TIME}),
    ("09:00", set()),  # start inclusive
    ("11:59", set()),
    ("12:00", {TIME}),  # end exclusive
])
def test_allowed_time_window_edges(local: str, expected: set[str]) -> None:
    doc = branch("2026-12-02", "2026-12-03", offer=WEEKDAY_MORNINGS)  # a Wednesday
    assert codes(run(booking(cut(f"2026-12-02T{local}:00-05:00")), doc)) == expected


def test_allowed_time_compares_the_local_weekday_not_the_utc_one() -> None:
    doc = branch("2026-12-04", "2026-12-06", offer={"allowedTimes": [
        {"days": ["FRIDAY"], "startTime": "18:00:00", "endTime": "23:00:00"}]})
    # Friday 20:00 in Toronto is Saturday 01:00 UTC.
    assert codes(run(booking(cut("2026-12-05T01:00:00Z")), doc)) == set()
    saturday_only = branch("2026-12-04", "2026-12-06", offer={"allowedTimes": [
        {"days": ["SATURDAY"], "startTime": "00:00:00", "endTime": "06:00:00"}]})
    assert codes(run(booking(cut("2026-12-05T01:00:00Z")), saturday_only)) == {TIME}


def test_any_window_of_several_will_do() -> None:
    doc = branch("2026-12-05", "2026-12-06", offer={"allowedTimes": [
        *WEEKDAY_MORNINGS["allowedTimes"],
        {"days": ["SATURDAY"], "startTime": "14:00:00", "endTime": "16:00:00"}]})
    assert codes(run(booking(cut("2026-12-05T15:00:00-05:00")), doc)) == set()
    assert codes(run(booking(cut("2026-12-05T10:00:00-05:00")), doc)) == {TIME}


def test_an_offer_without_allowed_times_is_valid_at_any_time() -> None:
    doc = branch("2026-12-05", "2026-12-06")
    assert codes(run(booking(cut("2026-12-06T03:00:00-05:00")), doc)) == set()


def test_a_window_ending_after_midnight_holds_the_early_hours_of_the_next_day() -> None:
    doc = branch("2026-12-03", "2026-12-06", offer={"allowedTimes": [
        {"days": ["FRIDAY"], "startTime": "22:00:00", "endTime": "02:00:00"}]})
    assert codes(run(booking(cut("2026-12-04T22:00:00-05:00")), doc)) == set()
    assert codes(run(booking(cut("2026-12-05T01:59:00-05:00")), doc)) == set()  # Saturday
    assert codes(run(booking(cut("2026-12-05T02:00:00-05:00")), doc)) == {TIME}
    assert codes(run(booking(cut("2026-12-04T21:59:00-05:00")), doc)) == {TIME}
    assert codes(run(booking(cut("2026-12-04T01:00:00-05:00")), doc)) == {TIME}  # Thursday


def test_allowed_time_on_toronto_spring_forward_uses_the_wall_clock() -> None:
    # 2027-03-14: 02:00 EST jumps to 03:00 EDT. 06:59Z is 01:59 EST, 07:00Z is 03:00 EDT.
    doc = branch("2027-03-13", "2027-03-15", offer={"allowedTimes": [
        {"days": ["SUNDAY"], "startTime": "03:00:00", "endTime": "05:00:00"}]})
    assert codes(run(booking(cut("2027-03-14T07:00:00Z")), doc)) == set()
    assert codes(run(booking(cut("2027-03-14T06:59:00Z")), doc)) == {TIME}
    assert codes(run(booking(cut("2027-03-14T09:00:00Z")), doc)) == {TIME}  # 05:00 EDT


def test_allowed_time_on_toronto_fall_back_takes_both_occurrences_of_the_hour() -> None:
    # 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and 06:30Z.
    doc = branch("2026-10-31", "2026-11-02", offer={"allowedTimes": [
        {"days": ["SUNDAY"], "startTime": "01:00:00", "endTime": "02:00:00"}]})
    now = BEFORE_TORONTO_FALL
    assert codes(run(booking(cut("2026-11-01T05:30:00Z")), doc, now=now)) == set()
    assert codes(run(booking(cut("2026-11-01T06:30:00Z")), doc, now=now)) == set()
    assert codes(run(booking(cut("2026-11-01T07:00:00Z")), doc, now=now)) == {TIME}


def test_allowed_time_on_sydney_spring_forward() -> None:
    # 2026-10-04: 02:00 AEST jumps to 03:00 AEDT. 15:59Z is 01:59 AEST, 16:00Z 03:00 AEDT.
    doc = branch("2026-10-03", "2026-10-05", zone=SYDNEY, offer={"allowedTimes": [
        {"days": ["SUNDAY"], "startTime": "03:00:00", "endTime": "12:00:00"}]})
    now = BEFORE_SYDNEY_DST
    assert codes(run(booking(cut("2026-10-03T16:00:00Z")), doc, now=now)) == set()
    assert codes(run(booking(cut("2026-10-03T15:59:00Z")), doc, now=now)) == {TIME}


def test_salon_case_wednesday_afternoon_is_outside_the_morning_offer() -> None:
    report = run(booking(cut("2026-12-02T19:00:00Z", "stf_lisa", "so_morning")))
    assert codes(report) == {TIME}
    assert of(report, TIME)[0].evidence["allowedTimes"] == ["Mon-Fri 09:00-12:00"]
    assert of(report, TIME)[0].evidence["localWeekday"] == "Wednesday"


# --- SPECIAL_OFFER_STAFF_EXCLUDED ---------------------------------------------------------


def test_an_excluded_staff_member_fails_and_another_passes() -> None:
    doc = branch("2026-12-02", "2026-12-03", offer={"excludedStaffIds": ["stf_a"]})
    report = run(booking(cut("2026-12-02T10:00:00-05:00", "stf_a")), doc)
    assert codes(report) == {EXCLUDED}
    assert of(report, EXCLUDED)[0].evidence["staffId"] == "stf_a"
    assert codes(run(booking(cut("2026-12-02T10:00:00-05:00", "stf_b")), doc)) == set()


def test_excluded_staff_applies_to_an_update_of_an_offer_appointment() -> None:
    doc = branch("2026-12-02", "2026-12-03", offer={"excludedStaffIds": ["stf_a"]},
                 appointments=[appt("ap_x", "2026-12-02", "10:00:00", "11:00:00",
                                    staff="stf_b", client="cli_b")])
    assert codes(run(update("ap_x", "2026-12-02", "10:00:00", "11:00:00", "stf_a"), doc)
                 ) == {EXCLUDED}
    assert codes(run(update("ap_x", "2026-12-02", "10:00:00", "11:00:00", "stf_c"), doc)
                 ) == set()


def test_salon_offer_excludes_ann() -> None:
    start = "2026-12-03T10:00:00-05:00"
    assert codes(run(booking(cut(start, "stf_ann", "so_morning")))) == {EXCLUDED}
    assert codes(run(booking(cut(start, "stf_john", "so_morning")))) == set()


# --- no offer, unknown offer ---------------------------------------------------------------


def test_a_schedule_without_an_offer_earns_no_offer_code() -> None:
    doc = branch("2026-12-01", "2026-12-31", offer={
        "startDate": "2026-12-20", "excludedStaffIds": ["stf_a"], "maxPerDay": 0,
        **WEEKDAY_MORNINGS})
    report = run(booking(sched("svc_cut", "stf_a", "2026-12-05T20:00:00-05:00")), doc)
    assert codes(report) == set()


def test_an_unknown_offer_id_is_an_error_and_leaves_the_offer_rules_unknown() -> None:
    # RULES.md §4 (round 2): an offer link naming no offer the snapshot holds, while it
    # holds offers, makes the offer rules UNKNOWN (never a silent PASS); the id itself is
    # still UNKNOWN_ID's error.
    doc = branch("2026-12-01", "2026-12-31", offer={
        "startDate": "2026-12-20", "excludedStaffIds": ["stf_a"], "maxPerDay": 0,
        **WEEKDAY_MORNINGS})
    report = run(booking(cut("2026-12-05T20:00:00-05:00", "stf_a", offer="so_nope")), doc)
    assert codes(report) == {"UNKNOWN_ID"}
    assert {u.code for u in report.unknowns} == OFFER_CODES | {"OFFER_SERVICE_NOT_INCLUDED"}
    assert all("'so_nope'" in u.message for u in report.unknowns)
    assert codes(run(booking(cut("2026-12-05T20:00:00-05:00", "stf_a")), doc)) == {
        BEFORE, TIME, EXCLUDED, PER_DAY}


# --- SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED --------------------------------------------------

DAY = "2026-12-02"


def concurrent_branch(limit: int, *appointments: dict[str, Any]) -> dict[str, Any]:
    return branch("2026-12-01", "2026-12-03", offer={"maxConcurrent": limit},
                  appointments=list(appointments))


def test_overlapping_an_offer_appointment_at_the_limit_fails() -> None:
    doc = concurrent_branch(1, appt("ap_x", DAY, "10:00:00", "11:00:00",
                                    staff="stf_b", client="cli_b"))
    report = run(booking(cut(f"{DAY}T10:59:00-05:00")), doc)
    assert codes(report) == {CONCURRENT}
    ev = of(report, CONCURRENT)[0].evidence
    assert (ev["peak"], ev["limit"]) == (1, 1)
    assert [c["appointmentId"] for c in ev["conflicts"]] == ["ap_x"]


def test_back_to_back_offer_appointments_are_not_concurrent() -> None:
    doc = concurrent_branch(1, appt("ap_x", DAY, "10:00:00", "11:00:00",
                                    staff="stf_b", client="cli_b"))
    assert codes(run(booking(cut(f"{DAY}T11:00:00-05:00")), doc)) == set()  # starts at its end
    assert codes(run(booking(cut(f"{DAY}T09:00:00-05:00")), doc)) == set()  # ends at its start


def test_below_the_limit_passes() -> None:
    doc = concurrent_branch(2, appt("ap_x", DAY, "10:00:00", "11:00:00",
                                    staff="stf_b", client="cli_b"))
    assert codes(run(booking(cut(f"{DAY}T10:30:00-05:00")), doc)) == set()


def test_the_peak_inside_the_span_counts_not_the_number_of_overlapping_appointments() -> None:
    # Both overlap 10:30-11:30 but not each other: the peak is 1, below the limit 2.
    x = appt("ap_x", DAY, "10:00:00", "11:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", DAY, "11:00:00", "12:00:00", staff="stf_c", client="cli_c")
    assert codes(run(booking(cut(f"{DAY}T10:30:00-05:00")), concurrent_branch(2, x, y))
                 ) == set()
    # A third one overlapping x inside the span makes the peak 2 at 10:30.
    z = appt("ap_z", DAY, "10:15:00", "10:45:00", staff="stf_d", client="cli_d")
    report = run(booking(cut(f"{DAY}T10:30:00-05:00")), concurrent_branch(2, x, y, z))
    assert codes(report) == {CONCURRENT}
    ev = of(report, CONCURRENT)[0].evidence
    assert ev["peak"] == 2
    assert ev["peakAt"] == "2026-12-02 10:30 EST (15:30Z)"  # inside the span, not at 10:15
    assert sorted(c["appointmentId"] for c in ev["conflicts"]) == ["ap_x", "ap_z"]


def test_an_overlap_before_the_span_does_not_count() -> None:
    # x and z overlap each other at 10:15-10:45, but the booking only starts at 10:45.
    x = appt("ap_x", DAY, "10:00:00", "11:00:00", staff="stf_b", client="cli_b")
    z = appt("ap_z", DAY, "10:15:00", "10:45:00", staff="stf_d", client="cli_d")
    assert codes(run(booking(cut(f"{DAY}T10:45:00-05:00")), concurrent_branch(2, x, z))
                 ) == set()


def test_cancelled_and_deleted_offer_appointments_do_not_count_but_reserved_do() -> None:
    x = appt("ap_x", DAY, "10:00:00", "11:00:00", staff="stf_b", client="cli_b",
             activationState="CANCELED")
    y = appt("ap_y", DAY, "10:00:00", "11:00:00", staff="stf_c", client="cli_c",
             deleted=True)
    assert codes(run(booking(cut(f"{DAY}T10:00:00-05:00")), concurrent_branch(1, x, y))
                 ) == set()
    r = appt("ap_r", DAY, "10:00:00", "11:00:00", staff="stf_c", client="cli_c",
             activationState="RESERVED")
    assert codes(run(booking(cut(f"{DAY}T10:00:00-05:00")), concurrent_branch(1, r))
                 ) == {CONCURRENT}


def test_appointments_on_another_offer_do_not_count() -> None:
    x = appt("ap_x", DAY, "10:00:00", "11:00:00", staff="stf_b", client="cli_b",
             offer="so_other")
    assert codes(run(booking(cut(f"{DAY}T10:00:00-05:00")), concurrent_branch(1, x))) == set()


def test_a_request_can_exceed_the_limit_on_its_own() -> None:
    doc = concurrent_branch(1)
    report = run(two_clients(cut(f"{DAY}T10:00:00-05:00", "stf_a"),
                             cut(f"{DAY}T10:30:00-05:00", "stf_b")), doc)
    assert codes(report) == {CONCURRENT}
    [v] = of(report, CONCURRENT)
    assert v.schedule == 1
    assert v.evidence["conflicts"][0]["requestLocation"] == (
        "clientAppointmentSchedules[0].serviceSchedules[0]")
    # Back to back within the request is fine.
    assert codes(run(two_clients(cut(f"{DAY}T10:00:00-05:00", "stf_a"),
                                 cut(f"{DAY}T11:00:00-05:00", "stf_b")), doc)) == set()


def test_an_update_does_not_collide_with_the_appointment_it_moves() -> None:
    x = appt("ap_x", DAY, "10:00:00", "11:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", DAY, "14:00:00", "15:00:00", staff="stf_c", client="cli_c")
    doc = concurrent_branch(1, x, y)
    assert codes(run(update("ap_x", DAY, "10:30:00", "11:30:00", "stf_b"), doc)) == set()
    assert codes(run(update("ap_x", DAY, "13:30:00", "14:30:00", "stf_b"), doc)
                 ) == {CONCURRENT}


def test_concurrency_on_toronto_fall_back_uses_real_instants() -> None:
    # 01:00-02:00 local on 2026-11-01 is 01:00 EDT (05:00Z) to 02:00 EST (07:00Z): two hours.
    doc = branch("2026-10-31", "2026-11-02", offer={"maxConcurrent": 1}, appointments=[
        appt("ap_x", "2026-11-01", "01:00:00", "02:00:00", staff="stf_b", client="cli_b")])
    now = BEFORE_TORONTO_FALL
    # 01:30 EST, the second 01:30 (06:30Z), is still inside it.
    assert codes(run(booking(cut("2026-11-01T06:30:00Z")), doc, now=now)) == {CONCURRENT}
    assert codes(run(booking(cut("2026-11-01T07:00:00Z")), doc, now=now)) == set()


def test_concurrency_on_sydney_spring_forward_uses_real_instants() -> None:
    # 01:00-03:00 local on 2026-10-04 is 01:00 AEST (15:00Z) to 03:00 AEDT (16:00Z): one hour.
    doc = branch("2026-10-03", "2026-10-05", zone=SYDNEY, offer={"maxConcurrent": 1},
                 appointments=[appt("ap_x", "2026-10-04", "01:00:00", "03:00:00",
                                    staff="stf_b", client="cli_b")])
    now = BEFORE_SYDNEY_DST
    assert codes(run(booking(cut("2026-10-03T15:30:00Z")), doc, now=now)) == {CONCURRENT}
    assert codes(run(booking(cut("2026-10-03T16:00:00Z")), doc, now=now)) == set()


def test_salon_concurrency_with_ida_on_the_morning_offer() -> None:
    # Ida has so_morning 09:00-09:45 on 2 December with Lisa; the offer allows one at a time.
    assert codes(run(booking(cut("2026-12-02T09:15:00-05:00", "stf_john", "so_morning")))
                 ) == {CONCURRENT}
    assert codes(run(booking(cut("2026-12-02T09:45:00-05:00", "stf_john", "so_morning")))
                 ) == set()


# --- SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED -----------------------------------------------------


def per_day_branch(limit: int, *appointments: dict[str, Any], zone: str = TORONTO,
                   first: str = "2026-12-01", last: str = "2026-12-03") -> dict[str, Any]:
    return branch(first, last, zone=zone, offer={"maxPerDay": limit},
                  appointments=list(appointments))


def test_the_daily_limit_reached_fails_and_one_below_passes() -> None:
    x = appt("ap_x", DAY, "09:00:00", "10:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", DAY, "15:00:00", "16:00:00", staff="stf_c", client="cli_c")
    report = run(booking(cut(f"{DAY}T12:00:00-05:00")), per_day_branch(2, x, y))
    assert codes(report) == {PER_DAY}
    ev = of(report, PER_DAY)[0].evidence
    assert (ev["count"], ev["limit"], ev["localDate"]) == (2, 2, DAY)
    assert [b["appointmentId"] for b in ev["booked"]] == ["ap_x", "ap_y"]
    assert codes(run(booking(cut(f"{DAY}T12:00:00-05:00")), per_day_branch(2, x))) == set()


def test_offer_appointments_on_another_day_do_not_count() -> None:
    x = appt("ap_x", "2026-12-01", "09:00:00", "10:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", "2026-12-03", "09:00:00", "10:00:00", staff="stf_c", client="cli_c")
    assert codes(run(booking(cut(f"{DAY}T12:00:00-05:00")), per_day_branch(1, x, y))) == set()


def test_cancelled_offer_appointments_do_not_count_toward_the_day() -> None:
    x = appt("ap_x", DAY, "09:00:00", "10:00:00", staff="stf_b", client="cli_b",
             activationState="CANCELED")
    assert codes(run(booking(cut(f"{DAY}T12:00:00-05:00")), per_day_branch(1, x))) == set()


def test_the_local_date_counts_toward_the_day_not_the_utc_date() -> None:
    # Two offer bookings on 31 December (local); 23:30 local is 2027-01-01 04:30 UTC.
    x = appt("ap_x", "2026-12-31", "09:00:00", "10:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", "2026-12-31", "10:00:00", "11:00:00", staff="stf_c", client="cli_c")
    doc = per_day_branch(2, x, y, first="2026-12-30", last="2027-01-02")
    assert codes(run(booking(cut("2027-01-01T04:30:00Z")), doc)) == {PER_DAY}
    assert codes(run(booking(cut("2027-01-01T05:00:00Z")), doc)) == set()  # 00:00 on 1 Jan
    # The other way: two bookings on 1 January (local) leave 31 December 23:30 free.
    x1 = appt("ap_x", "2027-01-01", "09:00:00", "10:00:00", staff="stf_b", client="cli_b")
    y1 = appt("ap_y", "2027-01-01", "10:00:00", "11:00:00", staff="stf_c", client="cli_c")
    doc = per_day_branch(2, x1, y1, first="2026-12-30", last="2027-01-02")
    assert codes(run(booking(cut("2027-01-01T04:30:00Z")), doc)) == set()


def test_a_request_can_fill_the_day_on_its_own() -> None:
    doc = per_day_branch(1)
    report = run(two_clients(cut(f"{DAY}T10:00:00-05:00", "stf_a"),
                             cut(f"{DAY}T15:00:00-05:00", "stf_b")), doc)
    assert codes(report) == {PER_DAY}
    assert [v.schedule for v in of(report, PER_DAY)] == [1]
    report = run(two_clients(cut(f"{DAY}T10:00:00-05:00", "stf_a"),
                             cut("2026-12-03T15:00:00-05:00", "stf_b")), doc)
    assert codes(report) == set()


def test_an_update_does_not_count_itself_toward_the_day() -> None:
    x = appt("ap_x", DAY, "09:00:00", "10:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", "2026-12-03", "09:00:00", "10:00:00", staff="stf_c", client="cli_c")
    doc = per_day_branch(1, x, y)
    assert codes(run(update("ap_x", DAY, "15:00:00", "16:00:00", "stf_b"), doc)) == set()
    # Moving ap_y onto ap_x's day fills it.
    assert codes(run(update("ap_y", DAY, "15:00:00", "16:00:00", "stf_c"), doc)) == {PER_DAY}


def test_the_day_is_the_whole_local_day_on_sydney_spring_forward() -> None:
    # 2026-10-04 in Sydney lasts 23 hours: 00:30 local is 10-03 14:30 UTC, 23:30 local is
    # 10-04 12:30 UTC; both are that local day.
    x = appt("ap_x", "2026-10-04", "00:30:00", "01:30:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", "2026-10-04", "23:00:00", "23:45:00", staff="stf_c", client="cli_c")
    doc = per_day_branch(2, x, y, zone=SYDNEY, first="2026-10-03", last="2026-10-06")
    now = BEFORE_SYDNEY_DST
    assert codes(run(booking(cut("2026-10-04T01:00:00Z")), doc, now=now)) == {PER_DAY}
    # 2026-10-05 00:30 AEDT is 2026-10-04 13:30 UTC: the next local day.
    assert codes(run(booking(cut("2026-10-04T13:30:00Z")), doc, now=now)) == set()
    # 2026-10-03 23:30 AEST is 2026-10-03 13:30 UTC: the local day before.
    assert codes(run(booking(cut("2026-10-03T13:30:00Z")), doc, now=now)) == set()


def test_the_day_is_the_whole_local_day_on_toronto_fall_back() -> None:
    # 2026-11-01 in Toronto lasts 25 hours: 00:30 EDT is 04:30Z, 23:30 EST is 11-02 04:30Z.
    x = appt("ap_x", "2026-11-01", "00:30:00", "01:00:00", staff="stf_b", client="cli_b")
    y = appt("ap_y", "2026-11-01", "23:00:00", "23:30:00", staff="stf_c", client="cli_c")
    doc = per_day_branch(2, x, y, first="2026-10-31", last="2026-11-03")
    now = BEFORE_TORONTO_FALL
    assert codes(run(booking(cut("2026-11-01T06:30:00Z")), doc, now=now)) == {PER_DAY}
    assert codes(run(booking(cut("2026-11-02T05:00:00Z")), doc, now=now)) == set()


def test_salon_first_of_december_is_full() -> None:
    assert codes(run(booking(cut("2026-12-01T10:00:00-05:00", "stf_john", "so_morning")))
                 ) == {PER_DAY}
    assert codes(run(booking(cut("2026-12-02T10:00:00-05:00", "stf_john", "so_morning")))
                 ) == set()


# --- a limit of 0 ----------------------------------------------------------------------------


def test_a_zero_limit_is_read_literally_unless_the_ruleset_says_otherwise(
        tmp_path: Path) -> None:
    doc = branch("2026-12-01", "2026-12-03", offer={"maxPerDay": 0, "maxConcurrent": 0})
    request = booking(cut(f"{DAY}T10:00:00-05:00"))
    assert codes(run(request, doc)) == {PER_DAY, CONCURRENT}
    toml = tmp_path / "zero.toml"
    toml.write_text('extends = "phorest"\n'
                    f"[rules.{PER_DAY}]\nzero_means_unlimited = true\n"
                    f"[rules.{CONCURRENT}]\nzero_means_unlimited = true\n")
    assert codes(run(request, doc, ruleset=str(toml))) == set()


# --- coverage ------------------------------------------------------------------------------


def test_limits_are_unknown_for_a_day_the_snapshot_does_not_cover() -> None:
    doc = concurrent_branch(1)
    doc["coverage"] = {"from": "2026-11-01", "to": "2026-12-01"}
    report = run(booking(cut(f"{DAY}T10:00:00-05:00")), doc)
    assert codes(report) == set()
    assert {CONCURRENT} <= {v.code for v in report.unknowns}
    assert report.verdict == "UNKNOWN"


def test_salon_wording_names_the_offer_and_both_clocks() -> None:
    report = run(booking(cut("2026-12-01T10:00:00-05:00", "stf_john", "so_morning")))
    [v] = of(report, PER_DAY)
    assert "'Weekday morning cut' (so_morning)" in v.message
    assert "2026-12-01 10:00 EST (15:00Z)" in v.message
    assert v.fix
