"""MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED: the previous session of the course is too long ago.

## What it checks
A schedule that books a course session (`clientCourseItemId`) must lie at most the course's
`maxDaysBetweenSessions` days after the nearest earlier blocking session of the same client
course (earlier by start instant; sessions of every item of the client course count,
sessions of the client's other courses do not). A first session, with no earlier one, is
never late, and later sessions are not compared. Days are counted between local dates
(branch time zone, the date of each start), never between UTC dates or in hours: with a
maximum of 42, a session on 1 December allows the next one up to 12 January at any hour.
Blocking means not deleted and not `CANCELED`; `RESERVED` holds count too (ruleset option
`reserved_holds_block`). Earlier schedules of the same request count; an update never
counts the session it moves. A course item or course the snapshot does not hold, or a
course without a maximum, is not checked here.

When the snapshot declares its coverage and it does not hold every day from the maximum
before the session up to the session, and no session found lies in that window, the
answer is UNKNOWN, not a pass (RULES.md §6).

Decision (Phorest is silent, and the snapshot cannot tell): when the window is covered,
no earlier session is in the snapshot at all, and the coverage starts at a bounded date
(earlier sessions could lie before it), the session is taken as the client's first, so it
passes. Set the rule option `assume_first_session = false` to answer UNKNOWN instead.

## Why the API refuses it
Phorest answers `MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED` when a course session is booked too
long after the previous one: a treatment plan loses its effect when sessions drift apart.
Phorest does not publish the course's shape; `maxDaysBetweenSessions` is the field this
library assumes (RULES.md §4).

## Example
Cara's laser course (`Laser x6`) allows at most 42 days between sessions; her last session
is on 1 December. 13 January is 43 days later:

```json fails
{"clientId": "cli_cara", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2027-01-13T15:00:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

04:30Z on 13 January is still 12 January, 23:30, in Toronto: exactly 42 local days, fine:

```json passes
{"clientId": "cli_cara", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2027-01-13T04:30:00Z",
   "clientCourseItemId": "cci_cara"}]}]}
```

## Fix
Book the session within the maximum number of days after the client's previous session of
the course (the message names it), or agree with the salon to restart the course.
`GET .../appointment?client_id=` lists the client's sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from .._time import UTC, wall_to_utc
from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule, Unknown


def check(item: Item, ctx: Context) -> Iterator[Finding | Unknown]:
    item_id = item.schedule.course_item_id
    course_item = ctx.snapshot.course_items.get(item_id or "")
    if course_item is None:
        return
    course = ctx.snapshot.courses.get(course_item.course_id or "")
    if course is None or course.max_days is None:
        return
    maximum, day = course.max_days, item.local_date
    earlier = [s for s in ctx.course_sessions(course_item.client_course_id)
               if s.start < item.start]
    previous = earlier[-1] if earlier else None
    if previous is not None and (day - previous.local_date).days <= maximum:
        return
    first = day - timedelta(days=maximum)
    evidence = {"clientCourseItemId": item_id, "clientCourseId": course_item.client_course_id,
                "courseId": course.id, "course": course.name,
                "maxDaysBetweenSessions": maximum, "localDate": day.isoformat(),
                "requested": ctx.when(item.start)}
    if not ctx.covers(wall_to_utc(first, time(0), ctx.zone).instant, item.span[1]):
        yield Unknown(
            f"the snapshot's coverage does not hold every day from {first:%Y-%m-%d} to "
            f"{day:%Y-%m-%d}, where the previous session of {course.name} would have to "
            "be", {**evidence, "window": {"from": first.isoformat(), "to": day.isoformat()}})
        return
    if previous is None:
        if not ctx.options.get("assume_first_session", True) and not ctx.covers(
                datetime.min.replace(tzinfo=UTC), item.span[1]):
            yield Unknown(
                f"no earlier session of {course.name} is in the snapshot, but its coverage "
                "starts at a bounded date, so whether this is the first session cannot be "
                "known (rule option assume_first_session = false)", evidence)
        return
    gap = (day - previous.local_date).days
    yield Finding(
        f"{ctx.client_name(course_item.client_id)}'s course {course.name} allows at most "
        f"{maximum} days between sessions; this session "
        f"{ctx.when(item.start)} is {gap} days after the previous one, "
        f"{ctx.name_of(previous)} {ctx.when(previous.start, previous.span[1])}.",
        evidence={**evidence, "days": gap, "previous": ctx.describe(previous)},
        fix=f"book the session at most {maximum} days (branch local dates) after "
        f"{previous.local_date:%Y-%m-%d}",
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "course-date"}),
            module=__name__, history=True, needs=frozenset(), may_be_unknown=True,
            silent_unless=frozenset({"course"}),
            options={"assume_first_session": Option(
                True, "When no earlier session of the client course is in the snapshot and "
                "its coverage starts at a bounded date, take the session as the first "
                "(true) or answer UNKNOWN (false). Phorest is silent; a decision.")},
            lists=frozenset({"appointments", "courses"}),
            reads=frozenset({"appointments.client@any"}))
