"""CUSTOMER_SHAPE_IN_APPOINTMENT: the appointment body is a customer record, not an appointment.

## What it checks
Reported while the body is read: a `POST /appointments` body that carries customer fields
(`FirstName`, `LastName`, `Email`, `MobilePhone`, ...) and no `ServiceId`. That is the
Customer model pasted where the Appointment model belongs, the mistake PNE's own recipes
warn about ("some older examples paste the customer field list here by mistake"). Nothing
else of such a body can be checked: it names no employee, service or start.

A body that has a `ServiceId` and also a few customer fields is an appointment with
fields PNE does not read: `UNKNOWN_FIELD` reports those.

## Why the API refuses it
PNE documents the appointment body as `CompanyId, CustomerId, EmployeeId, ServiceId,
StartDate, Init, Delay, Complete, Notes, BookedOnline`. What it does with a customer
record sent here is not documented: a validation error at best; at worst (there is no
sandbox, writes go to live records) an appointment with no service or time.

## Example
The customer shape, as an old example has it:

```json fails
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "FirstName": "Ravi",
 "LastName": "Shah", "Email": "ravi@example.com", "MobilePhone": "555-0100"}
```

The appointment shape (the fix this code prints, with the ids filled in):

```json passes
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00", "Init": 15, "Delay": 0,
 "Complete": 0, "Notes": "Booked via API", "BookedOnline": true}
```

## Fix
Send the Appointment model. The violation's fix prints it with the body's own
`CompanyId` and `CustomerId`: `{"CompanyId", "CustomerId", "EmployeeId", "ServiceId",
"StartDate": "2025-09-11T13:15:00", "Init", "Delay", "Complete", "Notes",
"BookedOnline"}`, with `Init`/`Delay`/`Complete` from the service's
`InitialMinutes`/`ProcessMinutes`/`CompleteMinutes` (`GET /services`). The customer is
named by `CustomerId` only: create or change the customer with the customer endpoints.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, needs=frozenset(), notice=True)
