"""``occupancy.has_spare`` (the engine's question when it gives an earlier schedule of a
request a room or machine unit, RULES.md §2) answers what ``usage`` answers, for the
appointments and breaks a snapshot query returns: each overlapping the span."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking_rules.core import model as m
from booking_rules.core.occupancy import has_spare, usage

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
DAY = date(2026, 12, 1)
_SPAN = st.tuples(st.integers(0, 24), st.integers(1, 12))  # quarter hours: start, length


def _at(quarters: int) -> datetime:
    return T0 + timedelta(minutes=15 * quarters)


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] < end and start < span[0] + span[1]


@given(st.lists(_SPAN, max_size=6), st.lists(_SPAN, max_size=2), st.integers(0, 4), _SPAN)
def test_has_spare_is_usage_below_the_units(appts: list[tuple[int, int]],
                                            breaks: list[tuple[int, int]], units: int,
                                            span: tuple[int, int]) -> None:
    start, end = span[0], span[0] + span[1]
    held = [m.Appointment(f"a{i}", _at(s), _at(s + n), DAY) for i, (s, n) in
            enumerate(appts) if _overlaps((s, n), start, end)]
    off = [m.Break(f"b{i}", _at(s), _at(s + n), DAY) for i, (s, n) in enumerate(breaks)
           if _overlaps((s, n), start, end)]
    expected = usage(held, off, units, _at(start), _at(end))[0] < units
    assert has_spare(held, off, units, _at(start), _at(end)) is expected


def test_one_unit_taken_by_a_back_to_back_neighbour_is_still_spare() -> None:
    # Half-open: an appointment ending when the span starts does not overlap it, so a
    # query never returns it and the unit is free.
    assert has_spare([], [], 1, _at(4), _at(8))
    touching = m.Appointment("a", _at(0), _at(4), DAY)
    assert usage([touching], [], 1, _at(4), _at(8))[0] == 0
    inside = m.Appointment("b", _at(5), _at(6), DAY)
    assert not has_spare([inside], [], 1, _at(4), _at(8))
    assert has_spare([inside], [], 2, _at(4), _at(8))
