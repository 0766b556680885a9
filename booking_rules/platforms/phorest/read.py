"""The Phorest adapter: the only module that knows Phorest's field names.

It reads the snapshot document of ``cases/FORMAT.md`` (plain lists, one HAL page or a list of
HAL pages per key) and createBooking / updateAppointment bodies, validates them with pydantic
at this edge, and turns them into the canonical model (UTC instants only).

The shapes Phorest has not published (RULES.md §4) are read here and nowhere else; they are
marked ``ASSUMED`` below, so they change in one place when the real ones are confirmed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..._errors import InputError
from ..._time import (
    UTC,
    load_zone,
    local_span,
    parse_instant,
    parse_local_time,
    parse_wall_instant,
)
from ...core import model as m
from ...core.appointments import AppointmentTable, Columns, micros_of_day
from ...core.snapshot import SnapshotParts

# --- field types -----------------------------------------------------------------------


def _local_time(value: object) -> time:
    if not isinstance(value, str):
        raise ValueError("a time of day HH:mm:ss")
    try:
        return parse_local_time(value)
    except ValueError:
        raise ValueError("a time of day HH:mm:ss") from None


def _iso_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("a date yyyy-MM-dd")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date yyyy-MM-dd") from None


def _date_or_instant(value: object) -> date | datetime:
    if isinstance(value, str) and len(value) == 10:
        return _iso_date(value)
    if not isinstance(value, str):
        raise ValueError("a date yyyy-MM-dd or an ISO-8601 instant")
    try:
        return parse_instant(value)[0]
    except ValueError:
        raise ValueError("a date yyyy-MM-dd or an ISO-8601 instant") from None


LocalTime = Annotated[time, BeforeValidator(_local_time)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
DateOrInstant = Annotated[date | datetime, BeforeValidator(_date_or_instant)]
Id = Annotated[str, Field(min_length=1)]


class _Wire(BaseModel):
    # Unknown fields are kept (model_extra), never guessed away.
    model_config = ConfigDict(extra="allow", frozen=True)


# --- snapshot wire shapes --------------------------------------------------------------


class BranchIn(_Wire):
    branchId: Id
    name: str = ""
    timeZone: str


class StaffIn(_Wire):
    staffId: Id
    userId: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    disqualifiedServices: list[str] = []
    archived: bool = False
    hideFromOnlineBookings: bool = False


class UserDurationIn(_Wire):
    userRef: str
    duration: int = Field(ge=0)


class ServiceIn(_Wire):
    serviceId: Id
    name: str = ""
    duration: int = Field(ge=0)
    finishDuration: int | None = Field(default=None, ge=0)
    userDurations: list[UserDurationIn] = []
    userFinishDurations: list[UserDurationIn] = []
    disqualifiedStaff: list[str] = []
    internetEnabled: bool = True
    archived: bool = False
    isAddonOnly: bool = False
    # ASSUMED (RULES.md §4): the suitable rooms and machines, and the processing gap.
    roomIds: list[str] = []
    machineIds: list[str] = []
    gapTime: int | None = Field(default=None, ge=0)


class RoomIn(_Wire):  # ASSUMED (RULES.md §4)
    roomId: Id
    name: str = ""
    capacity: int = Field(default=1, ge=0)


class MachineIn(_Wire):  # ASSUMED (RULES.md §4)
    machineId: Id
    name: str = ""
    quantity: int = Field(default=1, ge=0)


class TimeSlotIn(_Wire):
    date: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    timeOffStartTime: LocalTime | None = None
    timeOffEndTime: LocalTime | None = None
    type: str = "NOT_SPECIFIED"


class WorkTimeTableIn(_Wire):
    staffId: Id
    timeSlots: list[TimeSlotIn] = []


class BreakIn(_Wire):
    breakId: str = ""
    breakDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    staffId: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    label: str | None = None


class AppointmentIn(_Wire):
    appointmentId: Id
    version: int | None = None
    appointmentDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    clientId: str | None = None
    staffId: str | None = None
    serviceId: str | None = None
    activationState: str = "ACTIVE"
    deleted: bool = False
    staffRequest: bool = False
    source: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    # ASSUMED (RULES.md §4): appointment links.
    specialOfferId: str | None = None
    clientCourseItemId: str | None = None


# Fields Phorest returns on an appointment that no rule reads (phorest_api.md §3.1). They
# are known, so they raise no UNKNOWN_FIELD notice; any other field does.
_APPOINTMENT_UNUSED = (
    "branchId", "serviceName", "price", "depositAmount", "depositDateTime", "confirmed",
    "state", "preferredStaff", "bookingId", "purchasingBranchId", "serviceRewardId",
    "parentServiceGroupId", "isFinishAppointment", "internetServiceCategories", "createdAt",
    "updatedAt",
)


class _AppointmentRow(msgspec.Struct, gc=False):
    """An appointment row for the fast reader: the types of ``AppointmentIn``, strictly.

    Anything this does not take as is (an unknown field, a number as a string, a HAL
    page) goes through ``AppointmentIn`` instead, which decides it and words the error.
    """

    appointmentId: str
    appointmentDate: str
    startTime: str
    endTime: str
    version: int | None = None
    clientId: str | None = None
    staffId: str | None = None
    serviceId: str | None = None
    activationState: str = "ACTIVE"
    deleted: bool = False
    staffRequest: bool = False
    source: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    specialOfferId: str | None = None
    clientCourseItemId: str | None = None


_NULL = msgspec.Raw(b"null")
_StrictRow = msgspec.defstruct(
    "_StrictRow", [(name, msgspec.Raw, _NULL) for name in _APPOINTMENT_UNUSED],
    bases=(_AppointmentRow,), forbid_unknown_fields=True, gc=False)
_ROWS_JSON = msgspec.json.Decoder(list[_StrictRow])  # type: ignore[valid-type]


class AllowedTimeIn(_Wire):  # ASSUMED (RULES.md §4)
    days: list[Literal[
        "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"
    ]]
    startTime: LocalTime
    endTime: LocalTime


class SpecialOfferIn(_Wire):  # ASSUMED (RULES.md §4)
    specialOfferId: Id
    name: str = ""
    serviceIds: list[str] = []
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    allowedTimes: list[AllowedTimeIn] = []
    maxConcurrent: int | None = Field(default=None, ge=0)
    maxPerDay: int | None = Field(default=None, ge=0)
    excludedStaffIds: list[str] = []


class CourseIn(_Wire):  # ASSUMED (RULES.md §4)
    courseId: Id
    name: str = ""
    minDaysBetweenSessions: int | None = Field(default=None, ge=0)
    maxDaysBetweenSessions: int | None = Field(default=None, ge=0)


class ClientCourseItemIn(_Wire):
    clientCourseItemId: Id
    serviceId: str | None = None
    initialUnits: int | None = None
    remainingUnits: int | None = None


class ClientCourseIn(_Wire):
    clientCourseId: Id
    clientId: str | None = None
    courseId: str | None = None
    expiryDate: IsoDate | None = None
    archived: bool = False
    clientCourseItems: list[ClientCourseItemIn] = []


class ClientIn(_Wire):
    clientId: Id
    firstName: str | None = None
    lastName: str | None = None


class CoverageIn(_Wire):
    from_: DateOrInstant | None = Field(default=None, alias="from")
    to: DateOrInstant | None = None
    fetchedAt: DateOrInstant | None = None
    # Per list (a snapshot key: appointments, workTimeTables, ...): when it was fetched.
    streams: dict[str, DateOrInstant] | None = None


# Snapshot keys -> the canonical list names coverage and the rules use (model.LIST_NAMES).
COVERAGE_STREAMS = {"staff": "staff", "services": "services", "workTimeTables": "roster",
                    "breaks": "breaks", "appointments": "appointments", "rooms": "rooms",
                    "machines": "machines", "specialOffers": "offers", "courses": "courses",
                    "clientCourses": "course_items", "clients": "clients"}


class ConventionsIn(_Wire):
    appointmentTimes: Literal["local", "utc"] = "local"


# --- request wire shapes ---------------------------------------------------------------


class ServiceScheduleIn(_Wire):
    serviceId: Id
    staffId: Id
    startTime: str
    endTime: str | None = None
    staffRequest: bool = False
    roomId: str | None = None
    machineId: str | None = None
    clientCourseItemId: str | None = None
    specialOfferId: str | None = None  # ASSUMED (RULES.md §4)
    clientId: str | None = None  # only on the deprecated flat `schedules`
    branchServiceGroupId: str | None = None
    serviceGroupItemOptionId: str | None = None
    alternativeStaffMember: bool | None = None
    price: float | None = None
    appointmentId: str | None = None


class ClientAppointmentScheduleIn(_Wire):
    clientId: str | None = None
    serviceSchedules: list[ServiceScheduleIn] = Field(min_length=1)


class CreateBookingIn(_Wire):
    clientId: Id
    bookingStatus: Literal["ACTIVE", "RESERVED", "CANCELED"] = "ACTIVE"
    note: str | None = None
    clientAppointmentSchedules: list[ClientAppointmentScheduleIn] | None = None
    schedules: list[ServiceScheduleIn] | None = None  # deprecated by Phorest 1.13.0


class UpdateAppointmentIn(_Wire):
    appointmentId: Id
    version: int
    appointmentDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime | None = None
    staffId: Id
    serviceId: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    price: float | None = None
    confirmed: bool | None = None
    clientId: str | None = None


# --- reading ---------------------------------------------------------------------------

W = TypeVar("W", bound=_Wire)

# Snapshot keys and the `_embedded` keys the API is known to use for them.
_LIST_KEYS: dict[str, tuple[str, ...]] = {
    "staff": ("staff", "staffs"),
    "services": ("services",),
    "workTimeTables": ("workTimeTables",),
    "breaks": ("breaks",),
    "appointments": ("appointments",),
    "rooms": ("rooms",),
    "machines": ("machines",),
    "specialOffers": ("specialOffers", "serviceSpecialOffers"),
    "courses": ("courses",),
    "clientCourses": ("clientCourses",),
    "clients": ("clients",),
    # Read by ``writes.py`` (the rules of the writes beside bookings).
    "products": ("products", "branchProducts"),
    "vouchers": ("vouchers",),
    "purchases": ("purchases",),
}
_KNOWN_TOP = {*_LIST_KEYS, "branch", "conventions", "coverage"}
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def join(path: str, *parts: str) -> str:
    """``body`` + ``schedules[0]`` -> ``body.schedules[0]``; no leading dot at the top."""
    return ".".join(p for p in (path, *parts) if p)


def _path_of(prefix: str, loc: Sequence[int | str]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _expected(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "this field (it is required)"
    msg = str(err.get("msg", "a valid value"))
    msg = msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else "a valid value"


def validate(model: type[W], data: object, source: str, path: str) -> W:
    """``data`` as ``model``, or one InputError naming the file, the JSON path and the need."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        got = err.get("input") if err["type"] != "missing" else None
        if isinstance(got, dict | list):
            got = None
        raise InputError(source, _path_of(path, loc), _expected(err), got) from None


