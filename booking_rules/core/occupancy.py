"""Peak occupancy of a shared resource (a room, a machine, an offer) inside a span: what
the capacity rules report, and what the engine asks when it gives a request schedule
without a room (machine) one unit of the first listed with spare capacity (RULES.md §2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .model import Appointment, Break, Interval


def peak(intervals: Sequence[Interval], start: datetime, end: datetime
         ) -> tuple[int, datetime | None, list[int]]:
    """The most intervals open at once inside ``[start, end)``, the first instant of that
    peak, and the indices of the intervals open then.

    Intervals are clipped to ``[start, end)`` and half-open: one ending at t and one starting
    at t are never open together, and two that each touch the span but not each other peak
    at 1.
    """
    events: list[tuple[datetime, int, int]] = []
    for i, (s, e) in enumerate(intervals):
        s, e = max(s, start), min(e, end)
        if s < e:
            events.append((s, 1, i))
            events.append((e, -1, i))
    events.sort(key=lambda ev: (ev[0], ev[1]))  # ends (-1) before starts at the same instant
    active: set[int] = set()
    best, at, held = 0, None, []
    for when, delta, i in events:
        if delta < 0:
            active.discard(i)
            continue
        active.add(i)
        if len(active) > best:
            best, at, held = len(active), when, sorted(active)
    return best, at, held


def usage(appointments: Sequence[Appointment], breaks: Sequence[Break], units: int,
          start: datetime, end: datetime) -> tuple[int, datetime | None]:
    """Units of a room or machine in use at the peak inside ``[start, end)``, and when.

    Appointments hold one unit for their whole span; a break takes every unit.
    """
    intervals = [a.span for a in appointments]
    for b in breaks:
        intervals += [(b.start, b.end)] * max(units, 1)
    count, at, _ = peak(intervals, start, end)
    return count, at


def has_spare(appointments: Sequence[Appointment], breaks: Sequence[Break], units: int,
              start: datetime, end: datetime) -> bool:
    """Whether ``usage`` stays below ``units``, for appointments and breaks that each
    overlap ``[start, end)`` (as the snapshot's queries return them): decided by the
    count alone when it can. Fewer appointments than units and no break cannot reach
    them; with one unit, anything overlapping takes it (the peak is at least one)."""
    if not breaks and len(appointments) < units:
        return True
    if units <= 1:
        return False
    return usage(appointments, breaks, units, start, end)[0] < units
