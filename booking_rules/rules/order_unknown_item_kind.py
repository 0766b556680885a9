"""UNKNOWN_INV_TYPE: a line item's InvType is not one of PNE's published item kinds.

## What it checks
Each line item's `InvType` is one of the published list: `R` Retail, `S` Service, `P`
Package, `O` Other, `G` Gift (upper case, as published). A missing `InvType`, another
letter, a lower-case one or a word (`"Retail"`) is reported with the list.

## Why the API refuses it
PNE declares the kind of each line with `InvType` and publishes exactly these five. An
unknown one is refused, or books the line as something it is not (stock, commission and
reports follow the kind).

## Example
The word instead of the letter:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_spf",
 "InvType": "Retail", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
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
Send one of `R`, `S`, `P`, `O`, `G`: `R` for a product, `S` for a service.
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
        kind = line.kind
        if kind.value is not None:
            continue
        listed = ", ".join(f"{k} {v}" for k, v in kind.allowed.items())
        sent = "nothing" if kind.sent is None else repr(kind.sent)
        yield Finding(
            f"{kind.path} is {sent}, not one of the published item kinds ({listed}).",
            evidence={"field": kind.path, "sent": kind.sent, "allowed": dict(kind.allowed)},
            fix=f"send one of {', '.join(kind.allowed)} (R for a product, S for a service)",
            location=kind.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order")
