"""MACHINE_DOUBLE_BOOKED: every unit of the machine is already in use for part of the time.

## What it checks
With a `machineId`: at some instant of the booking's span, the blocking appointments using
that machine (earlier schedules of the same request included) already number its
`quantity` (default 1), or a break of the machine covers it (a break takes every unit).
With no `machineId` and a service that lists `machineIds`: by default (a decision,
`[rules.MACHINE_DOUBLE_BOOKED] without_machine_id = "any"`) the listed machines are
alternatives, as rooms are, and the rule fires when none has a free unit for the whole
span; set `without_machine_id = "all"` for salons whose services need every listed machine.

Decision (RULES.md §2, round 2): an earlier schedule of the same request without a
`machineId`, whose service lists machines, takes one unit of the first listed machine with
a free unit over its span, so the later schedules find it taken (`[options]
assign_unnamed_resources = false` turns this off). Blocking appointments are as for
`STAFF_DOUBLE_BOOKED`.

## Why the API refuses it
Phorest answers `MACHINE_DOUBLE_BOOKED`: there are no more machines available.

## Example
The diode laser (one unit) is in use 09:30-10:00 local on 1 December for Cara's session.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-01T14:45:00Z",
   "roomId": "room_c", "machineId": "mach_laser"}]}]}
```

Right after it, at 10:00, the laser is free:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-01T15:00:00Z",
   "roomId": "room_c", "machineId": "mach_laser"}]}]}
```

## Fix
Choose another time, or another suitable machine. Check machines and rooms are correct for
each service with `GET .../service`; machines with `GET .../machine`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._capacity import usage


def _usage(ctx: Context, machine_id: str, start: datetime, end: datetime
           ) -> tuple[int, int, Callable[[], dict[str, Any]]]:
    """(units in use at the peak, quantity, evidence built only when asked for)."""
    machine = ctx.snapshot.machines.get(machine_id)
    quantity = machine.quantity if machine else 1
    appts = ctx.machine_appointments(machine_id, start, end)
    breaks = list(ctx.snapshot.machine_breaks(machine_id, start, end))
    count, at = usage(appts, breaks, quantity, start, end)

    def evidence() -> dict[str, Any]:
        return {
            "machineId": machine_id, "machine": machine.name if machine else machine_id,
            "quantity": quantity, "peakInUse": count,
            "peakAt": ctx.when(at) if at else None,
            "appointments": [ctx.describe(a) for a in appts],
            "breaks": [{"breakId": b.id, "label": b.label,
                        "time": ctx.when(b.start, b.end)} for b in breaks],
        }

    return count, quantity, evidence


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    start, end = item.span
    machine_id = item.schedule.machine_id
    if machine_id:
        if machine_id not in ctx.snapshot.machines:
            return  # UNKNOWN_ID reports it
        count, quantity, evidence = _usage(ctx, machine_id, start, end)
        if count >= quantity:
            def build() -> tuple[str, dict[str, Any]]:
                ev = evidence()
                return (f"{ev['machine']} has {quantity} unit(s) and {count} already in use "
                        f"at {ev['peakAt']}; this booking needs one {ctx.when(start, end)}.",
                        ev)
            yield Finding(build=build, fix="choose another time or another suitable machine")
        return
    listed = [mid for mid in (item.service.machine_ids if item.service else ())
              if mid in ctx.snapshot.machines]
    if not listed:
        return
    usage = [_usage(ctx, mid, start, end) for mid in listed]
    taken = [evidence for count, quantity, evidence in usage if count >= quantity]
    need_all = ctx.options.get("without_machine_id", "any") == "all"
    if (need_all and taken) or (not need_all and len(taken) == len(usage)):
        def build() -> tuple[str, dict[str, Any]]:
            full = [evidence() for evidence in taken]
            return (("a machine this service needs is fully in use: " if need_all else
                     "no machine this service can use is free: ")
                    + "; ".join(f"{ev['machine']} {ev['peakInUse']} of {ev['quantity']} in use"
                                for ev in full) + f" during {ctx.when(start, end)}.",
                    {"machines": full, "requested": ctx.when(start, end),
                     "mode": "all" if need_all else "any"})
        yield Finding(build=build, fix="choose another time")


RULE = Rule(
    alternatives=frozenset({"same-staff-other-time", "same-time-other-staff", "other-machine"}),
    check=check, doc=__doc__ or "", module=__name__, history=True,
    needs=frozenset({"service", "time"}),
    silent_unless=frozenset({"machine"}),
    options={"without_machine_id": Option(
        "any", "With no machineId: \"any\" (a listed machine must be free) or \"all\" "
        "(every listed machine must be free).")},
            lists=frozenset({"appointments", "breaks", "machines"}),
            reads=frozenset({"appointments.machine", "breaks.machine"}))
