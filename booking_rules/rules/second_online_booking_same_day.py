"""INTERNET_BOOKING_ALREADY_BOOKED: the client already booked online that day.

## What it checks
Only for online bookings (`--online`, or the `phorest-online` ruleset): the client already
has a blocking appointment on the same local date whose `source` is one of the rule option
`online_sources` (default `ONLINE` and `WIDGET`). Earlier schedules of the same request are
one booking, so they do not count against each other (a decision: Phorest's online widget
books several services as one booking).

Decision (RULES.md §3, round 2): which `source` values mean "booked online" is not
published. Live integrations see `API`, `WIDGET` and `PHOREST` (a sync writes `WIDGET` for
its online bookings); `ONLINE` was the project's earlier guess. Set
`[rules.INTERNET_BOOKING_ALREADY_BOOKED] online_sources = ["WIDGET", "API"]` to count
what your tenant's online channels write.

## Why the API refuses it
Phorest answers `INTERNET_BOOKING_ALREADY_BOOKED`, limiting clients to one online booking a
day.

## Example
Jo booked a cut online for 2 December (its `source` is `ONLINE`); booking online again
that day fails.

```json fails online
{"clientId": "cli_jo", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-02T21:00:00Z"}]}]}
```

The same booking made by the salon (not online) is not limited:

```json passes
{"clientId": "cli_jo", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-02T21:00:00Z"}]}]}
```

A tenant whose online channel writes `WIDGET` only (set below for this example) does not
count Jo's `ONLINE` booking:

```json passes online
{"ruleOptions": {"INTERNET_BOOKING_ALREADY_BOOKED": {"online_sources": ["WIDGET"]}},
 "clientId": "cli_jo", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-02T21:00:00Z"}]}]}
```

## Fix
Add the service to the client's existing online booking through the salon, or book another
day.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule

ONLINE_SOURCES = ["ONLINE", "WIDGET"]


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    client_id = item.schedule.client_id
    if not client_id:
        return
    online = frozenset(ctx.options.get("online_sources", ONLINE_SOURCES))
    for other in ctx.client_day(client_id, item.local_date):
        if other.from_request is None and other.source in online:
            yield Finding(
                f"{ctx.client_name(client_id)} already booked online on {item.local_date}: "
                f"{ctx.label(other)} {ctx.when(*other.span)}.",
                evidence={"clientId": client_id, "localDate": item.local_date.isoformat(),
                          "existing": ctx.describe(other)},
                fix="book another day, or have the salon add to the existing booking")
            return


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time"}),
            module=__name__, history=True, online_only=True,
            needs=frozenset(), silent_unless=frozenset({"client"}),
            options={"online_sources": Option(
                ONLINE_SOURCES, "The appointment `source` values that count as booked "
                "online (live values: API, WIDGET, PHOREST).")},
            lists=frozenset({"appointments"}),
            reads=frozenset({"appointments.client"}))
