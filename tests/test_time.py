"""The DST contract of the one time module, in both hemispheres (dateutil's TzFoldMixin
idea): every zone-dependent conversion goes through these functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking_rules._time import (
    format_span,
    local_date,
    local_span,
    parse_instant,
    parse_local_time,
    wall_to_utc,
)

TORONTO = ZoneInfo("America/Toronto")
SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")

# (zone, spring-forward date, a wall time in its gap, fall-back date, a wall time in its fold)
DST = [
    (TORONTO, date(2027, 3, 14), time(2, 30), date(2026, 11, 1), time(1, 30)),
    (SYDNEY, date(2026, 10, 4), time(2, 30), date(2026, 4, 5), time(2, 30)),
    (LONDON, date(2027, 3, 28), time(1, 30), date(2026, 10, 25), time(1, 30)),
]


@pytest.mark.parametrize(("zone", "spring", "gap", "fall", "fold"), DST)
def test_gap_time_moves_forward_by_the_gap(zone, spring, gap, fall, fold) -> None:
    r = wall_to_utc(spring, gap, zone)
    assert r.shifted == timedelta(hours=1)
    local = r.instant.astimezone(zone)
    assert (local.hour, local.minute) == (gap.hour + 1, gap.minute)
    assert not r.ambiguous


@pytest.mark.parametrize(("zone", "spring", "gap", "fall", "fold"), DST)
def test_fold_time_takes_the_first_occurrence(zone, spring, gap, fall, fold) -> None:
    r = wall_to_utc(fall, fold, zone)
    assert r.ambiguous and r.shifted == timedelta(0)
    first = datetime.combine(fall, fold, zone).replace(fold=0).astimezone(UTC)
    second = datetime.combine(fall, fold, zone).replace(fold=1).astimezone(UTC)
    assert r.instant == first and second - first == timedelta(hours=1)


@pytest.mark.parametrize(("zone", "spring", "gap", "fall", "fold"), DST)
def test_a_working_day_on_a_dst_day_has_its_true_length(zone, spring, gap, fall, fold
                                                        ) -> None:
    # 00:00 to 12:00 local holds the transition: 11 hours in spring, 13 in autumn.
    s, e = local_span(spring, time(0), time(12), zone)
    assert e.instant - s.instant == timedelta(hours=11)
    s, e = local_span(fall, time(0), time(12), zone)
    assert e.instant - s.instant == timedelta(hours=13)


def test_an_end_before_its_start_ends_the_next_day() -> None:
    s, e = local_span(date(2026, 12, 1), time(22), time(1), TORONTO)
    assert e.instant - s.instant == timedelta(hours=3)


@pytest.mark.parametrize(("zone", "day"), [
    (TORONTO, date(2026, 12, 1)), (TORONTO, date(2026, 3, 8)), (TORONTO, date(2026, 11, 1)),
    (SYDNEY, date(2026, 10, 4)), (SYDNEY, date(2026, 4, 5))])
def test_an_end_equal_to_its_start_is_empty(zone: ZoneInfo, day: date) -> None:
    # RULES.md §1 (round 2): zero-length, not 24 hours (it used to block a whole day),
    # on DST days of both hemispheres too.
    s, e = local_span(day, time(9), time(9), zone)
    assert e.instant == s.instant


@pytest.mark.parametrize(("zone", "day", "start", "end"), [
    (TORONTO, date(2026, 3, 8), time(2, 30), time(3)),  # 02:30 moves to 03:00: onto its end
    (TORONTO, date(2026, 3, 8), time(2, 30), time(2, 45)),  # both in the gap: both move
    (SYDNEY, date(2026, 10, 4), time(2, 15), time(3)),
])
def test_a_start_moved_over_the_gap_onto_its_end_is_empty(zone: ZoneInfo, day: date,
                                                          start: time, end: time) -> None:
    s, e = local_span(day, start, end, zone)
    assert s.shifted and e.instant >= s.instant
    if end == time(3):
        assert e.instant == s.instant


def test_local_date_is_not_the_utc_date() -> None:
    late = datetime(2027, 1, 1, 4, 30, tzinfo=UTC)  # 23:30 on 31 Dec in Toronto
    assert local_date(late, TORONTO) == date(2026, 12, 31)
    early = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 01:00 on 1 Dec in Sydney
    assert local_date(early, SYDNEY) == date(2026, 12, 1)


def test_write_instants() -> None:
    assert parse_instant("2026-12-01T15:00:00Z") == (datetime(2026, 12, 1, 15, tzinfo=UTC),
                                                     False)
    assert parse_instant("2026-12-01T10:00:00-05:00")[0] == datetime(2026, 12, 1, 15,
                                                                     tzinfo=UTC)
    assert parse_instant("2026-12-01T15:00:00") == (datetime(2026, 12, 1, 15, tzinfo=UTC),
                                                    True)
    with pytest.raises(ValueError):
        parse_instant("1 Dec 2026 3pm")


@pytest.mark.parametrize(("text", "expected"), [
    ("10:00", time(10)), ("10:00:30", time(10, 0, 30)), ("10:00:00.250", time(10, 0, 0, 250000)),
])
def test_local_times(text: str, expected: time) -> None:
    assert parse_local_time(text) == expected


@pytest.mark.parametrize("text", ["25:00:00", "10", "10:00:00Z", "", "10:60:00"])
def test_bad_local_times(text: str) -> None:
    with pytest.raises(ValueError):
        parse_local_time(text)


def test_spans_are_shown_in_local_time_and_utc() -> None:
    s = datetime(2026, 12, 1, 15, tzinfo=UTC)
    assert format_span(s, s + timedelta(minutes=45), TORONTO) == (
        "2026-12-01 10:00-10:45 EST (15:00Z-15:45Z)")


def test_query_instants_are_remembered_exactly_and_within_bounds() -> None:
    from booking_rules import _time

    instant = datetime(2026, 10, 4, 2, 30, tzinfo=UTC)
    # The same instant in another zone is the same key and the same microseconds.
    assert _time.query_micros(instant.astimezone(SYDNEY)) == _time.to_micros(instant)
    assert _time.query_micros(instant) == _time.to_micros(instant)
    for k in range(10_000):  # a long-running server asks about ever new instants
        at = instant + timedelta(microseconds=k)
        assert _time.query_micros(at) == _time.to_micros(at)
    assert len(_time._QUERY_MICROS) <= 4096
