"""The course rules: minimum and maximum days between sessions of a client course.

A tiny branch whose staff work round the clock, one client (Ava) with two client courses:
``cc_a`` (laser and peel items) and ``cc_a2`` (another laser course). Every test asserts
the exact set of error codes; UNKNOWN answers are asserted separately.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..conftest import all_codes, booking, codes, minimal_doc, run, sched

SOON = "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED"
LATE = "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED"
TORONTO = "America/Toronto"
SYDNEY = "Australia/Sydney"

STAFF = [{"staffId": f"stf_{n}", "userId": f"usr_{n}", "firstName": n.title(),
          "lastName": "Therapist"} for n in ("a", "b", "c")]
SERVICE_OF = {"cci_laser": "svc_laser", "cci_peel": "svc_peel", "cci_other": "svc_laser"}


def branch(first: str = "2026-11-01", last: str = "2027-03-31", *, zone: str = TORONTO,
           sessions: list[dict[str, Any]] | None = None, min_days: int | None = 14,
           max_days: int | None = 42, coverage: dict[str, str] | None = None
           ) -> dict[str, Any]:
    d0, d1 = date.fromisoformat(first), date.fromisoformat(last)
    days = [(d0 + timedelta(days=i)).isoformat() for i in range((d1 - d0).days + 1)]
    course: dict[str, Any] = {"courseId": "crs", "name": "Laser x6"}
    if min_days is not None:
        course["minDaysBetweenSessions"] = min_days
    if max_days is not None:
        course["maxDaysBetweenSessions"] = max_days

    def item(item_id: str) -> dict[str, Any]:
        return {"clientCourseItemId": item_id, "serviceId": SERVICE_OF[item_id],
                "initialUnits": 10, "remainingUnits": 10}

    doc = minimal_doc(
        zone=zone, conventions={"appointmentTimes": "local"}, staff=STAFF,
        clients=[{"clientId": "cli_a", "firstName": "Ava", "lastName": "Client"}],
        services=[{"serviceId": "svc_laser", "name": "Laser", "duration": 30},
                  {"serviceId": "svc_peel", "name": "Peel", "duration": 30}],
        # Whole days: an end equal to its start is empty (RULES.md §1), so each day is
        # two slots, the second running to midnight (an end before its start).
        workTimeTables=[{"staffId": s["staffId"], "timeSlots": [
            {"date": d, "startTime": start, "endTime": end, "type": "WORKING"}
            for d in days for start, end in (("00:00:00", "12:00:00"),
                                             ("12:00:00", "00:00:00"))]} for s in STAFF],
        courses=[course],
        clientCourses=[
            {"clientCourseId": "cc_a", "clientId": "cli_a", "courseId": "crs",
             "expiryDate": "2028-01-01", "clientCourseItems": [item("cci_laser"),
                                                               item("cci_peel")]},
            {"clientCourseId": "cc_a2", "clientId": "cli_a", "courseId": "crs",
             "expiryDate": "2028-01-01", "clientCourseItems": [item("cci_other")]}],
        appointments=sessions or [])
    if coverage is not None:
        doc["coverage"] = coverage
    return doc


def session(ap_id: str, day: str, start: str = "10:00:00", *, item: str = "cci_laser",
            staff: str = "stf_b", **extra: Any) -> dict[str, Any]:
    """An existing 30-minute session of Ava's, times as branch-local wall clock."""
    hh, mm, _ = start.split(":")
    end = (datetime(2000, 1, 1, int(hh), int(mm)) + timedelta(minutes=30)).strftime("%H:%M:%S")
    return {"appointmentId": ap_id, "version": 1, "appointmentDate": day, "startTime": start,
            "endTime": end, "clientId": "cli_a", "staffId": staff,
            "serviceId": SERVICE_OF[item], "activationState": "ACTIVE", "deleted": False,
            "source": "API", "clientCourseItemId": item, **extra}


def sess(start: str, item: str = "cci_laser", staff: str = "stf_a") -> dict[str, Any]:
    return sched(SERVICE_OF[item], staff, start, clientCourseItemId=item)


def book(*schedules: dict[str, Any]) -> dict[str, Any]:
    return booking(*schedules, client="cli_a")


def update(ap_id: str, day: str, start: str, end: str, *, staff: str = "stf_b"
           ) -> dict[str, Any]:
    return {"kind": "updateAppointment", "body": {
        "appointmentId": ap_id, "version": 1, "appointmentDate": day, "startTime": start,
        "endTime": end, "staffId": staff, "serviceId": "svc_laser"}}


def unknowns(report: Any) -> set[str]:
    return {v.code for v in report.unknowns}


