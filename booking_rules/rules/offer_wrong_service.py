"""OFFER_SERVICE_NOT_INCLUDED: the special offer does not cover the booked service.

## What it checks
A schedule that uses a `specialOfferId` books a service the offer lists: when the offer's
`serviceIds` is not empty, the schedule's `serviceId` must be one of them. An update
inherits the offer of the appointment it moves, so changing that appointment's service to
one the offer does not cover is reported too.

Decision where Phorest is silent: an offer with an empty `serviceIds` list is read as
covering every service (the shape is assumed, RULES.md §4), so nothing is reported.

## Why the API refuses it
Phorest documents no code for it (its special-offer codes are about dates, times, limits
and staff). Expect a 400 without one of the nineteen codes or, worse, a booking priced at
the offer for a service the salon never put on offer.

## Example
The weekday morning offer is for cuts only; a blow-dry on it fails:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_john", "startTime": "2026-12-03T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

A cut on it is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Book a service the offer lists (`GET .../branch/{branchId}/service-special-offer`), or
book this service without the offer.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at
from ._offer_common import offer_label, offer_of


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    s = item.schedule
    offer = offer_of(item, ctx)
    if offer is None or not offer.service_ids or s.service_id is None:
        return
    if s.service_id in offer.service_ids:
        return
    covered = sorted(offer.service_ids)
    # An update inherits the offer of the appointment it moves: its serviceId is at fault.
    where = (field_at(item, "specialOfferId") if ctx.request.kind == "create"
             else "serviceId")
    yield Finding(
        f"The {offer_label(offer)} covers only "
        f"{', '.join(ctx.service_name(i) for i in covered)}; this schedule books "
        f"{ctx.service_name(s.service_id)}.",
        evidence={"specialOfferId": offer.id, "offer": offer.name,
                  "offerServiceIds": covered, "serviceId": s.service_id,
                  "location": where},
        fix="book a service the offer covers, or drop the specialOfferId",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"without-special-offer"}),
            module=__name__, severity="error", needs=frozenset(),
            silent_unless=frozenset({"offer"}), timeless=True,
            lists=frozenset({"offers"}))
