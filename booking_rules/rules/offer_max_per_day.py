"""SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED: the special offer is fully booked on that local day.

## What it checks
When the special offer a schedule uses sets `maxPerDay`, the blocking appointments on that
offer on the booking's local date must number fewer than `maxPerDay`. The day is the
calendar date of each appointment's start in the branch's time zone, never the UTC date:
a Toronto booking at 23:30 local counts toward that local day, not the next UTC day.
Appointments of every staff member and client count. Blocking means not deleted and not
`CANCELED`; `RESERVED` holds count too (ruleset option `reserved_holds_block`). Earlier
schedules of the same request count; an update never counts the appointment it moves.

Decision (Phorest is silent): `maxPerDay: 0` is read literally, the offer cannot be booked
at all; set the rule option `zero_means_unlimited = true` to read 0 as no limit.

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED` when the offer is already booked to
its daily limit. The offer's shape is not published by Phorest; `maxPerDay` is the field
this library assumes (RULES.md §4).

## Example
The morning offer `so_morning` allows 2 bookings a day; 1 December already has two (Ida at
09:00, Lou at 11:30, both with Lisa):

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-01T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

2 December has one, so a second is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T15:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Pick a day on which the offer still has places, or book without the special offer.
`GET .../appointment` lists the offer's bookings of the day.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._offer_common import (
    ZERO_MEANS_UNLIMITED_DOC,
    limit_of,
    offer_evidence,
    offer_label,
    offer_of,
)


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    offer = offer_of(item, ctx)
    if offer is None:
        return
    limit = limit_of(offer.max_per_day, ctx)
    if limit is None:
        return
    booked = sorted(ctx.offer_day(offer.id, item.local_date), key=lambda a: a.start)
    if len(booked) < limit:
        return

    def build() -> tuple[str, dict[str, Any]]:
        names = "; ".join(f"{ctx.name_of(a)} {ctx.when(a.start, a.span[1])}" for a in booked)
        return (f"The {offer_label(offer)} allows {limit} booking{'s' if limit != 1 else ''} "
                f"a day; {item.local_date:%Y-%m-%d} (branch local date) already has "
                f"{len(booked)}{': ' + names if names else ''}. This "
                f"{ctx.service_name(item.schedule.service_id)} is {ctx.when(item.start)}.",
                {**offer_evidence(offer), "localDate": item.local_date.isoformat(),
                 "requested": ctx.when(item.start), "count": len(booked), "limit": limit,
                 "booked": [ctx.describe(a) for a in booked]})
    yield Finding(build=build, fix="choose a day on which the offer still has places, or "
                  "book without the special offer")


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "without-special-offer"}),
            module=__name__, history=True, needs=frozenset(),
            silent_unless=frozenset({"offer"}),
            options={"zero_means_unlimited": Option(False, ZERO_MEANS_UNLIMITED_DOC)},
            lists=frozenset({"appointments", "offers"}),
            reads=frozenset({"appointments.offer"}))
