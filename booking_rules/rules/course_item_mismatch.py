"""COURSE_ITEM_MISMATCH: the course item is another client's, or for another service.

## What it checks
A schedule that books a course session (`clientCourseItemId`) uses an item of a course the
schedule's own client bought (`clientCourses[].clientId`), for the schedule's own service
(`clientCourseItems[].serviceId`). Each mismatch is its own finding. An update inherits the
course item of the appointment it moves, so changing its service to another one is
reported too.

## Why the API refuses it
Phorest documents no code for it. Expect a 400 outside the nineteen codes, or a session
that redeems another client's course, or a course meant for another treatment, found only
at checkout.

## Example
Cara's laser course item, used for a new client:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-15T14:00:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

Cara's own laser session:

```json passes
{"clientId": "cli_cara", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-15T14:00:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

## Fix
Use an item of the client's own course for this service (`GET
/business/{businessId}/clientcourse?client_id=` lists them), or book without the course.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    s = item.schedule
    cci = ctx.snapshot.course_items.get(s.course_item_id or "")
    if cci is None:
        return
    create = ctx.request.kind == "create"
    # An update inherits the course item of the appointment it moves: the client or
    # service it sends is at fault.
    where = field_at(item, "clientCourseItemId")
    evidence = {"clientCourseItemId": cci.id, "clientCourseId": cci.client_course_id,
                "courseClientId": cci.client_id, "courseServiceId": cci.service_id,
                "clientId": s.client_id, "serviceId": s.service_id}
    if cci.client_id and s.client_id and cci.client_id != s.client_id:
        yield Finding(
            f"Course item {cci.id} belongs to {ctx.client_name(cci.client_id)}'s course "
            f"{cci.client_course_id}, not to {ctx.client_name(s.client_id)}.",
            evidence=evidence,
            fix="use a course item of this client's own course, or book without the course",
            location=where if create else "clientId",
        )
    if cci.service_id and s.service_id and cci.service_id != s.service_id:
        yield Finding(
            f"Course item {cci.id} is for {ctx.service_name(cci.service_id)}; this "
            f"schedule books {ctx.service_name(s.service_id)}.",
            evidence=evidence,
            fix=f"book {ctx.service_name(cci.service_id)} with this item, or use the item "
            "of the course for this service",
            location=where if create else "serviceId",
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="error", needs=frozenset(), silent_unless=frozenset({"course"}),
            timeless=True)
