"""ROOM_UNSUITABLE: the room given is not one this service can use.

## What it checks
The schedule names a `roomId` and the service lists suitable `roomIds` that do not include
it. A service that lists no rooms accepts any room (a decision: there is nothing to
compare against).

## Why the API refuses it
Phorest answers `ROOM_UNSUITABLE`: the room is not suitable for the type of treatment.

## Example
Laser hair removal can use Treatment 1 or Treatment 2, not the facial suite.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-02T15:00:00Z",
   "roomId": "room_b"}]}]}
```

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-02T15:00:00Z",
   "roomId": "room_c"}]}]}
```

## Fix
Use one of the service's rooms (listed in the evidence), or leave `roomId` out. Check
machines and rooms are correct for each service with `GET .../service`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service, room_id = item.service, item.schedule.room_id
    assert service is not None
    if room_id and service.room_ids and room_id not in service.room_ids:
        names = [ctx.snapshot.rooms[r].name if r in ctx.snapshot.rooms else r
                 for r in service.room_ids]
        room = ctx.snapshot.rooms.get(room_id)
        yield Finding(
            f"{room.name if room else room_id} is not a room {service.name} can use; it can "
            f"use {', '.join(names)}.",
            evidence={"roomId": room_id, "serviceId": service.id,
                      "suitableRoomIds": list(service.room_ids)},
            fix=f"use one of {', '.join(service.room_ids)}",
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset({"service"}),
            alternatives=frozenset({"other-room"}),
            silent_unless=frozenset({"room"}),
            timeless=True)
