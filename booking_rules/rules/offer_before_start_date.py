"""SPECIAL_OFFER_BEFORE_START_DATE: the special offer has not started on the booking's date.

## What it checks
A schedule that uses a special offer (`specialOfferId`) must fall on or after the offer's
`startDate`. The date compared is the booking's local date: the calendar date of its start
instant in the branch's time zone, never the UTC date (a Toronto booking at 23:30 local on
the day before the start date is already the next day in UTC, and is still refused). The
start date itself is valid. An offer without a `startDate` has no lower bound. A schedule
without an offer, or with an offer id the snapshot does not hold, is not checked here
(`UNKNOWN_ID` reports unknown ids).

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_BEFORE_START_DATE` when the offer is used before it starts.
The offer's shape is not published by Phorest; `startDate` is the field this library
assumes (RULES.md §4).

## Example
The morning offer `so_morning` starts on 15 November 2026. 04:30Z on the 15th is still
14 November, 23:30 local in Toronto:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-11-15T04:30:00Z",
   "specialOfferId": "so_morning"}]}]}
```

Local midnight of 15 November (05:00Z) is on the start date, so the offer has started (that
Sunday is outside the offer's allowed times, which `SPECIAL_OFFER_NOT_ALLOWED_TIME` reports):

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-11-15T05:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Book on or after the offer's start date (local), or book without the special offer.
`GET .../service-special-offer` shows the offer's dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._offer_common import offer_evidence, offer_label, offer_of


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    offer = offer_of(item, ctx)
    if offer is None or offer.start_date is None or item.local_date >= offer.start_date:
        return
    days = (offer.start_date - item.local_date).days
    yield Finding(
        f"The {offer_label(offer)} starts on {offer.start_date:%Y-%m-%d}; this "
        f"{ctx.service_name(item.schedule.service_id)} is booked {ctx.when(item.start)}, "
        f"local date {item.local_date:%Y-%m-%d}, {days} day{'s' if days != 1 else ''} "
        "before it starts.",
        evidence={**offer_evidence(offer), "localDate": item.local_date.isoformat(),
                  "requested": ctx.when(item.start), "daysEarly": days},
        fix=f"book on or after {offer.start_date:%Y-%m-%d} (branch local date), or book "
        "without the special offer",
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "without-special-offer"}),
            module=__name__, needs=frozenset(), silent_unless=frozenset({"offer"}),
            lists=frozenset({"offers"}))
