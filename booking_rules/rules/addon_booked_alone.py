"""ADDON_ONLY_SERVICE_ALONE: an add-on-only service is booked without a main service.

## What it checks
A service with `isAddonOnly: true` is booked in a request that also books, for the same
client, at least one service that is not add-on-only (in any schedule of the request,
before or after it).

Decisions where Phorest is silent:
- Only the request's own schedules count: an add-on booked alone beside an appointment the
  client already has is still a standalone booking (Phorest books each request as its own
  booking). Services unknown to the snapshot do not count as main services.
- An `updateAppointment` is not checked: it moves an add-on that was booked with its main
  service, and books nothing alone.
- Whether the main service lists the add-on in its `addonServiceIds` is not checked.

## Why the API refuses it
Phorest documents `isAddonOnly` as "cannot be booked standalone" (API 1.37.0) but no code
for it: expect a 400 outside the nineteen codes, or an add-on with nothing to add to.

## Example
A gloss toner is an add-on only; booked alone it fails:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_toner", "staffId": "stf_lisa", "startTime": "2026-12-03T16:00:00Z"}]}]}
```

Booked after a colour for the same client it passes:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_colour", "staffId": "stf_lisa", "startTime": "2026-12-03T15:00:00Z"},
  {"serviceId": "svc_toner", "staffId": "stf_lisa", "startTime": "2026-12-03T16:00:00Z"}]}]}
```

## Fix
Book the add-on in the same request as the main service it belongs to
(`GET .../service/{serviceId}?fetch_addon_services=true` lists a service's add-ons).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service = item.service
    req = ctx.request
    if service is None or not service.addon_only or req.kind == "update":
        return
    services = ctx.snapshot.services
    s = item.schedule
    for other in req.schedules:
        main = services.get(other.service_id or "")
        if other.index != s.index and other.client_id == s.client_id and (
                main is not None and not main.addon_only):
            return
    where = field_at(item, "serviceId")
    yield Finding(
        f"{service.name} ({service.id}) can only be booked as an add-on, but this request "
        f"books no main service for {ctx.client_name(s.client_id)}.",
        evidence={"serviceId": service.id, "service": service.name, "addonOnly": True,
                  "clientId": s.client_id, "location": where},
        fix="book the add-on in the same request as the main service it goes with",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "",
            module=__name__, severity="error", needs=frozenset({"service"}),
            silent_unless=frozenset({"addon"}), timeless=True)
