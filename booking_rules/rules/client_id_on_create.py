"""CLIENT_ID_ON_CREATE: a createClient body carries a `clientId`.

## What it checks
A `createClient` body (`POST /business/{businessId}/client`) must not carry `clientId`:
Phorest gives the new client its id and answers it.

Decisions where Phorest is silent:
- Any `clientId`, even an empty string or one the snapshot does not hold, is reported: the
  note says to remove the key, not to blank it.

## Why the API refuses it
Phorest's support notes for this endpoint: "To create a client, remove client_id from the
body request." A body that keeps one is how a client copied from an earlier read (or an
update body reused for a create) reaches the wrong endpoint; what Phorest does with it is
not documented, so the note's instruction is the only safe reading.

## Example
A create body copied from a client read, id and all:

```json fails
{"kind": "createClient", "body": {"clientId": "cli_mary", "firstName": "Mary",
  "lastName": "Client", "email": "mary@example.com", "mobile": "+14165550101"}}
```

The same client without the id:

```json passes
{"kind": "createClient", "body": {"firstName": "Mary", "lastName": "Client",
  "email": "mary@example.com", "mobile": "+14165550101"}}
```

## Fix
Remove `clientId` from the body and keep the id Phorest answers (`clientId` of the
response). To change an existing client, `PUT /client/{clientId}` with its current
`version` instead.
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
    if p is None or request.kind != "create" or p.body_id is None:
        return
    known = p.body_id in ctx.snapshot.records.clients
    yield Finding(
        f"The body creates a client but carries clientId {p.body_id!r}"
        + (" (a client the snapshot already holds: is this meant to be an update?)"
           if known else "") + "; Phorest's note for this endpoint says to remove it.",
        evidence={"clientId": p.body_id, "inSnapshot": known},
        fix="remove clientId from the body and keep the id Phorest answers; to change an "
        "existing client, PUT /client/{clientId} with its current version",
        location=p.at("body_id"),
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client")
