"""UNKNOWN_ID: the request names an id the snapshot does not hold.

## What it checks
Every id a schedule names must be one the snapshot holds: its `serviceId`, `staffId`,
`roomId`, `machineId`, `specialOfferId` and `clientCourseItemId`; and an
`updateAppointment` body's `appointmentId` must be an appointment of the snapshot. Each
unknown id is its own finding, naming the id, its kind, where it stands in the body
(`clientAppointmentSchedules[0].serviceSchedules[0].staffId`) and, when one looks like a
typo of it, the closest id the snapshot does hold. The rule runs even when the service or
staff member is unknown: it is why the rules that need them stay silent.

Decisions where Phorest is silent:
- Rooms, machines, special offers and client courses are optional in a snapshot (their
  shapes are assumed, RULES.md §4). When the snapshot holds none of a kind at all, an id
  of that kind is answered UNKNOWN (cannot be decided), not an error.
- An update inherits its special offer and course item, and any `serviceId`, `roomId` or
  `machineId` its body leaves out, from the appointment it moves. Such an inherited id
  missing from the snapshot is answered UNKNOWN as well: the body did not name it.
- The client is checked by `UNKNOWN_CLIENT`, a warning, because client caches are partial.
- A list the snapshot does not hold at all (its key absent, not empty) answers UNKNOWN,
  naming the list; so does an id whose row the snapshot could not read (RULES.md §6).
- A `branchServiceGroupId` that names no special offer is not an unknown id: Phorest
  models an offer as a service group, but a group may be no offer; the offer rules answer
  UNKNOWN for it instead (RULES.md §4).

## Why the API refuses it
Unknown ids are not business-rule refusals, so none of Phorest's codes names them: an
unknown `appointmentId` in the path of `PUT .../appointment/{appointmentId}` is a 404, and
an unknown id inside a booking body is a 400 ("Booking data is invalid, unable to create a
booking") that does not say which id was wrong. When the id is real but missing from the
snapshot, the snapshot is stale, and every other check of that schedule ran without it.

## Example
A typo in the staff id:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lsa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

With Lisa's real id:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

Moving an appointment the snapshot does not hold:

```json fails
{"kind": "updateAppointment", "body": {"appointmentId": "ap_nobody", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "16:00:00", "staffId": "stf_lisa",
  "serviceId": "svc_cut"}}
```

## Fix
Use the id exactly as Phorest returns it (`GET .../service`, `.../staff`, `.../room`,
`.../machine`, `.../service-special-offer`, `/clientcourse?client_id=`, `.../appointment`).
If the id is new, refresh the snapshot: it was fetched before the id existed.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Rule, Unknown
from ._body import body_sent, field_at

# field: what it names, the snapshot list it comes from, the endpoint that lists them
_ABOUT: dict[str, tuple[str, str, str]] = {
    "appointmentId": ("appointment", "appointments", "GET .../branch/{branchId}/appointment"),
    "serviceId": ("service", "services", "GET .../branch/{branchId}/service"),
    "staffId": ("staff member", "staff", "GET .../branch/{branchId}/staff"),
    "roomId": ("room", "rooms", "GET .../branch/{branchId}/room"),
    "machineId": ("machine", "machines", "GET .../branch/{branchId}/machine"),
    "specialOfferId": ("special offer", "specialOffers",
                       "GET .../branch/{branchId}/service-special-offer"),
    "clientCourseItemId": ("client course item", "clientCourses",
                           "GET /business/{businessId}/clientcourse?client_id="),
}
_OPTIONAL = frozenset({"roomId", "machineId", "specialOfferId", "clientCourseItemId"})


def check(item: Item, ctx: Context) -> Iterator[Finding | Unknown]:
    snap = ctx.snapshot
    req = ctx.request
    if req.kind == "update" and item.existing is None:
        if "appointments" in snap.absent:
            yield _absent(snap, "appointments", "appointment", req.appointment_id or "",
                          "appointmentId")
        else:
            yield _finding("appointmentId", req.appointment_id or "", "appointmentId",
                           snap.appointments)
    s = item.schedule
    ids: tuple[tuple[str, str | None, Collection[str]], ...] = (
        ("serviceId", s.service_id, snap.services), ("staffId", s.staff_id, snap.staff),
        ("roomId", s.room_id, snap.rooms), ("machineId", s.machine_id, snap.machines),
        # A service group that is no offer is not an unknown id: the offer rules answer
        # UNKNOWN for it (RULES.md §4).
        ("specialOfferId", None if s.offer_group else s.offer_id, snap.offers),
        ("clientCourseItemId", s.course_item_id, snap.course_items),
    )
    for name, value, known in ids:
        if value is None or value in known:
            continue
        kind, key, _ = _ABOUT[name]
        where = field_at(item, name)
        evidence: dict[str, Any] = {"field": name, "kind": kind, "id": value,
                                    "location": where}
        canonical = _CANONICAL[name]
        unread = snap.unreadable.get(canonical, {}).get(value)
        if canonical in snap.absent:
            yield _absent(snap, canonical, kind, value, where)
        elif unread is not None:
            yield Unknown(
                f"The snapshot's row for {kind} {value!r} ({unread}) could not be read, so "
                f"{where} cannot be checked.", {**evidence, "unreadableRow": unread})
        elif not body_sent(ctx, name):
            yield Unknown(
                f"Appointment {req.appointment_id} uses {kind} {value!r}, which the "
                f"snapshot does not hold; rules that need that {kind} cannot decide.",
                evidence)
        elif name in _OPTIONAL and not known:
            yield Unknown(
                f"The snapshot holds no {key} at all, so {kind} {value!r} at {where} "
                "cannot be checked.", evidence)
        else:
            yield _finding(name, value, where, known)


# The canonical snapshot list each field's id comes from (RULES.md §6: absent is not empty).
_CANONICAL = {"appointmentId": "appointments", "serviceId": "services", "staffId": "staff",
              "roomId": "rooms", "machineId": "machines", "specialOfferId": "offers",
              "clientCourseItemId": "course_items"}


def _absent(snap: Any, canonical: str, kind: str, value: str, where: str) -> Unknown:
    name = snap.list_names.get(canonical, canonical)
    return Unknown(
        f"The snapshot does not hold {name} (the key is absent: not loaded, which is not "
        f"the same as empty), so {kind} {value!r} at {where} cannot be checked.",
        {"field": where, "kind": kind, "id": value, "missing": [name]})


_SUGGEST_LIMIT = 2000


def _finding(name: str, value: str, where: str, known: Collection[str]) -> Finding:
    kind, key, endpoint = _ABOUT[name]
    # A fuzzy match over a chain's whole appointment history costs seconds, and ids among
    # that many are copied, not typed: suggest only from lists a person could mistype.
    pool = list(known) if len(known) <= _SUGGEST_LIMIT else []
    close = difflib.get_close_matches(value, pool, n=1, cutoff=0.85)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return Finding(
        f"{kind[0].upper()}{kind[1:]} {value!r} at {where} is not in the snapshot{hint}; "
        "Phorest would refuse it, or the snapshot is older than the id.",
        evidence={"field": name, "kind": kind, "id": value, "location": where,
                  "didYouMean": close[0] if close else None, "snapshotList": key},
        fix=f"use the id exactly as `{endpoint}` returns it, or refresh the snapshot if "
        f"the {kind} is new",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"other-room", "other-machine", "without-special-offer"}),
            severity="error", needs=frozenset(), may_be_unknown=True, timeless=True)
