"""Explain a Phorest error after the fact, and offer what would pass instead.

    ex = explain(response_body, request, snapshot, status=400, now=now)
    ex.diagnosis, ex.explanation, ex.evidence, ex.remedies, ex.alternatives
    ex.to_text(), ex.to_json()
    explain_corpus("errors/").to_text()     # how often the predicted code was Phorest's

How it works (docs/explain.md is the guide):

1. **The response.** Every form the API is known to answer is read: a JSON object with the
   rule code in ``detail`` (observed live, ``errorCode`` then holds a broad category such as
   ``SLOT_UNAVAILABLE``) or in ``errorCode`` (how one client maps it), a ``message`` field,
   plain text, an HTML error page (tags stripped), an empty body. Each field is tested
   against the nineteen Phorest codes; the field the code came from is ``source_field``.
   The status is the ``status`` argument (the HTTP status line), else the body's
   ``statusCode`` (or Spring's ``status``), else the leading number of an HTML title.
2. **The check.** The request is always checked against the snapshot with
   :func:`booking_rules.check` (never a second reading of the rules), which also rejects an
   unusable request or snapshot with :class:`~booking_rules.InputError`.
3. **The diagnosis.** For one of the nineteen codes: ``confirmed`` (the rule fires here too),
   ``not-reproduced`` (the snapshot says it should have passed: which data Phorest must have
   held, and how old the snapshot is), ``other-code`` (the snapshot predicts other codes),
   ``undecided`` (the rule answered UNKNOWN: the snapshot does not cover the data). A
   code-like value that is not one of the nineteen is ``unmodelled``; anything else (401,
   404, 409, 429, 5xx, the 31-day list limit, an HTML page, an empty body) is
   ``not-a-rule-code``, with the advice its status calls for.
4. **Alternatives** (``confirmed`` and ``other-code`` only): request bodies along named axes,
   each verified with ``check`` before it is returned (one that does not pass is dropped).
   ``same-staff-other-time`` comes from :func:`booking_rules.find_slots`.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from .._errors import InputError
from .._time import UTC, format_local, format_utc, parse_instant, wall_to_utc
from ..core import model as m
from ..core.context import Context, Item
from ..core.engine import resolve
from ..core.report import SCHEMA_VERSION, Report, _age
from ..core.ruleset import Ruleset, resolve_ruleset
from ..core.snapshot import Snapshot
from ..platforms.phorest import load_snapshot, parse_request
from ..platforms.phorest.codes import API_CODES as PHOREST_CODES
from ..platforms.phorest.codes import TABLE

__all__ = [
    "AXES",
    "DIAGNOSES",
    "CorpusEntry",
    "CorpusReport",
    "Explanation",
    "ParsedResponse",
    "explain",
    "explain_corpus",
    "load_error",
    "parse_response",
]

Diagnosis = Literal["confirmed", "not-reproduced", "other-code", "undecided", "unmodelled",
                    "not-a-rule-code"]
DIAGNOSES: tuple[str, ...] = ("confirmed", "not-reproduced", "other-code", "undecided",
                              "unmodelled", "not-a-rule-code")
AXES: tuple[str, ...] = ("same-staff-other-time", "same-time-other-staff", "other-room",
                         "other-machine", "course-date", "without-special-offer")
PER_AXIS = 3  # alternatives per axis, at most
DAYS_AROUND = 7  # same-staff-other-time looks this many local days either side
COURSE_DAYS = 90  # course-date looks this many local days either side
RACE_SECONDS = 300  # a snapshot younger than this at the request points to a race
_KNOWN = frozenset(PHOREST_CODES)
_MIN_DAYS = "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED"
_MAX_DAYS = "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED"
_OFFER_CODES = frozenset(c for c in PHOREST_CODES if c.startswith("SPECIAL_OFFER_"))
# Broad categories seen in `errorCode` beside the specific code in `detail` (S10).
CATEGORIES: dict[str, str] = {
    "SLOT_UNAVAILABLE": "the broad category Phorest was seen to send in `errorCode` beside "
                        "the specific code in `detail`",
}


# --- the response body ---------------------------------------------------------------------

_FIELDS = ("detail", "errorCode", "message", "error", "title")
_CODE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(sorted(PHOREST_CODES, key=len, reverse=True))
    + r")(?![A-Za-z0-9_])", re.I)
_TOKEN = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_RANGE_31 = re.compile(r"max(?:imum)?\s+date\s+range\s+allowed\s+is\s+31\s+days", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_HTML_TAG = re.compile(r"<\s*(!doctype|html|head|body|title|h1|h2|p|div|center|pre)\b", re.I)
_EXCERPT = 300


@dataclass(frozen=True)
class ParsedResponse:
    """What a response body says, whatever its form."""

    form: Literal["json", "text", "html", "empty"]
    status: int | None  # the status used: the argument, else the body's, else an HTML title's
    body_status: int | None  # statusCode (or Spring's status) in a JSON body
    code: str | None  # a Phorest code, or an unmodelled code-like value
    source_field: str | None  # detail, errorCode, message, ... or text / html
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

    def describe(self) -> str:
        """What the body is, in a sentence fragment a support person can read."""
        if self.form == "empty":
            return "the response body is empty"
        if self.form == "html":
            if self.title:
                return f"the response body is not JSON: HTML page titled {self.title!r}"
            return f"the response body is not JSON: an HTML page ({_cut(self.text)!r})"
        if self.form == "text":
            return f"the response body is not JSON: plain text {_cut(self.text)!r}"
        if self.not_object:
            return f"the response body is JSON but not an object: {_cut(self.text)!r}"
        shown = {k: v for k, v in self.fields.items() if k in ("detail", "errorCode",
                                                                 "message")}
        if not shown:
            return f"the response body is a JSON object without detail, errorCode or " \
                   f"message: {_cut(self.text)!r}"
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
            out["text"] = _cut(self.text, 2000)
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
        return _from_text(parsed, "text", status)
    if parsed is not _NOT_JSON:
        code = _code_in_text(stripped)
        return ParsedResponse("json", status, None, code, "body" if code else None, {},
                              " ".join(stripped.split()), not_object=True)
    if stripped.startswith("<") and _HTML_TAG.search(stripped):
        return _from_html(stripped, status)
    return _from_text(stripped, "text", status)


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
    body_status = _status_of(doc.get("statusCode", doc.get("status")))
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


def _from_text(text: str, form: Literal["text"], status: int | None) -> ParsedResponse:
    flat = " ".join(text.split())
    code = _code_in_text(flat)
    return ParsedResponse(form, status, None, code, "text" if code else None, {}, flat)


def _from_html(raw: str, status: int | None) -> ParsedResponse:
    title_m = _TITLE.search(raw)
    title = " ".join(html.unescape(title_m.group(1)).split()) if title_m else None
    body = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", raw)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    body = re.sub(r"(?s)<[^>]*>", " ", body)
    text = " ".join(html.unescape(body).split())
    code = _code_in_text(text)
    if status is None and title:
        lead = re.match(r"\s*([1-5]\d\d)\b", title)
        status = int(lead.group(1)) if lead else None
    return ParsedResponse("html", status, None, code, "html" if code else None, {}, text,
                          title or None)


def _code_in_text(text: str) -> str | None:
    """The first of the nineteen codes standing as a whole word in ``text``."""
    hit = _CODE_IN_TEXT.search(text)
    return hit.group(1).upper() if hit else None


def _status_of(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 100 <= value <= 599:
        return value
    if isinstance(value, str) and value.strip().isdigit() and 100 <= int(value) <= 599:
        return int(value)
    return None


def _cut(text: str, limit: int = _EXCERPT) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --- the explanation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Why Phorest refused a request, what to do about it, and what would pass instead."""

    code: str | None  # the code Phorest answered (one of the nineteen, or unmodelled)
    source_field: str | None  # where the code was found: detail, errorCode, message, ...
    status: int | None
    diagnosis: str  # one of DIAGNOSES
    explanation: str  # a short paragraph a support person can paste
    evidence: tuple[dict[str, Any], ...] = ()  # violations (Violation.to_dict) backing it
    remedies: tuple[dict[str, str], ...] = ()  # {"action", "endpoint"?}
    alternatives: tuple[dict[str, Any], ...] = ()  # {"change", "description", "request"}
    response: ParsedResponse | None = field(default=None, compare=False, repr=False)
    report: Report | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schemaVersion": SCHEMA_VERSION,
            "code": self.code, "sourceField": self.source_field, "status": self.status,
            "diagnosis": self.diagnosis, "explanation": self.explanation,
            "evidence": [dict(e) for e in self.evidence],
            "remedies": [dict(r) for r in self.remedies],
            "alternatives": [dict(a) for a in self.alternatives],
        }
        if self.response is not None:
            out["response"] = self.response.to_dict()
        if self.report is not None:
            out["check"] = {"verdict": self.report.verdict,
                            "predictedApiCode": self.report.predicted_api_code,
                            "codes": self.report.codes,
                            "snapshotAgeSeconds": self.report.snapshot_age_seconds}
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        head = self.code or "no Phorest code"
        where = []
        if self.status is not None:
            where.append(f"HTTP {self.status}")
        if self.source_field:
            where.append(f"from {self.source_field}")
        lines = [f"{head}" + (f" ({', '.join(where)})" if where else "")
                 + f": {self.diagnosis}", "", self.explanation]
        if self.evidence:
            lines += ["", "Evidence:"]
            for e in self.evidence:
                at = f" at {e['location']}" if e.get("location") else ""
                lines.append(f"  - {e.get('code')}{at}: {e.get('message')}")
        if self.remedies:
            lines += ["", "What to do:"]
            for r in self.remedies:
                lines.append(f"  - {r['action']}" + (f" ({r['endpoint']})" if r.get("endpoint")
                                                      else ""))
        if self.alternatives:
            lines += ["", "Instead (each passes the check):"]
            for a in self.alternatives:
                lines.append(f"  - {a['change']}: {a['description']}")
        return "\n".join(lines) + "\n"


