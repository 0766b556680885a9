"""Phorest's error bodies, read in every form its API (or a gateway before it) is known to
answer; never raising for a malformed body (it is described as what it is).

- A JSON object with the rule code in ``detail`` (observed live: ``errorCode`` then holds a
  broad category such as ``SLOT_UNAVAILABLE``) or in ``errorCode`` (how one client maps
  it), or in ``message`` (also ``error``, ``title``; one level down in ``error`` or
  ``errors[0]``): an exact code first, then a code inside a field's text, then a code-like
  value that is not one of the nineteen (unmodelled); else a code anywhere in the body.
- Plain text (or a JSON string), an HTML page (its text, tags stripped; its title kept),
  an empty body.

Codes are matched whole (``STAFF_DOUBLE_BOOKED`` never inside ``MACHINE_DOUBLE_BOOKED``),
case-insensitively, stray quotes and spaces ignored. The status is the one given (the HTTP
status line), else the body's ``statusCode`` (or Spring's ``status``), else the number an
HTML title starts with. Every step is linear in the body's length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..._errors import InputError
from ...explain.words import cut
from .._html import page_text, page_title
from .codes import API_CODES

# Broad categories seen in `errorCode` beside the specific code in `detail` (S10).
CATEGORIES: dict[str, str] = {
    "SLOT_UNAVAILABLE": "the broad category Phorest was seen to send in `errorCode` beside "
                        "the specific code in `detail`",
}
_KNOWN = frozenset(API_CODES)
_FIELDS = ("detail", "errorCode", "message", "error", "title")
_CODE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(sorted(API_CODES, key=len, reverse=True))
    + r")(?![A-Za-z0-9_])", re.I)
_TOKEN = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_RANGE_31 = re.compile(r"max(?:imum)?\s+date\s+range\s+allowed\s+is\s+31\s+days", re.I)
_HTML_TAG = re.compile(r"<\s*(!doctype|html|head|body|title|h1|h2|p|div|center|pre)\b", re.I)
_TITLE_STATUS = re.compile(r"\s*([1-5]\d\d)\b")


@dataclass(frozen=True)
class ParsedResponse:
    """What a response body says, whatever its form."""

    form: Literal["json", "text", "html", "empty"]
    status: int | None  # the status used: the argument, else the body's, else an HTML title's
    body_status: int | None  # statusCode (or Spring's status) in a JSON body
    code: str | None  # a Phorest code, or an unmodelled code-like value
    source_field: str | None  # detail, errorCode, message, ... or text / html / body
    fields: Mapping[str, Any]  # detail, errorCode, message, id, ... as found
    text: str  # the body as text (tags stripped for HTML), whitespace collapsed
    title: str | None = None  # an HTML page's title
    not_object: bool = False  # JSON, but not an object

    @property
    def known(self) -> bool:
        """Whether the code is one of the nineteen Phorest codes."""
        return self.code in _KNOWN

    @property
    def date_range(self) -> bool:
        """Phorest's list-endpoint limit: "Max date range allowed is 31 days"."""
        return bool(_RANGE_31.search(self.text))

    @property
    def category(self) -> str | None:
        """The broad category in ``errorCode`` beside another code (SLOT_UNAVAILABLE)."""
        value = self.fields.get("errorCode")
        if isinstance(value, str) and value != self.code and value in CATEGORIES:
            return value
        return None

    @property
    def error_id(self) -> str | None:
        """Phorest's ``id`` of this error."""
        value = self.fields.get("id")
        return None if value is None else str(value)

    def describe(self) -> str:
        """What the body is, in a sentence fragment a support person can read."""
        if self.form == "empty":
            return "the response body is empty"
        if self.form == "html":
            if self.title:
                return f"the response body is not JSON: HTML page titled {self.title!r}"
            return f"the response body is not JSON: an HTML page ({cut(self.text)!r})"
        if self.form == "text":
            return f"the response body is not JSON: plain text {cut(self.text)!r}"
        if self.not_object:
            return f"the response body is JSON but not an object: {cut(self.text)!r}"
        shown = {k: v for k, v in self.fields.items() if k in ("detail", "errorCode",
                                                                 "message")}
        if not shown:
            return f"the response body is a JSON object without detail, errorCode or " \
                   f"message: {cut(self.text)!r}"
        return "the response body says " + ", ".join(f"{k} {v!r}" for k, v in shown.items())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"form": self.form}
        if self.body_status is not None:
            out["statusCode"] = self.body_status
        out.update({k: v for k, v in self.fields.items() if k not in ("statusCode",
                                                                      "status")})
        if self.title is not None:
            out["title"] = self.title
        if self.form != "json" or self.not_object or not self.fields:
            out["text"] = cut(self.text, 2000)
        return out


