"""Wall-clock arithmetic the strategies share: minutes after local midnight, ``HH:MM:SS``,
the instant of a local wall-clock time (the engine's DST policy), and the days a zone
changes its offset. No Hypothesis here: plain functions of dates and zones.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The years the salons are drawn in (with their DST changes).
FIRST_DAY = date(2026, 1, 1)
LAST_DAY = date(2027, 12, 31)
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")

QUARTER = timedelta(minutes=15)


def clock_minutes(clock: str) -> int:
    """Minutes after midnight of ``HH:MM[:SS]``."""
    parsed = time.fromisoformat(clock)
    return parsed.hour * 60 + parsed.minute


def hms(minutes: int) -> str:
    """``HH:MM:00`` of ``minutes`` after midnight (wrapping past 24:00)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}:00"


def wall(zone: ZoneInfo, day: date, minutes: int) -> datetime:
    """The instant of wall clock ``day`` + ``minutes`` after midnight: the engine's policy
    (a time in a spring-forward gap moves forward by the gap, a fold takes its first
    occurrence), which is what ``fold=0`` gives."""
    clock = time(minutes // 60, minutes % 60)
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def read_times(zone: ZoneInfo, utc: bool, start: datetime, end: datetime
               ) -> dict[str, str]:
    """``appointmentDate``/``startTime``/``endTime`` of ``[start, end)`` as the snapshot's
    convention writes them (local wall clock, or UTC)."""
    tz = UTC if utc else zone
    s, e = start.astimezone(tz), end.astimezone(tz)
    return {"appointmentDate": s.date().isoformat(), "startTime": s.strftime("%H:%M:%S"),
            "endTime": e.strftime("%H:%M:%S")}


@functools.cache
def transition_days(zone_name: str) -> tuple[date, ...]:
    """The local dates in 2026-2027 on which ``zone_name`` changes its UTC offset."""
    zone = ZoneInfo(zone_name)
    out: list[date] = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        nxt = day + timedelta(days=1)
        if (datetime.combine(day, time(0), tzinfo=zone).utcoffset()
                != datetime.combine(nxt, time(0), tzinfo=zone).utcoffset()):
            out.append(day)
        day = nxt
    return tuple(out)