def explain(error: str | bytes | Mapping[str, Any] | None, request: Any,
            snapshot: Snapshot | str | Path | Mapping[str, Any], *, status: int | None = None,
            now: datetime, online: bool = False, ruleset: str | Path | Ruleset = "phorest",
            request_source: str = "<request>") -> Explanation:
    """Explain Phorest's answer ``error`` to ``request``, against ``snapshot``.

    ``error``: the raw response body (str or bytes: JSON, plain text, HTML or empty) or an
    already-parsed dict. ``status``: the HTTP status, when known (else the body's
    ``statusCode``). ``request``: the createBooking or updateAppointment body sent, or
    ``{"kind", "body"}``. ``now``: the instant the request was sent (aware).
    ``request_source``: how an InputError names the request (its file, in the CLI).

    A malformed body never raises: it is explained as what it is. An unusable request or
    snapshot raises :class:`~booking_rules.InputError`, as ``check`` does.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (it is always an input)")
    snap = snapshot if isinstance(snapshot, Snapshot) else load_snapshot(snapshot)
    response = parse_response(error, status)
    report = _check(snap, request, now, online, ruleset, request_source)
    case = _Case(snap, request, report, response, now, online, ruleset)
    if response.known:
        return case.rule_code()
    return case.other()


def _check(snap: Snapshot, request: Any, now: datetime, online: bool,
           ruleset: str | Path | Ruleset, source: str) -> Report:
    from .. import check

    try:
        return check(snap, request, now=now, online=online, ruleset=ruleset)
    except InputError as exc:
        if source == "<request>" or exc.source != "<request>":
            raise
        raise InputError(source, exc.path, exc.expected, exc.got) from None


_SOURCE_WORDS = {"text": "in the plain-text body", "html": "in the HTML page",
                 "body": "in the body"}
# Endpoints (phorest_api.md; the seed's "endpoints when those errors can come up").
_BASE = "/business/{businessId}/branch/"


class _Case:
    """One explanation being built: the check's report, the parsed request, wording."""

    def __init__(self, snap: Snapshot, request: Any, report: Report,
                 response: ParsedResponse, now: datetime, online: bool,
                 ruleset: str | Path | Ruleset) -> None:
        self.rs = resolve_ruleset(ruleset, TABLE)
        self.snap_given = snap
        self.snap = snap.with_times(self.rs.appointment_times)
        self.request = request
        self.req = parse_request(request, self.snap)
        self.items = [resolve(s, self.snap, self.req) for s in self.req.schedules]
        self.report = report
        self.response = response
        self.now = now
        self.online = online or self.rs.online
        self.ruleset = ruleset
        self.ctx = Context(self.snap, self.req, now, self.online, self.rs)
        self.branch = self.snap.branch.id

    # --- wording -------------------------------------------------------------------------

    def ep(self, tail: str, name: str = "", method: str = "GET") -> str:
        return f"{method} {_BASE}{self.branch}/{tail}" + (f" ({name})" if name else "")

    @property
    def what(self) -> str:
        return "appointment update" if self.req.kind == "update" else "booking"

    def lead(self) -> str:
        code = self.response.code
        bits = []
        if self.response.status is not None:
            bits.append(f"HTTP {self.response.status}")
        source = self.response.source_field
        if source:
            bits.append(_SOURCE_WORDS.get(source, f"in `{source}`"))
        category = self.response.fields.get("errorCode")
        if isinstance(category, str) and category != code and category in CATEGORIES:
            bits.append(f"category {category}")
        if self.response.fields.get("id") is not None:
            bits.append(f"error id {self.response.fields['id']}")
        where = f" ({', '.join(bits)})" if bits else ""
        return f"Phorest refused the {self.what} with {code}{where}."

    def day(self, item: Item) -> str:
        return item.local_date.isoformat()

    def span(self, item: Item) -> str:
        return self.ctx.when(*item.span)

    def blocks(self, item: Item) -> str:
        if not item.blocks:
            return self.ctx.when(item.start)
        return " and ".join(self.ctx.when(s, e) for s, e in item.blocks)

    def age(self) -> str:
        age = self.report.snapshot_age_seconds
        if age is None:
            return ("The snapshot does not say when it was fetched (coverage.fetchedAt), so "
                    "its age is unknown.")
        when = format_local(self.now, self.snap.zone)
        if age < 0:
            return (f"The snapshot was fetched {_age(-age)} after the request ({when}), so it "
                    "should show the same picture: a change made since (a cancellation) or a "
                    "difference between this rule and Phorest's is more likely.")
        if age <= RACE_SECONDS:
            return (f"The snapshot was fetched only {_age(age)} before the request ({when}): "
                    "most likely a race, a change made in Phorest between the fetch and the "
                    "request.")
        return (f"The snapshot was fetched {_age(age)} before the request ({when}): most "
                "likely a stale cache.")

    # --- rule codes ----------------------------------------------------------------------

    def rule_code(self) -> Explanation:
        code = self.response.code or ""
        report = self.report
        firing = [v for v in report.violations if v.code == code]
        phorest = [v for v in report.violations if v.api]
        unknown = [v for v in report.unknowns if v.code == code]
        notes = self.status_note() + self.ruleset_note(code)
        evidence: list[dict[str, Any]]
        if firing:
            diagnosis: Diagnosis = "confirmed"
            text = f"{self.lead()} The snapshot confirms it: {firing[0].message}"
            if len(firing) > 1:
                text += f" ({len(firing) - 1} more like it.)"
            others = [c for c in report.codes if c != code and c in _KNOWN]
            if others:
                text += f" The check also finds {_and(others)}."
            if report.predicted_api_code and report.predicted_api_code != code:
                text += (f" It would have predicted {report.predicted_api_code} first (ruleset "
                         f"{self.rs.name} priority); Phorest answered with {code}, which also "
                         "applies.")
            evidence = [v.to_dict() for v in firing]
            remedies = [{"action": f} for f in dict.fromkeys(v.fix for v in firing if v.fix)]
            target = min((v.schedule for v in firing if v.schedule is not None), default=0)
        elif phorest:
            diagnosis = "other-code"
            codes = [c for c in report.codes if c in _KNOWN]
            pred = report.predicted_api_code or codes[0]
            first = next(v for v in phorest if v.code == pred)
            text = (f"{self.lead()} The snapshot does not show {code}; it predicts {pred} "
                    f"instead" + (f" (and also finds {_and([c for c in codes if c != pred])})"
                                  if len(codes) > 1 else "")
                    + f": {first.message} For {code} to hold, Phorest must have seen "
                    f"{self.needs(code)}.")
            evidence = [v.to_dict() for v in phorest]
            remedies = [{"action": f} for f in dict.fromkeys(v.fix for v in phorest if v.fix)]
            target = first.schedule if first.schedule is not None else 0
        elif unknown:
            diagnosis = "undecided"
            text = (f"{self.lead()} The snapshot cannot decide it: {unknown[0].message} "
                    f"Phorest must have seen {self.needs(code)}.")
            evidence = [v.to_dict() for v in unknown]
            remedies = [{"action": "fetch a snapshot whose coverage holds the data named "
                                   "above and explain again"}]
            target = unknown[0].schedule or 0
        else:
            diagnosis = "not-reproduced"
            if report.verdict == "PASS":
                against = "against it this booking passes the check"
            elif report.codes:
                against = f"against it the check finds none of Phorest's codes (only " \
                          f"{_and(report.codes)})"
            else:
                against = "against it the check finds none of Phorest's codes (" + \
                          _and(sorted({v.code for v in report.unknowns})) + " undecided)"
            text = (f"{self.lead()} The snapshot does not reproduce it: {against}. For "
                    f"Phorest's answer to hold, Phorest must have seen {self.needs(code)}. "
                    f"{self.age()}")
            warn = [v for v in report.warnings if v.code != "UNKNOWN_CLIENT"]
            if warn:
                text += f" The check warns: {warn[0].message}"
            evidence = []
            remedies = [{"action": "refresh the snapshot (the data named above) from Phorest "
                                   "and explain again; if it still passes, the rule differs "
                                   "from Phorest's: report it with this explanation"}]
            target = next((i for i, it in enumerate(self.items) if self._needs(code, it)), 0)
        text += notes
        remedies += self.code_remedies(code, self.items[min(target, len(self.items) - 1)]
                                       if self.items else None)
        alternatives: list[dict[str, Any]] = []
        if diagnosis in ("confirmed", "other-code") and self.items:
            relevant = {code, *report.codes}
            alternatives = _Alternatives(self, relevant).build(
                self.items[min(target, len(self.items) - 1)])
            if alternatives:
                remedies.append({"action": "or send one of the alternatives below: each "
                                           "passes the check against this snapshot"})
        return self.result(diagnosis, text, evidence, remedies, alternatives)

    def status_note(self) -> str:
        st = self.response.status
        if st is None or st == 400:
            return ""
        return (f" (Phorest sends its booking codes with HTTP 400; this answer came with "
                f"HTTP {st}.)")

    def ruleset_note(self, code: str) -> str:
        rule = next((r for r in self.rs.rules if self.rs.code_of(r) == code), None)
        if rule is None:
            return f" The ruleset {self.rs.name} does not run {code}."
        if self.rs.severity_of(rule) != "error":
            return f" The ruleset {self.rs.name} runs {code} as a warning only."
        return ""

    def result(self, diagnosis: str, text: str, evidence: Sequence[Mapping[str, Any]],
               remedies: Sequence[Mapping[str, str]],
               alternatives: Sequence[Mapping[str, Any]] = ()) -> Explanation:
        seen: set[tuple[str, str]] = set()
        unique = []
        for r in remedies:
            key = (r["action"], r.get("endpoint", ""))
            if key not in seen:
                seen.add(key)
                unique.append(dict(r))
        return Explanation(self.response.code, self.response.source_field,
                           self.response.status, diagnosis, text,
                           tuple(dict(e) for e in evidence), tuple(unique),
                           tuple(dict(a) for a in alternatives), self.response, self.report)

    # --- what Phorest must have seen ----------------------------------------------------

    def needs(self, code: str) -> str:
        """The data that would have had to differ for ``code`` to fire, per schedule."""
        found = [n for it in self.items for n in [self._needs(code, it)] if n]
        if not found:
            why = _WHY_NOT.get(code, "no schedule of it applies")
            return f"something this request does not show ({why})"
        return "; or ".join(dict.fromkeys(found))

    def _needs(self, code: str, it: Item) -> str | None:
        ctx, s, snap = self.ctx, it.schedule, self.snap
        staff, client = ctx.staff_name(s.staff_id), ctx.client_name(s.client_id)
        service = ctx.service_name(s.service_id)
        offer = snap.offers.get(s.offer_id or "")
        if code == "STAFF_UNQUALIFIED":
            return (f"{staff} disqualified from {service} (in the staff member's "
                    "disqualifiedServices or the service's disqualifiedStaff), which the "
                    "snapshot's lists do not say")
        if code == "STAFF_REQUESTED":
            ex = it.existing
            if self.req.kind != "update" or ex is None:
                return None
            if not ex.staff_request:
                return (f"{ctx.name_of(ex)} marked as requested (staffRequest) for "
                        f"{ctx.staff_name(ex.staff_id)}, while the snapshot holds it without "
                        "the flag")
            return (f"{ctx.name_of(ex)} with a requested staff member other than {staff} "
                    f"(the snapshot holds it with {ctx.staff_name(ex.staff_id)})")
        if code == "CLIENT_ALREADY_BOOKED_THIS_TIME":
            return (f"an appointment of {client} overlapping {self.span(it)} that the "
                    "snapshot does not hold")
        if code == "STAFF_NOT_WORKING":
            return (f"a roster of {staff} on {self.day(it)} that does not cover "
                    f"{self.blocks(it)} (a changed work timetable, new time off, or a break "
                    "the snapshot does not hold)")
        if code == "STAFF_DOUBLE_BOOKED":
            return (f"an appointment of {staff} overlapping {self.blocks(it)} that the "
                    "snapshot does not hold")
        if code in ("EXCEEDED_ROOM_CAPACITY", "MACHINE_DOUBLE_BOOKED"):
            room = code == "EXCEEDED_ROOM_CAPACITY"
            rid = s.room_id if room else s.machine_id
            things = snap.rooms if room else snap.machines
            kind = "room" if room else "machine"
            listed = (it.service.room_ids if room else it.service.machine_ids) \
                if it.service else ()
            if rid:
                thing = things.get(rid)
                size = (thing.capacity if isinstance(thing, m.Room) else
                        thing.quantity if isinstance(thing, m.Machine) else None)
                name = getattr(thing, "name", rid)
                lower = f" (or a lower {'capacity' if room else 'quantity'} than its " \
                        f"{size})" if size is not None else ""
                return (f"more bookings or a break in the {kind} {name} ({rid}) overlapping "
                        f"{self.span(it)}{lower} than the snapshot holds")
            if listed:
                return (f"every {kind} {service} can use ({', '.join(listed)}) full over "
                        f"{self.span(it)}, which the snapshot does not show")
            return (f"{service} needing a {kind}: the snapshot lists none for it "
                    f"({'roomIds' if room else 'machineIds'})")
        if code in ("ROOM_UNSUITABLE", "MACHINE_UNSUITABLE"):
            room = code == "ROOM_UNSUITABLE"
            rid = s.room_id if room else s.machine_id
            kind, key = ("room", "roomIds") if room else ("machine", "machineIds")
            listed = (it.service.room_ids if room else it.service.machine_ids) \
                if it.service else ()
            if not rid:
                return (f"a {kind} assigned to {service} that does not suit it, though the "
                        f"request names none")
            have = ", ".join(listed) if listed else "empty: any " + kind
            return (f"{service}'s suitable {kind}s ({key}) not including {rid} (the "
                    f"snapshot's list: {have})")
        if code == "SERVICE_ALREADY_BOOKED_THIS_DAY":
            return (f"another appointment of {client} for {service} on {self.day(it)} that "
                    "the snapshot does not hold")
        if code == "INTERNET_BOOKING_ALREADY_BOOKED":
            if not self.online:
                return ("an online booking: this explanation checked a salon booking "
                        "(online=False), and the rule applies to online bookings only; explain "
                        "again with online=True")
            return (f"an online appointment of {client} on {self.day(it)} that the snapshot "
                    "does not hold")
        if code in (_MIN_DAYS, _MAX_DAYS):
            item = snap.course_items.get(s.course_item_id or "")
            if item is None:
                return None
            course = snap.courses.get(item.course_id or "")
            cname = course.name if course else (item.course_id or item.client_course_id)
            if code == _MIN_DAYS:
                limit = course.min_days if course else None
                if not limit:
                    return (f"a minimum number of days between sessions for {cname}, which "
                            "the snapshot's course does not set")
                return (f"another session of {client}'s course {cname} fewer than {limit} "
                        f"days from {self.day(it)} (or a larger minDaysBetweenSessions than "
                        f"{limit}) that the snapshot does not hold")
            limit = course.max_days if course else None
            if not limit:
                return (f"a maximum number of days between sessions for {cname}, which the "
                        "snapshot's course does not set")
            return (f"the previous session of {client}'s course {cname} more than {limit} "
                    f"days before {self.day(it)}: a session the snapshot holds may have been "
                    f"cancelled or moved since, or maxDaysBetweenSessions is smaller than "
                    f"{limit}")
        if code in _OFFER_CODES:
            if offer is None:
                return None
            oname = f"'{offer.name}' ({offer.id})"
            if code == "SPECIAL_OFFER_BEFORE_START_DATE":
                return (f"the special offer {oname} starting after {self.day(it)} (the "
                        f"snapshot says {offer.start_date or 'no start date'})")
            if code == "SPECIAL_OFFER_AFTER_END_DATE":
                return (f"the special offer {oname} ending before {self.day(it)} (the "
                        f"snapshot says {offer.end_date or 'no end date'})")
            if code == "SPECIAL_OFFER_NOT_ALLOWED_TIME":
                local = it.start.astimezone(snap.zone)
                return (f"allowed times of the special offer {oname} that exclude "
                        f"{local:%A} {local:%H:%M} (the snapshot says "
                        f"{_windows(offer) or 'any time'})")
            if code == "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED":
                return (f"other bookings on the special offer {oname} overlapping "
                        f"{self.span(it)} (or a lower maxConcurrent than "
                        f"{offer.max_concurrent}) that the snapshot does not hold")
            if code == "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED":
                return (f"other bookings on the special offer {oname} on {self.day(it)} (or a "
                        f"lower maxPerDay than {offer.max_per_day}) that the snapshot does "
                        "not hold")
            return (f"{staff} among the staff excluded from the special offer {oname}, which "
                    "the snapshot's excludedStaffIds do not list")
        return None

    # --- remedies per code --------------------------------------------------------------

    def code_remedies(self, code: str, it: Item | None) -> list[dict[str, str]]:
        if it is None:
            return []
        s = it.schedule
        d = self.day(it)
        by_day = f"from_date={d}&to_date={d}"
        services = self.ep("service", "getBranchServices")
        availability = self.ep("appointments/availability", "findAvailableAppointmentTimes",
                               "POST")
        offers = self.ep("service-special-offer", "getServiceSpecialOffers")
        client_day = self.ep(f"appointment?client_id={s.client_id}&{by_day}", "getAppointments")
        out: list[tuple[str, str | None]] = []
        if code == "STAFF_UNQUALIFIED":
            out = [("check who may perform the service: its disqualifiedStaff", services),
                   ("check the staff member's disqualifiedServices", self.ep(
                       f"staff/{s.staff_id}"))]
        elif code == "STAFF_REQUESTED":
            out = [("keep the requested staff member and move only the time, or ask the "
                    "client first (the salon can clear the request flag in Phorest)", None),
                   ("read the appointment's staffRequest flag", self.ep(
                       f"appointment/{self.req.appointment_id or '{appointmentId}'}"))]
        elif code in ("CLIENT_ALREADY_BOOKED_THIS_TIME", "SERVICE_ALREADY_BOOKED_THIS_DAY",
                      "INTERNET_BOOKING_ALREADY_BOOKED"):
            out = [("list the client's appointments that day", client_day)]
        elif code == "STAFF_NOT_WORKING":
            out = [("check the staff member's roster that day", self.ep(
                       f"staff/worktimetable?{by_day}")),
                   ("check their breaks", self.ep(f"break?{by_day}&staff_id={s.staff_id}")),
                   (f"send startTime as a UTC instant: Phorest reads booking times in UTC, "
                    f"and the branch is in {self.snap.zone.key}", None)]
        elif code == "STAFF_DOUBLE_BOOKED":
            out = [("ask Phorest for free times before booking", availability),
                   ("see the staff member's bookings that day", self.ep(
                       f"appointment?staff_id={s.staff_id}&{by_day}", "getAppointments"))]
        elif code in ("EXCEEDED_ROOM_CAPACITY", "MACHINE_DOUBLE_BOOKED"):
            kind = "room" if code == "EXCEEDED_ROOM_CAPACITY" else "machine"
            out = [("check the rooms and machines set for the service", services),
                   (f"see the bookings holding the {kind} that day", self.ep(
                       f"appointment?{by_day}", "getAppointments")),
                   ("ask Phorest for free times before booking", availability)]
        elif code in ("ROOM_UNSUITABLE", "MACHINE_UNSUITABLE"):
            kind = "room" if code == "ROOM_UNSUITABLE" else "machine"
            out = [("check the rooms and machines set for the service", services),
                   (f"list the branch's {kind}s", self.ep(kind))]
        elif code in (_MIN_DAYS, _MAX_DAYS):
            lo, hi = it.local_date - timedelta(days=15), it.local_date + timedelta(days=15)
            out = [("read the client's course", f"GET /business/{{businessId}}/clientcourse"
                    f"?client_id={s.client_id}"),
                   ("list the client's sessions around that date (at most 31 days per call)",
                    self.ep(f"appointment?client_id={s.client_id}&from_date={lo}&to_date={hi}",
                            "getAppointments"))]
        elif code in _OFFER_CODES:
            out = [("check the special offer's settings before booking", offers)]
            if code in ("SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED",
                        "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED"):
                out.append(("see the offer's bookings that day", self.ep(
                    f"appointment?{by_day}", "getAppointments")))
        return [{"action": a, "endpoint": e} if e else {"action": a} for a, e in out]

    # --- everything that is not a rule code ----------------------------------------------

    def other(self) -> Explanation:
        resp, report = self.response, self.report
        st = resp.status
        body = resp.describe()
        status_part = f"HTTP {st}" if st is not None else "no HTTP status given"
        head = f"Phorest answered the {self.what} with {status_part}; {body}."
        diagnosis: Diagnosis = "not-a-rule-code"
        evidence: list[dict[str, Any]] = []
        remedies: list[dict[str, str]] = []
        it = self.items[0] if self.items else None
        day = self.day(it) if it else None
        client = it.schedule.client_id if it else self.req.client_id
        if resp.date_range:
            text = (f"{head} That is the 31-day limit of Phorest's list endpoints "
                    "(appointments, work timetables, breaks): the read that fetched the data "
                    "asked for a longer range; the booking itself was not judged.")
            remedies = [
                {"action": "split the range into windows of at most 31 days (to_date is "
                           "inclusive: 2026-12-01 to 2026-12-31 is 31 days)",
                 "endpoint": self.ep("appointment?from_date=...&to_date=...",
                                     "getAppointments")},
                {"action": "work timetables allow at most one month per call",
                 "endpoint": self.ep("staff/worktimetable?from_date=...&to_date=...")},
                {"action": "breaks allow at most one month per call",
                 "endpoint": self.ep("break?from_date=...&to_date=...")},
            ]
        elif st in (401, 403):
            if st == 401:
                text = (f"{head} Phorest did not accept the credentials, so it did not look at "
                        "the booking.")
            else:
                text = (f"{head} The credentials were accepted but may not reach this "
                        "business or branch, so Phorest did not look at the booking.")
            remedies = [
                {"action": "send HTTP Basic auth on every request, with the username "
                           "global/<email> (without the global/ prefix Phorest answers 401) "
                           "and the password Phorest issued"},
                {"action": "there is no OAuth and no token exchange in this API: credentials "
                           "come only from Phorest Support"},
            ]
            if st == 403:
                remedies.append({"action": f"check the businessId and the branchId ({self.branch}"
                                           ") in the path; ask Phorest Support for access"})
        elif st == 404:
            text, evidence, remedies = self.not_found(head)
        elif st == 409:
            stale = [v for v in report.violations if v.code == "STALE_VERSION"]
            text = (f"{head} A conflict: the appointment changed since it was read (its "
                    "`version` is stale) or another write got there first.")
            if stale:
                text += f" The snapshot agrees: {stale[0].message}"
                evidence = [v.to_dict() for v in stale]
            appt = self.req.appointment_id or "{appointmentId}"
            remedies = [
                {"action": "read the appointment again and rebuild the request from it, with "
                           "its current version; then send it once more",
                 "endpoint": self.ep(f"appointment/{appt}")},
                {"action": "do not retry the same body: it will conflict again"},
            ]
        elif st == 429:
            text = (f"{head} Phorest throttled the request (too many requests); it did not "
                    "look at the booking.")
            remedies = [
                {"action": "back off and retry: exponential backoff with jitter, honouring a "
                           "Retry-After header when one is sent"},
                {"action": "do not hard-code a rate: Phorest's published limit (100 requests a "
                           "second) and one integration's observed limit (500 requests per "
                           "1000 s window) disagree"},
                {"action": "make fewer calls: read from a cached snapshot and check bookings "
                           "before sending them"},
            ]
        elif st is not None and 500 <= st <= 599:
            text = (f"{head} A server or gateway error, usually transient. The {self.what} "
                    "may or may not have been made: check before retrying.")
            check_first: dict[str, str] = {"action": "before retrying, check whether it was "
                                                     "made: list the client's appointments "
                                                     "that day"}
            if day is not None:
                check_first["endpoint"] = self.ep(
                    f"appointment?client_id={client}&from_date={day}&to_date={day}",
                    "getAppointments")
            remedies = [check_first]
            if self.req.kind == "update":
                remedies.append({"action": "read the appointment: a new version means the "
                                           "update went through",
                                 "endpoint": self.ep(f"appointment/{self.req.appointment_id}")})
            remedies.append({"action": "then retry with exponential backoff (and jitter); do "
                                       "not retry a createBooking that already exists"})
        elif resp.code is not None:
            diagnosis = "unmodelled"
            where = f" (in `{resp.source_field}`)" if resp.source_field else ""
            text = (f"{head} {resp.code}{where} is not one of the nineteen Phorest codes this "
                    f"library models. Raw body: {_cut(resp.text)!r}.")
            if resp.code in CATEGORIES:
                text += (f" {resp.code} is {CATEGORIES[resp.code]}; this body names no "
                         "specific code.")
            text += self.check_says()
            evidence = [v.to_dict() for v in report.violations if v.api]
            remedies = [{"action": "keep the raw body and report the code, so it can be "
                                   "modelled (a rule, or the ruleset's priority)"}]
            remedies += [{"action": f} for f in dict.fromkeys(
                v.fix for v in report.violations if v.api and v.fix)]
        else:
            # A bare 400 is what Phorest answers for invalid booking data (an unknown id
            # inside the body): the engine's own codes come first here.
            found = sorted(report.violations, key=lambda v: v.api)
            text = f"{head} It names none of Phorest's booking codes."
            if found and not found[0].api:
                engine = list(dict.fromkeys(v.code for v in found))
                text += f" The check finds {_and(engine)}: {found[0].message}"
            else:
                text += self.check_says()
            evidence = [v.to_dict() for v in found]
            remedies = [{"action": f} for f in dict.fromkeys(v.fix for v in found if v.fix)]
            remedies.append({"action": "keep the HTTP status and the raw body in the "
                                       "integration's log: explain them again with the status"})
        return self.result(diagnosis, text, evidence, remedies)

    def check_says(self) -> str:
        report = self.report
        if report.verdict == "PASS":
            return " Against the snapshot this booking passes the check."
        if not report.violations:
            return " Against the snapshot the check cannot decide it."
        pred = report.predicted_api_code
        if pred:
            first = next(v for v in report.violations if v.code == pred)
            return f" The snapshot predicts {pred}: {first.message}"
        return (f" The check finds {_and(report.codes)}: {report.violations[0].message}")

    def not_found(self, head: str) -> tuple[str, list[dict[str, Any]], list[dict[str, str]]]:
        report = self.report
        unknown = [v for v in (*report.violations, *report.unknowns)
                   if v.code == "UNKNOWN_ID"]
        clients = [v for v in (*report.violations, *report.warnings)
                   if v.code == "UNKNOWN_CLIENT"]
        found = unknown + clients
        if found:
            named = "; ".join(v.message for v in found)
            text = (f"{head} Phorest did not find something the request names, and the "
                    f"snapshot does not hold it either: {named}")
            remedies = [{"action": f} for f in dict.fromkeys(v.fix for v in found if v.fix)]
        else:
            text = (f"{head} Every id in the request is known to the snapshot (branch "
                    f"{self.branch}), so the id may belong to another branch (check the "
                    "branchId in the path) or was deleted after the snapshot was fetched. "
                    f"{self.age()}")
            remedies = [{"action": f"check that the path's branchId is {self.branch}, the "
                                   "snapshot's branch"},
                        {"action": "refresh the snapshot and explain again"}]
        if self.req.kind == "update":
            remedies.append({"action": "if GET .../appointment/{appointmentId} itself answers "
                                       "404 (one tenant saw it always do), list the appointment "
                                       "with updated_from/updated_to instead",
                             "endpoint": self.ep("appointment?updated_from=...&updated_to=...",
                                                 "getAppointments")})
        return text, [v.to_dict() for v in found], remedies


