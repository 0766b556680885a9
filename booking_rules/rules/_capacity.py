"""Peak occupancy of a shared resource (a room, a machine) inside a span."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .._model import Interval


def peak(intervals: Sequence[Interval], start: datetime, end: datetime
         ) -> tuple[int, datetime | None]:
    """The most intervals open at once inside ``[start, end)``, and the first instant of it.

    Half-open: an interval ending at t and one starting at t are never open together.
    """
    events: list[tuple[datetime, int]] = []
    for s, e in intervals:
        s, e = max(s, start), min(e, end)
        if s < e:
            events.append((s, 1))
            events.append((e, -1))
    events.sort(key=lambda ev: (ev[0], ev[1]))  # ends (-1) before starts at the same instant
    best, at, open_now = 0, None, 0
    for when, delta in events:
        open_now += delta
        if open_now > best:
            best, at = open_now, when
    return best, at
