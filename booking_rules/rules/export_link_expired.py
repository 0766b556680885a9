"""EXPORT_LINK_EXPIRED: a finished CSV export job's download link has expired.

## What it checks
A CSV export job read back (`readCsvExportJob`: the body of
`GET .../branch/{branchId}/csvexportjob/{jobId}`) whose download link is used at `now`:
the link must not have expired. A link that says when it was signed and how long it
lives (`X-Amz-Date`, `X-Amz-Expires`, as Phorest's pre-signed links do) expires then;
one that does not is taken to live 30 minutes (1799 s, Phorest's own links) from the
job's `finished`.

Decisions where Phorest is silent:
- A link that does not say when it was signed may have been signed at any read after the
  job finished: it is certainly alive within 30 minutes of `finished`, and UNKNOWN after
  (read the job again).
- A job that is not `DONE` has no link to check.

## Why the API refuses it
The link is a pre-signed storage URL: after its lifetime the storage answers 403 and the
export seems lost. Each `GET` of the job signs a new link, so the fix is one more read.

## Example
A job read at 11:00Z whose link (signed then, for 1799 s) is used at 12:00Z:

```json fails
{"kind": "readCsvExportJob", "path": {"branchId": "br_tor", "jobId": "job_oct"},
 "body": {"jobId": "job_oct", "jobType": "TRANSACTIONS_CSV", "jobStatus": "DONE",
  "finished": "2026-11-01T10:58:00.000Z", "startFilter": "2026-10-01",
  "finishFilter": "2026-10-31", "totalRows": 45, "succeededRows": 45,
  "tempCsvExternalUrl": "https://exports.example.com/job_oct.csv?X-Amz-Date=20261101T110000Z&X-Amz-Expires=1799"}}
```

The same job read again at 11:50Z:

```json passes
{"kind": "readCsvExportJob", "path": {"branchId": "br_tor", "jobId": "job_oct"},
 "body": {"jobId": "job_oct", "jobType": "TRANSACTIONS_CSV", "jobStatus": "DONE",
  "finished": "2026-11-01T10:58:00.000Z", "startFilter": "2026-10-01",
  "finishFilter": "2026-10-31", "totalRows": 45, "succeededRows": 45,
  "tempCsvExternalUrl": "https://exports.example.com/job_oct.csv?X-Amz-Date=20261101T115000Z&X-Amz-Expires=1799"}}
```

## Fix
Read the job again (`GET .../csvexportjob/{jobId}`) right before downloading, and
download within the link's lifetime (about 30 minutes).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from .._time import format_utc
from ..core import model as m
from ..core.context import Context
from ..core.payloads import ExportJobRead
from ..core.rule import Finding, Rule, Unknown
from ._writes import payload

LIFETIME = timedelta(seconds=1799)  # Phorest's links: X-Amz-Expires=1799, max-age=1799


def check(request: m.Request, ctx: Context) -> Iterator[Finding | Unknown]:
    p = payload(request, ExportJobRead)
    if p is None or p.url is None or p.status != "DONE":
        return
    if p.url_signed_at is not None:
        lifetime = (timedelta(seconds=p.url_lifetime_seconds)
                    if p.url_lifetime_seconds is not None else LIFETIME)
        expires = p.url_signed_at + lifetime
    elif p.finished is not None and ctx.now < p.finished + LIFETIME:
        return
    else:
        yield Unknown(
            f"Job {p.job_id}'s link does not say when it was signed, and "
            + ("the job gives no finished time" if p.finished is None else
               f"more than 30 minutes have passed since it finished "
               f"({ctx.when(p.finished)})")
            + ": whether it still works cannot be decided; read the job again.",
            {"jobId": p.job_id})
        return
    if ctx.now < expires:
        return
    yield Finding(
        f"Job {p.job_id}'s download link expired {ctx.when(expires)} "
        f"({_ago(ctx.now - expires)} before now): the storage answers 403.",
        evidence={"jobId": p.job_id, "signedAt": format_utc(expires - lifetime),
                  "expiresAt": format_utc(expires), "now": format_utc(ctx.now)},
        fix="read the job again (GET .../csvexportjob/{jobId}) for a fresh link, and "
        "download within about 30 minutes",
        location=p.at("url"))


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="export_job",
            may_be_unknown=True)
