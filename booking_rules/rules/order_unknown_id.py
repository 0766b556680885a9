"""UNKNOWN_ORDER_ID: the order names an item or an employee the snapshot does not hold.

## What it checks
Each line item's `ItemId` against the catalogue its `InvType` names: a product of the
snapshot for `R` (UNKNOWN when the snapshot holds no product list at all), a service for
`S`. Packages (`P`) and gifts (`G`) have no list in a
snapshot, so their ids cannot be checked: UNKNOWN, never a silent pass. `O` (other) names
no catalogue and is not checked. The order's and each line's `EmployeeId`, when given,
must be an employee of the snapshot. Each unknown id is its own finding, with the
closest id the snapshot holds when one looks like a typo. Customers are
`UNKNOWN_ORDER_CUSTOMER`'s (a warning: customer caches are partial).

## Why the API refuses it
An unknown id is a validation error at best; PNE does not document which. When the id is
real but missing from the snapshot, the snapshot is older than the id.

## Example
A typo in the product id:

```json fails
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0,
 "Total": 20.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "prd_sfp",
 "InvType": "R", "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

A service sold as a line (`S`, a ServiceId):

```json passes
{"kind": "order", "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
 "EmployeeId": "emp_lev", "OrderDate": "2025-09-08T14:04:04", "SubTotal": 150.0,
 "Total": 150.0, "LineItems": [{"CompanyId": "co_lakeside", "ItemId": "svc_hydrafacial",
 "InvType": "S", "Qty": 1, "RetailPrice": 150.0, "ExtendedPrice": 150.0}],
 "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 4, "Amount": 150.0,
 "PaymentDate": "2025-09-08T14:04:00"}]}}
```

## Fix
Use the id exactly as PNE returns it (`GET /products`, `GET /services`,
`GET /employees`, each with `CompanyId`), or refresh the snapshot if the item is new.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator

from ..core import model as m
from ..core.context import Context
from ..core.rule import Finding, Rule, Unknown
from ._order import order_of

_CATALOGUES = {"retail": "product", "service": "service"}
_UNCHECKABLE = {"package": "packages", "gift": "gift certificates"}


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    order = order_of(ctx)
    if order is None:
        return
    snap = ctx.snapshot
    for line in order.lines:
        item = line.item.id
        if item is None:
            continue
        kind = line.kind.value
        if kind in _UNCHECKABLE:
            yield Unknown(f"{line.item.path} {item!r} is a {kind}: a snapshot holds no "
                          f"{_UNCHECKABLE[kind]}, so the id cannot be checked.",
                          {"field": line.item.path, "id": item, "kind": kind})
            continue
        what = _CATALOGUES.get(kind or "")
        if what is None:
            continue
        if what == "product" and not snap.records.holds("products"):
            yield Unknown(f"{line.item.path} {item!r} is a product, and the snapshot holds "
                          "no product list, so the id cannot be checked.",
                          {"field": line.item.path, "id": item, "kind": "retail"})
            continue
        known: Collection[str] = (snap.records.products if what == "product"
                                  else snap.services)
        if item not in known:
            yield _finding(line.item, what, known)
    staff = [order.staff, *(line.staff for line in order.lines)]
    for ref in staff:
        if ref.id is not None and ref.id not in snap.staff:
            yield _finding(ref, "employee", snap.staff)


def _finding(ref: m.Ref, what: str, known: Collection[str]) -> Finding:
    close = difflib.get_close_matches(ref.id or "", list(known)[:2000], n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return Finding(
        f"{what[0].upper()}{what[1:]} {ref.id!r} at {ref.path} is not in the snapshot{hint}.",
        evidence={"field": ref.path, "kind": what, "id": ref.id,
                  "didYouMean": close[0] if close else None},
        fix=f"use the {what} id exactly as PNE returns it, or refresh the snapshot if the "
        f"{what} is new",
        location=ref.path)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="order",
            may_be_unknown=True)
