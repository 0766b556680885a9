"""VOUCHER_RECORDS_NO_SALE: a voucher created through the API records no sale.

## What it checks
A note on every `createVoucher` body, at warning severity, until a ruleset says the salon
tracks API vouchers itself (`[rules.VOUCHER_RECORDS_NO_SALE] remind = false`).

## Why the API refuses it
It does not refuse it; it records less than a caller expects. Phorest's support notes:
"When you create a voucher with the API it's like it is a manually added voucher so there
won't be a sale. It will actually show in the voucher history as manually added. There
isn't really a way to have it recognised for tax with the API, the salon would need to
track manually added vouchers (or vouchers created by the API) separately."

## Example
```json fails
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200005"}}
```

A salon that tracks API vouchers for tax itself turns the note off:

```json passes
{"kind": "createVoucher", "ruleOptions": {"VOUCHER_RECORDS_NO_SALE": {"remind": false}},
 "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200005"}}
```

## Fix
Record the voucher's sale (and its tax) where the salon tracks API vouchers, or sell the
voucher through Phorest's online voucher widget, which records the sale in its reports.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import VoucherWrite
from ..core.rule import Finding, Option, Rule
from ._writes import money, payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, VoucherWrite)
    if p is None or not ctx.options.get("remind", True):
        return
    worth = f" of {money(p.original_balance)}" if p.original_balance is not None else ""
    yield Finding(
        f"This voucher{worth} will show in Phorest as manually added, with no sale: its "
        "value is in no sales report and no tax is recorded for it.",
        evidence={"serialNumber": p.serial, "originalBalance":
                  money(p.original_balance) if p.original_balance is not None else None},
        fix="record the sale and its tax where the salon tracks API vouchers (or sell "
        "vouchers through Phorest's online voucher widget)",
        location="")


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="voucher", options={"remind": Option(
                True, "Note on every voucher that an API voucher records no sale; false "
                "once the salon tracks API vouchers for tax itself.")})
