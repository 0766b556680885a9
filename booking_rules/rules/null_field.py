"""NULL_FIELD: a snapshot or request field is null where it has a default; the default was used.

## What it checks
Reported while the input is read, once per field and place (`staff[].archived`): a
`null` where the field has a default (`deleted`, `staffRequest`, `archived`,
`disqualifiedServices`, `activationState`, `capacity`, ...) is read as that default, and
this notice says so with the first JSON path and how many rows had it. A `null` list key of
the snapshot (`"breaks": null`) is read as not loaded (absent), which makes the rules that
need it UNKNOWN.

Decision (RULES.md §6): one odd row does not sink the branch. Public Phorest clients type
several flags as optional and send `null`; failing the whole snapshot on one such row
stopped every check of the branch.

## Why the API refuses it
Phorest refuses nothing here: this notice says which values were assumed, since a `null`
`deleted` read as `false` makes the row block.

## Example
A staff row with `"archived": null`:

```json fails
{"addToSalon": {"staff": [{"staffId": "stf_temp", "userId": "usr_temp",
  "firstName": "Tess", "archived": null}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

The same row with `"archived": false`:

```json passes
{"addToSalon": {"staff": [{"staffId": "stf_temp", "userId": "usr_temp",
  "firstName": "Tess", "archived": false}]},
 "kind": "createBooking", "body": {"clientId": "cli_new", "clientAppointmentSchedules": [
  {"serviceSchedules": [
   {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T16:00:00Z"}]}]}}
```

## Fix
Nothing, when the default is right. Otherwise write the value in the snapshot when you
build it (leave a key out only when the default is meant).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.context import Context, Item
from ..core.rule import Finding, Rule


def check(item: Item, ctx: Context) -> Iterator[Finding]:
    return iter(())  # the engine reports the notices raised while the input was read


RULE = Rule(check=check, doc=__doc__ or "", module=__name__,
            severity="warning", needs=frozenset(), notice=True)
