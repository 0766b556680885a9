"""Explain a PNE refusal: read the status and body, re-run the check on the same request
and snapshot, and say what the cache predicts and what cannot be known.

    ex = explain_pne(body, request, snapshot, status=409, now=now)
    ex.diagnosis, ex.to_text(), ex.to_json()

Diagnoses: ``confirmed`` (the check finds errors that account for the answer),
``not-reproduced`` (the check passes, or finds nothing of the kind: a stale cache, a
race, or something the cache does not hold), ``not-about-the-request`` (credentials,
budget, server: the request was not judged), ``accepted`` (a 2xx).

``EXPLAIN`` is PNE's side of ``booking_rules.explain`` (the per-platform seam):
``br.explain(body, request, snapshot, platform="pne", ruleset="pne", ...)`` and
``booking-rules explain --platform pne`` go through it. :func:`explain_pne` gives the same
reading as a PNE-shaped result (with ``cannotBeKnown`` as a list).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..._errors import InputError
from ..._time import format_utc
from ...core import model as m
from ...core.codes import CodeTable
from ...core.report import Report, Violation
from ...core.ruleset import Ruleset
from ...core.snapshot import Snapshot
from ...explain.platform import Advice
from ._check import check
from .advice import ALWAYS_UNKNOWN, read_status
from .codes import TABLE
from .errors import PneResponse, parse_response
from .load import load_snapshot
from .requests import infer_kind, parse_request

# Codes a status is about, when the check finds them.
_BY_STATUS = {
    404: ("UNKNOWN_ID", "UNKNOWN_ORDER_ID", "UNKNOWN_CUSTOMER", "UNKNOWN_ORDER_CUSTOMER",
          "VISH_READ_ONLY"),
    409: ("EMPLOYEE_DOUBLE_BOOKED", "CUSTOMER_ALREADY_BOOKED", "EMPLOYEE_NOT_SCHEDULED"),
    403: ("VISH_READ_ONLY",),
}
# Body field names (as PNE's validation text may name them) -> codes about that field.
_FIELDS = {
    "StartDate": ("START_DATE_INVALID", "START_DATE_FORMAT", "START_IN_PAST"),
    "Init": ("INVALID_MINUTES",), "Delay": ("INVALID_MINUTES",),
    "Complete": ("INVALID_MINUTES",), "CompanyId": ("COMPANY_MISMATCH",),
    "EmployeeId": ("UNKNOWN_ID", "EMPLOYEE_UNQUALIFIED", "EMPLOYEE_NOT_SCHEDULED",
                   "EMPLOYEE_DOUBLE_BOOKED", "INACTIVE_EMPLOYEE"),
    "ServiceId": ("UNKNOWN_ID", "INACTIVE_SERVICE", "CUSTOMER_SHAPE_IN_APPOINTMENT"),
    "CustomerId": ("UNKNOWN_CUSTOMER", "CUSTOMER_ALREADY_BOOKED", "UNKNOWN_ORDER_CUSTOMER"),
    "SubTotal": ("SUBTOTAL_MISMATCH", "INVALID_NUMBER"),
    "Total": ("TOTAL_BELOW_SUBTOTAL", "PAYMENTS_BELOW_TOTAL", "INVALID_NUMBER"),
    "ExtendedPrice": ("EXTENDED_PRICE_MISMATCH", "INVALID_NUMBER"),
    "RetailPrice": ("PRICE_DIFFERS_FROM_CATALOGUE", "INVALID_NUMBER"),
    "InvType": ("UNKNOWN_INV_TYPE",), "PaymentType": ("UNKNOWN_PAYMENT_TYPE",),
    "Amount": ("PAYMENTS_BELOW_TOTAL", "INVALID_NUMBER"), "Qty": ("NEGATIVE_QUANTITY",),
    "ItemId": ("UNKNOWN_ORDER_ID",),
}


@dataclass(frozen=True)
class PneExplanation:
    diagnosis: str
    explanation: str
    response: PneResponse
    report: Report
    evidence: Sequence[Violation] = ()
    remedies: Sequence[tuple[str, str]] = ()
    unknown: Sequence[str] = field(default_factory=tuple)
    write: str = "POST /appointments"

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": "pne", "write": self.write, "diagnosis": self.diagnosis,
            "explanation": self.explanation, "response": self.response.to_dict(),
            "evidence": [v.to_dict() for v in self.evidence],
            "remedies": [{"action": a, **({"endpoint": e} if e else {})}
                         for a, e in self.remedies],
            "cannotBeKnown": list(self.unknown),
            "check": self.report.to_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        r = self.report
        status = (f"HTTP {self.response.status}" if self.response.status is not None
                  else "no HTTP status")
        lines = [f"{self.diagnosis.upper()}  PNE answered {self.write} with {status}; "
                 f"{self.response.describe()}", "", self.explanation]
        if self.evidence:
            lines += ["", "What the check finds:"]
            lines += [f"  {v.severity:<8} {v.code}: {v.message}" for v in self.evidence]
        lines += ["", f"The check of the same request against the snapshot: {r.verdict} "
                  f"(checked at {format_utc(r.now)}"
                  + (f", snapshot {r.snapshot_age_seconds} s old" if
                     r.snapshot_age_seconds is not None else "") + ")."]
        if self.remedies:
            lines += ["", "What to do:"]
            lines += [f"  - {a}" + (f"  ({e})" if e else "") for a, e in self.remedies]
        lines += ["", "What cannot be known:"]
        lines += [f"  - {u}" for u in self.unknown]
        return "\n".join(lines) + "\n"


def read_error(path: str) -> Any:
    """A response body file as received: JSON when it is JSON, else its text ("" when
    empty)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError(path, "", "an existing file (the response body; it may be "
                         "empty)") from None
    except OSError as exc:
        raise InputError(path, "", f"a readable file ({exc.__class__.__name__})") from None
    try:
        return json.loads(text)
    except ValueError:
        return text


