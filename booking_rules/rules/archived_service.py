"""ARCHIVED_SERVICE: the service is archived: the salon no longer offers it.

## What it checks
The schedule's service is in the snapshot with `archived: true`.

Decision where Phorest is silent: an `updateAppointment` that keeps the service of the
appointment it moves is not reported, because the appointment was booked while the service
was offered and moving it books nothing new. Rule option `on_kept_update = true` reports
it too.

## Why the API refuses it
Phorest lists only active services as bookable (its branch filter `service_id` keeps
"active, not archived/deleted" services), but it documents no code for booking an archived
one: expect a 400 without one of the nineteen codes, or, worse, an appointment for a
service the salon cannot deliver and no longer prices.

## Example
The perm was discontinued:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_perm", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

A cut is still offered:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Book a current service (`GET .../branch/{branchId}/service` lists them); if the service
is meant to be offered again, unarchive it in Phorest first and refresh the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._body import field_at

OPTIONS = {
    "on_kept_update": Option(False, "Also report an update that keeps the archived service "
                             "of the appointment it moves."),
}


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service = item.service
    if service is None or not service.archived:
        return
    existing = item.existing
    kept = existing is not None and existing.service_id == service.id
    if kept and not ctx.options.get("on_kept_update", False):
        return
    where = field_at(item, "serviceId")
    yield Finding(
        f"{service.name} ({service.id}) is archived: the salon no longer offers it.",
        evidence={"serviceId": service.id, "service": service.name, "archived": True,
                  "location": where},
        fix="book a current service instead, or unarchive this one in Phorest and refresh "
        "the snapshot",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="error", options=OPTIONS, needs=frozenset({"service"}),
            silent_unless=frozenset({"archived"}), timeless=True)
