"""AMBIGUOUS_LOCAL_TIME: a wall time occurs twice (fall-back night); the first was taken.

## What it checks
Reported while an `updateAppointment` body is read (with the snapshot's
`appointmentTimes` convention `local`): its `startTime` or `endTime` falls in the hour the
clocks repeat (01:30 on 1 November 2026 in Toronto happens at 05:30Z and again at
06:30Z). The first occurrence (`fold=0`, still on summer time) is taken and reported
(RULES.md §1).

Decision where Phorest is silent: the first occurrence, as Python's `fold=0` does.

## Why the API refuses it
It does not refuse it, and does not say which of the two hours it books: the appointment
may land an hour away from what was meant. An update body has no way to tell them apart.

## Example
01:30 happens twice in Toronto on 7 November 2027:

```json fails
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2027-11-07", "startTime": "01:30:00", "staffId": "stf_lisa",
  "serviceId": "svc_cut"}}
```

03:00 happens once:

```json passes
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2027-11-07", "startTime": "03:00:00", "staffId": "stf_lisa",
  "serviceId": "svc_cut"}}
```

## Fix
Avoid the repeated hour, or book it with a createBooking UTC instant, which is never
ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            severity="warning", needs=frozenset(), notice=True)
