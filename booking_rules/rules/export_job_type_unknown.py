"""EXPORT_JOB_TYPE_UNKNOWN: a CSV export job's `jobType` is not one Phorest exports.

## What it checks
A `createCsvExportJob` body's `jobType` must be one of `TRANSACTIONS_CSV`,
`SUNDRIES_CSV`, `DATEV_CSV`, `CLIENT_COURSES_CSV`, exactly (upper case). A near miss is
answered with the type it most likely means.

## Why the API refuses it
These four are the jobs Phorest's support notes list. The notes themselves misspell the
first as `TRANSACTIONS_CSs`, so a body copied from them asks for a job that does not exist
and is refused; the worked example in the same notes spells it `TRANSACTIONS_CSV`.

## Example
The type as Phorest's list spells it:

```json fails
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"jobType": "TRANSACTIONS_CSs", "startFilter": "2026-10-01",
  "finishFilter": "2026-10-31"}}
```

```json passes
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"jobType": "TRANSACTIONS_CSV", "startFilter": "2026-10-01",
  "finishFilter": "2026-10-31"}}
```

## Fix
Send one of `TRANSACTIONS_CSV` (all transactions), `SUNDRIES_CSV` (petty cash sales),
`DATEV_CSV` (German accounting export), `CLIENT_COURSES_CSV` (client courses).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ExportJobWrite
from ..core.rule import Finding, Rule
from ._writes import payload

JOB_TYPES = ("TRANSACTIONS_CSV", "SUNDRIES_CSV", "DATEV_CSV", "CLIENT_COURSES_CSV")


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ExportJobWrite)
    if p is None or p.job_type is None or p.job_type in JOB_TYPES:
        return
    close = difflib.get_close_matches(p.job_type.upper(), JOB_TYPES, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    yield Finding(
        f"jobType {p.job_type!r} is not a job Phorest exports{hint}; the jobs are "
        f"{', '.join(JOB_TYPES)}.",
        evidence={"jobType": p.job_type, "suggestion": close[0] if close else None,
                  "jobTypes": list(JOB_TYPES)},
        fix=f"send jobType {close[0]}" if close else
        f"send one of {', '.join(JOB_TYPES)}",
        location=p.at("job_type"))


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="export_job")
