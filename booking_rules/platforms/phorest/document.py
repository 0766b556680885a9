"""A Phorest snapshot document (``docs/snapshot-format.md``) read into canonical parts.

Each list may be plain rows, one HAL page or a list of HAL pages. What the document does
not hold is said, never guessed (RULES.md §6):

* a list key that is absent was not loaded: the parts name it (``absent``), and the rules
  that need it answer UNKNOWN; ``[]`` is a list known to be empty;
* a ``null`` where a field has a default reads as the default, one notice per field;
* a row that cannot be read is quarantined: left out, listed with its JSON path, and what
  it may hold recorded, so the rules that would have needed it answer UNKNOWN;
* an unknown key anywhere is reported once per name with its path and the closest known
  name (``UNKNOWN_FIELD``).

A document that is not a snapshot at all (not an object, no usable ``branch``) is still an
``InputError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar

import msgspec
from pydantic import ValidationError

from ... import _json
from ..._errors import InputError
from ..._time import EPOCH, LocalDays, check_date, load_zone, local_span, parse_local_time
from ...core import model as m
from ...core.appointments import AppointmentTable
from ...core.snapshot import SnapshotParts
from .common import LIST_KEYS, Audit, first_error, page_items, suggest, validate
from .history import table_from_json, table_from_value
from .wire import (
    COVERAGE_STREAMS,
    BranchIn,
    ClientCourseIn,
    ClientIn,
    ConventionsIn,
    CourseIn,
    CoverageIn,
    MachineIn,
    RoomIn,
    ServiceIn,
    SpecialOfferIn,
    StaffIn,
    TimeSlotIn,
    Wire,
    WorkTimeTableIn,
    known_names,
)
from .wire import BreakIn as BreakIn

W = TypeVar("W", bound=Wire)

# The canonical list each snapshot key fills, for the rules' reasons (RULES.md §6).
CANONICAL: dict[str, str] = {
    "staff": "staff", "services": "services", "workTimeTables": "roster",
    "breaks": "breaks", "appointments": "appointments", "rooms": "rooms",
    "machines": "machines", "specialOffers": "offers", "courses": "courses",
    "clientCourses": "course_items", "clients": "clients",
}
# The business records beside bookings (read by ``writes``: products, vouchers, purchases)
# are known keys too.
KNOWN_TOP = frozenset({*LIST_KEYS, "branch", "branchId", "conventions", "coverage",
                       "products", "vouchers", "purchases"})
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
# Quarantined rows listed one notice each up to this many; the rest are counted in one.
_LISTED = 20


def select_branch(doc: Mapping[str, Any], source: str, branch: str | None) -> object:
    """The branch row: ``branch`` itself, or the one of a page of branches (``GET
    /business/{businessId}/branch``) that the caller or the document's ``branchId``
    names. A page of several with no name, or a name it does not hold, is an error."""
    raw = doc["branch"]
    wanted = branch if branch is not None else doc.get("branchId")
    if isinstance(raw, list) or (isinstance(raw, dict) and "_embedded" in raw):
        items = page_items(raw, "branches", source, "branch")
        ids = [str(b.get("branchId")) for b in items if isinstance(b, dict)]
        if wanted is None:
            if len(items) != 1:
                raise InputError(
                    source, "branch", "exactly one branch, or the one to read named by the "
                    f"snapshot's top-level branchId (or --branch): the page holds "
                    f"{len(items)} ({', '.join(ids[:10])})")
            return items[0]
        found = [b for b in items if isinstance(b, dict) and b.get("branchId") == wanted]
        if len(found) != 1:
            close = suggest(str(wanted), frozenset(ids))
            raise InputError(
                source, "branchId" if branch is None else "--branch",
                f"a branchId the branch page holds once ({', '.join(ids[:10])})"
                + (f"; did you mean {close!r}?" if close else ""), wanted)
        return found[0]
    if wanted is not None and isinstance(raw, dict) and raw.get("branchId") != wanted:
        raise InputError(source, "branchId" if branch is None else "--branch",
                         f"the id of the snapshot's branch ({raw.get('branchId')!r})",
                         wanted)
    return raw


class _Reader:
    """One document's lists into ``parts``, with the audit and the quarantine."""

    def __init__(self, doc: Mapping[str, Any], source: str, parts: SnapshotParts) -> None:
        self.doc, self.source, self.parts = doc, source, parts
        self.audit = Audit()
        self.unreadable: list[tuple[str, str]] = []  # (JSON path, why)

    def rows(self, key: str) -> list[object] | None:
        """The rows of list ``key``; None (and the list named absent) when the document
        does not hold it."""
        if key not in self.doc:
            self.parts.absent.add(CANONICAL[key])
            return None
        value = self.doc[key]
        if value is None:  # null is not a list: read as not loaded, and said
            self.parts.absent.add(CANONICAL[key])
            self.audit.null("the snapshot's top level", key, key, "absent (not loaded)")
            return None
        return page_items(value, key, self.source, key)

    def read(self, model: type[W], item: object, template: str, path: str
             ) -> W | None:
        """One row as ``model``, or None when it cannot be read (quarantined)."""
        clean = self.audit.row(model, item, template, path)
        try:
            return model.model_validate(clean)
        except ValidationError as exc:
            where, expected, got = first_error(exc, path)
            field = where.removeprefix(path).lstrip(".")
            self.unreadable.append((path, f"{field or 'the row'}: expected {expected}" + (
                f", got {got!r}" if got is not None else "")))
            return None

    def each(self, key: str, model: type[W], ids: str | None = None
             ) -> Iterator[tuple[int, W]]:
        """The readable rows of list ``key``, one at a time (a branch's 30,000 clients as
        validated models at once were the peak of a load); an unreadable row with a
        readable id is remembered under it (``ids``: its id field), so a booking naming it
        is UNKNOWN."""
        for i, item in enumerate(self.rows(key) or ()):
            row = self.read(model, item, f"{key}[]", f"{key}[{i}]")
            if row is not None:
                yield i, row
            elif isinstance(item, dict):
                # A booking that names it answers UNKNOWN, not "unknown id".
                named = [item.get(ids)] if ids is not None else [
                    it.get("clientCourseItemId") for it in item.get("clientCourseItems") or ()
                    if isinstance(it, dict)]
                for value in named:
                    self.unreadable_id(key, value, i)

    def unreadable_id(self, key: str, value: object, i: int) -> None:
        """Remember that row ``i`` of list ``key``, unreadable, names id ``value``."""
        if isinstance(value, str) and value:
            self.parts.unreadable.setdefault(CANONICAL[key], {})[value] = f"{key}[{i}]"

    def quarantine(self, path: str, reason: str, days: frozenset[date] | None,
                   holds: dict[str, str]) -> None:
        self.parts.quarantined.append(m.Quarantined(path, reason, days, holds))

    def notices(self) -> list[m.Notice]:
        out = self.audit.notices()
        for path, why in self.unreadable[:_LISTED]:
            out.append(m.Notice(
                "unreadable_row", f"{path} could not be read ({why}); it was left out, and "
                "the rules that would need it answer UNKNOWN", path, {"reason": why}))
        if len(self.unreadable) > _LISTED:
            more = self.unreadable[_LISTED:]
            out.append(m.Notice(
                "unreadable_row", f"{len(more)} more rows could not be read and were left "
                f"out (the first: {more[0][0]})", more[0][0], {"rows": len(more)}))
        return out


