"""START_DATE_INVALID: the appointment's StartDate is not a date with a time of day.

## What it checks
Reported while the body is read: `StartDate` is missing, not a string, a date without a
time (`"2025-09-11"`), or not a date-time at all (`"09/11/2025 1:15 PM"`,
`"next Thursday"`). The appointment then has no start, so nothing that needs its time
(the employee's schedule and other appointments, the customer's) is checked; the ids and
minutes still are.

## Why the API refuses it
PNE's appointment body takes `StartDate` as `"2025-09-11T13:15:00"`: a date and a time of
day, no offset. A value it cannot read is refused with a validation message, or, worse,
read some other way (a date alone as midnight) into a live appointment.

## Example
A date alone:

```json fails
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11", "Init": 15, "Delay": 0,
 "Complete": 0}
```

The date with its time, as PNE's examples write it:

```json passes
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00", "Init": 15, "Delay": 0,
 "Complete": 0}
```

## Fix
Send the location's wall clock as `YYYY-MM-DDTHH:MM:SS`. A slot from `ShowAvailable`
(`"AvailableSlot": "2025-09-11 13:15:00"`) becomes `"2025-09-11T13:15:00"`
(`booking-rules slots --platform pne --format pne` lists them).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset(), notice=True)