def explain_pne(error: str | bytes | Mapping[str, Any] | None, request: object,
                snapshot: Snapshot, *, status: int | None = None, now: datetime,
                ruleset: str | Path | Ruleset = "pne", vish: bool = False,
                retry_after: str | None = None,
                request_source: str = "<request>") -> PneExplanation:
    """Explain PNE's answer ``error`` (with ``status``) to ``request``, re-checking it
    against ``snapshot`` at ``now`` (the instant it was sent)."""
    response = parse_response(error, status, retry_after)
    report = check(snapshot, request, now=now, ruleset=ruleset, source=request_source,
                   vish=vish)
    body = request.get("body", request) if isinstance(request, Mapping) else {}
    kind = (request.get("kind") if isinstance(request, Mapping) else None) or (
        infer_kind(body) if isinstance(body, Mapping) else "appointment")
    write = "POST /orders" if kind == "order" else "POST /appointments"
    diagnosis, text, evidence, remedies, unknown = diagnose(response, report, write)
    return PneExplanation(diagnosis, text, response, report, tuple(evidence),
                          tuple(remedies), tuple(unknown), write)


def diagnose(response: PneResponse, report: Report, write: str
             ) -> tuple[str, str, list[Violation], list[tuple[str, str]], list[str]]:
    """PNE's answer against the check of the same request: (diagnosis, explanation, the
    violations it bears on, remedies, what cannot be known)."""
    reading = read_status(response, write)
    unknown = [*ALWAYS_UNKNOWN, *reading.unknown]
    errors = list(report.violations)
    related = _related(response, errors)
    evidence: list[Violation]
    if response.status is not None and 200 <= response.status < 300:
        diagnosis, evidence = "accepted", []
    elif not reading.about_request:
        diagnosis, evidence = "not-about-the-request", errors
        if errors:
            unknown.append("whether PNE would also refuse what the check finds: it did "
                           "not judge the request")
    elif related:
        diagnosis, evidence = "confirmed", related
    elif errors:
        diagnosis, evidence = "confirmed", errors
    else:
        diagnosis, evidence = "not-reproduced", list(report.warnings)
    text = reading.meaning
    if diagnosis == "confirmed":
        text += (f" The check against the snapshot finds {len(errors)} error(s) that "
                 "account for it: fix those before sending again.")
    elif diagnosis == "not-reproduced":
        age = report.snapshot_age_seconds
        text += (" The check against the snapshot finds nothing PNE would refuse: the "
                 "cache is older than what PNE holds" + (f" ({age} s old)" if age else "")
                 + ", another booking took the time first, or PNE checks something the "
                 "cache does not hold. Refresh the snapshot and check again.")
        unknown.append("which of those it was, without a fresh snapshot")
    return (diagnosis, text, evidence, list(reading.remedies),
            list(dict.fromkeys(unknown)))


def _related(response: PneResponse, errors: list[Violation]) -> list[Violation]:
    """The check's errors the answer bears on: by status, or by a field its text names."""
    codes = set(_BY_STATUS.get(response.status or 0, ()))
    text = response.text
    for name, about in _FIELDS.items():
        if name.lower() in text.lower():
            codes.update(about)
    return [v for v in errors if v.code in codes]


@dataclass(frozen=True)
class PneExplain:
    """PNE, as ``booking_rules.explain`` uses it (its ``ExplainPlatform`` seam): PNE
    answers no rule codes, so every answer is read by :meth:`advise` (status first, the
    check's violations as evidence, what cannot be known said in the text)."""

    vish: bool = False
    table: CodeTable = TABLE
    rule_status: int = 400  # PNE sends no rule codes; 400 is its validation status
    categories: Mapping[str, str] = field(default_factory=dict)

    def load_snapshot(self, source: str | Path | Mapping[str, Any]) -> Snapshot:
        return load_snapshot(source)

    def parse_request(self, request: object, snapshot: Snapshot) -> m.Request:
        return parse_request(request, snapshot, vish=self.vish)

    def parse_response(self, error: str | bytes | Mapping[str, Any] | None,
                       status: int | None) -> PneResponse:
        return parse_response(error, status)

    def advise(self, response: Any, situation: Any) -> Advice:
        report: Report = situation.report
        write = "POST /orders" if situation.request.subject == "order" else (
            "POST /appointments")
        diagnosis, text, evidence, remedies, unknown = diagnose(response, report, write)
        said = f"{text} Diagnosis: {diagnosis}. Cannot be known: " + " ".join(
            (u[0].upper() + u[1:]) if u.endswith(".") else f"{u[0].upper()}{u[1:]}."
            for u in unknown)
        return Advice(said, [{"action": a, **({"endpoint": e} if e else {})}
                             for a, e in remedies], evidence)

    def rule_remedies(self, rule: str, situation: Any, item: Any) -> list[dict[str, str]]:
        return []  # never asked: PNE answers no rule code

    def editor(self, request: object, canonical: m.Request, snapshot: Snapshot) -> None:
        return None  # alternatives come with rule codes, which PNE does not send


EXPLAIN = PneExplain()