def of(report: Any, code: str) -> list[Any]:
    return [v for v in report.violations if v.code == code]


# --- MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED -------------------------------------------------


def test_thirteen_days_after_a_session_fails_and_fourteen_passes() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01")])
    report = run(book(sess("2026-12-14T10:00:00-05:00")), doc)
    assert codes(report) == {SOON}
    ev = of(report, SOON)[0].evidence
    assert (ev["days"], ev["minDaysBetweenSessions"]) == (13, 14)
    assert ev["session"]["appointmentId"] == "ap_s1"
    assert codes(run(book(sess("2026-12-15T10:00:00-05:00")), doc)) == set()


def test_a_session_too_soon_before_a_later_one_fails() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-15")])
    assert codes(run(book(sess("2026-12-02T10:00:00-05:00")), doc)) == {SOON}
    assert codes(run(book(sess("2026-12-01T10:00:00-05:00")), doc)) == set()


def test_days_are_counted_between_local_dates_not_utc_dates_or_hours() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01", "10:00:00")])
    # 2026-12-14 23:30 in Toronto is 2026-12-15 04:30 UTC: 13 local days, 14 UTC dates.
    assert codes(run(book(sess("2026-12-15T04:30:00Z")), doc)) == {SOON}
    # 2026-12-15 00:00 local: 14 local days, though only 13 days and 14 hours later.
    assert codes(run(book(sess("2026-12-15T05:00:00Z")), doc)) == set()


def test_every_item_of_the_same_client_course_counts() -> None:
    doc = branch(sessions=[session("ap_peel", "2026-12-01", item="cci_peel")])
    assert codes(run(book(sess("2026-12-10T10:00:00-05:00")), doc)) == {SOON}


def test_the_clients_other_course_does_not_count() -> None:
    doc = branch(sessions=[session("ap_other", "2026-12-01", item="cci_other")])
    assert codes(run(book(sess("2026-12-10T10:00:00-05:00")), doc)) == set()
    # ... but is checked against its own sessions.
    assert codes(run(book(sess("2026-12-10T10:00:00-05:00", "cci_other")), doc)) == {SOON}


def test_cancelled_and_deleted_sessions_do_not_count() -> None:
    doc = branch(sessions=[
        session("ap_c", "2026-12-01", activationState="CANCELED"),
        session("ap_d", "2026-12-03", deleted=True)])
    assert codes(run(book(sess("2026-12-10T10:00:00-05:00")), doc)) == set()


def test_a_request_can_book_two_sessions_too_close_to_each_other() -> None:
    doc = branch()
    report = run(book(sess("2026-12-01T10:00:00-05:00"), sess("2026-12-08T10:00:00-05:00")),
                 doc)
    assert codes(report) == {SOON}
    [v] = of(report, SOON)
    assert v.schedule == 1
    assert v.evidence["session"]["requestLocation"] == (
        "clientAppointmentSchedules[0].serviceSchedules[0]")
    # In the other order the later schedule is the earlier session: still schedule 1.
    report = run(book(sess("2026-12-08T10:00:00-05:00"), sess("2026-12-01T10:00:00-05:00")),
                 doc)
    assert [v.schedule for v in of(report, SOON)] == [1]
    assert codes(run(book(sess("2026-12-01T10:00:00-05:00"),
                          sess("2026-12-15T10:00:00-05:00")), doc)) == set()


def test_an_update_does_not_collide_with_the_session_it_moves() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01"), session("ap_s2", "2026-12-29")])
    assert codes(run(update("ap_s1", "2026-12-05", "10:00:00", "10:30:00"), doc)) == set()
    # Moved to 10 days before ap_s2, it is too soon.
    assert codes(run(update("ap_s1", "2026-12-19", "10:00:00", "10:30:00"), doc)) == {SOON}


def test_min_days_across_sydney_spring_forward() -> None:
    # 2026-10-04 has 23 hours in Sydney. 2026-09-27 10:00 AEST is 00:00 UTC that day.
    doc = branch("2026-09-20", "2026-10-20", zone=SYDNEY,
                 sessions=[session("ap_s1", "2026-09-27")])
    now = datetime(2026, 9, 1, tzinfo=UTC)
    # 2026-10-11 00:30 AEDT (10-10 13:30Z): 14 local days, 13 days 13.5 hours of real time.
    assert codes(run(book(sess("2026-10-10T13:30:00Z")), doc, now=now)) == set()
    # 2026-10-10 23:30 AEDT (12:30Z): 13 local days.
    assert codes(run(book(sess("2026-10-10T12:30:00Z")), doc, now=now)) == {SOON}


