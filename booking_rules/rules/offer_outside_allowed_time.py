"""SPECIAL_OFFER_NOT_ALLOWED_TIME: the booking starts outside the special offer's allowed times.

## What it checks
When the special offer a schedule uses lists `allowedTimes`, the booking's start must lie
in one of them: the local weekday (branch time zone) is among the window's `days`, and
`startTime <= local start < endTime`, start inclusive, end exclusive (a window 09:00-12:00
takes 11:59 but not 12:00). Only the start is compared, as wall clock, so a booking that
starts at 11:45 and runs past 12:00 is valid, and the weekday is the local weekday, never
the UTC one. An offer without `allowedTimes` is valid at any time. A schedule without an
offer is not checked here; one whose offer link names no offer the snapshot holds, while
it holds offers, is answered UNKNOWN (RULES.md §4).

Decision (RULES.md §1, round 2): a window whose `endTime` is before its `startTime` runs
past midnight into the next day, as every wall-clock interval does, so
`FRIDAY 22:00-02:00` also takes Saturday 01:00; a window whose `endTime` equals its
`startTime` (`00:00-00:00`) is empty and takes no time at all (it used to mean the whole
day). Write `00:00-23:59:59` for a whole day.

Phorest models a special offer as a service group: the offer link of a booking schedule is
read from `specialOfferId` or `branchServiceGroupId` (RULES.md §4).

## Why the API refuses it
Phorest answers `SPECIAL_OFFER_NOT_ALLOWED_TIME` when the offer is used outside its allowed
days and hours. The offer's shape is not published by Phorest; `allowedTimes[{days,
startTime, endTime}]` is the shape this library assumes (RULES.md §4).

## Example
The morning offer `so_morning` is valid Monday to Friday, 09:00-12:00 Toronto time. A
Wednesday booking at 12:00 local (17:00Z) is at the window's end, which is excluded:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T17:00:00Z",
   "specialOfferId": "so_morning"}]}]}
```

11:45 local (16:45Z) is inside the window, even though the cut ends at 12:30:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T16:45:00Z",
   "specialOfferId": "so_morning"}]}]}
```

The same offer named as Phorest's service group (`branchServiceGroupId`) is the same
offer, refused the same way:

```json fails
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_john", "startTime": "2026-12-02T17:00:00Z",
   "branchServiceGroupId": "so_morning"}]}]}
```

## Fix
Start the booking inside one of the offer's windows (local time of the branch), or book
without the special offer. `GET .../service-special-offer` shows the allowed times.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._time import to_local
from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._offer_common import format_window, offer_evidence, offer_label, offer_of, window_matches


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    offer = offer_of(item, ctx)
    if offer is None or not offer.allowed_times:
        return
    wall = to_local(item.start, ctx.zone)
    if any(window_matches(w, wall) for w in offer.allowed_times):
        return
    windows = "; ".join(format_window(w) for w in offer.allowed_times)
    yield Finding(
        f"The {offer_label(offer)} may only be booked {windows} (branch local time); this "
        f"{ctx.service_name(item.schedule.service_id)} starts on a {wall:%A}, "
        f"{ctx.when(item.start)}.",
        evidence={**offer_evidence(offer), "requested": ctx.when(item.start),
                  "localWeekday": f"{wall:%A}", "localStart": f"{wall:%H:%M:%S}"},
        fix="start inside one of the offer's allowed windows (branch local time), or book "
        "without the special offer",
    )


RULE = Rule(check=check, doc=__doc__ or "",
            alternatives=frozenset({"same-staff-other-time", "without-special-offer"}),
            module=__name__, needs=frozenset(), silent_unless=frozenset({"offer"}),
            lists=frozenset({"offers"}))
