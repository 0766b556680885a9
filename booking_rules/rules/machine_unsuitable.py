"""MACHINE_UNSUITABLE: the machine given is not one this service can use.

## What it checks
The schedule names a `machineId` and the service lists suitable `machineIds` that do not
include it. A service that lists no machines accepts any machine (a decision: there is
nothing to compare against).

## Why the API refuses it
Phorest answers `MACHINE_UNSUITABLE` (listed without a description; read by analogy with
`ROOM_UNSUITABLE`).

## Example
Laser hair removal uses the diode laser, not the IPL.

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-02T15:00:00Z",
   "roomId": "room_c", "machineId": "mach_ipl"}]}]}
```

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_laser", "staffId": "stf_ann", "startTime": "2026-12-02T15:00:00Z",
   "roomId": "room_c", "machineId": "mach_laser"}]}]}
```

## Fix
Use one of the service's machines (listed in the evidence), or leave `machineId` out.
Check machines and rooms are correct for each service with `GET .../service`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    service, machine_id = item.service, item.schedule.machine_id
    assert service is not None
    if machine_id and service.machine_ids and machine_id not in service.machine_ids:
        machine = ctx.snapshot.machines.get(machine_id)
        names = [ctx.snapshot.machines[x].name if x in ctx.snapshot.machines else x
                 for x in service.machine_ids]
        yield Finding(
            f"{machine.name if machine else machine_id} is not a machine {service.name} can "
            f"use; it can use {', '.join(names)}.",
            evidence={"machineId": machine_id, "serviceId": service.id,
                      "suitableMachineIds": list(service.machine_ids)},
            fix=f"use one of {', '.join(service.machine_ids)}")


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset({"service"}),
            alternatives=frozenset({"other-machine"}),
            silent_unless=frozenset({"machine"}),
            timeless=True)
