"""DUPLICATE_ID: the snapshot holds two entries with the same id; the later one is used.

## What it checks
Reported while the snapshot is read: two staff members, services, rooms, machines,
appointments, special offers, courses, client course items or clients share an id. The
later entry replaces the earlier one.

Decision where Phorest is silent: the later entry wins, as it is usually the fresher one
(duplicates come from HAL pages fetched while the data changed and shifted between
pages, or from two caches merged).

## Why the API refuses it
Phorest ids are unique, so this is never the API's doing: the snapshot was assembled
wrongly, and whichever copy the engine keeps may not be Phorest's current one. An
appointment listed twice may also hide a third, missed by the shifted paging.

## Example
Snapshot problems show with any request; the examples run against the example salon plus
the entries under `addToSalon` (a second copy of the cut):

```json fails
{"addToSalon": {"services": [{"serviceId": "svc_cut", "name": "Cut (old copy)",
  "duration": 30}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

A service with its own id is fine:

```json passes
{"addToSalon": {"services": [{"serviceId": "svc_trim", "name": "Fringe trim",
  "duration": 15}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

## Fix
Fetch the list again in one pass (all pages, sorted the same way), or de-duplicate by id
keeping the copy with the highest `version`, then rebuild the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
