"""SPECIAL_OFFER_AFTER_END_DATE: the special offer has ended by the booking's date.

## What it checks
A schedule that uses a special offer (`specialOfferId`) must fall on or before the offer's
`endDate`. The date compared is the booking's local date: the calendar date of its start
instant in the branch's time zone, never the UTC date (a Toronto booking at 23:30 local on
the end date is already the next day in UTC, and is still valid). The end date itself is
valid. Only the start counts: a booking that starts on the end date and runs past local
midnight is valid. An offer without an `endDate` has no upper bound. A schedule without an
offer, or with an offer id the snapshot does not hold, is not checked here (`UNKNOWN_ID`
reports unknown ids).

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_AFTER_END_DATE` when the offer is used after it ends. The
offer's shape is not published by Phorest; `endDate` is the field this library assumes
(RULES.md §4).

## Example
The morning offer `so_morning` ends on 31 December 2026:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2027-01-01T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

The last day of the offer is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-31T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

So is 04:30Z on 1 January: in Toronto it is still 31 December, 23:30 (outside the
offer's allowed times, which `SPECIAL_OFFER_NOT_ALLOWED_TIME` reports):

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2027-01-01T04:30:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Book on or before the offer's end date (local), or book without the special offer.
`GET .../service-special-offer` shows the offer's dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._offer_common import offer_evidence, offer_label, offer_of


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    offer = offer_of(item, ctx)
    if offer is None or offer.end_date is None or item.local_date <= offer.end_date:
        return
    days = (item.local_date - offer.end_date).days
    yield Finding(
        f"The {offer_label(offer)} ended on {offer.end_date:%Y-%m-%d}; this "
        f"{ctx.service_name(item.schedule.service_id)} is booked {ctx.when(item.start)}, "
        f"local date {item.local_date:%Y-%m-%d}, {days} day{'s' if days != 1 else ''} "
        "after it ended.",
        evidence={**offer_evidence(offer), "localDate": item.local_date.isoformat(),
                  "requested": ctx.when(item.start), "daysLate": days},
        fix=f"book on or before {offer.end_date:%Y-%m-%d} (branch local date), or book "
        "without the special offer",
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "without-special-offer"}),
            module=__name__, needs=frozenset(), silent_unless=frozenset({"offer"}),
            lists=frozenset({"offers"}))