_WHY_NOT: dict[str, str] = {
    "STAFF_REQUESTED": "STAFF_REQUESTED concerns moving an existing appointment to another "
                       "staff member, and this request moves none",
    _MIN_DAYS: "no schedule books a course session the snapshot knows",
    _MAX_DAYS: "no schedule books a course session the snapshot knows",
    **{c: "no schedule uses a special offer the snapshot holds" for c in _OFFER_CODES},
}


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _windows(offer: m.SpecialOffer) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(
        f"{'/'.join(names[d] for d in sorted(w.weekdays))} {w.start:%H:%M}-{w.end:%H:%M}"
        for w in offer.allowed_times)


# --- alternatives ----------------------------------------------------------------------------

_SEGMENT = re.compile(r"([A-Za-z_]+)\[(\d+)\]")


class _Alternatives:
    """Request bodies along named axes, each verified with ``check`` before it is kept."""

    def __init__(self, case: _Case, codes: set[str]) -> None:
        self.case = case
        self.codes = codes
        request = case.request
        body: Any = request
        if isinstance(request, Mapping) and "body" in request and (
                "kind" in request or len(request) == 1):
            body = request["body"]
        # A canonical m.Request (no body to edit) gets no alternatives.
        self.body: dict[str, Any] = copy.deepcopy(dict(body)) if isinstance(body, Mapping) \
            else {}
        self.kind = case.req.kind
        # The alternatives are bodies the user can send: Phorest's name for the write.
        self.wire_kind = "updateAppointment" if self.kind == "update" else "createBooking"
        self.zone = case.snap.zone
        self.times = case.snap.appointment_times
        self._search: Snapshot | None = None

    # --- the search snapshot: an update never conflicts with the appointment it moves ----

    @property
    def search_snapshot(self) -> Snapshot:
        if self._search is None:
            snap = self.case.snap_given
            aid = self.case.req.appointment_id
            self._search = snap
            if self.kind == "update" and aid and aid in snap.appointments:
                self._search = snap.without_appointment(aid)
        return self._search

    # --- building and verifying bodies --------------------------------------------------

    def build(self, target: Item) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if not self.body or target.service is None or target.staff is None:
            return out
        out += self.other_time(target)
        out += self.other_staff(target)
        if target.schedule.room_id is not None:
            out += self.other_resource(target, "room")
        if target.schedule.machine_id is not None:
            out += self.other_resource(target, "machine")
        if self.codes & {_MIN_DAYS, _MAX_DAYS} and target.schedule.course_item_id:
            out += self.course_date(target)
        if self.codes & _OFFER_CODES and target.schedule.offer_id and (
                self.kind == "create"):
            out += self.without_offer(target)
        return out

    def passes(self, body: dict[str, Any]) -> bool:
        from .. import check

        report = check(self.case.snap_given, {"kind": self.wire_kind, "body": body},
                       now=self.case.now, online=self.case.online, ruleset=self.case.ruleset)
        return report.verdict == "PASS"

    def alt(self, change: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"change": change, "description": description,
                "request": {"kind": self.wire_kind, "body": body}}

    def node(self, body: dict[str, Any], item: Item) -> dict[str, Any]:
        """The dict of ``item``'s schedule inside ``body``."""
        if not item.location:
            return body
        here: Any = body
        for name, index in _SEGMENT.findall(item.location):
            here = here[name][int(index)]
        if not isinstance(here, dict):
            raise TypeError(f"no schedule at {item.location}")
        return here

    def moved(self, items: Sequence[Item], delta: timedelta) -> dict[str, Any] | None:
        """The body with ``items`` moved by ``delta`` (None when a local time would not
        read back as the same instant: a fall-back fold)."""
        body = copy.deepcopy(self.body)
        for it in items:
            node = self.node(body, it)
            start = it.start + delta
            end = it.schedule.end + delta if it.schedule.end is not None else None
            if self.kind == "create":
                node["startTime"] = format_utc(start)
                if node.get("endTime") is not None and end is not None:
                    node["endTime"] = format_utc(end)
                continue
            wall = self.wall(start)
            if wall is None:
                return None
            node["appointmentDate"] = wall.date().isoformat()
            node["startTime"] = f"{wall:%H:%M:%S}"
            if node.get("endTime") is not None and end is not None:
                end_wall = self.wall(end)
                if end_wall is None:
                    return None
                node["endTime"] = f"{end_wall:%H:%M:%S}"
        return body

    def wall(self, instant: datetime) -> datetime | None:
        if self.times == "utc":
            return instant.astimezone(UTC).replace(tzinfo=None)
        local = instant.astimezone(self.zone).replace(tzinfo=None)
        back = wall_to_utc(local.date(), local.time(), self.zone).instant
        return local if back == instant else None

    def with_fields(self, item: Item, **values: str | None) -> dict[str, Any]:
        body = copy.deepcopy(self.body)
        node = self.node(body, item)
        for key, value in values.items():
            if value is None:
                node.pop(key, None)
            else:
                node[key] = value
        return body

    def move_passing(self, target: Item, delta: timedelta) -> tuple[dict[str, Any], bool
                                                                    ] | None:
        """The target moved by ``delta`` (else the whole booking), if it passes; and
        whether the whole booking moved."""
        body = self.moved([target], delta)
        if body is not None and self.passes(body):
            return body, False
        if len(self.case.items) > 1:
            body = self.moved(self.case.items, delta)
            if body is not None and self.passes(body):
                return body, True
        return None

    # --- the axes ------------------------------------------------------------------------

    def day_starts(self, target: Item, day: date, staff_id: str) -> list[datetime]:
        """Passing starts of ``staff_id`` on local ``day`` for the target's service, found
        with find_slots (empty when the snapshot does not cover that day)."""
        from .. import find_slots

        lo = wall_to_utc(day, time(0), self.zone).instant
        hi = wall_to_utc(day + timedelta(days=1), time(0), self.zone).instant
        try:
            slots = find_slots(self.search_snapshot, [target.schedule.service_id or ""],
                               start=lo, end=hi, staff_id=staff_id,
                               client_id=target.schedule.client_id, online=self.case.online,
                               now=self.case.now, ruleset=self.case.ruleset)
        except InputError:
            return []
        return [s.start for s in slots]

    def other_time(self, target: Item) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        staff_id = target.schedule.staff_id or ""
        for day in _days_around(target.local_date, DAYS_AROUND):
            starts = sorted((s for s in self.day_starts(target, day, staff_id)
                             if s != target.start),
                            key=lambda s: (abs(s - target.start), s))
            for start in starts:
                found = self.move_passing(target, start - target.start)
                if found is None:
                    continue
                body, whole = found
                what = "the whole booking moved: " if whole else ""
                out.append(self.alt(
                    "same-staff-other-time",
                    f"{what}{self.case.ctx.staff_name(staff_id)} at "
                    f"{format_local(start, self.zone)}, {_shift(start - target.start)}",
                    body))
                if len(out) >= PER_AXIS:
                    return out
        return out

    def other_staff(self, target: Item) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        ctx = self.case.ctx
        staff = sorted(self.case.snap.staff.values(), key=lambda st: (st.name, st.id))
        for st in staff:
            if st.id == target.schedule.staff_id:
                continue
            body = self.with_fields(target, staffId=st.id)
            if self.passes(body):
                out.append(self.alt(
                    "same-time-other-staff",
                    f"{st.name} ({st.id}) instead of {ctx.staff_name(target.schedule.staff_id)}"
                    f", same time ({format_local(target.start, self.zone)})", body))
                if len(out) >= PER_AXIS:
                    break
        return out

    def other_resource(self, target: Item, kind: Literal["room", "machine"]
                       ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        snap = self.case.snap
        service = target.service
        things: Mapping[str, m.Room | m.Machine] = snap.rooms if kind == "room" \
            else snap.machines
        listed = (service.room_ids if kind == "room" else service.machine_ids) \
            if service else ()
        current = target.schedule.room_id if kind == "room" else target.schedule.machine_id
        candidates = [i for i in (listed or sorted(things)) if i in things and i != current]
        now_name = things[current].name if current is not None and current in things \
            else current
        for rid in candidates:
            key = "roomId" if kind == "room" else "machineId"
            body = self.with_fields(target, **{key: rid})
            if self.passes(body):
                out.append(self.alt(
                    f"other-{kind}",
                    f"{kind} {things[rid].name} ({rid}) instead of {now_name} ({current}), "
                    f"same time and staff", body))
                if len(out) >= PER_AXIS:
                    break
        return out

    def course_date(self, target: Item) -> list[dict[str, Any]]:
        """The nearest local dates the course's spacing allows (the same wall clock time
        there no longer trips MIN/MAX days), each with the passing start of the same staff
        member nearest that time of day."""
        from .. import check

        out: list[dict[str, Any]] = []
        staff_id = target.schedule.staff_id or ""
        local = target.start.astimezone(self.zone)
        spacing = {_MIN_DAYS, _MAX_DAYS}
        for day in _days_around(target.local_date, COURSE_DAYS):
            if day == target.local_date:
                continue
            same_clock = wall_to_utc(day, local.time().replace(tzinfo=None),
                                     self.zone).instant
            probe = self.moved([target], same_clock - target.start)
            if probe is None:
                continue
            report = check(self.case.snap_given, {"kind": self.wire_kind, "body": probe},
                           now=self.case.now, online=self.case.online,
                           ruleset=self.case.ruleset)
            if spacing & {v.code for v in (*report.violations, *report.unknowns)}:
                continue
            starts = sorted(self.day_starts(target, day, staff_id),
                            key=lambda s: (abs(s - same_clock), s))
            for start in starts:
                found = self.move_passing(target, start - target.start)
                if found is None:
                    continue
                body, whole = found
                what = "the whole booking moved: " if whole else ""
                days = (day - target.local_date).days
                out.append(self.alt(
                    "course-date",
                    f"{what}{self.case.ctx.staff_name(staff_id)} at "
                    f"{format_local(start, self.zone)}, {abs(days)} day"
                    f"{'s' if abs(days) != 1 else ''} {'later' if days > 0 else 'earlier'}: a "
                    "date the course's spacing allows", body))
                break
            if len(out) >= PER_AXIS:
                break
        return out

    def without_offer(self, target: Item) -> list[dict[str, Any]]:
        offer = self.case.snap.offers.get(target.schedule.offer_id or "")
        name = f"'{offer.name}' ({offer.id})" if offer else repr(target.schedule.offer_id)
        body = self.with_fields(target, specialOfferId=None)
        if not self.passes(body):
            return []
        return [self.alt("without-special-offer",
                         f"the same booking without the special offer {name} (at the "
                         "service's normal price)", body)]


def _days_around(day: date, reach: int) -> Iterator[date]:
    """``day``, then the days after and before it, nearest first (later first on a tie)."""
    yield day
    for k in range(1, reach + 1):
        yield day + timedelta(days=k)
        yield day - timedelta(days=k)


def _shift(delta: timedelta) -> str:
    """``15 min later``, ``1 day 2 h earlier``."""
    later = delta >= timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts) + (" later" if later else " earlier")


