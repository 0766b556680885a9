"""Reads: Phorest's paths, HAL pages, filters and limits, as the sandbox serves them."""

from __future__ import annotations

from typing import Any

import pytest

from booking_rules.sandbox import LocalSandbox

from .conftest import BR, day_appointments


def _page(r: Any, key: str) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    assert r.status_code == 200, r.text
    data = r.json()
    return data["_embedded"][key], data["page"], data["_links"]


def test_branch_list_is_a_hal_page_with_the_branch(sb: LocalSandbox) -> None:
    rows, page, _ = _page(sb.client.get("/branch"), "branches")
    assert [b["branchId"] for b in rows] == ["br_tor"]
    assert rows[0]["timeZone"] == "America/Toronto"
    assert page == {"size": 20, "totalElements": 1, "totalPages": 1, "number": 0}


def test_staff_pages_follow_next_links_to_every_row(sb: LocalSandbox) -> None:
    seen: list[str] = []
    url: str | None = f"{BR}/staff?size=2"
    pages = 0
    while url is not None:
        rows, page, links = _page(sb.client.get(url), "staffs")
        assert page["size"] == 2 and page["number"] == pages
        seen += [s["staffId"] for s in rows]
        pages += 1
        url = links["next"]["href"] if "next" in links else None
    # Olga is archived: hidden unless fetch_archived=true, as Phorest's staff list does.
    assert seen == ["stf_lisa", "stf_john", "stf_ann", "stf_raj"]
    assert pages == 2 and page["totalPages"] == 2 and page["totalElements"] == 4
    everyone, _, _ = _page(sb.client.get(f"{BR}/staff", params={"fetch_archived": "true"}),
                           "staffs")
    assert "stf_olga" in [s["staffId"] for s in everyone]


def test_size_over_100_is_a_400_and_special_offers_allow_200(sb: LocalSandbox) -> None:
    r = sb.client.get(f"{BR}/service", params={"size": 101})
    assert r.status_code == 400
    assert r.json()["detail"] == "size must be at most 100, got 101"
    assert sb.client.get(f"{BR}/service", params={"size": 100}).status_code == 200
    offers, page, _ = _page(sb.client.get(f"{BR}/service-special-offer",
                                          params={"size": 200}), "serviceSpecialOffers")
    assert [o["specialOfferId"] for o in offers] == ["so_morning"] and page["size"] == 200
    assert sb.client.get(f"{BR}/service-special-offer",
                         params={"size": 201}).status_code == 400


@pytest.mark.parametrize("params", [{"size": "0"}, {"size": "x"}, {"page": "-1"}])
def test_bad_paging_is_a_400(sb: LocalSandbox, params: dict[str, str]) -> None:
    r = sb.client.get(f"{BR}/room", params=params)
    assert r.status_code == 400 and r.json()["statusCode"] == 400


def test_a_page_past_the_end_is_empty(sb: LocalSandbox) -> None:
    rows, page, links = _page(sb.client.get(f"{BR}/room", params={"page": 5}), "rooms")
    assert rows == [] and page["number"] == 5 and page["totalPages"] == 1
    assert "next" not in links


def test_services_rooms_machines_are_served(sb: LocalSandbox) -> None:
    services, _, _ = _page(sb.client.get(f"{BR}/service", params={"size": 50}), "services")
    assert len(services) == 7
    rooms, _, _ = _page(sb.client.get(f"{BR}/room"), "rooms")
    assert [r["roomId"] for r in rooms] == ["room_a", "room_b", "room_c"]
    machines, _, _ = _page(sb.client.get(f"{BR}/machine"), "machines")
    assert [m["machineId"] for m in machines] == ["mach_laser", "mach_ipl"]


def test_every_served_row_has_updated_at_and_version(sb: LocalSandbox) -> None:
    paths = [("/branch", "branches"), (f"{BR}/staff", "staffs"),
             (f"{BR}/service", "services"), (f"{BR}/room", "rooms"),
             (f"{BR}/machine", "machines"), (f"{BR}/service-special-offer",
                                             "serviceSpecialOffers"),
             ("/client", "clients"), ("/clientcourse", "clientCourses")]
    for path, key in paths:
        rows, _, _ = _page(sb.client.get(path, params={"size": 100}), key)
        assert rows, path
        for row in rows:
            assert row["updatedAt"] == "2026-11-01T12:00:00.000Z", (path, row)
            assert isinstance(row["version"], int), (path, row)
    for row in day_appointments(sb):
        assert row["updatedAt"] and isinstance(row["version"], int)


