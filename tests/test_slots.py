"""Slot search (``booking_rules._slots``): sound and complete against ``check`` itself.

Soundness: every slot found, sent as the createBooking body it stands for, passes
``check``. Completeness: a brute force that checks every grid start of a window for every
qualified staff member (and every room/machine/staff combination, in the same stable
order) finds exactly the same slots. The example salon keeps every roster, break and
appointment on a quarter hour, so its 15-minute grid is every quarter hour of its free time;
the property test keeps everything on 5-minute marks and searches with a 5-minute step.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import booking_rules as br
from booking_rules import InputError, find_slots
from booking_rules._slots import (
    PLACEHOLDER_CLIENT,
    Slot,
    SlotSchedule,
    _request,
    slots_to_json,
    slots_to_phorest,
    slots_to_text,
)
from booking_rules.platforms.phorest import parse_request

from ._online_rules import with_online_rules
from .conftest import NOW, ROOT, booking, minimal_doc, run, salon_doc, sched

SALON = br.load_snapshot(salon_doc())
TORONTO = ZoneInfo("America/Toronto")


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_day(day: str, zone: ZoneInfo = TORONTO) -> tuple[datetime, datetime]:
    """The UTC bounds of one local calendar day."""
    d = date.fromisoformat(day)
    lo = datetime(d.year, d.month, d.day, tzinfo=zone).astimezone(UTC)
    n = d + timedelta(days=1)
    return lo, datetime(n.year, n.month, n.day, tzinfo=zone).astimezone(UTC)


def hhmm(slot: Slot, zone: ZoneInfo = TORONTO) -> str:
    return f"{slot.start.astimezone(zone):%H:%M}"


def starts_of(slots: list[Slot], staff: str, zone: ZoneInfo = TORONTO) -> list[str]:
    return [hhmm(s, zone) for s in slots if s.staff_id == staff]


def day_slots(services: list[str], day: str = "2026-12-01", **kw: Any) -> list[Slot]:
    lo, hi = local_day(day)
    kw.setdefault("now", NOW)
    return find_slots(kw.pop("snapshot", SALON), services, start=lo, end=hi, **kw)


# --- the brute force: every grid start, every staff member, every combination ---------------


def qualified(snap: br.Snapshot, service_id: str, online: bool) -> list[str]:
    service = snap.services[service_id]
    return sorted(
        s.id for s in snap.staff.values()
        if not s.archived and service_id not in s.disqualified_services
        and s.id not in service.disqualified_staff and not (online and s.hide_from_online))


def brute_force(snap: br.Snapshot, services: list[str], start: datetime, end: datetime, *,
                step: int = 15, staff_id: str | None = None, client: str | None = None,
                online: bool = False, ruleset: Any = "phorest", now: datetime = NOW,
                ) -> dict[tuple[datetime, str], tuple[tuple[Any, ...], ...]]:
    """(start, first staff) -> the first passing chain, trying combinations in the stable
    order: staff by id (or the requested one), rooms then machines in listed order."""

    def options(sid: str) -> list[tuple[str, str | None, str | None]]:
        svc = snap.services[sid]
        staff = [staff_id] if staff_id else qualified(snap, sid, online)
        return [(s, r, mc) for s in staff for r in (list(svc.room_ids) or [None])
                for mc in (list(svc.machine_ids) or [None])]

    def over(sid: str, staff: str, at: datetime) -> datetime:
        svc, person = snap.services[sid], snap.staff[staff]
        done = at + timedelta(minutes=svc.duration_for(person))
        if svc.finish_for(person):
            done += timedelta(minutes=svc.gap_time + svc.finish_for(person))
        return done

    found: dict[tuple[datetime, str], tuple[tuple[Any, ...], ...]] = {}
    at = start
    while at < end:
        for combo in itertools.product(*(options(s) for s in services)):
            first = combo[0][0]
            if (at, first) in found:
                continue
            chain, t = [], at
            for sid, (staff, room, machine) in zip(services, combo, strict=True):
                chain.append((sid, staff, t, room, machine))
                t = over(sid, staff, t)
            body = booking(*(sched(sid, staff, f"{t0:%Y-%m-%dT%H:%M:%SZ}",
                                   **({"roomId": r} if r else {}),
                                   **({"machineId": mc} if mc else {}))
                             for sid, staff, t0, r, mc in chain),
                           client=client or PLACEHOLDER_CLIENT)
            report = br.check(snap, body, now=now, online=online, ruleset=ruleset)
            if report.verdict == "PASS":
                found[(at, first)] = tuple(chain)
        at += timedelta(minutes=step)
    return found


def as_found(slots: list[Slot]) -> dict[tuple[datetime, str], tuple[tuple[Any, ...], ...]]:
    return {(s.start, s.staff_id): tuple((c.service_id, c.staff_id, c.start, c.room_id,
                                          c.machine_id) for c in s.schedules) for s in slots}


def assert_sound(snap: br.Snapshot, slots: list[Slot], *, client: str | None = None,
                 online: bool = False, ruleset: Any = "phorest", now: datetime = NOW) -> None:
    for slot in slots:
        report = br.check(snap, slot.booking(client), now=now, online=online, ruleset=ruleset)
        assert report.verdict == "PASS", report.to_text()


# --- the worked example (docs/slots.md) ---------------------------------------------------


def test_worked_example() -> None:
    slots = find_slots(SALON, ["svc_cut"], start=z("2026-12-01T14:00:00Z"),
                       end=z("2026-12-01T23:00:00Z"), now=NOW)
    assert len(slots) == 54
    assert starts_of(slots, "stf_ann") == ["10:00", "10:15", "10:30", "10:45", "11:00",
                                           "11:15"]
    assert starts_of(slots, "stf_lisa") == [
        "10:45", "12:15", "13:30", "13:45", "14:00", "14:15", "14:30", "14:45", "15:00",
        "15:15", "15:30", "15:45", "16:00", "16:15", "16:30", "16:45"]
    assert starts_of(slots, "stf_john") == [
        "09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "12:30", "12:45", "13:00",
        "13:15", "13:30", "13:45", "14:00", "14:15", "15:45", "16:00", "16:15"]
    # The window bounds the start: Raj's 17:45 (22:45Z) runs past 23:00Z.
    assert starts_of(slots, "stf_raj")[-1] == "17:45"
    assert slots[0].start == z("2026-12-01T14:00:00Z") and slots[0].staff_id == "stf_john"
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    assert_sound(SALON, slots)


def test_the_guide_shows_what_the_search_finds() -> None:
    guide = (ROOT / "docs" / "slots.md").read_text(encoding="utf-8")
    block = guide.split("<!-- slots-example", 1)[1].split("```text\n", 1)[1].split("```")[0]
    slots = find_slots(SALON, ["svc_cut"], start=z("2026-12-01T14:00:00Z"),
                       end=z("2026-12-01T23:00:00Z"), now=NOW)
    assert block == slots_to_text(slots, SALON), "docs/slots.md is stale"


# --- soundness -----------------------------------------------------------------------------


@pytest.mark.parametrize(("services", "staff", "day", "client"), [
    (["svc_cut"], None, "2026-12-01", None),
    (["svc_cut"], None, "2026-12-02", None),
    (["svc_colour"], None, "2026-11-16", None),
    (["svc_facial"], None, "2026-12-01", None),
    (["svc_laser"], None, "2026-12-01", None),
    (["svc_blowdry"], "stf_raj", "2026-12-02", None),
    (["svc_blowdry"], None, "2026-12-01", "cli_mary"),
    (["svc_cut", "svc_colour"], None, "2026-12-01", None),
    (["svc_cut", "svc_toner"], None, "2026-12-02", None),
    (["svc_facial", "svc_blowdry"], "stf_john", "2026-12-01", "cli_bob"),
])
def test_every_slot_passes_check(services: list[str], staff: str | None, day: str,
                                 client: str | None) -> None:
    slots = day_slots(services, day, staff_id=staff, client_id=client)
    assert slots
    if staff:
        assert {s.staff_id for s in slots} == {staff}
    assert_sound(SALON, slots, client=client)


def test_every_online_slot_passes_check_online() -> None:
    rs = with_online_rules()
    now = z("2026-12-01T14:00:00Z")
    slots = day_slots(["svc_cut"], online=True, ruleset=rs, now=now)
    assert slots
    assert_sound(SALON, slots, online=True, ruleset=rs, now=now)


# --- completeness: the brute force finds exactly the same slots ----------------------------


@pytest.mark.parametrize(("services", "client"), [
    (["svc_cut"], None),
    (["svc_facial"], None),
    (["svc_laser"], None),
    (["svc_blowdry"], None),
    (["svc_blowdry"], "cli_mary"),
    (["svc_cut", "svc_colour"], None),
    (["svc_cut", "svc_toner"], None),
])
def test_complete_for_a_day(services: list[str], client: str | None) -> None:
    lo, hi = local_day("2026-12-01")
    slots = find_slots(SALON, services, start=lo, end=hi, client_id=client, now=NOW)
    expected = brute_force(SALON, services, lo, hi, client=client)
    assert expected  # the day is not empty, so the comparison means something
    assert as_found(slots) == expected


def test_complete_online() -> None:
    rs = with_online_rules()
    now = z("2026-12-01T15:40:00Z")
    lo, hi = local_day("2026-12-01")
    slots = find_slots(SALON, ["svc_cut"], start=lo, end=hi, online=True, ruleset=rs, now=now)
    expected = brute_force(SALON, ["svc_cut"], lo, hi, online=True, ruleset=rs, now=now)
    assert as_found(slots) == expected
    assert "stf_raj" not in {s.staff_id for s in slots}  # hidden from online booking


# --- the property: small random salons, random windows -------------------------------------

DST_DAYS = {
    "America/Toronto": [("2026-10-31", "2026-11-01"), ("2027-03-13", "2027-03-14")],
    "Australia/Sydney": [("2026-10-03", "2026-10-04")],
}


def _clock(minutes: int) -> str:
    minutes %= 24 * 60  # a time past midnight is on the next day (an end before its start)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


@st.composite
def salons(draw: st.DrawFn) -> tuple[dict[str, Any], str, list[str], list[int]]:
    zone = draw(st.sampled_from(sorted(DST_DAYS)))
    days = list(draw(st.sampled_from(DST_DAYS[zone])))
    five = st.integers(0, 287).map(lambda k: k * 5)
    tables = []
    opens: list[int] = []  # when s1 starts work each day, in minutes after local midnight
    for staff in ("s1", "s2"):
        slots = []
        for day in days:
            if staff == "s2" and draw(st.booleans()):
                continue
            a = draw(st.integers(0, 192)) * 5  # 00:00-16:00
            b = a + draw(st.integers(12, 96)) * 5  # 1-8 hours
            if staff == "s1":
                opens.append(a)
            slot: dict[str, Any] = {"date": day, "startTime": _clock(a),
                                    "endTime": _clock(b), "type": "WORKING"}
            if b - a > 20 and draw(st.booleans()):
                off = draw(st.integers(a // 5 + 1, b // 5 - 2)) * 5
                slot["timeOffStartTime"] = _clock(off)
                slot["timeOffEndTime"] = _clock(off + 10)
            slots.append(slot)
        tables.append({"staffId": staff, "timeSlots": slots})
    breaks = [{"breakId": f"b{i}", "breakDate": draw(st.sampled_from(days)),
               "startTime": _clock(t), "endTime": _clock(t + 15),
               "staffId": draw(st.sampled_from(["s1", "s2"]))}
              for i, t in enumerate(draw(st.lists(st.integers(0, 280).map(lambda k: k * 5),
                                                  max_size=2)))]
    appointments = []
    for i in range(draw(st.integers(0, 6))):
        t = draw(five)
        length = draw(st.integers(1, 24)) * 5
        appointments.append({
            "appointmentId": f"a{i}", "appointmentDate": draw(st.sampled_from(days)),
            "startTime": _clock(t), "endTime": _clock((t + length) % 1440),
            "clientId": draw(st.sampled_from(["c1", "c2", "c2", "c2"])),
            "staffId": draw(st.sampled_from(["s1", "s2"])),
            "serviceId": draw(st.sampled_from(["v1", "v2"])),
            "roomId": draw(st.sampled_from([None, "r1", "r2"])),
            "activationState": draw(st.sampled_from(["ACTIVE", "ACTIVE", "RESERVED",
                                                     "CANCELED"])),
            "deleted": draw(st.booleans()) and draw(st.booleans())})
    v1: dict[str, Any] = {"serviceId": "v1", "duration": draw(st.integers(3, 12)) * 5}
    if draw(st.booleans()):
        v1["userDurations"] = [{"userRef": "u2", "duration": draw(st.integers(2, 12)) * 5}]
    if draw(st.booleans()):
        v1["gapTime"] = draw(st.integers(0, 4)) * 5
        v1["finishDuration"] = draw(st.integers(1, 4)) * 5
    v2 = {"serviceId": "v2", "duration": 30, "roomIds": ["r1", "r2"]}
    staff = [{"staffId": "s1", "userId": "u1"},
             {"staffId": "s2", "userId": "u2",
              "disqualifiedServices": draw(st.sampled_from([[], ["v2"]]))}]
    doc = minimal_doc(zone=zone, staff=staff, services=[v1, v2], workTimeTables=tables,
                      breaks=breaks, appointments=appointments,
                      rooms=[{"roomId": "r1", "capacity": 1}, {"roomId": "r2", "capacity": 1}])
    return doc, zone, days, opens


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(salon=salons(), service=st.sampled_from(["v1", "v2"]), client=st.sampled_from(
    [None, None, "c1"]), first=st.integers(-24, 48), length=st.integers(1, 120),
    day_index=st.integers(0, 1))
def test_property_sound_and_complete(salon: tuple[dict[str, Any], str, list[str], list[int]],
                                     service: str, client: str | None, first: int,
                                     length: int, day_index: int) -> None:
    doc, zone, days, opens = salon
    snap = br.load_snapshot(doc)
    lo, _ = local_day(days[day_index], ZoneInfo(zone))
    _, last = local_day(days[-1], ZoneInfo(zone))
    # The window starts near s1's first working time that day (up to 2 h before, 4 h after).
    start = max(lo, lo + timedelta(minutes=opens[day_index] + 5 * first))
    end = min(start + timedelta(minutes=5 * length), last)
    if start >= end:
        start = end - timedelta(minutes=5)
    now = z("2026-09-01T00:00:00Z")
    slots = find_slots(snap, [service], start=start, end=end, client_id=client,
                       step_minutes=5, now=now)
    event("slots found" if slots else "no slot")
    assert_sound(snap, slots, client=client, now=now)
    assert as_found(slots) == brute_force(snap, [service], start, end, step=5,
                                          client=client, now=now)


# --- DST: Toronto (both changes) and Sydney ------------------------------------------------


def _night_salon(zone: str, day: str, start: str = "00:00:00", end: str = "05:00:00",
                 **extra: Any) -> br.Snapshot:
    return br.load_snapshot(minimal_doc(
        zone=zone, staff=[{"staffId": "s1", "firstName": "Nia", "lastName": "Night"}],
        services=[{"serviceId": "v1", "name": "Treatment", "duration": 60}],
        workTimeTables=[{"staffId": "s1", "timeSlots": [
            {"date": day, "startTime": start, "endTime": end, "type": "WORKING"}]}],
        **extra))


EARLY = z("2026-09-01T00:00:00Z")


def test_dst_toronto_fall_back_offers_both_one_oclocks() -> None:
    snap = _night_salon("America/Toronto", "2026-11-01", end="04:00:00")  # 5 real hours
    lo, hi = local_day("2026-11-01")
    slots = find_slots(snap, ["v1"], start=lo, end=hi, now=EARLY)
    assert [s.start for s in slots] == [z("2026-11-01T04:00:00Z") + timedelta(minutes=15 * k)
                                        for k in range(17)]
    labels = [f"{s.start.astimezone(TORONTO):%H:%M %Z}" for s in slots]
    assert labels[:9] == ["00:00 EDT", "00:15 EDT", "00:30 EDT", "00:45 EDT", "01:00 EDT",
                          "01:15 EDT", "01:30 EDT", "01:45 EDT", "01:00 EST"]
    assert labels[-1] == "03:00 EST"
    text = slots_to_text(slots, snap)
    assert "Sun 2026-11-01 01:00-01:00 EDT (05:00Z-06:00Z)" in text
    assert "Sun 2026-11-01 01:00-02:00 EST (06:00Z-07:00Z)" in text
    assert_sound(snap, slots, now=EARLY)


def test_dst_toronto_fall_back_daytime_is_est() -> None:
    snap = _night_salon("America/Toronto", "2026-11-01", "09:00:00", "11:00:00")
    lo, hi = local_day("2026-11-01")
    slots = find_slots(snap, ["v1"], start=lo, end=hi, now=EARLY)
    assert [s.start for s in slots] == [z("2026-11-01T14:00:00Z"), z("2026-11-01T14:15:00Z"),
                                        z("2026-11-01T14:30:00Z"), z("2026-11-01T14:45:00Z"),
                                        z("2026-11-01T15:00:00Z")]


def test_dst_toronto_spring_forward_skips_the_missing_hour() -> None:
    snap = _night_salon("America/Toronto", "2027-03-14")  # 00:00-05:00 local: 4 real hours
    lo, hi = local_day("2027-03-14")
    slots = find_slots(snap, ["v1"], start=lo, end=hi, now=EARLY)
    assert [s.start for s in slots] == [z("2027-03-14T05:00:00Z") + timedelta(minutes=15 * k)
                                        for k in range(13)]
    assert [f"{s.start.astimezone(TORONTO):%H:%M %Z}" for s in slots] == [
        "00:00 EST", "00:15 EST", "00:30 EST", "00:45 EST", "01:00 EST", "01:15 EST",
        "01:30 EST", "01:45 EST", "03:00 EDT", "03:15 EDT", "03:30 EDT", "03:45 EDT",
        "04:00 EDT"]
    assert_sound(snap, slots, now=EARLY)


def test_dst_sydney_spring_forward() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    snap = br.load_snapshot(minimal_doc(
        zone="Australia/Sydney", staff=[{"staffId": "s1"}],
        services=[{"serviceId": "v1", "duration": 60}],
        workTimeTables=[{"staffId": "s1", "timeSlots": [
            {"date": "2026-10-03", "startTime": "09:00:00", "endTime": "10:30:00",
             "type": "WORKING"},
            {"date": "2026-10-04", "startTime": "00:00:00", "endTime": "05:00:00",
             "type": "WORKING"},
            {"date": "2026-10-04", "startTime": "09:00:00", "endTime": "10:30:00",
             "type": "WORKING"}]}]))
    lo, _ = local_day("2026-10-03", sydney)
    _, hi = local_day("2026-10-04", sydney)
    slots = find_slots(snap, ["v1"], start=lo, end=hi, now=EARLY)
    labels = [f"{s.start.astimezone(sydney):%d %H:%M %Z}" for s in slots]
    assert labels == [
        "03 09:00 AEST", "03 09:15 AEST", "03 09:30 AEST",
        "04 00:00 AEST", "04 00:15 AEST", "04 00:30 AEST", "04 00:45 AEST", "04 01:00 AEST",
        "04 01:15 AEST", "04 01:30 AEST", "04 01:45 AEST", "04 03:00 AEDT", "04 03:15 AEDT",
        "04 03:30 AEDT", "04 03:45 AEDT", "04 04:00 AEDT",
        "04 09:00 AEDT", "04 09:15 AEDT", "04 09:30 AEDT"]
    assert slots[0].start == z("2026-10-02T23:00:00Z")  # 09:00 AEST (+10)
    assert slots[3].start == z("2026-10-03T14:00:00Z")  # 00:00 AEST
    assert slots[11].start == z("2026-10-03T16:00:00Z")  # 03:00 AEDT, 15 min after 01:45
    assert slots[-3].start == z("2026-10-03T22:00:00Z")  # 09:00 AEDT (+11)
    assert_sound(snap, slots, now=EARLY)
    assert as_found(slots) == brute_force(snap, ["v1"], lo, hi, now=EARLY)


def test_dst_online_grid_is_wall_clock_from_midnight() -> None:
    rs = with_online_rules(ONLINE_OFF_SLOT_GRID={"interval_minutes": 30})
    fall = _night_salon("America/Toronto", "2026-11-01", end="04:00:00")
    lo, hi = local_day("2026-11-01")
    slots = find_slots(fall, ["v1"], start=lo, end=hi, online=True, ruleset=rs, now=EARLY)
    assert [f"{s.start.astimezone(TORONTO):%H:%M %Z}" for s in slots] == [
        "00:00 EDT", "00:30 EDT", "01:00 EDT", "01:30 EDT", "01:00 EST", "01:30 EST",
        "02:00 EST", "02:30 EST", "03:00 EST"]
    spring = _night_salon("America/Toronto", "2027-03-14")
    lo, hi = local_day("2027-03-14")
    slots = find_slots(spring, ["v1"], start=lo, end=hi, online=True, ruleset=rs, now=EARLY)
    assert [f"{s.start.astimezone(TORONTO):%H:%M %Z}" for s in slots] == [
        "00:00 EST", "00:30 EST", "01:00 EST", "01:30 EST", "03:00 EDT", "03:30 EDT",
        "04:00 EDT"]
    assert_sound(spring, slots, online=True, ruleset=rs, now=EARLY)


# --- the grid ------------------------------------------------------------------------------


def _odd_end_salon() -> br.Snapshot:
    """One staff member 09:00-12:00 with an appointment ending 10:50."""
    return _night_salon("America/Toronto", "2026-12-01", "09:00:00", "12:00:00",
                        appointments=[{"appointmentId": "a1", "appointmentDate": "2026-12-01",
                                       "startTime": "09:00:00", "endTime": "10:50:00",
                                       "clientId": "c1", "staffId": "s1",
                                       "serviceId": "v1"}])


def test_grid_starts_at_each_free_window() -> None:
    slots = day_slots(["v1"], snapshot=_odd_end_salon())
    assert starts_of(slots, "s1") == ["10:50"]  # 11:05 would run past 12:00
    slots = day_slots(["v1"], snapshot=_odd_end_salon(), step_minutes=5)
    assert starts_of(slots, "s1") == ["10:50", "10:55", "11:00"]


def test_online_grid_is_anchored_at_local_midnight() -> None:
    rs = with_online_rules()
    slots = day_slots(["v1"], snapshot=_odd_end_salon(), online=True, ruleset=rs)
    assert starts_of(slots, "s1") == ["11:00"]


def test_step_minutes() -> None:
    slots = day_slots(["svc_cut"], staff_id="stf_lisa", step_minutes=30)
    assert starts_of(slots, "stf_lisa") == ["10:45", "12:15", "13:30", "14:00", "14:30",
                                            "15:00", "15:30", "16:00", "16:30"]


# --- staff, rooms, chains, clients ---------------------------------------------------------


def test_requested_staff_only() -> None:
    slots = day_slots(["svc_cut"], staff_id="stf_ann")
    assert {s.staff_id for s in slots} == {"stf_ann"}
    assert starts_of(slots, "stf_ann") == ["10:00", "10:15", "10:30", "10:45",
                                           "11:00", "11:15"]


def test_unqualified_and_archived_staff_are_not_offered() -> None:
    colour = day_slots(["svc_colour"])
    assert {s.staff_id for s in colour} == {"stf_lisa", "stf_raj"}  # John and Ann may not
    cut = day_slots(["svc_cut"])
    assert {s.staff_id for s in cut} == {"stf_ann", "stf_john", "stf_lisa", "stf_raj"}


def test_rooms_are_tried_in_listed_order() -> None:
    slots = day_slots(["svc_facial"], staff_id="stf_john")
    rooms = {hhmm(s): s.room_id for s in slots}
    # room_a is taken 09:30-10:00 by Cara's laser, so the morning goes to room_b.
    assert [(k, v) for k, v in rooms.items() if k < "10:30"] == [
        ("09:00", "room_b"), ("09:15", "room_b"), ("09:30", "room_b"), ("09:45", "room_b"),
        ("10:00", "room_a")]
    assert all(s.schedules[0].room_id == s.room_id for s in slots)


def test_a_start_with_every_room_full_is_not_offered() -> None:
    doc = salon_doc()
    for i in range(2):  # fill room_b (capacity 2) 09:00-10:00 with Olga (archived)
        doc["appointments"].append({
            "appointmentId": f"ap_fill{i}", "version": 1, "appointmentDate": "2026-12-01",
            "startTime": "09:00:00", "endTime": "10:00:00", "clientId": f"cli_f{i}",
            "staffId": "stf_olga", "serviceId": "svc_facial", "activationState": "ACTIVE",
            "deleted": False, "roomId": "room_b"})
    snap = br.load_snapshot(doc)
    slots = day_slots(["svc_facial"], staff_id="stf_john", snapshot=snap)
    # 09:00-09:45 would need room_a (Cara's laser 09:30-10:00) or room_b (full).
    assert starts_of(slots, "stf_john")[:3] == ["10:00", "12:30", "12:45"]
    report = run(booking(sched("svc_facial", "stf_john", "2026-12-01T14:00:00Z",
                               roomId="room_b")), doc)
    assert "EXCEEDED_ROOM_CAPACITY" in report.codes


def test_laser_takes_room_and_machine() -> None:
    slots = day_slots(["svc_laser"], staff_id="stf_ann")
    assert [(hhmm(s), s.room_id, s.machine_id) for s in slots][:2] == [
        ("09:00", "room_a", "mach_laser"), ("10:00", "room_a", "mach_laser")]


def test_chain_of_two_services() -> None:
    slots = day_slots(["svc_cut", "svc_colour"])
    lisa = [s for s in slots if s.staff_id == "stf_lisa"]
    assert [hhmm(s) for s in lisa][:1] == ["12:15"]
    first = lisa[0]
    assert [(c.service_id, c.staff_id, c.start, c.end) for c in first.schedules] == [
        ("svc_cut", "stf_lisa", z("2026-12-01T17:15:00Z"), z("2026-12-01T18:00:00Z")),
        # Lisa's time off starts 13:00, so the colour goes to the next qualified by id.
        ("svc_colour", "stf_raj", z("2026-12-01T18:00:00Z"), z("2026-12-01T19:00:00Z"))]
    assert first.end == z("2026-12-01T19:00:00Z")
    # A later start keeps the colour with Lisa, the first qualified by id.
    at_1330 = next(s for s in lisa if hhmm(s) == "13:30")
    assert [c.staff_id for c in at_1330.schedules] == ["stf_lisa", "stf_lisa"]


def test_chain_is_checked_whole() -> None:
    # An add-on alone is refused (ADDON_ONLY_SERVICE_ALONE); after a cut it passes.
    assert day_slots(["svc_toner"]) == []
    chained = day_slots(["svc_cut", "svc_toner"], staff_id="stf_ann")
    assert [hhmm(s) for s in chained] == ["10:00", "10:15", "10:30", "10:45", "11:00"]
    assert all(len(s.schedules) == 2 for s in chained)


def test_requested_staff_serves_the_whole_chain() -> None:
    slots = day_slots(["svc_cut", "svc_blowdry"], staff_id="stf_lisa")
    assert {c.staff_id for s in slots for c in s.schedules} == {"stf_lisa"}
    assert [hhmm(s) for s in slots][:3] == ["13:30", "13:45", "14:00"]  # 75 min in a row


def test_client_own_bookings_count() -> None:
    # Mary has a cut with Lisa 10:00-10:45: she cannot have another cut that day, and a
    # blow-dry with John may not overlap her cut.
    assert day_slots(["svc_cut"], client_id="cli_mary") == []
    john = starts_of(day_slots(["svc_blowdry"], client_id="cli_mary", staff_id="stf_john"),
                     "stf_john")
    # John is free 09:00-11:00; Mary is busy 10:00-10:45, so 09:45-10:30 are refused.
    assert john[:6] == ["09:00", "09:15", "09:30", "12:30", "12:45", "13:00"]


def test_unknown_is_not_a_pass() -> None:
    # The service names a room but the snapshot holds no rooms at all: UNKNOWN_ID answers
    # UNKNOWN, never a silent pass, so no slot is offered.
    doc = minimal_doc(staff=[{"staffId": "s1"}],
                      services=[{"serviceId": "v1", "duration": 30, "roomIds": ["r9"]}],
                      workTimeTables=[{"staffId": "s1", "timeSlots": [
                          {"date": "2026-12-01", "startTime": "09:00:00",
                           "endTime": "10:00:00", "type": "WORKING"}]}])
    snap = br.load_snapshot(doc)
    assert day_slots(["v1"], snapshot=snap) == []
    report = run(booking(sched("v1", "s1", "2026-12-01T14:00:00Z", roomId="r9")), doc)
    assert report.verdict == "UNKNOWN"


# --- online -----------------------------------------------------------------------------


def test_online_short_notice() -> None:
    now = z("2026-12-01T15:40:00Z")  # 10:40 Toronto: online, nothing before 11:40
    rs = with_online_rules()
    salon = starts_of(day_slots(["svc_cut"], staff_id="stf_lisa", now=now), "stf_lisa")
    online = starts_of(day_slots(["svc_cut"], staff_id="stf_lisa", now=now, online=True,
                                 ruleset=rs), "stf_lisa")
    assert salon[:2] == ["10:45", "12:15"]
    assert online[:2] == ["12:15", "13:30"]
    assert salon[1:] == online


def test_online_hides_hidden_staff_unless_requested() -> None:
    rs = with_online_rules()
    assert "stf_raj" not in {s.staff_id for s in day_slots(["svc_cut"], online=True,
                                                            ruleset=rs)}


def test_max_slots_per_day_trims_after_verification() -> None:
    lo, _ = local_day("2026-12-01")
    _, hi = local_day("2026-12-02")
    full = find_slots(SALON, ["svc_cut"], start=lo, end=hi, now=NOW)
    trimmed = find_slots(SALON, ["svc_cut"], start=lo, end=hi, now=NOW, max_slots_per_day=2)
    by_day = [(f"{s.start.astimezone(TORONTO):%d %H:%M}", s.staff_id) for s in trimmed]
    assert by_day == [("01 09:00", "stf_john"), ("01 09:15", "stf_john"),
                      ("02 09:00", "stf_ann"), ("02 09:00", "stf_john"),
                      ("02 09:15", "stf_ann"), ("02 09:15", "stf_john")]
    assert set(trimmed) <= set(full)


# --- formats --------------------------------------------------------------------------------


def test_json_format() -> None:
    slots = day_slots(["svc_facial"], staff_id="stf_john")
    assert slots_to_json(slots)[0] == {"startTime": "2026-12-01T14:00:00Z",
                                       "endTime": "2026-12-01T15:00:00Z",
                                       "staffId": "stf_john", "roomId": "room_b"}
    chain = day_slots(["svc_cut", "svc_colour"], staff_id="stf_lisa")
    assert slots_to_json(chain)[0] == {
        "startTime": "2026-12-01T18:30:00Z", "endTime": "2026-12-01T20:15:00Z",
        "staffId": "stf_lisa",
        "schedules": [
            {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T18:30:00Z",
             "endTime": "2026-12-01T19:15:00Z"},
            {"serviceId": "svc_colour", "staffId": "stf_lisa",
             "startTime": "2026-12-01T19:15:00Z", "endTime": "2026-12-01T20:15:00Z"}]}
    rows = slots_to_json(day_slots(["svc_cut"]))
    assert rows == sorted(rows, key=lambda r: (r["startTime"], r["staffId"]))


def test_phorest_format() -> None:
    slots = day_slots(["svc_laser"], staff_id="stf_ann")[:1]
    assert slots_to_phorest(slots, "cli_new") == {"data": [{
        "startTime": "2026-12-01T14:00:00Z",
        "clientSchedules": [{"clientId": "cli_new", "serviceSchedules": [{
            "serviceId": "svc_laser", "staffId": "stf_ann",
            "startTime": "2026-12-01T14:00:00Z", "endTime": "2026-12-01T14:30:00Z",
            "roomId": "room_a", "machineId": "mach_laser", "staffRequest": False,
            "alternativeStaffMember": False}]}]}], "links": []}
    assert slots_to_phorest([], None) == {"data": [], "links": []}


def test_text_format() -> None:
    slots = day_slots(["svc_facial"], staff_id="stf_ann")
    assert slots_to_text(slots[:2], SALON) == (
        "2 slots at Queen St (America/Toronto), local times:\n"
        "Ann Kowalski (stf_ann)\n"
        "  Tue 2026-12-01 10:00-11:00 EST (15:00Z-16:00Z)  room Treatment 1 (room_a)\n"
        "  Tue 2026-12-01 10:15-11:15 EST (15:15Z-16:15Z)  room Treatment 1 (room_a)\n")
    chain = day_slots(["svc_cut", "svc_colour"], staff_id="stf_lisa")[:1]
    assert slots_to_text(chain, SALON).splitlines()[2] == (
        "  Tue 2026-12-01 13:30-15:15 EST (18:30Z-20:15Z)  Cut & Blow-dry with Lisa Moreau "
        "13:30-14:15; then Full Head Colour with Lisa Moreau 14:15-15:15")
    assert slots_to_text([], SALON) == "no times pass\n"


def test_booking_body_round_trip() -> None:
    (slot,) = day_slots(["svc_facial"], staff_id="stf_john")[:1]
    assert slot.booking("cli_new") == booking(
        sched("svc_facial", "stf_john", "2026-12-01T14:00:00Z", roomId="room_b"))
    assert slot.booking()["clientId"] == PLACEHOLDER_CLIENT


# --- empty and bad input -------------------------------------------------------------------


def test_a_day_without_work_is_empty_not_an_error() -> None:
    assert day_slots(["svc_cut"], "2026-12-06") == []  # a Sunday: nobody is rostered


def _bad(**kw: Any) -> InputError:
    args: dict[str, Any] = {"start": z("2026-12-01T14:00:00Z"),
                            "end": z("2026-12-01T23:00:00Z"), "now": NOW}
    services = kw.pop("services", ["svc_cut"])
    snap = kw.pop("snapshot", SALON)
    args.update(kw)
    with pytest.raises(InputError) as info:
        find_slots(snap, services, **args)
    return info.value


def test_bad_service_ids() -> None:
    e = _bad(services=["svc_cutt"])
    assert (e.source, e.path, e.got) == ("slots", "service_ids[0]", "svc_cutt")
    assert "svc_cut" in e.expected
    assert _bad(services=["svc_cut", "nope"]).path == "service_ids[1]"
    assert _bad(services=[]).path == "service_ids"


def test_bad_staff_id() -> None:
    e = _bad(staff_id="stf_lsa")
    assert (e.path, e.got) == ("staff_id", "stf_lsa")
    assert "stf_lisa" in e.expected


@pytest.mark.parametrize(("start", "end"), [
    ("2026-12-01T14:00:00Z", "2026-12-01T14:00:00Z"),
    ("2026-12-01T15:00:00Z", "2026-12-01T14:00:00Z"),
])
def test_empty_or_reversed_window(start: str, end: str) -> None:
    e = _bad(start=z(start), end=z(end))
    assert e.path == "end"
    assert "an end after the start 2026-12-01T" in str(e)


def test_window_longer_than_31_days() -> None:
    e = _bad(start=z("2026-11-02T05:00:00Z"), end=z("2026-12-03T05:01:00Z"))
    assert e.path == "end" and "at most 31 days" in e.expected
    exactly = find_slots(SALON, ["svc_cut"], start=z("2026-11-02T05:00:00Z"),
                         end=z("2026-12-03T05:00:00Z"), now=NOW)
    assert len({s.start.astimezone(TORONTO).date() for s in exactly}) == 23  # weekdays


# A window partly outside what the snapshot holds is answered for the part it holds, and
# the rest is named with the reason and its fix (issue 13 item 6): never refused whole.


@pytest.mark.parametrize(("start", "end", "searched", "left_out"), [
    ("2027-02-01T14:00:00Z", "2027-02-01T23:00:00Z", None,  # after the rosters
     [("2027-02-01", "2027-02-01")]),
    ("2027-01-29T14:00:00Z", "2027-01-30T14:00:00Z", ("2027-01-29", "2027-01-29"),
     [("2027-01-30", "2027-01-30")]),  # partly after
    ("2026-10-30T14:00:00Z", "2026-11-02T23:00:00Z", ("2026-11-02", "2026-11-02"),
     [("2026-10-30", "2026-11-01")]),  # partly before
])
def test_window_outside_the_rosters_is_answered_for_the_part_inside(
        start: str, end: str, searched: tuple[str, str] | None,
        left_out: list[tuple[str, str]]) -> None:
    found = find_slots(SALON, ["svc_cut"], start=z(start), end=z(end), now=NOW)
    assert [(str(u.first), str(u.last)) for u in found.undecided] == left_out
    assert not found.complete
    for u in found.undecided:
        assert "2026-11-02 to 2027-01-29" in u.reason and u.codes == ("STAFF_NOT_WORKING",)
        assert "workTimeTables" in u.fix
    if searched is None:
        assert found == [] and found.searched is None
    else:
        assert found.searched is not None
        assert tuple(str(d) for d in found.searched) == searched
        days = {str(s.start.astimezone(TORONTO).date()) for s in found}
        assert days <= {searched[0]}
        # The part inside is answered exactly as a window of that part alone.
        lo, hi = SALON.day_bounds(found.searched[0])
        alone = find_slots(SALON, ["svc_cut"], start=max(z(start), lo), end=min(z(end), hi),
                           now=NOW)
        assert list(found) == list(alone) and alone.complete
        assert_sound(SALON, found)


def test_window_outside_declared_coverage() -> None:
    doc = salon_doc()
    doc["coverage"] = {"from": "2026-12-01", "to": "2026-12-01",
                       "fetchedAt": "2026-11-01T11:00:00Z"}
    snap = br.load_snapshot(doc)
    inside = find_slots(snap, ["svc_cut"], start=z("2026-12-01T14:00:00Z"),
                        end=z("2026-12-01T23:00:00Z"), now=NOW)
    assert len(inside) == 54 and inside.complete
    outside = find_slots(snap, ["svc_cut"], start=z("2026-12-02T14:00:00Z"),
                         end=z("2026-12-02T23:00:00Z"), now=NOW)
    assert outside == [] and len(outside.undecided) == 1
    gap = outside.undecided[0]
    # The reason check gives for such a day, with the coverage in local dates as given.
    assert "does not cover 2026-12-02 (coverage 2026-12-01 to 2026-12-01 " \
        "(America/Toronto))" in gap.reason
    assert "STAFF_DOUBLE_BOOKED" in gap.codes and "coverage" in gap.fix
    body = {"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
        {"serviceId": "svc_cut", "staffId": "stf_lisa",
         "startTime": "2026-12-02T15:00:00Z"}]}]}
    report = br.check(snap, body, now=NOW)
    assert report.verdict == "UNKNOWN"
    assert {v.code for v in report.unknowns} <= set(gap.codes)


def test_no_rosters_and_no_coverage() -> None:
    snap = br.load_snapshot(minimal_doc(staff=[{"staffId": "s1"}],
                                        services=[{"serviceId": "v1", "duration": 30}]))
    found = find_slots(snap, ["v1"], start=z("2026-12-01T14:00:00Z"),
                       end=z("2026-12-01T23:00:00Z"), now=NOW)
    assert found == [] and "no rosters" in found.undecided[0].reason


def test_bad_datetimes_and_numbers() -> None:
    assert _bad(start=datetime(2026, 12, 1, 14)).path == "start"
    assert _bad(step_minutes=0).path == "step_minutes"
    assert _bad(max_slots_per_day=0).path == "max_slots_per_day"
    assert _bad(now=datetime(2026, 11, 1)).path == "now"
    assert _bad(now="2026-11-01T12:00:00Z").path == "now"


# --- pruning follows the ruleset -----------------------------------------------------------


def test_pruning_only_by_rules_in_force() -> None:
    base = br.load_ruleset("phorest")
    no_double = dataclasses.replace(
        base, rules=tuple(r for r in base.rules if r.name != "staff_double_booked"))
    lisa = starts_of(day_slots(["svc_cut"], staff_id="stf_lisa", ruleset=no_double),
                     "stf_lisa")
    # Without STAFF_DOUBLE_BOOKED her appointments do not refuse anything: her whole
    # working time is offered (anchored at 09:00 and 13:30).
    assert lisa == [f"{h:02d}:{m:02d}" for h in range(9, 13) for m in (0, 15, 30, 45)
                    if (h, m) <= (12, 15)] + [
        f"{h:02d}:{m:02d}" for h in range(13, 17) for m in (0, 15, 30, 45)
        if (13, 30) <= (h, m) <= (16, 45)]
    soft_roster = dataclasses.replace(base, severities={**base.severities,
                                                        "staff_not_working": "warning"})
    early = find_slots(SALON, ["svc_cut"], staff_id="stf_lisa", start=z("2026-12-01T12:00:00Z"),
                       end=z("2026-12-01T14:00:00Z"), now=NOW, ruleset=soft_roster)
    # With STAFF_NOT_WORKING a warning, 07:00-08:15 local pass (before her roster).
    assert starts_of(early, "stf_lisa") == ["07:00", "07:15", "07:30", "07:45", "08:00",
                                            "08:15"]
    assert_sound(SALON, early, ruleset=soft_roster)


# --- the request the search checks ---------------------------------------------------------


@pytest.mark.parametrize(("services", "client"), [
    (["svc_cut"], None), (["svc_facial"], None), (["svc_laser"], "cli_mary"),
    (["svc_cut", "svc_colour"], None), (["svc_facial", "svc_blowdry"], "cli_bob")])
def test_the_search_checks_the_request_the_slot_books(services: list[str],
                                                      client: str | None) -> None:
    """The search builds its canonical requests directly, not by reading a body per
    candidate: each is the one ``check`` reads from the body ``Slot.booking`` writes (but
    ``raw``, the body itself, which rules read for updates only)."""
    slots = day_slots(services, client_id=client)
    assert slots
    for slot in slots:
        parsed = parse_request(slot.booking(client), SALON, kind="createBooking")
        built = _request(client or PLACEHOLDER_CLIENT, list(slot.schedules))
        assert built == dataclasses.replace(parsed, raw={})


def test_a_start_off_whole_seconds_is_checked_as_the_body_sends_it() -> None:
    at = z("2026-12-01T15:00:07.250000Z")
    chain = [SlotSchedule("svc_cut", "stf_lisa", at, at + timedelta(minutes=45))]
    slot = Slot(at, chain[0].end, "stf_lisa", None, None, tuple(chain))
    parsed = parse_request(slot.booking(), SALON, kind="createBooking")
    assert _request(PLACEHOLDER_CLIENT, chain) == dataclasses.replace(parsed, raw={})
    assert parsed.schedules[0].start == z("2026-12-01T15:00:07Z")
