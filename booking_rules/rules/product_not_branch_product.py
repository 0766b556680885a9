"""PRODUCT_NOT_BRANCH_PRODUCT: a purchase's product is not a `branchProductId` of the branch.

## What it checks
Each product item of a `createPurchase` body must name the product as `branchProductId`,
with the `productId` of a product in the snapshot's `products` (the branch's
`GET .../branch/{branchId}/product`), not archived. A product id sent as `productId` is
reported, and so is an id the branch's products do not hold.

Decisions where Phorest is silent:
- Without a `products` list the answer is UNKNOWN (the product may exist).
- An archived product is reported: the salon no longer sells it.

## Why the API refuses it
Phorest's support notes: "The value of the productId key on the product endpoint ... is
what you post as value for the branchProductId key in the body of the purchase endpoint."
A product of another branch, a barcode, or the id under another name is not a product of
this branch: the sale is refused, or made without the stock it should move.

## Example
The product's id under its list name, and an id the branch does not sell:

```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-77a0", "clientId": "cli_mary",
  "payments": [{"amount": 44.98, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"productId": "prd_shampoo", "price": 24.99, "quantity": 1},
            {"branchProductId": "prd_unknown", "price": 19.99, "quantity": 1}]}}
```

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "SHOP-77a0", "clientId": "cli_mary",
  "payments": [{"amount": 44.98, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1},
            {"branchProductId": "prd_mask", "price": 19.99, "quantity": 1}]}}
```

## Fix
Take the product's `productId` from `GET /branch/{branchId}/product` of the branch that
sells it, send it as `branchProductId`, and refresh the snapshot's `products`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import PurchaseWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, PurchaseWrite)
    if p is None:
        return
    records = ctx.snapshot.records
    branch = ctx.snapshot.branch.name
    for item in p.items:
        if "product" not in item.kinds:
            continue
        if item.misnamed is not None:
            at, expected = item.misnamed
            yield Finding(
                f"{at} names product {item.ref} as productId; the purchase endpoint reads "
                f"the product from {expected} (the product list's productId, under that "
                "name).",
                evidence={"item": item.location, "productId": item.ref},
                fix=f"send the id as {expected}", location=at)
        if not records.holds("products"):
            yield Unknown(f"The snapshot holds no products of {branch}, so whether "
                          f"{item.location}'s product {item.ref} is one of them cannot be "
                          "decided.", {"item": item.location, "productId": item.ref})
            continue
        product = records.products.get(item.ref or "")
        if product is None:
            yield Finding(
                f"{item.location} sells product {item.ref}, which is not one of {branch}'s "
                f"{len(records.products)} products.",
                evidence={"item": item.location, "productId": item.ref,
                          "productsInSnapshot": len(records.products)},
                fix="use the productId of a product of this branch (GET /branch/{branchId}/"
                "product) as branchProductId, and refresh the snapshot",
                location=item.location)
        elif product.archived:
            yield Finding(
                f"{item.location} sells {product.name} ({product.id}), which is archived "
                f"at {branch}.",
                evidence={"item": item.location, "productId": product.id,
                          "archived": True},
                fix="sell a product the branch still sells", location=item.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase",
            may_be_unknown=True)
