"""CLIENT_COURSE_ID_MISMATCH: a client course update's body and path ids differ.

## What it checks
In an `updateClientCourse` request (`PUT /clientcourse/{clientCourseId}`), a
`clientCourseId` in the body must be the one of the path (`"path": {"clientCourseId":
...}` in the request file); without a path there is nothing to compare.

## Why the API refuses it
Phorest's example body repeats the id of the path. Two different ids mean the body was
built for another course (often another client's): Phorest does not say which one it
changes, so either the wrong course gets the new expiry or the request is refused.

## Example
```json fails
{"kind": "updateClientCourse", "path": {"clientCourseId": "cc_cara"},
 "body": {"clientCourseId": "cc_gus", "expiryDate": "2027-11-01", "archived": false}}
```

```json passes
{"kind": "updateClientCourse", "path": {"clientCourseId": "cc_cara"},
 "body": {"clientCourseId": "cc_cara", "expiryDate": "2027-11-01", "archived": false}}
```

## Fix
Send the body to the path of the course it is for, with the same `clientCourseId`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientCourseWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ClientCourseWrite)
    if p is None or None in (p.target_id, p.body_id) or p.target_id == p.body_id:
        return
    courses = ctx.snapshot.records.client_courses

    def owner(course_id: str | None) -> str:
        found = courses.get(course_id or "")
        return f" ({ctx.client_name(found.client_id)}'s)" if found else ""

    yield Finding(
        f"The path updates client course {p.target_id}{owner(p.target_id)} but the body's "
        f"clientCourseId is {p.body_id}{owner(p.body_id)}.",
        evidence={"pathClientCourseId": p.target_id, "bodyClientCourseId": p.body_id},
        fix="send the body to the path of the course it is for, with the same id",
        location=p.at("body_id"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client_course")
