"""BREAK_WITHOUT_RESOURCE: a snapshot break names no staff member, room or machine.

## What it checks
Reported while the snapshot is read: a `breaks[]` entry has none of `staffId`, `roomId`
and `machineId`.

Decision where Phorest is silent: such a break blocks nothing (not the whole salon),
because Phorest's breaks belong to a staff member, a room or a machine; the warning says
so, in case it was meant to close something.

## Why the API refuses it
Phorest does not return such breaks as far as is known, so the snapshot was probably
built wrongly (a field renamed or dropped on the way). Whatever the break was meant to
block is bookable in the engine's eyes, while Phorest may refuse it
(`STAFF_NOT_WORKING`, `EXCEEDED_ROOM_CAPACITY`, `MACHINE_DOUBLE_BOOKED`).

## Example
Snapshot problems show with any request; the examples run against the example salon plus
the entries under `addToSalon` (a team meeting with nobody on it):

```json fails
{"addToSalon": {"breaks": [{"breakId": "brk_team", "breakDate": "2026-12-01",
  "startTime": "08:00:00", "endTime": "08:30:00", "label": "Team meeting"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

The same break for Lisa:

```json passes
{"addToSalon": {"breaks": [{"breakId": "brk_team", "breakDate": "2026-12-01",
  "startTime": "08:00:00", "endTime": "08:30:00", "label": "Team meeting",
  "staffId": "stf_lisa"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

## Fix
Keep `staffId`, `roomId` and `machineId` when caching breaks (`GET .../break`), or drop
breaks that belong to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
