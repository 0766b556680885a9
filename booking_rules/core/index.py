"""Sorted interval indexes, built once per snapshot and searched with ``bisect``.

An ``IntervalIndex`` keeps its intervals sorted by start, in compact integer arrays
(microseconds since the epoch), with the longest interval it holds. An overlap query for
``[s, e)`` only looks at entries whose start lies in ``[s - longest, e)``, so its cost grows
with the number of neighbours, not with the history the snapshot holds.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import eq, sub
from typing import Generic, TypeVar

from .._time import query_micros, to_micros

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
        return len(self._starts)

    def _item(self, i: int) -> T:
        return self._items[i]

    def overlapping(self, start: datetime, end: datetime) -> list[T]:
        """Items whose interval overlaps half-open ``[start, end)``, in start order.

        An empty interval (end equal to start) overlaps nothing, on either side (RULES.md
        §1: a zero-length row occupies no time, not even inside a span around it)."""
        s, e = query_micros(start), query_micros(end)
        if e <= s:
            return []
        starts = self._starts
        lo = bisect_left(starts, s - self._longest)
        hi = bisect_left(starts, e, lo)
        if lo == hi:
            return []
        ends, item = self._ends, self._item
        return [item(i) for i in range(lo, hi) if ends[i] > s and ends[i] > starts[i]]

    def starting(self, start: int, end: int) -> Iterator[T]:
        """Items whose start lies in ``[start, end)`` (epoch microseconds), in start order."""
        lo = bisect_left(self._starts, start)
        for i in range(lo, bisect_left(self._starts, end, lo)):
            yield self._item(i)

    def containing(self, start: datetime, end: datetime) -> T | None:
        """For disjoint intervals: the one that holds all of ``[start, end)``, if any."""
        s, e = query_micros(start), query_micros(end)
        i = bisect_right(self._starts, s) - 1
        if i >= 0 and self._ends[i] >= e:
            return self._item(i)
        return None

    def from_(self, instant: datetime) -> Iterator[T]:
        """Items starting at or after ``instant``, earliest first."""
        i = bisect_left(self._starts, query_micros(instant))
        for j in range(i, len(self._starts)):
            yield self._item(j)


class RowIndex(IntervalIndex[T]):
    """An ``IntervalIndex`` over table rows: it holds row numbers (4 bytes an entry) and
    asks ``get`` for the item of a row only when a query returns it."""


    __slots__ = ("_get", "_rows")

    def __init__(self, rows: list[int], starts: Sequence[int], ends: Sequence[int],
                 ids: Sequence[str], get: Callable[[int], T]) -> None:
        # ``rows`` come in start order; ties break on (end, id) as in IntervalIndex.
        ss = array("q", map(starts.__getitem__, rows))
        if any(map(eq, ss, ss[1:])):
            rows = sorted(rows, key=lambda r: (starts[r], ends[r], ids[r]))
            ss = array("q", map(starts.__getitem__, rows))
        self._starts = ss
        self._ends = array("q", map(ends.__getitem__, rows))
        self._rows = array("i", rows)
        self._longest = max(map(sub, self._ends, self._starts), default=0)
        self._get = get

    def _item(self, i: int) -> T:
        return self._get(self._rows[i])


class RowIndexes(Generic[T]):
    """A ``RowIndex`` per key (a staff member, a client, a room, ...), each built the first
    time its key is asked for: a history names thirty thousand clients, a session asks
    about a few. Until then a key holds its rows, in start order, in one 4-byte array."""

    __slots__ = ("_built", "_ends", "_get", "_ids", "_lock", "_rows", "_starts")

    def __init__(self, groups: Mapping[str | None, Sequence[int]], starts: Sequence[int],
                 ends: Sequence[int], ids: Sequence[str], get: Callable[[int], T]) -> None:
        # A group given as a 4-byte array already is kept as it is (not copied).
        self._rows = {key: rows if isinstance(rows, array) and rows.typecode == "i"
                      else array("i", rows) for key, rows in groups.items() if key}
        self._starts, self._ends, self._ids, self._get = starts, ends, ids, get
        self._built: dict[str, RowIndex[T]] = {}
        # The snapshot is shared by a server's threads: a key's index is built by one of
        # them and published whole (the others wait for it, then read it).
        self._lock = threading.Lock()

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def get(self, key: str) -> RowIndex[T] | None:
        index = self._built.get(key)
        if index is not None:
            return index
        rows = self._rows.get(key)
        if rows is None:
            return None
        with self._lock:
            index = self._built.get(key)
            if index is None:
                index = RowIndex(list(rows), self._starts, self._ends, self._ids, self._get)
                self._built[key] = index
        return index


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The union of ``intervals`` as sorted, disjoint intervals (touching ones joined);
    an empty interval adds nothing (RULES.md §1)."""
    out: list[tuple[datetime, datetime]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
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
