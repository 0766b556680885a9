"""PHONE_SENT_AS_NUMBER: a client's `mobile` or `landLine` is sent as a JSON number.

## What it checks
In a `createClient` or `updateClient` body, `mobile` and `landLine` must be JSON strings.
A number (`"mobile": 871229348`) is reported, for each field sent so.

## Why the API refuses it
It does not refuse it, which is the problem: Phorest's own example requests send
`"landLine": 35318345657` and `"mobile": 189654879229145`, and its answers return strings
(`"mobile": "871229348"`). A JSON number cannot hold a leading `0` or `+`, so `+353...`
or `0871...` is stored without it and the salon's reminders go to a number that does not
exist. Nothing in the answer says so.

## Example
The mobile as a number (the leading `0` of `0871229348` is already gone):

```json fails
{"kind": "createClient", "body": {"firstName": "Dmitry", "lastName": "Doe",
  "email": "dmitry@example.com", "mobile": 871229348}}
```

The same number as a string, with its prefix:

```json passes
{"kind": "createClient", "body": {"firstName": "Dmitry", "lastName": "Doe",
  "email": "dmitry@example.com", "mobile": "0871229348"}}
```

## Fix
Send phone numbers as strings exactly as the client gave them (`"+353871229348"`,
`"0871229348"`). Check the numbers of clients created before with `GET /client/{clientId}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core.context import Context
from ..core.payloads import ClientWrite
from ..core.rule import Finding, Rule
from ._writes import payload


def check(request: m.Request, ctx: Context) -> Iterator[Finding]:
    p = payload(request, ClientWrite)
    if p is None:
        return
    for phone in p.numeric_phones:
        yield Finding(
            f"{phone.location} is sent as the JSON number {phone.text}: a number cannot "
            "keep a leading 0 or +, so Phorest stores (and answers as a string) the digits "
            "without it.",
            evidence={"field": phone.location, "sent": phone.text},
            fix=f"send {phone.location} as a string with its prefix, e.g. \"+{phone.text}\" "
            f"or \"0{phone.text}\", as the client gave it",
            location=phone.location,
        )


RULE = Rule(check=check, doc=__doc__ or "", module=__name__, subject="client")
