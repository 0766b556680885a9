"""The engine's own codes (RULES.md §5): integrity, archived, offer, course, version, past,
add-on and online rules, each failing and passing at its boundary, plus malformed input.

The checks run with a ruleset of the engine's own rules only (``own``), so every assertion
is the exact set of codes and locations those rules produce.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br

from ..conftest import all_codes, booking, minimal_doc, run, salon_doc, sched
from .own_rules import found, own_ruleset, update

S0 = "clientAppointmentSchedules[0].serviceSchedules[0]"
S1 = "clientAppointmentSchedules[0].serviceSchedules[1]"
LATER = "2026-12-01T16:00:00Z"  # 11:00 in Toronto, a Tuesday


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> str:
    return own_ruleset(tmp_path_factory.mktemp("rulesets"))


def with_appointments(*appointments: dict[str, Any]) -> dict[str, Any]:
    doc = salon_doc()
    doc["appointments"].extend(appointments)
    return doc


def appt(aid: str, service: str, staff: str, client: str = "cli_new", **kw: Any
         ) -> dict[str, Any]:
    return {"appointmentId": aid, "version": 1, "appointmentDate": "2026-12-02",
            "startTime": "10:00:00", "endTime": "10:45:00", "clientId": client,
            "staffId": staff, "serviceId": service, **kw}


def test_the_example_salon_books_cleanly(own: str) -> None:
    # The baseline every failing case below differs from in one field.
    assert found(run(booking(sched("svc_cut", "stf_lisa", LATER)), ruleset=own)) == set()


# --- UNKNOWN_ID ---------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("serviceId", "svc_nope"), ("staffId", "stf_nope"), ("roomId", "room_nope"),
    ("machineId", "mach_nope"), ("specialOfferId", "so_nope"),
    ("clientCourseItemId", "cci_nope"),
])
def test_unknown_id_names_the_field(own: str, field: str, value: str) -> None:
    schedule = sched("svc_cut", "stf_lisa", LATER)
    schedule[field] = value
    report = run(booking(schedule), ruleset=own)
    # RULES.md §4 (round 2): an offer link the snapshot cannot resolve also leaves the
    # offer rules UNKNOWN, beside the unknown id's error.
    offer_rules = {("OFFER_SERVICE_NOT_INCLUDED", S0)} if field == "specialOfferId" else set()
    assert found(report) == {("UNKNOWN_ID", f"{S0}.{field}")} | offer_rules
    (v,) = report.violations
    assert v.severity == "error"
    assert v.evidence["id"] == value and v.evidence["field"] == field
    assert repr(value) in v.message


def test_unknown_id_reports_each_id_and_suggests_a_typo(own: str) -> None:
    report = run(booking(sched("svc_cutt", "stf_lsa", LATER, roomId="room_nope")),
                 ruleset=own)
    assert [(v.code, v.location) for v in report.violations] == [
        ("UNKNOWN_ID", f"{S0}.serviceId"), ("UNKNOWN_ID", f"{S0}.staffId"),
        ("UNKNOWN_ID", f"{S0}.roomId")]
    assert [v.evidence["didYouMean"] for v in report.violations] == [
        "svc_cut", "stf_lisa", None]


def test_known_ids_of_every_kind_pass(own: str) -> None:
    body = booking(
        sched("svc_laser", "stf_ann", "2026-12-15T14:00:00Z", roomId="room_a",
              machineId="mach_laser", clientCourseItemId="cci_cara"), client="cli_cara")
    assert found(run(body, ruleset=own)) == set()
    offer = booking(sched("svc_cut", "stf_john", "2026-12-03T15:00:00Z",
                          specialOfferId="so_morning"))
    assert found(run(offer, ruleset=own)) == set()


def test_unknown_appointment_of_an_update(own: str) -> None:
    report = run(update("ap_nobody", "2026-12-01", "16:00:00", "stf_lisa",
                        serviceId="svc_cut"), ruleset=own)
    assert found(report) == {("UNKNOWN_ID", "appointmentId")}
    known = run(update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa"), ruleset=own)
    assert found(known) == set()


def test_an_update_names_its_staff_at_the_top_level(own: str) -> None:
    report = run(update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_gone"), ruleset=own)
    assert found(report) == {("UNKNOWN_ID", "staffId")}


def _tiny(**lists: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict(
        staff=[{"staffId": "ana", "userId": "u_ana", "firstName": "Ana"}],
        services=[{"serviceId": "cut", "name": "Cut", "duration": 30}])
    base.update(lists)
    return minimal_doc("America/Toronto", **base)


def test_a_kind_the_snapshot_holds_none_of_is_unknown_not_an_error(own: str) -> None:
    report = run(booking(sched("cut", "ana", LATER, roomId="r1")), _tiny(), ruleset=own)
    assert found(report) == {("UNKNOWN_ID", S0)}
    assert report.verdict == "UNKNOWN" and not report.violations
    assert "no rooms" in report.unknowns[0].message
    # Once the snapshot holds rooms, an id it lacks is an error.
    rooms = _tiny(rooms=[{"roomId": "r2", "capacity": 1}])
    report = run(booking(sched("cut", "ana", LATER, roomId="r1")), rooms, ruleset=own)
    assert {(v.code, v.location) for v in report.violations} == {
        ("UNKNOWN_ID", f"{S0}.roomId")}


def test_an_update_inherits_an_unknown_offer_as_unknown(own: str) -> None:
    doc = _tiny(
        specialOffers=[{"specialOfferId": "so_other", "serviceIds": ["cut"]}],
        appointments=[{"appointmentId": "a1", "version": 4, "appointmentDate": "2026-12-01",
                       "startTime": "10:00:00", "endTime": "10:30:00", "clientId": "c",
                       "staffId": "ana", "serviceId": "cut", "specialOfferId": "so_gone"}])
    report = run(update("a1", "2026-12-01", "11:00:00", "ana", version=4), doc, ruleset=own)
    # RULES.md §4 (round 2): the offer rules cannot decide either.
    assert [(v.code, v.severity) for v in report.unknowns] == [
        ("UNKNOWN_ID", "unknown"), ("OFFER_SERVICE_NOT_INCLUDED", "unknown")]
    assert "a1" in report.unknowns[0].message and not report.violations


# --- UNKNOWN_CLIENT -----------------------------------------------------------------------

def test_unknown_client_is_a_warning_at_the_client_id() -> None:
    report = run(booking(sched("svc_cut", "stf_lisa", LATER), client="cli_nobody"))
    assert [(v.code, v.severity, v.location) for v in report.warnings
            if v.code == "UNKNOWN_CLIENT"] == [("UNKNOWN_CLIENT", "warning", "clientId")]
    assert "UNKNOWN_CLIENT" not in {v.code for v in report.violations}


def test_unknown_client_is_an_error_under_strict() -> None:
    report = run(booking(sched("svc_cut", "stf_lisa", LATER), client="cli_nobody"),
                 ruleset="strict")
    assert "UNKNOWN_CLIENT" in {v.code for v in report.violations}


def test_unknown_client_is_reported_once_for_several_schedules(own: str) -> None:
    body = booking(sched("svc_cut", "stf_lisa", LATER),
                   sched("svc_blowdry", "stf_lisa", "2026-12-01T16:45:00Z"),
                   client="cli_nobody")
    report = run(body, ruleset=own)
    assert [(v.code, v.location) for v in report.warnings] == [("UNKNOWN_CLIENT", "clientId")]


def test_unknown_client_of_a_second_client_group(own: str) -> None:
    body = {"clientId": "cli_new", "clientAppointmentSchedules": [
        {"clientId": "cli_new", "serviceSchedules": [sched("svc_cut", "stf_lisa", LATER)]},
        {"clientId": "cli_ghost", "serviceSchedules": [
            sched("svc_cut", "stf_john", LATER)]}]}
    report = run(body, ruleset=own)
    assert found(report) == {("UNKNOWN_CLIENT", "clientAppointmentSchedules[1].clientId")}


def test_unknown_client_of_an_update_only_when_the_body_names_it(own: str) -> None:
    named = update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa", clientId="cli_ghost")
    assert found(run(named, ruleset=own)) == {("UNKNOWN_CLIENT", "clientId")}
    doc = with_appointments(appt("ap_ghost", "svc_cut", "stf_lisa", client="cli_ghost"))
    inherited = update("ap_ghost", "2026-12-03", "10:00:00", "stf_lisa")
    assert found(run(inherited, doc, ruleset=own)) == set()


def test_known_client_or_no_client_list_passes(own: str) -> None:
    assert found(run(booking(sched("svc_cut", "stf_lisa", LATER)), ruleset=own)) == set()
    no_clients = salon_doc()
    del no_clients["clients"]
    report = run(booking(sched("svc_cut", "stf_lisa", LATER), client="cli_nobody"),
                 no_clients, ruleset=own)
    assert found(report) == set()


# --- ARCHIVED_SERVICE, ARCHIVED_STAFF -----------------------------------------------------

def test_archived_service_and_staff(own: str) -> None:
    report = run(booking(sched("svc_perm", "stf_olga", LATER)), ruleset=own)
    assert found(report) == {("ARCHIVED_SERVICE", f"{S0}.serviceId"),
                             ("ARCHIVED_STAFF", f"{S0}.staffId")}
    assert found(run(booking(sched("svc_perm", "stf_lisa", LATER)), ruleset=own)) == {
        ("ARCHIVED_SERVICE", f"{S0}.serviceId")}
    assert found(run(booking(sched("svc_cut", "stf_olga", LATER)), ruleset=own)) == {
        ("ARCHIVED_STAFF", f"{S0}.staffId")}


def test_an_update_keeping_archived_service_and_staff_passes_unless_asked(
        own: str, tmp_path: Path) -> None:
    doc = with_appointments(appt("ap_old_perm", "svc_perm", "stf_olga"))
    move = update("ap_old_perm", "2026-12-03", "10:00:00", "stf_olga", serviceId="svc_perm")
    assert found(run(move, doc, ruleset=own)) == set()
    strict = own_ruleset(tmp_path, "[rules.ARCHIVED_SERVICE]\non_kept_update = true\n"
                         "[rules.ARCHIVED_STAFF]\non_kept_update = true\n", name="kept")
    assert found(run(move, doc, ruleset=strict)) == {("ARCHIVED_SERVICE", "serviceId"),
                                                     ("ARCHIVED_STAFF", "staffId")}
    # Moving it to the archived staff member from someone else is reported anyway.
    doc = with_appointments(appt("ap_perm_lisa", "svc_perm", "stf_lisa"))
    to_olga = update("ap_perm_lisa", "2026-12-03", "10:00:00", "stf_olga")
    assert found(run(to_olga, doc, ruleset=own)) == {("ARCHIVED_STAFF", "staffId")}


# --- OFFER_SERVICE_NOT_INCLUDED -----------------------------------------------------------

def test_offer_must_cover_the_service(own: str) -> None:
    wrong = booking(sched("svc_blowdry", "stf_john", "2026-12-03T15:00:00Z",
                          specialOfferId="so_morning"))
    assert found(run(wrong, ruleset=own)) == {
        ("OFFER_SERVICE_NOT_INCLUDED", f"{S0}.specialOfferId")}
    right = booking(sched("svc_cut", "stf_john", "2026-12-03T15:00:00Z",
                          specialOfferId="so_morning"))
    assert found(run(right, ruleset=own)) == set()


def test_offer_without_service_list_covers_everything(own: str) -> None:
    doc = salon_doc()
    doc["specialOffers"].append({"specialOfferId": "so_any", "name": "Any service"})
    body = booking(sched("svc_blowdry", "stf_john", "2026-12-03T15:00:00Z",
                         specialOfferId="so_any"))
    assert found(run(body, doc, ruleset=own)) == set()


def test_an_update_changing_the_service_off_its_offer(own: str) -> None:
    # ap_offer1 is a cut on the morning offer; an update inherits the offer.
    move = update("ap_offer1", "2026-12-01", "09:00:00", "stf_lisa", serviceId="svc_blowdry")
    assert found(run(move, ruleset=own)) == {("OFFER_SERVICE_NOT_INCLUDED", "serviceId")}
    keep = update("ap_offer1", "2026-12-01", "09:00:00", "stf_lisa", serviceId="svc_cut")
    assert found(run(keep, ruleset=own)) == set()


# --- COURSE_EXPIRED -----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "expected"), [
    # Bob's course expires 2026-11-30: the expiry date is valid, in local time.
    ("2026-12-01T04:59:00Z", set()),  # 2026-11-30 23:59 in Toronto (UTC date is Dec 1)
    ("2026-12-01T05:00:00Z", {("COURSE_EXPIRED", f"{S0}.clientCourseItemId")}),  # Dec 1
])
def test_course_expiry_uses_the_local_date(own: str, start: str,
                                           expected: set[tuple[str, str]]) -> None:
    body = booking(sched("svc_facial", "stf_lisa", start, clientCourseItemId="cci_bob_old"),
                   client="cli_bob")
    assert found(run(body, ruleset=own)) == expected


def test_archived_course(own: str) -> None:
    body = booking(sched("svc_facial", "stf_lisa", LATER, clientCourseItemId="cci_lou_closed"),
                   client="cli_lou")
    report = run(body, ruleset=own)
    assert found(report) == {("COURSE_EXPIRED", f"{S0}.clientCourseItemId")}
    assert "archived" in report.violations[0].message


def test_an_update_moving_a_session_past_expiry(own: str) -> None:
    # Cara's session (cci_cara) belongs to a course that expires 2027-06-01.
    late = update("ap_cara_laser", "2027-06-02", "10:00:00", "stf_ann")
    assert found(run(late, ruleset=own)) == {("COURSE_EXPIRED", "appointmentDate")}
    last_day = update("ap_cara_laser", "2027-06-01", "10:00:00", "stf_ann")
    assert found(run(last_day, ruleset=own)) == set()


# --- COURSE_NO_UNITS_LEFT -----------------------------------------------------------------

def test_no_units_left(own: str) -> None:
    body = booking(sched("svc_cut", "stf_lisa", LATER, clientCourseItemId="cci_gus_cut"),
                   client="cli_gus")
    assert found(run(body, ruleset=own)) == {
        ("COURSE_NO_UNITS_LEFT", f"{S0}.clientCourseItemId")}


def test_one_unit_left_books_one_session_not_two(own: str) -> None:
    first = sched("svc_facial", "stf_lisa", LATER, clientCourseItemId="cci_gus_facial")
    second = sched("svc_facial", "stf_lisa", "2026-12-08T16:00:00Z",
                   clientCourseItemId="cci_gus_facial")
    assert found(run(booking(first, client="cli_gus"), ruleset=own)) == set()
    report = run(booking(first, second, client="cli_gus"), ruleset=own)
    assert [(v.code, v.location, v.schedule) for v in report.violations] == [
        ("COURSE_NO_UNITS_LEFT", f"{S1}.clientCourseItemId", 1)]
    assert report.violations[0].evidence["earlierInRequest"] == [S0]


def test_moving_a_session_uses_no_new_unit(own: str) -> None:
    doc = with_appointments(appt("ap_gus_cut", "svc_cut", "stf_lisa", client="cli_gus",
                                 clientCourseItemId="cci_gus_cut"))
    move = update("ap_gus_cut", "2026-12-03", "10:00:00", "stf_lisa")
    assert found(run(move, doc, ruleset=own)) == set()


def test_units_unknown_is_unknown(own: str) -> None:
    doc = _tiny(clientCourses=[{"clientCourseId": "cc", "clientId": "c", "clientCourseItems": [
        {"clientCourseItemId": "cci", "serviceId": "cut"}]}])
    report = run(booking(sched("cut", "ana", LATER, clientCourseItemId="cci"), client="c"),
                 doc, ruleset=own)
    assert [v.code for v in report.unknowns] == ["COURSE_NO_UNITS_LEFT"]
    assert report.verdict == "UNKNOWN"


# --- COURSE_ITEM_MISMATCH -----------------------------------------------------------------

@pytest.mark.parametrize(("client", "service", "messages"), [
    ("cli_cara", "svc_laser", []),
    ("cli_new", "svc_laser", ["belongs to Cara Client's course"]),
    ("cli_cara", "svc_facial", ["is for Laser Hair Removal"]),
    ("cli_new", "svc_facial", ["belongs to Cara Client's course", "is for Laser Hair Removal"]),
])
def test_course_item_of_another_client_or_service(own: str, client: str, service: str,
                                                  messages: list[str]) -> None:
    body = booking(sched(service, "stf_ann", "2026-12-15T14:00:00Z",
                         clientCourseItemId="cci_cara"), client=client)
    report = run(body, ruleset=own)
    assert [v.code for v in report.violations] == ["COURSE_ITEM_MISMATCH"] * len(messages)
    assert {v.location for v in report.violations} <= {f"{S0}.clientCourseItemId"}
    for v, text in zip(report.violations, messages, strict=True):
        assert text in v.message


def test_an_update_changing_a_sessions_service(own: str) -> None:
    move = update("ap_cara_laser", "2026-12-15", "09:00:00", "stf_ann", serviceId="svc_facial")
    assert found(run(move, ruleset=own)) == {("COURSE_ITEM_MISMATCH", "serviceId")}


# --- STALE_VERSION ------------------------------------------------------------------------

@pytest.mark.parametrize(("version", "expected"), [
    (1, set()), (0, {("STALE_VERSION", "version")}), (2, {("STALE_VERSION", "version")}),
])
def test_stale_version(own: str, version: int, expected: set[tuple[str, str]]) -> None:
    report = run(update("ap_mary_cut", "2026-12-01", "16:00:00", "stf_lisa",
                        version=version), ruleset=own)
    assert found(report) == expected
    if expected:
        assert "snapshot" in report.violations[0].message
        assert "stale" in report.violations[0].message


def test_version_missing_from_the_snapshot_is_unknown(own: str) -> None:
    doc = _tiny(appointments=[{"appointmentId": "a1", "appointmentDate": "2026-12-01",
                               "startTime": "10:00:00", "endTime": "10:30:00",
                               "staffId": "ana", "serviceId": "cut"}])
    report = run(update("a1", "2026-12-01", "11:00:00", "ana", version=3), doc, ruleset=own)
    assert [v.code for v in report.unknowns] == ["STALE_VERSION"] and not report.violations


# --- START_IN_PAST ------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "expected"), [
    ("2026-11-01T12:00:00Z", set()),  # exactly now
    ("2026-11-01T07:00:00-05:00", set()),  # the same instant, with an offset
    ("2026-11-01T11:59:59Z", {("START_IN_PAST", f"{S0}.startTime")}),
])
def test_start_in_past_boundary(own: str, start: str, expected: set[tuple[str, str]]) -> None:
    assert found(run(booking(sched("svc_cut", "stf_lisa", start)), ruleset=own)) == expected


def test_start_in_past_uses_the_injected_now(own: str) -> None:
    body = booking(sched("svc_cut", "stf_lisa", LATER))
    assert found(run(body, now=datetime(2026, 12, 1, 16, tzinfo=UTC), ruleset=own)) == set()
    later = datetime(2026, 12, 1, 16, tzinfo=UTC) + timedelta(seconds=1)
    assert found(run(body, now=later, ruleset=own)) == {("START_IN_PAST", f"{S0}.startTime")}


def test_an_update_into_the_past(own: str) -> None:
    # 06:00 in Toronto on 1 November is 11:00Z, an hour before now.
    move = update("ap_mary_cut", "2026-11-01", "06:00:00", "stf_lisa")
    assert found(run(move, ruleset=own)) == {("START_IN_PAST", "startTime")}


def test_start_in_past_grace(tmp_path: Path) -> None:
    rs = own_ruleset(tmp_path, "[rules.START_IN_PAST]\ngrace_minutes = 5\n")
    ok = booking(sched("svc_cut", "stf_lisa", "2026-11-01T11:55:00Z"))
    late = booking(sched("svc_cut", "stf_lisa", "2026-11-01T11:54:59Z"))
    assert found(run(ok, ruleset=rs)) == set()
    assert found(run(late, ruleset=rs)) == {("START_IN_PAST", f"{S0}.startTime")}


# --- ADDON_ONLY_SERVICE_ALONE -------------------------------------------------------------

def test_addon_alone_fails_with_a_main_service_passes(own: str) -> None:
    toner = sched("svc_toner", "stf_lisa", "2026-12-03T16:00:00Z")
    colour = sched("svc_colour", "stf_lisa", "2026-12-03T15:00:00Z")
    assert found(run(booking(toner), ruleset=own)) == {
        ("ADDON_ONLY_SERVICE_ALONE", f"{S0}.serviceId")}
    assert found(run(booking(colour, toner), ruleset=own)) == set()
    assert found(run(booking(toner, colour), ruleset=own)) == set()  # order does not matter


def test_two_addons_are_still_alone(own: str) -> None:
    a = sched("svc_toner", "stf_lisa", "2026-12-03T16:00:00Z")
    b = sched("svc_toner", "stf_john", "2026-12-03T16:00:00Z")
    report = run(booking(a, b), ruleset=own)
    assert [(v.code, v.location) for v in report.violations] == [
        ("ADDON_ONLY_SERVICE_ALONE", f"{S0}.serviceId"),
        ("ADDON_ONLY_SERVICE_ALONE", f"{S1}.serviceId")]


def test_a_main_service_of_another_client_does_not_count(own: str) -> None:
    body = {"clientId": "cli_new", "clientAppointmentSchedules": [
        {"clientId": "cli_new", "serviceSchedules": [
            sched("svc_toner", "stf_lisa", "2026-12-03T16:00:00Z")]},
        {"clientId": "cli_bob", "serviceSchedules": [
            sched("svc_colour", "stf_john", "2026-12-03T15:00:00Z")]}]}
    assert found(run(body, ruleset=own)) == {("ADDON_ONLY_SERVICE_ALONE", f"{S0}.serviceId")}


def test_moving_an_addon_is_not_checked(own: str) -> None:
    doc = with_appointments(appt("ap_toner", "svc_toner", "stf_lisa", endTime="10:15:00"))
    move = update("ap_toner", "2026-12-03", "10:00:00", "stf_lisa")
    assert found(run(move, doc, ruleset=own)) == set()


# --- ONLINE_SERVICE_DISABLED, ONLINE_STAFF_HIDDEN -----------------------------------------

@pytest.mark.parametrize(("service", "staff", "online", "expected"), [
    ("svc_laser", "stf_ann", True, {("ONLINE_SERVICE_DISABLED", f"{S0}.serviceId")}),
    ("svc_laser", "stf_ann", False, set()),
    ("svc_cut", "stf_raj", True, {("ONLINE_STAFF_HIDDEN", f"{S0}.staffId")}),
    ("svc_cut", "stf_raj", False, set()),
    ("svc_laser", "stf_raj", True, {("ONLINE_SERVICE_DISABLED", f"{S0}.serviceId"),
                                    ("ONLINE_STAFF_HIDDEN", f"{S0}.staffId")}),
    ("svc_cut", "stf_lisa", True, set()),
])
def test_online_policy(own: str, service: str, staff: str, online: bool,
                       expected: set[tuple[str, str]]) -> None:
    body = booking(sched(service, staff, "2026-12-15T19:00:00Z"))
    assert found(run(body, online=online, ruleset=own)) == expected


def test_the_online_ruleset_applies_the_online_rules() -> None:
    report = run(booking(sched("svc_cut", "stf_raj", "2026-12-15T19:00:00Z")),
                 ruleset="phorest-online")
    assert "ONLINE_STAFF_HIDDEN" in {v.code for v in report.violations}


# --- severities and malformed input -------------------------------------------------------

def test_engine_codes_are_not_phorest_codes() -> None:
    report = run(booking(sched("svc_perm", "stf_olga", "2026-11-01T11:00:00Z",
                               clientCourseItemId="cci_gus_cut")))
    own_codes = {"ARCHIVED_SERVICE", "ARCHIVED_STAFF", "START_IN_PAST",
                 "COURSE_NO_UNITS_LEFT", "COURSE_ITEM_MISMATCH"}
    assert own_codes <= all_codes(report)
    assert not any(v.api for v in report.violations if v.code in own_codes)


BODY_PATH = "body.clientAppointmentSchedules[0].serviceSchedules[0]"


def _create(schedule: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "createBooking", "body": booking(schedule)}


@pytest.mark.parametrize(("request_", "path", "words"), [
    (_create(sched("svc_cut", "stf_lisa", "2026-12-01 at ten")), f"{BODY_PATH}.startTime",
     "ISO-8601"),
    (_create(sched("svc_cut", "stf_lisa", LATER, endTime="2026-12-01T15:00:00Z")),
     f"{BODY_PATH}.endTime", "after startTime"),
    ({"kind": "createBooking", "body": ["not", "an", "object"]}, "body", "JSON object"),
    (["not", "an", "object"], "(top level)", "JSON object"),
    (update("ap_mary_cut", "2026-12-01", "25:00:00", "stf_lisa"), "body.startTime",
     "time of day"),
])
def test_malformed_requests_name_the_json_path(request_: Any, path: str, words: str) -> None:
    with pytest.raises(br.InputError) as caught:
        run(request_)
    assert caught.value.path == path
    assert path in str(caught.value) and words in str(caught.value)


# Issue 11 item 8: a schedule without a staff member is a finding of its own (STAFF_MISSING)
# with its path and a fix, not unusable input (a WordPress plugin sends `"staffId": null`).
@pytest.mark.parametrize("schedule", [
    {"serviceId": "svc_cut", "startTime": LATER},
    {"serviceId": "svc_cut", "staffId": None, "startTime": LATER},
])
def test_a_schedule_without_staff_is_staff_missing(own: str, schedule: dict[str, Any]
                                                  ) -> None:
    report = run(booking(schedule), ruleset=own)
    assert [(v.code, v.location) for v in report.violations] == [
        ("STAFF_MISSING", f"{S0}.staffId")]
    assert report.violations[0].fix and not report.violations[0].api
    assert report.verdict == "FAIL"
    assert not report.unknowns  # the rules that need a staff member stay silent
    assert codes_of(run(booking(sched("svc_cut", "stf_lisa", LATER)), ruleset=own)) == set()


def test_an_update_without_staff_is_staff_missing() -> None:
    report = run({"kind": "updateAppointment", "body": {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-12-01",
        "startTime": "10:00:00"}})
    assert [(v.code, v.location) for v in report.violations] == [("STAFF_MISSING", "staffId")]


def codes_of(report: br.Report) -> set[str]:
    return {v.code for v in report.violations}


def test_bad_start_time_in_a_bare_body_names_the_path() -> None:
    with pytest.raises(br.InputError) as caught:
        run(booking(sched("svc_cut", "stf_lisa", "tomorrow at ten")))
    assert caught.value.path == f"{S0}.startTime"


def test_bad_update_time_is_quoted_once() -> None:
    with pytest.raises(br.InputError) as caught:
        run(update("ap_mary_cut", "2026-12-01", "25:00:00", "stf_lisa"))
    assert str(caught.value).count("25:00:00") == 1

