"""UNKNOWN_ACTIVATION_STATE: appointments of the snapshot are in a state the engine does not know.

## What it checks
Reported while the snapshot is read, once per state value: an appointment whose
`activationState` is none of `ACTIVE`, `RESERVED`, `CANCELED` and `ARCHIVED`. Such an
appointment is taken to block its staff member, client, room and machine, as an `ACTIVE`
one does.

Decisions (RULES.md §2): `ACTIVE`, `RESERVED` and an absent state block; `CANCELED` and
`ARCHIVED` (what `fetch_archived=true` returns) do not. Any other state blocks, because
reading a state nobody knows as free could turn a double booking into a PASS; this notice
names it so the reading can be confirmed.

## Why the API refuses it
Phorest documents `ACTIVE`, `RESERVED` and `CANCELED`, and live integrations have seen
`ARCHIVED`. A new state is Phorest's to define; until it is known, the engine does not
guess it away.

## Example
Snapshot notices show with any request; the examples add an appointment in a state
Phorest has not documented:

```json fails
{"addToSalon": {"appointments": [{"appointmentId": "ap_pending", "version": 1,
  "appointmentDate": "2026-12-04", "startTime": "10:00:00", "endTime": "10:45:00",
  "clientId": "cli_gus", "staffId": "stf_raj", "serviceId": "svc_cut",
  "activationState": "PENDING"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

An archived appointment is a known state (and blocks nothing):

```json passes
{"addToSalon": {"appointments": [{"appointmentId": "ap_old", "version": 1,
  "appointmentDate": "2026-12-04", "startTime": "10:00:00", "endTime": "10:45:00",
  "clientId": "cli_gus", "staffId": "stf_raj", "serviceId": "svc_cut",
  "activationState": "ARCHIVED"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

## Fix
Check what the state means in Phorest's screen for one such appointment. If it should not
block, drop those rows from the snapshot (or map the state to `CANCELED`) when you build
it, and say so in an issue so the engine learns the state.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
