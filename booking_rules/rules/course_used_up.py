"""COURSE_NO_UNITS_LEFT: the client course item has no sessions left to book.

## What it checks
A schedule that books a course session (`clientCourseItemId`) needs a unit of that item:
its `remainingUnits` must be above 0, and a request booking several sessions of the same
item must not book more than `remainingUnits` of them (the schedules are counted in
request order; the first one past the limit and every later one is reported).

Decisions where Phorest is silent:
- `remainingUnits` is read as already net of the sessions booked so far (the example salon
  shows 6 units bought, 2 sessions booked, 4 remaining), so the snapshot's own
  appointments are not subtracted again.
- An `updateAppointment` moves a session that already has its unit; it is not counted.
- An item without `remainingUnits` cannot be decided: the answer is UNKNOWN.

## Why the API refuses it
Phorest documents no code for it. Expect a 400 outside the nineteen codes, or a session
booked that the client has not paid for, found at checkout.

## Example
Gus has used every cut of his course:

```json fails
{"clientId": "cli_gus", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-03T15:00:00Z",
   "clientCourseItemId": "cci_gus_cut"}]}]}
```

He has one facial left, so one session passes (two in one request would not):

```json passes
{"clientId": "cli_gus", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_facial", "staffId": "stf_lisa", "startTime": "2026-12-03T15:00:00Z",
   "clientCourseItemId": "cci_gus_facial"}]}]}
```

## Fix
Sell the client a new course (or top up this one in Phorest) and book against it, or book
the session without the course.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule, Unknown
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding | Unknown]:
    s = item.schedule
    cci = ctx.snapshot.course_items.get(s.course_item_id or "")
    if cci is None or ctx.request.kind == "update":
        return
    where = field_at(item, "clientCourseItemId")
    if cci.remaining_units is None:
        yield Unknown(f"The snapshot gives no remainingUnits for client course item "
                      f"{cci.id}, so whether a session is left cannot be decided.",
                      {"clientCourseItemId": cci.id, "location": where})
        return
    earlier = [p.location for p in ctx.request.schedules[:s.index]
               if p.course_item_id == cci.id]
    needed = len(earlier) + 1
    if needed <= cci.remaining_units:
        return
    bought = "?" if cci.initial_units is None else cci.initial_units
    left = f"{max(cci.remaining_units, 0)} of {bought} sessions"
    if earlier:
        why = (f"this is session {needed} of item {cci.id} in this request (after "
               f"{', '.join(earlier)}), and the item has {left} left")
    else:
        why = f"item {cci.id} has {left} left"
    yield Finding(
        f"Client course {cci.client_course_id} has no unit left for this session: {why}.",
        evidence={"clientCourseItemId": cci.id, "clientCourseId": cci.client_course_id,
                  "initialUnits": cci.initial_units, "remainingUnits": cci.remaining_units,
                  "sessionsInRequest": needed, "earlierInRequest": earlier,
                  "location": where},
        fix="book this session without the course, or sell a new course first",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="error", needs=frozenset(), may_be_unknown=True,
            silent_unless=frozenset({"course"}), timeless=True)
