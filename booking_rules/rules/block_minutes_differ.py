"""MINUTES_DIFFER_FROM_SERVICE: Init, Delay or Complete differs from the service's minutes.

## What it checks
The body's `Init`, `Delay` and `Complete` against the service's `InitialMinutes`,
`ProcessMinutes` and `CompleteMinutes`. Each that differs is named with both values. The
appointment is checked as the body states it (the employee held during `Init` and
`Complete`, free during `Delay`; the customer for the whole span), not as the service
would have it.

Decision where PNE is silent: a warning, not an error. A location may mean it (a longer
first visit, a shorter touch-up); but a mismatch more often comes from a hard-coded
`Init` or a service whose minutes changed since the code was written.

## Why the API refuses it
It does not: PNE books the minutes the body gives. That is the point of the warning:
the calendar then holds the employee for a time the service does not say.

## Example
The chemical peel is 20 + 15 + 10 minutes; this body books 30 + 0 + 0:

```json fails
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_maya",
 "ServiceId": "svc_peel", "StartDate": "2025-09-11T11:00:00", "Init": 30, "Delay": 0,
 "Complete": 0}
```

With the service's minutes:

```json passes
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_maya",
 "ServiceId": "svc_peel", "StartDate": "2025-09-11T11:00:00", "Init": 20, "Delay": 15,
 "Complete": 10}
```

## Fix
Copy the service's minutes (`GET /services`: `InitialMinutes` -> `Init`, `ProcessMinutes`
-> `Delay`, `CompleteMinutes` -> `Complete`), or keep the difference if the location
means it (a ruleset can drop this warning: `ignore = ["MINUTES_DIFFER_FROM_SERVICE"]`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule

_NAMES = (("Init", "InitialMinutes"), ("Delay", "ProcessMinutes"),
          ("Complete", "CompleteMinutes"))


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    stated = item.schedule.minutes
    service = item.service
    if stated is None or service is None or stated[0] <= 0:
        return
    own = (service.duration_for(item.staff), service.gap_time,
           service.finish_for(item.staff))
    differ = [(name, theirs, sent, mine) for (name, theirs), sent, mine
              in zip(_NAMES, stated, own, strict=True) if sent != mine]
    if not differ:
        return
    said = ", ".join(f"{name} {sent} (the service's {theirs} is {mine})"
                     for name, theirs, sent, mine in differ)
    yield Finding(
        f"{service.name} is {own[0]} + {own[1]} + {own[2]} minutes, but this appointment "
        f"states {said}; it is checked as stated.",
        evidence={"serviceId": service.id, "stated": list(stated), "service": list(own),
                  "differ": [name for name, *_ in differ]},
        fix=f"send Init {own[0]}, Delay {own[1]}, Complete {own[2]} (the service's "
        "minutes), or keep the difference if the location means it",
        location=differ[0][0])


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            needs=frozenset({"service"}), timeless=True)
