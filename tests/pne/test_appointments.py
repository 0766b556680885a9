"""POST /appointments checked against the example location: the body's own rules, the
shared booking rules read through PNE's minutes (Init and Complete hold the employee,
Delay frees them, the customer is held throughout), the calendar options as ruleset
severities, and the VISH mode."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import booking_rules as br
from booking_rules.platforms import pne

from .location import PNE_NOW, appointment, location_doc, run_pne


def codes(report: br.Report) -> set[str]:
    return {v.code for v in report.violations}


def warnings(report: br.Report) -> set[str]:
    return {v.code for v in report.warnings}


def test_the_recipe_body_passes_and_is_checked_as_location_wall_time() -> None:
    report = run_pne(appointment())
    assert report.verdict == "PASS", report.to_text()
    req = pne.parse_request(appointment(), pne.load_snapshot(location_doc()))
    assert req.schedules[0].start.isoformat() == "2025-09-11T18:15:00+00:00"  # 13:15 CDT


def test_the_customer_shape_gets_its_code_and_a_fix_with_the_right_shape() -> None:
    body = {"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "FirstName": "Ravi",
            "LastName": "Shah", "Email": "ravi@example.com"}
    report = run_pne(body)
    assert report.verdict == "FAIL" and codes(report) == {"CUSTOMER_SHAPE_IN_APPOINTMENT"}
    fix = report.violations[0].fix
    shape = json.loads(fix[fix.index("{"):fix.rindex("}") + 1])
    assert set(shape) == set(pne.APPOINTMENT_FIELDS)
    assert shape["CustomerId"] == "cus_ravi" and shape["CompanyId"] == "co_lakeside"
    assert report.violations[0].evidence["customerFields"] == ["Email", "FirstName",
                                                               "LastName"]


@pytest.mark.parametrize("start", ["2025-09-11", "11/09/2025 13:15", "soon", 1757614500,
                                   None])
def test_a_start_date_that_is_not_a_date_time_is_a_violation(start: Any) -> None:
    report = run_pne(appointment(StartDate=start) if start is not None else {
        k: v for k, v in appointment().items() if k != "StartDate"})
    assert "START_DATE_INVALID" in codes(report), report.to_text()


@pytest.mark.parametrize(("start", "read_as"), [
    ("2025-09-11T18:15:00Z", "2025-09-11T13:15:00"),
    ("2025-09-11T20:15:00+02:00", "2025-09-11T13:15:00"),
    ("2025-09-11 13:15:00", "2025-09-11T13:15:00"),
    ("2025-09-11T13:15", "2025-09-11T13:15:00"),
])
def test_other_date_time_forms_are_read_and_warned_about(start: str, read_as: str) -> None:
    report = run_pne(appointment(StartDate=start))
    assert report.verdict == "PASS" and warnings(report) == {"START_DATE_FORMAT"}
    assert report.warnings[0].evidence["readAs"] == read_as


@pytest.mark.parametrize(("field", "value"), [("Init", 0), ("Init", -15), ("Init", "15"),
                                              ("Init", None), ("Delay", -5),
                                              ("Complete", 2.5), ("Delay", True)])
def test_minutes_that_are_not_minutes_are_a_violation(field: str, value: Any) -> None:
    body = appointment(**{field: value})
    if value is None:
        body.pop(field, None)  # the helper drops None: the field is missing
    report = run_pne(body)
    assert "INVALID_MINUTES" in codes(report), report.to_text()
    assert report.violations[0].location == field


def test_minutes_that_differ_from_the_service_warn_and_are_checked_as_stated() -> None:
    # Lev is free 13:15-14:00 on the 11th; 90 minutes from 13:15 runs into his 16:00 off
    # time only if the body's Init is used.
    report = run_pne(appointment(Init=180))
    assert "MINUTES_DIFFER_FROM_SERVICE" in warnings(report)
    assert "EMPLOYEE_NOT_SCHEDULED" in codes(report)
    assert run_pne(appointment(Init=30)).verdict == "PASS"


def test_the_employee_is_free_during_delay_and_the_customer_is_not() -> None:
    # Maya's peel for Jane: 10:00-10:20, delay to 10:35, then 10:35-10:45.
    free = appointment(EmployeeId="emp_maya", StartDate="2025-09-11T10:20:00")
    assert run_pne(free).verdict == "PASS"
    complete = appointment(EmployeeId="emp_maya", StartDate="2025-09-11T10:30:00")
    assert codes(run_pne(complete)) == {"EMPLOYEE_DOUBLE_BOOKED"}
    jane = appointment(EmployeeId="emp_lev", CustomerId="cus_jane",
                       StartDate="2025-09-11T13:15:00")
    assert run_pne(jane).verdict == "PASS"
    jane_in_delay = appointment(EmployeeId="emp_maya", CustomerId="cus_jane",
                                StartDate="2025-09-11T10:20:00")
    assert codes(run_pne(jane_in_delay)) == {"CUSTOMER_ALREADY_BOOKED"}


def test_a_requested_peel_holds_the_employee_in_its_complete_block() -> None:
    # A peel at 13:15 for Lev holds him 13:15-13:35 and 13:50-14:00: a booking of his
    # at 13:55 (after this peel is stored) collides with the Complete block.
    snap = pne.load_snapshot(location_doc())
    peel = appointment(ServiceId="svc_peel", Init=20, Delay=15, Complete=10)
    req = pne.parse_request(peel, snap)
    from booking_rules.core.engine import resolve

    item = resolve(req.schedules[0], snap, req)
    assert [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in item.blocks] == [
        ("18:15", "18:35"), ("18:50", "19:00")]
    assert item.span[1].strftime("%H:%M") == "19:00"


@pytest.mark.parametrize(("body", "code"), [
    (appointment(EmployeeId="emp_lve"), "UNKNOWN_ID"),
    (appointment(ServiceId="svc_botx"), "UNKNOWN_ID"),
    (appointment(EmployeeId="emp_andrew", StartDate="2025-09-11T14:00:00"),
     "EMPLOYEE_UNQUALIFIED"),
    (appointment(StartDate="2025-09-11T16:00:00"), "EMPLOYEE_NOT_SCHEDULED"),
    (appointment(StartDate="2025-09-11T13:05:00"), "EMPLOYEE_DOUBLE_BOOKED"),
    (appointment(CustomerId="cus_jane", EmployeeId="emp_maya", ServiceId="svc_consult",
                 Init=30, StartDate="2025-09-11T13:00:00"), "CUSTOMER_ALREADY_BOOKED"),
    (appointment(EmployeeId="emp_former"), "INACTIVE_EMPLOYEE"),
    (appointment(ServiceId="svc_laser_old", Init=30), "INACTIVE_SERVICE"),
    (appointment(StartDate="2025-08-30T10:00:00"), "START_IN_PAST"),
    (appointment(CompanyId="co_downtown"), "COMPANY_MISMATCH"),
    (appointment(CompanyId=None), "COMPANY_MISMATCH"),
])
def test_each_rule_pne_runs_fails_a_pne_body(body: dict[str, Any], code: str) -> None:
    report = run_pne(body)
    assert code in codes(report), report.to_text()


def test_an_unknown_customer_is_a_warning_and_an_unknown_field_too() -> None:
    report = run_pne(appointment(CustomerId="cus_nobody", Note="typo of Notes"))
    assert report.verdict == "PASS"
    assert warnings(report) == {"UNKNOWN_CUSTOMER", "UNKNOWN_FIELD"}


def test_a_body_that_cannot_be_read_names_the_json_path() -> None:
    snap = pne.load_snapshot(location_doc())
    for field in ("CustomerId", "EmployeeId", "ServiceId"):
        body = appointment()
        body[field] = 42
        with pytest.raises(br.InputError) as err:
            pne.check(snap, {"kind": "appointment", "body": body}, now=PNE_NOW)
        assert err.value.path == f"body.{field}"
    with pytest.raises(br.InputError, match="kind"):
        pne.check(snap, {"kind": "createBooking", "body": appointment()}, now=PNE_NOW)


def _with(**severities: str) -> br.Ruleset:
    base = br.load_ruleset("pne", platform="pne")
    merged = dict(base.severities)
    for code, severity in severities.items():
        rule = pne.TABLE.rule(code)
        assert rule is not None
        merged[rule.name] = severity  # type: ignore[assignment]
    return dataclasses.replace(base, severities=merged)


def test_calendar_options_are_ruleset_severities_not_hard_wired() -> None:
    double = appointment(StartDate="2025-09-11T13:05:00")
    off = appointment(StartDate="2025-09-11T16:00:00")
    unqualified = appointment(EmployeeId="emp_andrew", StartDate="2025-09-11T14:00:00")
    allow = _with(EMPLOYEE_DOUBLE_BOOKED="warning", EMPLOYEE_NOT_SCHEDULED="warning",
                  EMPLOYEE_UNQUALIFIED="warning")
    for body, code in ((double, "EMPLOYEE_DOUBLE_BOOKED"), (off, "EMPLOYEE_NOT_SCHEDULED"),
                       (unqualified, "EMPLOYEE_UNQUALIFIED")):
        assert code in codes(run_pne(body))
        relaxed = run_pne(body, ruleset=allow)
        assert relaxed.verdict == "PASS" and code in warnings(relaxed)  # still warned


def test_a_ruleset_file_sets_the_options(tmp_path: Any) -> None:
    path = tmp_path / "lakeside.toml"
    path.write_text('extends = "pne"\nname = "lakeside"\n[severity]\n'
                    'EMPLOYEE_DOUBLE_BOOKED = "warning"\n', encoding="utf-8")
    report = run_pne(appointment(StartDate="2025-09-11T13:05:00"), ruleset=str(path))
    assert report.verdict == "PASS" and report.ruleset == "lakeside"
    with pytest.raises(br.RulesetError, match="platform 'pne'"):
        br.load_ruleset("pne", platform="phorest")


def test_vish_refuses_every_appointment_write_naming_the_subset() -> None:
    report = run_pne(appointment(), vish=True)
    assert codes(report) == {"VISH_READ_ONLY"}
    assert "VISH" in report.violations[0].message
    vish = br.check(pne.load_snapshot(location_doc()), appointment(), now=PNE_NOW,
                    platform="vish")
    assert codes(vish) == {"VISH_READ_ONLY"}
    from .location import order

    assert br.check(pne.load_snapshot(location_doc()), order(), now=PNE_NOW,
                    platform="vish").verdict == "PASS"  # orders are part of VISH


def test_the_public_face_checks_pne_with_its_own_ruleset() -> None:
    snap = pne.load_snapshot(location_doc())
    report = br.check(snap, appointment(), now=PNE_NOW, platform="pne")
    assert report.verdict == "PASS" and report.ruleset == "pne"


def test_shared_rules_point_at_the_pne_body_fields() -> None:
    report = run_pne(appointment(EmployeeId="emp_lve", CustomerId="cus_x"))
    assert {(v.code, v.location) for v in (*report.violations, *report.warnings)} >= {
        ("UNKNOWN_ID", "EmployeeId"), ("UNKNOWN_CUSTOMER", "CustomerId")}
