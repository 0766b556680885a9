"""Writes, decided by the engine: refusals with Phorest's body, stored bookings visible at
once, optimistic versions, cancel/confirm, force_selected_time, dry runs, state."""

from __future__ import annotations

from typing import Any

import booking_rules as br
from booking_rules.sandbox import LocalSandbox

from ..conftest import NOW, salon_doc
from .conftest import BR, BUSY, FREE, body, cut, day_appointments


def _book(sb: LocalSandbox, b: dict[str, Any], **kw: Any) -> Any:
    return sb.client.post(f"{BR}/booking", json=b, **kw)


def test_a_refused_booking_answers_phorest_error_body_with_the_code(sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lisa", BUSY)))
    assert r.status_code == 400
    err = r.json()
    assert set(err) == {"statusCode", "id", "detail", "errorCode"}
    assert err["statusCode"] == 400 and err["errorCode"] == "SLOT_UNAVAILABLE"
    assert err["detail"] == "STAFF_DOUBLE_BOOKED"
    assert len(err["id"]) == 36  # a uuid
    assert r.headers["X-Booking-Rules-Verdict"] == "FAIL"
    assert "STAFF_DOUBLE_BOOKED" in r.headers["X-Booking-Rules-Codes"]
    assert len(day_appointments(sb, staff_id="stf_lisa")) == 3  # nothing stored


def test_accepted_booking_is_stored_visible_and_the_same_slot_is_refused_next(
        sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lisa", FREE)))
    assert r.status_code == 201, r.text
    created = r.json()
    (sched,) = created["clientAppointmentSchedules"][0]["serviceSchedules"]
    assert sched["startTime"] == FREE and sched["endTime"] == "2026-12-01T19:15:00Z"
    assert created["bookingId"] != sched["appointmentId"]
    row = sb.client.get(f"{BR}/appointment/{sched['appointmentId']}").json()
    # Stored the way the snapshot holds appointments: branch-local wall clock.
    assert (row["appointmentDate"], row["startTime"], row["endTime"]) == (
        "2026-12-01", "13:30:00", "14:15:00")
    assert row["version"] == 1 and row["source"] == "API" and row["bookingId"] == created[
        "bookingId"]
    assert row["updatedAt"] == "2026-11-01T12:00:00.000Z"
    assert sched["appointmentId"] in [a["appointmentId"] for a in day_appointments(sb)]
    again = _book(sb, body(cut("stf_lisa", FREE), client="cli_other"))
    assert again.status_code == 400 and again.json()["detail"] == "STAFF_DOUBLE_BOOKED"
    # The exported state is a snapshot document the engine reads, holding the booking.
    snap = br.load_snapshot(sb.export())
    assert br.check(snap, body(cut("stf_lisa", FREE), client="cli_x"),
                    now=NOW).predicted_api_code == "STAFF_DOUBLE_BOOKED"


def test_a_booking_of_several_services_is_one_row_each_sharing_the_booking(
        sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lisa", "2026-12-01T18:30:00Z"),
                       {"serviceId": "svc_blowdry", "staffId": "stf_lisa",
                        "startTime": "2026-12-01T19:15:00Z"}))
    assert r.status_code == 201, r.text
    ids = [s["appointmentId"] for s in r.json()["clientAppointmentSchedules"][0][
        "serviceSchedules"]]
    rows = [sb.client.get(f"{BR}/appointment/{i}").json() for i in ids]
    assert [(x["serviceId"], x["startTime"], x["endTime"]) for x in rows] == [
        ("svc_cut", "13:30:00", "14:15:00"), ("svc_blowdry", "14:15:00", "14:45:00")]
    assert len({x["bookingId"] for x in rows}) == 1


def test_a_service_with_a_finish_block_is_stored_as_two_rows() -> None:
    doc = salon_doc()
    colour = next(s for s in doc["services"] if s["serviceId"] == "svc_colour")
    colour.update(finishDuration=15, gapTime=30)
    with LocalSandbox(doc, now=NOW) as sb:
        r = _book(sb, body({"serviceId": "svc_colour", "staffId": "stf_lisa",
                            "startTime": "2026-12-01T19:00:00Z"}))
        assert r.status_code == 201, r.text
        rows = [a for a in day_appointments(sb, staff_id="stf_lisa")
                if a["serviceId"] == "svc_colour"]
        assert [(a["startTime"], a["endTime"], a["isFinishAppointment"]) for a in rows] == [
            ("14:00:00", "15:00:00", False), ("15:30:00", "15:45:00", True)]
        # The gap is free for Lisa: a blow-dry fits in it; the finish block is not.
        gap = _book(sb, body({"serviceId": "svc_blowdry", "staffId": "stf_lisa",
                              "startTime": "2026-12-01T20:00:00Z"}, client="cli_b"))
        assert gap.status_code == 201, gap.text
        finish = _book(sb, body(cut("stf_lisa", "2026-12-01T20:30:00Z"), client="cli_c"))
        assert finish.json()["detail"] == "STAFF_DOUBLE_BOOKED"


def test_unusable_bodies_are_400_with_the_validation_message(sb: LocalSandbox) -> None:
    r = _book(sb, {"clientId": "cli_new"})
    assert r.status_code == 400
    assert r.json()["detail"] == ("request body: at clientAppointmentSchedules: expected at "
                                  "least one clientAppointmentSchedules[].serviceSchedules[] "
                                  "item")
    r = _book(sb, body(cut("stf_lisa", "tuesday")))
    assert r.status_code == 400
    assert r.json()["detail"].startswith(
        "request body: at clientAppointmentSchedules[0].serviceSchedules[0].startTime: "
        "expected an ISO-8601 instant")
    r = sb.client.post(f"{BR}/booking", content=b"{not json")
    assert r.status_code == 400 and "valid JSON" in r.json()["detail"]
    # Issue 12: a body beyond the input limits is a 400 naming the place, never a 500
    # (100,000-deep JSON was a RecursionError in the decoder and in the request log).
    for data, said in ((b"[" * 100_000 + b"]" * 100_000, "nested at most 64"),
                       (b'{"clientId": ' + b"9" * 5000 + b"}", "at clientId"),
                       (b'{"clientId": "\\ud800"}', "at clientId")):
        for path in (f"{BR}/booking", f"{BR}/purchase"):  # _app and _writes
            r = sb.client.post(path, content=data)
            assert r.status_code == 400 and said in r.json()["detail"], (path, r.text)


def test_engine_only_codes_refuse_with_phorest_generic_message(sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lsa", FREE)))  # a typo: UNKNOWN_ID, no Phorest code
    assert r.status_code == 400
    assert r.json()["detail"] == "Booking data is invalid, unable to create a booking"
    assert r.headers["X-Booking-Rules-Codes"] == "UNKNOWN_ID"


def test_force_selected_time_stores_anyway_and_says_the_verdict(sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lisa", BUSY)), params={"force_selected_time": "true"})
    assert r.status_code == 201, r.text
    assert r.headers["X-Booking-Rules-Verdict"] == "FAIL"
    assert "STAFF_DOUBLE_BOOKED" in r.headers["X-Booking-Rules-Codes"]
    new = r.json()["clientAppointmentSchedules"][0]["serviceSchedules"][0]["appointmentId"]
    assert new in [a["appointmentId"] for a in day_appointments(sb)]


def test_dry_run_answers_as_the_write_would_and_stores_nothing(sb: LocalSandbox) -> None:
    before = sb.export()
    dry = {"X-Sandbox-Dry-Run": "true"}
    r = _book(sb, body(cut("stf_lisa", FREE)), headers=dry)
    assert r.status_code == 201 and r.headers["X-Sandbox-Dry-Run"] == "true"
    r = _book(sb, body(cut("stf_lisa", BUSY)), headers=dry)
    assert r.status_code == 400 and r.json()["detail"] == "STAFF_DOUBLE_BOOKED"
    r = sb.client.post(f"{BR}/appointment/ap_mary_cut/cancel", headers=dry)
    assert r.json()["_embedded"]["appointments"][0]["activationState"] == "CANCELED"
    assert sb.export() == before
    assert _book(sb, body(cut("stf_lisa", FREE))).status_code == 201


def _update(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    keys = ("appointmentId", "version", "appointmentDate", "startTime", "endTime", "staffId",
            "serviceId")
    return {**{k: row[k] for k in keys}, **changes}


def test_update_needs_the_current_version_and_is_decided_by_the_engine(
        sb: LocalSandbox) -> None:
    url = f"{BR}/appointment/ap_mary_cut"
    row = sb.client.get(url).json()
    assert row["version"] == 1
    stale = sb.client.put(url, json=_update(row, version=0, startTime="13:30:00",
                                            endTime="14:15:00"))
    assert stale.status_code == 409 and stale.json()["errorCode"] == "CONFLICT"
    # Mary requested Lisa: moving her to John is STAFF_REQUESTED.
    moved = sb.client.put(url, json=_update(row, staffId="stf_john"))
    assert moved.status_code == 400 and moved.json()["detail"] == "STAFF_REQUESTED"
    ok = sb.client.put(url, json=_update(row, startTime="13:30:00", endTime="14:15:00"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2 and ok.json()["startTime"] == "13:30:00"
    assert sb.client.get(url).json()["version"] == 2
    again = sb.client.put(url, json=_update(row, startTime="15:00:00", endTime="15:45:00"))
    assert again.status_code == 409  # built from version 1
    # Her old slot is free now, her new one taken.
    assert _book(sb, body(cut("stf_lisa", "2026-12-01T15:00:00Z"), client="cli_x")
                 ).status_code == 201
    assert _book(sb, body(cut("stf_lisa", FREE), client="cli_y")).json()[
        "detail"] == "STAFF_DOUBLE_BOOKED"


def test_update_body_must_name_the_path_appointment(sb: LocalSandbox) -> None:
    row = sb.client.get(f"{BR}/appointment/ap_mary_cut").json()
    r = sb.client.put(f"{BR}/appointment/ap_mary_cut",
                      json=_update(row, appointmentId="ap_offer1"))
    assert r.status_code == 400 and "appointmentId" in r.json()["detail"]
    assert sb.client.put(f"{BR}/appointment/ap_nope", json=_update(row)).status_code == 404


def test_cancel_frees_the_slot_and_confirm_bumps_the_version(sb: LocalSandbox) -> None:
    r = sb.client.post(f"{BR}/appointment/cancel", params={"appointment_id": "ap_offer2"})
    (row,) = r.json()["_embedded"]["appointments"]
    assert row["activationState"] == "CANCELED" and row["version"] == 2
    assert _book(sb, body(cut("stf_lisa", BUSY))).status_code == 201
    # Cancelling again changes nothing, so bumps nothing.
    r = sb.client.post(f"{BR}/appointment/ap_offer2/cancel")
    assert r.json()["_embedded"]["appointments"][0]["version"] == 2
    r = sb.client.post(f"{BR}/appointment/ap_mary_cut/confirm")
    assert r.json()["_embedded"]["appointments"][0]["confirmed"] is True
    assert r.json()["_embedded"]["appointments"][0]["version"] == 2
    assert sb.client.post(f"{BR}/appointment/cancel").status_code == 400
    assert sb.client.post(f"{BR}/appointment/ap_nope/confirm").status_code == 404


def test_reset_load_and_export_state(sb: LocalSandbox) -> None:
    seeded = sb.export()
    first = _book(sb, body(cut("stf_lisa", FREE)))
    assert first.status_code == 201
    assert len(sb.export()["appointments"]) == len(seeded["appointments"]) + 1
    assert sb.controls.post("/reset").status_code == 200
    assert sb.export() == seeded
    # After a reset the sandbox hands out the same ids again: runs are reproducible.
    assert _book(sb, body(cut("stf_lisa", FREE))).json() == first.json()
    sb.controls.post("/reset")
    doc = salon_doc()
    doc["appointments"] = []
    r = sb.controls.post("/state", json=doc)
    assert r.status_code == 200 and r.json() == {"branchId": "br_tor", "appointments": 0}
    assert day_appointments(sb) == []
    assert _book(sb, body(cut("stf_lisa", BUSY))).status_code == 201
    bad = sb.controls.post("/state", json={"branch": {"branchId": "x"}})
    assert bad.status_code == 400 and "timeZone" in bad.json()["detail"]


def test_a_reserved_booking_holds_the_slot(sb: LocalSandbox) -> None:
    r = _book(sb, body(cut("stf_lisa", FREE), status="RESERVED"))
    assert r.status_code == 201 and r.json()["bookingStatus"] == "RESERVED"
    assert _book(sb, body(cut("stf_lisa", FREE), client="cli_o")).json()[
        "detail"] == "STAFF_DOUBLE_BOOKED"
