"""DEPRECATED_SCHEDULES: a createBooking uses the deprecated flat `schedules` list.

## What it checks
Reported while a createBooking body is read: it has a `schedules` list (one flat list of
service schedules) instead of `clientAppointmentSchedules[].serviceSchedules[]`. The
schedules are still read and checked, in order, after any `clientAppointmentSchedules`;
each takes its own `clientId`, else the body's.

## Why the API refuses it
Phorest still accepts it but deprecated it in API 1.13.0 in favour of
`clientAppointmentSchedules`; a later version may stop reading it, and the created
appointment ids come back only in the list that was used.

## Example
The flat list:

```json fails
{"clientId": "cli_new", "schedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}
```

The same booking in the current shape:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"clientId": "cli_new",
  "serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Send `clientAppointmentSchedules: [{clientId, serviceSchedules: [...]}]`, one entry per
client, with the same service schedule objects inside.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
