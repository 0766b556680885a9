"""CREATING_BRANCH_ID_SENT: an updateClient body sends `creatingBranchId`.

## What it checks
A warning for an `updateClient` body that carries `creatingBranchId`.

## Why the API refuses it
It does not refuse it. Phorest's support notes: "There is no need to add the
creatingBranchId on the body request in order to update the client. It's a
creatingBranchId so it's just the branch the client is created at. Clients are on a
business level." Sending it suggests the caller thinks it moves the client to a branch,
or scopes the update to one; it does neither.

## Example
```json fails
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor", "firstName": "Mary",
  "lastName": "Client", "version": 16}}
```

```json passes
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_mary", "firstName": "Mary", "lastName": "Client",
  "version": 16}}
```

## Fix
Leave `creatingBranchId` out of updates. A client belongs to the business, not to a
branch; the branch of a booking or a sale is in that request's own path.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ClientWrite)
    if p is None or request.kind != "update" or p.creating_branch_id is None:
        return
    yield Finding(
        f"The update sends creatingBranchId {p.creating_branch_id!r}: it only records the "
        "branch the client was created at; clients are business-level, and an update "
        "needs no branch.",
        evidence={"creatingBranchId": p.creating_branch_id},
        fix="leave creatingBranchId out of client updates",
        location=p.at("creating_branch_id"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="client")
