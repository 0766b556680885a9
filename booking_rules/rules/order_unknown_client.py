"""UNKNOWN_ORDER_CUSTOMER: the order is for a customer the snapshot's customer list lacks.

## What it checks
When the snapshot holds customers: the order's `CustomerId` and each line item's, when
given, should be one of them. Each unknown customer is reported once. A snapshot without
customers checks nothing.

Decision where PNE is silent: a warning, not an error. Customers are many and a cache
of them is usually partial, so a missing customer more often means an old cache than a
wrong id (as `UNKNOWN_CUSTOMER` for appointments).

## Why the API refuses it
An order for a customer PNE does not know is a validation error, or a sale filed under
nobody. PNE does not document which.

## Example
```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_nobody",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
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
Look the customer up (`GET /customers?LastName=...`) and use its `CustomerId` verbatim,
then refresh the snapshot's customers.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import order_of


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    known = ctx.snapshot.clients
    if order is None or not known:
        return
    seen: set[str] = set()
    for ref in (order.client, *(line.client for line in order.lines)):
        if ref.id is None or ref.id in known or ref.id in seen:
            continue
        seen.add(ref.id)
        yield Finding(
            f"Customer {ref.id!r} at {ref.path} is not in the snapshot's customer list "
            f"({len(known)} customers); the customer may be new to the cache, or the id "
            "wrong.",
            evidence={"field": ref.path, "id": ref.id, "customersInSnapshot": len(known)},
            fix="use the CustomerId exactly as GET /customers returns it; then refresh the "
            "snapshot",
            location=ref.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="order")
