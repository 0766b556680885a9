"""A loaded snapshot: the canonical model of one branch, with its indexes built once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from . import _model as m
from ._errors import InputError
from ._index import IntervalIndex, merge, subtract
from ._phorest import read_snapshot_doc
from ._time import wall_to_utc


class Snapshot:
    """One branch's cached data, canonical and immutable, with its time indexes.

    Build it with :func:`load_snapshot`. Indexes hold the *blocking* appointments only
    (not deleted, not ``CANCELED``); ``RESERVED`` holds are kept and filtered by rules
    when a ruleset says they do not block.
    """

    def __init__(self, doc: Mapping[str, Any], source: str, default_times: str = "local"):
        branch, times, declared, parts = read_snapshot_doc(doc, source, default_times)
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
        self.appointments = parts.appointments
        self.breaks = parts.breaks
        self.roster = parts.roster
        self.offers = parts.offers
        self.courses = parts.courses
        self.course_items = parts.course_items
        self.clients = parts.clients
        self.coverage = parts.coverage
        self._doc = doc
        self._variants: dict[str, Snapshot] = {times: self}
        self._day_bounds: dict[date, tuple[datetime, datetime]] = {}
        self._build_indexes()

    # --- indexes, built once -----------------------------------------------------------

    def _build_indexes(self) -> None:
        by_staff: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(list)
        by_client: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(list)
        by_room: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(list)
        by_machine: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(
            list)
        by_offer: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(list)
        by_course: dict[str, list[tuple[datetime, datetime, m.Appointment]]] = defaultdict(
            list)
        client_day: dict[tuple[str, date], list[m.Appointment]] = defaultdict(list)
        offer_day: dict[tuple[str, date], list[m.Appointment]] = defaultdict(list)
        for a in self.appointments.values():
            if not a.blocking:
                continue
            row = (a.start, a.end, a)
            if a.staff_id:
                by_staff[a.staff_id].append(row)
            if a.client_id:
                by_client[a.client_id].append(row)
                client_day[(a.client_id, a.local_date)].append(a)
            if a.room_id:
                by_room[a.room_id].append(row)
            if a.machine_id:
                by_machine[a.machine_id].append(row)
            if a.offer_id:
                by_offer[a.offer_id].append(row)
                offer_day[(a.offer_id, a.local_date)].append(a)
            if a.course_item_id and a.course_item_id in self.course_items:
                by_course[self.course_items[a.course_item_id].client_course_id].append(row)
        self._by_staff = {k: IntervalIndex(v) for k, v in by_staff.items()}
        self._by_client = {k: IntervalIndex(v) for k, v in by_client.items()}
        self._by_room = {k: IntervalIndex(v) for k, v in by_room.items()}
        self._by_machine = {k: IntervalIndex(v) for k, v in by_machine.items()}
        self._by_offer = {k: IntervalIndex(v) for k, v in by_offer.items()}
        self._by_course = {k: IntervalIndex(v) for k, v in by_course.items()}
        def in_time_order(rows: list[m.Appointment]) -> list[m.Appointment]:
            return sorted(rows, key=lambda a: (a.start, a.id))

        self._client_day = {k: in_time_order(v) for k, v in client_day.items()}
        self._offer_day = {k: in_time_order(v) for k, v in offer_day.items()}

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
                           ) -> Iterator[m.Appointment]:
        index = self._by_staff.get(staff_id)
        return index.overlapping(start, end) if index else iter(())

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> Iterator[m.Appointment]:
        index = self._by_client.get(client_id)
        return index.overlapping(start, end) if index else iter(())

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> Iterator[m.Appointment]:
        index = self._by_room.get(room_id)
        return index.overlapping(start, end) if index else iter(())

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> Iterator[m.Appointment]:
        index = self._by_machine.get(machine_id)
        return index.overlapping(start, end) if index else iter(())

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> Iterator[m.Appointment]:
        index = self._by_offer.get(offer_id)
        return index.overlapping(start, end) if index else iter(())

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        return self._client_day.get((client_id, day), [])

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        return self._offer_day.get((offer_id, day), [])

    def course_sessions(self, client_course_id: str) -> IntervalIndex[m.Appointment] | None:
        return self._by_course.get(client_course_id)

    def staff_breaks(self, staff_id: str, start: datetime, end: datetime) -> Iterator[m.Break]:
        index = self._breaks_staff.get(staff_id)
        return index.overlapping(start, end) if index else iter(())

    def room_breaks(self, room_id: str, start: datetime, end: datetime) -> Iterator[m.Break]:
        index = self._breaks_room.get(room_id)
        return index.overlapping(start, end) if index else iter(())

    def machine_breaks(self, machine_id: str, start: datetime, end: datetime
                       ) -> Iterator[m.Break]:
        index = self._breaks_machine.get(machine_id)
        return index.overlapping(start, end) if index else iter(())

    def working_window(self, staff_id: str, start: datetime, end: datetime
                       ) -> tuple[datetime, datetime] | None:
        """The working window (roster minus time off minus breaks) holding ``[start, end)``."""
        index = self._available.get(staff_id)
        return index.containing(start, end) if index else None

    def working_windows(self, staff_id: str, start: datetime, end: datetime
                        ) -> list[tuple[datetime, datetime]]:
        index = self._available.get(staff_id)
        return list(index.overlapping(start, end)) if index else []

    def roster_slots(self, staff_id: str, start: datetime, end: datetime
                     ) -> list[m.RosterSlot]:
        index = self._roster_slots.get(staff_id)
        return list(index.overlapping(start, end)) if index else []

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
            self._variants[times] = Snapshot(self._doc, self.source, times)
        return self._variants[times]

    def __repr__(self) -> str:
        return (f"Snapshot({self.branch.name!r}, {len(self.appointments)} appointments, "
                f"{len(self.staff)} staff)")


def load_snapshot(source: str | Path | Mapping[str, Any], *,
                  appointment_times: str = "local") -> Snapshot:
    """Read a snapshot document (a path or a dict) and build its indexes once.

    ``appointment_times`` is the read-time convention used when the document does not
    declare ``conventions.appointmentTimes``.
    """
    if isinstance(source, Mapping):
        return Snapshot(source, "<snapshot>", appointment_times)
    path = Path(source)
    name = str(source)
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
