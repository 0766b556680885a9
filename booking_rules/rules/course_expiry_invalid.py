"""CLIENT_COURSE_EXPIRY_INVALID: a client course's `expiryDate` is no date, or before the purchase.

## What it checks
In an `updateClientCourse` body (`PUT /clientcourse/{clientCourseId}`), `expiryDate`
must be a date `yyyy-MM-dd` (Phorest's example: `"2022-11-21"`), not an instant or a
local date-time, and must not be before the course's `purchaseDate` in the snapshot's
`clientCourses`.

Decisions where Phorest is silent:
- An expiry on the purchase date itself is allowed (the course is then valid for one
  day); only a date before it is reported.
- An expiry already in the past is not reported: closing a course by dating it back is a
  salon's choice (and `archived` is the other way).
- A course the snapshot does not hold, or holds without `purchaseDate`, cannot be
  compared: the answer is UNKNOWN (the date's own shape is still checked).

## Why the API refuses it
Phorest's client course dates are plain dates; a date-time is refused or cut to a day the
caller did not mean. An expiry before the purchase makes every remaining session of the
course unbookable at once (`COURSE_EXPIRED` on every booking), which Phorest accepts
silently.

## Example
Cara bought her laser course on 2026-11-01:

```json fails
{"kind": "updateClientCourse", "path": {"clientCourseId": "cc_cara"},
 "body": {"clientCourseId": "cc_cara", "expiryDate": "2026-10-01", "archived": false}}
```

```json passes
{"kind": "updateClientCourse", "path": {"clientCourseId": "cc_cara"},
 "body": {"clientCourseId": "cc_cara", "expiryDate": "2027-11-01", "archived": false}}
```

## Fix
Send `expiryDate` as `yyyy-MM-dd`, on or after the course's purchase date (read it with
`GET /clientcourse?client_id=...`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientCourseWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, ClientCourseWrite)
    if p is None or p.expiry is None:
        return
    where = p.expiry.location
    if p.expiry_date is None:
        yield Finding(
            f"expiryDate {p.expiry.text!r} is not a date yyyy-MM-dd.",
            evidence={"expiryDate": p.expiry.text},
            fix="send the expiry as a date yyyy-MM-dd, e.g. \"2027-06-01\"",
            location=where)
        return
    records = ctx.snapshot.records
    course = records.client_courses.get(p.target_id or "")
    if course is None or course.purchase_date is None:
        what = ("holds no client courses" if not records.holds("client_courses") else
                f"does not hold client course {p.target_id}" if course is None else
                f"holds no purchaseDate for client course {p.target_id}")
        yield Unknown(f"The snapshot {what}, so whether expiryDate {p.expiry_date} is "
                      "before the course's purchase cannot be decided.",
                      {"clientCourseId": p.target_id,
                       "expiryDate": p.expiry_date.isoformat()})
        return
    if p.expiry_date >= course.purchase_date:
        return
    yield Finding(
        f"expiryDate {p.expiry_date} is before client course {course.id}'s purchase on "
        f"{course.purchase_date}: every session left would be expired at once.",
        evidence={"clientCourseId": course.id, "expiryDate": p.expiry_date.isoformat(),
                  "purchaseDate": course.purchase_date.isoformat(),
                  "currentExpiryDate": course.expiry_date.isoformat()
                  if course.expiry_date else None},
        fix=f"send an expiry on or after {course.purchase_date}",
        location=where)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client_course",
            may_be_unknown=True)
