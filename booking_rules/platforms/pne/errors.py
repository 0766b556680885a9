"""PNE's answers, read: status first, then whatever the body says.

PNE publishes no error codes and no error body shape (pne_api.md, "Unknown"); its guide
tells integrators to handle errors "status-code-first". So a response is read for its HTTP
status (given, or a status field of the body), a message (the usual fields of a JSON
error, the title and text of an HTML page, a plain text body) and any per-field validation
messages (a ``ModelState``/``errors`` object of field -> messages, as ASP.NET-style APIs
send). Nothing here assumes PNE sends any of these: each is read only if present, and a
body of any form (or none) is read without raising.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._errors import InputError

_MESSAGE_KEYS = ("Message", "message", "error_description", "error", "title", "detail",
                 "Detail", "ExceptionMessage", "errorMessage")
_STATUS_KEYS = ("StatusCode", "statusCode", "status", "Status", "code")
_FIELD_KEYS = ("ModelState", "modelState", "errors", "Errors")
_TAGS = re.compile(r"<[^>]{0,2000}>")
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{0,500})</title>", re.I)
_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class PneResponse:
    """A PNE answer as read: its status, message, per-field messages, and its form."""

    status: int | None
    message: str  # "" when the body says nothing readable
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    form: str = "empty"  # "json", "text", "html" or "empty"
    retry_after: str | None = None

    # What ``booking_rules.explain``'s Response needs beyond these: PNE sends no rule
    # code, no category and no error id (none is published).
    code: str | None = None
    source_field: str | None = None
    category: str | None = None
    error_id: str | None = None

    @property
    def text(self) -> str:
        """Everything the body says, as one line (message and field messages)."""
        parts = [self.message] + [f"{k}: {'; '.join(v)}" for k, v in self.fields.items()]
        return " | ".join(p for p in parts if p)

    def describe(self) -> str:
        """What the body is, as a sentence fragment (the status is said apart)."""
        if self.form == "empty" or not self.text:
            return "the response body is empty"
        return f"the {self.form} body says: {self.text[:200]}"

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message,
                "fields": {k: list(v) for k, v in self.fields.items()}, "form": self.form,
                "retryAfter": self.retry_after}


def parse_response(error: str | bytes | Mapping[str, Any] | None, status: int | None,
                   retry_after: str | None = None) -> PneResponse:
    """Read a body in any form; never raises for a malformed body (an InputError only
    for arguments of the wrong type)."""
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise InputError("--status", "", "an HTTP status such as 409", status)
    body: Any = error.decode("utf-8", "replace") if isinstance(error, bytes) else error
    if body is None or (isinstance(body, str) and not body.strip()):
        return PneResponse(status, "", {}, "empty", retry_after)
    if isinstance(body, str):
        try:
            decoded: Any = json.loads(body)
        except ValueError:
            decoded = None
        if isinstance(decoded, (dict, list, str)):
            body = decoded
        if isinstance(body, str):
            error = body
            if "<" in error and ">" in error:
                title = _TITLE.search(error[:200_000])
                body = " ".join(_TAGS.sub(" ", error[:200_000]).split())
                text = title.group(1).strip() if title else body
                return PneResponse(status, text[:_TEXT_LIMIT], {}, "html", retry_after)
            return PneResponse(status, " ".join(error.split())[:_TEXT_LIMIT], {}, "text",
                               retry_after)
    if isinstance(body, list):
        text = "; ".join(str(x) for x in body[:20])
        return PneResponse(status, text[:_TEXT_LIMIT], {}, "json", retry_after)
    error = body
    if not isinstance(error, Mapping):
        raise InputError("--error", "", "a response body: JSON, text, HTML or nothing",
                         type(error).__name__)
    message = next((str(error[k]) for k in _MESSAGE_KEYS
                    if isinstance(error.get(k), (str, int, float)) and str(error[k])), "")
    found_status = status
    if found_status is None:
        for key in _STATUS_KEYS:
            value = error.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 100 <= value < 600:
                found_status = value
                break
    fields: dict[str, tuple[str, ...]] = {}
    for key in _FIELD_KEYS:
        value = error.get(key)
        if isinstance(value, Mapping):
            for name, msgs in value.items():
                said = msgs if isinstance(msgs, list) else [msgs]
                fields[str(name)] = tuple(str(x) for x in said)[:10]
    return PneResponse(found_status, message[:_TEXT_LIMIT], fields, "json", retry_after)
