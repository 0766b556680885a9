"""INVALID_NUMBER: a money field or a quantity of the order is not a usable number.

## What it checks
Every number of the order must be a JSON number: `SubTotal`, `Total`, each line item's
`Qty`, `RetailPrice` and `ExtendedPrice`, each payment's `Amount`. Money must also be a
whole number of cents (`19.99`, not `19.999`). A number sent as a string (`"20.00"`),
`null`, a missing field, `true`, or a non-finite value is reported at its JSON path, and
the sums that need it are not checked (they would compare against nothing).

Money is read as an exact decimal (the JSON literal as written), never a float, so
`0.1 + 0.2` is `0.30` here.

## Why the API refuses it
PNE's order model takes numbers; what it does with a string or a missing amount is not
documented. An order is a composite document written to live books at once ("there's no
sandbox"): a sale recorded with a zero or missing amount has to be corrected by hand.

## Example
The price sent as a string:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": "20.00", "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

The recipe's order, with numbers:

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Send each amount as a JSON number of whole cents (`20.0`, `19.99`), and each field the
order needs (`SubTotal`, `Total`, and per line `Qty`, `RetailPrice`, `ExtendedPrice`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import order_of


def _amounts(order: m.Order) -> Iterator[tuple[str, m.Amount]]:
    yield "the order's SubTotal", order.subtotal
    yield "the order's Total", order.total
    for line in order.lines:
        yield f"line item {line.index}'s quantity", line.quantity
        yield f"line item {line.index}'s unit price", line.unit_price
        yield f"line item {line.index}'s extended price", line.extended
    for pay in order.payments:
        yield f"payment {pay.index}'s amount", pay.amount


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None:
        return
    for what, amount in _amounts(order):
        if amount.problem is None:
            continue
        sent = "nothing" if amount.sent is None else repr(amount.sent)
        yield Finding(
            f"{amount.path} ({what}) is {amount.problem}: sent {sent}.",
            evidence={"field": amount.path, "sent": amount.sent, "problem": amount.problem},
            fix=f"send {amount.path} as a JSON number"
            + (" of whole cents" if "quantity" not in what else ""),
            location=amount.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
