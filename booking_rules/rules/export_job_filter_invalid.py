"""EXPORT_JOB_FILTER_INVALID: a CSV export's filters are not dates, or start after the finish.

## What it checks
A `createCsvExportJob` body must send `startFilter` and `finishFilter` as dates
`yyyy-MM-dd` (Phorest's examples: `"2021-10-17"`, `"2021-10-21"`), with the start on or
before the finish.

Decisions where Phorest is silent:
- Both filters are required here: Phorest's examples always send both, and an export
  without a range is either refused or the branch's whole history.
- A one-day range (start equal to finish) is allowed: Phorest's own example is one.

## Why the API refuses it
An instant or a local date-time is not what these filters take, and a range whose start
is after its finish has no rows ("No records found" is the job's `failureReason` in
Phorest's example): the job is refused, or finishes empty after the caller has polled it.

## Example
Start and finish swapped:

```json fails
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"jobType": "TRANSACTIONS_CSV", "startFilter": "2026-10-31",
  "finishFilter": "2026-10-01"}}
```

```json passes
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"jobType": "TRANSACTIONS_CSV", "startFilter": "2026-10-01",
  "finishFilter": "2026-10-31"}}
```

## Fix
Send both filters as `yyyy-MM-dd`, the start on or before the finish (the branch's local
dates).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ExportJobWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ExportJobWrite)
    if p is None:
        return
    for name, given, parsed in (("start", p.start, p.start_date),
                                ("finish", p.finish, p.finish_date)):
        field = p.at(name)
        if given is None:
            yield Finding(f"{field} is not sent; an export needs both filter dates.",
                          evidence={"field": field},
                          fix=f"send {field} as a date yyyy-MM-dd", location=field)
        elif parsed is None:
            yield Finding(f"{field} {given.text!r} is not a date yyyy-MM-dd.",
                          evidence={"field": field, "sent": given.text},
                          fix=f"send {field} as a date yyyy-MM-dd, e.g. \"2026-10-01\"",
                          location=field)
    if p.start_date is not None and p.finish_date is not None and (
            p.start_date > p.finish_date):
        yield Finding(
            f"startFilter {p.start_date} is after finishFilter {p.finish_date}: the range "
            "holds no day.",
            evidence={"startFilter": p.start_date.isoformat(),
                      "finishFilter": p.finish_date.isoformat()},
            fix="swap the dates: the start on or before the finish",
            location=p.at("start"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="export_job")
