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
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import compress, islice
from operator import and_, le, not_
from types import MappingProxyType
from typing import NamedTuple

from .._time import EPOCH, UTC, local_date, query_micros, to_micros, wall_to_utc
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
        # RULES.md §6, absent is not empty: the canonical lists the document did not hold
        # (``staff``, ``services``, ``roster``, ``breaks``, ``appointments``, ``rooms``,
        # ``machines``, ``offers``, ``courses``, ``course_items``, ``clients``), and the
        # name the platform gives each list, for the reason a rule gives.
        self.absent: set[str] = set()
        self.list_names: dict[str, str] = {}
        self.quarantined: list[m.Quarantined] = []
        # Ids of rows that could not be read, by canonical list, with their place: a
        # booking naming one answers UNKNOWN rather than "unknown id".
        self.unreadable: dict[str, dict[str, str]] = {}
        # What the writes beside bookings read (clients' versions, products, vouchers,
        # purchases): ``core.records``.
        self.records: Records = _NO_RECORDS


def blocking(a: m.Appointment) -> bool:
    """Whether an appointment holds its staff, client, room and machine (RULES.md §2)."""
    return not a.deleted and a.activation_state not in m.NON_BLOCKING_STATES


class Delta(NamedTuple):
    """What an overlay changes: appointments added or changed (by id) and ids removed.
    A named tuple, not a frozen dataclass: the engine makes one per earlier schedule of a
    request, and a tuple is built several times faster."""

    upserts: Mapping[str, m.Appointment] = MappingProxyType({})
    removed: frozenset[str] = frozenset()

    def plus(self, upserts: Mapping[str, m.Appointment]) -> Delta:
        """This delta followed by one that only adds or changes ``upserts``."""
        return Delta({**self.upserts, **upserts},
                     self.removed - upserts.keys() if self.removed else self.removed)

    def then(self, later: Delta) -> Delta:
        """This delta followed by ``later``."""
        if not later.removed:
            return self.plus(later.upserts)
        upserts = {k: v for k, v in self.upserts.items() if k not in later.removed}
        upserts.update(later.upserts)
        return Delta(upserts, (self.removed | later.removed) - later.upserts.keys())


class _Overlay:
    """A delta laid over a base snapshot's indexes: the base rows it hides, and its
    blocking appointments by staff, client, room, machine, offer and client course."""

    __slots__ = ("by_client", "by_course", "by_machine", "by_offer", "by_room",
                 "by_staff", "delta", "hidden")

    def __init__(self, delta: Delta, course_items: Mapping[str, m.ClientCourseItem],
                 base_ids: Container[str]) -> None:
        self.delta = delta
        # A changed appointment hides its base row as a removed one does; a new one (the
        # engine's earlier schedules of a request) hides nothing, so the base's answers
        # need no filtering then. (``base_ids``: the base table's ids, a dict, not the
        # appointment map, whose ``in`` is a Python call.)
        changed = [k for k in delta.upserts if k in base_ids]
        self.hidden = delta.removed | frozenset(changed) if changed else delta.removed
        # Unrolled (one overlay per earlier schedule of a request: a hot path).
        by_staff: dict[str, list[m.Appointment]] = {}
        by_client: dict[str, list[m.Appointment]] = {}
        by_room: dict[str, list[m.Appointment]] = {}
        by_machine: dict[str, list[m.Appointment]] = {}
        by_offer: dict[str, list[m.Appointment]] = {}
        by_course: dict[str, list[m.Appointment]] = {}
        self.by_staff, self.by_client, self.by_room = by_staff, by_client, by_room
        self.by_machine, self.by_offer, self.by_course = by_machine, by_offer, by_course
        for a in delta.upserts.values():
            if a.deleted or a.activation_state in m.NON_BLOCKING_STATES:  # blocking(a)
                continue
            if a.staff_id:
                by_staff.setdefault(a.staff_id, []).append(a)
            if a.client_id:
                by_client.setdefault(a.client_id, []).append(a)
            if a.room_id:
                by_room.setdefault(a.room_id, []).append(a)
            if a.machine_id:
                by_machine.setdefault(a.machine_id, []).append(a)
            if a.offer_id:
                by_offer.setdefault(a.offer_id, []).append(a)
            course = course_of(a.course_item_id, a.client_course_id, course_items)
            if course is not None:
                by_course.setdefault(course, []).append(a)

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


def course_of(item_id: str | None, client_course_id: str | None,
              items: Mapping[str, m.ClientCourseItem]) -> str | None:
    """The client course a session belongs to: its item's, else the one it names."""
    item = items.get(item_id or "")
    return item.client_course_id if item is not None else client_course_id


def _index_order(a: m.Appointment) -> tuple[datetime, datetime, str]:
    return (a.start, a.end, a.id)


