"""EXPIRED_HOLD: a RESERVED hold was taken to have expired, so it did not block.

## What it checks
Only when the ruleset sets `[options] reserved_hold_minutes` (default 0: off). A `RESERVED`
appointment (a temporary hold, later activated) whose `createdAt` lies more than that many
minutes before `now` is taken to have expired: it does not block the staff member, client,
room or machine, and this notice names each such hold a check met. A hold without a
`createdAt` cannot be aged, so it keeps blocking.

Decision (RULES.md §2): holds block by default, however old (Phorest: RESERVED holds do
occupy time). Phorest was observed to drop unconfirmed holds after about 7 minutes, so a
snapshot that keeps old holds would refuse times that are free; the option lets them
expire, and the notice keeps the reading visible.

## Why the API refuses it
Phorest refuses nothing here: while a hold lives it answers `STAFF_DOUBLE_BOOKED` (or the
client, room or machine code) for its time; once it expired, the time is free again.

## Example
With `reserved_hold_minutes = 7` (set below for this example), a hold on Lisa at 11:00
local on 1 December, created an hour before `now`, has expired:

```json fails
{"engineOptions": {"reserved_hold_minutes": 7},
 "addToSalon": {"appointments": [{"appointmentId": "ap_hold", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "11:00:00", "endTime": "11:30:00",
  "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_blowdry",
  "activationState": "RESERVED", "createdAt": "2026-11-01T11:00:00.000Z"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

A hold created five minutes before `now` still blocks (`STAFF_DOUBLE_BOOKED`), and has not
expired:

```json passes
{"engineOptions": {"reserved_hold_minutes": 7},
 "addToSalon": {"appointments": [{"appointmentId": "ap_hold", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "11:00:00", "endTime": "11:30:00",
  "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_blowdry",
  "activationState": "RESERVED", "createdAt": "2026-11-01T11:55:00.000Z"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

## Fix
Nothing, when the hold truly expired. If Phorest still holds it, activate or cancel it
(`POST .../booking/{bookingId}/activate` or `/cancel`) and fetch the appointments again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports each expired hold a check met


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
