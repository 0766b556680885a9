"""NEGATIVE_QUANTITY: a line item's quantity is below zero.

## What it checks
Each line item's `Qty` is 0 or more. A negative quantity is reported with its line.

Decision where PNE is silent: a return or a refund is not a sale with a negative line;
PNE documents no refund through `POST /orders`, so a negative `Qty` is treated as a
mistake (a sign flipped, or a stock adjustment sent as an order).

## Why the API refuses it
Not documented. Written as is, the live books hold a sale of minus one serum: stock goes
up, revenue down, and the payments no longer match anything.

## Example
Minus one:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": -20.0,
 "Total": -20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": -1, "RetailPrice": 20.0, "ExtendedPrice": -20.0}],
 "Payments": []}}
```

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send the quantity sold (1 or more). Record returns and stock corrections in PNE itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import order_of


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None:
        return
    for line in order.lines:
        qty = line.quantity.value
        if qty is not None and qty < 0:
            yield Finding(
                f"{line.quantity.path} is {qty}: a sale cannot have a negative quantity.",
                evidence={"field": line.quantity.path, "quantity": str(qty),
                          "itemId": line.item.id},
                fix="send the quantity sold (1 or more); record returns in PNE itself",
                location=line.quantity.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
