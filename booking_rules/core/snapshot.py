"""A branch's data, canonical and immutable, with its time indexes built once; and
overlays of it.

A :class:`Snapshot` is built from canonical parts (:class:`SnapshotParts`, or
:meth:`Snapshot.from_parts`): it never sees a platform's document. A platform reads its own
documents into parts (``booking_rules.platforms.phorest``).

An overlay (:meth:`Snapshot.with_changes`) is the same snapshot plus appointments added or
changed and minus appointments removed. It shares the base's indexes and answers every
query exactly as a snapshot rebuilt with those changes would, at a cost that grows with the
change, not with the history: the engine checks a request's later schedules against it, a
move without the appointment it moves, the sandbox stores its bookings in one, and the sync
applies its deltas to one.
"""

from __future__ import annotations

import copy
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import compress, repeat
from operator import and_, ne, not_

from .._time import EPOCH, UTC, local_date, to_micros, wall_to_utc
from . import model as m
from .appointments import AppointmentMap, AppointmentTable, Columns, micros_of_day
from .index import IntervalIndex, RowIndexes, merge, subtract
from .records import EMPTY as _NO_RECORDS
from .records import Records

_MADE_LIMIT = 100_000


class SnapshotParts:
    """Everything a snapshot holds, canonical, before indexing. Platforms fill one."""

    def __init__(self) -> None:
        self.notices: list[m.Notice] = []
        self.staff: dict[str, m.Staff] = {}
        self.services: dict[str, m.Service] = {}
        self.rooms: dict[str, m.Room] = {}
        self.machines: dict[str, m.Machine] = {}
        self.roster: list[m.RosterSlot] = []
        self.breaks: list[m.Break] = []
        self.table = AppointmentTable(Columns())
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self.offers: dict[str, m.SpecialOffer] = {}
        self.courses: dict[str, m.Course] = {}
        self.course_items: dict[str, m.ClientCourseItem] = {}
        self.clients: dict[str, m.Client] = {}
        self.coverage = m.Coverage()
        # What the writes beside bookings read (clients' versions, products, vouchers,
        # purchases): ``core.records``.
        self.records: Records = _NO_RECORDS


def blocking(a: m.Appointment) -> bool:
    """Whether an appointment holds its staff, client, room and machine (RULES.md §2)."""
    return not a.deleted and a.activation_state != m.ACTIVATION_CANCELED


@dataclass(frozen=True)
class Delta:
    """What an overlay changes: appointments added or changed (by id) and ids removed."""

    upserts: Mapping[str, m.Appointment] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()

    def then(self, later: Delta) -> Delta:
        """This delta followed by ``later``."""
        upserts = {k: v for k, v in self.upserts.items() if k not in later.removed}
        upserts.update(later.upserts)
        return Delta(upserts, (self.removed | later.removed) - later.upserts.keys())


class _Overlay:
    """A delta laid over a base snapshot's indexes: the base rows it hides, and its
    blocking appointments by staff, client, room, machine, offer and client course."""

    __slots__ = ("by_client", "by_course", "by_machine", "by_offer", "by_room",
                 "by_staff", "delta", "hidden")

    def __init__(self, delta: Delta, course_items: Mapping[str, m.ClientCourseItem]) -> None:
        self.delta = delta
        # A changed appointment hides its base row as a removed one does.
        self.hidden = delta.removed | delta.upserts.keys()
        self.by_staff: dict[str, list[m.Appointment]] = defaultdict(list)
        self.by_client: dict[str, list[m.Appointment]] = defaultdict(list)
        self.by_room: dict[str, list[m.Appointment]] = defaultdict(list)
        self.by_machine: dict[str, list[m.Appointment]] = defaultdict(list)
        self.by_offer: dict[str, list[m.Appointment]] = defaultdict(list)
        self.by_course: dict[str, list[m.Appointment]] = defaultdict(list)
        for a in delta.upserts.values():
            if not blocking(a):
                continue
            for key, table in ((a.staff_id, self.by_staff), (a.client_id, self.by_client),
                               (a.room_id, self.by_room), (a.machine_id, self.by_machine),
                               (a.offer_id, self.by_offer)):
                if key:
                    table[key].append(a)
            item = course_items.get(a.course_item_id or "")
            if item is not None:
                self.by_course[item.client_course_id].append(a)

    def merge(self, found: list[m.Appointment], extra: list[m.Appointment]
              ) -> list[m.Appointment]:
        """The base's answer minus what the delta hides, plus ``extra``, in index order."""
        hidden = self.hidden
        if hidden:
            found = [a for a in found if a.id not in hidden]
        if not extra:
            return found
        # The order a rebuilt index gives: start, then end, then id (IntervalIndex).
        return sorted(found + extra, key=_index_order)

    def day(self, found: list[m.Appointment], extra: list[m.Appointment], day: date
            ) -> list[m.Appointment]:
        hidden = self.hidden
        if hidden:
            found = [a for a in found if a.id not in hidden]
        extra = [a for a in extra if a.local_date == day]
        if not extra:
            return found
        return sorted(found + extra, key=lambda a: (a.start, a.id))