def test_worktimetable_needs_a_window_of_at_most_a_month(sb: LocalSandbox) -> None:
    url = f"{BR}/staff/worktimetable"
    assert sb.client.get(url).status_code == 400
    assert sb.client.get(url, params={"from_date": "2026-11-02"}).status_code == 400
    r = sb.client.get(url, params={"from_date": "2026-11-01", "to_date": "2026-12-15"})
    assert r.status_code == 400 and r.json()["detail"] == "Max date range allowed is one month"
    r = sb.client.get(url, params={"from_date": "2026-11-02", "to_date": "2026-11-03"})
    tables = r.json()["_embedded"]["workTimeTables"]
    lisa = next(t for t in tables if t["staffId"] == "stf_lisa")
    assert [s["date"] for s in lisa["timeSlots"]] == ["2026-11-02", "2026-11-03"]
    assert r.json()["page"]["totalPages"] == 1  # all rows at once


def test_breaks_filter_by_window_and_staff(sb: LocalSandbox) -> None:
    rows, _, _ = _page(sb.client.get(f"{BR}/break", params={
        "from_date": "2026-11-02", "to_date": "2026-11-02", "staff_id": "stf_john"}), "breaks")
    assert [b["breakId"] for b in rows] == ["brk_john_2026-11-02"]
    assert sb.client.get(f"{BR}/break").status_code == 400


def test_appointments_need_a_window_and_refuse_more_than_31_days(sb: LocalSandbox) -> None:
    url = f"{BR}/appointment"
    r = sb.client.get(url)
    assert r.status_code == 400 and "from_date" in r.json()["detail"]
    r = sb.client.get(url, params={"from_date": "2026-12-01", "to_date": "2027-01-02"})
    assert r.status_code == 400
    assert r.json()["detail"] == "Max date range allowed is 31 days"
    assert sb.client.get(url, params={"from_date": "2026-12-01",
                                      "to_date": "2027-01-01"}).status_code == 200
    r = sb.client.get(url, params={"updated_from": "2026-10-01T00:00:00.000Z",
                                   "updated_to": "2026-11-02T00:00:00.000Z"})
    assert r.status_code == 400 and r.json()["detail"] == "Max date range allowed is 31 days"


def test_appointment_filters_are_snake_case_and_camel_case_is_ignored(
        sb: LocalSandbox) -> None:
    everyone = day_appointments(sb)
    assert len({a["clientId"] for a in everyone}) > 1
    mary = day_appointments(sb, client_id="cli_mary")
    assert mary and {a["clientId"] for a in mary} == {"cli_mary"}
    # clientId= is not a filter Phorest reads: the whole day comes back.
    assert day_appointments(sb, clientId="cli_mary") == everyone
    lisa = day_appointments(sb, staff_id="stf_lisa")
    assert lisa and {a["staffId"] for a in lisa} == {"stf_lisa"}


def test_canceled_and_deleted_rows_only_when_asked(sb: LocalSandbox) -> None:
    doc = sb.export()
    states = {(a["activationState"], a["deleted"]) for a in doc["appointments"]}
    assert ("CANCELED", False) in states  # the example holds a cancelled appointment
    days = sorted({a["appointmentDate"] for a in doc["appointments"]})
    params = {"from_date": days[0], "to_date": days[-1], "size": "100"}
    plain = sb.client.get(f"{BR}/appointment", params=params).json()["_embedded"][
        "appointments"]
    assert all(a["activationState"] != "CANCELED" and not a["deleted"] for a in plain)
    every = sb.client.get(f"{BR}/appointment", params={
        **params, "fetch_canceled": "true", "fetch_deleted": "true"}).json()["_embedded"][
        "appointments"]
    assert len(every) == len(doc["appointments"]) > len(plain)
    assert sb.client.get(f"{BR}/appointment", params={
        **params, "fetch_canceled": "yes"}).status_code == 400


def test_updated_window_finds_what_changed(sb: LocalSandbox) -> None:
    ids = {a["appointmentId"] for a in sb.export()["appointments"]}
    r = sb.client.get(f"{BR}/appointment", params={
        "updated_from": "2026-11-01T11:00:00.000Z", "updated_to": "2026-11-01T13:00:00.000Z",
        "fetch_canceled": "true", "fetch_deleted": "true", "size": "100"})
    assert {a["appointmentId"] for a in r.json()["_embedded"]["appointments"]} == ids
    r = sb.client.get(f"{BR}/appointment", params={
        "updated_from": "2026-11-01T12:00:00.001Z", "updated_to": "2026-11-02T00:00:00.000Z"})
    assert r.json()["_embedded"]["appointments"] == []


