"""The result of explain: a diagnosis, a paragraph, evidence, remedies, alternatives."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.report import SCHEMA_VERSION, Report
from .platform import Response

Diagnosis = Literal["confirmed", "not-reproduced", "other-code", "undecided", "unmodelled",
                    "not-a-rule-code"]
DIAGNOSES: tuple[str, ...] = ("confirmed", "not-reproduced", "other-code", "undecided",
                              "unmodelled", "not-a-rule-code")
# The diagnoses of an answer holding one of the codes the platform's API answers.
RULE_DIAGNOSES = frozenset({"confirmed", "not-reproduced", "other-code", "undecided"})


@dataclass(frozen=True)
class Explanation:
    """Why the platform refused a request, what to do about it, and what would pass
    instead."""

    code: str | None  # the code the API answered (one it answers, or unmodelled)
    source_field: str | None  # where the code was found: detail, errorCode, message, ...
    status: int | None
    diagnosis: str  # one of DIAGNOSES
    explanation: str  # a short paragraph a support person can paste
    evidence: tuple[dict[str, Any], ...] = ()  # violations (Violation.to_dict) backing it
    remedies: tuple[dict[str, str], ...] = ()  # {"action", "endpoint"?}
    alternatives: tuple[dict[str, Any], ...] = ()  # {"change", "description", "request"}
    response: Response | None = field(default=None, compare=False, repr=False)
    report: Report | None = field(default=None, compare=False, repr=False)
    platform: str = field(default="", compare=False, repr=False)  # as reports name it

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
        head = self.code or (f"no {self.platform} code" if self.platform else "no code")
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