def _holds(item: object, fields: Mapping[str, str]) -> dict[str, str]:
    """What an unreadable row may hold: each named id, ``ANY`` for one given but not
    readable as an id."""
    out: dict[str, str] = {}
    if not isinstance(item, dict):
        return {what: m.ANY for what in fields.values()}
    for name, what in fields.items():
        value = item.get(name)
        if isinstance(value, str) and value:
            out[what] = value
        elif value is not None:
            out[what] = m.ANY
    return out


def _day(item: object, name: str) -> date | None:
    value = item.get(name) if isinstance(item, dict) else None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _put(target: dict[str, Any], key: str, value: Any, parts: SnapshotParts, where: str) -> None:
    if key in target:
        parts.notices.append(m.Notice(
            "duplicate_id", f"id {key!r} appears twice; the later entry is used", where))
    target[key] = value


def _name(first: str | None, last: str | None, fallback: str) -> str:
    name = " ".join(p for p in (first, last) if p)
    return name or fallback


def read_snapshot_doc(
    doc: object, source: str, default_times: str = "local",
    appointments: AppointmentTable | msgspec.Raw | list[msgspec.Raw] | None = None,
    branch: str | None = None,
) -> tuple[m.Branch, str, bool, SnapshotParts]:
    """Parse a snapshot document: (branch, appointment-time convention, declared?, parts).

    ``appointments``, when given, stands for the document's ``appointments`` key: the rows
    already read (another convention's read of the same document), or the key's raw JSON
    (``load_snapshot`` of a file decodes the history straight from its bytes).
    ``branch``: the branch to read when ``branch`` is a page of several.
    """
    if not isinstance(doc, dict):
        raise InputError(source, "", "a JSON object (the snapshot document)", None)
    if "branch" not in doc or doc["branch"] is None:
        raise InputError(source, "branch", "this key: the branch with its timeZone")
    parts = SnapshotParts()
    parts.list_names = {canonical: key for key, canonical in CANONICAL.items()}
    reader = _Reader(doc, source, parts)
    audit = reader.audit
    b = validate(BranchIn, audit.row(BranchIn, select_branch(doc, source, branch),
                                     "branch", "branch"), source, "branch")
    try:
        zone = load_zone(b.timeZone)
    except ValueError as exc:
        raise InputError(source, "branch.timeZone", str(exc)) from None
    branch_row = m.Branch(b.branchId, b.name or b.branchId, zone)

    conventions = doc.get("conventions")
    declared = isinstance(conventions, dict) and conventions.get("appointmentTimes") is not None
    conv = validate(ConventionsIn, audit.row(ConventionsIn, conventions or {}, "conventions",
                                             "conventions"), source, "conventions")
    times = conv.appointmentTimes if declared else default_times
    for key in doc:
        if key not in KNOWN_TOP:
            audit.unknown_field("", str(key), str(key), KNOWN_TOP)

    local_days = LocalDays(zone)

    def local_wall_span(day: date, start: time, end: time, where: str) -> tuple[
            datetime, datetime]:
        # A long-running salon's rosters hold a slot per staff member per day for years:
        # on a day whose UTC offset never changes, a wall time is that day's UTC midnight
        # plus the time of day (``LocalDays``); a day with a transition is read exactly.
        ordinal = day.toordinal()
        base = local_days.plain(ordinal)
        if base is not None:
            next_base = base if end >= start else local_days.plain(ordinal + 1)
            if next_base is not None:
                return (EPOCH + timedelta(microseconds=base + _micros(start)),
                        EPOCH + timedelta(microseconds=next_base + _micros(end)))
        rs, re_ = local_span(day, start, end, zone)
        for r in (rs, re_):
            if r.shifted:
                parts.notices.append(m.Notice(
                    "nonexistent_local_time", "a wall time in the spring-forward gap was "
                    f"moved forward by {r.shifted}", where))
        return rs.instant, re_.instant

    for i, s in reader.each("staff", StaffIn, "staffId"):
        _put(parts.staff, s.staffId, m.Staff(
            s.staffId, s.userId, _name(s.firstName, s.lastName, s.staffId),
            frozenset(s.disqualifiedServices), s.archived, s.hideFromOnlineBookings,
        ), parts, f"staff[{i}]")
    for i, sv in reader.each("services", ServiceIn, "serviceId"):
        _put(parts.services, sv.serviceId, m.Service(
            sv.serviceId, sv.name or sv.serviceId, sv.duration, sv.finishDuration or 0,
            sv.gapTime or 0, {u.userRef: u.duration for u in sv.userDurations},
            {u.userRef: u.duration for u in sv.userFinishDurations},
            frozenset(sv.disqualifiedStaff), tuple(sv.roomIds), tuple(sv.machineIds),
            sv.internetEnabled, sv.archived, sv.isAddonOnly,
        ), parts, f"services[{i}]")
    for i, r in reader.each("rooms", RoomIn, "roomId"):
        _put(parts.rooms, r.roomId, m.Room(r.roomId, r.name or r.roomId, r.capacity),
             parts, f"rooms[{i}]")
    for i, mc in reader.each("machines", MachineIn, "machineId"):
        _put(parts.machines, mc.machineId, m.Machine(
            mc.machineId, mc.name or mc.machineId, mc.quantity), parts, f"machines[{i}]")

    _read_rosters(reader, local_wall_span)
    _read_breaks(reader, local_wall_span)

    for i, o in reader.each("specialOffers", SpecialOfferIn, "specialOfferId"):
        allowed = tuple(
            m.AllowedTime(frozenset(_WEEKDAYS.index(d) for d in w.days), w.startTime,
                          w.endTime) for w in o.allowedTimes)
        _put(parts.offers, o.specialOfferId, m.SpecialOffer(
            o.specialOfferId, o.name or o.specialOfferId, frozenset(o.serviceIds),
            o.startDate, o.endDate, allowed, o.maxConcurrent, o.maxPerDay,
            frozenset(o.excludedStaffIds)), parts, f"specialOffers[{i}]")

    offers = frozenset(parts.offers)
    if isinstance(appointments, AppointmentTable):
        table = appointments
    elif appointments is not None:
        table = table_from_json(appointments, source, offers)
    elif "appointments" in doc and doc["appointments"] is not None:
        table = table_from_value(doc["appointments"], source, offers)
    else:
        table = table_from_value(None, source, offers)
    if "appointments" not in doc or (doc["appointments"] is None and appointments is None):
        reader.rows("appointments")  # names the list absent (and a null)
    starts, ends, notes = table.to_utc(zone if times != "utc" else None)
    parts.notices += [notice for _, notice in notes]
    parts.table, parts.starts, parts.ends = table, starts, ends
    for where, why, walls, holds in table.quarantined:
        days = None
        if walls is not None:
            # Local rows lie on their wall dates; UTC rows may fall on either neighbouring
            # local date.
            near = (0,) if times != "utc" else (-1, 0, 1)
            days = frozenset(date.fromordinal(d) + timedelta(days=k)
                             for d in walls for k in near)
        parts.quarantined.append(m.Quarantined(where, why, days, holds))
        reader.unreadable.append((where, why))

    for i, c in reader.each("courses", CourseIn, "courseId"):
        _put(parts.courses, c.courseId, m.Course(
            c.courseId, c.name or c.courseId, c.minDaysBetweenSessions,
            c.maxDaysBetweenSessions), parts, f"courses[{i}]")
    for i, cc in reader.each("clientCourses", ClientCourseIn):
        for j, it in enumerate(cc.clientCourseItems):
            _put(parts.course_items, it.clientCourseItemId, m.ClientCourseItem(
                it.clientCourseItemId, cc.clientCourseId, cc.clientId, cc.courseId,
                it.serviceId, it.initialUnits, it.remainingUnits, cc.expiryDate,
                cc.archived), parts, f"clientCourses[{i}].clientCourseItems[{j}]")
    _read_clients(reader, parts)

    if doc.get("coverage") is not None:
        cov = validate(CoverageIn, audit.row(CoverageIn, doc["coverage"], "coverage",
                                             "coverage"), source, "coverage")

        def instant(value: date | datetime | None, end: bool) -> datetime | None:
            if value is None or isinstance(value, datetime):
                return value
            day = value + timedelta(days=1) if end else value  # `to` dates are inclusive
            return local_span(day, time(0), time(0), zone)[0].instant

        streams: list[tuple[str, datetime]] = []
        for key, value in sorted((cov.streams or {}).items()):
            if key not in COVERAGE_STREAMS:
                raise InputError(source, f"coverage.streams.{key}", "a snapshot list key ("
                                 + ", ".join(COVERAGE_STREAMS) + ")")
            at = instant(value, False)
            assert at is not None  # a date or an instant, validated above
            streams.append((COVERAGE_STREAMS[key], at))
        parts.coverage = m.Coverage(instant(cov.from_, False), instant(cov.to, True),
                                    instant(cov.fetchedAt, False), tuple(streams))
    # What the reading itself found (unknown keys, nulls, unreadable rows) comes first.
    parts.notices[:0] = reader.notices()
    return branch_row, times, declared, parts


