"""PRODUCT_QUANTITY_MISSING: a purchase's product item has no `quantity`, so no stock moves.

## What it checks
A warning for each product item (`branchProductId`) of a `createPurchase` body without a
`quantity`.

## Why the API refuses it
It does not refuse it. Phorest's support notes: "To automatically subtract from the
stock, the quantity key needs to be supplied." Without it the sale is recorded and the
stock is not, so the salon's stock and a web shop drift apart silently.

## Example
```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-a41c", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99}]}}
```

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-a41c", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1}]}}
```

## Fix
Send `quantity` on every product item (`1` for one unit).
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
        if "product" in item.kinds and not item.quantity_sent:
            yield Finding(
                f"{item.location} sells product {item.ref} without a quantity: the sale is "
                "recorded but the branch's stock is not reduced.",
                evidence={"item": item.location, "productId": item.ref},
                fix="send quantity on every product item", location=item.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="purchase")
