"""START_DATE_FORMAT: the StartDate is readable, but not in the form PNE's examples use.

## What it checks
Reported while the body is read: a `StartDate` that is a date-time but not written
`YYYY-MM-DDTHH:MM:SS` without an offset. It is read, and the message says as what:

- with an offset (`"2025-09-11T18:15:00Z"`, `"...+02:00"`): converted to the location's
  wall clock (`Company.TimeZone`);
- with a space for the `T` (`"2025-09-11 13:15:00"`, ShowAvailable's `AvailableSlot`
  form), or without seconds: read as the location's wall clock, as written.

Decision where PNE is silent: PNE documents no zone for `StartDate` and never sends an
offset in its examples, so a `StartDate` without one is the location's wall clock; that
is the reading of every PNE time in this tool (docs/pne.md). A time with an offset is an
instant, converted. A warning, not an error: the reading is sound, but what PNE does with
such a value is not documented (it may drop the offset and book 18:15 local).

## Why the API refuses it
Not documented. PNE may refuse the value, read it another way, or drop the offset; each
books a live appointment at a time nobody asked for.

## Example
A UTC instant (13:15 in Chicago is 18:15Z in September):

```json fails
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11T18:15:00Z", "Init": 15, "Delay": 0,
 "Complete": 0}
```

The same time as the location's wall clock:

```json passes
{"CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
 "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00", "Init": 15, "Delay": 0,
 "Complete": 0}
```

## Fix
Send the wall clock the message gives (`"2025-09-11T13:15:00"`): the location's local
time, with `T`, seconds, and no offset.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            needs=frozenset(), notice=True)