def _read_rosters(reader: _Reader, span: Callable[[date, time, time, str],
                                                   tuple[datetime, datetime]]) -> None:
    """Rosters: WORKING slots only; an empty slot (end equal to start) is no time."""
    parts = reader.parts
    plain = _PlainRows()
    for i, item in enumerate(reader.rows("workTimeTables") or ()):
        where = f"workTimeTables[{i}]"
        slots = item.get("timeSlots") if isinstance(item, dict) else None
        head = {k: v for k, v in item.items() if k != "timeSlots"} if isinstance(
            item, dict) else item
        table = reader.read(WorkTimeTableIn, head, "workTimeTables[]", where)
        if table is None:
            reader.quarantine(where, reader.unreadable[-1][1], None,
                              {"roster.staff": m.ANY})
            continue
        if slots is None:
            continue
        if not isinstance(slots, list):
            reader.unreadable.append((f"{where}.timeSlots", "expected a list of slots"))
            reader.quarantine(f"{where}.timeSlots", "expected a list of slots", None,
                              {"roster.staff": table.staffId})
            continue
        for j, raw in enumerate(slots):
            at = f"{where}.timeSlots[{j}]"
            slot = plain.slot(raw) or reader.read(TimeSlotIn, raw,
                                                  "workTimeTables[].timeSlots[]", at)
            if slot is None:
                day = _day(raw, "date")
                reader.quarantine(at, reader.unreadable[-1][1],
                                  None if day is None else frozenset({day}),
                                  {"roster.staff": table.staffId})
                continue
            if slot.type != "WORKING":
                continue
            s0, e0 = span(slot.date, slot.startTime, slot.endTime, at)
            if s0 == e0:
                continue  # RULES.md §1: an end equal to the start is empty
            off = None
            if slot.timeOffStartTime is not None and slot.timeOffEndTime is not None:
                off = span(slot.date, slot.timeOffStartTime, slot.timeOffEndTime, at)
                if off[0] == off[1]:
                    off = None
            parts.roster.append(m.RosterSlot(table.staffId, slot.date, s0, e0, off))


