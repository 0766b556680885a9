"""Phorest's payloads as this library reads them: the wire models (pydantic, at the edge)
and, for each, the fields Phorest returns that no rule reads.

The shapes Phorest has not published (RULES.md §4) are read here and nowhere else; they are
marked ``ASSUMED`` below, so they change in one place when the real ones are confirmed.

Every field of a row is one of three kinds (RULES.md §4, issue 12):

* read: a field of the model below;
* known: a field Phorest returns that no rule reads (``UNUSED``): silent, never slower;
* unknown: anything else, reported once per name with its JSON path and the closest known
  name (``UNKNOWN_FIELD``), because a misspelt field must never silently pass.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, FailFast, Field

from ..._time import DATE_RANGE, check_date, parse_instant, parse_local_time
from ...core import model as m

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
        return check_date(value)
    if not isinstance(value, str):
        raise ValueError("a date yyyy-MM-dd")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date yyyy-MM-dd") from None
    return check_date(day)  # in the input years (README "Input limits")


def _date_or_instant(value: object) -> date | datetime:
    if isinstance(value, str) and len(value) == 10:
        return _iso_date(value)
    if not isinstance(value, str):
        raise ValueError("a date yyyy-MM-dd or an ISO-8601 instant")
    try:
        return parse_instant(value)[0]
    except ValueError:
        raise ValueError(f"a date yyyy-MM-dd or an ISO-8601 instant, {DATE_RANGE}") from None


LocalTime = Annotated[time, BeforeValidator(_local_time)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
DateOrInstant = Annotated[date | datetime, BeforeValidator(_date_or_instant)]
Id = Annotated[str, Field(min_length=1)]
_Item = TypeVar("_Item")
# A list that stops at its first invalid item: pydantic otherwise collects an error for
# every item, and a few MB of invalid items would take GBs before the first is reported.
Many = Annotated[list[_Item], FailFast()]


class Wire(BaseModel):
    # Unknown fields are kept (model_extra), never guessed away; ``UNUSED`` names the
    # fields Phorest returns that no rule reads.
    model_config = ConfigDict(extra="allow", frozen=True)


# --- snapshot wire shapes --------------------------------------------------------------


class BranchIn(Wire):
    branchId: Id
    name: str = ""
    timeZone: str


class StaffIn(Wire):
    staffId: Id
    userId: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    disqualifiedServices: Many[str] = []
    archived: bool = False
    hideFromOnlineBookings: bool = False


class UserDurationIn(Wire):
    userRef: str
    duration: int = Field(ge=0, le=m.MAX_MINUTES)


class ServiceIn(Wire):
    serviceId: Id
    name: str = ""
    duration: int = Field(ge=0, le=m.MAX_MINUTES)
    finishDuration: int | None = Field(default=None, ge=0, le=m.MAX_MINUTES)
    userDurations: Many[UserDurationIn] = []
    userFinishDurations: Many[UserDurationIn] = []
    disqualifiedStaff: Many[str] = []
    internetEnabled: bool = True
    archived: bool = False
    isAddonOnly: bool = False
    # ASSUMED (RULES.md §4): the suitable rooms and machines, and the processing gap.
    roomIds: Many[str] = []
    machineIds: Many[str] = []
    gapTime: int | None = Field(default=None, ge=0, le=m.MAX_MINUTES)


class RoomIn(Wire):  # ASSUMED (RULES.md §4)
    roomId: Id
    name: str = ""
    capacity: int = Field(default=1, ge=0)


class MachineIn(Wire):  # ASSUMED (RULES.md §4)
    machineId: Id
    name: str = ""
    quantity: int = Field(default=1, ge=0)


class TimeSlotIn(Wire):
    date: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    timeOffStartTime: LocalTime | None = None
    timeOffEndTime: LocalTime | None = None
    type: str = "NOT_SPECIFIED"


class WorkTimeTableIn(Wire):
    staffId: Id
    timeSlots: Many[TimeSlotIn] = []


class BreakIn(Wire):
    breakId: str = ""
    breakDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    staffId: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    label: str | None = None


class AppointmentIn(Wire):
    appointmentId: Id
    version: int | None = None
    appointmentDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime
    clientId: str | None = None
    staffId: Id  # RULES.md §6: a row without its staff member cannot be read
    serviceId: str | None = None
    activationState: str = "ACTIVE"
    deleted: bool = False
    staffRequest: bool = False
    source: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    # ASSUMED (RULES.md §4): appointment links. Phorest models a special offer as a
    # service group, so the offer link may come under either group name too.
    specialOfferId: str | None = None
    serviceGroupId: str | None = None
    parentServiceGroupId: str | None = None
    clientCourseItemId: str | None = None
    clientCourseId: str | None = None
    createdAt: str | None = None  # read for RESERVED holds (reserved_hold_minutes)


class AllowedTimeIn(Wire):  # ASSUMED (RULES.md §4)
    days: Many[Literal[
        "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"
    ]]
    startTime: LocalTime
    endTime: LocalTime


class SpecialOfferIn(Wire):  # ASSUMED (RULES.md §4)
    specialOfferId: Id
    name: str = ""
    serviceIds: Many[str] = []
    startDate: IsoDate | None = None
    endDate: IsoDate | None = None
    allowedTimes: Many[AllowedTimeIn] = []
    maxConcurrent: int | None = Field(default=None, ge=0)
    maxPerDay: int | None = Field(default=None, ge=0)
    excludedStaffIds: Many[str] = []


class CourseIn(Wire):  # ASSUMED (RULES.md §4)
    courseId: Id
    name: str = ""
    minDaysBetweenSessions: int | None = Field(default=None, ge=0, le=m.MAX_DAYS)
    maxDaysBetweenSessions: int | None = Field(default=None, ge=0, le=m.MAX_DAYS)


class ClientCourseItemIn(Wire):
    clientCourseItemId: Id
    serviceId: str | None = None
    initialUnits: int | None = None
    remainingUnits: int | None = None


class ClientCourseIn(Wire):
    clientCourseId: Id
    clientId: str | None = None
    courseId: str | None = None
    expiryDate: IsoDate | None = None
    archived: bool = False
    clientCourseItems: Many[ClientCourseItemIn] = []


class ClientIn(Wire):
    clientId: Id
    firstName: str | None = None
    lastName: str | None = None


class CoverageIn(Wire):
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


class ConventionsIn(Wire):
    appointmentTimes: Literal["local", "utc"] = "local"


# --- request wire shapes ---------------------------------------------------------------


class ServiceScheduleIn(Wire):
    serviceId: Id
    staffId: str | None = None  # a missing staff member is a finding (STAFF_MISSING)
    startTime: str
    endTime: str | None = None
    staffRequest: bool = False
    roomId: str | None = None
    machineId: str | None = None
    clientCourseItemId: str | None = None
    specialOfferId: str | None = None  # ASSUMED (RULES.md §4)
    clientId: str | None = None  # only on the deprecated flat `schedules`
    # Phorest models a special offer as a service group: the booking field that names it.
    branchServiceGroupId: str | None = None
    serviceGroupItemOptionId: str | None = None
    alternativeStaffMember: bool | None = None
    price: float | None = None
    appointmentId: str | None = None


class ClientAppointmentScheduleIn(Wire):
    clientId: str | None = None
    serviceSchedules: Many[ServiceScheduleIn] = Field(min_length=1)


class CreateBookingIn(Wire):
    clientId: Id
    bookingStatus: Literal["ACTIVE", "RESERVED", "CANCELED"] = "ACTIVE"
    note: str | None = None
    clientAppointmentSchedules: list[ClientAppointmentScheduleIn] | None = Field(
        default=None, fail_fast=True)
    schedules: list[ServiceScheduleIn] | None = Field(  # deprecated by Phorest 1.13.0
        default=None, fail_fast=True)


class UpdateAppointmentIn(Wire):
    appointmentId: Id
    version: int
    appointmentDate: IsoDate
    startTime: LocalTime
    endTime: LocalTime | None = None
    staffId: str | None = None  # a missing staff member is a finding (STAFF_MISSING)
    serviceId: str | None = None
    roomId: str | None = None
    machineId: str | None = None
    price: float | None = None
    confirmed: bool | None = None
    clientId: str | None = None


# --- fields Phorest returns that no rule reads -----------------------------------------

# phorest_api.md §3.1 and §16 (live tenants): known, so silent, and on the fast read.
APPOINTMENT_UNUSED = (
    "branchId", "serviceName", "price", "depositAmount", "depositDateTime", "confirmed",
    "state", "preferredStaff", "bookingId", "purchasingBranchId", "serviceRewardId",
    "isFinishAppointment", "internetServiceCategories", "updatedAt", "notes",
    "groupBookingId", "serviceGroupItemOptionId", "courseId", "courseName",
    "waitingListDateTime",
)

UNUSED: dict[type[Wire], frozenset[str]] = {
    BranchIn: frozenset({  # §5
        "latitude", "longitude", "streetAddress1", "streetAddress2", "city", "state",
        "postalCode", "country", "currencyCode", "accountId", "businessId", "version"}),
    StaffIn: frozenset({  # §7
        "branchId", "staffCategoryId", "staffCategoryName", "email", "mobile",
        "selfEmployed", "hideFromAppointmentScreen", "onlineProfile", "imageUrl",
        "version", "gender", "createdAt", "updatedAt"}),
    ServiceIn: frozenset({  # §6
        "version", "internetName", "description", "categoryId", "categoryName", "price",
        "staffCategories", "userPrices", "addonServiceIds", "internetServiceCategories",
        "branchId", "createdAt", "updatedAt"}),
    UserDurationIn: frozenset(),
    RoomIn: frozenset({"archived", "branchId", "version"}),  # §16: seen live
    MachineIn: frozenset({"archived", "branchId", "version"}),
    WorkTimeTableIn: frozenset({"branchId"}),  # §8.1
    TimeSlotIn: frozenset({"custom", "branchId", "workActivityId", "timeOffPolicyId"}),
    BreakIn: frozenset({"version", "paidBreak", "branchId"}),  # §8.2
    AppointmentIn: frozenset(APPOINTMENT_UNUSED),
    SpecialOfferIn: frozenset({"isSpecialOffer", "branchId", "version"}),  # §16
    AllowedTimeIn: frozenset(),
    CourseIn: frozenset({"branchId", "version"}),
    ClientCourseIn: frozenset({  # §11
        "purchasingBranchId", "courseName", "purchaseDate", "grossPrice", "netPrice"}),
    ClientCourseItemIn: frozenset({"courseItemId", "grossPrice", "netPrice"}),
    # Phorest's client reference (GET /client); clients are read for their names only.
    ClientIn: frozenset({
        "version", "mobile", "linkedClientMobile", "landLine", "email", "birthDate",
        "gender", "notes", "clientSince", "firstVisit", "createdAt", "updatedAt",
        "archived", "deleted", "banned", "address", "externalId", "creatingBranchId",
        "clientCategoryIds", "preferredStaffId", "photoUrl", "smsMarketingConsent",
        "emailMarketingConsent", "smsReminderConsent", "emailReminderConsent"}),
    CoverageIn: frozenset(),
    ConventionsIn: frozenset(),
    # Requests: §2.1 (createBooking) and §3.2 (updateAppointment).
    ServiceScheduleIn: frozenset(),
    ClientAppointmentScheduleIn: frozenset(),
    CreateBookingIn: frozenset(),
    UpdateAppointmentIn: frozenset(),
}


# Phorest's resources carry an optimistic-lock ``version`` and their ``createdAt`` /
# ``updatedAt`` stamps (a sync, and the sandbox, keep them): known on every snapshot row.
_STAMPS = frozenset({"version", "createdAt", "updatedAt"})
_REQUESTS = (ServiceScheduleIn, ClientAppointmentScheduleIn, CreateBookingIn,
             UpdateAppointmentIn, CoverageIn, ConventionsIn)
UNUSED.update({model: names | _STAMPS for model, names in UNUSED.items()
               if model not in _REQUESTS})


def field_names(model: type[Wire]) -> frozenset[str]:
    """The names a payload uses for ``model``'s fields (their aliases)."""
    return frozenset(f.alias or name for name, f in model.model_fields.items())


def known_names(model: type[Wire]) -> frozenset[str]:
    """Every field name ``model``'s rows may carry without a notice."""
    return field_names(model) | UNUSED[model]


def nested(model: type[Wire]) -> dict[str, type[Wire]]:
    """``model``'s fields that hold a list of rows of another model."""
    out: dict[str, type[Wire]] = {}
    for name, f in model.model_fields.items():
        for arg in getattr(f.annotation, "__args__", ()):
            inner = getattr(arg, "__args__", (arg,))
            for candidate in inner:
                if isinstance(candidate, type) and issubclass(candidate, Wire):
                    out[f.alias or name] = candidate
    return out


def defaults(model: type[Wire]) -> dict[str, Any]:
    """``model``'s fields whose default is a value, not ``None`` (RULES.md §6: a ``null``
    there is read as the default, with a notice)."""
    out: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        if f.is_required():
            continue
        value = f.get_default(call_default_factory=True)
        if value is not None:
            out[f.alias or name] = value
    return out