def test_min_days_across_toronto_spring_forward() -> None:
    doc = branch("2027-02-20", "2027-03-31", sessions=[session("ap_s1", "2027-02-28")])
    assert codes(run(book(sess("2027-03-14T00:30:00-05:00")), doc)) == set()
    assert codes(run(book(sess("2027-03-13T23:30:00-05:00")), doc)) == {SOON}


def test_min_days_is_unknown_when_the_window_is_not_covered() -> None:
    narrow = {"from": "2026-12-01", "to": "2026-12-31"}
    report = run(book(sess("2026-12-10T10:00:00-05:00")), branch(coverage=narrow))
    assert codes(report) == set()
    assert SOON in unknowns(report)
    assert report.verdict == "UNKNOWN"
    # A session found too close is a definite failure all the same.
    doc = branch(coverage=narrow, sessions=[session("ap_s1", "2026-12-05")])
    report = run(book(sess("2026-12-10T10:00:00-05:00")), doc)
    assert codes(report) == {SOON}
    assert SOON not in unknowns(report)
    wide = {"from": "2026-11-01", "to": "2027-01-31"}
    report = run(book(sess("2026-12-10T10:00:00-05:00")), branch(coverage=wide))
    assert SOON not in all_codes(report)


def test_min_days_window_edges_of_coverage() -> None:
    # For 2026-12-15 with a 14-day minimum the window is 2026-12-02 .. 2026-12-28.
    request = book(sess("2026-12-15T10:00:00-05:00"))
    exact = {"from": "2026-12-02", "to": "2026-12-28"}
    assert SOON not in unknowns(run(request, branch(coverage=exact)))
    short = {"from": "2026-12-03", "to": "2026-12-28"}
    assert SOON in unknowns(run(request, branch(coverage=short)))
    short = {"from": "2026-12-02", "to": "2026-12-27"}
    assert SOON in unknowns(run(request, branch(coverage=short)))


def test_no_course_item_or_no_minimum_checks_nothing() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01")])
    plain = book(sched("svc_laser", "stf_a", "2026-12-03T10:00:00-05:00"))
    assert codes(run(plain, doc)) == set()
    unknown_item = book(sched("svc_laser", "stf_a", "2026-12-03T10:00:00-05:00",
                              clientCourseItemId="cci_nope"))
    assert not all_codes(run(unknown_item, doc)) & {SOON, LATE}
    for minimum in (None, 0):
        doc = branch(sessions=[session("ap_s1", "2026-12-01")], min_days=minimum)
        assert codes(run(book(sess("2026-12-03T10:00:00-05:00")), doc)) == set()


# --- MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED ------------------------------------------------------


def test_forty_three_days_after_the_previous_session_fails_and_forty_two_passes() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01")])
    report = run(book(sess("2027-01-13T10:00:00-05:00")), doc)
    assert codes(report) == {LATE}
    ev = of(report, LATE)[0].evidence
    assert (ev["days"], ev["maxDaysBetweenSessions"]) == (43, 42)
    assert ev["previous"]["appointmentId"] == "ap_s1"
    assert codes(run(book(sess("2027-01-12T10:00:00-05:00")), doc)) == set()


def test_a_first_session_is_never_late() -> None:
    assert codes(run(book(sess("2027-03-01T10:00:00-05:00")), branch())) == set()


def test_only_the_nearest_earlier_session_counts() -> None:
    doc = branch(sessions=[session("ap_s0", "2026-10-01"), session("ap_s1", "2026-12-01")])
    assert codes(run(book(sess("2027-01-12T10:00:00-05:00")), doc)) == set()


def test_later_sessions_are_not_compared() -> None:
    doc = branch(sessions=[session("ap_s9", "2027-03-01")])
    assert codes(run(book(sess("2026-12-01T10:00:00-05:00")), doc)) == set()
    # A later session close by does not excuse a late one: 61 days after 1 October.
    doc = branch(sessions=[session("ap_s0", "2026-10-01"), session("ap_s9", "2026-12-20")])
    assert codes(run(book(sess("2026-12-01T10:00:00-05:00")), doc)) == {LATE}


def test_max_days_counts_local_dates_not_utc_dates() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01", "10:00:00")])
    # 2027-01-12 23:30 in Toronto is 2027-01-13 04:30 UTC: 42 local days.
    assert codes(run(book(sess("2027-01-13T04:30:00Z")), doc)) == set()
    assert codes(run(book(sess("2027-01-13T05:00:00Z")), doc)) == {LATE}


