"""The PNE adapter's snapshot side: the only module that knows PNE's field names for what a
location holds (with ``requests`` for bodies and ``assumed`` for the unpublished shapes).

A PNE snapshot document is one location (a ``CompanyId``) as PNE's list endpoints return
it, PascalCase throughout (docs/pne.md, "The snapshot document"):

    {"Company": {"CompanyId", "Name", "TimeZone"},          GET /companies (one row)
     "Services": [...], "Employees": [...],                 GET /services, /employees
     "Appointments": [...], "CancelledAppointments": [...],
     "Customers": [...], "Products": [...],                 GET /customers, /products
     "Coverage": {"From", "To", "FetchedAt"}}

Each list is the rows themselves, or the pages they came in: ``[{"Page": 1, "Rows": 100,
"DataTotalRows": 230, "DataTotalPages": 3, "Data": [...]}, ...]`` (``Data`` is the response
body, a JSON array; the others its query and headers). Pages are held to PNE's paging
(1-based, ``Rows`` at most 100, only the last page short).

The reading validates with pydantic at this edge (one ``InputError`` naming the file, the
JSON path and the need) and builds the canonical parts (UTC instants only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..._errors import InputError
from ..._time import DATE_RANGE, UTC, check_date, load_zone, local_span, wall_to_utc
from ...core import model as m
from ...core.records import Product, Records
from ...core.snapshot import Snapshot
from .assumed import (
    CANCELLED_STATUSES,
    AppointmentAssumed,
    CompanyAssumed,
    EmployeeAssumed,
)
from .money import exact

Id = Annotated[str, Field(min_length=1)]


class _Wire(BaseModel):
    # Unknown fields are kept (model_extra), never guessed away.
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


# --- snapshot wire shapes --------------------------------------------------------------


class CompanyIn(CompanyAssumed):
    CompanyId: Id
    Name: str | None = None


class ServiceIn(_Wire):
    ServiceId: Id
    Name: str | None = None
    Description: str | None = None
    InitialMinutes: int = Field(ge=0)
    ProcessMinutes: int = Field(default=0, ge=0)
    CompleteMinutes: int = Field(default=0, ge=0)
    IsActive: bool = True


class EmployeeIn(EmployeeAssumed):
    EmployeeId: Id
    FirstName: str | None = None
    LastName: str | None = None
    IsActive: bool = True


class AppointmentIn(AppointmentAssumed):
    AppointmentId: Id
    CompanyId: str | None = None
    CustomerId: str | None = None
    EmployeeId: str | None = None
    ServiceId: str | None = None
    StartDate: str
    # Absent: the service's minutes (a customer's appointment list gives no minutes).
    Init: int | None = Field(default=None, ge=0)
    Delay: int | None = Field(default=None, ge=0)
    Complete: int | None = Field(default=None, ge=0)


class CustomerIn(_Wire):
    CustomerId: Id
    FirstName: str | None = None
    LastName: str | None = None


class ProductDetailIn(_Wire):
    CompanyId: Id
    Price: float | None = None
    QtyOnHand: float | None = None


class ProductIn(_Wire):
    ProductId: Id
    Description: str | None = None
    Name: str | None = None
    IsActive: bool = True
    ProductDetails: list[ProductDetailIn] = []


class CoverageIn(_Wire):
    """The snapshot's own: the local days (inclusive) its appointments and work schedules
    cover, and when it was fetched (an instant with its offset)."""

    From: str | None = None
    To: str | None = None
    FetchedAt: str | None = None


class PageIn(_Wire):
    """The snapshot's own record of one PNE list response (see the module docstring)."""

    Page: int = Field(ge=1)
    Rows: int = Field(ge=1, le=100)
    DataTotalRows: int | None = Field(default=None, ge=0)
    DataTotalPages: int | None = Field(default=None, ge=0)
    Data: list[Any]


LIST_KEYS = ("Services", "Employees", "Appointments", "CancelledAppointments", "Customers",
             "Products")
TOP_KEYS = frozenset({"Company", "Coverage", *LIST_KEYS})

W = TypeVar("W", bound=BaseModel)


# --- validation with the JSON path -----------------------------------------------------


