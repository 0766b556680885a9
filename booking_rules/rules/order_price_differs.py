"""PRICE_DIFFERS_FROM_CATALOGUE: a retail line's price is not the selling location's price.

## What it checks
For each retail line item (`InvType` `R`) whose product the snapshot holds with a price at
this location: its `RetailPrice` against that price, the `Price` of the product's
`ProductDetails` entry whose `CompanyId` is the snapshot's location (not the first entry:
each location prices its own stock). Both amounts are named. A product with no entry for
this location, or an entry without a price, is not compared.

Decision where PNE is silent: a warning. A location may discount at the till; a price
from another location's entry, or an old price in a cache, is the mistake it catches.

## Why the API refuses it
It does not: PNE records the price sent. The warning is for the books: the sale is
recorded at a price the catalogue does not show.

## Example
The serum costs 48.00 at Lakeside (52.00 downtown):

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 52.0,
 "Total": 52.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_serum",
 "InvType": "R", "Qty": 1, "RetailPrice": 52.0, "ExtendedPrice": 52.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 52.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 48.0,
 "Total": 48.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_serum",
 "InvType": "R", "Qty": 1, "RetailPrice": 48.0, "ExtendedPrice": 48.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 48.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Read the price from the `ProductDetails` entry of the selling location
(`GET /products?CompanyId=...`), or keep the difference if it is a deliberate discount.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule
from ._order import cents, order_of, show


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    order = order_of(ctx)
    if order is None:
        return
    products = ctx.snapshot.records.products
    for line in order.lines:
        product = products.get(line.item.id or "")
        sent = line.unit_price.value
        if line.kind.value != "retail" or product is None or product.price is None or (
                sent is None):
            continue
        if cents(sent) == cents(product.price):
            continue
        yield Finding(
            f"{line.unit_price.path} is {show(sent)}, but {product.name} ({product.id}) "
            f"costs {show(product.price)} at {ctx.snapshot.branch.name}.",
            evidence={"field": line.unit_price.path, "sent": show(sent),
                      "catalogue": show(product.price), "productId": product.id,
                      "location": ctx.snapshot.branch.id},
            fix=f"send RetailPrice {show(product.price)} (this location's ProductDetails "
            "price), or keep it if the discount is meant",
            location=line.unit_price.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="order")