def test_earlier_schedules_of_the_request_are_earlier_sessions() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01")])
    assert codes(run(book(sess("2027-02-15T10:00:00-05:00")), doc)) == {LATE}
    assert codes(run(book(sess("2027-01-10T10:00:00-05:00"), sess("2027-02-15T10:00:00-05:00")),
                     doc)) == set()
    report = run(book(sess("2027-01-20T10:00:00-05:00"), sess("2027-02-15T10:00:00-05:00")),
                 doc)
    assert codes(report) == {LATE}
    assert [v.schedule for v in of(report, LATE)] == [0]


def test_an_update_is_measured_from_the_previous_session_not_from_itself() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01"), session("ap_s2", "2027-01-05")])
    assert codes(run(update("ap_s2", "2027-01-13", "10:00:00", "10:30:00"), doc)) == {LATE}
    assert codes(run(update("ap_s2", "2027-01-12", "10:00:00", "10:30:00"), doc)) == set()
    # Moving the only session far ahead: it is still the first, not 50 days after itself.
    alone = branch(sessions=[session("ap_s1", "2026-12-01")])
    assert codes(run(update("ap_s1", "2027-01-20", "10:00:00", "10:30:00"), alone)) == set()


def test_max_days_across_toronto_spring_forward() -> None:
    doc = branch("2027-01-20", "2027-03-31", sessions=[session("ap_s1", "2027-01-31")])
    assert codes(run(book(sess("2027-03-14T10:00:00-04:00")), doc)) == set()  # 42 days
    assert codes(run(book(sess("2027-03-15T10:00:00-04:00")), doc)) == {LATE}


def test_max_days_across_sydney_spring_forward() -> None:
    doc = branch("2026-08-15", "2026-10-15", zone=SYDNEY,
                 sessions=[session("ap_s1", "2026-08-23")])
    now = datetime(2026, 8, 1, tzinfo=UTC)
    # 2026-10-04 10:00 AEDT is 2026-10-03 23:00 UTC: 42 local days after 23 August.
    assert codes(run(book(sess("2026-10-03T23:00:00Z")), doc, now=now)) == set()
    assert codes(run(book(sess("2026-10-04T23:00:00Z")), doc, now=now)) == {LATE}


def test_max_days_is_unknown_when_the_lookback_is_not_covered() -> None:
    late_cov = {"from": "2026-12-15", "to": "2027-03-01"}
    doc = branch(coverage=late_cov, sessions=[session("ap_s1", "2026-12-01")])
    # 2027-01-20 looks back to 2026-12-09, before the coverage: a session may be missing.
    report = run(book(sess("2027-01-20T10:00:00-05:00")), doc)
    assert codes(report) == set()
    assert LATE in unknowns(report)
    # A session found within the maximum decides it, covered or not.
    report = run(book(sess("2027-01-10T10:00:00-05:00")), doc)
    assert LATE not in all_codes(report)
    covered = branch(coverage={"from": "2026-11-01", "to": "2027-03-01"},
                     sessions=[session("ap_s1", "2026-12-01")])
    assert codes(run(book(sess("2027-01-20T10:00:00-05:00")), covered)) == {LATE}


def test_max_days_lookback_edges_of_coverage() -> None:
    # For 2027-01-20 with a 42-day maximum the lookback starts on 2026-12-09.
    request = book(sess("2027-01-20T10:00:00-05:00"))
    exact = {"from": "2026-12-09", "to": "2027-03-01"}
    assert LATE not in all_codes(run(request, branch(coverage=exact)))
    short = {"from": "2026-12-10", "to": "2027-03-01"}
    assert LATE in unknowns(run(request, branch(coverage=short)))


def test_a_first_session_under_bounded_coverage_follows_the_rule_option(
        tmp_path: Path) -> None:
    doc = branch(coverage={"from": "2026-12-01", "to": "2027-03-01"})
    request = book(sess("2027-01-20T10:00:00-05:00"))
    assert LATE not in all_codes(run(request, doc))
    toml = tmp_path / "strict_first.toml"
    toml.write_text(f'extends = "phorest"\n[rules.{LATE}]\nassume_first_session = false\n')
    report = run(request, doc, ruleset=str(toml))
    assert codes(report) == set()
    assert LATE in unknowns(report)
    # With no declared coverage the snapshot claims all history: a first session is known.
    assert LATE not in all_codes(run(request, branch(), ruleset=str(toml)))


def test_no_maximum_checks_nothing() -> None:
    doc = branch(sessions=[session("ap_s1", "2026-12-01")], max_days=None)
    assert codes(run(book(sess("2027-03-01T10:00:00-05:00")), doc)) == set()
