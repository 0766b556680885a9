"""END_TIME_DIFFERS_FROM_DURATION: the `endTime` sent differs from the service's duration.

## What it checks
When a schedule gives an explicit `endTime`, it should equal `startTime` plus the
service's duration for that staff member: the `userDurations[].duration` whose `userRef`
is the staff member's `userId`, else the service's `duration` (RULES.md §2). The explicit
`endTime` wins (every other rule checks the time it gives); this warning says it differs,
and by how much. Durations are elapsed minutes, so a booking across a DST change is
measured correctly.

## Why the API refuses it
It does not refuse it: Phorest books the `endTime` it is sent. A shorter one leaves the
staff member double-booked in practice once the service runs its real length; a longer one
blocks time nobody can book. On an update that changes the staff member or service,
integrations report that Phorest ignores the sent `endTime` and recalculates it, so the
checked end and the booked end may differ.

## Example
A cut takes 45 minutes; an `endTime` an hour after the start differs:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z",
   "endTime": "2026-12-01T17:00:00Z"}]}]}
```

Raj takes 45 minutes for a blow-dry (30 by default), so this `endTime` matches:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_raj", "startTime": "2026-12-01T19:00:00Z",
   "endTime": "2026-12-01T19:45:00Z"}]}]}
```

## Fix
Leave `endTime` out and let Phorest compute it from the service, or send start plus the
staff member's duration for the service. If the longer or shorter time is on purpose, the
warning can be ignored for that booking.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from .._time import UTC, to_local
from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    s = item.schedule
    service = item.service
    if s.end is None or item.duration is None or service is None:
        return
    expected = item.start + timedelta(minutes=item.duration)
    if s.end == expected:
        return
    given = int((s.end - item.start).total_seconds() // 60)
    staff = item.staff
    own = staff is not None and staff.user_id in service.user_durations
    source = (f"{ctx.staff_name(s.staff_id)}'s own duration (userDurations)" if own
              else "the service's duration")
    where = field_at(item, "endTime")
    if ctx.request.kind == "update":  # a wall-clock pair, as the body reads
        zone = UTC if ctx.snapshot.appointment_times == "utc" else ctx.zone
        send = f"{to_local(expected, zone):%H:%M:%S}"
    else:
        send = f"{expected:%Y-%m-%dT%H:%M:%SZ}"
    yield Finding(
        f"endTime gives {given} min ({ctx.when(item.start, s.end)}), but {service.name} "
        f"takes {item.duration} min by {source}, to {ctx.when(expected)}; the explicit "
        "endTime is used.",
        evidence={"serviceId": service.id, "staffId": s.staff_id,
                  "requestedMinutes": given, "serviceMinutes": item.duration,
                  "durationSource": "userDurations" if own else "duration",
                  "expectedEnd": ctx.when(expected), "location": where},
        fix=f"leave endTime out, or send {send}",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            module=__name__, severity="warning", needs=frozenset({"service", "staff"}),
            silent_unless=frozenset({"end"}))