def _page_items(value: object, key: str, source: str, path: str) -> list[object]:
    """A list, one HAL page, or a list of HAL pages: the items, in order."""
    if isinstance(value, dict):
        embedded = value.get("_embedded")
        if embedded is None:
            if value.get("page", {}).get("totalElements") == 0 if isinstance(
                value.get("page"), dict
            ) else False:
                return []
            raise InputError(source, path, "a list of items or a HAL page with _embedded")
        if isinstance(embedded, list):  # older changelogs describe a bare array
            return list(embedded)
        if not isinstance(embedded, dict):
            raise InputError(source, f"{path}._embedded", "an object or a list")
        for name in _LIST_KEYS.get(key, (key,)):
            if name in embedded:
                items = embedded[name]
                if not isinstance(items, list):
                    raise InputError(source, f"{path}._embedded.{name}", "a list of items")
                return list(items)
        if len(embedded) == 1:
            only = next(iter(embedded))
            items = embedded[only]
            if isinstance(items, list):
                return list(items)
        if not embedded:
            return []
        raise InputError(
            source, f"{path}._embedded", f"a key {' or '.join(_LIST_KEYS.get(key, (key,)))}"
        )
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "_embedded" in v for v in value):
            out: list[object] = []
            for i, page in enumerate(value):
                out.extend(_page_items(page, key, source, f"{path}[{i}]"))
            return out
        return list(value)
    raise InputError(source, path, "a list of items or a HAL page", value)


