"""CLIENT_VERSION_STALE: an updateClient body's `version` is not the client's current version.

## What it checks
An `updateClient` body (`PUT /client/{clientId}`) must send the client's current
`version`, the one the snapshot's client list holds; the answer carries it plus one. A
body without `version` is reported too.

Decisions where Phorest is silent:
- Any difference is an error, in both directions: lower means the body was built from an
  old read; higher means the snapshot is stale (or the caller added one itself, which the
  note warns against: you send the current version and Phorest increments it).
- A client the snapshot does not hold, or holds without a `version`, cannot be decided:
  the answer is UNKNOWN, naming what is missing.

## Why the API refuses it
Phorest's support notes: "It is important to use properly the version key ... you put
what the current version is in the body and then update it, for the next one you'll have
to increment + 1". The version is an optimistic lock: an update built on an older read
would overwrite someone else's change, so it is refused (the status is not documented).

## Example
Mary is at version 16 in the snapshot; the body sends the version it read last week:

```json fails
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_mary", "firstName": "Mary", "lastName": "Client",
  "email": "mary.client@example.com", "version": 15}}
```

```json passes
{"kind": "updateClient", "path": {"clientId": "cli_mary"},
 "body": {"clientId": "cli_mary", "firstName": "Mary", "lastName": "Client",
  "email": "mary.client@example.com", "version": 16}}
```

## Fix
Read the client again (`GET /client/{clientId}`), send its `version` as it is, and keep
the `version` of the answer (one more) for the next update; refresh the snapshot's
client list.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, ClientWrite)
    if p is None or request.kind != "update":
        return
    client_id = p.target_id or p.body_id
    if p.version is None:
        yield Finding(
            f"The update of client {client_id} sends no version; Phorest needs the "
            "client's current version in every update.",
            evidence={"clientId": client_id},
            fix="read the client (GET /client/{clientId}) and send its version as it is",
            location=p.at("version"))
        return
    records = ctx.snapshot.records
    if not records.holds("clients"):
        yield Unknown(f"The snapshot holds no client list, so whether version {p.version} "
                      f"is client {client_id}'s current version cannot be decided.",
                      {"clientId": client_id, "requestVersion": p.version})
        return
    cached = records.clients.get(client_id or "")
    if cached is None or cached.version is None:
        what = "does not hold client" if cached is None else "holds no version of client"
        yield Unknown(f"The snapshot {what} {client_id}, so whether version {p.version} is "
                      "current cannot be decided.",
                      {"clientId": client_id, "requestVersion": p.version})
        return
    if p.version == cached.version:
        return
    if p.version < cached.version:
        why = "the body was built from an older read of the client"
    else:
        why = ("the snapshot is older than the read the body was built from, or the body "
               "added one itself (send the current version: Phorest increments it)")
    yield Finding(
        f"The update sends version {p.version} of {ctx.client_name(client_id)} "
        f"({client_id}), but the snapshot holds version {cached.version}: {why}.",
        evidence={"clientId": client_id, "requestVersion": p.version,
                  "snapshotVersion": cached.version},
        fix="read the client again, send its current version, keep the answer's version "
        "for the next update, and refresh the snapshot's clients",
        location=p.at("version"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client",
            may_be_unknown=True)
