"""VOUCHER_NOT_PURCHASABLE: a purchase has a voucher item.

## What it checks
A `createPurchase` body whose items name a voucher (`voucherId` or
`voucherSerialNumber`).

## Why the API refuses it
Phorest's support notes: "You can't create a purchase for a voucher with the API as the
purchase endpoint ... only works with appointments, products and courses." Vouchers are
created with `POST /voucher`, where they appear as manually added, with no sale; the only
way to have a voucher sale in Phorest's reports is its online voucher widget.

## Example
```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "GIFT-5521", "clientId": "cli_mary",
  "payments": [{"amount": 50.0, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"voucherId": "vch_new", "price": 50.0, "quantity": 1}]}}
```

A product sale:

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-5521", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1}]}}
```

## Fix
Create the voucher with `POST /business/{businessId}/voucher` (it records no sale: the
salon tracks API vouchers for tax itself), or sell it through Phorest's online voucher
widget to have the sale in the reports.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import PurchaseWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, PurchaseWrite)
    if p is None:
        return
    for item in p.items:
        if "voucher" in item.kinds:
            yield Finding(
                f"{item.location} sells a voucher ({item.ref}); the purchase endpoint sells "
                "appointments, products and courses only.",
                evidence={"item": item.location, "voucher": item.ref},
                fix="create the voucher with POST /voucher (no sale is recorded), or sell "
                "it through Phorest's online voucher widget",
                location=item.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase")
