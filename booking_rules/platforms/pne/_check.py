"""The whole PNE path for one body: ruleset, reading, engine (apart from the package's
``__init__`` so ``explain`` can use it without importing the package it is part of)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ...core.engine import run
from ...core.report import Report, Violation
from ...core.ruleset import Ruleset, resolve_ruleset
from ...core.snapshot import Snapshot
from .codes import TABLE
from .requests import parse_request

DEFAULT_RULESET = "pne"


def ruleset(ruleset: str | Path | Ruleset = DEFAULT_RULESET) -> Ruleset:
    """A ruleset by bundled name or path, naming rules by PNE's codes."""
    return resolve_ruleset(ruleset, TABLE)


def check(snapshot: Snapshot, request: object, *, now: datetime, online: bool = False,
          ruleset: str | Path | Ruleset = DEFAULT_RULESET, source: str = "<request>",
          kind: str | None = None, vish: bool = False) -> Report:
    """Every reason PNE would refuse, or should not be sent, ``request`` (a
    ``POST /appointments`` or ``POST /orders`` body, ``{"kind", "body"}`` or a canonical
    Request), checked against ``snapshot`` at ``now``. ``vish``: the VISH subset, which
    refuses every appointment write."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (it is always an input)")
    rs = resolve_ruleset(ruleset, TABLE)
    req = parse_request(request, snapshot, source, kind, vish=vish)
    return _pne_fields(run(snapshot, req, now=now, online=online or rs.online, rs=rs))


# The booking rules PNE shares with Phorest name a schedule's fields canonically; a PNE
# appointment body is flat, so its fields are these.
_FIELDS = {"staffId": "EmployeeId", "serviceId": "ServiceId", "clientId": "CustomerId"}


def _pne_fields(report: Report) -> Report:
    """``report`` with the shared rules' locations in the PNE body's field names."""
    def moved(vs: tuple[Violation, ...]) -> tuple[Violation, ...]:
        return tuple(replace(v, location=_FIELDS[v.location]) if v.location in _FIELDS
                     else v for v in vs)

    if not any(v.location in _FIELDS for v in (*report.violations, *report.warnings,
                                                *report.unknowns)):
        return report
    return replace(report, violations=moved(report.violations),
                   warnings=moved(report.warnings), unknowns=moved(report.unknowns))
