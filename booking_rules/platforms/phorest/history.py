"""The appointment history of a Phorest snapshot, read into the core's column table.

A chain's history holds a million rows, so the common row never meets pydantic: msgspec
decodes batches of rows (from the file's bytes, or converts dicts) into a struct that names
every field a rule reads and, as undecoded ``Raw``, every field Phorest returns that no rule
reads (``wire.APPOINTMENT_UNUSED``): known fields cost nothing (RULES.md §4).

What msgspec does not take as is goes a narrower way, never the whole history:

* a field no one knows: its name is added to the struct (one retry per distinct name) and
  reported once (``UNKNOWN_FIELD``), so a tenant's extra field stays on the fast read;
* a value of another type (a number as a string): that batch is read row by row, and only
  the rows msgspec refuses go through ``AppointmentIn`` (pydantic), which may coerce them;
* a ``null`` where a field has a default: read as the default, one notice per field;
* a row that cannot be read at all (no id, no staff member, a date or time that is not
  one, not an object): quarantined (RULES.md §6), kept out of the table and listed with
  its JSON path, what it may hold recorded for the rules that would have needed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from itertools import compress, repeat
from operator import attrgetter
from typing import Annotated, Any, cast

import msgspec
from pydantic import ValidationError

from ... import _json
from ..._errors import InputError
from ..._time import check_date, parse_instant, parse_local_time, to_micros
from ...core import model as m
from ...core.appointments import AppointmentTable, Columns, micros_of_day
from .common import Audit, first_error, page_items
from .wire import APPOINTMENT_UNUSED, AppointmentIn, defaults

# Whether rows are decoded by msgspec first (tests switch it off to compare every row's
# general read with the fast one).
FAST = True


# An integer within the input limits (``_json.MAX_INT``): a row beyond them is read by
# the general reader, which names it.
_BoundedInt = Annotated[int, msgspec.Meta(ge=-_json.MAX_INT, le=_json.MAX_INT)]


class AppointmentRow(msgspec.Struct, gc=False):
    """An appointment row for the fast reader: every field ``AppointmentIn`` reads, with
    ``None`` where a row may leave it out or send ``null`` (decided after decoding)."""

    appointmentId: str | None = None
    appointmentDate: str | None = None
    startTime: str | None = None
    endTime: str | None = None
    version: _BoundedInt | None = None
    clientId: str | None = None
    staffId: str | None = None
    serviceId: str | None = None
    activationState: str | None = "ACTIVE"
    deleted: bool | None = False
    staffRequest: bool | None = False
    source: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    specialOfferId: str | None = None
    serviceGroupId: str | None = None
    parentServiceGroupId: str | None = None
    clientCourseItemId: str | None = None
    clientCourseId: str | None = None
    createdAt: str | None = None


_READ = AppointmentRow.__struct_fields__
_ROW_FIELDS = attrgetter(*_READ)
_ABSENT = msgspec.Raw(b"")  # the default of an unread field: identity tells "not sent"
_NULLABLE = {name: value for name, value in defaults(AppointmentIn).items()}
_UNKNOWN = re.compile(r"^Object contains unknown field `(.*)` - at `[^`]*`$", re.S)
# Distinct unknown field names taken onto the fast struct; past this, rows that carry yet
# another go through pydantic (a history with a hundred invented fields is not a sync).
_MAX_EXTRA = 64
# Rows decoded at a time: a million decoded rows at once would take GBs, and a batch this
# size stays in the CPU's cache between decoding and packing (measured: 2,000 is fastest).
BATCH = 2_000
_RAW_ROWS = msgspec.json.Decoder(list[msgspec.Raw])
_BAD = -1  # a date or time of day that is not one (valid values are >= 0)


class _Parsed(dict[Any, int]):
    """A string read once per distinct value: a history has a few thousand dates and a
    hundred times of day, over a million rows. A value that is not one reads ``_BAD``."""

    def __init__(self, read: Callable[[str], int]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, key: Any) -> int:
        try:
            value = self._read(key)
        except (ValueError, TypeError):
            value = _BAD
        self[key] = value
        return value


def _day_ordinal(text: str) -> int:
    return check_date(date.fromisoformat(text)).toordinal()


def _clock_micros(text: str) -> int:
    return micros_of_day(parse_local_time(text))


class HistoryReader:
    """Reads the rows of one ``appointments`` list, batch by batch, into a table.

    ``offers``: the special offers the snapshot holds, so an offer link given under
    several names (``specialOfferId``, ``serviceGroupId``, ``parentServiceGroupId``) is
    read as the one that names an offer."""

    def __init__(self, source: str, offers: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.offers = offers
        self.extra: list[str] = []  # unknown field names met, as the rows spell them
        self._build()
        self.cols = Columns()
        self.pool: dict[str | None, str | None] = {}
        self.days = _Parsed(_day_ordinal)
        self.clocks = _Parsed(_clock_micros)
        self.audit = Audit()
        self.skipped: list[int] = []  # document indexes of the quarantined rows
        # (location, reason, the wall dates it may lie on or None, what it may hold)
        self.quarantined: list[tuple[str, str, tuple[int, ...] | None, dict[str, str]]] = []

    def _build(self) -> None:
        # Two structs: one decodes JSON (the fields no rule reads stay undecoded ``Raw``),
        # the other converts dicts (those fields taken as they are: ``Raw`` is JSON only).
        # A field name need not be an identifier: each extra one is held under an
        # attribute of its own (``_extra{i}``) and read under its own name.
        def struct(kind: Any) -> Any:
            fields: list[tuple[str, Any, Any]] = [
                (name, kind, msgspec.field(default=_ABSENT)) for name in APPOINTMENT_UNUSED]
            fields += [(f"_extra{i}", kind, msgspec.field(default=_ABSENT, name=name))
                       for i, name in enumerate(self.extra)]
            return msgspec.defstruct("_StrictRow", fields, bases=(AppointmentRow,),
                                     forbid_unknown_fields=True, gc=False)

        json_struct, self._struct = struct(msgspec.Raw), struct(Any)
        self._json_rows = msgspec.json.Decoder(list[json_struct])  # type: ignore[valid-type]
        self._json_row = msgspec.json.Decoder(json_struct)

    def _decode(self, call: Callable[[], Any]) -> Any:
        """``call()``, taking each unknown field it meets onto the struct; None when
        something else stops it."""
        while True:
            try:
                return call()
            except msgspec.ValidationError as exc:
                found = _UNKNOWN.match(str(exc))
                if found is None or len(self.extra) >= _MAX_EXTRA:
                    return None
                self.extra.append(found.group(1))
                self._build()
            except (msgspec.DecodeError, RecursionError):
                # Bytes that are not UTF-8, or nested past the decoder's depth: the
                # general read (``_json``) says what and where.
                return None

    # --- batches -----------------------------------------------------------------------

    def json_batch(self, raws: Sequence[msgspec.Raw], offset: int) -> None:
        rows = None
        if FAST:
            data = b"[" + b",".join(raws) + b"]"
            rows = self._decode(lambda: self._json_rows.decode(data))
        if rows is None:
            rows = [self._json_one(raw, offset + k) for k, raw in enumerate(raws)]
        self._take(rows, offset)

    def value_batch(self, items: Sequence[object], offset: int) -> None:
        rows = None
        if FAST:
            rows = self._decode(lambda: msgspec.convert(
                items, list[self._struct], strict=True))  # type: ignore[name-defined]
        if rows is None:
            rows = [self._value_one(item, offset + k) for k, item in enumerate(items)]
        self._take(rows, offset)

    def _json_one(self, raw: msgspec.Raw, index: int) -> Any:
        row = self._decode(lambda: self._json_row.decode(raw)) if FAST else None
        return row if row is not None else self._slow(
            _json.loads(raw, self.source, f"appointments[{index}]"), index)

    def _value_one(self, item: object, index: int) -> Any:
        row = self._decode(lambda: msgspec.convert(item, self._struct, strict=True)) if (
            FAST) else None
        return row if row is not None else self._slow(item, index)

    def _slow(self, item: object, index: int) -> AppointmentRow | None:
        """One row msgspec refused, read by ``AppointmentIn``; None when quarantined."""
        where = f"appointments[{index}]"
        if not isinstance(item, dict):
            self._quarantine(index, "the row is not a JSON object", None, None)
            return None
        clean = dict(item)
        for name, value in item.items():
            if value is None and name in _NULLABLE:
                del clean[name]
            elif name not in _KNOWN and name not in self.extra:
                self.audit.unknown_field("appointments[]", str(name),
                                         f"{where}.{name}", _KNOWN)
        try:
            a = AppointmentIn.model_validate(clean)
        except ValidationError as exc:
            path, expected, got = first_error(exc, where)
            reason = f"{path.removeprefix(where + '.')}: expected {expected}" + (
                f", got {got!r}" if got is not None else "")
            self._quarantine(index, reason, item, None)
            return None
        # The values as the fast row holds them: the rest of the read is shared.
        return AppointmentRow(
            a.appointmentId, a.appointmentDate.isoformat(), a.startTime.isoformat(),
            a.endTime.isoformat(), a.version, a.clientId, a.staffId, a.serviceId,
            item.get("activationState", "ACTIVE") and a.activationState,
            None if item.get("deleted", False) is None else a.deleted,
            None if item.get("staffRequest", False) is None else a.staffRequest,
            a.source, a.roomId, a.machineId, a.specialOfferId, a.serviceGroupId,
            a.parentServiceGroupId, a.clientCourseItemId, a.clientCourseId, a.createdAt)

    # --- packing -----------------------------------------------------------------------

    def _take(self, rows: Sequence[Any], offset: int) -> None:
        """Rows of one batch (None: quarantined already) into the table's columns."""
        kept = [(offset + k, r) for k, r in enumerate(rows) if r is not None]
        if not kept:
            return
        index = [i for i, _ in kept]
        structs = [r for _, r in kept]
        audit = self.audit
        for k, name in enumerate(self.extra):  # unknown fields: the rows that have each
            attr = f"_extra{k}"
            have = [i for i, r in zip(index, structs, strict=True)
                    if getattr(r, attr, _ABSENT) is not _ABSENT]
            for i in have:
                audit.unknown_field("appointments[]", name, f"appointments[{i}].{name}",
                                    _KNOWN)
        # One tuple per row, then transposed: two passes in C instead of one per field.
        (ids, day, start, end, version, client, staff, service, state, deleted,
         staff_request, source, room, machine, offer, group, parent, course_item,
         client_course, created) = map(list, zip(*map(_ROW_FIELDS, structs), strict=True))
        for name, column, default in (("activationState", state, "ACTIVE"),
                                      ("deleted", deleted, False),
                                      ("staffRequest", staff_request, False)):
            if None in column:
                for k, value in enumerate(column):
                    if value is None:
                        column[k] = default
                        audit.null("appointments[]", name,
                                   f"appointments[{index[k]}].{name}", default)
        days, clocks = self.days, self.clocks
        day_n = list(map(days.__getitem__, day))
        start_n = list(map(clocks.__getitem__, start))
        end_n = list(map(clocks.__getitem__, end))
        bad: dict[int, str] = {}
        if None in ids or "" in ids:
            bad.update((k, "no appointmentId") for k, v in enumerate(ids) if not v)
        if None in staff or "" in staff:
            bad.update((k, "no staffId: the staff member it holds is unknown")
                       for k, v in enumerate(staff) if not v and k not in bad)
        for name, column, text, need in (
                ("appointmentDate", day_n, day, "a date yyyy-MM-dd"),
                ("startTime", start_n, start, "a time of day HH:mm:ss"),
                ("endTime", end_n, end, "a time of day HH:mm:ss")):
            if _BAD in column:
                bad.update((k, f"{name}: expected {need}, got {text[k]!r}")
                           for k, v in enumerate(column) if v == _BAD and k not in bad)
        if any(group) or any(parent):
            offer = [_link(o, g, p, self.offers)
                     for o, g, p in zip(offer, group, parent, strict=True)]
        if bad:
            for k, reason in sorted(bad.items()):
                self._quarantine(index[k], reason, structs[k], day_n[k], offer[k])
            keep = [k not in bad for k in range(len(ids))]
            (ids, day_n, start_n, end_n, version, client, staff, service, state, deleted,
             staff_request, source, room, machine, offer, course_item, client_course,
             created) = (list(compress(c, keep)) for c in (
                ids, day_n, start_n, end_n, version, client, staff, service, state,
                deleted, staff_request, source, room, machine, offer, course_item,
                client_course, created))
        batch = Columns()
        batch.ids, batch.day, batch.start, batch.end = ids, day_n, start_n, end_n
        batch.version, batch.client, batch.staff, batch.service = version, client, staff, \
            service
        batch.state, batch.deleted, batch.staff_request = state, deleted, staff_request
        batch.source, batch.room, batch.machine, batch.offer = source, room, machine, offer
        batch.course_item, batch.client_course = course_item, client_course
        batch.created = _holds_created(state, created) if m.ACTIVATION_RESERVED in state \
            else [None] * len(ids)
        self.cols.extend(batch, self.pool)

    def _quarantine(self, index: int, reason: str, row: Any, day: int | None,
                    offer: str | None = None) -> None:
        """RULES.md §6: a row kept out of the table, with what it may hold."""
        self.skipped.append(index)
        holds: dict[str, str] = {}
        if isinstance(row, AppointmentRow | dict):
            def get(name: str) -> Any:
                return row.get(name) if isinstance(row, dict) else getattr(row, name, None)

            for kind, name in (("staff", "staffId"), ("client", "clientId"),
                               ("room", "roomId"), ("machine", "machineId")):
                value = get(name)
                if isinstance(value, str) and value:
                    holds[f"appointments.{kind}"] = value
                elif value is not None or kind == "staff":
                    holds[f"appointments.{kind}"] = m.ANY  # present but unreadable
            names = [get(n) for n in ("specialOfferId", "serviceGroupId",
                                          "parentServiceGroupId")]
            so, sg, psg = (v if isinstance(v, str) else None for v in names)
            link = offer if offer is not None else _link(so, sg, psg, self.offers)
            if link:
                holds["appointments.offer"] = link
            if day is None or day == _BAD:
                # The parsed-string tables take strings only: a list or a number where a
                # date or a time belongs is unreadable, not a crash.
                raw_day = get("appointmentDate")
                day = self.days[raw_day] if isinstance(raw_day, str) else _BAD
            days: tuple[int, ...] | None = None
            if day != _BAD:
                # Its own date, and the next when it may run past midnight.
                raw_s, raw_e = get("startTime"), get("endTime")
                s = self.clocks[raw_s] if isinstance(raw_s, str) else _BAD
                e = self.clocks[raw_e] if isinstance(raw_e, str) else _BAD
                days = (day,) if _BAD not in (s, e) and e >= s else (day, day + 1)
        else:  # not an object: it may hold anything, on any day
            holds = {f"appointments.{k}": m.ANY
                     for k in ("staff", "client", "room", "machine", "offer")}
            days = None
        self.quarantined.append((f"appointments[{index}]", reason, days, holds))

    def table(self) -> AppointmentTable:
        total = len(self.cols.ids) + len(self.skipped)
        notices = [(_row_of(n.location), n)
                   for n in self.audit.notices({"appointments[]": total})]
        return AppointmentTable(self.cols, notices, pool=self.pool, skipped=self.skipped,
                                quarantined=self.quarantined)