def path_of(prefix: str, loc: Sequence[int | str]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
        kind = str(err.get("type", ""))
        if kind == "missing":
            need = "this field (it is required)"
        else:
            msg = str(err.get("msg", "a valid value")).removeprefix("Value error, ")
            need = msg[0].lower() + msg[1:] if msg else "a valid value"
        raise InputError(source, path_of(path, loc), need, got) from None


def rows(doc: Mapping[str, Any], key: str, source: str) -> list[object]:
    """A list as rows, or as the PNE pages it came in (held to PNE's paging)."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(source, key, "a list of rows, or of pages {Page, Rows, Data}")
    if not value or not all(isinstance(v, dict) and "Data" in v and "Page" in v
                            for v in value):
        return list(value)
    pages = [validate(PageIn, v, source, f"{key}[{i}]") for i, v in enumerate(value)]
    out: list[object] = []
    size = pages[0].Rows
    for i, page in enumerate(pages):
        where = f"{key}[{i}]"
        if page.Page != i + 1:
            raise InputError(source, f"{where}.Page", f"page {i + 1} (pages are 1-based, "
                             "in order, none missing)", page.Page)
        if page.Rows != size:
            raise InputError(source, f"{where}.Rows", f"the same Rows as page 1 ({size})",
                             page.Rows)
        if len(page.Data) > size:
            raise InputError(source, f"{where}.Data", f"at most Rows = {size} rows",
                             len(page.Data))
        if i + 1 < len(pages) and len(page.Data) < size:
            raise InputError(source, f"{where}.Data", f"a full page of {size} rows: a short "
                             "page is the last one (PNE paging stops on it)", len(page.Data))
        out.extend(page.Data)
    last = pages[-1]
    for page_i, page in enumerate(pages):
        if page.DataTotalRows is not None and page.DataTotalRows != len(out):
            raise InputError(source, f"{key}[{page_i}].DataTotalRows",
                             f"the number of rows the pages hold ({len(out)})",
                             page.DataTotalRows)
        if page.DataTotalPages is not None and page.DataTotalPages != last.Page:
            raise InputError(source, f"{key}[{page_i}].DataTotalPages",
                             f"the number of pages ({last.Page})", page.DataTotalPages)
    return out


def items(doc: Mapping[str, Any], key: str, model: type[W], source: str) -> list[W]:
    return [validate(model, row, source, f"{key}[{i}]")
            for i, row in enumerate(rows(doc, key, source))]


# --- wall times ------------------------------------------------------------------------

_WALL = re.compile(r"^(\d{4}-\d{2}-\d{2})([T ])(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
                   r"(Z|[+-]\d{2}(?::?\d{2})?)?$")


class WallTime(NamedTuple):
    """A PNE date-time read as an instant of the location (``assumed.START_DATE_READING``)."""

    instant: datetime  # aware UTC
    wall: datetime  # the location's wall clock it stands for (naive)
    documented: bool  # written exactly as PNE's examples: 2025-09-11T13:15:00
    form: str  # what differs from that form, for a message ("" when documented)
    shifted: timedelta  # > 0: fell in a spring-forward gap, moved forward
    ambiguous: bool  # a repeated wall time: the first occurrence was taken


def read_wall(text: object, zone: Any) -> WallTime | None:
    """A ``StartDate``-like value, or None when it is not a date with a time of day."""
    if not isinstance(text, str):
        return None
    match = _WALL.match(text.strip())
    if match is None:
        return None
    day_s, sep, clock_s, offset = match.groups()
    try:
        day = check_date(date.fromisoformat(day_s))  # in the input years
        clock = time.fromisoformat(clock_s)
    except ValueError:
        return None
    forms = []
    if sep == " ":
        forms.append("a space instead of T between date and time (ShowAvailable's form)")
    if len(clock_s) != 8:
        forms.append("not HH:mm:ss")
    if offset is not None:
        forms.append(f"an offset ({offset}) PNE's examples never send")
        aware = datetime.fromisoformat(f"{day_s}T{clock_s}{'+00:00' if offset == 'Z' else offset}")
        instant = aware.astimezone(UTC)
        wall = instant.astimezone(zone).replace(tzinfo=None)
        return WallTime(instant, wall, False, "; ".join(forms), timedelta(0), False)
    res = wall_to_utc(day, clock, zone)
    return WallTime(res.instant, datetime.combine(day, clock), not forms, "; ".join(forms),
                    res.shifted, res.ambiguous)


def wall_text(instant: datetime, zone: Any, sep: str = "T") -> str:
    """``2025-09-11T13:15:00``: an instant as the location's wall clock, as PNE writes it."""
    return instant.astimezone(zone).strftime(f"%Y-%m-%d{sep}%H:%M:%S")


# --- the document ----------------------------------------------------------------------


def _name(first: str | None, last: str | None, fallback: str) -> str:
    return " ".join(p for p in (first, last) if p) or fallback


def _put(target: dict[str, Any], key: str, value: Any, notices: list[m.Notice],
         where: str) -> None:
    if key in target:
        notices.append(m.Notice(
            "duplicate_id", f"id {key!r} appears twice; the later entry is used", where))
    target[key] = value


def company_of(doc: object, source: str) -> tuple[CompanyIn, Any]:
    """The document's location and its zone."""
    if not isinstance(doc, dict):
        raise InputError(source, "", "a JSON object (the PNE snapshot document)")
    if "Company" not in doc:
        raise InputError(source, "Company", "this key: the location (CompanyId, TimeZone)")
    company = validate(CompanyIn, doc["Company"], source, "Company")
    try:
        zone = load_zone(company.TimeZone)
    except ValueError as exc:
        raise InputError(source, "Company.TimeZone", str(exc)) from None
    return company, zone


def read_document(doc: Mapping[str, Any], source: str) -> Snapshot:
    """A PNE snapshot document made canonical and indexed."""
    company, zone = company_of(doc, source)
    branch = m.Branch(company.CompanyId, company.Name or company.CompanyId, zone)
    notices: list[m.Notice] = [
        m.Notice("unknown_field", f"key {key!r} is not part of the PNE snapshot format; it "
                 "was kept but not read", key) for key in doc if key not in TOP_KEYS]

    services: dict[str, m.Service] = {}
    for i, sv in enumerate(items(doc, "Services", ServiceIn, source)):
        _put(services, sv.ServiceId, m.Service(
            sv.ServiceId, sv.Name or sv.Description or sv.ServiceId, sv.InitialMinutes,
            finish_duration=sv.CompleteMinutes, gap_time=sv.ProcessMinutes,
            archived=not sv.IsActive), notices, f"Services[{i}]")

    staff: dict[str, m.Staff] = {}
    roster: list[m.RosterSlot] = []
    for i, e in enumerate(items(doc, "Employees", EmployeeIn, source)):
        # Qualification is kept the canonical way round: the services the employee may
        # not perform (every other service of the location).
        unqualified = frozenset(services) - set(e.QualifiedServices) if (
            e.QualifiedServices is not None) else frozenset()
        _put(staff, e.EmployeeId, m.Staff(
            e.EmployeeId, None, _name(e.FirstName, e.LastName, e.EmployeeId),
            frozenset(unqualified), archived=not e.IsActive), notices, f"Employees[{i}]")
        for j, day in enumerate(e.WorkSchedule):
            where = f"Employees[{i}].WorkSchedule[{j}]"
            start, end = _span(day.Date, day.StartTime, day.EndTime, zone, notices, where)
            off = None
            if day.OffStartTime is not None and day.OffEndTime is not None:
                off = _span(day.Date, day.OffStartTime, day.OffEndTime, zone, notices, where)
            roster.append(m.RosterSlot(e.EmployeeId, day.Date, start, end, off))

    plain: list[m.Appointment] = []
    processing: list[m.Appointment] = []
    seen: dict[str, str] = {}
    for key in ("Appointments", "CancelledAppointments"):
        for i, a in enumerate(items(doc, key, AppointmentIn, source)):
            where = f"{key}[{i}]"
            if a.AppointmentId in seen:
                notices.append(m.Notice(
                    "duplicate_id", f"appointment {a.AppointmentId!r} appears twice (first "
                    f"at {seen[a.AppointmentId]}); the later entry is used", where))
            seen[a.AppointmentId] = where
            made = _appointment(a, key == "CancelledAppointments", services, zone, source,
                                where, notices)
            (processing if made.finish is not None else plain).append(made)
    # A later row of one id replaces the earlier (as the notice says).
    last = {a.id: a for a in (*plain, *processing)}
    plain = [a for a in plain if last[a.id] is a]
    processing = [a for a in processing if last[a.id] is a]

    clients: dict[str, m.Client] = {}
    for i, c in enumerate(items(doc, "Customers", CustomerIn, source)):
        _put(clients, c.CustomerId, m.Client(
            c.CustomerId, _name(c.FirstName, c.LastName, c.CustomerId)), notices,
            f"Customers[{i}]")

    products: dict[str, Product] = {}
    for i, p in enumerate(items(doc, "Products", ProductIn, source)):
        price: Decimal | None = None
        for j, d in enumerate(p.ProductDetails):
            if d.CompanyId == company.CompanyId and d.Price is not None:
                price, problem = exact(d.Price)
                if price is None:
                    raise InputError(source, f"Products[{i}].ProductDetails[{j}].Price",
                                     f"a number ({problem})", d.Price)
        _put(products, p.ProductId, Product(
            p.ProductId, p.Description or p.Name or p.ProductId, archived=not p.IsActive,
            price=price), notices, f"Products[{i}]")

    coverage = _coverage(doc, zone, source)
    snap = Snapshot.from_parts(
        branch, staff=staff.values(), services=services.values(), roster=roster,
        appointments=plain, clients=clients.values(), coverage=coverage, notices=notices,
        # A snapshot without Products holds no catalogue: the order rules that need one
        # answer UNKNOWN rather than guess (Records.holds).
        records=Records(held=frozenset({"products"}) if "Products" in doc else frozenset(),
                        products=products),
        source=source)
    if processing:
        # An appointment with a Delay and a Complete holds its employee in two blocks and
        # its customer for the whole span. The appointment table holds one interval per
        # row, so these few are laid over it (an overlay answers exactly as a rebuilt
        # snapshot would; it costs their number, not the history's).
        snap = snap.with_changes(processing)
    return snap


def _span(day: date, start: time, end: time, zone: Any, notices: list[m.Notice],
          where: str) -> tuple[datetime, datetime]:
    rs, re_ = local_span(day, start, end, zone)
    for r in (rs, re_):
        if r.shifted:
            notices.append(m.Notice(
                "nonexistent_local_time", "a wall time in the spring-forward gap was moved "
                f"forward by {r.shifted}", where))
    return rs.instant, re_.instant


def _appointment(a: AppointmentIn, cancelled_list: bool, services: Mapping[str, m.Service],
                 zone: Any, source: str, where: str, notices: list[m.Notice]
                 ) -> m.Appointment:
    wall = read_wall(a.StartDate, zone)
    if wall is None:
        raise InputError(source, f"{where}.StartDate", "a date-time such as "
                         "2025-09-11T13:15:00 (location wall clock)", a.StartDate)
    if wall.shifted:
        notices.append(m.Notice(
            "nonexistent_local_time", f"StartDate {a.StartDate} falls in the spring-forward "
            f"gap; read as {wall.shifted} later", f"{where}.StartDate"))
    service = services.get(a.ServiceId or "")
    minutes = []
    for name, own, default in (("Init", a.Init, service.duration if service else None),
                               ("Delay", a.Delay, service.gap_time if service else 0),
                               ("Complete", a.Complete,
                                service.finish_duration if service else 0)):
        value = own if own is not None else default
        if value is None:
            raise InputError(source, f"{where}.{name}", "the appointment's minutes (its "
                             "service is not in the snapshot, so its minutes cannot stand "
                             "in)")
        minutes.append(value)
    init, delay, complete = minutes
    start = wall.instant
    state = "CANCELED" if cancelled_list or (
        a.Status is not None and a.Status.strip().lower() in CANCELLED_STATUSES) else "ACTIVE"
    day = start.astimezone(zone).date()
    if delay > 0 and complete > 0:
        end = start + timedelta(minutes=init)
        fs = end + timedelta(minutes=delay)
        finish: m.Interval | None = (fs, fs + timedelta(minutes=complete))
    else:
        # No processing gap between two held blocks: one interval (a Delay with nothing
        # after it holds no one).
        end = start + timedelta(minutes=init + (complete if delay == 0 else 0))
        finish = None
    return m.Appointment(a.AppointmentId, start, end, day, a.CustomerId, a.EmployeeId,
                         a.ServiceId, activation_state=state, finish=finish)


def _coverage(doc: Mapping[str, Any], zone: Any, source: str) -> m.Coverage:
    if doc.get("Coverage") is None:
        return m.Coverage()
    cov = validate(CoverageIn, doc["Coverage"], source, "Coverage")

    def day(value: str | None, name: str, end: bool) -> datetime | None:
        if value is None:
            return None
        try:
            d = check_date(date.fromisoformat(value))  # in the input years
        except ValueError:
            raise InputError(source, f"Coverage.{name}", "a date yyyy-MM-dd (local, "
                             f"inclusive), {DATE_RANGE}", value) from None
        return wall_to_utc(d + timedelta(days=1) if end else d, time(0), zone).instant

    fetched = None
    if cov.FetchedAt is not None:
        try:
            parsed = datetime.fromisoformat(cov.FetchedAt.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise InputError(source, "Coverage.FetchedAt", "an instant with its offset, such "
                             "as 2025-09-01T12:00:00Z", cov.FetchedAt)
        fetched = parsed.astimezone(UTC)
    return m.Coverage(day(cov.From, "From", False), day(cov.To, "To", True), fetched)


def read_appointments(rows: Sequence[object], snapshot: Snapshot,
                      source: str = "<appointments>") -> list[m.Appointment]:
    """PNE appointment rows made canonical the way ``snapshot`` read its own (its zone
    and services): what an overlay (``Snapshot.with_changes``) takes from a write."""
    notices: list[m.Notice] = []
    return [_appointment(validate(AppointmentIn, row, source, f"[{i}]"), False,
                         snapshot.services, snapshot.zone, source, f"[{i}]", notices)
            for i, row in enumerate(rows)]
