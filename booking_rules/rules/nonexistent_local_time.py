"""NONEXISTENT_LOCAL_TIME: a wall time falls in a spring-forward gap; it was moved forward.

## What it checks
Reported while the input is read, wherever a branch-local wall time is turned into an
instant: an `updateAppointment` body's `startTime`/`endTime` (with the snapshot's
`appointmentTimes` convention `local`), and the snapshot's appointments, roster slots,
time off and breaks. A wall time that does not exist because the clocks jump forward
(02:30 on 14 March 2027 in Toronto, 02:30 on 4 October 2026 in Sydney) is moved forward by
the gap (to 03:30) and reported, so nobody is surprised by the hour (RULES.md §1).

Decision where Phorest is silent: forward by the gap, as `dateutil.tz.resolve_imaginary`
does; the alternative (reject the time) would stop the check of everything else.

## Why the API refuses it
Phorest does not document what it does with such a time: it may shift it like this, shift
it back, or refuse it with a 400. The appointment may end up an hour away from what was
meant, on the one night a year nobody looks.

## Example
There is no 02:30 in Toronto on 14 March 2027:

```json fails
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2027-03-14", "startTime": "02:30:00", "staffId": "stf_lisa",
  "serviceId": "svc_cut"}}
```

03:30 exists:

```json passes
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2027-03-14", "startTime": "03:30:00", "staffId": "stf_lisa",
  "serviceId": "svc_cut"}}
```

## Fix
Send a time that exists (03:00 or later that night), or for a createBooking send the UTC
instant, which never has a gap.
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