def _items(doc: Mapping[str, Any], key: str, model: type[W], source: str) -> list[W]:
    if key not in doc or doc[key] is None:
        return []
    raw = _page_items(doc[key], key, source, key)
    return [validate(model, item, source, f"{key}[{i}]") for i, item in enumerate(raw)]


# --- the appointment history: a fast read for the common case -------------------------

_KNOWN_APPOINTMENT = frozenset({*AppointmentIn.model_fields, *_APPOINTMENT_UNUSED})


class _Parsed(dict[str, int]):
    """A string read once per distinct value: a history has a few thousand dates and a
    hundred times of day, over a million rows."""

    def __init__(self, read: Any) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, key: str) -> int:
        value: int = self._read(key)
        self[key] = value
        return value


_ROW_FIELDS = attrgetter(
    "appointmentId", "appointmentDate", "startTime", "endTime", "version", "clientId",
    "staffId", "serviceId", "activationState", "deleted", "staffRequest", "source", "roomId",
    "machineId", "specialOfferId", "clientCourseItemId")


def _day_ordinal(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _clock_micros(text: str) -> int:
    return micros_of_day(parse_local_time(text))


def _columns_from_rows(rows: Sequence[_AppointmentRow], days: _Parsed | None = None,
                       clocks: _Parsed | None = None) -> Columns | None:
    """Rows typed exactly as ``AppointmentIn`` reads them; ``None`` when one is not.

    ``days`` and ``clocks`` remember the dates and times of day read so far."""
    cols = Columns()
    if not rows:
        return cols
    # One tuple per row, then transposed: two passes in C instead of one per field.
    (ids, day, start, end, cols.version, cols.client, cols.staff, cols.service, cols.state,
     cols.deleted, cols.staff_request, cols.source, cols.room, cols.machine, cols.offer,
     cols.course_item) = map(list, zip(*map(_ROW_FIELDS, rows), strict=True))
    if not all(ids):
        return None
    cols.ids = ids
    days = _Parsed(_day_ordinal) if days is None else days
    clocks = _Parsed(_clock_micros) if clocks is None else clocks
    try:
        cols.day = list(map(days.__getitem__, day))
        cols.start = list(map(clocks.__getitem__, start))
        cols.end = list(map(clocks.__getitem__, end))
    except (ValueError, TypeError):
        return None
    return cols


_RAW_ROWS = msgspec.json.Decoder(list[msgspec.Raw])
# Rows decoded at a time: a million decoded rows at once would take GBs, and a batch this
# size stays in the CPU's cache between decoding and packing (measured: 2,000 is fastest).
_BATCH = 2_000


def _table_from_json(raw: msgspec.Raw | list[msgspec.Raw], source: str) -> AppointmentTable:
    """The history from its raw JSON: the key's value, or already split into rows."""
    if isinstance(raw, list):
        items = raw
    else:
        try:
            items = _RAW_ROWS.decode(raw)
        except msgspec.ValidationError:  # not a plain list: a HAL page, or null
            return _table_from_value(json.loads(bytes(raw)), source)
    cols = Columns()
    pool: dict[str | None, str | None] = {}
    days, clocks = _Parsed(_day_ordinal), _Parsed(_clock_micros)
    for lo in range(0, len(items), _BATCH):
        try:
            rows = _ROWS_JSON.decode(b"[" + b",".join(items[lo:lo + _BATCH]) + b"]")
        except msgspec.ValidationError:
            rows = None
        batch = _columns_from_rows(rows, days, clocks) if rows is not None else None
        if batch is None:
            return _table_from_value(json.loads(b"[" + b",".join(items) + b"]"), source)
        cols.extend(batch, pool)
    return AppointmentTable(cols, pool=pool)


def split_snapshot_json(data: Any) -> tuple[dict[str, Any], object]:
    """A snapshot file's bytes: the small keys decoded, the appointment history not yet.

    The history comes back split into its rows' raw JSON when it is a plain list (one pass
    over the bytes), else as the key's raw JSON. Raises ``msgspec.DecodeError`` (and
    ``UnicodeDecodeError``, ``json.JSONDecodeError``) on what is not valid JSON.
    """
    history: object = None
    try:
        top = _TOP_JSON.decode(data)
    except msgspec.ValidationError:  # an unknown key, or a history that is not a list
        raws: dict[str, msgspec.Raw] = _TOP_ANY.decode(data)
        history = raws.pop("appointments", None)
    else:
        raws = {name: getattr(top, name) for name in _TOP_FIELDS
                if getattr(top, name) is not msgspec.UNSET}
        rows = getattr(top, "appointments")  # noqa: B009 (a field of a built Struct)
        history = rows if rows is not msgspec.UNSET else None
    return {key: json.loads(bytes(raw)) for key, raw in raws.items()}, history


_TOP_FIELDS = tuple(sorted(_KNOWN_TOP - {"appointments"}))
_TOP_JSON = msgspec.json.Decoder(msgspec.defstruct(
    "_Top", [*((name, msgspec.Raw | msgspec.UnsetType, msgspec.UNSET) for name in _TOP_FIELDS),
             ("appointments", list[msgspec.Raw] | None | msgspec.UnsetType, msgspec.UNSET)],
    forbid_unknown_fields=True, gc=False))
_TOP_ANY = msgspec.json.Decoder(dict[str, msgspec.Raw])


def _table_from_value(value: object, source: str) -> AppointmentTable:
    if value is None:
        return AppointmentTable(Columns())
    items = _page_items(value, "appointments", source, "appointments")
    cols = None
    if all(isinstance(item, dict) for item in items) and all(
            map(_KNOWN_APPOINTMENT.issuperset, items)):  # type: ignore[arg-type]
        try:
            rows = msgspec.convert(items, list[_AppointmentRow], strict=True)
        except msgspec.ValidationError:
            rows = None
        cols = _columns_from_rows(rows) if rows is not None else None
    if cols is not None:
        return AppointmentTable(cols)
    return _table_from_models(items, source)


def _table_from_models(items: Sequence[object], source: str) -> AppointmentTable:
    """The general read: ``AppointmentIn`` decides every row and words every error."""
    cols = Columns()
    unknown: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        a = validate(AppointmentIn, item, source, f"appointments[{i}]")
        for name in a.model_extra or {}:
            if name not in _KNOWN_APPOINTMENT:
                unknown[name].append(i)
        cols.ids.append(a.appointmentId)
        cols.day.append(a.appointmentDate.toordinal())
        cols.start.append(micros_of_day(a.startTime))
        cols.end.append(micros_of_day(a.endTime))
        cols.version.append(a.version)
        cols.client.append(a.clientId)
        cols.staff.append(a.staffId)
        cols.service.append(a.serviceId)
        cols.state.append(a.activationState)
        cols.deleted.append(a.deleted)
        cols.staff_request.append(a.staffRequest)
        cols.source.append(a.source)
        cols.room.append(a.roomId)
        cols.machine.append(a.machineId)
        cols.offer.append(a.specialOfferId)
        cols.course_item.append(a.clientCourseItemId)
    # The rows are not kept as given, so a field nothing reads is said, once per name.
    notices = [(len(items), m.Notice(
        "unknown_field", f"field {name!r} is not a known Phorest appointment field; it was "
        f"not read ({len(rows)} of {len(items)} appointments have it)",
        f"appointments[{rows[0]}].{name}", {"field": name, "appointments": len(rows)}))
        for name, rows in sorted(unknown.items())]
    return AppointmentTable(cols, notices)


def _name(first: str | None, last: str | None, fallback: str) -> str:
    name = " ".join(p for p in (first, last) if p)
    return name or fallback


def _put(target: dict[str, Any], key: str, value: Any, parts: SnapshotParts, where: str) -> None:
    if key in target:
        parts.notices.append(m.Notice(
            "duplicate_id", f"id {key!r} appears twice; the later entry is used", where))
    target[key] = value


def read_snapshot_doc(
    doc: object, source: str, default_times: str = "local",
    appointments: AppointmentTable | msgspec.Raw | list[msgspec.Raw] | None = None,
) -> tuple[m.Branch, str, bool, SnapshotParts]:
    """Parse a snapshot document: (branch, appointment-time convention, declared?, parts).

    ``appointments``, when given, stands for the document's ``appointments`` key: the rows
    already read (another convention's read of the same document), or the key's raw JSON
    (``load_snapshot`` of a file decodes the history straight from its bytes).
    """
    if not isinstance(doc, dict):
        raise InputError(source, "", "a JSON object (the snapshot document)", None)
    if "branch" not in doc:
        raise InputError(source, "branch", "this key: the branch with its timeZone")
    branch_raw = doc["branch"]
    if isinstance(branch_raw, dict) and "_embedded" in branch_raw:
        items = _page_items(branch_raw, "branches", source, "branch")
        if len(items) != 1:
            raise InputError(source, "branch", "exactly one branch")
        branch_raw = items[0]
    b = validate(BranchIn, branch_raw, source, "branch")
    try:
        zone = load_zone(b.timeZone)
    except ValueError as exc:
        raise InputError(source, "branch.timeZone", str(exc)) from None
    branch = m.Branch(b.branchId, b.name or b.branchId, zone)

    declared = "conventions" in doc and isinstance(doc["conventions"], dict) and (
        "appointmentTimes" in doc["conventions"])
    conv = validate(ConventionsIn, doc.get("conventions") or {}, source, "conventions")
    times = conv.appointmentTimes if declared else default_times
    parts = SnapshotParts()
    for key in doc:
        if key not in _KNOWN_TOP:
            parts.notices.append(m.Notice(
                "unknown_field", f"key {key!r} is not part of the snapshot format; "
                "it was kept but not read", key))

    def local_wall_span(day: date, start: time, end: time, where: str) -> tuple[
            datetime, datetime]:
        rs, re_ = local_span(day, start, end, zone)
        for r in (rs, re_):
            if r.shifted:
                parts.notices.append(m.Notice(
                    "nonexistent_local_time", "a wall time in the spring-forward gap was "
                    f"moved forward by {r.shifted}", where))
        return rs.instant, re_.instant

    def span(day: date, start: time, end: time, where: str) -> tuple[datetime, datetime]:
        """An appointment read: branch-local wall clock, or UTC wall clock by convention."""
        if times != "utc":
            return local_wall_span(day, start, end, where)
        s = datetime.combine(day, start, UTC)
        e = datetime.combine(day if end > start else day + timedelta(days=1), end, UTC)
        return s, e

    for i, s in enumerate(_items(doc, "staff", StaffIn, source)):
        _put(parts.staff, s.staffId, m.Staff(
            s.staffId, s.userId, _name(s.firstName, s.lastName, s.staffId),
            frozenset(s.disqualifiedServices), s.archived, s.hideFromOnlineBookings,
        ), parts, f"staff[{i}]")
    for i, sv in enumerate(_items(doc, "services", ServiceIn, source)):
        _put(parts.services, sv.serviceId, m.Service(
            sv.serviceId, sv.name or sv.serviceId, sv.duration, sv.finishDuration or 0,
            sv.gapTime or 0, {u.userRef: u.duration for u in sv.userDurations},
            {u.userRef: u.duration for u in sv.userFinishDurations},
            frozenset(sv.disqualifiedStaff), tuple(sv.roomIds), tuple(sv.machineIds),
            sv.internetEnabled, sv.archived, sv.isAddonOnly,
        ), parts, f"services[{i}]")
    for i, r in enumerate(_items(doc, "rooms", RoomIn, source)):
        _put(parts.rooms, r.roomId, m.Room(r.roomId, r.name or r.roomId, r.capacity),
             parts, f"rooms[{i}]")
    for i, mc in enumerate(_items(doc, "machines", MachineIn, source)):
        _put(parts.machines, mc.machineId, m.Machine(
            mc.machineId, mc.name or mc.machineId, mc.quantity), parts, f"machines[{i}]")

    for i, wt in enumerate(_items(doc, "workTimeTables", WorkTimeTableIn, source)):
        for j, slot in enumerate(wt.timeSlots):
            if slot.type != "WORKING":
                continue
            where = f"workTimeTables[{i}].timeSlots[{j}]"
            s0, e0 = local_wall_span(slot.date, slot.startTime, slot.endTime, where)
            off = None
            if slot.timeOffStartTime is not None and slot.timeOffEndTime is not None:
                off = local_wall_span(slot.date, slot.timeOffStartTime, slot.timeOffEndTime,
                                      where)
            parts.roster.append(m.RosterSlot(wt.staffId, slot.date, s0, e0, off))

    for i, br in enumerate(_items(doc, "breaks", BreakIn, source)):
        where = f"breaks[{i}]"
        s0, e0 = local_wall_span(br.breakDate, br.startTime, br.endTime, where)
        if not (br.staffId or br.roomId or br.machineId):
            parts.notices.append(m.Notice(
                "break_without_resource", "a break names no staff, room or machine; it "
                "blocks nothing", where))
        parts.breaks.append(m.Break(br.breakId or where, s0, e0, br.breakDate, br.staffId,
                                    br.roomId, br.machineId, br.label))

    if isinstance(appointments, AppointmentTable):
        table = appointments
    elif appointments is not None:
        table = _table_from_json(appointments, source)
    else:
        table = _table_from_value(doc.get("appointments"), source)
    starts, ends, notes = table.to_utc(zone if times != "utc" else None)
    parts.notices += [notice for _, notice in notes]
    parts.table, parts.starts, parts.ends = table, starts, ends

    for i, o in enumerate(_items(doc, "specialOffers", SpecialOfferIn, source)):
        allowed = tuple(
            m.AllowedTime(frozenset(_WEEKDAYS.index(d) for d in w.days), w.startTime,
                          w.endTime) for w in o.allowedTimes)
        _put(parts.offers, o.specialOfferId, m.SpecialOffer(
            o.specialOfferId, o.name or o.specialOfferId, frozenset(o.serviceIds),
            o.startDate, o.endDate, allowed, o.maxConcurrent, o.maxPerDay,
            frozenset(o.excludedStaffIds)), parts, f"specialOffers[{i}]")
    for i, c in enumerate(_items(doc, "courses", CourseIn, source)):
        _put(parts.courses, c.courseId, m.Course(
            c.courseId, c.name or c.courseId, c.minDaysBetweenSessions,
            c.maxDaysBetweenSessions), parts, f"courses[{i}]")
    for i, cc in enumerate(_items(doc, "clientCourses", ClientCourseIn, source)):
        for j, it in enumerate(cc.clientCourseItems):
            _put(parts.course_items, it.clientCourseItemId, m.ClientCourseItem(
                it.clientCourseItemId, cc.clientCourseId, cc.clientId, cc.courseId,
                it.serviceId, it.initialUnits, it.remainingUnits, cc.expiryDate,
                cc.archived), parts, f"clientCourses[{i}].clientCourseItems[{j}]")
    for i, cl in enumerate(_items(doc, "clients", ClientIn, source)):
        _put(parts.clients, cl.clientId, m.Client(
            cl.clientId, _name(cl.firstName, cl.lastName, cl.clientId)), parts,
            f"clients[{i}]")

    if doc.get("coverage") is not None:
        cov = validate(CoverageIn, doc["coverage"], source, "coverage")

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
    return branch, times, declared, parts


# --- requests --------------------------------------------------------------------------

_SCHEDULE_FIELDS = set(ServiceScheduleIn.model_fields)
_BOOKING_FIELDS = set(CreateBookingIn.model_fields)
_UPDATE_FIELDS = set(UpdateAppointmentIn.model_fields)


PhorestKind = Literal["createBooking", "updateAppointment"]


def infer_kind(body: Mapping[str, Any]) -> PhorestKind | None:
    """Which Phorest write a bare body is, where its fields say so unambiguously."""
    if "clientAppointmentSchedules" in body or "schedules" in body:
        return "createBooking"
    if "appointmentId" in body and ("appointmentDate" in body or "startTime" in body):
        return "updateAppointment"
    return None


def _unknown_fields(model: _Wire, known: set[str], where: str) -> list[m.Notice]:
    return [
        m.Notice("unknown_field", f"field {name!r} is not a known Phorest field here; it "
                 "was kept and sent as is, but not checked", f"{where}.{name}" if where
                 else name)
        for name in sorted(model.model_extra or {}) if name not in known
    ]


def read_create_booking(
    body: object, source: str, zone: Any, path: str = "body"
) -> m.Request:
    b = validate(CreateBookingIn, body, source, path)
    notices = _unknown_fields(b, _BOOKING_FIELDS, "")
    groups: list[tuple[str, str | None, list[ServiceScheduleIn]]] = []
    if b.clientAppointmentSchedules:
        for i, cas in enumerate(b.clientAppointmentSchedules):
            groups.append((f"clientAppointmentSchedules[{i}]", cas.clientId,
                           cas.serviceSchedules))
            notices += _unknown_fields(cas, {"clientId", "serviceSchedules"},
                                       f"clientAppointmentSchedules[{i}]")
    if b.schedules:
        notices.append(m.Notice(
            "deprecated_schedules", "the flat `schedules` list is deprecated by Phorest "
            "(API 1.13.0); send `clientAppointmentSchedules[].serviceSchedules[]`",
            "schedules"))
        groups.append(("schedules", None, b.schedules))
    if not groups:
        raise InputError(source, join(path, "clientAppointmentSchedules"),
                         "at least one clientAppointmentSchedules[].serviceSchedules[] item")
    schedules: list[m.Schedule] = []
    for prefix, group_client, items in groups:
        for j, ss in enumerate(items):
            where = f"{prefix}.serviceSchedules[{j}]" if prefix != "schedules" else (
                f"schedules[{j}]")
            sched_notices = _unknown_fields(ss, _SCHEDULE_FIELDS, where)
            try:
                start, naive, wall = parse_wall_instant(ss.startTime)
            except ValueError:
                raise InputError(source, join(path, where, "startTime"),
                                 "an ISO-8601 instant such as 2026-12-01T15:00:00Z",
                                 ss.startTime) from None
            end = None
            if ss.endTime is not None:
                try:
                    end, _ = parse_instant(ss.endTime)
                except ValueError:
                    raise InputError(source, join(path, where, "endTime"),
                                     "an ISO-8601 instant such as 2026-12-01T15:45:00Z",
                                     ss.endTime) from None
                if end <= start:
                    raise InputError(source, join(path, where, "endTime"),
                                     "an instant after startTime", ss.endTime)
            schedules.append(m.Schedule(
                index=len(schedules), location=where,
                client_id=ss.clientId or group_client or b.clientId,
                service_id=ss.serviceId, staff_id=ss.staffId, start=start, end=end,
                room_id=ss.roomId, machine_id=ss.machineId, offer_id=ss.specialOfferId,
                course_item_id=ss.clientCourseItemId, staff_request=ss.staffRequest,
                start_naive=naive, start_wall=wall, notices=tuple(sched_notices)))
    return m.Request("create", tuple(schedules), b.clientId, b.bookingStatus,
                     notices=tuple(notices), raw=body if isinstance(body, dict) else {})


def read_update_appointment(
    body: object, source: str, zone: Any, times: str,
    existing: m.Appointment | None, path: str = "body",
) -> m.Request:
    u = validate(UpdateAppointmentIn, body, source, path)
    notices = _unknown_fields(u, _UPDATE_FIELDS, "")
    end_t = u.endTime
    if times == "utc":
        start = datetime.combine(u.appointmentDate, u.startTime, UTC)
        end = None if end_t is None else datetime.combine(
            u.appointmentDate if end_t > u.startTime else u.appointmentDate + timedelta(1),
            end_t, UTC)
    else:
        rs, re_ = local_span(u.appointmentDate, u.startTime, end_t or u.startTime, zone)
        start = rs.instant
        end = re_.instant if end_t is not None else None
        for r, name in ((rs, "startTime"), (re_, "endTime")):
            if r.shifted:
                notices.append(m.Notice(
                    "nonexistent_local_time", f"{name} falls in the spring-forward gap; "
                    f"read as {r.shifted} later", name))
            if r.ambiguous:
                notices.append(m.Notice(
                    "ambiguous_local_time", f"{name} occurs twice on a fall-back day; the "
                    "first occurrence was taken", name))
    ex = existing
    schedule = m.Schedule(
        index=0, location="", client_id=u.clientId or (ex.client_id if ex else None),
        service_id=u.serviceId or (ex.service_id if ex else None), staff_id=u.staffId,
        start=start, end=end,
        room_id=u.roomId if "roomId" in u.model_fields_set else (ex.room_id if ex else None),
        machine_id=u.machineId if "machineId" in u.model_fields_set else (
            ex.machine_id if ex else None),
        offer_id=ex.offer_id if ex else None,
        course_item_id=ex.course_item_id if ex else None,
        staff_request=ex.staff_request if ex else False)
    return m.Request("update", (schedule,), schedule.client_id, "ACTIVE",
                     appointment_id=u.appointmentId, version=u.version,
                     notices=tuple(notices), raw=body if isinstance(body, dict) else {})
