"""VOUCHER_EXPIRY_NOT_AFTER_ISSUE: a voucher's `expiryDate` is not after its `issueDate`.

## What it checks
A `createVoucher` body (`POST /voucher`) whose `expiryDate` is on or before its
`issueDate` (both ISO-8601 instants, compared as instants).

## Why the API refuses it
A voucher that expires when (or before) it is issued can never be redeemed; Phorest
publishes no check on these dates, so such a voucher is created, sold to the client, and
refused at the till.

## Example
The expiry year typed as the issue year:

```json fails
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2026-06-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200001"}}
```

```json passes
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200001"}}
```

## Fix
Send an `expiryDate` after the `issueDate` (Phorest's example: one year later).
"""

from __future__ import annotations

from collections.abc import Iterator

from .._time import format_utc
from ..core import model as m
from ..core.context import Context
from ..core.payloads import VoucherWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, VoucherWrite)
    if p is None or p.issued is None or p.expires is None or p.expires > p.issued:
        return
    yield Finding(
        f"The voucher expires {ctx.when(p.expires)}, not after it is issued "
        f"({ctx.when(p.issued)}): it could never be redeemed.",
        evidence={"issueDate": format_utc(p.issued), "expiryDate": format_utc(p.expires)},
        fix="send an expiryDate after the issueDate",
        location=p.at("expires"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="voucher")
