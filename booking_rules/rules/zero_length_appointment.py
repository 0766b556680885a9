"""ZERO_LENGTH_APPOINTMENT: appointments of the snapshot end when they start.

## What it checks
Reported while the snapshot is read: an appointment row whose `endTime` equals its
`startTime` (or whose start, moved forward over a spring-forward gap, lands on its end) is
zero-length. It occupies no time: it overlaps nothing, not even an appointment around it,
so it never makes a staff member, client, room or machine busy. It is still an appointment
on its local date, so it counts for `SERVICE_ALREADY_BOOKED_THIS_DAY`,
`INTERNET_BOOKING_ALREADY_BOOKED`, the special offer's day limit and course sessions. One
notice counts them all, naming the first.

Decision (RULES.md §1): the engine used to read an end equal to its start as 24 hours,
which blocked the rest of the day and the next morning. Live tenants return zero-minute
rows (add-ons, patch tests), so it is zero-length now. An end before its start still runs
past midnight.

## Why the API refuses it
Phorest refuses nothing here: this notice says how such rows were read, since a 24-hour
reading and a zero-length one give different answers.

## Example
Snapshot notices show with any request. A zero-minute patch test of Lisa's at 11:00 local
(16:00Z) on 1 December does not stop a cut at 11:00:

```json fails
{"addToSalon": {"appointments": [{"appointmentId": "ap_patch", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "11:00:00", "endTime": "11:00:00",
  "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_toner",
  "activationState": "ACTIVE"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

A patch test of 15 minutes is an ordinary appointment:

```json passes
{"addToSalon": {"appointments": [{"appointmentId": "ap_patch", "version": 1,
  "appointmentDate": "2026-12-01", "startTime": "11:00:00", "endTime": "11:15:00",
  "clientId": "cli_gus", "staffId": "stf_lisa", "serviceId": "svc_toner",
  "activationState": "ACTIVE"}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-03T16:00:00Z"}]}]}}
```

## Fix
Nothing to fix when the rows are meant to take no time. If they are meant to last (a sync
that wrote the start time twice), correct the `endTime` in the source and fetch again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
