"""STALE_VERSION: the update's `version` is not the appointment's version in the snapshot.

## What it checks
An `updateAppointment` body carries the `version` it was built from (Phorest's optimistic
lock). It must equal the `version` of that appointment in the snapshot.

Decisions where Phorest is silent:
- Any difference is an error, in both directions: a lower version means the body was built
  from an old read; a higher one means the snapshot itself is stale, so every other check
  of this update ran against an old picture of the appointment.
- An appointment the snapshot holds without a `version` cannot be decided: the answer is
  UNKNOWN.

## Why the API refuses it
`version` is an optimistic lock: Phorest refuses an update whose version is not the
current one (the status code is not documented; integrations read the appointment again
first), so someone else's change is never overwritten.

## Example
Mary's cut is at version 1 in the snapshot:

```json fails
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 0,
  "appointmentDate": "2026-12-01", "startTime": "16:00:00", "endTime": "16:45:00",
  "staffId": "stf_lisa", "serviceId": "svc_cut"}}
```

```json passes
{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "16:00:00", "endTime": "16:45:00",
  "staffId": "stf_lisa", "serviceId": "svc_cut"}}
```

## Fix
Read the appointment again (`GET .../appointment/{appointmentId}`, or the list with
`updated_from`), rebuild the update from it with its current `version`, and refresh the
snapshot so the other checks see the same appointment.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule, Unknown


def check(item: Item, ctx: Context) -> Iterator[Finding | Unknown]:
    req = ctx.request
    existing = item.existing
    if req.kind != "update" or existing is None:
        return
    if existing.version is None:
        yield Unknown(f"The snapshot holds appointment {existing.id} without a version, so "
                      "whether the update's version is current cannot be decided.",
                      {"appointmentId": existing.id, "requestVersion": req.version})
        return
    if req.version == existing.version:
        return
    if req.version is not None and req.version < existing.version:
        why = ("the body was built from an older read of the appointment (and the snapshot "
               "may be stale too, if the appointment changed since it was fetched)")
    else:
        why = ("the snapshot is stale: it is older than the read the body was built from, "
               "so the other checks of this update may have seen an old appointment")
    yield Finding(
        f"The update sends version {req.version} of {ctx.name_of(existing)}, but the "
        f"snapshot holds version {existing.version}: {why}. Phorest compares with its "
        "current version.",
        evidence={"appointmentId": existing.id, "requestVersion": req.version,
                  "snapshotVersion": existing.version},
        fix="read the appointment again, rebuild the update with its current version, and "
        "refresh the snapshot",
        location="version",
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="error", needs=frozenset(), may_be_unknown=True,
            silent_unless=frozenset({"update"}), timeless=True,
            lists=frozenset({"appointments"}))
