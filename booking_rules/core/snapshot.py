"""A loaded snapshot: the canonical model of one branch, with its indexes built once."""

from __future__ import annotations

import contextlib
import gc
import json
import mmap
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from itertools import compress, repeat
from operator import and_, ne, not_
from pathlib import Path
from typing import Any, cast

import msgspec

from .._errors import InputError
from .._time import EPOCH, local_date, to_micros, wall_to_utc
from ..platforms.phorest.read import read_snapshot_doc, split_snapshot_json
from . import model as m
from .appointments import AppointmentMap, AppointmentTable
from .index import IntervalIndex, RowIndexes, merge, subtract

_MADE_LIMIT = 100_000


class Snapshot:
    """One branch's cached data, canonical and immutable, with its time indexes.

    Build it with :func:`load_snapshot`. Indexes hold the *blocking* appointments only
    (not deleted, not ``CANCELED``); ``RESERVED`` holds are kept and filtered by rules
    when a ruleset says they do not block.
    """

    def __init__(self, doc: Mapping[str, Any], source: str, default_times: str = "local", *,
                 appointments: AppointmentTable | msgspec.Raw | list[msgspec.Raw] | None = None,
                 hidden: str | None = None) -> None:
        branch, times, declared, parts = read_snapshot_doc(doc, source, default_times,
                                                           appointments)
        self.source = source
        self.branch = branch
        self.zone = branch.zone
        self.appointment_times = times
        self.times_declared = declared
        self.notices: tuple[m.Notice, ...] = tuple(parts.notices)
        self.staff = parts.staff
        self.services = parts.services
        self.rooms = parts.rooms
        self.machines = parts.machines
        self.breaks = parts.breaks
        self.roster = parts.roster
        self.offers = parts.offers
        self.courses = parts.courses
        self.course_items = parts.course_items
        self.clients = parts.clients
        self.coverage = parts.coverage
        # The document minus its appointment history, which the table holds: enough to
        # read the same snapshot under another convention, or without one appointment.
        self._doc = {k: v for k, v in doc.items() if k != "appointments"}
        self._table = parts.table
        self._starts, self._ends = parts.starts, parts.ends
        self._hidden = hidden
        self._made: dict[int, m.Appointment] = {}
        self.appointments: Mapping[str, m.Appointment] = AppointmentMap(
            parts.table, self._appointment, hidden)
        self._variants: dict[str, Snapshot] = {times: self}
        self._day_bounds: dict[date, tuple[datetime, datetime]] = {}
        self._build_indexes()

    def _appointment(self, row: int) -> m.Appointment:
        """The canonical appointment of one table row, built on first use."""
        made = self._made.get(row)
        if made is not None:
            return made
        if len(self._made) >= _MADE_LIMIT:  # a bound, so a long audit cannot grow it
            self._made.clear()
        t = self._table
        start = EPOCH + timedelta(microseconds=self._starts[row])
        made = self._made[row] = m.Appointment(
            t.ids[row], start, EPOCH + timedelta(microseconds=self._ends[row]),
            local_date(start, self.zone), t.client[row], t.staff[row], t.service[row],
            t.version[row], t.state[row], bool(t.deleted[row]), bool(t.staff_request[row]),
            t.source[row], t.room.get(row), t.machine.get(row), t.offer.get(row),
            t.course_item.get(row))
        return made

    # --- indexes, built once -----------------------------------------------------------

    def _build_indexes(self) -> None:
        t, starts, ends = self._table, self._starts, self._ends
        row_of, ids = t.row_of, t.ids
        unique = len(row_of) == len(ids) and self._hidden not in row_of
        hidden = self._hidden

        def live(r: int) -> bool:
            return unique or (row_of[ids[r]] == r and ids[r] != hidden)

        blocks = bytes(map(and_, map(not_, t.deleted), map(ne, t.state, repeat(
            m.ACTIVATION_CANCELED))))
        rows = list(compress(range(len(ids)), blocks))
        if not unique:
            rows = [r for r in rows if live(r)]
        rows.sort(key=starts.__getitem__)
        by_staff: dict[str | None, list[int]] = defaultdict(list)
        by_client: dict[str | None, list[int]] = defaultdict(list)
        for r, staff, client in zip(rows, map(t.staff.__getitem__, rows),
                                    map(t.client.__getitem__, rows), strict=True):
            by_staff[staff].append(r)
            by_client[client].append(r)

        def sparse(column: Mapping[int, str]) -> dict[str | None, list[int]]:
            # Few rows name a room, a machine, an offer or a course item: walk those.
            out: dict[str | None, list[int]] = defaultdict(list)
            for r, value in column.items():
                if blocks[r] and live(r):
                    out[value].append(r)
            for bucket in out.values():
                bucket.sort(key=starts.__getitem__)
            return out

        def grouped(groups: Mapping[str | None, list[int]]) -> RowIndexes[m.Appointment]:
            return RowIndexes(groups, starts, ends, ids, self._appointment)

        self._by_staff = grouped(by_staff)
        self._by_client = grouped(by_client)
        self._by_room = grouped(sparse(t.room))
        self._by_machine = grouped(sparse(t.machine))
        self._by_offer = grouped(sparse(t.offer))
        items = self.course_items
        by_course: dict[str | None, list[int]] = defaultdict(list)
        for item, course_rows in sparse(t.course_item).items():
            if item in items:
                by_course[items[item].client_course_id].extend(course_rows)
        for course_rows in by_course.values():
            course_rows.sort(key=starts.__getitem__)
        self._by_course = grouped(by_course)

        breaks_staff: dict[str, list[tuple[datetime, datetime, m.Break]]] = defaultdict(list)
        breaks_room: dict[str, list[tuple[datetime, datetime, m.Break]]] = defaultdict(list)
        breaks_machine: dict[str, list[tuple[datetime, datetime, m.Break]]] = defaultdict(
            list)
        for b in self.breaks:
            row_b = (b.start, b.end, b)
            if b.staff_id:
                breaks_staff[b.staff_id].append(row_b)
            if b.room_id:
                breaks_room[b.room_id].append(row_b)
            if b.machine_id:
                breaks_machine[b.machine_id].append(row_b)
        self._breaks_staff = {k: IntervalIndex(v) for k, v in breaks_staff.items()}
        self._breaks_room = {k: IntervalIndex(v) for k, v in breaks_room.items()}
        self._breaks_machine = {k: IntervalIndex(v) for k, v in breaks_machine.items()}

        # Working windows: union of WORKING slots, minus their time off, minus breaks.
        slots: dict[str, list[m.RosterSlot]] = defaultdict(list)
        for slot in self.roster:
            slots[slot.staff_id].append(slot)
        self._roster_slots = {
            k: IntervalIndex((s.start, s.end, s) for s in v) for k, v in slots.items()}
        self._available: dict[str, IntervalIndex[tuple[datetime, datetime]]] = {}
        for staff_id, staff_slots in slots.items():
            working = merge((s.start, s.end) for s in staff_slots)
            holes = [s.time_off for s in staff_slots if s.time_off is not None]
            holes += [(s0, e0) for s0, e0, _ in breaks_staff.get(staff_id, ())]
            windows = subtract(working, holes)
            self._available[staff_id] = IntervalIndex((s, e, (s, e)) for s, e in windows)
        self._roster_range: tuple[date, date] | None = None
        if self.roster:
            days = [s.local_date for s in self.roster]
            self._roster_range = (min(days), max(days))

    # --- queries over the snapshot alone (rules add the request's own schedules) ----------

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        index = self._by_staff.get(staff_id)
        return index.overlapping(start, end) if index is not None else []

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> list[m.Appointment]:
        index = self._by_client.get(client_id)
        return index.overlapping(start, end) if index is not None else []

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> list[m.Appointment]:
        index = self._by_room.get(room_id)
        return index.overlapping(start, end) if index is not None else []

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> list[m.Appointment]:
        index = self._by_machine.get(machine_id)
        return index.overlapping(start, end) if index is not None else []

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        index = self._by_offer.get(offer_id)
        return index.overlapping(start, end) if index is not None else []

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        """The client's appointments starting on local ``day``, in (start, id) order."""
        return self._day(self._by_client, client_id, day)

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        return self._day(self._by_offer, offer_id, day)

    def _day(self, indexes: RowIndexes[m.Appointment], key: str, day: date
             ) -> list[m.Appointment]:
        index = indexes.get(key)
        if index is None:
            return []
        start, end = self.day_bounds(day)
        return sorted(index.starting(to_micros(start), to_micros(end)),
                      key=lambda a: (a.start, a.id))

    def course_sessions(self, client_course_id: str) -> IntervalIndex[m.Appointment] | None:
        return self._by_course.get(client_course_id)

    def staff_breaks(self, staff_id: str, start: datetime, end: datetime) -> list[m.Break]:
        index = self._breaks_staff.get(staff_id)
        return index.overlapping(start, end) if index is not None else []

    def room_breaks(self, room_id: str, start: datetime, end: datetime) -> list[m.Break]:
        index = self._breaks_room.get(room_id)
        return index.overlapping(start, end) if index is not None else []

    def machine_breaks(self, machine_id: str, start: datetime, end: datetime
                       ) -> list[m.Break]:
        index = self._breaks_machine.get(machine_id)
        return index.overlapping(start, end) if index is not None else []

    def working_window(self, staff_id: str, start: datetime, end: datetime
                       ) -> tuple[datetime, datetime] | None:
        """The working window (roster minus time off minus breaks) holding ``[start, end)``."""
        index = self._available.get(staff_id)
        return index.containing(start, end) if index is not None else None

    def working_windows(self, staff_id: str, start: datetime, end: datetime
                        ) -> list[tuple[datetime, datetime]]:
        index = self._available.get(staff_id)
        return index.overlapping(start, end) if index is not None else []

    def roster_slots(self, staff_id: str, start: datetime, end: datetime
                     ) -> list[m.RosterSlot]:
        index = self._roster_slots.get(staff_id)
        return index.overlapping(start, end) if index is not None else []

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The UTC instants of local midnight starting and ending ``day`` (memoized: DST
        days are 23 or 25 hours long)."""
        bounds = self._day_bounds.get(day)
        if bounds is None:
            start = wall_to_utc(day, time(0), self.zone).instant
            end = wall_to_utc(day + timedelta(days=1), time(0), self.zone).instant
            bounds = self._day_bounds[day] = (start, end)
        return bounds

    @property
    def roster_range(self) -> tuple[date, date] | None:
        """The first and last local date any roster slot of the snapshot covers."""
        return self._roster_range

    def with_times(self, times: str) -> Snapshot:
        """The same document read under another appointment-time convention, if undeclared."""
        if self.times_declared or times == self.appointment_times:
            return self
        if times not in self._variants:
            self._variants[times] = Snapshot(self._doc, self.source, times,
                                             appointments=self._table, hidden=self._hidden)
        return self._variants[times]

    def without_appointment(self, appointment_id: str) -> Snapshot:
        """The same snapshot as if it did not hold ``appointment_id`` (what a search for
        the new time of a moved appointment must see)."""
        return Snapshot(self._doc, self.source, self.appointment_times,
                        appointments=self._table, hidden=appointment_id)

    def __repr__(self) -> str:
        return (f"Snapshot({self.branch.name!r}, {len(self.appointments)} appointments, "
                f"{len(self.staff)} staff)")


def load_snapshot(source: str | Path | Mapping[str, Any], *,
                  appointment_times: str = "local") -> Snapshot:
    """Read a snapshot document (a path or a dict) and build its indexes once.

    ``appointment_times`` is the read-time convention used when the document does not
    declare ``conventions.appointmentTimes``.
    """
    # A million-row load allocates millions of objects that all live: collecting them
    # half-way through (several times) finds nothing and costs a fifth of the load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        if isinstance(source, Mapping):
            return Snapshot(source, "<snapshot>", appointment_times)
        return _load_file(source, appointment_times)
    finally:
        if enabled:
            gc.enable()


def _load_file(source: str | Path, appointment_times: str) -> Snapshot:
    path = Path(source)
    name = str(source)
    try:
        with path.open("rb") as f:
            # Mapped, not read: the text of a long history is as big as the snapshot.
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, ValueError):  # an empty file cannot be mapped; a directory, ...
        return _load_text(path, name, appointment_times)  # for its precise message
    try:
        # The history is decoded straight from the bytes into table rows, without a dict
        # per row; the other keys are small and read as usual.
        doc, history = split_snapshot_json(data)
    except (msgspec.DecodeError, UnicodeDecodeError, json.JSONDecodeError):
        history = _UNREAD
    try:
        if history is _UNREAD:
            return _load_text(path, name, appointment_times)
        return Snapshot(doc, name, appointment_times,
                        appointments=cast("msgspec.Raw | list[msgspec.Raw] | None", history))
    finally:
        history = None
        with contextlib.suppress(BufferError):  # a traceback still holds a view: GC closes
            data.close()


_UNREAD = object()


def _load_text(path: Path, name: str, appointment_times: str) -> Snapshot:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, "", f"a readable UTF-8 JSON file ({exc.__class__.__name__})"
                         ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None
    return Snapshot(doc, name, appointment_times)
