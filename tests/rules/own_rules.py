"""Running only the engine's own rules (RULES.md §5, the time warnings of §1 and the input
notices), so a test of one of them asserts the exact set of codes it produces, whatever the
Phorest-code rules find in the same booking."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import booking_rules as br

OWN = (
    "UNKNOWN_ID", "UNKNOWN_CLIENT", "ARCHIVED_SERVICE", "ARCHIVED_STAFF",
    "OFFER_SERVICE_NOT_INCLUDED", "COURSE_EXPIRED", "COURSE_NO_UNITS_LEFT",
    "COURSE_ITEM_MISMATCH", "STALE_VERSION", "START_IN_PAST", "ADDON_ONLY_SERVICE_ALONE",
    "ONLINE_SERVICE_DISABLED", "ONLINE_STAFF_HIDDEN",
    "TIME_WITHOUT_OFFSET", "LIKELY_LOCAL_TIME_SENT_AS_UTC", "END_TIME_DIFFERS_FROM_DURATION",
    "NONEXISTENT_LOCAL_TIME", "AMBIGUOUS_LOCAL_TIME", "UNKNOWN_FIELD", "DEPRECATED_SCHEDULES",
    "DUPLICATE_ID", "BREAK_WITHOUT_RESOURCE", "STAFF_MISSING", "ZERO_LENGTH_APPOINTMENT",
    "UNKNOWN_ACTIVATION_STATE", "EXPIRED_HOLD", "NULL_FIELD", "UNREADABLE_ROW",
)


def own_ruleset(directory: Path, options: str = "", name: str = "own") -> str:
    """A ruleset file selecting only the engine's own codes, plus ``options`` (TOML tables
    such as ``[rules.START_IN_PAST]``); returns its path for ``run(..., ruleset=...)``."""
    path = directory / f"{name}.toml"
    path.write_text(f'name = "{name}"\nselect = {json.dumps(list(OWN))}\n{options}\n',
                    encoding="utf-8")
    return str(path)


def found(report: br.Report) -> set[tuple[str, str]]:
    """(code, location) of everything reported: errors, warnings and unknowns."""
    return {(v.code, v.location) for v in (*report.violations, *report.warnings,
                                           *report.unknowns)}


def update(appointment_id: str, day: str, start: str, staff: str, version: int = 1,
           **extra: Any) -> dict[str, Any]:
    """An updateAppointment request moving ``appointment_id`` to ``day`` ``start``."""
    return {"kind": "updateAppointment", "body": {
        "appointmentId": appointment_id, "version": version, "appointmentDate": day,
        "startTime": start, "staffId": staff, **extra}}
