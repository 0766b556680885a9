"""ONLINE_STAFF_HIDDEN: an online booking names a staff member hidden from online booking.

## What it checks
Online bookings only (`online`, or the `phorest-online` ruleset): the staff member does not
have `hideFromOnlineBookings: true`.

## Why the API refuses it
Phorest documents no code for it. Its online booking never shows such a staff member, but
the third-party API books whoever it is sent: expect the booking to go through, with a
staff member the salon chose to keep out of online booking (a trainee, a manager, a room
modelled as staff).

## Example
Raj is hidden from online booking:

```json fails online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_raj", "startTime": "2026-12-01T18:00:00Z"}]}]}
```

Lisa is not:

```json passes online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Leave staff with `hideFromOnlineBookings` out of the online flow (as Phorest's own online
booking does), or book through the salon.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    staff = item.staff
    if staff is None or not staff.hide_from_online:
        return
    where = field_at(item, "staffId")
    yield Finding(
        f"{staff.name} ({staff.id}) is hidden from online booking "
        "(hideFromOnlineBookings is true).",
        evidence={"staffId": staff.id, "staff": staff.name, "hideFromOnlineBookings": True,
                  "location": where},
        fix="offer only staff who are shown online, or book through the salon",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-time-other-staff"}),
            severity="error", online_only=True, needs=frozenset({"staff"}),
            silent_unless=frozenset({"not_online"}), timeless=True)
