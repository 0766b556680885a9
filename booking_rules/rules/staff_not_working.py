"""STAFF_NOT_WORKING: the staff member is not rostered for the whole time the service needs.

## What it checks
Every block the service holds the staff member for lies inside their working time: the
union of their `WORKING` time slots (`workTimeTables[].timeSlots[]`, branch-local wall
clock), minus each slot's `timeOffStartTime`-`timeOffEndTime`, minus their breaks.
`NON_WORKING` and `NOT_SPECIFIED` slots, and days with no slot, are not working. A block may
run across two adjacent slots (09:00-13:00 then 13:00-17:00). The processing gap of a
service with a finish block is not checked: the staff member is free then.

## Why the API refuses it
Phorest answers `STAFF_NOT_WORKING` ("staff not rostered for the day"). With
`force_selected_time=true` Phorest was observed to skip this check and book outside the
roster, so the pre-flight is the only guard.

## Example
Lisa works 09:00-17:30 with time off 13:00-13:30. A cut at 12:45 local runs into her time
off.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-02T17:45:00Z"}]}]}
```

Starting when her time off ends is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-02T18:30:00Z"}]}]}
```

## Fix
Choose a time inside the roster (`booking-rules slots`), or another staff member who is
working. Check the times are UTC: 13:30 in Toronto is 18:30Z, not 13:30Z. Rosters come
from `GET .../staff/worktimetable`, breaks from `GET .../break`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    staff_id = item.schedule.staff_id or ""
    for start, end in item.blocks:
        if ctx.working_window(staff_id, start, end) is not None:
            continue
        yield Finding(build=_words(ctx, staff_id, start, end),
                      fix="choose a time inside the staff member's roster, or another staff "
                      "member who is working then")


def _words(ctx: Context, staff_id: str, start: datetime, end: datetime
           ) -> Callable[[], tuple[str, dict[str, Any]]]:
    """The message and evidence, worded when read (most refusals are only counted)."""
    def build() -> tuple[str, dict[str, Any]]:
        return (f"{ctx.staff_name(staff_id)} is not working for all of "
                f"{ctx.when(start, end)}; {_worked(ctx, staff_id, start, end)}.",
                _evidence(ctx, staff_id, start, end))
    return build


def _day_bounds(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    return start - timedelta(hours=14), end + timedelta(hours=14)


def _worked(ctx: Context, staff_id: str, start: datetime, end: datetime) -> str:
    lo, hi = _day_bounds(start, end)
    windows = [w for w in ctx.snapshot.working_windows(staff_id, lo, hi)
               if w[0].astimezone(ctx.zone).date() == start.astimezone(ctx.zone).date()]
    if not windows:
        span = ctx.snapshot.roster_range
        note = "" if span is None or span[0] <= start.astimezone(ctx.zone).date() <= span[1] \
            else f" (the snapshot's rosters cover {span[0]} to {span[1]} only)"
        return f"they have no working time that day{note}"
    shown = ", ".join(ctx.when(s, e) for s, e in windows)
    return f"their working time that day is {shown}"


def _evidence(ctx: Context, staff_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    lo, hi = _day_bounds(start, end)
    day = start.astimezone(ctx.zone).date()
    slots = [s for s in ctx.snapshot.roster_slots(staff_id, lo, hi) if s.local_date == day]
    breaks = list(ctx.snapshot.staff_breaks(staff_id, start, end))
    return {
        "staffId": staff_id,
        "requested": ctx.when(start, end),
        "localDate": day.isoformat(),
        "rosterSlots": [
            {"working": ctx.when(s.start, s.end),
             **({"timeOff": ctx.when(*s.time_off)} if s.time_off else {})} for s in slots],
        "workingWindows": [ctx.when(s, e) for s, e in ctx.snapshot.working_windows(
            staff_id, lo, hi) if s.astimezone(ctx.zone).date() == day],
        "breaks": [{"breakId": b.id, "label": b.label, "time": ctx.when(b.start, b.end)}
                   for b in breaks],
    }


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, history=True,
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            needs=frozenset({"service", "staff", "time"}),
            lists=frozenset({"breaks", "roster"}),
            reads=frozenset({"breaks.staff", "roster.staff"}))
