"""PAYMENTS_BELOW_TOTAL: the order's payments do not cover its Total.

## What it checks
`Σ Payments[].Amount ≥ Total`, in exact cents. Not checked when an amount or the `Total`
is not a usable number (`INVALID_NUMBER` says so). An order with no payments and a
`Total` above 0 is reported too. Paying more than the total (change given) passes. The
message names both amounts and the difference.

## Why the API refuses it
PNE's rule for orders: "the Payments should cover the Total". An order written with less
paid than owed leaves an open balance on a live customer. PNE documents no refusal.

## Example
20.00 owed, 10.00 paid:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 10.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

Split over cash and Visa:

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 10.0,
 "PaymentDate": "2025-09-08T14:04:00"}, {"CompanyId": "co_lakeside", "PaymentType": 4,
 "Amount": 10.0, "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Add the missing payment, or correct the amounts so they add up to at least `Total`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import cents, order_of, show, usable


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None or not usable(order.total, *(p.amount for p in order.payments)):
        return
    assert order.total.value is not None
    total = cents(order.total.value)
    paid = cents(sum((cents(p.amount.value) for p in order.payments
                      if p.amount.value is not None), Decimal(0)))
    if paid < total:
        yield Finding(
            f"The {len(order.payments)} payment(s) add up to {show(paid)}, short of Total "
            f"{show(total)} by {show(total - paid)}.",
            evidence={"field": "Payments", "paid": show(paid), "total": show(total),
                      "short": show(total - paid)},
            fix=f"add {show(total - paid)} of payment, or correct the amounts",
            location="Payments")


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
