"""SPECIAL_OFFER_STAFF_EXCLUDED: the staff member is excluded from the special offer.

## What it checks
When a schedule uses a special offer (`specialOfferId`), its `staffId` must not be in the
offer's `excludedStaffIds`. The offer's other limits (dates, times, counts) are other
rules. A schedule without an offer, or with an offer id or staff id the snapshot does not
hold, is not checked here (`UNKNOWN_ID` reports unknown ids).

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_STAFF_EXCLUDED` when the offer is booked with a staff member
it excludes (a salon may run an offer for junior stylists only, say). The offer's shape is
not published by Phorest; `excludedStaffIds` is the field this library assumes
(RULES.md §4).

## Example
The morning offer `so_morning` excludes Ann:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_ann", "startTime": "2026-12-03T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

John may take it at the same time:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Book the offer with a staff member it does not exclude, or book this staff member without
the special offer. `GET .../service-special-offer` shows the excluded staff.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._offer_common import offer_evidence, offer_label, offer_of


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    offer = offer_of(item, ctx)
    staff_id = item.schedule.staff_id
    if offer is None or not staff_id or staff_id not in offer.excluded_staff:
        return
    yield Finding(
        f"{ctx.staff_name(staff_id)} is excluded from the {offer_label(offer)}; this "
        f"{ctx.service_name(item.schedule.service_id)} {ctx.when(item.start)} cannot use "
        "the offer with them.",
        evidence={**offer_evidence(offer), "staffId": staff_id,
                  "staff": ctx.staff_name(staff_id),
                  "excludedStaffIds": sorted(offer.excluded_staff)},
        fix="choose a staff member the offer does not exclude, or book without the "
        "special offer",
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-time-other-staff", "without-special-offer"}),
            module=__name__, needs=frozenset({"staff"}),
            silent_unless=frozenset({"offer"}), timeless=True,
            lists=frozenset({"offers"}))
