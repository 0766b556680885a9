"""CLIENT_ID_MISMATCH: an updateClient body's `clientId` is not the client its path names.

## What it checks
In an `updateClient` request (`PUT /client/{clientId}`), a `clientId` in the body must be
the `clientId` of the path. The request file gives the path's id as
`"path": {"clientId": ...}`; without it there is nothing to compare.

## Why the API refuses it
The path says which client is changed; a different id in the body means the body was
built for another client (a loop that reused the last body, a mix-up of two clients).
Phorest does not document which one it believes, so either way one client gets the
other's details, or the request is refused.

## Example
The path names Mary, the body Bob:

```json fails
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_bob", "firstName": "Mary", "lastName": "Client",
  "version": 16}}
```

```json passes
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_mary", "firstName": "Mary", "lastName": "Client",
  "version": 16}}
```

## Fix
Build the body from the client the path names (or send the request to the path of the
client the body is for).
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
    if p is None or request.kind != "update" or None in (p.target_id, p.body_id):
        return
    if p.target_id == p.body_id:
        return
    yield Finding(
        f"The path updates {ctx.client_name(p.target_id)} ({p.target_id}) but the body's "
        f"clientId is {ctx.client_name(p.body_id)} ({p.body_id}).",
        evidence={"pathClientId": p.target_id, "bodyClientId": p.body_id},
        fix="build the body from the client the path names, or send it to that client's "
        "path",
        location=p.at("body_id"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client")
