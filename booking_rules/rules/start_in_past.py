"""START_IN_PAST: the schedule starts before the time of the check.

## What it checks
Every schedule starts at or after `now`, the instant the check runs at (always an input,
never read from the clock). A start exactly at `now` passes. Updates are checked too:
moving an appointment into the past is as wrong as booking one there.

Decision where Phorest is silent: no tolerance by default. Rule option `grace_minutes`
lets a start up to that many minutes before `now` pass (for clocks that drift, or a
request that waits in a queue).

## Why the API refuses it
Phorest documents no code for it, and the salon screen lets staff book into the past, so
the API may well accept it: a silent bad booking nobody can attend, that still blocks
the staff member's history and may count toward per-day and course limits.

## Example
The check runs at 2026-11-01 12:00Z (07:00 in Toronto). An hour earlier is in the past:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-11-01T11:00:00Z"}]}]}
```

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Book a time after now. If the time was meant in the salon's zone, check the conversion
to UTC: a time sent without an offset is read as UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._body import field_at

OPTIONS = {
    "grace_minutes": Option(0, "A start up to this many minutes before now still passes."),
}


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    grace = int(ctx.options.get("grace_minutes", 0))
    # Most rulesets give no grace: skip building a timedelta on every check.
    if item.start >= (ctx.now - timedelta(minutes=grace) if grace else ctx.now):
        return
    late = ctx.now - item.start
    where = field_at(item, "startTime")
    yield Finding(
        f"The schedule starts {ctx.when(item.start)}, {_ago(late)} before the check at "
        f"{ctx.when(ctx.now)}.",
        evidence={"startTime": ctx.when(item.start), "now": ctx.when(ctx.now),
                  "minutesBeforeNow": int(late.total_seconds() // 60), "location": where},
        fix="book a time after now",
        location=where,
    )


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 2880:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // 1440} days"


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            severity="error", options=OPTIONS, needs=frozenset())