def _index_order(a: m.Appointment) -> tuple[datetime, datetime, str]:
    return (a.start, a.end, a.id)


def _hits(span: m.Interval, start: datetime, end: datetime) -> bool:
    return span[0] < end and start < span[1]


class _OverlayMap(Mapping[str, m.Appointment]):
    """A base snapshot's appointments by id, with a delta applied."""

    __slots__ = ("_base", "_delta")

    def __init__(self, base: Mapping[str, m.Appointment], delta: Delta) -> None:
        self._base, self._delta = base, delta

    def __getitem__(self, key: str) -> m.Appointment:
        found = self._delta.upserts.get(key)
        if found is not None:
            return found
        if key in self._delta.removed:
            raise KeyError(key)
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        if key in self._delta.upserts:
            return True
        return key not in self._delta.removed and key in self._base

    def __iter__(self) -> Iterator[str]:
        delta = self._delta
        yield from (k for k in self._base
                    if k not in delta.removed and k not in delta.upserts)
        yield from delta.upserts

    def __len__(self) -> int:
        return sum(1 for _ in self)


def row_appointment(table: AppointmentTable, row: int, starts: array[int], ends: array[int],
                    zone: tzinfo) -> m.Appointment:
    """The canonical appointment of one table row, given the rows' instants
    (``AppointmentTable.to_utc``)."""
    t = table
    start = EPOCH + timedelta(microseconds=starts[row])
    return m.Appointment(
        t.ids[row], start, EPOCH + timedelta(microseconds=ends[row]),
        local_date(start, zone), t.client[row], t.staff[row], t.service[row],
        t.version[row], t.state[row], bool(t.deleted[row]), bool(t.staff_request[row]),
        t.source[row], t.room.get(row), t.machine.get(row), t.offer.get(row),
        t.course_item.get(row))


