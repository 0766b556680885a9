"""EXTENDED_PRICE_MISMATCH: a line item's ExtendedPrice is not its Qty times its RetailPrice.

## What it checks
For each line item, `ExtendedPrice = Qty x RetailPrice`, computed exactly in decimals and
rounded half up to whole cents (a fractional quantity may give fractions of a cent),
compared in cents. The message names both amounts: the one sent and the one the line
works out to.

## Why the API refuses it
PNE's rule for orders: "SubTotal/Total should equal the sum of its line items". A line
whose extended price does not follow from its quantity and price puts a different amount
in the books than on the receipt. PNE documents no refusal: the order would be written
as sent.

## Example
Two serums at 48.00 are 96.00, not 48.00:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 48.0,
 "Total": 48.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_serum",
 "InvType": "R", "Qty": 2, "RetailPrice": 48.0, "ExtendedPrice": 48.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 4, "Amount": 48.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 96.0,
 "Total": 96.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_serum",
 "InvType": "R", "Qty": 2, "RetailPrice": 48.0, "ExtendedPrice": 96.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 4, "Amount": 96.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send `ExtendedPrice` = `Qty` x `RetailPrice` (in cents), then `SubTotal` as their sum.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import cents, order_of, show, usable


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None:
        return
    for line in order.lines:
        if not usable(line.quantity, line.unit_price, line.extended):
            continue
        assert line.quantity.value is not None and line.unit_price.value is not None
        assert line.extended.value is not None
        want = cents(line.quantity.value * line.unit_price.value)
        sent = cents(line.extended.value)
        if want == sent:
            continue
        yield Finding(
            f"{line.extended.path} is {show(sent)}, but Qty {line.quantity.value} x "
            f"RetailPrice {show(line.unit_price.value)} is {show(want)}.",
            evidence={"field": line.extended.path, "sent": show(sent),
                      "expected": show(want), "quantity": str(line.quantity.value),
                      "unitPrice": show(line.unit_price.value)},
            fix=f"send {line.extended.path} = {show(want)}",
            location=line.extended.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