def _micros(clock: time) -> int:
    return ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1_000_000 + (
        clock.microsecond)


class _Slot(NamedTuple):
    """A roster slot read by ``_PlainRows``: ``TimeSlotIn``'s fields, without pydantic's
    construction cost (a long-running salon's roster holds one per staff per day)."""

    date: date
    startTime: time
    endTime: time
    timeOffStartTime: time | None
    timeOffEndTime: time | None
    type: str


class _Break(NamedTuple):
    """A break read by ``_PlainRows``: ``BreakIn``'s fields and defaults."""

    breakDate: date
    startTime: time
    endTime: time
    breakId: str = ""
    staffId: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    label: str | None = None


class _PlainRows:
    """Roster slots and breaks in their plain shape, read without pydantic.

    A row whose keys are all known and whose values are all strings that read is built
    here, through the very functions the wire model's validators call (``_iso_date``'s
    ``date.fromisoformat``, ``_local_time``'s ``parse_local_time``), each distinct string
    read once: a roster repeats a few dates and a few times of day. Anything else (an
    unknown key, a null, a number, a string that does not read) returns None, and the
    caller reads the row through the model as before, with its notices and quarantine.
    """

    __slots__ = ("_clocks", "_dates")

    def __init__(self) -> None:
        self._dates: dict[str, date | None] = {}
        self._clocks: dict[str, time | None] = {}

    def _date(self, text: object) -> date | None:
        if type(text) is not str:
            return None
        try:
            return self._dates[text]
        except KeyError:
            pass
        try:
            found: date | None = check_date(date.fromisoformat(text))  # the input years
        except ValueError:
            found = None
        self._dates[text] = found
        return found

    def _clock(self, text: object) -> time | None:
        if type(text) is not str:
            return None
        try:
            return self._clocks[text]
        except KeyError:
            pass
        try:
            found: time | None = parse_local_time(text)
        except ValueError:
            found = None
        self._clocks[text] = found
        return found

    def slot(self, raw: object) -> _Slot | None:
        if type(raw) is not dict or not raw.keys() <= _SLOT_KEYS:
            return None
        kind = raw.get("type", "NOT_SPECIFIED")
        day, start, end = (self._date(raw.get("date")), self._clock(raw.get("startTime")),
                           self._clock(raw.get("endTime")))
        if day is None or start is None or end is None or type(kind) is not str:
            return None
        off_start = off_end = None
        if "timeOffStartTime" in raw:
            off_start = self._clock(raw["timeOffStartTime"])
            if off_start is None:
                return None
        if "timeOffEndTime" in raw:
            off_end = self._clock(raw["timeOffEndTime"])
            if off_end is None:
                return None
        return _Slot(day, start, end, off_start, off_end, kind)

    def break_(self, raw: object) -> _Break | None:
        if type(raw) is not dict or not raw.keys() <= _BREAK_KEYS:
            return None
        day, start, end = (self._date(raw.get("breakDate")),
                           self._clock(raw.get("startTime")), self._clock(raw.get("endTime")))
        if day is None or start is None or end is None:
            return None
        text: dict[str, str] = {}
        for key in _BREAK_TEXT:
            if key in raw:
                if type(raw[key]) is not str:
                    return None
                text[key] = raw[key]
        return _Break(day, start, end, **text)


