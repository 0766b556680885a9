"""The one module where local wall time meets UTC instants.

Inside the engine every instant is an aware UTC ``datetime``. Local wall clock (rosters,
breaks, appointment reads, special-offer windows) is converted here, through the branch's
IANA zone with ``zoneinfo`` + ``tzdata``, under one explicit policy:

* a wall time that does not exist (spring-forward gap) moves forward by the gap, and the
  caller is told (``shifted``), so it can warn;
* an ambiguous wall time (fall-back fold) takes its first occurrence (``fold=0``), and the
  caller is told (``ambiguous``);
* a write instant without an offset is read as UTC, as Phorest documents, and the caller is
  told (``naive``), because it is the most common integration bug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as _dtz
from dateutil.parser import isoparse

from ._errors import InputError, echo

__all__ = [
    "DATE_RANGE",
    "EPOCH",
    "MAX_DATE",
    "MAX_INSTANT",
    "MIN_DATE",
    "MIN_INSTANT",
    "UTC",
    "LocalDays",
    "LocalResolution",
    "check_date",
    "check_instant",
    "format_local",
    "format_span",
    "load_zone",
    "local_date",
    "local_span",
    "parse_instant",
    "parse_local_time",
    "parse_wall_instant",
    "require_instant",
    "to_local",
    "to_micros",
    "wall_to_utc",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_LOCAL_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")


# Every date and instant read from input lies in these years: far enough from the ends of
# the calendar (years 1 and 9999) that no span, step or search built from them can leave
# it, and wide enough for any booking. README "Input limits".
MIN_YEAR, MAX_YEAR = 1900, 2999
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
MIN_INSTANT = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
MAX_INSTANT = datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC)
DATE_RANGE = f"from {MIN_DATE} to {MAX_DATE}"
MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` when it is not one (a directory of the zone
    database such as ``Europe``, a name too long for a file name, a path)."""
    shown = echo(name, 40)
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_NAME:
        raise ValueError(f"an IANA time zone such as 'Europe/Dublin', got {shown}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError) as exc:  # "Europe":
        # a directory of the zone database; a 100,000-character name: too long a file
        raise ValueError(f"an IANA time zone such as 'Europe/Dublin', got {shown}") from exc


def check_date(day: date) -> date:
    """``day`` when it lies in the input years; ``ValueError`` saying the range if not."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"a date {DATE_RANGE}")
    return day


def check_instant(instant: datetime) -> datetime:
    """An aware ``instant`` when it lies in the input years; ``ValueError`` if not."""
    if not MIN_INSTANT <= instant < MAX_INSTANT:
        raise ValueError(f"an instant {DATE_RANGE}")
    return instant


def require_instant(value: object, name: str) -> datetime:
    """An argument of the Python API that must be an instant (``now``, a window's ends):
    an aware ``datetime`` in the input years, or an InputError naming the argument."""
    if not isinstance(value, datetime):
        raise InputError(name, "", "an aware datetime (an instant with a UTC offset)",
                         type(value).__name__ if not isinstance(value, date) else value)
    try:
        aware = value.tzinfo is not None and value.utcoffset() is not None
    except Exception:  # a tzinfo of the caller's own that fails
        aware = False
    if not aware:
        raise InputError(name, "", "an aware datetime (an instant with a UTC offset); a "
                         "naive one has no instant", value)
    try:
        return check_instant(value)
    except (ValueError, OverflowError):
        raise InputError(name, "", f"an instant {DATE_RANGE}", value) from None


def to_micros(instant: datetime) -> int:
    """Microseconds since the epoch: the compact key the indexes sort on."""
    return (instant - EPOCH) // _ONE_US


def query_micros(instant: datetime) -> int:
    """``to_micros`` for the instants an index query is asked about, remembered: a check
    asks about the same few instants (its schedules' starts and ends) some thirty times,
    and a dict hit (a datetime keeps its hash) costs half the arithmetic. Pure, so it
    cannot go stale; bounded, and emptied when full (a long-running server asks about
    ever new instants), so it cannot grow."""
    found = _QUERY_MICROS.get(instant)
    if found is None:
        found = (instant - EPOCH) // _ONE_US
        if len(_QUERY_MICROS) >= 4096:
            _QUERY_MICROS.clear()
        _QUERY_MICROS[instant] = found
    return found


_QUERY_MICROS: dict[datetime, int] = {}


def parse_wall_instant(text: str) -> tuple[datetime, bool, datetime]:
    """An ISO-8601 write instant: (as aware UTC, had no offset so read as UTC, the wall
    clock as written with its offset dropped)."""
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError("an ISO-8601 instant")
    try:
        try:
            parsed = datetime.fromisoformat(text)  # the common shapes, fast
        except ValueError:
            parsed = isoparse(text)  # the rest of ISO-8601 (week dates, basic format, ...)
        wall = parsed.replace(tzinfo=None)
        if parsed.tzinfo is None:
            return check_instant(parsed.replace(tzinfo=UTC)), True, wall
        return check_instant(parsed.astimezone(UTC)), False, wall
    except OverflowError:  # an offset that moves it off the calendar
        raise ValueError(f"an instant {DATE_RANGE}") from None


def parse_instant(text: str) -> tuple[datetime, bool]:
    """An ISO-8601 write instant as aware UTC, and whether it had no offset (read as UTC)."""
    instant, naive, _ = parse_wall_instant(text)
    return instant, naive


def parse_local_time(text: str) -> time:
    """A Phorest LocalTime, ``HH:mm``, ``HH:mm:ss`` or ``HH:mm:ss.SSS``."""
    match = _LOCAL_TIME.match(text)
    if not match:
        raise ValueError(f"a time of day HH:mm:ss, got {text!r}")
    hour, minute, second, frac = match.groups()
    micro = int((frac or "0").ljust(6, "0"))
    try:
        return time(int(hour), int(minute), int(second or 0), micro)
    except ValueError:
        raise ValueError(f"a time of day HH:mm:ss, got {text!r}") from None


@dataclass(frozen=True, slots=True)
class LocalResolution:
    """A wall time resolved to an instant, with what the policy had to do."""

    instant: datetime
    shifted: timedelta  # > 0 when the wall time fell in a gap and moved forward
    ambiguous: bool  # True when the wall time occurred twice and the first was taken


def wall_to_utc(day: date, clock: time, zone: tzinfo) -> LocalResolution:
    """The UTC instant of wall time ``day clock`` in ``zone``, under the gap/fold policy."""
    wall = datetime.combine(day, clock).replace(tzinfo=zone, fold=0)
    shifted = timedelta(0)
    if not _dtz.datetime_exists(wall):
        resolved = _dtz.resolve_imaginary(wall)
        shifted = resolved.replace(tzinfo=None) - wall.replace(tzinfo=None)
        wall = resolved
    ambiguous = _dtz.datetime_ambiguous(wall)
    return LocalResolution(wall.astimezone(UTC), shifted, ambiguous)


_DAY_US = 86_400_000_000
_HOUR = timedelta(hours=1)


class LocalDays:
    """Local midnights of one zone, per proleptic date ordinal, as epoch microseconds.

    Reading a million appointment rows through :func:`wall_to_utc` costs seconds; but on a
    day whose UTC offset never changes, every wall time is that day's midnight plus the
    time of day. ``plain(ordinal)`` gives that midnight for such a day and ``None`` for a
    day with a transition, which callers then read exactly through :func:`wall_to_utc`.
    """

    __slots__ = ("_plain", "_zone")

    def __init__(self, zone: tzinfo | None) -> None:
        self._zone = zone  # None: the wall clock is UTC itself
        self._plain: dict[int, int | None] = {}

    def plain(self, ordinal: int) -> int | None:
        try:
            return self._plain[ordinal]
        except KeyError:
            pass
        day = date.fromordinal(ordinal)
        base: int | None = (ordinal - _EPOCH_ORDINAL) * _DAY_US
        if self._zone is not None:
            start = wall_to_utc(day, time(0), self._zone)
            end = wall_to_utc(day + timedelta(days=1), time(0), self._zone)
            zone = self._zone
            offsets = {(start.instant + _HOUR * h).astimezone(zone).utcoffset()
                       for h in range(24)}
            offsets.add((end.instant - _ONE_US).astimezone(zone).utcoffset())
            if start.shifted or end.instant - start.instant != timedelta(days=1) or len(
                    offsets) != 1:
                base = None  # a transition falls on this local day
            else:
                base = to_micros(start.instant)
        self._plain[ordinal] = base
        return base


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def local_span(
    day: date, start: time, end: time, zone: tzinfo
) -> tuple[LocalResolution, LocalResolution]:
    """A local ``[start, end)`` on ``day`` (RULES.md §1): an end before its start ends the
    next day; an end equal to its start is the same instant, an empty interval. A start
    moved forward over a spring-forward gap onto or past its end is empty too (the end is
    then the start)."""
    end_day = day if end >= start else day + timedelta(days=1)
    rs = wall_to_utc(day, start, zone)
    re_ = wall_to_utc(end_day, end, zone)
    if re_.instant < rs.instant:
        re_ = LocalResolution(rs.instant, re_.shifted, re_.ambiguous)
    return rs, re_


def to_local(instant: datetime, zone: tzinfo) -> datetime:
    """``instant`` as wall clock in ``zone`` (aware, so the offset stays visible)."""
    return instant.astimezone(zone)


def local_date(instant: datetime, zone: tzinfo) -> date:
    """The calendar date of ``instant`` in ``zone``: every per-day rule uses this."""
    return instant.astimezone(zone).date()


def format_utc(instant: datetime) -> str:
    """``2026-12-01T15:00:00Z``: how every report, slot and body names a UTC instant."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day_minute(t: datetime) -> str:
    """``2026-12-01 10:00``: ``strftime("%Y-%m-%d %H:%M")`` without its cost (libc's
    strftime re-reads the process time zone on every call: a few µs each, and a report
    writes dozens). Years before 1000 keep strftime's own spelling."""
    if t.year < 1000:
        return t.strftime("%Y-%m-%d %H:%M")
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"


def _minute(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def format_local(instant: datetime, zone: tzinfo) -> str:
    """``2026-12-01 10:00 EST (15:00Z)``: how people read an instant in reports."""
    local = instant.astimezone(zone)
    utc = instant.astimezone(UTC)
    same_day = local.date() == utc.date()
    utc_part = _minute(utc) + "Z" if same_day else _day_minute(utc) + "Z"
    return f"{_day_minute(local)} {local.tzname()} ({utc_part})"


# Reports word the same few spans many times (a conflict is named in every finding that
# meets it). The function is pure, so a bounded memo can never go stale.
@lru_cache(maxsize=4096)
def format_span(start: datetime, end: datetime, zone: tzinfo) -> str:
    """``2026-12-01 10:00-10:45 EST (15:00Z-15:45Z)``: a half-open interval for people."""
    ls, le = start.astimezone(zone), end.astimezone(zone)
    us, ue = start.astimezone(UTC), end.astimezone(UTC)
    local_end = _minute(le) if le.date() == ls.date() else _day_minute(le)
    utc_end = _minute(ue) if ue.date() == us.date() else _day_minute(ue)
    utc_start = _minute(us) if us.date() == ls.date() else _day_minute(us)
    return f"{_day_minute(ls)}-{local_end} {ls.tzname()} ({utc_start}Z-{utc_end}Z)"
