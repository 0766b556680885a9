"""UNKNOWN_FIELD: the request or snapshot has a field the engine does not know.

## What it checks
Reported while the input is read: a field of a createBooking body, of one of its
`clientAppointmentSchedules[]` or `serviceSchedules[]`, or of an updateAppointment body,
that is not a known Phorest field there; and a top-level key of the snapshot that is not
part of its format. The field is kept (and sent as is) but nothing checks it, so a typo
such as `notes` for `note` or `staffID` beside `staffId` is easy to spot.

## Why the API refuses it
Phorest does not document what it does with unknown fields; the usual outcome is that it
ignores them silently, so the value meant by a misspelt field is lost without an error.

## Example
`notes` is not a createBooking field (`note` is):

```json fails
{"clientId": "cli_new", "notes": "first visit",
 "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

```json passes
{"clientId": "cli_new", "note": "first visit",
 "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Correct the field name (see the createBooking and updateAppointment shapes in Phorest's
reference), or drop the field.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
