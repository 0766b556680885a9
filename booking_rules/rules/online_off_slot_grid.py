"""ONLINE_OFF_SLOT_GRID: an online booking starts off the salon's online slot grid.

## What it checks
Online bookings only (`online`, or the `phorest-online` ruleset): the booking's start, as
wall clock in the branch's time zone, is a whole multiple of `interval_minutes` (rule
option, default 15) after local midnight, with no seconds: with 15, 10:00, 10:15 and
10:45 pass, 10:10 and 10:15:30 do not. Only the first start of the request is checked:
the later services of a back-to-back booking start when the one before ends, wherever
that falls.

Decisions where Phorest is silent: the grid is anchored at local midnight (not at the
staff member's first working time), and "minutes after midnight" means the wall clock
(`hour * 60 + minute`), so on a DST day 03:15 is on a 15-minute grid whether or not the
hour before it existed, and both 01:30s of a fall-back night are on a 30-minute grid.
Phorest's online booking settings have a slot interval per salon that the third-party
API does not publish; set it in a ruleset: `[rules.ONLINE_OFF_SLOT_GRID]
interval_minutes = 30` (`1` turns the check into "whole minutes only").

## Why the API refuses it
Phorest's online booking only offers times on the salon's slot interval. The third-party
API may accept an off-grid time, but it leaves odd gaps in the staff member's day that
the salon's own booking page would never create.

## Example
11:10 in Toronto (16:10Z) is off a 15-minute grid:

```json fails online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:10:00Z"}]}]}
```

11:15 (16:15Z) is on it:

```json passes online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:15:00Z"}]}]}
```

## Fix
Start on the grid: `booking-rules slots --online` lists only times on it. Check the start
is meant as the salon's local time converted to UTC: a zone with a half-hour offset moves
every UTC quarter hour off a local one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    interval = int(ctx.options.get("interval_minutes", 15))
    if interval <= 0:
        return
    first = min(s.start for s in ctx.request.schedules) if ctx.request.schedules else (
        item.start)
    if item.start != first:
        return
    local = item.start.astimezone(ctx.zone)
    minutes = local.hour * 60 + local.minute
    if minutes % interval == 0 and local.second == 0 and local.microsecond == 0:
        return
    where = field_at(item, "startTime")
    before = minutes - minutes % interval
    after = before + interval
    yield Finding(
        f"Online bookings start every {interval} min from local midnight; "
        f"{ctx.when(item.start)} is {_clock(minutes, local)} local, between the grid "
        f"times {_clock(before)} and {_clock(after)}.",
        evidence={"startTime": ctx.when(item.start), "localTime": local.strftime("%H:%M:%S"),
                  "intervalMinutes": interval, "gridBefore": _clock(before),
                  "gridAfter": _clock(after), "location": where},
        fix=f"start at {_clock(before)} or {_clock(after)} local (or another multiple of "
        f"{interval} min after midnight)",
        location=where,
    )


def _clock(minutes: int, local: datetime | None = None) -> str:
    if local is not None and (local.second or local.microsecond):
        return local.strftime("%H:%M:%S")
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            online_only=True, needs=frozenset(),
            options={"interval_minutes": Option(15, "The online slot interval in minutes; "
                                                    "starts are multiples of it after "
                                                    "local midnight.")})
