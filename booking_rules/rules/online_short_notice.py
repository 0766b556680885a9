"""ONLINE_SHORT_NOTICE: an online booking starts sooner than the online notice period allows.

## What it checks
Online bookings only (`online`, or the `phorest-online` ruleset): every schedule starts at
least `minutes` (rule option, default 60) after `now`, the instant of the check (always
an input, never read from the clock). A start exactly `minutes` after `now` passes. The
comparison is between instants, so it is the same in every time zone and across DST
changes.

Decision where Phorest is silent: Phorest's online booking settings have a short-notice
period per salon, but the third-party API does not publish it, so the default is one
hour. Set it per salon in a ruleset: `[rules.ONLINE_SHORT_NOTICE] minutes = 120`
(`minutes = 0` turns it off).

## Why the API refuses it
Phorest's online booking hides times inside the salon's notice period, so a widget that
offers them books what the salon's own booking page never would: a client who arrives
before the salon could prepare. The third-party API may accept the booking anyway; this
check keeps an online integration to the salon's policy.

## Example
The check runs at 2026-11-01 12:00Z. Thirty minutes later is too soon online:

```json fails online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-11-01T12:30:00Z"}]}]}
```

Weeks ahead is fine:

```json passes online
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Offer a later time: `booking-rules slots --online` lists only times outside the notice
period. If the salon accepts shorter notice, lower `minutes` in the ruleset.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ..core.context import Context, Item
from ..core.rule import Finding, Option, Rule
from ._body import field_at


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    minutes = int(ctx.options.get("minutes", 60))
    earliest = ctx.now + timedelta(minutes=minutes)
    if item.start >= earliest:
        return
    where = field_at(item, "startTime")
    ahead = int((item.start - ctx.now).total_seconds() // 60)
    yield Finding(
        f"An online booking must start at least {minutes} min after the check at "
        f"{ctx.when(ctx.now)}; this one starts {ctx.when(item.start)}"
        + (f", {ahead} min ahead." if ahead >= 0 else ", before the check."),
        evidence={"startTime": ctx.when(item.start), "now": ctx.when(ctx.now),
                  "minutesAhead": ahead, "noticeMinutes": minutes,
                  "earliestStart": ctx.when(earliest), "location": where},
        fix=f"offer a time from {ctx.when(earliest)} on (`booking-rules slots --online`)",
        location=where,
    )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            alternatives=frozenset({"same-staff-other-time"}),
            online_only=True, needs=frozenset(),
            options={"minutes": Option(60, "The shortest notice, in minutes after now, an "
                                           "online booking may start at (0: off).")})
