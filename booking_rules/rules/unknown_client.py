"""UNKNOWN_CLIENT: the booking is for a client the snapshot's client list does not hold.

## What it checks
When the snapshot holds a non-empty `clients` list, every client a request books for (the
body's `clientId`, each `clientAppointmentSchedules[].clientId`, an update's `clientId`)
should be in it. Each unknown client is reported once, at the first place the request
names it. A snapshot without clients checks nothing.

Decisions where Phorest is silent:
- A warning, not an error: a client cache is usually partial (clients are business-level
  and many), so a missing client more often means an old cache than a wrong id. A ruleset
  makes it an error with `[severity] UNKNOWN_CLIENT = "error"` (`strict` does).
- An update's client inherited from the appointment it moves is not checked: the body did
  not name it.

## Why the API refuses it
Phorest needs `clientId` to be an existing client of the business: an unknown one is a 400
("Booking data is invalid") with no code naming the client, not one of the nineteen codes.

## Example
A client id that is not in the salon's client list:

```json fails
{"clientId": "cli_nobody", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

A known client:

```json passes
{"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
  {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}
```

## Fix
Create the client first (`POST /business/{businessId}/client`) and book with the id it
returns, or look the client up (`GET /business/{businessId}/client`) and refresh the
snapshot's client list.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule
from ._body import body_sent


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    known = ctx.snapshot.clients
    req = ctx.request
    s = item.schedule
    if not known:
        return
    named: list[tuple[str | None, str]] = []  # (client id, where the body names it)
    if req.kind == "update":
        if body_sent(ctx, "clientId"):
            named.append((s.client_id, "clientId"))
    else:
        named += [(req.client_id, "clientId"), (s.client_id, _where_client(item, ctx))]
    # Reported once, where the request first names the client.
    done = {req.client_id, *(p.client_id for p in req.schedules[:s.index])} if s.index else (
        set())
    for cid, where in named:
        if not cid or cid in known or cid in done:
            continue
        done.add(cid)
        yield Finding(
            f"Client {cid!r} at {where} is not in the snapshot's client list "
            f"({len(known)} clients); the client may be new to the cache, or the id wrong.",
            evidence={"clientId": cid, "location": where, "clientsInSnapshot": len(known)},
            fix="book with the id of an existing client (`GET /business/{businessId}/client`)"
            ", or create the client first; then refresh the snapshot",
            location=where,
        )


def _where_client(item: Item, ctx: Context) -> str:
    """The body path that gives a createBooking schedule its client: the body's own
    `clientId`, or its client group's (or flat schedule's) when that names another."""
    loc = item.location
    if item.schedule.client_id == ctx.request.client_id:
        return "clientId"
    if loc.startswith("schedules["):
        return f"{loc}.clientId"
    return f"{loc.partition('.')[0]}.clientId"


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), timeless=True)
