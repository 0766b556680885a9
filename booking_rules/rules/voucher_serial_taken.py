"""VOUCHER_SERIAL_TAKEN: a voucher's `serialNumber` is already held by another voucher.

## What it checks
A `createVoucher` body whose `serialNumber` is the serial of a voucher in the snapshot's
`vouchers`. Serials are compared as text: Phorest's example sends `123457` as a number and
answers `"123457"`.

Decisions where Phorest is silent:
- Without a `vouchers` list the answer is UNKNOWN (the serial may be taken).

## Why the API refuses it
Phorest's notes: "The developer can create vouchers with any serial they want." Nothing
says Phorest refuses a serial already in use, so two vouchers may share it, and the one
the till finds when the client redeems it is not the one the client holds.

## Example
Serial 100001 is Mary's voucher `vch_mary`:

```json fails
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": 100001}}
```

```json passes
{"kind": "createVoucher", "body": {"clientId": "cli_mary", "creatingBranchId": "br_tor",
  "issueDate": "2026-11-01T12:00:00.000Z", "expiryDate": "2027-11-01T12:00:00.000Z",
  "originalBalance": 50.0, "remainingBalance": 50.0, "serialNumber": "200003"}}
```

## Fix
Give each voucher a serial no other voucher of the business holds (keep a counter, or
check `GET /voucher` first), and refresh the snapshot's `vouchers`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import VoucherWrite
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, VoucherWrite)
    if p is None or p.serial is None:
        return
    records = ctx.snapshot.records
    if not records.holds("vouchers"):
        yield Unknown(f"The snapshot holds no vouchers, so whether serial {p.serial} is "
                      "taken cannot be decided.", {"serialNumber": p.serial})
        return
    held = records.vouchers_with_serial(p.serial)
    if not held:
        return
    v = held[0]
    yield Finding(
        f"serialNumber {p.serial} is already the serial of voucher {v.id}"
        + (f" ({ctx.client_name(v.client_id)}'s)" if v.client_id else "") + ".",
        evidence={"serialNumber": p.serial, "voucherId": v.id, "clientId": v.client_id},
        fix="use a serial no other voucher holds, and refresh the snapshot's vouchers",
        location=p.at("serial"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="voucher",
            may_be_unknown=True)
