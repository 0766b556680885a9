"""SERVICE_ALREADY_BOOKED_THIS_DAY: the client already has this service that day.

## What it checks
The client has another blocking appointment for the same `serviceId` on the same local
date (the calendar date of the start in the branch's time zone, never the UTC date).
Earlier schedules of the same request count; an update never counts itself.

## Why the API refuses it
Phorest answers `SERVICE_ALREADY_BOOKED_THIS_DAY`: the client is already booked for the
same service that day.

## Example
Mary has a cut on 1 December (10:00 local); a second cut at 16:00 local the same day fails.

```json fails
{"clientId": "cli_mary", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T21:00:00Z"}]}]}
```

The next day is fine:

```json passes
{"clientId": "cli_mary", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-02T21:00:00Z"}]}]}
```

## Fix
Book another day, or change the existing appointment instead of adding one
(`GET .../appointment?client_id=`, or `/client-service-history`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..core.context import Context, Item
from ..core.model import Appointment
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    client_id, service_id = item.schedule.client_id, item.schedule.service_id
    if not client_id:
        return
    for other in ctx.client_day(client_id, item.local_date):
        if other.service_id == service_id:
            yield Finding(build=_words(ctx, item, client_id, other),
                          fix="book another day, or move the existing appointment")


def _words(ctx: Context, item: Item, client_id: str, other: Appointment
           ) -> Callable[[], tuple[str, dict[str, Any]]]:
    """The message and evidence, worded when read (most refusals are only counted)."""
    def build() -> tuple[str, dict[str, Any]]:
        return (f"{ctx.client_name(client_id)} already has {ctx.label(other)} on "
                f"{item.local_date} ({ctx.when(*other.span)}).",
                {"clientId": client_id, "serviceId": item.schedule.service_id,
                 "localDate": item.local_date.isoformat(),
                 "existing": ctx.describe(other)})
    return build


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time"}),
            module=__name__, history=True, needs=frozenset(),
            silent_unless=frozenset({"client"}),
            lists=frozenset({"appointments"}),
            reads=frozenset({"appointments.client"}))
