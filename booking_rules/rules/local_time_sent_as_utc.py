"""LIKELY_LOCAL_TIME_SENT_AS_UTC: the time looks like salon wall clock sent as UTC.

## What it checks
A createBooking schedule whose `startTime` was sent as UTC (`Z`, `+00:00`, or no offset)
is outside the staff member's working time as sent, while the same wall clock read in the
branch's zone is inside it. This is Phorest's own Canada example: 13:30 was meant,
`13:30Z` was sent, which is 08:30 in Toronto, before the salon opens.

Precisely: some block the service holds the staff member for is not inside one working
window (roster minus time off minus breaks) at the UTC reading, and every block, moved to
the local reading of the same wall clock, is inside one. Elapsed durations are kept, so a
block that crosses a DST change moves as a whole.

Decisions where Phorest is silent:
- A `startTime` with a non-zero offset (`-05:00`) is not concerned: its author chose a
  zone. Update bodies are not concerned either: they are wall clock by design.
- With no roster for that staff member on either reading, nothing is said: the warning
  needs evidence that one reading fits and the other does not.

## Why the API refuses it
Phorest reads the time as UTC. When that instant is outside the roster it answers
`STAFF_NOT_WORKING` (reported by that rule); with `force_selected_time=true`, or when the
UTC reading happens to fall inside another shift, it books the wrong time silently.
Either way the real fix is in the conversion, which this warning names.

## Example
Lisa works 09:00-17:30 in Toronto. `13:30Z` is 08:30 there; 13:30 local is `18:30Z`:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-03T13:30:00Z"}]}]}
```

The converted instant:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-03T18:30:00Z"}]}]}
```

## Fix
Convert salon wall clock to UTC through the branch's `timeZone` before sending (13:30 in
Toronto in December is `18:30:00Z`), or send the local time with its offset
(`2026-12-03T13:30:00-05:00`).
"""

from __future__ import annotations

from collections.abc import Iterator

from .._time import wall_to_utc
from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    s = item.schedule
    wall = s.start_wall
    staff_id = s.staff_id
    if ctx.request.kind != "create" or wall is None or staff_id is None:
        return
    if wall != item.start.replace(tzinfo=None):
        return  # sent with a non-zero offset: not read as UTC
    snap = ctx.snapshot
    blocks = item.blocks
    # The roster look-up (shared with STAFF_NOT_WORKING) usually passes; convert the wall
    # clock only when not.
    if all(ctx.working_window(staff_id, b0, b1) is not None for b0, b1 in blocks):
        return
    local = wall_to_utc(wall.date(), wall.time(), ctx.zone).instant
    shift = local - item.start
    if not shift:
        return
    if any(snap.working_window(staff_id, b0 + shift, b1 + shift) is None
           for b0, b1 in blocks):
        return
    where = field_at(item, "startTime")
    sent = item.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    meant = local.strftime("%Y-%m-%dT%H:%M:%SZ")
    yield Finding(
        f"startTime {sent} is {ctx.when(item.start)}, outside "
        f"{ctx.staff_name(staff_id)}'s working time; the same wall clock {wall:%H:%M} in "
        f"the salon's zone ({ctx.when(local)}) is inside it. Was {wall:%H:%M} salon time "
        "sent as UTC?",
        evidence={"startTime": sent, "readAsUtc": ctx.when(item.start),
                  "readAsLocal": ctx.when(local), "likelyMeant": meant,
                  "timeZone": ctx.zone.key, "staffId": staff_id, "location": where},
        fix=f"if {wall:%H:%M} salon time was meant, send {meant}",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            module=__name__, severity="warning", needs=frozenset({"staff", "time"}),
            lists=frozenset({"roster"}))
