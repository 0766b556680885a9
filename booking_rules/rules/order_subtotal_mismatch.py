"""SUBTOTAL_MISMATCH: the order's SubTotal is not the sum of its line items.

## What it checks
`SubTotal = Σ LineItems[].ExtendedPrice`, in exact cents. Not checked when a line's
`ExtendedPrice` or the `SubTotal` is not a usable number (`INVALID_NUMBER` says so). The
message names both amounts.

## Why the API refuses it
PNE's rule for orders: "SubTotal/Total should equal the sum of its line items". PNE
documents no refusal: the order would be written with a subtotal its lines do not make.

## Example
Two lines of 20.00 and 48.00 make 68.00, not 48.00:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 48.0,
 "Total": 68.0, "LineItems": [
 {"CompanyId": "co_lakeside", "ItemId": "prd_spf", "InvType": "R", "Qty": 1,
  "RetailPrice": 20.0, "ExtendedPrice": 20.0},
 {"CompanyId": "co_lakeside", "ItemId": "prd_serum", "InvType": "R", "Qty": 1,
  "RetailPrice": 48.0, "ExtendedPrice": 48.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 68.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 68.0,
 "Total": 68.0, "LineItems": [
 {"CompanyId": "co_lakeside", "ItemId": "prd_spf", "InvType": "R", "Qty": 1,
  "RetailPrice": 20.0, "ExtendedPrice": 20.0},
 {"CompanyId": "co_lakeside", "ItemId": "prd_serum", "InvType": "R", "Qty": 1,
  "RetailPrice": 48.0, "ExtendedPrice": 48.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 68.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send `SubTotal` as the sum of the lines' `ExtendedPrice`.
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
    if order is None or not usable(order.subtotal, *(x.extended for x in order.lines)):
        return
    assert order.subtotal.value is not None
    want = cents(sum((cents(line.extended.value) for line in order.lines
                      if line.extended.value is not None), Decimal(0)))
    sent = cents(order.subtotal.value)
    if want != sent:
        yield Finding(
            f"SubTotal is {show(sent)}, but the {len(order.lines)} line item(s) add up to "
            f"{show(want)}.",
            evidence={"field": "SubTotal", "sent": show(sent), "expected": show(want),
                      "lines": [show(x.extended.value) for x in order.lines
                                if x.extended.value is not None]},
            fix=f"send SubTotal = {show(want)} (the sum of the lines' ExtendedPrice)",
            location=order.subtotal.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