def _read_clients(reader: _Reader, parts: SnapshotParts) -> None:
    """The clients, for their names. A branch holds tens of thousands, so a row of the
    plain shape (every key known, the id a non-empty string, the names strings or null)
    is read here, without the audit and pydantic, which would find nothing to say and read
    the same values; any other row takes the model's read, with its notices."""
    for i, raw in enumerate(reader.rows("clients") or ()):
        client = plain_client(raw)
        if client is not None:
            _put(parts.clients, client.id, client, parts, f"clients[{i}]")
            continue
        cl = reader.read(ClientIn, raw, "clients[]", f"clients[{i}]")
        if cl is not None:
            _put(parts.clients, cl.clientId, m.Client(
                cl.clientId, _name(cl.firstName, cl.lastName, cl.clientId)), parts,
                f"clients[{i}]")
        elif isinstance(raw, dict):
            reader.unreadable_id("clients", raw.get("clientId"), i)


def plain_client(raw: object) -> m.Client | None:
    """A client row of the plain shape read without the audit and pydantic, or None."""
    if type(raw) is dict and raw.keys() <= _CLIENT_KEYS:
        cid, first, last = raw.get("clientId"), raw.get("firstName"), raw.get("lastName")
        if type(cid) is str and cid and (first is None or type(first) is str) and (
                last is None or type(last) is str):
            return m.Client(cid, _name(first, last, cid))
    return None