def test_single_appointment_and_unknown_ids(sb: LocalSandbox) -> None:
    r = sb.client.get(f"{BR}/appointment/ap_mary_cut")
    assert r.status_code == 200 and r.json()["clientId"] == "cli_mary"
    r = sb.client.get(f"{BR}/appointment/ap_nope")
    assert r.status_code == 404 and r.json()["detail"] == "Appointment ap_nope not found"
    assert sb.client.get("/branch/br_nope/staff").status_code == 404
    r = sb.client.get("http://sandbox/third-party-api-server/api/business/other/branch")
    assert r.status_code == 404


def test_clients_and_client_courses(sb: LocalSandbox) -> None:
    clients, page, _ = _page(sb.client.get("/client", params={"size": 5}), "clients")
    assert len(clients) == 5 and page["totalElements"] == 13
    assert sb.client.get("/client/cli_mary").json()["firstName"] == "Mary"
    assert sb.client.get("/client/cli_nope").status_code == 404
    courses, _, _ = _page(sb.client.get("/clientcourse", params={"client_id": "cli_cara"}),
                          "clientCourses")
    assert [c["clientCourseId"] for c in courses] == ["cc_cara"]
    active, _, _ = _page(sb.client.get("/clientcourse", params={"size": 100}),
                         "clientCourses")
    both, _, _ = _page(sb.client.get("/clientcourse", params={
        "size": 100, "includeArchived": "true"}), "clientCourses")
    assert "cc_lou_closed" not in [c["clientCourseId"] for c in active]
    assert "cc_lou_closed" in [c["clientCourseId"] for c in both]


def test_unknown_paths_and_methods_answer_json(sb: LocalSandbox) -> None:
    r = sb.client.get(f"{BR}/nothing-here")
    assert r.status_code == 404 and r.json()["errorCode"] == "NOT_FOUND"
    r = sb.client.delete(f"{BR}/booking")
    assert r.status_code == 405 and r.json()["statusCode"] == 405


def test_availability_answers_in_phorest_shape_and_each_slot_books(sb: LocalSandbox) -> None:
    r = sb.client.post(f"{BR}/appointments/availability", json={
        "startTime": "2026-12-01T18:00:00Z", "endTime": "2026-12-01T20:00:00Z",
        "clientId": "cli_new", "clientServiceSelections": [{"clientId": "cli_new",
            "serviceSelections": [{"serviceId": "svc_cut", "staffId": "stf_lisa"}]}]})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    starts = [d["startTime"] for d in data]
    assert starts[0] == "2026-12-01T18:30:00Z" and r.json()["links"] == []
    sched = data[0]["clientSchedules"][0]["serviceSchedules"][0]
    assert sched["staffId"] == "stf_lisa" and sched["endTime"] == "2026-12-01T19:15:00Z"
    booked = sb.client.post(f"{BR}/booking", json={
        "clientId": "cli_new", "clientAppointmentSchedules": [{"clientId": "cli_new",
            "serviceSchedules": [{k: sched[k] for k in ("serviceId", "staffId",
                                                         "startTime")}]}]})
    assert booked.status_code == 201, booked.text
    again = sb.client.post(f"{BR}/appointments/availability", json={
        "startTime": "2026-12-01T18:00:00Z", "endTime": "2026-12-01T20:00:00Z",
        "clientServiceSelections": [{"serviceSelections": [
            {"serviceId": "svc_cut", "staffId": "stf_lisa"}]}]}).json()["data"]
    assert "2026-12-01T18:30:00Z" not in [d["startTime"] for d in again]


def test_availability_bad_bodies_are_400(sb: LocalSandbox) -> None:
    url = f"{BR}/appointments/availability"
    bad = [{}, {"startTime": "2026-12-01T18:00:00Z", "endTime": "x"},
           {"startTime": "2026-12-01T18:00:00Z", "endTime": "2026-12-01T20:00:00Z",
            "clientServiceSelections": []},
           {"startTime": "2026-12-01T18:00:00Z", "endTime": "2026-12-01T20:00:00Z",
            "clientServiceSelections": [{"serviceSelections": [{"serviceId": "svc_nope"}]}]},
           {"startTime": "2026-12-01T18:00:00Z", "endTime": "2027-03-01T20:00:00Z",
            "clientServiceSelections": [{"serviceSelections": [{"serviceId": "svc_cut"}]}]}]
    for b in bad:
        r = sb.client.post(url, json=b)
        assert r.status_code == 400, (b, r.text)
        assert r.json()["detail"], b
