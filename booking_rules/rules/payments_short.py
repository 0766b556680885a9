"""PAYMENTS_DO_NOT_COVER_ITEMS: a purchase's payments add up to less than its items.

## What it checks
In a `createPurchase` body, the sum of `payments[].amount` must be at least the sum of
`items[].price` times `quantity` (1 when not sent). Amounts are compared as the exact
decimals written in the body, never as binary floats: 0.1 + 0.2 is 0.3 here.

Decisions where Phorest is silent:
- `price` is read as the price of one unit (Phorest's example: one item, price 800,
  total 800).
- Tax added on top of a price (`taxIncluded: false` with a rate) is not known to the
  snapshot, so a purchase that pays the prices exactly may still be short by the tax.
- More than the items is not reported: a cash payment gives change (`changeAmount`).
- An item without `price`, or a payment without `amount`, cannot be added up: the answer
  is UNKNOWN, naming it.

## Why the API refuses it
A sale whose payments do not cover it is refused, or recorded with an outstanding
balance on the client's account; neither is what a web shop that took the full payment
meant. A float sum (49.97 + 0.01 = 49.980000000000004) is a common way to be short by a
fraction of a cent.

## Example
Two bottles at 24.99 are 49.98:

```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-c9d2", "clientId": "cli_mary",
  "payments": [{"amount": 49.97, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 2}]}}
```

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-c9d2", "clientId": "cli_mary",
  "payments": [{"amount": 40.00, "type": "CREDIT", "paymentTypeId": "pt_card"},
               {"amount": 9.98, "type": "CASH", "paymentTypeId": "pt_cash"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 2}]}}
```

## Fix
Send payments that add up to the items' total, computed in decimals (cents as integers,
or a decimal type), not floats.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core import model as m
from ..core.context import Context
from ..core.payloads import PurchaseWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import money, payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, PurchaseWrite)
    if p is None or not p.items:
        return
    missing = [f"{i.location}.price" for i in p.items if i.price is None]
    missing += [f"{x.location}.amount" for x in p.payments if x.amount is None]
    if missing:
        yield Unknown(f"{', '.join(missing)} not sent, so whether the payments cover the "
                      "items cannot be decided.", {"missing": missing})
        return
    due = sum((i.price * (i.quantity if i.quantity is not None else Decimal(1))
               for i in p.items if i.price is not None), Decimal(0))
    paid = sum((x.amount for x in p.payments if x.amount is not None), Decimal(0))
    if paid >= due:
        return
    yield Finding(
        f"The payments add up to {money(paid)} but the items to {money(due)}: "
        f"{money(due - paid)} short.",
        evidence={"itemsTotal": money(due), "paymentsTotal": money(paid),
                  "short": money(due - paid)},
        fix="send payments that add up to the items' total, summed as decimals (cents), "
        "not floats",
        location=p.at("payments"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase",
            may_be_unknown=True)
