"""ONLINE_SERVICE_DISABLED: an online booking asks for a service not bookable online.

## What it checks
Online bookings only (`online`, or the `phorest-online` ruleset): the service has
`internetEnabled: true`, Phorest's "enabled for online booking at that branch".

## Why the API refuses it
Phorest documents no code for it. Its online booking never offers such a service, and its
branch filter `service_internet_enabled` leaves it out, but the third-party API books
whatever it is sent: expect the booking to go through, a service the salon chose not to
sell online (often one that needs a consultation first).

## Example
Laser hair removal is not bookable online:

```json fails online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-15T14:00:00Z"}]}]}
```

A cut is:

```json passes online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Offer only services with `internetEnabled: true` in the online flow (`GET
.../branch/{branchId}/service` returns the flag), or book this one through the salon.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service = item.service
    if service is None or service.internet_enabled:
        return
    where = field_at(item, "serviceId")
    yield Finding(
        f"{service.name} ({service.id}) is not enabled for online booking "
        "(internetEnabled is false).",
        evidence={"serviceId": service.id, "service": service.name,
                  "internetEnabled": False, "location": where},
        fix="leave this service out of the online flow, or enable it for online booking in "
        "Phorest",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "",
            module=__name__, severity="error", online_only=True,
            needs=frozenset({"service"}), silent_unless=frozenset({"not_online"}), timeless=True)
