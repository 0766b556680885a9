"""The result of a check: a verdict, every violation with its evidence, and the one code
the API would most likely answer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import Field, dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from .._time import format_local, format_utc

if TYPE_CHECKING:
    from datetime import tzinfo

    from . import model as m
    from .rule import Finding
    from .ruleset import Ruleset
    from .snapshot import Snapshot

# The version of the JSON shapes of check, slots and explain (docs/schemas/): raised only
# when a field is removed, renamed or changes meaning; new fields may appear within one.
SCHEMA_VERSION = 1

Verdict = Literal["PASS", "FAIL", "UNKNOWN"]


class Violation:
    """One rule's finding in a report. Built like a frozen dataclass with the fields in
    this order; ``Violation.of`` makes one from a rule's ``Finding`` whose message and
    evidence are worded the first time they are read (a verdict or a code never needs
    them)."""

    __slots__ = ("_evidence", "_message", "_source", "api", "code", "fix", "location", "rule",
                 "schedule", "severity")
    # Read by ``dataclasses`` (``replace``, ``fields``, ``asdict``): the fields of the
    # frozen dataclass this class stands for, in order (``_Fields`` below).
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    __dataclass_params__: ClassVar[Any]
    code: str
    severity: str  # "error", "warning", or "unknown" for a rule that could not decide
    location: str  # where in the request body, e.g. clientAppointmentSchedules[0]...
    schedule: int | None  # index of the schedule in request order, None for the request
    fix: str
    api: bool  # a code the platform's API itself answers (a prediction may name it)
    rule: str  # the rule's neutral name
    _message: str
    _evidence: dict[str, Any] | None
    _source: Finding | None

    def __init__(self, code: str, severity: str, message: str, location: str,
                 schedule: int | None, evidence: dict[str, Any] | None = None, fix: str = "",
                 api: bool = False, rule: str = "") -> None:
        put = object.__setattr__  # the fields are frozen for callers (``__setattr__``)
        put(self, "code", code)
        put(self, "severity", severity)
        put(self, "_message", message)
        put(self, "location", location)
        put(self, "schedule", schedule)
        put(self, "_evidence", {} if evidence is None else evidence)
        put(self, "fix", fix)
        put(self, "api", api)
        put(self, "rule", rule)
        put(self, "_source", None)

    @classmethod
    def of(cls, code: str, severity: str, finding: Finding, location: str,
           schedule: int | None, api: bool, rule: str) -> Violation:
        """The violation of ``finding``: its message and a copy of its evidence, taken
        when first read."""
        v = object.__new__(cls)
        put = object.__setattr__  # a refusal is built on every failing check: no __init__
        put(v, "code", code)
        put(v, "severity", severity)
        put(v, "_message", "")
        put(v, "location", location)
        put(v, "schedule", schedule)
        put(v, "_evidence", None)
        put(v, "fix", finding.fix)
        put(v, "api", api)
        put(v, "rule", rule)
        put(v, "_source", finding)
        return v

    @property
    def message(self) -> str:
        source = self._source
        return self._message if source is None else source.message

    @property
    def evidence(self) -> dict[str, Any]:
        found = self._evidence
        if found is None:
            assert self._source is not None
            found = self._evidence = dict(self._source.evidence)
        return found

    def _fields(self) -> tuple[Any, ...]:
        return (self.code, self.severity, self.message, self.location, self.schedule,
                self.evidence, self.fix, self.api, self.rule)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Violation):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # evidence is a dict: not hashable

    def __setattr__(self, name: str, value: Any) -> None:
        # Frozen for callers, as the dataclass it replaces (FrozenInstanceError is an
        # AttributeError); only the private slots are set after __init__.
        if not name.startswith("_"):
            raise AttributeError(f"cannot assign to field {name!r}: Violation is immutable")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[type[Violation], tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild it from its fields (worded), never its slots.
        return (Violation, self._fields())

    def __repr__(self) -> str:
        names = ("code", "severity", "message", "location", "schedule", "evidence", "fix",
                 "api", "rule")
        return "Violation(" + ", ".join(f"{n}={v!r}" for n, v in zip(
            names, self._fields(), strict=True)) + ")"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "location": self.location, "evidence": self.evidence, "fix": self.fix}


@dataclass(frozen=True)
class _Fields:
    """Violation's fields as a frozen dataclass declares them: ``dataclasses.replace``
    (a platform moves a violation's location), ``fields`` and ``asdict`` read a
    ``Violation`` as they read the dataclass it was (its message worded first)."""

    code: str
    severity: str
    message: str
    location: str
    schedule: int | None
    evidence: dict[str, Any] = field(default_factory=dict)
    fix: str = ""
    api: bool = False
    rule: str = ""


Violation.__dataclass_fields__ = _Fields.__dataclass_fields__
Violation.__dataclass_params__ = _Fields.__dataclass_params__  # type: ignore[attr-defined]


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
        """The JSON report (docs/schemas/check.schema.json), camelCase like the API."""
        return {
            "schemaVersion": SCHEMA_VERSION,
            "verdict": self.verdict,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [v.to_dict() for v in self.warnings],
            "unknown": [v.to_dict() for v in self.unknowns],
            "predictedApiCode": self.predicted_api_code,
            "platform": self.platform,
            "ruleset": self.ruleset,
            "snapshot": self.snapshot_dict(),
            "now": format_utc(self.now),
        }

    def snapshot_dict(self) -> dict[str, Any]:
        """What the JSON outputs say of the snapshot they read."""
        return {"branch": self.branch, "timeZone": self.zone,
                "fetchedAt": _z_or_none(self.snapshot_fetched_at),
                "ageSeconds": self.snapshot_age_seconds,
                # Each list the check read: when it was fetched, its age at now.
                "streams": {name: {"fetchedAt": _z_or_none(at), "ageSeconds": age}
                            for (name, at), age in zip(self.streams,
                                                       self.stream_ages().values(),
                                                       strict=True)}}

    def to_json(self) -> str:
        # allow_nan=False: the output is JSON or nothing (input never holds NaN; a report
        # that did would be a bug, not a file other tools choke on).
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)

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
        for v in self.violations:
            lines.extend(_finding(v.severity, v.code, v.location, v.message, v.fix))
        for codes, location, message, fix in group_unknowns(self.unknowns):
            lines.extend(_finding("unknown", ", ".join(codes), location, message, fix))
        for v in self.warnings:
            lines.extend(_finding(v.severity, v.code, v.location, v.message, v.fix))
        return "\n".join(lines) + "\n"


def _finding(severity: str, code: str, location: str, message: str, fix: str) -> list[str]:
    lines = ["", f"{severity:<8} {code}" + (f"  at {location}" if location else ""),
             f"         {message}"]
    if fix:
        lines.append(f"         fix: {fix}")
    return lines


COVERAGE_FIX = ("fetch the appointments, rosters (workTimeTables) and breaks of that day "
                "and widen the snapshot's coverage to include it (docs/snapshot-format.md, "
                "`coverage`)")


def group_unknowns(unknowns: Sequence[Violation]
                   ) -> list[tuple[list[str], str, str, str]]:
    """UNKNOWN findings that give one reason, once: (codes, location, message, fix).

    Several rules stopped by the same missing data say the same sentence but for their own
    code; they are one finding naming every code, with the reason and its fix once."""
    groups: dict[tuple[str, str], tuple[list[str], str, str, str]] = {}
    for v in unknowns:
        general = v.message.replace(v.code, "\0")
        key = (v.location, general)
        fix = v.fix or (COVERAGE_FIX if "coverage" in v.evidence else "")
        if key not in groups:
            groups[key] = ([v.code], v.location, general, fix)
        elif v.code not in groups[key][0]:
            groups[key][0].append(v.code)
    out = []
    for codes, location, general, fix in groups.values():
        named = codes[0] if len(codes) == 1 else "these rules"
        out.append((codes, location, general.replace("\0", named), fix))
    return out


def coverage_dates(coverage: m.Coverage, zone: tzinfo) -> str:
    """A snapshot's coverage as it was given: local dates (``to`` inclusive) when its
    bounds are local midnights, else the instants; ``open`` for a missing bound."""
    def bound(instant: datetime | None, end: bool) -> str:
        if instant is None:
            return "open"
        local = instant.astimezone(zone)
        if local.time() == time(0):
            return str(local.date() - timedelta(days=1) if end else local.date())
        return format_local(instant, zone)

    name = getattr(zone, "key", str(zone))
    return f"{bound(coverage.start, False)} to {bound(coverage.end, True)} ({name})"


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
