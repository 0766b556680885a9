"""UNKNOWN_PAYMENT_TYPE: a payment's PaymentType is not one of PNE's published methods.

## What it checks
Each payment's `PaymentType` is one of the published numbers: 1 Cash, 2 Check, 3 Gift,
4 Visa, 5 MC, 6 AMEX, 7 Discover, 18 Debit. Another number, a missing one, or the number
sent as a string (`"1"`) or a name (`"Cash"`) is reported with the list.

## Why the API refuses it
PNE declares each payment's method with a numeric `PaymentType` and publishes exactly
these. An unknown one is refused, or records money under a method nobody reconciles.

## Example
8 is not a published method:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 8, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

18 is debit:

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 18, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send one of 1, 2, 3, 4, 5, 6, 7, 18 as a JSON number.
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
    for pay in order.payments:
        method = pay.method
        if method.value is not None:
            continue
        listed = ", ".join(f"{k} {v}" for k, v in method.allowed.items())
        sent = "nothing" if method.sent is None else repr(method.sent)
        yield Finding(
            f"{method.path} is {sent}, not one of the published payment types ({listed}).",
            evidence={"field": method.path, "sent": method.sent,
                      "allowed": dict(method.allowed)},
            fix=f"send one of {', '.join(method.allowed)} as a JSON number",
            location=method.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
