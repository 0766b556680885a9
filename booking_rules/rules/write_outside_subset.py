"""VISH_READ_ONLY: the write is not part of the platform subset in use (VISH).

## What it checks
Reported while the body is read, in VISH mode only (`--platform vish`): every
appointment write. VISH is PatientNow Essentials' read-mostly subset; its appointments are
read-only and it has no `ShowAvailable`. The rest of the appointment is still checked, so
the report also says what PNE itself would make of it. Orders are part of VISH and are
checked as usual.

## Why the API refuses it
PNE's recipes: "On VISH, appointments is read-only and there's no ShowAvailable search,
so this booking flow is PNE-only". A `POST /appointments` through a VISH key is refused
before anything is booked; stopping it here saves one of the day's requests.

## Example
Under VISH (this example sets the mode, as `--platform vish` does):

```json fails
{"vish": true, "body": {"CompanyId": "co_lakeside", "CustomerId": "cus_ravi",
 "EmployeeId": "emp_lev", "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00",
 "Init": 15, "Delay": 0, "Complete": 0}}
```

The same appointment under PatientNow Essentials:

```json passes
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00", "Init": 15, "Delay": 0,
 "Complete": 0}
```

## Fix
Book through PatientNow Essentials (a PNE API key), or in the VISH calendar itself. VISH
can still read services, employees and appointments, and write orders.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset(), notice=True)
