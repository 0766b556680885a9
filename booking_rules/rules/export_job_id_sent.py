"""EXPORT_JOB_ID_SENT: a CSV export job request sends a `jobId`, which Phorest ignores.

## What it checks
A warning for a `createCsvExportJob` body that carries `jobId`, or any field of a job's
answer: `jobStatus`, `started`, `finished`, `failureReason`, `totalRows`,
`succeededRows`, `tempCsvExternalUrl`.

## Why the API refuses it
It does not refuse it. Phorest's own example body sends all of them, and notes beside
`jobId`: "not necessary to post as it will create the jobId anyway". A caller that sends
its own `jobId` and then polls `GET .../csvexportjob/{that id}` polls a job that does not
exist; the id to poll is the `jobId` of the answer.

## Example
Phorest's example body, as it stands:

```json fails
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"failureReason": "No records found", "finishFilter": "2026-10-21",
  "finished": "2026-10-21T13:37:13.836Z", "jobId": "hui", "jobStatus": "DONE",
  "jobType": "CLIENT_COURSES_CSV", "startFilter": "2026-10-21",
  "started": "2026-10-21T13:37:13.836Z", "succeededRows": 492, "totalRows": 530}}
```

What the request needs:

```json passes
{"kind": "createCsvExportJob", "path": {"branchId": "br_tor"},
 "body": {"jobType": "CLIENT_COURSES_CSV", "startFilter": "2026-10-21",
  "finishFilter": "2026-10-21"}}
```

## Fix
Send only `jobType`, `startFilter` and `finishFilter`; poll the `jobId` the answer gives.
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
    if p is None or not p.output_fields:
        return
    names = [f.location for f in p.output_fields]
    job_id = next((f.text for f in p.output_fields if f.location == "jobId"), None)
    first = "jobId" if job_id is not None else names[0]
    poll = (f"; polling {job_id} would find no job: poll the jobId of the answer"
            if job_id is not None else "")
    yield Finding(
        f"The request sends {', '.join(names)}: fields of a job's answer, which Phorest "
        f"ignores (it makes the job and its id itself){poll}.",
        evidence={"fields": names, "jobId": job_id},
        fix="send only jobType, startFilter and finishFilter, and poll the jobId the "
        "answer gives",
        location=first)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, severity="warning",
            subject="export_job")
