"""STAFF_REQUESTED: an update moves a client's requested staff member off the appointment.

## What it checks
An `updateAppointment` request whose appointment has `staffRequest: true` names a
different `staffId` than the appointment has now. Moving it in time with the same staff
member is allowed (other rules still check the new time).

## Why the API refuses it
When a client asked for a particular staff member, Phorest keeps that promise: moving the
appointment to anyone else is refused with `STAFF_REQUESTED`.

## Example
Mary requested Lisa for her 1 December cut; moving it to John fails.

```json fails
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "10:00:00", "endTime": "10:45:00",
  "staffId": "stf_john", "serviceId": "svc_cut"}}
```

Moving it to 16:00 with Lisa is fine:

```json passes
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "16:00:00", "endTime": "16:45:00",
  "staffId": "stf_lisa", "serviceId": "svc_cut"}}
```

## Fix
Keep the requested staff member and move only the time, or ask the client first; the
salon can clear the request flag in Phorest before the move.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    existing = item.existing
    if ctx.request.kind != "update" or existing is None:
        return
    new_staff = item.schedule.staff_id
    # No staff member named is STAFF_MISSING's finding, not a move to another one.
    if existing.staff_request and new_staff is not None and new_staff != existing.staff_id:
        yield Finding(
            f"{ctx.client_name(existing.client_id)} requested "
            f"{ctx.staff_name(existing.staff_id)} for {ctx.name_of(existing)}; it cannot "
            f"move to {ctx.staff_name(new_staff)}.",
            evidence={"appointment": ctx.describe(existing),
                      "requestedStaffId": existing.staff_id, "newStaffId": new_staff},
            fix=f"keep {ctx.staff_name(existing.staff_id)} and change only the time",
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset(),
            alternatives=frozenset({"same-time-other-staff"}),
            silent_unless=frozenset({"update"}), timeless=True,
            lists=frozenset({"appointments"}))
