"""STAFF_UNQUALIFIED: the staff member may not perform this service.

## What it checks
The service is in the staff member's `disqualifiedServices`, or the staff member is in the
service's `disqualifiedStaff`. Either list is enough; Phorest keeps qualification on both
sides and an integration may have cached only one.

## Why the API refuses it
Phorest answers `STAFF_UNQUALIFIED` when the staff member is not qualified for the service.

## Example
John's profile disqualifies him from colour; Ann is on the colour service's own
`disqualifiedStaff` list.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_colour", "staffId": "stf_john", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

Lisa is qualified for colour:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_colour", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Choose a qualified staff member (`booking-rules slots --service ID` without `--staff` lists
the qualified ones with free times), or check the qualification lists with
`GET .../service` and `GET .../staff`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service, staff = item.service, item.staff
    assert service is not None and staff is not None
    sources = []
    if service.id in staff.disqualified_services:
        sources.append("the staff member's disqualifiedServices")
    if staff.id in service.disqualified_staff:
        sources.append("the service's disqualifiedStaff")
    if sources:
        yield Finding(
            f"{staff.name} is not qualified for {service.name}: listed in "
            f"{' and '.join(sources)}.",
            evidence={"staffId": staff.id, "serviceId": service.id, "listedIn": sources},
            fix="choose a staff member qualified for this service",
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-time-other-staff"}),
            needs=frozenset({"service", "staff"}), timeless=True)
