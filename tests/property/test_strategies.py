"""What ``booking_rules.testing`` promises about its own strategies (docs/testing.md)."""

from __future__ import annotations

import subprocess
import sys
import types
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import booking_rules as br
from booking_rules import testing as brt

from . import reference
from .conftest import scaled

ENTRY_POINT = "booking_rules = booking_rules._hypothesis_plugin:_hypothesis_setup_hook"


def ids(doc: dict[str, Any], key: str, field: str) -> set[str]:
    return {item[field] for item in doc.get(key) or []}


@given(doc=brt.snapshots())
def test_snapshots_are_sound(doc: dict[str, Any]) -> None:
    snap = br.load_snapshot(doc)
    assert not snap.notices, [n.rule for n in snap.notices]
    staff, services = ids(doc, "staff", "staffId"), ids(doc, "services", "serviceId")
    rooms, machines = ids(doc, "rooms", "roomId"), ids(doc, "machines", "machineId")
    clients, offers = ids(doc, "clients", "clientId"), ids(doc, "specialOffers",
                                                           "specialOfferId")
    courses = ids(doc, "courses", "courseId")
    items = {it["clientCourseItemId"] for cc in doc["clientCourses"]
             for it in cc["clientCourseItems"]}
    for s in doc["staff"]:
        assert set(s["disqualifiedServices"]) <= services
    for s in doc["services"]:
        assert set(s.get("disqualifiedStaff", [])) <= staff
        assert set(s.get("roomIds", [])) <= rooms and set(s.get("machineIds", [])) <= machines
        users = {m["userId"] for m in doc["staff"]}
        assert {u["userRef"] for u in s.get("userDurations", [])} <= users
    for t in doc["workTimeTables"]:
        assert t["staffId"] in staff
    for b in doc["breaks"]:
        assert b.get("staffId") in staff | {None}
        assert b.get("roomId") in rooms | {None} and b.get("machineId") in machines | {None}
    for o in doc["specialOffers"]:
        assert set(o["serviceIds"]) <= services
        assert set(o.get("excludedStaffIds", [])) <= staff
    for cc in doc["clientCourses"]:
        assert cc["clientId"] in clients and cc["courseId"] in courses
        assert {it["serviceId"] for it in cc["clientCourseItems"]} <= services
    for a in doc["appointments"]:
        assert a["staffId"] in staff and a["serviceId"] in services
        assert a["clientId"] in clients - {brt.WALK_IN}
        assert a.get("roomId") in rooms | {None} and a.get("machineId") in machines | {None}
        assert a.get("specialOfferId") in offers | {None}
        assert a.get("clientCourseItemId") in items | {None}
    assert len({a["appointmentId"] for a in doc["appointments"]}) == len(doc["appointments"])


@settings(max_examples=scaled(0.5))
@given(doc=brt.snapshots())
def test_snapshots_keep_a_first_hour_free(doc: dict[str, Any]) -> None:
    """The guarantee passing_requests leans on: svc_1 by stf_1, first working day."""
    first = min(date.fromisoformat(s["date"]) for t in doc["workTimeTables"]
                if t["staffId"] == "stf_1" for s in t["timeSlots"] if s["type"] == "WORKING")
    zone = reference.Salon(doc).zone
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    for online in (False, True):
        slots = br.find_slots(br.load_snapshot(doc), ["svc_1"], start=start,
                              end=start + timedelta(days=1), staff_id="stf_1",
                              client_id=brt.WALK_IN, online=online, now=brt.now_for(doc))
        assert slots


@given(data=st.data())
def test_requests_name_the_snapshots_ids_and_parse(data: st.DataObject) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    request = data.draw(brt.requests(doc), label="request")
    salon = reference.Salon(doc)
    kind, schedules = reference.read_request(salon, request)
    for s in schedules:
        assert s.staff in salon.staff and s.service in (salon.services.keys() | {None})
    # The first start of each client's schedules is on the quarter-hour grid (the later
    # ones of a back-to-back chain start when the service before them ends).
    firsts = [schedules[0].start] if kind == "updateAppointment" else [
        reference.instant(g["serviceSchedules"][0]["startTime"])
        for g in request["body"]["clientAppointmentSchedules"]]
    assert all(t.second == 0 and t.minute % 15 == 0 for t in firsts)
    report = br.check(br.load_snapshot(doc), request, now=brt.now_for(doc))
    assert not {v.code for v in report.violations} & {"UNKNOWN_ID"}


@settings(max_examples=scaled(0.5))
@given(data=st.data())
def test_passing_requests_pass(data: st.DataObject) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    online = data.draw(st.booleans(), label="online")
    request = data.draw(brt.passing_requests(doc, online=online), label="request")
    report = br.check(br.load_snapshot(doc), request, now=brt.now_for(doc), online=online)
    assert report.verdict == "PASS", report.to_text()


def test_passing_requests_says_when_nothing_passes() -> None:
    doc = {"branch": {"branchId": "b", "timeZone": "UTC"}, "staff": [{"staffId": "s"}],
           "services": [{"serviceId": "v", "duration": 30}]}
    with pytest.raises(InvalidArgument, match="no WORKING roster slot"):
        brt.passing_requests(doc)


def test_strategies_check_their_arguments() -> None:
    with pytest.raises(InvalidArgument):
        brt.snapshots(max_staff=0)
    with pytest.raises(InvalidArgument):
        brt.snapshots(zones=())
    with pytest.raises(InvalidArgument):
        brt.requests({"branch": {"timeZone": "UTC"}, "staff": [{"staffId": "s"}],
                      "services": [{"serviceId": "v", "duration": 30}]},
                     kinds=("cancelAppointment",))


def test_the_hypothesis_entry_point_registers_scenario(tmp_path: Path) -> None:
    """Installed with the entry point below, ``import hypothesis`` alone makes
    ``st.from_type(Scenario)`` work (a throwaway dist-info stands in for pyproject.toml)."""
    info = tmp_path / "booking_rules_plugin-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: booking-rules-plugin\n"
                                   "Version: 0\n")
    (info / "entry_points.txt").write_text(f"[hypothesis]\n{ENTRY_POINT}\n")
    code = ("import sys, hypothesis; assert 'booking_rules.testing' in sys.modules; "
            "from hypothesis import strategies as st; "
            "Scenario = sys.modules['booking_rules.testing'].Scenario; "
            "assert not st.from_type(Scenario).is_empty")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path,
                   env={"PYTHONPATH": str(tmp_path)})


DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_docs_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/testing.md's first example, against a stand-in widget (the first free slot)."""
    text = DOC.read_text()
    block = text.split("<!-- testing-example")[1].split("```python\n", 1)[1].split("```")[0]

    def next_booking(doc: dict[str, Any], service: str, client: str, now: datetime
                     ) -> dict[str, Any] | None:
        snap = br.load_snapshot(doc)
        zone = reference.Salon(doc).zone
        for day in sorted({s["date"] for t in doc["workTimeTables"] for s in t["timeSlots"]
                           if s["type"] == "WORKING"}):
            start = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=zone)
            slots = br.find_slots(snap, [service], start=start, end=start + timedelta(days=1),
                                  client_id=client, now=now)
            if slots:
                return slots[0].booking(client)
        return None

    widget = types.ModuleType("my_salon.widget")
    widget.next_booking = next_booking  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "my_salon", types.ModuleType("my_salon"))
    monkeypatch.setitem(sys.modules, "my_salon.widget", widget)
    namespace: dict[str, Any] = {}
    exec(compile(block, str(DOC), "exec"), namespace)
    namespace["test_widget_never_sends_a_booking_phorest_would_refuse"]()
