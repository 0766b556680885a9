"""Loading snapshots: every shape the API answers in, and bad input as a product path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import booking_rules as br

from .conftest import booking, minimal_doc, salon_doc, sched

STAFF = [{"staffId": "s1", "userId": "u1", "firstName": "Ana"}]
SERVICES = [{"serviceId": "cut", "name": "Cut", "duration": 30}]


def _hal(key: str, items: list[dict[str, object]], number: int = 0, pages: int = 1
         ) -> dict[str, object]:
    return {"_embedded": {key: items},
            "page": {"size": 100, "totalElements": len(items), "totalPages": pages,
                     "number": number}}


def test_plain_lists_hal_pages_and_lists_of_pages_read_the_same() -> None:
    appts = [{"appointmentId": f"a{i}", "appointmentDate": "2026-12-01",
              "startTime": f"{9 + i:02d}:00:00", "endTime": f"{9 + i:02d}:30:00",
              "staffId": "s1", "clientId": "c", "serviceId": "cut"} for i in range(4)]
    plain = br.load_snapshot(minimal_doc(staff=STAFF, services=SERVICES, appointments=appts))
    one_page = br.load_snapshot(minimal_doc(staff=_hal("staffs", STAFF),
                                            services=_hal("services", SERVICES),
                                            appointments=_hal("appointments", appts)))
    pages = br.load_snapshot(minimal_doc(
        staff=[_hal("staff", STAFF)], services=SERVICES,
        appointments=[_hal("appointments", appts[:2], 0, 2),
                      _hal("appointments", appts[2:], 1, 2)]))
    bare = br.load_snapshot(minimal_doc(staff={"_embedded": STAFF}, services=SERVICES,
                                        appointments=appts))
    for snap in (one_page, pages, bare):
        assert sorted(snap.appointments) == sorted(plain.appointments)
        assert snap.appointments["a3"].start == plain.appointments["a3"].start
        assert list(snap.staff) == ["s1"]


def test_appointment_reads_follow_the_declared_convention() -> None:
    appt = {"appointmentId": "a", "appointmentDate": "2026-12-01", "startTime": "10:00:00",
            "endTime": "10:45:00.000", "staffId": "s1", "serviceId": "cut"}
    local = br.load_snapshot(minimal_doc(appointments=[appt]))
    utc = br.load_snapshot({**minimal_doc(appointments=[appt]),
                            "conventions": {"appointmentTimes": "utc"}})
    assert local.appointments["a"].start == datetime(2026, 12, 1, 15, tzinfo=UTC)
    assert utc.appointments["a"].start == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert local.with_times("utc").appointments["a"].start == datetime(2026, 12, 1, 10,
                                                                       tzinfo=UTC)
    assert utc.with_times("local") is utc  # a declared convention is never overridden


def test_an_appointment_ending_after_midnight_ends_the_next_day() -> None:
    appt = {"appointmentId": "a", "appointmentDate": "2026-12-01", "startTime": "23:30:00",
            "endTime": "00:30:00", "staffId": "s1"}
    snap = br.load_snapshot(minimal_doc(appointments=[appt]))
    a = snap.appointments["a"]
    assert (a.end - a.start).total_seconds() == 3600


def test_cancelled_and_deleted_appointments_are_not_indexed() -> None:
    snap = br.load_snapshot(salon_doc())
    start = datetime(2026, 12, 1, 0, tzinfo=UTC)
    end = datetime(2026, 12, 2, 6, tzinfo=UTC)
    lisa = {a.id for a in snap.staff_appointments("stf_lisa", start, end)}
    raj = {a.id for a in snap.staff_appointments("stf_raj", start, end)}
    assert "ap_dan_cancel" not in lisa and "ap_mary_cut" in lisa
    assert "ap_hal_deleted" not in raj and "ap_kim_raj" in raj


@pytest.mark.parametrize(("doc", "path", "expected"), [
    ({}, "branch", "this key"),
    ({"branch": {"branchId": "b", "timeZone": "Mars/Olympus"}}, "branch.timeZone",
     "an IANA time zone"),
    ({"branch": {"branchId": "b", "timeZone": "UTC"}, "staff": "everyone"}, "staff",
     "a list of items"),
])
def test_bad_snapshots_name_the_path_and_the_need(doc: dict[str, object], path: str,
                                                   expected: str) -> None:
    with pytest.raises(br.InputError) as info:
        br.load_snapshot(doc)
    assert info.value.path == path
    assert expected in str(info.value)


@pytest.mark.parametrize(("doc", "path", "expected"), [
    ({"branch": {"branchId": "b", "timeZone": "UTC"},
      "appointments": [{"appointmentId": "a", "appointmentDate": "2026-12-01",
                        "startTime": "25:00:00", "endTime": "10:00:00", "staffId": "s"}]},
     "appointments[0]", "startTime: expected a time of day HH:mm:ss"),
    ({"branch": {"branchId": "b", "timeZone": "UTC"},
      "services": [{"serviceId": "x", "name": "X"}]}, "services[0]", "duration: expected"),
    ({"branch": {"branchId": "b", "timeZone": "UTC"},
      "workTimeTables": [{"staffId": "s", "timeSlots": [
          {"date": "01/12/2026", "startTime": "09:00:00", "endTime": "17:00:00"}]}]},
     "workTimeTables[0].timeSlots[0]", "date: expected a date yyyy-MM-dd"),
])
def test_an_unreadable_row_is_quarantined_with_its_path(doc: dict[str, object], path: str,
                                                        expected: str) -> None:
    # RULES.md §6 (round 2): one odd row does not sink the branch. These rows were a failed
    # load before; now each is left out and listed, with its JSON path and the need.
    snap = br.load_snapshot(doc)
    listed = [n for n in snap.notices if n.rule == "unreadable_row"]
    assert [n.location for n in listed] == [path]
    assert expected in listed[0].message


def test_bad_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(br.InputError, match="an existing snapshot file"):
        br.load_snapshot(missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"branch": ')
    with pytest.raises(br.InputError, match="line 1 column 12"):
        br.load_snapshot(broken)


def test_unknown_keys_are_kept_and_warned_about() -> None:
    doc = salon_doc()
    doc["giftCards"] = []  # not a snapshot key (vouchers are, since issue 18)
    doc["appointments"][0]["someNewField"] = 1
    snap = br.load_snapshot(doc)
    # A top-level key is kept in the document; an appointment row is not kept as given
    # (the history is held column by column), so its unknown field is said, once per name.
    assert [(n.rule, n.location) for n in snap.notices] == [
        ("unknown_field", "giftCards"), ("unknown_field", "appointments[0].someNewField")]
    assert "1 of" in snap.notices[1].message
    report = br.check(snap, booking(sched("svc_cut", "stf_lisa", "2026-12-01T20:00:00Z")),
                      now=datetime(2026, 11, 1, tzinfo=UTC))
    assert any(w.code == "UNKNOWN_FIELD" and "giftCards" in w.message for w in report.warnings)


def test_a_day_outside_declared_coverage_is_unknown_not_pass() -> None:
    doc = salon_doc()
    doc["coverage"] = {"from": "2026-11-01", "to": "2026-11-30",
                       "fetchedAt": "2026-11-01T06:00:00Z"}
    snap = br.load_snapshot(doc)
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    inside = br.check(snap, booking(sched("svc_cut", "stf_lisa", "2026-11-30T20:00:00Z")),
                      now=now)
    outside = br.check(snap, booking(sched("svc_cut", "stf_lisa", "2026-12-01T20:00:00Z")),
                       now=now)
    assert inside.verdict == "PASS"
    assert outside.verdict == "UNKNOWN"
    assert {u.code for u in outside.unknowns} >= {"STAFF_DOUBLE_BOOKED", "STAFF_NOT_WORKING"}
    assert outside.snapshot_age_seconds == 6 * 3600
    assert json.loads(outside.to_json())["snapshot"]["ageSeconds"] == 6 * 3600


def test_a_load_never_leaves_the_garbage_collector_off(tmp_path: Path) -> None:
    """Loads switch the process-wide collector off while they run, and back on after,
    even when they fail or run in several threads at once; a collector the caller had
    switched off stays off."""
    import gc
    import threading

    assert gc.isenabled()
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(br.InputError):
        br.load_snapshot(bad)
    assert gc.isenabled()
    errors: list[BaseException] = []

    def load() -> None:
        try:
            for _ in range(5):
                br.load_snapshot(salon_doc())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and gc.isenabled()
    gc.disable()
    try:
        br.load_snapshot(salon_doc())
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(("field", "bad"), [
    ("appointmentDate", []), ("appointmentDate", 5), ("startTime", [1]), ("endTime", {"a": 1})])
def test_a_row_with_a_date_or_time_of_the_wrong_type_is_quarantined(field: str, bad: object
                                                                      ) -> None:
    """Found by a mutation fuzz: a list where a date belongs crashed the quarantine's own
    bookkeeping (an unhashable key) instead of quarantining the row (RULES.md §6)."""
    doc = salon_doc()
    doc["appointments"][0][field] = bad
    snap = br.load_snapshot(doc)
    assert any(n.rule == "unreadable_row" and n.location.startswith("appointments[0]")
               for n in snap.notices), [(n.rule, n.location) for n in snap.notices]
