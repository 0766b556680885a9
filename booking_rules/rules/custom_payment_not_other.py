"""CUSTOM_PAYMENT_TYPE_NOT_OTHER: a custom payment type not sent as `OTHER` with its id.

## What it checks
Each payment of a `createPurchase` body that names a custom payment type
(`customPaymentTypeId`, `customTypeCode` or `customTypeName`) must have `type` `OTHER`;
and a payment of `type` `OTHER` must carry its `customPaymentTypeId`.

## Why the API refuses it
Phorest's support notes: "For all custom payment types (example: website), you can use
payment type "OTHER" as value for "type" key", with the custom type's
`customPaymentTypeId` beside it. A custom type under another `type` (a web shop's
payment sent as `CREDIT` with the shop's code) is recorded as a card payment, and an
`OTHER` payment without its id is recorded against no custom type: the salon's takings by
payment type are then wrong.

## Example
The website's payment type under `CREDIT`:

```json fails
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "WEB-e18f", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "CREDIT",
                "customPaymentTypeId": "ZlkRULCLPKeowif7_tViJw",
                "customTypeCode": "Web", "customTypeName": "Website"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1}]}}
```

```json passes
{"kind": "createPurchase", "path": {"branchId": "br_tor"},
 "body": {"number": "WEB-e18f", "clientId": "cli_mary",
  "payments": [{"amount": 24.99, "type": "OTHER",
                "customPaymentTypeId": "ZlkRULCLPKeowif7_tViJw",
                "customTypeCode": "Web", "customTypeName": "Website"}],
  "items": [{"branchProductId": "prd_shampoo", "price": 24.99, "quantity": 1}]}}
```

## Fix
Send a custom payment type as `"type": "OTHER"` with its `customPaymentTypeId` (and,
as Phorest's example does, `customTypeCode` and `customTypeName`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import PurchaseWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, PurchaseWrite)
    if p is None:
        return
    for pay in p.payments:
        if pay.custom_fields and pay.method != "OTHER":
            yield Finding(
                f"{pay.location} names a custom payment type ({', '.join(pay.custom_fields)}) "
                f"but its type is {pay.method!r}; custom payment types are sent as OTHER.",
                evidence={"payment": pay.location, "type": pay.method,
                          "customPaymentTypeId": pay.custom_type_id},
                fix="send \"type\": \"OTHER\" with the customPaymentTypeId",
                location=f"{pay.location}.type")
        elif pay.method == "OTHER" and pay.custom_type_id is None:
            yield Finding(
                f"{pay.location} is of type OTHER without a customPaymentTypeId: it is "
                "recorded against no custom payment type.",
                evidence={"payment": pay.location, "type": pay.method},
                fix="send the custom payment type's customPaymentTypeId with type OTHER",
                location=pay.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="purchase")
