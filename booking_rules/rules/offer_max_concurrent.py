"""SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED: the special offer is fully booked at that time.

## What it checks
When the special offer a schedule uses sets `maxConcurrent`, at no instant of the booking's
span (first block start to last block end) may the blocking appointments on that offer
already number `maxConcurrent`. Appointments of every staff member and client count.
This is the peak overlap inside the span, not a count of overlapping appointments: two
offer appointments that each overlap the span but not each other make a peak of 1.
Blocking means not deleted and not `CANCELED`; `RESERVED` holds count too (ruleset option
`reserved_holds_block`). Intervals are half-open, so back-to-back offer appointments never
overlap. Earlier schedules of the same request count, so a request can exceed the limit on
its own; an update never counts the appointment it moves.

Decision (Phorest is silent): `maxConcurrent: 0` is read literally, the offer cannot be
booked at all; set the rule option `zero_means_unlimited = true` to read 0 as no limit.

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED` when the offer is already booked
to its limit at that time. The offer's shape is not published by Phorest; `maxConcurrent`
is the field this library assumes (RULES.md §4).

## Example
The morning offer `so_morning` allows 1 booking at a time; Ida already has it 09:00-09:45
local (14:00Z-14:45Z) on 2 December, with Lisa. John at 09:15 local overlaps her:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T14:15:00Z",
   "specialOfferId": "so_morning"}]}]}
```

Starting when Ida's appointment ends is fine:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T14:45:00Z",
   "specialOfferId": "so_morning"}]}]}
```

## Fix
Pick a time when the offer has a free place (after the overlapping offer bookings end),
or book without the special offer. `GET .../appointment` lists the offer's bookings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._capacity import peak
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
    limit = limit_of(offer.max_concurrent, ctx)
    if limit is None:
        return
    start, end = item.span
    others = ctx.offer_appointments(offer.id, start, end)
    peak_count, at, held_at = peak([a.span for a in others], start, end)
    held = [others[i] for i in held_at]
    if peak_count < limit:
        return
    peak_at = at or start

    def build() -> tuple[str, dict[str, Any]]:
        names = "; ".join(ctx.name_of(a) for a in held) or "none (the limit is 0)"
        return (f"The {offer_label(offer)} allows {limit} booking{'s' if limit != 1 else ''} "
                f"at a time; at {ctx.when(peak_at)} it already has {peak_count}: {names}. "
                f"This {ctx.service_name(item.schedule.service_id)} needs it "
                f"{ctx.when(start, end)}.",
                {**offer_evidence(offer), "requested": ctx.when(start, end),
                 "peak": peak_count, "peakAt": ctx.when(peak_at), "limit": limit,
                 "conflicts": [ctx.describe(a) for a in held]})
    yield Finding(build=build, fix="choose a time when the offer has a free place, or book "
                  "without the special offer")


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff",
                                    "without-special-offer"}),
            module=__name__, history=True, needs=frozenset({"time"}),
            silent_unless=frozenset({"offer"}),
            options={"zero_means_unlimited": Option(False, ZERO_MEANS_UNLIMITED_DOC)},
            lists=frozenset({"appointments", "offers"}),
            reads=frozenset({"appointments.offer"}))
