"""UNREADABLE_ROW: a snapshot row could not be read; it was left out, and what needs it is UNKNOWN.

## What it checks
Reported while the snapshot is read: a row that cannot be read at all (an appointment
without `appointmentId`, `staffId` or a date, a time that is not a time, a service without
`duration`, a row that is not an object, ...) is quarantined. It is kept out of the
indexes and listed here with its JSON path and what was wrong (the first twenty one by
one, the rest counted). Every rule that would have needed it answers UNKNOWN for the
schedules it could concern:

- an appointment: the rules about its staff member, client, room, machine and special
  offer on its local date (a row without a readable staff member may be anyone's; one
  without a readable date may be on any day), and the course spacing rules for its client;
- a roster slot or a break: `STAFF_NOT_WORKING` for its staff member on its date, and room
  or machine capacity for the room or machine a break names;
- a staff member, service, room, machine, offer or client course: a booking that names its
  id is UNKNOWN, not an unknown id.

Decision (RULES.md §6): one odd row does not sink the branch. Nothing is dropped silently,
and nothing it might have decided passes silently. A whole document that is not a
snapshot is still unusable input (exit 2).

## Why the API refuses it
Phorest refuses nothing here: the snapshot holds a row the engine cannot use, so the
answers that depend on it are not known.

## Example
An appointment of Raj's on 3 December with a start time that is not a time:

```json fails
{"addToSalon": {"appointments": [{"appointmentId": "ap_bad", "version": 1,
  "appointmentDate": "2026-12-03", "startTime": "25:00:00", "endTime": "10:45:00",
  "clientId": "cli_gus", "staffId": "stf_raj", "serviceId": "svc_cut"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

The same row with its real start time:

```json passes
{"addToSalon": {"appointments": [{"appointmentId": "ap_bad", "version": 1,
  "appointmentDate": "2026-12-03", "startTime": "10:00:00", "endTime": "10:45:00",
  "clientId": "cli_gus", "staffId": "stf_raj", "serviceId": "svc_cut"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

## Fix
Correct the row in the source (or in the sync that wrote it) and fetch the list again;
until then, the schedules it could concern stay UNKNOWN rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