def parse_response(error: str | bytes | Mapping[str, Any] | None, status: int | None = None
                   ) -> ParsedResponse:
    """Read a response body in any form the API is known to answer; never raises for a
    malformed body (it is described as what it is)."""
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise InputError("status", "", "an HTTP status code such as 400", status)
    if isinstance(error, Mapping):
        return _from_json(dict(error), json.dumps(error, ensure_ascii=False, default=str),
                          status)
    if error is None:
        raw = ""
    elif isinstance(error, bytes | bytearray):
        raw = bytes(error).decode("utf-8", errors="replace")
    elif isinstance(error, str):
        raw = error
    else:
        raise InputError("error", "", "the response body as str or bytes, or a parsed dict",
                         type(error).__name__)
    raw = raw.lstrip("\ufeff")
    stripped = raw.strip()
    if not stripped:
        return ParsedResponse("empty", status, None, None, None, {}, "")
    try:
        parsed = json.loads(stripped)
    except (ValueError, RecursionError):
        parsed = _NOT_JSON
    if isinstance(parsed, dict):
        return _from_json(parsed, stripped, status)
    if isinstance(parsed, str):
        return _from_text(parsed, status)
    if parsed is not _NOT_JSON:
        code = _code_in_text(stripped)
        return ParsedResponse("json", status, None, code, "body" if code else None, {},
                              " ".join(stripped.split()), not_object=True)
    if stripped.startswith("<") and _HTML_TAG.search(stripped):
        return _from_html(stripped, status)
    return _from_text(stripped, status)


_NOT_JSON = object()


def _from_json(doc: dict[str, Any], raw: str, status: int | None) -> ParsedResponse:
    # The fields may sit at the top, or one level down in `error` / `errors[0]`.
    place = ""
    fields = _fields_of(doc)
    if not any(k in fields for k in ("detail", "errorCode", "message")):
        for key in ("error", "errors"):
            inner = doc.get(key)
            if isinstance(inner, list) and inner and isinstance(inner[0], dict):
                inner, key = inner[0], f"{key}[0]"
            if isinstance(inner, dict):
                found = _fields_of(inner)
                if found:
                    fields, place = found, f"{key}."
                    break
    body_status = status_of(doc.get("statusCode", doc.get("status")))
    code, source = _code_of(fields)
    if code is None:
        code = _code_in_text(raw)
        source = "body" if code else None
    elif place:
        source = place + (source or "")
    if "id" in doc and "id" not in fields:
        fields = {**fields, "id": doc["id"]}
    return ParsedResponse("json", status if status is not None else body_status, body_status,
                          code, source, fields, " ".join(raw.split()))


def _fields_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("id", *_FIELDS):
        value = doc.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            out[key] = value
    return out


def _code_of(fields: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The code and the field it came from: an exact Phorest code first (detail, then
    errorCode, then message, ...), then one inside a field's text, then a code-like value
    that is not one of the nineteen (unmodelled)."""
    texts = {k: str(v) for k, v in fields.items() if k in _FIELDS}
    for key, value in texts.items():
        token = value.strip().strip("'\"` ").upper()
        if token in _KNOWN:
            return token, key
    for key, value in texts.items():
        hit = _CODE_IN_TEXT.search(value)
        if hit:
            return hit.group(1).upper(), key
    for key in ("errorCode", "detail", "message"):
        value = texts.get(key, "").strip().strip("'\"` ")
        if _TOKEN.match(value):
            return value, key
    return None, None


def _from_text(text: str, status: int | None) -> ParsedResponse:
    flat = " ".join(text.split())
    code = _code_in_text(flat)
    return ParsedResponse("text", status, None, code, "text" if code else None, {}, flat)


def _from_html(raw: str, status: int | None) -> ParsedResponse:
    title = page_title(raw)
    text = page_text(raw)
    code = _code_in_text(text)
    if status is None and title:
        lead = _TITLE_STATUS.match(title)
        status = int(lead.group(1)) if lead else None
    return ParsedResponse("html", status, None, code, "html" if code else None, {}, text,
                          title or None)


def _code_in_text(text: str) -> str | None:
    """The first of the nineteen codes standing as a whole word in ``text``."""
    hit = _CODE_IN_TEXT.search(text)
    return hit.group(1).upper() if hit else None


def status_of(value: object) -> int | None:
    """An HTTP status as a body gives it (400 or "400"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    if isinstance(value, str) and value.strip().isdigit() and 100 <= int(value) <= 599:
        return int(value)
    return None