# --- corpus mode -------------------------------------------------------------------------

NONE = "none"
PASS = "PASS"


@dataclass(frozen=True)
class CorpusEntry:
    """One logged API error, explained."""

    name: str
    explanation: Explanation
    predicted: str | None  # Report.predicted_api_code
    verdict: str

    @property
    def api_code(self) -> str | None:
        return self.explanation.code

    @property
    def row(self) -> str:
        return self.api_code or NONE

    @property
    def column(self) -> str:
        if self.predicted:
            return self.predicted
        return PASS if self.verdict == "PASS" else NONE

    @property
    def scored(self) -> bool:
        """Scored when the API answered one of the nineteen codes."""
        return self.api_code in _KNOWN

    @property
    def matched(self) -> bool | None:
        return (self.predicted == self.api_code) if self.scored else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.explanation.status,
                "apiCode": self.api_code, "predicted": self.predicted,
                "verdict": self.verdict, "diagnosis": self.explanation.diagnosis,
                "scored": self.scored, "matched": self.matched}


@dataclass(frozen=True)
class CorpusReport:
    """How often the check's predicted code was the code the API answered."""

    directory: str
    entries: tuple[CorpusEntry, ...]

    @property
    def rows(self) -> list[str]:
        return _order({e.row for e in self.entries})

    @property
    def columns(self) -> list[str]:
        return _order({e.column for e in self.entries})

    @property
    def confusion(self) -> dict[str, dict[str, int]]:
        """counts[API code][predicted code, or PASS / none]; only non-zero cells."""
        out: dict[str, dict[str, int]] = {r: {} for r in self.rows}
        for e in self.entries:
            out[e.row][e.column] = out[e.row].get(e.column, 0) + 1
        return {r: {c: cells[c] for c in self.columns if c in cells}
                for r, cells in out.items()}

    @property
    def scored(self) -> int:
        return sum(e.scored for e in self.entries)

    @property
    def matched(self) -> int:
        return sum(bool(e.matched) for e in self.entries)

    @property
    def accuracy(self) -> float | None:
        return self.matched / self.scored if self.scored else None

    @property
    def diagnoses(self) -> dict[str, int]:
        counts = {d: 0 for d in DIAGNOSES}
        for e in self.entries:
            counts[e.explanation.diagnosis] = counts.get(e.explanation.diagnosis, 0) + 1
        return {d: n for d, n in counts.items() if n}

    def to_dict(self) -> dict[str, Any]:
        return {"schemaVersion": SCHEMA_VERSION,
                "directory": self.directory, "entries": [e.to_dict() for e in self.entries],
                "confusion": {"rows": self.rows, "columns": self.columns,
                              "counts": self.confusion},
                "scored": self.scored, "matched": self.matched, "accuracy": self.accuracy,
                "diagnoses": self.diagnoses}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        n = len(self.entries)
        lines = [f"Corpus {self.directory}: {n} entr{'y' if n == 1 else 'ies'}, "
                 f"{self.scored} scored (the API answered one of Phorest's nineteen codes)"]
        if self.accuracy is None:
            lines.append("No entry could be scored.")
        else:
            lines.append(f"The predicted code was the API's in {self.matched} of "
                         f"{self.scored}: accuracy {self.accuracy:.1%}")
        lines += ["", "Rows: the API's code; columns: the predicted code (PASS: the check "
                  "passed; none: no Phorest code predicted).", ""]
        cols = self.columns
        head = "API code \\ predicted"
        first = max(len(head), *(len(r) for r in self.rows))
        widths = [max(len(c), 1) for c in cols]
        lines.append("  ".join([head.ljust(first), *(c.ljust(w) for c, w in zip(
            cols, widths, strict=True))]).rstrip())
        table = self.confusion
        for r in self.rows:
            cells = [str(table[r].get(c, ".")).ljust(w) for c, w in zip(cols, widths,
                                                                          strict=True)]
            lines.append("  ".join([r.ljust(first), *cells]).rstrip())
        lines += ["", "Entries:"]
        name_w = max(len(e.name) for e in self.entries) if self.entries else 0
        for e in self.entries:
            mark = "not scored" if not e.scored else ("match" if e.matched else "MISS")
            st = str(e.explanation.status) if e.explanation.status is not None else "-"
            lines.append(f"  {e.name.ljust(name_w)}  {st:>3}  API {e.row}, predicted "
                         f"{e.column}: {e.explanation.diagnosis}, {mark}")
        diag = ", ".join(f"{d} {k}" for d, k in self.diagnoses.items())
        lines += ["", f"Diagnoses: {diag}" if diag else "Diagnoses: none"]
        return "\n".join(lines) + "\n"


