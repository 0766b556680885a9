"""STAFF_DOUBLE_BOOKED: the staff member already has an appointment at that time.

## What it checks
Each block the requested service holds the staff for (the main block, and the finish block
after a processing gap, if the service has one) must not overlap a block of another
blocking appointment of the same staff member. Blocking means not deleted and not
`CANCELED`; `RESERVED` holds block too (ruleset option `reserved_holds_block`). Intervals
are half-open, so back-to-back appointments (one ends 10:45, the next starts 10:45) never
conflict. Earlier schedules of the same request count, so a request can collide with
itself; an update never collides with the appointment it moves.

Decisions (RULES.md §2, round 2): a blocking appointment is not deleted and not
`CANCELED` or `ARCHIVED`; an activation state the contract does not know blocks, with an
`UNKNOWN_ACTIVATION_STATE` notice. `RESERVED` holds block (`[options]
reserved_holds_block`), until older than `[options] reserved_hold_minutes` by their
`createdAt`, when that is set (`EXPIRED_HOLD`). A zero-length row (end equal to start)
occupies nothing. An existing row holds exactly its own `[start, end)`: Phorest returns a
service's finish block as a row of its own; for a source that does not split them,
`[options] expand_existing_finish = true` adds each row's gap and finish.

## Why the API refuses it
Phorest answers `STAFF_DOUBLE_BOOKED` when the staff is already booked. With
`force_selected_time=true` Phorest was observed to book anyway, leaving the salon with a
real double booking: this check is then the only guard.

## Example
Lisa already has Mary's cut 10:00-10:45 local (15:00Z-15:45Z) on 1 December.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T15:30:00Z"}]}]}
```

Starting when Mary's cut ends is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T15:45:00Z"}]}]}
```

A snapshot from a source that keeps a colour's finish inside the colour's own row (set
below for this example): Lisa's 10:00-10:45 colour on 3 December is then followed by its
30-minute gap and its 30-minute finish, 11:15-11:45, when she is busy again:

```json fails
{"engineOptions": {"expand_existing_finish": true},
 "addToSalon": {"services": [{"serviceId": "svc_gloss", "name": "Colour & gloss",
   "duration": 45, "gapTime": 30, "finishDuration": 30}],
  "appointments": [{"appointmentId": "ap_gloss", "version": 1,
   "appointmentDate": "2026-12-03", "startTime": "10:00:00", "endTime": "10:45:00",
   "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_gloss"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-03T16:15:00Z"}]}]}}
```

Phorest itself returns the finish as a row of its own, so by default the row holds only
10:00-10:45 and 11:15 is free:

```json passes
{"addToSalon": {"services": [{"serviceId": "svc_gloss", "name": "Colour & gloss",
   "duration": 45, "gapTime": 30, "finishDuration": 30}],
  "appointments": [{"appointmentId": "ap_gloss", "version": 1,
   "appointmentDate": "2026-12-03", "startTime": "10:00:00", "endTime": "10:45:00",
   "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_gloss"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-03T16:15:00Z"}]}]}}
```

## Fix
Pick another time (`booking-rules slots` lists the free ones for that staff member), or
another qualified staff member at the same time. Phorest's own answer is
`findAvailableAppointmentTimes`; `GET .../appointment?staff_id=` shows the staff's bookings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..core.context import Context, Item
from ..core.model import Appointment
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    staff_id = item.schedule.staff_id or ""
    seen: set[str] = set()
    for start, end in item.blocks:
        for other in ctx.staff_appointments(staff_id, start, end):
            if other.id in seen:
                continue
            seen.add(other.id)
            yield Finding(build=_words(ctx, staff_id, start, end, other), fix=_FIX)


_FIX = ("choose another time for this staff member, or another qualified staff member at "
        "this time (`booking-rules slots` lists both)")


def _words(ctx: Context, staff_id: str, start: datetime, end: datetime, other: Appointment
           ) -> Callable[[], tuple[str, dict[str, Any]]]:
    """The message and evidence, worded when read (most refusals are only counted)."""
    def build() -> tuple[str, dict[str, Any]]:
        requested = ctx.when(start, end)
        return (f"{ctx.staff_name(staff_id)} is already booked {ctx.when(*other.blocks[0])} "
                f"with {ctx.name_of(other)}; this service needs them {requested}.",
                {"staffId": staff_id, "requested": requested,
                 "conflict": ctx.describe(other)})
    return build


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, history=True,
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            needs=frozenset({"service", "staff", "time"}),
            lists=frozenset({"appointments"}),
            reads=frozenset({"appointments.staff"}))
