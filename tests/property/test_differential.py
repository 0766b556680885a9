"""The engine against a plain reading of RULES.md (``reference.py``): same Phorest codes.

The engine indexes every resource and sweeps peaks; the reference scans lists. For every
generated snapshot and request they must agree on the set of Phorest codes reported at
error severity. The engine's own codes (unknown ids, stale versions, online policy...) are
not compared, but a request that earns them is still compared on the Phorest codes.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import booking_rules as br
from booking_rules import testing as brt
from booking_rules.platforms.phorest import API_CODES as PHOREST_CODES

from . import reference
from .conftest import scaled


def engine_codes(doc: dict[str, Any], request: dict[str, Any], *, now: datetime,
                 online: bool) -> set[str]:
    report = br.check(br.load_snapshot(doc), request, now=now, online=online)
    return {v.code for v in report.violations if v.code in PHOREST_CODES}


def test_reference_knows_the_nineteen_codes() -> None:
    assert set(reference.PHOREST_CODES) == set(PHOREST_CODES)
    assert len(PHOREST_CODES) == 19


@given(data=st.data())
def test_engine_agrees_with_reference(data: st.DataObject) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    request = data.draw(brt.requests(doc), label="request")
    online = data.draw(st.booleans(), label="online")
    expected = reference.phorest_codes(doc, request, online=online)
    for code in sorted(expected):
        event(code)
    if not expected:
        event("no Phorest code")
    assert engine_codes(doc, request, now=brt.now_for(doc), online=online) == expected


@settings(max_examples=scaled(0.5))
@given(scenario=st.from_type(brt.Scenario))
def test_engine_agrees_with_reference_on_refusals(scenario: brt.Scenario) -> None:
    expected = reference.phorest_codes(scenario.snapshot, scenario.request,
                                       online=scenario.online)
    assert scenario.code in expected, scenario.about
    assert engine_codes(scenario.snapshot, scenario.request, now=scenario.now,
                        online=scenario.online) == expected, scenario.about


@settings(max_examples=scaled(0.5))
@given(data=st.data())
def test_reference_passes_what_passing_requests_draws(data: st.DataObject) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    online = data.draw(st.booleans(), label="online")
    request = data.draw(brt.passing_requests(doc, online=online), label="request")
    assert reference.phorest_codes(doc, request, online=online) == set()


CASES = Path(__file__).resolve().parents[3] / "shared" / "cases" / "phorest"
FILES = sorted(CASES.glob("*.json")) if CASES.is_dir() else []


@pytest.mark.skipif(not FILES, reason="../shared/cases is not beside this checkout")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_reference_agrees_with_acceptance_case(path: Path) -> None:
    """The reference is itself checked against the shared yardstick."""
    case = json.loads(path.read_text())
    snap = case["snapshot"]
    doc = json.loads((path.parent / snap).read_text()) if isinstance(snap, str) else snap
    got = reference.phorest_codes(doc, case["request"], online=case.get("online", False))
    assert got == set(case["expect"]["codes"])


def shifted(request: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    """``request`` with every time moved by ``delta`` (instants for createBooking, wall
    clock for updateAppointment, as each is written)."""
    out = copy.deepcopy(request)
    body = out["body"]
    if out["kind"] == "createBooking":
        for group in body["clientAppointmentSchedules"]:
            for sched in group["serviceSchedules"]:
                for key in ("startTime", "endTime"):
                    if key in sched:
                        moved = datetime.fromisoformat(sched[key]) + delta
                        sched[key] = moved.isoformat()
        return out
    day = date.fromisoformat(body["appointmentDate"])
    start = datetime.combine(day, time.fromisoformat(body["startTime"])) + delta
    body["appointmentDate"] = start.date().isoformat()
    body["startTime"] = start.strftime("%H:%M:%S")
    if "endTime" in body:
        end = datetime.combine(day, time.fromisoformat(body["endTime"])) + delta
        body["endTime"] = end.strftime("%H:%M:%S")
    return out


@settings(max_examples=scaled(0.5))
@given(scenario=st.from_type(brt.Scenario),
       delta=st.one_of(st.integers(-8, 8).map(lambda k: timedelta(minutes=15 * k)),
                       st.integers(-3, 3).map(lambda k: timedelta(days=k))))
def test_engine_agrees_with_reference_near_refusals(scenario: brt.Scenario,
                                                    delta: timedelta) -> None:
    """Around a refusal (the same request a few quarter-hours or days off) lie the
    boundaries: back to back, the last day of an offer, a gap of exactly min days..."""
    request = shifted(scenario.request, delta)
    expected = reference.phorest_codes(scenario.snapshot, request, online=scenario.online)
    event("still " + ("refused" if scenario.code in expected else "not refused"))
    assert engine_codes(scenario.snapshot, request, now=scenario.now,
                        online=scenario.online) == expected, scenario.about