_KNOWN = frozenset((*_READ, *APPOINTMENT_UNUSED))


def _row_of(location: str) -> int:
    found = re.match(r"appointments\[(\d+)\]", location)
    return int(found.group(1)) if found else 0


def _link(offer: str | None, group: str | None, parent: str | None,
          offers: frozenset[str]) -> str | None:
    """The offer link of a row given under up to three names (RULES.md §4): the first
    that names an offer the snapshot holds, else the first given."""
    for value in (offer, group, parent):
        if value and value in offers:
            return value
    return offer or group or parent


def _holds_created(state: Sequence[str], created: Sequence[str | None]) -> list[int | None]:
    """``createdAt`` of the RESERVED holds only, in epoch microseconds (a hold without a
    readable one cannot be aged: it keeps blocking)."""
    out: list[int | None] = []
    for st, text in zip(state, created, strict=True):
        value = None
        if st == m.ACTIVATION_RESERVED and text:
            try:
                value = to_micros(parse_instant(text)[0])
            except ValueError:
                value = None
        out.append(value)
    return out


# --- reading a whole list ----------------------------------------------------------------


def table_from_json(raw: msgspec.Raw | list[msgspec.Raw], source: str,
                    offers: frozenset[str] = frozenset()) -> AppointmentTable:
    """The history from its raw JSON: the key's value, or already split into rows."""
    owned = not isinstance(raw, list)
    items: list[Any]
    if isinstance(raw, list):
        items = raw
    else:
        try:
            items = _RAW_ROWS.decode(raw)
        except (msgspec.DecodeError, RecursionError):  # a HAL page, null, or not UTF-8
            return table_from_value(_json.loads(raw, source, "appointments"), source,
                                    offers)
    reader = HistoryReader(source, offers)
    for lo in range(0, len(items), BATCH):
        hi = min(lo + BATCH, len(items))
        reader.json_batch(items[lo:hi], lo)
        if owned:  # a row read is let go: the peak holds one batch of them, not all
            cast("list[Any]", items)[lo:hi] = repeat(None, hi - lo)
    return reader.table()


def table_from_value(value: object, source: str, offers: frozenset[str] = frozenset()
                     ) -> AppointmentTable:
    """The history from its decoded value: a list, a HAL page or a list of pages."""
    if value is None:
        return AppointmentTable(Columns())
    items = page_items(value, "appointments", source, "appointments")
    reader = HistoryReader(source, offers)
    for lo in range(0, len(items), BATCH):
        reader.value_batch(items[lo:lo + BATCH], lo)
    return reader.table()


__all__ = ["BATCH", "FAST", "AppointmentRow", "HistoryReader", "InputError",
           "table_from_json", "table_from_value"]
