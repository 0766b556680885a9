"""ONLINE_MIN_GAP: an online booking leaves too small a gap beside another appointment.

## What it checks
Online bookings only (`online`, or the `phorest-online` ruleset), and only when the rule
option `minutes` is set (default 0: off). For every block the service holds the staff
member for (main block, and finish block if any), the gap to the staff member's nearest
blocking appointment before it and after it must be either zero (back to back) or at least
`minutes`. A gap of 1 to `minutes - 1` minutes is refused: it is too short to book and
only wastes the staff member's time. Earlier schedules of the same request count as
neighbours (back to back they leave no gap); overlaps are `STAFF_DOUBLE_BOOKED`'s, not
this rule's. Breaks, time off and the ends of the roster are not neighbours.

Decision where Phorest is silent: Phorest's online booking settings have a minimum gap
per salon that the third-party API does not publish, so the rule is off unless a ruleset
sets it: `[rules.ONLINE_MIN_GAP] minutes = 15`.

## Why the API refuses it
Phorest's online booking does not offer a time that would leave a gap the salon set as
too small to use. The third-party API may accept the booking anyway; this check keeps an
online integration to the salon's policy.

## Example
Lisa has Mary's cut 10:00-10:45 local (15:00Z-15:45Z) on 1 December. With `minutes = 15`
in the ruleset (`ruleOptions` below is not part of the body: it sets the option for this
example), a cut at 10:50 local leaves a 5-minute gap after Mary's:

```json fails online
{"ruleOptions": {"ONLINE_MIN_GAP": {"minutes": 15}},
 "clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T15:50:00Z"}]}]}
```

Straight after Mary's cut leaves no gap at all:

```json passes online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T15:45:00Z"}]}]}
```

## Fix
Book back to back with the neighbouring appointment, or leave at least `minutes` free:
`booking-rules slots --online` lists only times that do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from ..core.context import Context, Item
from ..core.model import Appointment
from ..core.rule import Finding, Option, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    minutes = int(ctx.options.get("minutes", 0))
    if minutes <= 0:
        return
    staff_id = item.schedule.staff_id or ""
    wide = timedelta(minutes=minutes)
    seen: set[tuple[str, str]] = set()
    for start, end in item.blocks:
        # Neighbours whose blocks end in [start - minutes, start) or start in (end, end + ...].
        for other in ctx.staff_appointments(staff_id, start - wide, end + wide):
            for o_start, o_end in other.blocks:
                if o_end <= start:
                    gap, side = start - o_end, "before"
                elif o_start >= end:
                    gap, side = o_start - end, "after"
                else:
                    continue  # an overlap: STAFF_DOUBLE_BOOKED reports it
                if timedelta(0) < gap < wide and (other.id, side) not in seen:
                    seen.add((other.id, side))
                    yield _finding(ctx, staff_id, start, end, other, gap, side, minutes)


def _finding(ctx: Context, staff_id: str, start: datetime, end: datetime, other: Appointment,
             gap: timedelta, side: str, minutes: int) -> Finding:
    gap_min = int(gap.total_seconds() // 60)
    where = "after" if side == "before" else "before"  # this booking, relative to other
    return Finding(
        f"{ctx.staff_name(staff_id)} would have a {gap_min} min gap {where} "
        f"{ctx.name_of(other)} {ctx.when(*other.blocks[0])}; this service needs them "
        f"{ctx.when(start, end)}, and online bookings leave no gap under {minutes} min.",
        evidence={"staffId": staff_id, "requested": ctx.when(start, end),
                  "gapMinutes": gap_min, "minGapMinutes": minutes,
                  "neighbour": ctx.describe(other)},
        fix="book back to back with the neighbouring appointment, or at least "
        f"{minutes} min away from it",
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            online_only=True, history=True, needs=frozenset({"service", "time"}),
            options={"minutes": Option(0, "The smallest gap, in minutes, an online booking "
                                          "may leave beside a neighbouring appointment of "
                                          "the same staff member (0: off).")},
            lists=frozenset({"appointments"}),
            reads=frozenset({"appointments.staff"}))
