"""VOUCHER_REMAINING_ABOVE_ORIGINAL: a voucher's `remainingBalance` is above its `originalBalance`.

## What it checks
A `createVoucher` body whose `remainingBalance` is greater than its `originalBalance`
(exact decimals), or either balance below zero.

Decisions where Phorest is silent:
- A remaining balance below the original is allowed: Phorest's own example creates a
  voucher of 123.12 with 23.12 left (a voucher moved from another system, part spent).

## Why the API refuses it
A voucher cannot hold more than it was worth; one created so hands the client money the
salon never took, and Phorest does not check it (its example answer even shows the
remaining balance reset to the original).

## Example
```json fails
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 23.12, "remainingBalance": 123.12, "serialNumber": "200002"}}
```

```json passes
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 123.12, "remainingBalance": 23.12, "serialNumber": "200002"}}
```

## Fix
Send the voucher's value as `originalBalance` and what is left of it (at most that) as
`remainingBalance`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import VoucherWrite
from ..core.rule import Finding, Rule
from ._writes import money, payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, VoucherWrite)
    if p is None:
        return
    original, remaining = p.original_balance, p.remaining_balance
    for name, value in (("original_balance", original), ("remaining_balance", remaining)):
        if value is not None and value < 0:
            yield Finding(
                f"{p.at(name)} is {money(value)}: a voucher's balance cannot be negative.",
                evidence={p.at(name): money(value)},
                fix="send balances of zero or more", location=p.at(name))
    if original is None or remaining is None or remaining <= original:
        return
    yield Finding(
        f"remainingBalance {money(remaining)} is above originalBalance {money(original)}: "
        "the voucher would hold more than it was worth.",
        evidence={"originalBalance": money(original), "remainingBalance": money(remaining)},
        fix="send a remainingBalance of at most the originalBalance",
        location=p.at("remaining_balance"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="voucher")
