"""MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED: another session of the course is too close.

## What it checks
A schedule that books a course session (`clientCourseItemId`) must lie at least the
course's `minDaysBetweenSessions` days away from every other blocking session of the same
client course, before or after it. Sessions of every item of the client course count (a
course of laser and facial sessions is one course), sessions of the client's other courses
do not. Days are counted between local dates (branch time zone, the date of each start),
never between UTC dates or in hours: with a minimum of 14, a session on 1 December lets the
next one be booked on 15 December at any hour, but not on the 14th. Blocking means not
deleted and not `CANCELED`; `RESERVED` holds count too (ruleset option
`reserved_holds_block`). Earlier schedules of the same request count; an update never
counts the session it moves. A course item or course the snapshot does not hold, or a
course without a minimum, is not checked here.

When the snapshot declares its coverage and it does not hold every day within the minimum
either side of the session, and no session found is too close, the answer is UNKNOWN, not
a pass (RULES.md §6).

## Why the API refuses it
Phorest answers `MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED` when a course session is booked
too soon after (or before) another: treatments such as laser need time to heal. Phorest
does not publish the course's shape; `minDaysBetweenSessions` is the field this library
assumes (RULES.md §4).

## Example
Cara's laser course (`Laser x6`) needs 14 days between sessions; her last session is on
1 December, 09:30 local. 14 December is 13 days later:

```json fails
{"clientId": "cli_cara", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-14T15:00:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

15 December, exactly 14 days later, is fine:

```json passes
{"clientId": "cli_cara", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-15T15:00:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

## Fix
Book the session at least the minimum number of days from the client's other sessions of
the course (the message names the closest ones), or move those. `GET .../appointment?
client_id=` lists the client's sessions; `GET .../clientcourse/{id}` shows the course.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

from .._time import wall_to_utc
from ..core.context import Context, Item
from ..core.rule import Finding, Rule, Unknown


def check(item: Item, ctx: Context) -> Iterator[Finding | Unknown]:
    item_id = item.schedule.course_item_id
    course_item = ctx.snapshot.course_items.get(item_id or "")
    if course_item is None:
        return
    course = ctx.snapshot.courses.get(course_item.course_id or "")
    if course is None or not course.min_days:
        return
    minimum, day = course.min_days, item.local_date
    found = False
    for other in ctx.course_sessions(course_item.client_course_id):
        gap = (day - other.local_date).days
        if abs(gap) >= minimum:
            continue
        found = True
        side = "after" if gap > 0 else ("before" if gap < 0 else "on the same day as")
        away = f"{abs(gap)} day{'s' if abs(gap) != 1 else ''} " if gap else ""
        yield Finding(
            f"{ctx.client_name(course_item.client_id)}'s course {course.name} needs at least "
            f"{minimum} days between sessions; this session "
            f"{ctx.when(item.start)} is {away}{side} {ctx.name_of(other)} "
            f"{ctx.when(other.start, other.span[1])}.",
            evidence={"clientCourseItemId": item_id,
                      "clientCourseId": course_item.client_course_id,
                      "courseId": course.id, "course": course.name,
                      "minDaysBetweenSessions": minimum,
                      "localDate": day.isoformat(), "requested": ctx.when(item.start),
                      "days": abs(gap), "session": ctx.describe(other)},
            fix=f"book the session at least {minimum} days (branch local dates) from the "
            "client's other sessions of this course",
        )
    if found:
        return
    first = day - timedelta(days=minimum - 1)
    after = day + timedelta(days=minimum)
    start = wall_to_utc(first, time(0), ctx.zone).instant
    end = max(wall_to_utc(after, time(0), ctx.zone).instant, item.span[1])
    if not ctx.covers(start, end):
        yield Unknown(
            f"the snapshot's coverage does not hold every day from {first:%Y-%m-%d} to "
            f"{after - timedelta(days=1):%Y-%m-%d}, where another session of "
            f"{course.name} would be fewer than {minimum} days away",
            {"window": {"from": first.isoformat(),
                        "to": (after - timedelta(days=1)).isoformat()},
             "clientCourseId": course_item.client_course_id,
             "minDaysBetweenSessions": minimum})


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "course-date"}),
            module=__name__, history=True, needs=frozenset(), may_be_unknown=True,
            silent_unless=frozenset({"course"}),
            lists=frozenset({"appointments", "courses"}),
            reads=frozenset({"appointments.client@any"}))
