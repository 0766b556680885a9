"""The result of a check: a verdict, every violation with its evidence, and the one code
the API would most likely answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .._time import format_local, format_utc

if TYPE_CHECKING:
    from .ruleset import Ruleset
    from .snapshot import Snapshot

Verdict = Literal["PASS", "FAIL", "UNKNOWN"]


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    severity: str  # "error", "warning", or "unknown" for a rule that could not decide
    message: str
    location: str  # where in the request body, e.g. clientAppointmentSchedules[0]...
    schedule: int | None  # index of the schedule in request order, None for the request
    evidence: dict[str, Any] = field(default_factory=dict)
    fix: str = ""
    api: bool = False  # a code the platform's API itself answers (a prediction may name it)
    rule: str = ""  # the rule's neutral name

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "location": self.location, "evidence": self.evidence, "fix": self.fix}


@dataclass(frozen=True)
class Report:
    verdict: Verdict
    violations: tuple[Violation, ...]  # error severity
    warnings: tuple[Violation, ...]
    unknowns: tuple[Violation, ...]
    predicted_api_code: str | None
    ruleset: str
    branch: str
    zone: str
    now: datetime
    snapshot_fetched_at: datetime | None = None
    platform: str = "Phorest"  # the platform the report predicts for, as reports name it
    # The lists the check read (model.LIST_NAMES order) and when each was fetched.
    streams: tuple[tuple[str, datetime | None], ...] = ()

    @classmethod
    def build(cls, found: list[Violation], unknowns: list[Violation], ruleset: Ruleset,
              snapshot: Snapshot, now: datetime, *,
              streams: tuple[tuple[str, datetime | None], ...] = ()) -> Report:
        errors = tuple(v for v in found if v.severity == "error")
        warnings = tuple(v for v in found if v.severity == "warning")
        verdict: Verdict = "FAIL" if errors else ("UNKNOWN" if unknowns else "PASS")
        return cls(verdict, errors, warnings, tuple(unknowns),
                   ruleset.predict(errors), ruleset.name, snapshot.branch.name,
                   snapshot.zone.key, now, snapshot.coverage.fetched_at,
                   ruleset.table.display, streams)

    def stream_ages(self) -> dict[str, int | None]:
        """Seconds between each list's fetch and ``now`` (None: the snapshot does not say)."""
        return {name: None if at is None else int((self.now - at).total_seconds())
                for name, at in self.streams}

    @property
    def codes(self) -> list[str]:
        """The distinct codes at error severity, in report order."""
        return list(dict.fromkeys(v.code for v in self.violations))

    @property
    def snapshot_age_seconds(self) -> int | None:
        if self.snapshot_fetched_at is None:
            return None
        return int((self.now - self.snapshot_fetched_at).total_seconds())

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [v.to_dict() for v in self.warnings],
            "unknown": [v.to_dict() for v in self.unknowns],
            "predicted_api_code": self.predicted_api_code,
            "ruleset": self.ruleset,
            "snapshot": {
                "branch": self.branch, "timeZone": self.zone,
                "fetchedAt": _z_or_none(self.snapshot_fetched_at),
                "ageSeconds": self.snapshot_age_seconds,
                "streams": {name: {"fetchedAt": _z_or_none(at), "ageSeconds": age}
                            for (name, at), age in zip(self.streams,
                                                       self.stream_ages().values(),
                                                       strict=True)},
            },
            "now": format_utc(self.now),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(self.zone)
        lines = [f"{self.verdict}  {self.branch} ({self.zone}), ruleset {self.ruleset}, "
                 f"checked at {format_local(self.now, zone)}"]
        if self.snapshot_age_seconds is not None:
            lines.append(f"  snapshot fetched {_age(self.snapshot_age_seconds)} before the check")
        if any(at != self.snapshot_fetched_at for _, at in self.streams):
            # Lists fetched at different times (a cache): each one's age.
            lines.append("  data fetched: " + ", ".join(
                f"{name} {'at an unknown time' if age is None else _age(age) + ' before'}"
                for name, age in self.stream_ages().items()))
        if self.predicted_api_code:
            lines.append(f"  {self.platform} would most likely answer: "
                         f"{self.predicted_api_code}")
        if self.verdict == "PASS":
            lines.append(f"  Nothing {self.platform} would refuse was found.")
        for v in (*self.violations, *self.unknowns, *self.warnings):
            lines.append("")
            lines.append(f"{v.severity:<8} {v.code}" + (f"  at {v.location}" if v.location
                                                         else ""))
            lines.append(f"         {v.message}")
            if v.fix:
                lines.append(f"         fix: {v.fix}")
        return "\n".join(lines) + "\n"


def _age(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _z_or_none(instant: datetime | None) -> str | None:
    return None if instant is None else format_utc(instant)