class Snapshot:
    """One branch's data, canonical and immutable, with its time indexes.

    Platforms build one from :class:`SnapshotParts` (``booking_rules.load_snapshot`` reads
    a Phorest document); :meth:`from_parts` builds one from canonical objects. Indexes hold
    the *blocking* appointments only (not deleted, not ``CANCELED``); ``RESERVED`` holds are
    kept and filtered by rules when a ruleset says they do not block.
    """

    def __init__(self, branch: m.Branch, parts: SnapshotParts, source: str, *,
                 appointment_times: m.Times = "local", times_declared: bool = False,
                 reread: Callable[[m.Times], Snapshot] | None = None) -> None:
        """``reread``: the same source read under another appointment-time convention
        (the platform that read it knows how); ``with_times`` asks it."""
        self.source = source
        self.branch = branch
        self.zone = branch.zone
        self.appointment_times = appointment_times
        self.times_declared = times_declared
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
        self.records = parts.records
        self._reread = reread
        self._table = parts.table
        self._starts, self._ends = parts.starts, parts.ends
        self._made: dict[int, m.Appointment] = {}
        self.appointments: Mapping[str, m.Appointment] = AppointmentMap(
            parts.table, self._appointment, None)
        self._overlay: _Overlay | None = None
        self._base_snapshot = self  # what an overlay lays its delta over
        self._variants: dict[str, Snapshot] = {appointment_times: self}
        self._day_bounds: dict[date, tuple[datetime, datetime]] = {}
        self._build_indexes()

    @classmethod
    def from_parts(cls, branch: m.Branch, *, staff: Iterable[m.Staff] = (),
                   services: Iterable[m.Service] = (), rooms: Iterable[m.Room] = (),
                   machines: Iterable[m.Machine] = (), roster: Iterable[m.RosterSlot] = (),
                   breaks: Iterable[m.Break] = (),
                   appointments: Iterable[m.Appointment] = (),
                   offers: Iterable[m.SpecialOffer] = (), courses: Iterable[m.Course] = (),
                   course_items: Iterable[m.ClientCourseItem] = (),
                   clients: Iterable[m.Client] = (), coverage: m.Coverage | None = None,
                   notices: Iterable[m.Notice] = (), records: Records | None = None,
                   source: str = "<parts>") -> Snapshot:
        """A snapshot of canonical objects. Each appointment occupies its own
        ``[start, end)`` (RULES.md §2): a ``finish`` block is a schedule's, not a row's."""
        parts = SnapshotParts()
        parts.notices = list(notices)
        parts.staff = {s.id: s for s in staff}
        parts.services = {s.id: s for s in services}
        parts.rooms = {r.id: r for r in rooms}
        parts.machines = {x.id: x for x in machines}
        parts.roster = list(roster)
        parts.breaks = list(breaks)
        parts.offers = {o.id: o for o in offers}
        parts.courses = {c.id: c for c in courses}
        parts.course_items = {c.id: c for c in course_items}
        parts.clients = {c.id: c for c in clients}
        parts.coverage = coverage or m.Coverage()
        parts.records = records or _NO_RECORDS
        cols = Columns()
        for a in appointments:
            # The table holds wall clock; UTC wall clock is read back exactly (zone None).
            s, e = a.start.astimezone(UTC), a.end.astimezone(UTC)
            cols.ids.append(a.id)
            cols.day.append(s.toordinal())
            cols.start.append(micros_of_day(s.time()))
            cols.end.append(micros_of_day(e.time()) + (e.date() - s.date()).days
                            * 86_400_000_000)
            cols.version.append(a.version)
            cols.client.append(a.client_id)
            cols.staff.append(a.staff_id)
            cols.service.append(a.service_id)
            cols.state.append(a.activation_state)
            cols.deleted.append(a.deleted)
            cols.staff_request.append(a.staff_request)
            cols.source.append(a.source)
            cols.room.append(a.room_id)
            cols.machine.append(a.machine_id)
            cols.offer.append(a.offer_id)
            cols.course_item.append(a.course_item_id)
        parts.table = AppointmentTable(cols)
        parts.starts, parts.ends, notes = parts.table.to_utc(None)
        parts.notices += [notice for _, notice in notes]
        return cls(branch, parts, source, appointment_times="utc", times_declared=True)

    def _appointment(self, row: int) -> m.Appointment:
        """The canonical appointment of one table row, built on first use."""
        made = self._made.get(row)
        if made is not None:
            return made
        if len(self._made) >= _MADE_LIMIT:  # a bound, so a long audit cannot grow it
            self._made.clear()
        made = self._made[row] = row_appointment(self._table, row, self._starts,
                                                 self._ends, self.zone)
        return made

    # --- indexes, built once -----------------------------------------------------------

    def _build_indexes(self) -> None:
        t, starts, ends = self._table, self._starts, self._ends
        row_of, ids = t.row_of, t.ids
        unique = len(row_of) == len(ids)

        def live(r: int) -> bool:  # the later of two rows with one id is the one held
            return unique or row_of[ids[r]] == r

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

    # --- appointment queries: the base's indexes, then the overlay's changes ------------

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        """Blocking appointments whose staff blocks overlap ``[start, end)``, in index
        order (start, end, id)."""
        index = self._by_staff.get(staff_id)
        found = index.overlapping(start, end) if index is not None else []
        o = self._overlay
        if o is None:
            return found
        return o.merge(found, [a for a in o.by_staff.get(staff_id, ())
                               if any(s < end and start < e for s, e in a.blocks)])

    def client_appointments(self, client_id: str, start: datetime, end: datetime
                            ) -> list[m.Appointment]:
        """Blocking appointments of the client whose span overlaps ``[start, end)``."""
        return self._spans(self._by_client, "by_client", client_id, start, end)

    def room_appointments(self, room_id: str, start: datetime, end: datetime
                          ) -> list[m.Appointment]:
        return self._spans(self._by_room, "by_room", room_id, start, end)

    def machine_appointments(self, machine_id: str, start: datetime, end: datetime
                             ) -> list[m.Appointment]:
        return self._spans(self._by_machine, "by_machine", machine_id, start, end)

    def offer_appointments(self, offer_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        return self._spans(self._by_offer, "by_offer", offer_id, start, end)

    def _spans(self, indexes: RowIndexes[m.Appointment], added: str, key: str,
               start: datetime, end: datetime) -> list[m.Appointment]:
        """Blocking appointments under ``key`` whose span overlaps ``[start, end)``;
        ``added`` names the overlay's table of the same key."""
        index = indexes.get(key)
        found = index.overlapping(start, end) if index is not None else []
        o = self._overlay
        if o is None:
            return found
        mine: dict[str, list[m.Appointment]] = getattr(o, added)
        return o.merge(found, [a for a in mine.get(key, ()) if _hits(a.span, start, end)])

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        """The client's appointments starting on local ``day``, in (start, id) order."""
        found = self._day(self._by_client, client_id, day)
        o = self._overlay
        return found if o is None else o.day(found, o.by_client.get(client_id, []), day)

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        found = self._day(self._by_offer, offer_id, day)
        o = self._overlay
        return found if o is None else o.day(found, o.by_offer.get(offer_id, []), day)

    def _day(self, indexes: RowIndexes[m.Appointment], key: str, day: date
             ) -> list[m.Appointment]:
        index = indexes.get(key)
        if index is None:
            return []
        start, end = self.day_bounds(day)
        return sorted(index.starting(to_micros(start), to_micros(end)),
                      key=lambda a: (a.start, a.id))

    def course_sessions(self, client_course_id: str) -> list[m.Appointment]:
        """Blocking sessions of one client course, in index order (start, end, id)."""
        index = self._by_course.get(client_course_id)
        found = list(index.starting(_ALL_TIME[0], _ALL_TIME[1])) if index is not None else []
        o = self._overlay
        return found if o is None else o.merge(found, o.by_course.get(client_course_id, []))

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

    def with_times(self, times: m.Times) -> Snapshot:
        """The same source read under another appointment-time convention, when the
        source does not declare its own (an overlay keeps its delta, whose instants are
        canonical already)."""
        if self.times_declared or times == self.appointment_times or self._reread is None:
            return self
        found = self._variants.get(times)
        if found is None:
            if self._overlay is not None:
                found = self._root().with_times(times).with_changes(
                    self._overlay.delta.upserts.values(), self._overlay.delta.removed,
                    coverage=self.coverage)
            else:
                found = self._reread(times)
            self._variants[times] = found
        return found

    def _root(self) -> Snapshot:
        return self._base_snapshot if self._overlay is not None else self

    def with_changes(self, upserts: Iterable[m.Appointment] = (),
                     removed: Iterable[str] = (), *,
                     coverage: m.Coverage | None = None) -> Snapshot:
        """This snapshot with ``upserts`` added (or, for an id it holds, changed) and the
        appointments of ``removed`` gone: an overlay that shares this snapshot's indexes
        and answers every query as a snapshot rebuilt with those changes would. It costs
        the size of the change; an overlay of an overlay composes the two changes.
        ``coverage``: what the changed snapshot covers and when its lists were fetched
        (a refresh from a cache moves it), else this snapshot's."""
        later = Delta({a.id: a for a in upserts}, frozenset(removed))
        base = self._root()
        delta = self._overlay.delta.then(later) if self._overlay is not None else later
        out = copy.copy(base)
        out._base_snapshot = base
        out._overlay = _Overlay(delta, base.course_items)
        out.coverage = self.coverage if coverage is None else coverage
        out.appointments = _OverlayMap(base.appointments, delta)
        out._variants = {out.appointment_times: out}
        return out

    def with_records(self, records: Records,
                     clients: Mapping[str, m.Client] | None = None) -> Snapshot:
        """The same snapshot with other business records (and, given, another client
        list): what a write about a client, a voucher or a purchase changes, or a
        client's own log adds. Its appointments, overlay included, are untouched."""
        base = self._root()
        root = copy.copy(base)
        root.records = records
        if clients is not None:
            root.clients = dict(clients)
        root._base_snapshot = root
        root._overlay = None
        root._variants = {root.appointment_times: root}
        reread = base._reread
        if reread is not None:
            # Another convention's read of the source, with the same records.
            root._reread = lambda times: reread(times).with_records(records, clients)
        if self._overlay is None:
            return root
        return root.with_changes(self._overlay.delta.upserts.values(),
                                 self._overlay.delta.removed)

    @property
    def delta(self) -> Delta:
        """What this snapshot changes of the one it was built from (empty for a base)."""
        return self._overlay.delta if self._overlay is not None else Delta()

    def without_appointment(self, appointment_id: str) -> Snapshot:
        """The same snapshot as if it did not hold ``appointment_id`` (what a search for
        the new time of a moved appointment must see)."""
        return self.with_changes(removed=(appointment_id,))

    def __repr__(self) -> str:
        return (f"Snapshot({self.branch.name!r}, {len(self.appointments)} appointments, "
                f"{len(self.staff)} staff)")


_ALL_TIME = (to_micros(datetime.min.replace(tzinfo=UTC)),
             to_micros(datetime.max.replace(tzinfo=UTC)))
