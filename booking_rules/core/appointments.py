"""Every appointment row of a snapshot, column by column.

A chain's history holds a million rows. One Python object per row (an ``Appointment`` with
its two datetimes and its date) costs about 2 KB and seconds to build, for rows almost no
check ever reads. The table keeps each field as one column instead: integers in arrays,
repeated ids (staff, client, service, ...) stored once and shared, flags in bytes. Wall
clock is read to UTC a local day at a time (``_time.LocalDays``), and the snapshot builds
an :class:`~.model.Appointment` only for a row a query returns.

The table holds the rows as the document gave them (wall date, wall times of day), so one
table serves both appointment-time conventions.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, time, timedelta, tzinfo
from itertools import compress, repeat
from operator import add, gt, is_not
from typing import cast

from .._time import LocalDays, local_span, to_micros
from . import model as m


class Columns:
    """The rows of an appointment list, one list per field, before they are packed."""

    __slots__ = ("client", "course_item", "day", "deleted", "end", "ids", "machine",
                 "offer", "room", "service", "source", "staff", "staff_request", "start",
                 "state", "version")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.day: list[int] = []  # proleptic ordinal of the wall date
        self.start: list[int] = []  # wall time of day, microseconds
        self.end: list[int] = []
        self.version: list[int | None] = []
        self.client: list[str | None] = []
        self.staff: list[str | None] = []
        self.service: list[str | None] = []
        self.state: list[str] = []
        self.deleted: list[bool] = []
        self.staff_request: list[bool] = []
        self.source: list[str | None] = []
        self.room: list[str | None] = []
        self.machine: list[str | None] = []
        self.offer: list[str | None] = []
        self.course_item: list[str | None] = []

    def extend(self, more: Columns, pool: dict[str | None, str | None]) -> None:
        """Append ``more``'s rows, their repeated ids replaced by the ``pool``'s copy as
        they come (a batch's own strings are then freed with the batch)."""
        for name in self.__slots__:
            column = getattr(more, name)
            if name in _SHARED:
                column = _shared(column, pool)
            getattr(self, name).extend(column)


_SHARED = frozenset({"client", "staff", "service", "state", "source"})


def _shared(column: Sequence[str | None], pool: dict[str | None, str | None]
            ) -> list[str | None]:
    # One string object per distinct id: a million rows name fifty staff members.
    return list(map(pool.setdefault, column, column))


def _sparse(column: Sequence[str | None], pool: dict[str | None, str | None]
            ) -> dict[int, str]:
    # Rooms, machines, offers and course items are named by few rows: row -> id.
    rows = list(compress(range(len(column)), map(is_not, column, repeat(None))))
    return {row: pool.setdefault(value, value)  # type: ignore[misc]
            for row, value in zip(rows, map(column.__getitem__, rows), strict=True)}


class AppointmentTable:
    """The appointment rows of one document, packed; ``notices`` are (row, notice)."""

    __slots__ = ("client", "course_item", "day", "deleted", "end", "ids", "machine",
                 "notices", "offer", "room", "row_of", "service", "source", "staff",
                 "staff_request", "start", "state", "version")

    def __init__(self, cols: Columns, notices: Sequence[tuple[int, m.Notice]] = (),
                 pool: dict[str | None, str | None] | None = None) -> None:
        """``pool``: the strings ``cols`` already share (``Columns.extend``), if they do."""
        self.ids = cols.ids
        # id -> its last row: a later entry with the same id replaces the earlier one.
        self.row_of: dict[str, int] = dict(zip(cols.ids, range(len(cols.ids)), strict=True))
        self.day = array("i", cols.day)
        self.start = array("q", cols.start)
        self.end = array("q", cols.end)
        self.version = cols.version
        if pool is None:
            pool = {}
            for name in _SHARED:
                setattr(cols, name, _shared(getattr(cols, name), pool))
        self.client = cols.client
        self.staff = cols.staff
        self.service = cols.service
        self.state = cols.state
        self.source = cols.source
        self.room = _sparse(cols.room, pool)
        self.machine = _sparse(cols.machine, pool)
        self.offer = _sparse(cols.offer, pool)
        self.course_item = _sparse(cols.course_item, pool)
        self.deleted = bytes(cols.deleted)
        self.staff_request = bytes(cols.staff_request)
        dupes: list[tuple[int, m.Notice]] = []
        if len(self.row_of) < len(cols.ids):
            seen: set[str] = set()
            for row, aid in enumerate(cols.ids):
                if aid in seen:
                    dupes.append((row, m.Notice(
                        "duplicate_id", f"id {aid!r} appears twice; the later entry is used",
                        f"appointments[{row}]")))
                seen.add(aid)
        self.notices: list[tuple[int, m.Notice]] = sorted(
            [*dupes, *notices], key=lambda rn: rn[0])

    def __len__(self) -> int:
        return len(self.ids)

    def to_utc(self, zone: tzinfo | None) -> tuple[array[int], array[int],
                                                   list[tuple[int, m.Notice]]]:
        """Start and end of every row in epoch microseconds, with the notices of the read.

        ``zone`` is the branch zone when the rows are branch-local wall clock, ``None``
        when they are UTC wall clock. An end not after its start ends the next day.
        """
        days = LocalDays(zone)
        base = {d: days.plain(d) for d in set(self.day)}
        odd_days = {d for d, b in base.items() if b is None}
        # Most rows: midnight of a day with one offset, plus the time of day; the rest
        # (a transition that day, or an end past midnight) are redone one by one below.
        known = {d: 0 if b is None else b for d, b in base.items()}
        starts = array("q", map(add, map(known.__getitem__, self.day), self.start))
        ends = array("q", map(add, map(known.__getitem__, self.day), self.end))
        odd = {r for r, d in enumerate(self.day) if d in odd_days} if odd_days else set()
        odd.update(r for r, later in enumerate(map(gt, self.end, self.start)) if not later)
        notices: list[tuple[int, m.Notice]] = []
        exact: dict[tuple[int, int, int], tuple[int, int, list[timedelta]]] = {}
        for row in sorted(odd):
            d, s, e = self.day[row], self.start[row], self.end[row]
            end_day = d if e > s else d + 1
            if zone is None or (base[d] is not None and days.plain(end_day) is not None):
                starts[row] = cast(int, days.plain(d)) + s
                ends[row] = cast(int, days.plain(end_day)) + e
                continue
            read = exact.get((d, s, e))
            if read is None:  # a DST day's rows repeat a few dozen times of day
                rs, re_ = local_span(date.fromordinal(d), _clock(s), _clock(e), zone)
                read = exact[(d, s, e)] = (to_micros(rs.instant), to_micros(re_.instant),
                                           [r.shifted for r in (rs, re_) if r.shifted])
            starts[row], ends[row], shifts = read
            notices += [(row, m.Notice(
                "nonexistent_local_time", "a wall time in the spring-forward gap was moved "
                f"forward by {shift}", f"appointments[{row}]")) for shift in shifts]
        # Row order: each row's own notices, then the table's (a duplicate id) after them.
        merged = sorted([(r, 0, n) for r, n in notices] + [
            (r, 1, n) for r, n in self.notices], key=lambda rkn: (rkn[0], rkn[1]))
        return starts, ends, [(r, n) for r, _, n in merged]


def _clock(micros: int) -> time:
    whole, micro = divmod(micros, 1_000_000)
    return time(whole // 3600, whole // 60 % 60, whole % 60, micro)


def micros_of_day(clock: time) -> int:
    return ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1_000_000 + (
        clock.microsecond)


class AppointmentMap(Mapping[str, m.Appointment]):
    """The snapshot's appointments by id, each built when asked for."""

    __slots__ = ("_get", "_hidden", "_table")

    def __init__(self, table: AppointmentTable, get: Callable[[int], m.Appointment],
                 hidden: str | None) -> None:
        self._table = table
        self._get = get
        self._hidden = hidden

    def __getitem__(self, key: str) -> m.Appointment:
        if key == self._hidden:
            raise KeyError(key)
        return self._get(self._table.row_of[key])

    def __contains__(self, key: object) -> bool:
        return key != self._hidden and key in self._table.row_of

    def __iter__(self) -> Iterator[str]:
        return (k for k in self._table.row_of if k != self._hidden)

    def __len__(self) -> int:
        return len(self._table.row_of) - (self._hidden in self._table.row_of)

