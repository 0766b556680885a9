"""COURSE_EXPIRED: the session is after the client's course expired, or the course is archived.

## What it checks
A schedule that books a course session (`clientCourseItemId`) uses a client course that is
not archived and whose `expiryDate` is not before the booking's local date (the calendar
date of its start in the branch's zone). An update inherits the course item of the
appointment it moves, so moving a session past the expiry is reported too.

Decisions where Phorest is silent:
- The expiry date itself is still valid: a session on `expiryDate` passes, the day after
  fails (Phorest's availability search drops times "after the course expiry").
- The check applies whether or not the business turned on Phorest's course-expiry
  enforcement, which the API does not expose; a ruleset that knows it is off can set
  `[severity] COURSE_EXPIRED = "warning"` or ignore the code.

## Why the API refuses it
Phorest documents no code for it. With course-expiry enforcement on, its availability
search never offers such a time and a booking is refused with a 400 outside the nineteen
codes; with it off, the session is booked against a course the client can no longer use,
and the salon finds out at checkout.

## Example
Bob's facial course expired on 30 November:

```json fails
{"clientId": "cli_bob", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_facial", "staffId": "stf_lisa", "startTime": "2026-12-01T15:00:00Z",
   "clientCourseItemId": "cci_bob_old"}]}]}
```

On the expiry date itself it is still valid:

```json passes
{"clientId": "cli_bob", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_facial", "staffId": "stf_lisa", "startTime": "2026-11-30T15:00:00Z",
   "clientCourseItemId": "cci_bob_old"}]}]}
```

## Fix
Book the session on or before the expiry date, book it without the course (paid
normally), or extend the course in Phorest (`PUT /clientcourse/{clientCourseId}`) and
refresh the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    cci = ctx.snapshot.course_items.get(item.schedule.course_item_id or "")
    if cci is None:
        return
    # An update inherits the course item of the appointment it moves: the appointment (if
    # its course is archived) or its new date (if past the expiry) is at fault.
    create = ctx.request.kind == "create"
    where = field_at(item, "clientCourseItemId")
    evidence = {"clientCourseItemId": cci.id, "clientCourseId": cci.client_course_id,
                "expiryDate": cci.expiry_date.isoformat() if cci.expiry_date else None,
                "archived": cci.archived, "localDate": item.local_date.isoformat()}
    if cci.archived:
        yield Finding(
            f"Client course {cci.client_course_id} (item {cci.id}) is archived; its "
            "sessions can no longer be booked.",
            evidence=evidence,
            fix="book without the course, or restore the course in Phorest and refresh the "
            "snapshot",
            location=where if create else "appointmentId",
        )
    if cci.expiry_date is not None and cci.expiry_date < item.local_date:
        yield Finding(
            f"Client course {cci.client_course_id} (item {cci.id}) expired on "
            f"{cci.expiry_date}; this session is on {item.local_date} "
            f"({ctx.when(item.start)}).",
            evidence=evidence,
            fix=f"book on or before {cci.expiry_date}, book without the course, or extend "
            "the course in Phorest",
            location=where if create else "appointmentDate",
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            severity="error", needs=frozenset(), silent_unless=frozenset({"course"}))
