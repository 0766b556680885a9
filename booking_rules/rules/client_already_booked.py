"""CLIENT_ALREADY_BOOKED_THIS_TIME: the client is already booked at that time.

## What it checks
The client's span for this service (from its first block's start to its last block's end,
processing gap included: the client is in the chair while colour develops) overlaps
another blocking appointment of the same client, with any staff member. Half-open: a
booking starting when the other ends does not conflict. Earlier schedules of the same
request count; an update never conflicts with the appointment it moves.

Decisions (RULES.md §2, round 2): a blocking appointment is not deleted and not
`CANCELED` or `ARCHIVED`; an activation state the contract does not know blocks, with an
`UNKNOWN_ACTIVATION_STATE` notice. `RESERVED` holds block (`[options]
reserved_holds_block`), until older than `[options] reserved_hold_minutes` by their
`createdAt`, when that is set (`EXPIRED_HOLD`). A zero-length row (end equal to start)
occupies nothing. An existing row holds exactly its own `[start, end)`: Phorest returns a
service's finish block as a row of its own; for a source that does not split them,
`[options] expand_existing_finish = true` adds each row's gap and finish.

## Why the API refuses it
Phorest answers `CLIENT_ALREADY_BOOKED_THIS_TIME` (seen when moving an appointment to a
day and time where the client already has one).

## Example
Mary is in Lisa's chair 10:00-10:45 local; a blow-dry with John at 10:15 overlaps it.

```json fails
{"clientId": "cli_mary", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_john", "startTime": "2026-12-01T15:15:00Z"}]}]}
```

At 10:45, when her cut ends, it fits:

```json passes
{"clientId": "cli_mary", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_blowdry", "staffId": "stf_lisa", "startTime": "2026-12-01T15:45:00Z"}]}]}
```

## Fix
Book after the client's other appointment ends, or move that one first
(`GET .../appointment?client_id=` lists them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..core.context import Context, Item
from ..core.model import Appointment
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    client_id = item.schedule.client_id
    if not client_id:
        return
    start, end = item.span
    for other in ctx.client_appointments(client_id, start, end):
        yield Finding(build=_words(ctx, client_id, start, end, other),
                      fix="book after the client's other appointment, or move it first")


def _words(ctx: Context, client_id: str, start: datetime, end: datetime, other: Appointment
           ) -> Callable[[], tuple[str, dict[str, Any]]]:
    """The message and evidence, worded when read (most refusals are only counted)."""
    def build() -> tuple[str, dict[str, Any]]:
        requested = ctx.when(start, end)
        return (f"{ctx.client_name(client_id)} already has {ctx.label(other)} with "
                f"{ctx.staff_name(other.staff_id)} {ctx.when(*other.span)}; this booking "
                f"holds them {requested}.",
                {"clientId": client_id, "requested": requested,
                 "conflict": ctx.describe(other)})
    return build


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff"}),
            module=__name__, history=True, needs=frozenset({"time"}),
            silent_unless=frozenset({"client"}),
            lists=frozenset({"appointments"}),
            reads=frozenset({"appointments.client"}))
