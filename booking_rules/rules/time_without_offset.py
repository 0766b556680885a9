"""TIME_WITHOUT_OFFSET: a `startTime` without `Z` or an offset, read as UTC.

## What it checks
A createBooking schedule's `startTime` carries a zone: `Z` or an offset such as `-05:00`.
One without (`2026-12-01T10:00:00`) is read as UTC, as Phorest documents ("all API times
for bookings are in UTC"); the warning names both readings, as UTC and as the branch's
wall clock, so the right one can be sent explicitly. Update bodies are not concerned:
their `appointmentDate` + `startTime` are a wall-clock pair by design.

## Why the API refuses it
It does not refuse it: Phorest reads the time as UTC and books it. When the author meant
salon time, the appointment lands hours off (five in Toronto in winter), inside someone
else's slot or outside the roster: the most common integration bug.

## Example
16:00 without an offset is read as 16:00Z, which is 11:00 in Toronto:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00"}]}]}
```

The same instant with `Z`:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Always send instants with `Z` (convert salon time through the branch's `timeZone`
first: 10:00 in Toronto in December is `15:00:00Z`) or with the explicit offset
(`2026-12-01T10:00:00-05:00`).
"""

from __future__ import annotations

from collections.abc import Iterator

from .._time import wall_to_utc
from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    s = item.schedule
    if not s.start_naive or s.start_wall is None:
        return
    wall = s.start_wall
    local = wall_to_utc(wall.date(), wall.time(), ctx.zone).instant
    where = field_at(item, "startTime")
    written = wall.isoformat()
    yield Finding(
        f"startTime {written!r} has no offset, so it is read as UTC: "
        f"{ctx.when(item.start)}. If {wall:%H:%M} salon time was meant, that is "
        f"{ctx.when(local)}.",
        evidence={"startTime": written, "readAsUtc": ctx.when(item.start),
                  "readAsLocal": ctx.when(local), "timeZone": ctx.zone.key,
                  "location": where},
        fix=f"send {item.start:%Y-%m-%dT%H:%M:%SZ} if UTC was meant, or "
        f"{local:%Y-%m-%dT%H:%M:%SZ} if {wall:%H:%M} salon time was meant",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            severity="warning", needs=frozenset(), silent_unless=frozenset({"naive"}))