_CLIENT_KEYS = known_names(ClientIn)
_SLOT_KEYS = frozenset({"date", "startTime", "endTime", "timeOffStartTime", "timeOffEndTime",
                        "type"})
_BREAK_TEXT = ("breakId", "staffId", "roomId", "machineId", "label")
_BREAK_KEYS = frozenset({"breakDate", "startTime", "endTime", *_BREAK_TEXT})


_BREAK_HOLDS = {"staffId": "breaks.staff", "roomId": "breaks.room",
                "machineId": "breaks.machine"}


def _read_breaks(reader: _Reader, span: Callable[[date, time, time, str],
                                                  tuple[datetime, datetime]]) -> None:
    parts = reader.parts
    plain = _PlainRows()
    for i, item in enumerate(reader.rows("breaks") or ()):
        where = f"breaks[{i}]"
        br = plain.break_(item) or reader.read(BreakIn, item, "breaks[]", where)
        if br is None:
            day = _day(item, "breakDate")
            reader.quarantine(where, reader.unreadable[-1][1],
                              None if day is None else frozenset({day}),
                              _holds(item, _BREAK_HOLDS))
            continue
        s0, e0 = span(br.breakDate, br.startTime, br.endTime, where)
        if not (br.staffId or br.roomId or br.machineId):
            parts.notices.append(m.Notice(
                "break_without_resource", "a break names no staff, room or machine; it "
                "blocks nothing", where))
        parts.breaks.append(m.Break(br.breakId or where, s0, e0, br.breakDate, br.staffId,
                                    br.roomId, br.machineId, br.label))


