"""STAFF_MISSING: a schedule names no staff member.

## What it checks
Every schedule of a createBooking body (and an updateAppointment body) must name the staff
member who does the service: `staffId` present and not `null`. A schedule without one is
reported here, once, with where it stands in the body; the rules that need the staff
member (qualification, roster, double booking, ...) cannot run for it and stay silent.

Decision where Phorest is silent: a missing `staffId` is a finding of its own, not
unusable input, so the rest of the request is still checked. Integrations send it: a
WordPress booking plugin sends `"staffId": null` when the client picks "any staff member".

## Why the API refuses it
Phorest made `staffId` required on booking schedules (API 1.13.0) and refuses a schedule
without one with a 400, without saying which schedule; `updateAppointment` requires it too.
Phorest does not pick a staff member for a booking.

## Example
The widget sent "any staff member" as `null`:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": null, "startTime": "2026-12-01T16:00:00Z"}]}]}
```

With the staff member chosen:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Choose the staff member before booking: for "any staff member", ask
`booking-rules slots --service ID` (or Phorest's `findAvailableAppointmentTimes`) for the
qualified staff free at that time and send one `staffId`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    if item.schedule.staff_id is not None:
        return
    where = field_at(item, "staffId")
    yield Finding(
        f"The schedule at {item.location or 'the body'} names no staff member (staffId "
        f"is missing or null); Phorest requires one and does not pick one itself.",
        evidence={"field": "staffId", "location": where},
        fix="send the staffId of a qualified staff member who is free then "
        "(`booking-rules slots` lists them)",
        location=where)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="error", needs=frozenset(), timeless=True)
