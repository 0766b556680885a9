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
from collections.abc import Callable, Iterator, Mapping, MutableSequence, Sequence
from datetime import date, time, timedelta, tzinfo
from itertools import compress, repeat
from operator import add, eq, gt, is_not
from typing import cast

from .._time import LocalDays, local_span, to_micros
from . import model as m


class Columns:
    """The rows of an appointment list, one list per field, before they are packed."""

    __slots__ = ("client", "client_course", "course_item", "created", "day", "deleted",
                 "end", "ids", "machine", "offer", "room", "service", "source", "staff",
                 "staff_request", "start", "state", "version")

    def __init__(self) -> None:
        self.ids: list[str] = []
        # Packed as they come (not a list of int objects, 36-40 bytes a row each, packed
        # at the end): a million rows' columns were the peak of a load.
        self.day: MutableSequence[int] = array("i")  # proleptic ordinal of the wall date
        self.start: MutableSequence[int] = array("q")  # wall time of day, microseconds
        self.end: MutableSequence[int] = array("q")
        self.version: list[int | None] = []
        self.client: list[str | None] = []
        self.staff: list[str | None] = []
        self.service: list[str | None] = []
        self.state: list[str] = []
        self.deleted: MutableSequence[int] = bytearray()  # 1 when deleted
        self.staff_request: MutableSequence[int] = bytearray()
        self.source: list[str | None] = []
        self.room: list[str | None] = []
        self.machine: list[str | None] = []
        self.offer: list[str | None] = []
        self.course_item: list[str | None] = []
        self.client_course: list[str | None] = []  # a session named by its client course
        self.created: list[int | None] = []  # createdAt in epoch microseconds, if read

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

    __slots__ = ("client", "client_course", "course_item", "created", "day", "deleted",
                 "end", "ids", "machine", "notices", "offer", "quarantined", "room",
                 "row_of", "service", "skipped", "source", "staff", "staff_request",
                 "start", "state", "version")

    def __init__(self, cols: Columns, notices: Sequence[tuple[int, m.Notice]] = (),
                 pool: dict[str | None, str | None] | None = None,
                 skipped: Sequence[int] = (),
                 quarantined: Sequence[tuple[str, str, tuple[int, ...] | None,
                                             dict[str, str]]] = (),
                 ) -> None:
        """``pool``: the strings ``cols`` already share (``Columns.extend``), if they do.

        ``skipped``: the positions in the document of rows the reader kept out (RULES.md
        §6), so a row's notices still name its place; ``quarantined``: those rows, as
        (location, reason, the wall date ordinals they may lie on or None, what they may
        hold). ``notices``
        are (document position, notice)."""
        self.skipped = sorted(skipped)
        self.quarantined = list(quarantined)
        self.ids = cols.ids
        # id -> its last row: a later entry with the same id replaces the earlier one.
        self.row_of: dict[str, int] = dict(zip(cols.ids, range(len(cols.ids)), strict=True))
        self.day = _packed("i", cols.day)
        self.start = _packed("q", cols.start)
        self.end = _packed("q", cols.end)
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
        self.client_course = _sparse(cols.client_course, pool)
        self.created: dict[int, int] = {
            row: value for row, value in enumerate(cols.created) if value is not None
        } if any(map(is_not, cols.created, repeat(None))) else {}
        self.deleted = bytes(cols.deleted)
        self.staff_request = bytes(cols.staff_request)
        dupes: list[tuple[int, m.Notice]] = []
        if len(self.row_of) < len(cols.ids):
            seen: set[str] = set()
            for row, aid in enumerate(cols.ids):
                if aid in seen:
                    dupes.append((self.position(row), m.Notice(
                        "duplicate_id", f"id {aid!r} appears twice; the later entry is used",
                        f"appointments[{self.position(row)}]")))
                seen.add(aid)
        # RULES.md §2: a state the contract does not know blocks (a guess must not free a
        # slot), and one notice per state value says so.
        for state in sorted(set(self.state) - m.KNOWN_STATES, key=str):
            rows = [r for r, value in enumerate(self.state) if value == state]
            first = self.position(rows[0])
            dupes.append((first, m.Notice(
                "unknown_activation_state",
                f"activationState {state!r} is not a known state (ACTIVE, RESERVED, "
                f"CANCELED, ARCHIVED); the {len(rows)} appointment(s) in it are taken to "
                "block", f"appointments[{first}].activationState",
                {"activationState": state, "appointments": len(rows),
                 "ids": [self.ids[r] for r in rows[:20]]})))
        self.notices: list[tuple[int, m.Notice]] = sorted(
            [*dupes, *notices], key=lambda rn: rn[0])

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, row: int) -> int:
        """The place in the document of table row ``row`` (rows kept out shift it)."""
        for skipped in self.skipped:
            if skipped > row:
                break
            row += 1
        return row

    def to_utc(self, zone: tzinfo | None) -> tuple[array[int], array[int],
                                                   list[tuple[int, m.Notice]]]:
        """Start and end of every row in epoch microseconds, with the notices of the read.

        ``zone`` is the branch zone when the rows are branch-local wall clock, ``None``
        when they are UTC wall clock. An end before its start ends the next day; an end
        equal to its start (or a start moved over a spring-forward gap onto its end) is a
        zero-length row, which occupies no time (RULES.md §1): one notice says how many.
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
            end_day = d if e >= s else d + 1
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
            at = self.position(row)
            notices += [(at, m.Notice(
                "nonexistent_local_time", "a wall time in the spring-forward gap was moved "
                f"forward by {shift}", f"appointments[{at}]")) for shift in shifts]
        empty = list(compress(range(len(starts)), map(eq, starts, ends)))
        if empty:
            at = self.position(empty[0])
            notices.append((at, zero_length_notice(
                [self.ids[r] for r in empty], f"appointments[{at}]")))
        # Row order: each row's own notices, then the table's (a duplicate id) after them.
        merged = sorted([(r, 0, n) for r, n in notices] + [
            (r, 1, n) for r, n in self.notices], key=lambda rkn: (rkn[0], rkn[1]))
        return starts, ends, [(r, n) for r, _, n in merged]


def _packed(typecode: str, column: Sequence[int]) -> array[int]:
    """``column`` as an array of ``typecode``: itself when it is one already."""
    if isinstance(column, array) and column.typecode == typecode:
        return column
    return array(typecode, column)


def zero_length_notice(ids: Sequence[str], first: str) -> m.Notice:
    """One notice for every zero-length row of a history (RULES.md §1): they may be many
    (zero-minute add-ons, patch tests), so they are counted, not listed one by one."""
    shown = ", ".join(repr(i) for i in ids[:5]) + (", ..." if len(ids) > 5 else "")
    return m.Notice(
        "zero_length_appointment",
        f"{len(ids)} appointment(s) end when they start ({shown}): each is read as "
        "zero-length, occupying no time, and still counts on its local date",
        first, {"appointments": len(ids), "ids": list(ids[:20])})


def _clock(micros: int) -> time:
    whole, micro = divmod(micros, 1_000_000)
    return time(whole // 3600, whole // 60 % 60, whole % 60, micro)


def micros_of_day(clock: time) -> int:
    return ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1_000_000 + (
        clock.microsecond)


class AppointmentMap(Mapping[str, m.Appointment]):
    """The snapshot's appointments by id, each built when asked for."""

    __slots__ = ("_get", "_table")

    def __init__(self, table: AppointmentTable, get: Callable[[int], m.Appointment]) -> None:
        self._table = table
        self._get = get

    def __getitem__(self, key: str) -> m.Appointment:
        return self._get(self._table.row_of[key])

    def __contains__(self, key: object) -> bool:
        return key in self._table.row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.row_of)

    def __len__(self) -> int:
        return len(self._table.row_of)