# --- the top of a snapshot file, decoded without its history ----------------------------


def split_snapshot_json(data: Any, source: str = "<snapshot>"
                        ) -> tuple[dict[str, Any], object]:
    """A snapshot file's bytes: the small keys decoded, the appointment history not yet.

    The history comes back split into its rows' raw JSON when it is a plain list (one pass
    over the bytes), else as the key's raw JSON. Raises ``msgspec.DecodeError`` (and
    ``RecursionError``) on what is not valid JSON; a key's value beyond the input limits
    (``_json``) is an InputError naming it.
    """
    try:
        top = _TOP_JSON.decode(data)
    except msgspec.ValidationError:  # an unknown key, or a history that is not a list
        raws: dict[str, msgspec.Raw] = _TOP_ANY.decode(data)
        history: object = raws.pop("appointments", _NO_KEY)
    else:
        raws = {name: getattr(top, name) for name in _TOP_FIELDS
                if getattr(top, name) is not msgspec.UNSET}
        history = getattr(top, "appointments")  # noqa: B009 (a field of a built Struct)
        if history is msgspec.UNSET:
            history = _NO_KEY
    doc = {key: _json.loads(raw, source, key) for key, raw in raws.items()}
    if history is _NO_KEY:
        return doc, None  # absent: not loaded
    if history is None or (isinstance(history, msgspec.Raw)
                           and bytes(history).strip() == b"null"):
        doc["appointments"] = None  # null: read as not loaded, with a notice
        return doc, None
    doc["appointments"] = []  # present: its rows are read from ``history``
    return doc, history


_NO_KEY = object()
_TOP_FIELDS = tuple(sorted(KNOWN_TOP - {"appointments"}))
_TOP_JSON = msgspec.json.Decoder(msgspec.defstruct(
    "_Top", [*((name, msgspec.Raw | msgspec.UnsetType, msgspec.UNSET) for name in _TOP_FIELDS),
             ("appointments", list[msgspec.Raw] | None | msgspec.UnsetType, msgspec.UNSET)],
    forbid_unknown_fields=True, gc=False))
_TOP_ANY = msgspec.json.Decoder(dict[str, msgspec.Raw])