def _hits(span: m.Interval, start: datetime, end: datetime) -> bool:
    """Half-open overlap; an empty interval overlaps nothing (RULES.md §1)."""
    return span[0] < end and start < span[1] and span[0] < span[1] and start < end


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
                    zone: tzinfo, finish: tuple[int, int] | None = None) -> m.Appointment:
    """The canonical appointment of one table row, given the rows' instants
    (``AppointmentTable.to_utc``); ``finish``: its finish block in epoch microseconds,
    when a variant holds rows with their service's finish (``Snapshot.with_finish``)."""
    t = table
    start = EPOCH + timedelta(microseconds=starts[row])
    return m.Appointment(
        t.ids[row], start, EPOCH + timedelta(microseconds=ends[row]),
        local_date(start, zone), t.client[row], t.staff[row], t.service[row],
        t.version[row], t.state[row], bool(t.deleted[row]), bool(t.staff_request[row]),
        t.source[row], t.room.get(row), t.machine.get(row), t.offer.get(row),
        t.course_item.get(row),
        finish=None if finish is None else (_instant(finish[0]), _instant(finish[1])),
        client_course_id=t.client_course.get(row),
        created_at=_at(t.created.get(row)))


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
        self.absent: frozenset[str] = frozenset(parts.absent)
        self.list_names: Mapping[str, str] = dict(parts.list_names)
        self.quarantined: tuple[m.Quarantined, ...] = tuple(parts.quarantined)
        self.unreadable: Mapping[str, Mapping[str, str]] = parts.unreadable
        self._quarantine = _QuarantineIndex(self.quarantined)
        self.records = parts.records
        self._reread = reread
        self._table = parts.table
        self._starts, self._ends = parts.starts, parts.ends
        # RULES.md §2: a row occupies its own [start, end). With expand_existing_finish
        # (``with_finish``) a variant adds its service's gap and finish: ``_finish`` holds
        # each such row's finish block, ``_span_ends`` the end of its span (what the
        # indexes hold); the base holds none.
        self.expanded = False
        self._finish: dict[int, tuple[int, int]] = {}
        self._span_ends = parts.ends
        self._finish_variant: Snapshot | None = None  # the other with_finish variant
        self._made: dict[int, m.Appointment] = {}
        self.appointments: Mapping[str, m.Appointment] = AppointmentMap(
            parts.table, self._appointment)
        self._overlay: _Overlay | None = None
        self._base_snapshot = self  # what an overlay lays its delta over
        # The other conventions' variants (``with_times``: its own is itself, never kept
        # here, so an overlay is no reference cycle and is freed as soon as it is dropped).
        self._variants: dict[str, Snapshot] = {}
        # Held while another convention's variant is built: a server's threads share a
        # snapshot, and a variant re-reads the whole history (seconds, and its memory).
        self._variants_lock = threading.Lock()
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
                   source: str = "<parts>", absent: Iterable[str] = (),
                   quarantined: Iterable[m.Quarantined] = ()) -> Snapshot:
        """A snapshot of canonical objects. Each appointment occupies its own
        ``[start, end)`` (RULES.md §2): a ``finish`` block is a schedule's, not a row's.
        ``absent``: the lists it does not hold (RULES.md §6: absent is not empty)."""
        parts = SnapshotParts()
        parts.notices = list(notices)
        parts.absent = set(absent)
        parts.quarantined = list(quarantined)
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
            cols.client_course.append(a.client_course_id)
            cols.created.append(None if a.created_at is None else to_micros(a.created_at))
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
        block = self._finish.get(row) if self._finish else None
        # setdefault: threads that build the same row at once all return the one kept.
        return self._made.setdefault(row, row_appointment(
            self._table, row, self._starts, self._ends, self.zone, block))

    # --- indexes, built once -----------------------------------------------------------

    def _build_indexes(self) -> None:
        t, starts, ends = self._table, self._starts, self._span_ends
        row_of, ids = t.row_of, t.ids
        unique = len(row_of) == len(ids)

        def live(r: int) -> bool:  # the later of two rows with one id is the one held
            return unique or row_of[ids[r]] == r

        # One test per distinct state (a history has a handful), not one per row.
        state_blocks = {state: state not in m.NON_BLOCKING_STATES for state in set(t.state)}
        blocks = bytes(map(and_, map(not_, t.deleted), map(state_blocks.__getitem__,
                                                            t.state)))
        triples: Iterable[tuple[int, str | None, str | None]]
        if unique:
            triples = zip(compress(range(len(ids)), blocks), compress(t.staff, blocks),
                          compress(t.client, blocks), strict=True)
        else:
            triples = ((r, t.staff[r], t.client[r])
                       for r in compress(range(len(ids)), blocks) if live(r))
        # Grouped first, then each key's rows put in start order (a stable sort: the order
        # one sort of every row, then grouping, gives). Row numbers go straight into 4-byte
        # arrays: a list of a million rows, and its sort keys, were the peak of a load.
        by_staff: dict[str | None, array[int]] = {}
        by_client: dict[str | None, array[int]] = {}
        for r, staff, client in triples:
            found = by_staff.get(staff)
            if found is None:
                found = by_staff[staff] = array("i")
            found.append(r)
            found = by_client.get(client)
            if found is None:
                found = by_client[client] = array("i")
            found.append(r)

        # A history is usually in start order already (an export's is): then so is each
        # key's rows, and no sort is needed (one pass in C decides it).
        in_order = all(map(le, starts, islice(starts, 1, None)))

        def sparse(column: Mapping[int, str]) -> dict[str | None, list[int]]:
            # Few rows name a room, a machine, an offer or a course item: walk those.
            out: dict[str | None, list[int]] = defaultdict(list)
            for r, value in column.items():
                if blocks[r] and live(r):
                    out[value].append(r)
            if not in_order:
                for bucket in out.values():
                    bucket.sort(key=starts.__getitem__)
            return out

        def grouped(groups: Mapping[str | None, Sequence[int]]) -> RowIndexes[m.Appointment]:
            return RowIndexes(groups, starts, ends, ids, self._appointment)

        def in_start_order(groups: dict[str | None, array[int]]
                           ) -> dict[str | None, array[int]]:
            by_start = starts.__getitem__
            for key, found in groups.items():
                groups[key] = array("i", sorted(found, key=by_start))
            return groups

        self._by_staff = grouped(by_staff if in_order else in_start_order(by_staff))
        self._by_client = grouped(by_client if in_order else in_start_order(by_client))
        self._by_room = grouped(sparse(t.room))
        self._by_machine = grouped(sparse(t.machine))
        self._by_offer = grouped(sparse(t.offer))
        items = self.course_items
        by_course: dict[str | None, list[int]] = defaultdict(list)
        for item, course_rows in sparse(t.course_item).items():
            if item in items:
                by_course[items[item].client_course_id].extend(course_rows)
        # A session named by its client course only (``clientCourseId``) counts too.
        for course, course_rows in sparse(t.client_course).items():
            by_course[course].extend(r for r in course_rows
                                     if t.course_item.get(r) not in items)
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

    def quarantined_for(self, what: str, key: str | None, day: date | None
                        ) -> m.Quarantined | None:
        """A row the snapshot could not read that may hold ``key`` as ``what``
        (``"appointments.staff"``, ``"breaks.room"``, ...) on local ``day`` (None: any
        day): the rules that read it answer UNKNOWN (RULES.md §6)."""
        return self._quarantine.find(what, key, day) if self._quarantine else None

    # --- appointment queries: the base's indexes, then the overlay's changes ------------

    def staff_appointments(self, staff_id: str, start: datetime, end: datetime
                           ) -> list[m.Appointment]:
        """Blocking appointments whose staff blocks overlap ``[start, end)``, in index
        order (start, end, id)."""
        index = self._by_staff.get(staff_id)
        found = index.overlapping(start, end) if index is not None else []
        if self._finish and found:  # the index holds spans: the staff is free in the gap
            found = [a for a in found if a.finish is None
                     or any(_hits(b, start, end) for b in a.blocks)]
        o = self._overlay
        if o is None:
            return found
        mine = o.by_staff.get(staff_id)
        if mine is None and not o.hidden:  # the overlay holds nothing of this key
            return found
        return o.merge(found, [a for a in mine or ()
                               if any(_hits((s, e), start, end) for s, e in a.blocks)])

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
        mine: list[m.Appointment] | None = getattr(o, added).get(key)
        if mine is None and not o.hidden:  # the overlay holds nothing of this key
            return found
        return o.merge(found, [a for a in mine or () if _hits(a.span, start, end)])

    def client_day(self, client_id: str, day: date) -> list[m.Appointment]:
        """The client's appointments starting on local ``day``, in (start, id) order."""
        found = self._day(self._by_client, client_id, day)
        o = self._overlay
        if o is None or (not o.hidden and client_id not in o.by_client):
            return found
        return o.day(found, o.by_client.get(client_id, []), day)

    def offer_day(self, offer_id: str, day: date) -> list[m.Appointment]:
        found = self._day(self._by_offer, offer_id, day)
        o = self._overlay
        if o is None or (not o.hidden and offer_id not in o.by_offer):
            return found
        return o.day(found, o.by_offer.get(offer_id, []), day)

    def _day(self, indexes: RowIndexes[m.Appointment], key: str, day: date
             ) -> list[m.Appointment]:
        index = indexes.get(key)
        if index is None:
            return []
        start, end = self.day_bounds(day)
        return sorted(index.starting(query_micros(start), query_micros(end)),
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
            bounds = self._day_bounds.setdefault(day, (start, end))
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
        if found is not None:
            return found
        with self._variants_lock:  # built once, whichever thread asks first
            found = self._variants.get(times)
            if found is None:
                if self._overlay is not None:
                    found = self._root().with_times(times).with_changes(
                        self._overlay.delta.upserts.values(), self._overlay.delta.removed,
                        coverage=self.coverage)
                else:
                    found = self._reread(times).with_finish(self.expanded)
                self._variants[times] = found
        return found

    def with_finish(self, expand: bool) -> Snapshot:
        """The variant whose existing rows are held as request schedules are, their
        service's gap and finish added (RULES.md §2, ``expand_existing_finish``), for a
        source that does not split a service's finish block into a row of its own; with
        ``expand`` False, the snapshot as read (each row its own span). Built once."""
        if expand == self.expanded:
            return self
        if self._finish_variant is None:
            with self._variants_lock:  # built once, whichever thread asks first
                if self._finish_variant is None:
                    if self._overlay is not None:
                        variant = self._root().with_finish(expand).with_changes(
                            self._overlay.delta.upserts.values(),
                            self._overlay.delta.removed)
                    else:
                        variant = self._expand(expand)
                    self._finish_variant = variant
        return self._finish_variant

    def _expand(self, expand: bool) -> Snapshot:
        t, services, staff = self._table, self.services, self.staff
        finish: dict[int, tuple[int, int]] = {}
        span_ends = array("q", self._ends)
        if not expand:  # the plain variant of an expanded one (after with_records)
            services = {}
        with_finish = {sid for sid, sv in services.items()
                       if sv.finish_duration or any(sv.user_finish_durations.values())}
        if with_finish:
            for row, service_id in enumerate(t.service):
                if service_id not in with_finish:
                    continue
                sv = services[service_id or ""]
                length = sv.finish_for(staff.get(t.staff[row] or ""))
                if length <= 0:
                    continue
                fs = self._ends[row] + sv.gap_time * 60_000_000
                finish[row] = (fs, fs + length * 60_000_000)
                span_ends[row] = fs + length * 60_000_000
        out = copy.copy(self)
        out.expanded, out._finish, out._span_ends = expand, finish, span_ends
        out._finish_variant = self  # the other variant of this one
        out._made = {}
        out.appointments = AppointmentMap(t, out._appointment)
        out._variants = {}
        out._base_snapshot = out
        out._build_indexes()
        return out

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
        added = {a.id: a for a in upserts}
        gone = frozenset(removed) if removed else _NONE
        base = self._root()
        if self._overlay is None:
            delta = Delta(added, gone)
        elif gone:
            delta = self._overlay.delta.then(Delta(added, gone))
        else:  # the engine's case: one more schedule of a request
            delta = self._overlay.delta.plus(added)
        # A shallow copy of the base's attributes (indexes shared), made directly: the
        # engine lays one overlay per earlier schedule of a request, so this is a hot path.
        out = object.__new__(Snapshot)
        attrs = out.__dict__
        attrs.update(base.__dict__)
        attrs.update(_base_snapshot=base,
                     _overlay=_Overlay(delta, base.course_items, base._table.row_of),
                     coverage=self.coverage if coverage is None else coverage,
                     appointments=_OverlayMap(base.appointments, delta), _variants={},
                     _variants_lock=threading.Lock(), _finish_variant=None)
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
        root._variants = {}
        root._finish_variant = None  # built again, with these records
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


def _instant(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _at(micros: int | None) -> datetime | None:
    return None if micros is None else _instant(micros)


class _QuarantineIndex:
    """Quarantined rows by what they may hold (``"list.kind"``, id), for the engine's
    question: may a row that could not be read hold this resource on this local date?"""

    __slots__ = ("_by",)

    def __init__(self, rows: Iterable[m.Quarantined]) -> None:
        self._by: dict[tuple[str, str], list[m.Quarantined]] = defaultdict(list)
        for q in rows:
            for what, key in q.holds.items():
                self._by[(what, key)].append(q)

    def __bool__(self) -> bool:
        return bool(self._by)

    def find(self, what: str, key: str | None, day: date | None) -> m.Quarantined | None:
        """A quarantined row that may hold ``key`` (under ``what``) on local ``day``
        (``day`` None: on any date)."""
        if not key:
            return None
        found: list[m.Quarantined] = [*self._by.get((what, key), []),
                                      *self._by.get((what, m.ANY), [])]
        for q in found:
            if day is None or q.days is None or day in q.days:
                return q
        return None


_NONE: frozenset[str] = frozenset()
_ALL_TIME = (to_micros(datetime.min.replace(tzinfo=UTC)),
             to_micros(datetime.max.replace(tzinfo=UTC)))
