"""VOUCHER_UNKNOWN_REFERENCE: a voucher's client or creating branch is not known.

## What it checks
A `createVoucher` body's `clientId` must be a client of the snapshot's `clients`, and its
`creatingBranchId` the snapshot's own branch.

Decisions where Phorest is silent:
- A warning, like `UNKNOWN_CLIENT`: a client cache is often partial, so a missing client
  more often means an old cache than a wrong id.
- Without a `clients` list the client cannot be decided: UNKNOWN. A snapshot holds one
  branch, so another branch id is UNKNOWN too (it may be another branch of the business:
  `GET /branch` lists them), never a guess.

## Why the API refuses it
A voucher for a client that does not exist is refused (or, worse, created for nobody);
one created at a branch id of another business or a typo cannot be found by the salon.

## Example
```json fails
{"kind": "createVoucher", "body": {"clientId": "cli_nobody", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200004"}}
```

```json passes
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200004"}}
```

## Fix
Create the client first (`POST /client`) and use the id it answers; take
`creatingBranchId` from `GET /branch`. Then refresh the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import VoucherWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, VoucherWrite)
    if p is None:
        return
    snap = ctx.snapshot
    records = snap.records
    if p.client_id is not None:
        if not records.holds("clients"):
            yield Unknown(f"The snapshot holds no client list, so whether client "
                          f"{p.client_id} exists cannot be decided.",
                          {"clientId": p.client_id})
        elif p.client_id not in records.clients:
            yield Finding(
                f"Client {p.client_id!r} is not in the snapshot's client list "
                f"({len(records.clients)} clients); the client may be new to the cache, or "
                "the id wrong.",
                evidence={"clientId": p.client_id, "clientsInSnapshot": len(records.clients)},
                fix="create the client first (POST /client) and use the id it answers, then "
                "refresh the snapshot",
                location=p.at("client_id"))
    branch = p.creating_branch_id
    if branch is not None and branch != snap.branch.id:
        yield Unknown(f"creatingBranchId {branch!r} is not this snapshot's branch "
                      f"({snap.branch.id}); it may be another branch of the business "
                      "(GET /branch lists them), which a one-branch snapshot cannot tell.",
                      {"creatingBranchId": branch, "snapshotBranchId": snap.branch.id})


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="voucher", may_be_unknown=True)
