"""Sorted interval indexes, built once per snapshot and searched with ``bisect``.

An ``IntervalIndex`` keeps its intervals sorted by start, in compact integer arrays
(microseconds since the epoch), with the longest interval it holds. An overlap query for
``[s, e)`` only looks at entries whose start lies in ``[s - longest, e)``, so its cost grows
with the number of neighbours, not with the history the snapshot holds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Generic, TypeVar

from ._time import to_micros

T = TypeVar("T")


class IntervalIndex(Generic[T]):
    __slots__ = ("_ends", "_items", "_longest", "_starts")

    def __init__(self, entries: Iterable[tuple[datetime, datetime, T]]) -> None:
        # Ties break on the item's id, so no report depends on the order of the input lists.
        rows = sorted(
            ((to_micros(s), to_micros(e), item) for s, e, item in entries),
            key=lambda row: (row[0], row[1], str(getattr(row[2], "id", ""))),
        )
        self._starts = array("q", (row[0] for row in rows))
        self._ends = array("q", (row[1] for row in rows))
        self._items: list[T] = [row[2] for row in rows]
        self._longest = max((e - s for s, e, _ in rows), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def overlapping(self, start: datetime, end: datetime) -> Iterator[T]:
        """Items whose interval overlaps half-open ``[start, end)``, in start order."""
        s, e = to_micros(start), to_micros(end)
        lo = bisect_left(self._starts, s - self._longest)
        hi = bisect_left(self._starts, e)
        ends, items = self._ends, self._items
        for i in range(lo, hi):
            if ends[i] > s:
                yield items[i]

    def containing(self, start: datetime, end: datetime) -> T | None:
        """For disjoint intervals: the one that holds all of ``[start, end)``, if any."""
        s, e = to_micros(start), to_micros(end)
        i = bisect_right(self._starts, s) - 1
        if i >= 0 and self._ends[i] >= e:
            return self._items[i]
        return None

    def before(self, instant: datetime) -> Iterator[T]:
        """Items starting before ``instant``, latest first."""
        i = bisect_left(self._starts, to_micros(instant))
        for j in range(i - 1, -1, -1):
            yield self._items[j]

    def from_(self, instant: datetime) -> Iterator[T]:
        """Items starting at or after ``instant``, earliest first."""
        i = bisect_left(self._starts, to_micros(instant))
        for j in range(i, len(self._items)):
            yield self._items[j]


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The union of ``intervals`` as sorted, disjoint intervals (touching ones joined)."""
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def subtract(
    base: list[tuple[datetime, datetime]], holes: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """Sorted disjoint ``base`` minus every interval of ``holes``, in one sweep."""
    cuts = merge(holes)
    out: list[tuple[datetime, datetime]] = []
    j = 0
    for s, e in base:
        while j < len(cuts) and cuts[j][1] <= s:
            j += 1
        k = j
        cur = s
        while k < len(cuts) and cuts[k][0] < e:
            hs, he = cuts[k]
            if hs > cur:
                out.append((cur, hs))
            cur = max(cur, he)
            k += 1
        if cur < e:
            out.append((cur, e))
    return out
