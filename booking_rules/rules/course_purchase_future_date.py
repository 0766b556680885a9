"""COURSE_PURCHASE_FUTURE_DATE: a purchase sells a course with a purchase date after today.

## What it checks
A `createPurchase` body with a course item (`courseId`) and a `purchaseDate` after today
at the branch (the branch's local date at `now`).

Decisions where Phorest is silent:
- `purchaseDate` is ASSUMED: Phorest's notes speak of "the purchase date on the API
  request" without naming the field. A date (`yyyy-MM-dd`) or an instant is read; an
  instant counts on its local date at the branch.
- A past date is not reported here, though it does not move the sale either (see Why).

## Why the API refuses it
Phorest's support notes for this endpoint: "The series/courses cannot be purchased using a
future date. Changing the purchase date on the API request won't move the actual purchase
... Clients are still going to be charged on the date of the purchase."

## Example
Selling Cara's next laser course dated next week:

```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "CRS-88c1", "clientId": "cli_cara", "purchaseDate": "2026-11-08",
  "payments": [{"amount": 600.0, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"courseId": "crs_laser6", "price": 600.0, "quantity": 1,
             "staffId": "stf_ann"}]}}
```

Dated today (or with no date: the day of the request):

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "CRS-88c1", "clientId": "cli_cara", "purchaseDate": "2026-11-01",
  "payments": [{"amount": 600.0, "type": "CREDIT", "paymentTypeId": "pt_card"}],
  "items": [{"courseId": "crs_laser6", "price": 600.0, "quantity": 1,
             "staffId": "stf_ann"}]}}
```

## Fix
Sell the course today, without a future date. To start the course later, set the client
course's dates afterwards (`PUT /clientcourse/{clientCourseId}` with its `expiryDate`);
the charge stays on the day of the purchase.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import PurchaseWrite
from ..core.rule import Finding, Rule
from ._writes import payload, today


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, PurchaseWrite)
    if p is None or p.purchase_date is None or p.purchased is None:
        return
    day = today(ctx)
    if p.purchase_date <= day:
        return
    for item in p.items:
        if "course" not in item.kinds:
            continue
        yield Finding(
            f"{item.location} sells course {item.ref} with purchaseDate "
            f"{p.purchased.text}, after today ({day} at the branch); Phorest does not sell "
            "courses with a future date.",
            evidence={"courseId": item.ref, "purchaseDate": p.purchase_date.isoformat(),
                      "today": day.isoformat()},
            fix="sell the course today (no future purchaseDate); set the client course's "
            "dates afterwards with PUT /clientcourse/{clientCourseId}",
            location=item.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase")
