"""TOTAL_BELOW_SUBTOTAL: the order's Total is less than its SubTotal.

## What it checks
`Total ≥ SubTotal`, in exact cents. Tax, tips and fees can only add to the subtotal;
a discount belongs on the lines (their `RetailPrice`), so the subtotal already has it.
The message names both amounts.

## Why the API refuses it
PNE's rule for orders: "SubTotal/Total should equal the sum of its line items". A total
below the subtotal records a sale for less than its items without saying why. PNE
documents no refusal.

## Example
A 20.00 sale totalled at 18.00:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 18.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 18.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

With 1.65 tax on top:

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 21.65, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 21.65,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send `Total` as the subtotal plus tax and tips; put a discount on the line's price.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import cents, order_of, show, usable


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None or not usable(order.subtotal, order.total):
        return
    assert order.subtotal.value is not None and order.total.value is not None
    total, subtotal = cents(order.total.value), cents(order.subtotal.value)
    if total < subtotal:
        yield Finding(
            f"Total is {show(total)}, less than SubTotal {show(subtotal)} (by "
            f"{show(subtotal - total)}).",
            evidence={"field": "Total", "total": show(total), "subTotal": show(subtotal)},
            fix=f"send Total of at least {show(subtotal)} (SubTotal plus tax and tips); "
            "put a discount on the line's RetailPrice",
            location=order.total.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
