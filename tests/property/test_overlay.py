"""An overlay answers as a rebuilt snapshot: ``Snapshot.with_changes`` (appointments added,
changed and removed) against the same document reloaded with those changes, compared by
the byte-identical JSON of every check and by what each query returns."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import booking_rules as br
from booking_rules import testing as brt
from booking_rules.platforms.phorest import read_appointments

from .conftest import scaled

_EDITS = ("remove", "move", "restaff", "cancel", "delete")


@st.composite
def _changed(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """(document, the document with changes, ids upserted, ids removed)."""
    doc = draw(brt.snapshots())
    rows: list[dict[str, Any]] = list(doc.get("appointments") or [])
    staff = [s["staffId"] for s in doc["staff"]]
    changed = copy.deepcopy(doc)
    new_rows: list[dict[str, Any]] = []
    upserted: list[str] = []
    removed: list[str] = []
    for row in rows:
        edit = draw(st.sampled_from((None, None, *_EDITS)))
        row = copy.deepcopy(row)
        if edit == "remove":
            removed.append(row["appointmentId"])
            continue
        if edit == "move":  # another row's times: a real slot of the same salon
            other = draw(st.sampled_from(rows))
            row.update({k: other[k] for k in ("appointmentDate", "startTime", "endTime")})
        elif edit == "restaff":
            row["staffId"] = draw(st.sampled_from(staff))
        elif edit == "cancel":
            row["activationState"] = "CANCELED"
        elif edit == "delete":
            row["deleted"] = True
        if edit is not None:
            upserted.append(row["appointmentId"])
        new_rows.append(row)
    # New appointments: copies of existing ones under new ids, for the same client
    # elsewhere or another client at the same time.
    for i, row in enumerate(draw(st.lists(st.sampled_from(rows), max_size=3)) if rows else []):
        row = copy.deepcopy(row)
        row["appointmentId"] = f"ap_added_{i}"
        row["staffId"] = draw(st.sampled_from(staff))
        new_rows.append(row)
        upserted.append(row["appointmentId"])
    changed["appointments"] = new_rows
    return doc, changed, upserted, removed


@settings(max_examples=scaled(0.5))
@given(case=_changed(), data=st.data())
def test_an_overlay_checks_exactly_as_a_rebuilt_snapshot(
        case: tuple[dict[str, Any], dict[str, Any], list[str], list[str]],
        data: st.DataObject) -> None:
    doc, changed, upserted, removed = case
    base = br.load_snapshot(doc)
    rebuilt = br.load_snapshot(changed)
    overlay = base.with_changes([rebuilt.appointments[i] for i in upserted], removed)
    assert sorted(overlay.appointments) == sorted(rebuilt.appointments)
    for aid in rebuilt.appointments:
        assert overlay.appointments[aid] == rebuilt.appointments[aid]
    now = brt.now_for(doc)
    for _ in range(3):
        request = data.draw(brt.requests(changed))
        online = data.draw(st.booleans())
        want = br.check(rebuilt, request, now=now, online=online).to_json()
        assert br.check(overlay, request, now=now, online=online).to_json() == want
    # Every query, key by key, over the whole span of the salon.
    lo, hi = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    for staff in rebuilt.staff:
        assert overlay.staff_appointments(staff, lo, hi) == rebuilt.staff_appointments(
            staff, lo, hi)
    for client in {a.client_id for a in rebuilt.appointments.values() if a.client_id}:
        assert overlay.client_appointments(client, lo, hi) == rebuilt.client_appointments(
            client, lo, hi)
        for a in rebuilt.appointments.values():
            assert overlay.client_day(client, a.local_date) == rebuilt.client_day(
                client, a.local_date)
    for room in rebuilt.rooms:
        assert overlay.room_appointments(room, lo, hi) == rebuilt.room_appointments(
            room, lo, hi)
    for machine in rebuilt.machines:
        assert overlay.machine_appointments(machine, lo, hi) == (
            rebuilt.machine_appointments(machine, lo, hi))
    for offer in rebuilt.offers:
        assert overlay.offer_appointments(offer, lo, hi) == rebuilt.offer_appointments(
            offer, lo, hi)
    for course in {i.client_course_id for i in rebuilt.course_items.values()}:
        assert overlay.course_sessions(course) == rebuilt.course_sessions(course)


@settings(max_examples=scaled(0.3))
@given(case=_changed())
def test_overlays_compose(case: tuple[dict[str, Any], dict[str, Any], list[str], list[str]]
                          ) -> None:
    """Two overlays, one on the other, equal one overlay of both changes."""
    doc, changed, upserted, removed = case
    base = br.load_snapshot(doc)
    rebuilt = br.load_snapshot(changed)
    half = len(upserted) // 2
    first = base.with_changes([rebuilt.appointments[i] for i in upserted[:half]], removed)
    both = first.with_changes([rebuilt.appointments[i] for i in upserted[half:]])
    assert sorted(both.appointments) == sorted(rebuilt.appointments)
    lo, hi = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    for staff in rebuilt.staff:
        assert both.staff_appointments(staff, lo, hi) == rebuilt.staff_appointments(
            staff, lo, hi)
    assert not base.delta.upserts and not base.delta.removed  # the base is untouched


@settings(max_examples=scaled(0.3))
@given(case=_changed())
def test_phorest_rows_read_for_an_overlay_are_the_rows_a_reload_reads(
        case: tuple[dict[str, Any], dict[str, Any], list[str], list[str]]) -> None:
    """``read_appointments`` (what the sandbox and the sync give an overlay) reads rows as
    the snapshot read its own: same zone, same convention, same canonical appointment."""
    doc, changed, upserted, removed = case
    base = br.load_snapshot(doc)
    rebuilt = br.load_snapshot(changed)
    rows = [r for r in changed["appointments"] if r["appointmentId"] in set(upserted)]
    read = read_appointments(rows, base)
    assert read == [rebuilt.appointments[r["appointmentId"]] for r in rows]
    overlay = base.with_changes(read, removed)
    assert sorted(overlay.appointments) == sorted(rebuilt.appointments)
