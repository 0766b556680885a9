"""The online policy rules: ONLINE_SHORT_NOTICE, ONLINE_OFF_SLOT_GRID, ONLINE_MIN_GAP.

They run whether or not the registry lists them (``with_online_rules``). Their docstring
examples run here too, honouring an example's ``"ruleOptions": {CODE: {option: value}}``
(ONLINE_MIN_GAP is off by default, so its failing example sets ``minutes = 15``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import booking_rules as br
from booking_rules.core.rule import REQUIRED_SECTIONS, examples
from booking_rules.platforms.phorest import TABLE
from booking_rules.rules import online_gap_too_small

from .._online_rules import ONLINE_RULES, with_online_rules
from ..conftest import NOW, all_codes, booking, minimal_doc, run, sched


@pytest.mark.parametrize("rule", ONLINE_RULES, ids=lambda r: TABLE.code_of(r))
def test_docstring_shape(rule: br.Rule) -> None:
    assert rule.doc.startswith(f"{TABLE.code_of(rule)}: ")
    sections = rule.sections()
    for heading in REQUIRED_SECTIONS:
        assert sections.get(heading, "").strip(), heading
    found = examples(rule)
    assert any(e.expect_fail and e.online for e in found)
    assert any(not e.expect_fail and e.online for e in found)
    assert rule.online_only and not TABLE.is_api(rule) and rule.severity == "error"


@pytest.mark.parametrize(("rule", "index"), [
    (r, i) for r in ONLINE_RULES for i in range(len(examples(r)))],
    ids=lambda v: TABLE.code_of(v) if isinstance(v, br.Rule) else str(v))
def test_docstring_examples(rule: br.Rule, index: int) -> None:
    example = examples(rule)[index]
    request = json.loads(example.source)
    rs = with_online_rules(**request.pop("ruleOptions", {}))
    report = run(request, now=NOW, online=example.online, ruleset=rs)
    if example.expect_fail:
        assert TABLE.code_of(rule) in all_codes(report), report.to_text()
        assert TABLE.code_of(rule) in report.codes  # at error severity
    else:
        assert TABLE.code_of(rule) not in all_codes(report), report.to_text()


def _codes(body: dict[str, Any], *, online: bool = True, now: datetime = NOW,
           doc: dict[str, Any] | None = None, **options: dict[str, Any]) -> set[str]:
    report = run(body, doc, now=now, online=online, ruleset=with_online_rules(**options))
    return set(report.codes)


def _cut(start: str, staff: str = "stf_lisa") -> dict[str, Any]:
    return booking(sched("svc_cut", staff, start))


# --- ONLINE_SHORT_NOTICE ----------------------------------------------------------------


def test_short_notice_boundary_is_inclusive() -> None:
    now = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 11:00 Toronto
    assert "ONLINE_SHORT_NOTICE" not in _codes(_cut("2026-12-01T17:00:00Z"), now=now)
    assert "ONLINE_SHORT_NOTICE" in _codes(_cut("2026-12-01T16:59:00Z"), now=now)


def test_short_notice_only_online_and_option() -> None:
    now = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    body = _cut("2026-12-01T16:30:00Z")
    assert "ONLINE_SHORT_NOTICE" not in _codes(body, now=now, online=False)
    assert "ONLINE_SHORT_NOTICE" in _codes(body, now=now)
    assert "ONLINE_SHORT_NOTICE" not in _codes(body, now=now,
                                               ONLINE_SHORT_NOTICE={"minutes": 30})
    assert "ONLINE_SHORT_NOTICE" in _codes(body, now=now, ONLINE_SHORT_NOTICE={"minutes": 31})
    assert "ONLINE_SHORT_NOTICE" not in _codes(body, now=now, ONLINE_SHORT_NOTICE={"minutes": 0})


def test_short_notice_evidence() -> None:
    now = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    report = run(_cut("2026-12-01T16:30:00Z"), now=now, online=True,
                 ruleset=with_online_rules())
    (v,) = [v for v in report.violations if v.code == "ONLINE_SHORT_NOTICE"]
    assert v.evidence["minutesAhead"] == 30
    assert v.evidence["noticeMinutes"] == 60
    assert v.evidence["earliestStart"] == "2026-12-01 12:00 EST (17:00Z)"
    assert v.location == "clientAppointmentSchedules[0].serviceSchedules[0].startTime"


def test_phorest_online_ruleset_turns_online_on() -> None:
    now = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    rs = with_online_rules("phorest-online")
    report = run(_cut("2026-12-01T16:30:00Z"), now=now, online=False, ruleset=rs)
    assert "ONLINE_SHORT_NOTICE" in report.codes


# --- ONLINE_OFF_SLOT_GRID --------------------------------------------------------------


@pytest.mark.parametrize(("start", "off"), [
    ("2026-12-01T16:15:00Z", False),  # 11:15
    ("2026-12-01T16:10:00Z", True),  # 11:10
    ("2026-12-01T16:15:30Z", True),  # seconds
    ("2026-12-01T16:00:00.500000Z", True),  # fractions
])
def test_slot_grid_15(start: str, off: bool) -> None:
    assert ("ONLINE_OFF_SLOT_GRID" in _codes(_cut(start))) is off


def test_slot_grid_interval_option_and_message() -> None:
    body = _cut("2026-12-01T16:15:00Z")  # 11:15 local
    opts = {"ONLINE_OFF_SLOT_GRID": {"interval_minutes": 30}}
    report = run(body, now=NOW, online=True, ruleset=with_online_rules(**opts))
    (v,) = [v for v in report.violations if v.code == "ONLINE_OFF_SLOT_GRID"]
    assert v.evidence["gridBefore"] == "11:00"
    assert v.evidence["gridAfter"] == "11:30"
    assert v.evidence["localTime"] == "11:15:00"
    assert "ONLINE_OFF_SLOT_GRID" not in _codes(_cut("2026-12-01T16:30:00Z"), **opts)


def test_slot_grid_is_local_wall_clock_in_a_half_hour_zone() -> None:
    # Adelaide is UTC+10:30 in December: a UTC quarter hour 00:00Z is 10:30 local (on the
    # 30-min grid), 00:15Z is 10:45 local (off it), 00:30Z is 11:00 local (on it).
    doc = minimal_doc(zone="Australia/Adelaide",
                      staff=[{"staffId": "s1"}], services=[{"serviceId": "v1", "duration": 30}])
    opts = {"ONLINE_OFF_SLOT_GRID": {"interval_minutes": 30}}

    def off(start: str) -> bool:
        return "ONLINE_OFF_SLOT_GRID" in _codes(
            booking(sched("v1", "s1", start)), doc=doc, **opts)

    assert not off("2026-12-02T00:00:00Z")
    assert off("2026-12-02T00:15:00Z")
    assert not off("2026-12-02T00:30:00Z")


def test_slot_grid_dst_fall_back_both_readings_are_on_the_grid() -> None:
    doc = minimal_doc(staff=[{"staffId": "s1"}], services=[{"serviceId": "v1", "duration": 30}])
    opts = {"ONLINE_OFF_SLOT_GRID": {"interval_minutes": 30}}
    # 2026-11-01: 01:30 EDT = 05:30Z, 01:30 EST = 06:30Z; 06:15Z is 01:15 EST.
    for start, off in (("2026-11-01T05:30:00Z", False), ("2026-11-01T06:30:00Z", False),
                       ("2026-11-01T06:15:00Z", True)):
        got = "ONLINE_OFF_SLOT_GRID" in _codes(booking(sched("v1", "s1", start)), doc=doc,
                                              now=datetime(2026, 10, 1, tzinfo=UTC), **opts)
        assert got is off, start


def test_slot_grid_checks_only_the_first_start_of_a_chain() -> None:
    # A cut at 13:30 local (on a 30-min grid), then a blow-dry at 14:15 (off it): the
    # second service follows the first and is not checked.
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T18:30:00Z"),
                   sched("svc_blowdry", "stf_john", "2026-12-01T19:15:00Z"))
    opts = {"ONLINE_OFF_SLOT_GRID": {"interval_minutes": 30}}
    report = run(body, now=NOW, online=True, ruleset=with_online_rules(**opts))
    grid = [v for v in report.violations if v.code == "ONLINE_OFF_SLOT_GRID"]
    assert grid == []
    off_first = booking(sched("svc_cut", "stf_lisa", "2026-12-01T18:45:00Z"),
                        sched("svc_blowdry", "stf_john", "2026-12-01T19:30:00Z"))
    report = run(off_first, now=NOW, online=True, ruleset=with_online_rules(**opts))
    grid = [v for v in report.violations if v.code == "ONLINE_OFF_SLOT_GRID"]
    assert [v.schedule for v in grid] == [0]


# --- ONLINE_MIN_GAP ---------------------------------------------------------------------

GAP15 = {"ONLINE_MIN_GAP": {"minutes": 15}}


@pytest.mark.parametrize(("start", "refused"), [
    ("2026-12-01T15:45:00Z", False),  # 10:45, straight after Mary's cut: no gap
    ("2026-12-01T15:50:00Z", True),  # 5 min after Mary's cut
    ("2026-12-01T15:59:00Z", True),  # 14 min after
    ("2026-12-01T16:00:00Z", False),  # 15 min after (it overlaps the 11:30 offer cut,
])                                    # which is STAFF_DOUBLE_BOOKED's, not a gap)
def test_min_gap_after_neighbour(start: str, refused: bool) -> None:
    got = _codes(_cut(start), **GAP15)
    assert ("ONLINE_MIN_GAP" in got) is refused


def test_min_gap_before_neighbour_and_evidence() -> None:
    # John has Bob's cut 11:00-11:45 local; a cut 10:05-10:50 leaves 10 min before it.
    report = run(_cut("2026-12-01T15:05:00Z", "stf_john"), now=NOW, online=True,
                 ruleset=with_online_rules(**GAP15))
    (v,) = [v for v in report.violations if v.code == "ONLINE_MIN_GAP"]
    assert v.evidence["gapMinutes"] == 10
    assert v.evidence["neighbour"]["appointmentId"] == "ap_bob_cut"
    assert "10 min gap before" in v.message


def test_min_gap_default_off_and_not_for_salon_bookings() -> None:
    assert "ONLINE_MIN_GAP" not in _codes(_cut("2026-12-01T15:50:00Z"))
    (fails,) = [e for e in examples(online_gap_too_small.RULE) if e.expect_fail]
    assert json.loads(fails.source)["ruleOptions"] == {"ONLINE_MIN_GAP": {"minutes": 15}}
    assert "ONLINE_MIN_GAP" not in _codes(_cut("2026-12-01T15:50:00Z"), online=False, **GAP15)


def test_min_gap_ignores_overlaps_and_counts_earlier_schedules() -> None:
    # Overlapping Mary's cut is STAFF_DOUBLE_BOOKED's, not a gap.
    got = _codes(_cut("2026-12-01T15:30:00Z"), **GAP15)
    assert "STAFF_DOUBLE_BOOKED" in got and "ONLINE_MIN_GAP" not in got
    # Two schedules of one request 5 min apart with the same staff member.
    body = booking(sched("svc_cut", "stf_lisa", "2026-12-01T18:30:00Z"),
                   sched("svc_blowdry", "stf_lisa", "2026-12-01T19:20:00Z"))
    report = run(body, now=NOW, online=True, ruleset=with_online_rules(**GAP15))
    gaps = [v for v in report.violations if v.code == "ONLINE_MIN_GAP"]
    assert [v.schedule for v in gaps] == [1]
    assert gaps[0].evidence["neighbour"]["requestLocation"] == (
        "clientAppointmentSchedules[0].serviceSchedules[0]")


def test_min_gap_counts_the_finish_block() -> None:
    # A colour with a 20-min processing gap and a 15-min finish: the finish block is the
    # staff member's too, so a neighbour 5 min after the finish is refused.
    doc = minimal_doc(
        staff=[{"staffId": "s1"}],
        services=[{"serviceId": "col", "duration": 30, "gapTime": 20, "finishDuration": 15},
                  {"serviceId": "cut", "duration": 30}],
        workTimeTables=[{"staffId": "s1", "timeSlots": [
            {"date": "2026-12-01", "startTime": "09:00:00", "endTime": "17:00:00",
             "type": "WORKING"}]}],
        appointments=[{"appointmentId": "a1", "appointmentDate": "2026-12-01",
                       "startTime": "10:10:00", "endTime": "10:40:00", "clientId": "c9",
                       "staffId": "s1", "serviceId": "cut"}])
    # col at 09:00: main 09:00-09:30, gap, finish 09:50-10:05: 5 min before a1 (10:10).
    got = _codes(booking(sched("col", "s1", "2026-12-01T14:00:00Z")), doc=doc, **GAP15)
    assert "ONLINE_MIN_GAP" in got
    # col at 09:05: finish 09:55-10:10, back to back with a1.
    got = _codes(booking(sched("col", "s1", "2026-12-01T14:05:00Z")), doc=doc, **GAP15)
    assert "ONLINE_MIN_GAP" not in got


def test_short_notice_for_a_start_before_now() -> None:
    later = NOW + timedelta(days=400)
    assert "ONLINE_SHORT_NOTICE" in _codes(_cut("2026-12-01T16:00:00Z"), now=later)