def _order(labels: set[str]) -> list[str]:
    """The nineteen codes in registry order, then other codes sorted, then PASS, none."""
    known = [c for c in PHOREST_CODES if c in labels]
    other = sorted(labels - _KNOWN - {PASS, NONE})
    return known + other + [x for x in (PASS, NONE) if x in labels]


def explain_corpus(directory: str | Path, *, now: datetime | None = None,
                   ruleset: str | Path | Ruleset = "phorest") -> CorpusReport:
    """Explain every entry of a corpus of logged API errors (docs/explain.md, "Corpus
    mode"): one folder per entry with ``snapshot.json``, ``request.json``,
    ``response.json`` or ``response.txt``, and an optional ``meta.json``.

    ``now`` per entry: ``meta.json``'s ``now``, else this ``now``, else the snapshot's
    ``coverage.fetchedAt``; with none of them the entry is an InputError naming it.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InputError(str(root), "", "a corpus directory: one folder per entry holding "
                         "snapshot.json, request.json and response.json or response.txt")
    folders = sorted(p for p in root.iterdir()
                     if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        raise InputError(str(root), "", "at least one entry folder holding snapshot.json, "
                         "request.json and response.json or response.txt")
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return CorpusReport(str(directory), tuple(_entry(p, now, ruleset) for p in folders))


def _entry(folder: Path, now: datetime | None, ruleset: str | Path | Ruleset) -> CorpusEntry:
    snap_path = folder / "snapshot.json"
    if not snap_path.is_file():
        raise InputError(str(folder), "snapshot.json", "the snapshot the request was checked "
                         "against (snapshot.json)")
    request_path = folder / "request.json"
    request = _read_json(request_path)
    response_path = next((p for p in (folder / "response.json", folder / "response.txt")
                          if p.is_file()), None)
    if response_path is None:
        raise InputError(str(folder), "response.json", "the raw response body, in "
                         "response.json or response.txt")
    body = load_error(response_path)
    meta = _meta(folder / "meta.json")
    snap = load_snapshot(snap_path)
    when = meta.now or now or snap.coverage.fetched_at
    if when is None:
        raise InputError(str(folder), "meta.json: now", "the instant the request was sent: "
                         "`now` in meta.json, or a snapshot with coverage.fetchedAt")
    ex = explain(body, request, snap, status=meta.status, now=when, online=meta.online,
                 ruleset=ruleset, request_source=str(request_path))
    report = ex.report
    assert report is not None
    return CorpusEntry(folder.name, ex, report.predicted_api_code, report.verdict)


def load_error(path: str | Path) -> bytes:
    """A logged response body, raw (it may be malformed: ``explain`` reads any form), or
    an InputError naming the file when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "", "an existing file (the raw response body)") from None
    except OSError as exc:
        raise InputError(str(path), "", f"a readable file ({exc.__class__.__name__})"
                         ) from None


@dataclass(frozen=True)
class _Meta:
    status: int | None = None
    now: datetime | None = None
    online: bool = False


def _meta(path: Path) -> _Meta:
    if not path.exists():
        return _Meta()
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise InputError(str(path), "", "a JSON object: {\"status\", \"now\", \"online\"}")
    unknown = sorted(set(doc) - {"status", "now", "online"})
    if unknown:
        raise InputError(str(path), unknown[0], "only the keys status, now and online")
    status = doc.get("status")
    if status is not None and _status_of(status) is None:
        raise InputError(str(path), "status", "an HTTP status code such as 400", status)
    when = None
    if doc.get("now") is not None:
        try:
            when = parse_instant(str(doc["now"]))[0]
        except ValueError:
            raise InputError(str(path), "now", "an ISO-8601 instant such as "
                             "2026-12-01T14:00:00Z", doc["now"]) from None
    online = doc.get("online", False)
    if not isinstance(online, bool):
        raise InputError(str(path), "online", "true or false", online)
    return _Meta(_status_of(status), when, online)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "", "an existing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "", f"a readable UTF-8 file ({exc.__class__.__name__})"
                         ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None

