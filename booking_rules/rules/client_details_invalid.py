"""CLIENT_DETAILS_INVALID: a client's `email` is not an address, or its `birthDate` is not a date.

## What it checks
In a `createClient` or `updateClient` body:
- `email`, when sent and not empty, must look like an address: one `@`, something before
  it, a dotted domain after it, no spaces;
- `birthDate`, when sent, must be a date `yyyy-MM-dd` (Phorest's own example:
  `"1975-08-01"`), not an instant, and not after today at the branch.

Decisions where Phorest is silent:
- The email test is deliberately loose (no list of domains, no mailbox check): it catches
  a phone number, a name or a missing `@` in the field, not every invalid address.
- An empty `email` is not reported: clients without one are common.

## Why the API refuses it
Phorest publishes no validation for these fields; an address that is not one means no
email reminders or receipts, and a birth date that is not a date is either refused or
stored wrong. Both are found long after the write.

## Example
A phone number in the email field, and a birth date written as an instant:

```json fails
{"kind": "createClient", "body": {"firstName": "Amanda", "lastName": "Doe",
  "email": "4165550123", "birthDate": "1975-08-01T00:00:00Z"}}
```

```json passes
{"kind": "createClient", "body": {"firstName": "Amanda", "lastName": "Doe",
  "email": "amanda@example.com", "birthDate": "1975-08-01"}}
```

## Fix
Send the address the client gave (or leave `email` out), and the birth date as
`yyyy-MM-dd`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientWrite
from ..core.rule import Finding, Rule
from ._writes import payload, today

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ClientWrite)
    if p is None:
        return
    if p.email and not _EMAIL.match(p.email.strip()):
        yield Finding(
            f"email {p.email!r} is not an email address (one @, a name before it, a "
            "dotted domain after it, no spaces).",
            evidence={"email": p.email},
            fix="send the address the client gave, or leave email out",
            location=p.at("email"))
    birth = p.birth_date
    if birth is None:
        return
    try:
        born = date.fromisoformat(birth.text) if len(birth.text) == 10 else None
    except ValueError:
        born = None
    if born is None:
        yield Finding(
            f"birthDate {birth.text!r} is not a date yyyy-MM-dd.",
            evidence={"birthDate": birth.text},
            fix="send the birth date as yyyy-MM-dd, e.g. \"1975-08-01\"",
            location=birth.location)
    elif born > today(ctx):
        yield Finding(
            f"birthDate {birth.text} is after today ({today(ctx)} at the branch).",
            evidence={"birthDate": birth.text, "today": today(ctx).isoformat()},
            fix="send the client's real birth date, or leave birthDate out",
            location=birth.location)


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client")
