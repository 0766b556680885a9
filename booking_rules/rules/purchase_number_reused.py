"""PURCHASE_NUMBER_REUSED: a purchase's `number` was already used by an earlier purchase.

## What it checks
A `createPurchase` body's `number` must not be the `number` of a purchase already made:
one in the snapshot's `purchases` (the answers of earlier `POST .../purchase` calls), or,
when the guarded client passes its log, one it sent before. Each earlier use is listed
with its branch and transaction number.

Decisions where Phorest is silent:
- The notes do not say whether `number` must be unique per branch or per business: a use
  at any branch is reported (a fresh random number is always safe).
- Phorest lists no purchases, so the snapshot holds only what a cache kept of its own
  answers. Without a `purchases` list the answer is UNKNOWN, never a pass.
- Purchases are told apart by `(branchId, transactionNumber)`: a transaction number is
  unique within its branch only, so two branches' transaction 434 are two sales.

## Why the API refuses it
Phorest's support notes for this endpoint: "You'll also need to change the number key ...
for each request. Just change the number to something random." A repeated number is
refused, or taken as the same sale again; a retry that reuses the number of a purchase
that did go through is exactly how a sale is recorded twice or lost.

## Example
`WEB-1001` is Mary's purchase of 30 October (transaction 434 at Queen St):

```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "WEB-1001", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1,
             "staffId": "stf_lisa"}]}}
```

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "WEB-1002-7f3a", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1,
             "staffId": "stf_lisa"}]}}
```

## Fix
Give every purchase request a new random `number` (a UUID will do), and keep each answer
(`purchaseId`, `transactionNumber`) with the branch, so a retry can first check whether
the sale went through.
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
    if p is None or p.number is None:
        return
    records = ctx.snapshot.records
    if not records.holds("purchases"):
        yield Unknown(f"The snapshot holds no purchases (Phorest lists none: a cache keeps "
                      f"its own answers), so whether number {p.number!r} was used before "
                      "cannot be decided.", {"number": p.number})
        return
    used = records.purchases_with_number(p.number)
    if not used:
        return
    earlier = [{"branchId": u.branch_id, "transactionNumber": u.transaction_number,
                "purchaseId": u.purchase_id, "clientId": u.client_id, "source": u.source}
               for u in used]
    first = used[0]
    where = (f"transaction {first.transaction_number} at branch {first.branch_id}"
             if first.transaction_number is not None else
             f"a purchase sent to branch {first.branch_id} (no answer kept)")
    more = f" and {len(used) - 1} more" if len(used) > 1 else ""
    yield Finding(
        f"number {p.number!r} was already used by {where}{more}; Phorest needs a new "
        "number on every purchase request.",
        evidence={"number": p.number, "earlier": earlier},
        fix="send a new random number (a UUID); if this is a retry, first find out whether "
        "the earlier purchase went through",
        location=p.at("number"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase",
            may_be_unknown=True)
