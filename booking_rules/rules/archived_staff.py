"""ARCHIVED_STAFF: the staff member is archived: they no longer work at the salon.

## What it checks
The schedule's staff member is in the snapshot with `archived: true`.

Decision where Phorest is silent: an `updateAppointment` that keeps the staff member of
the appointment it moves is not reported, because moving it books nobody new (the salon
still has to reassign it). Rule option `on_kept_update = true` reports it too.

## Why the API refuses it
Phorest's staff list hides archived staff unless `fetch_archived=true`, and integrations
filter them out before booking, but Phorest documents no code for booking one: expect a
400 without one of the nineteen codes, or an appointment in the column of someone who
will not come to work.

## Example
Olga has left the salon:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_olga", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

Lisa still works there:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Book a current staff member (`GET .../branch/{branchId}/staff` without `fetch_archived`
lists them); `booking-rules slots` finds one who is free.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._body import field_at

OPTIONS = {
    "on_kept_update": Option(False, "Also report an update that keeps the archived staff "
                             "member of the appointment it moves."),
}


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    staff = item.staff
    if staff is None or not staff.archived:
        return
    existing = item.existing
    kept = existing is not None and existing.staff_id == staff.id
    if kept and not ctx.options.get("on_kept_update", False):
        return
    where = field_at(item, "staffId")
    yield Finding(
        f"{staff.name} ({staff.id}) is archived: they no longer work at the salon.",
        evidence={"staffId": staff.id, "staff": staff.name, "archived": True,
                  "location": where},
        fix="book a current staff member instead (`booking-rules slots` lists who is free)",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-time-other-staff"}),
            severity="error", options=OPTIONS, needs=frozenset({"staff"}),
            silent_unless=frozenset({"archived"}), timeless=True)
