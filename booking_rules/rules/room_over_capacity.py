"""EXCEEDED_ROOM_CAPACITY: the room is already full for part of the time.

## What it checks
With a `roomId`: at some instant of the booking's span (processing gap included: the
client stays in the room), the room's occupancy is already at its `capacity`. Occupancy
counts the overlapping blocking appointments in that room (earlier schedules of the same
request included) and the room's breaks, which take the whole room. With no `roomId` and a
service that lists `roomIds`: fires when no listed room has spare capacity for the whole
span. Only appointments that name a room occupy it (a decision: an appointment without a
`roomId` is not counted in any room).

Decision (RULES.md §2, round 2): an earlier schedule of the same request without a
`roomId`, whose service lists rooms, takes one unit of the first listed room with spare
capacity over its span, as Phorest assigns one, so the later schedules find it taken.
`[options] assign_unnamed_resources = false` turns this off. Blocking appointments are as
for `STAFF_DOUBLE_BOOKED` (`ARCHIVED` and zero-length rows occupy nothing).

## Why the API refuses it
Phorest answers `EXCEEDED_ROOM_CAPACITY`: no more physical space in the treatment room.

## Example
The facial suite (capacity 2) holds two facials 12:00-13:00 local on 1 December.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_facial", "staffId": "stf_john", "startTime": "2026-12-01T17:30:00Z",
   "roomId": "room_b"}]}]}
```

At 13:00 local, when both end, there is room:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_facial", "staffId": "stf_john", "startTime": "2026-12-01T18:00:00Z",
   "roomId": "room_b"}]}]}
```

Four facials for four clients at 10:00 local on 3 December, none naming a room: the first
takes Treatment 1 (capacity 1), the next two the facial suite (capacity 2), so the fourth
finds no room left:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [
  {"clientId": "cli_new", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_lisa", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_bob", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_john", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_kim", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_ann", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_fay", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_raj", "startTime": "2026-12-03T15:00:00Z"}]}]}
```

With `assign_unnamed_resources = false` (set below for this example) an unnamed schedule
takes no room, and each finds one free:

```json passes
{"engineOptions": {"assign_unnamed_resources": false},
 "clientId": "cli_new", "clientAppointmentSchedules": [
  {"clientId": "cli_new", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_lisa", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_bob", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_john", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_kim", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_ann", "startTime": "2026-12-03T15:00:00Z"}]},
  {"clientId": "cli_fay", "serviceSchedules": [
   {"serviceId": "svc_facial", "staffId": "stf_raj", "startTime": "2026-12-03T15:00:00Z"}]}]}
```

## Fix
Choose another suitable room, or another time. Check the service's rooms with
`GET .../service` and the rooms with `GET .../room`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._capacity import usage


def occupancy(ctx: Context, room_id: str, start: datetime, end: datetime
              ) -> tuple[int, datetime | None, Callable[[], dict[str, Any]]]:
    """(peak occupancy in [start, end), when, evidence); a break counts as a full room.

    The evidence is built only when asked for: most checks find space and never need it."""
    room = ctx.snapshot.rooms.get(room_id)
    capacity = room.capacity if room else 1
    appts = ctx.room_appointments(room_id, start, end)
    breaks = list(ctx.snapshot.room_breaks(room_id, start, end))
    count, at = usage(appts, breaks, capacity, start, end)

    def evidence() -> dict[str, Any]:
        return {
            "roomId": room_id, "room": room.name if room else room_id, "capacity": capacity,
            "peakOccupancy": count, "peakAt": ctx.when(at) if at else None,
            "appointments": [ctx.describe(a) for a in appts],
            "breaks": [{"breakId": b.id, "label": b.label,
                        "time": ctx.when(b.start, b.end)} for b in breaks],
        }

    return count, at, evidence


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    start, end = item.span
    room_id = item.schedule.room_id
    if room_id:
        if room_id not in ctx.snapshot.rooms:
            return  # UNKNOWN_ID reports it
        capacity = ctx.snapshot.rooms[room_id].capacity
        count, at, evidence = occupancy(ctx, room_id, start, end)
        if count >= capacity:
            def build() -> tuple[str, dict[str, Any]]:
                shown = evidence()
                return (f"{shown['room']} (capacity {capacity}) already holds {count} at "
                        f"{ctx.when(at) if at else ctx.when(start)}; this booking needs it "
                        f"{ctx.when(start, end)}.", shown)
            yield Finding(build=build, fix="choose another suitable room or another time")
        return
    service_rooms = item.service.room_ids if item.service else ()
    listed = [r for r in service_rooms if r in ctx.snapshot.rooms]
    if not listed:
        return
    full = []
    for rid in listed:
        count, _, evidence = occupancy(ctx, rid, start, end)
        if count < ctx.snapshot.rooms[rid].capacity:
            return
        full.append(evidence)
    name = item.service.name if item.service else ""

    def build_any() -> tuple[str, dict[str, Any]]:
        tried = [evidence() for evidence in full]
        return (f"none of the rooms {name} can use has space for all of "
                f"{ctx.when(start, end)}: "
                + "; ".join(f"{e['room']} holds {e['peakOccupancy']} of {e['capacity']}"
                            for e in tried) + ".",
                {"rooms": tried, "requested": ctx.when(start, end)})
    yield Finding(build=build_any, fix="choose another time")


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, history=True,
            alternatives=frozenset({"same-staff-other-time", "same-time-other-staff",
                                    "other-room"}),
            needs=frozenset({"service", "time"}),
            silent_unless=frozenset({"room"}),
            lists=frozenset({"appointments", "breaks", "rooms"}),
            reads=frozenset({"appointments.room", "breaks.room"}))
