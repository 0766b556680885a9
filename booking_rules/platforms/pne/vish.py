"""VISH: PatientNow Essentials' read-mostly subset, as a platform mode.

The same API, auth, shapes and rules as PNE (``booking_rules.platforms.pne``), with what
VISH lacks refused before anything is sent: every appointment write (``VISH_READ_ONLY``,
naming the subset), and ``ShowAvailable`` (no slot search). Orders, services, employees
and appointment reads work as for PNE. Rulesets are PNE's (``platform = "pne"``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..._errors import InputError
from ...core import model as m
from ...core.report import Report
from ...core.ruleset import Ruleset
from ...core.snapshot import Snapshot
from ._check import check as _check
from .codes import TABLE
from .explain import PneExplain
from .load import load_snapshot
from .requests import KINDS, VISH_NOTE
from .requests import parse_request as _parse

__all__ = ["DEFAULT_RULESET", "EXPLAIN", "KINDS", "NAME", "TABLE", "VISH_NOTE", "check",
           "load_snapshot", "parse_request", "refuse_slots"]

DEFAULT_RULESET = "pne"
NAME = "vish"


def parse_request(request: object, snapshot: Snapshot, source: str = "<request>",
                  kind: str | None = None) -> m.Request:
    return _parse(request, snapshot, source, kind, vish=True)


def check(snapshot: Snapshot, request: object, *, now: datetime, online: bool = False,
          ruleset: str | Path | Ruleset = DEFAULT_RULESET, source: str = "<request>",
          kind: str | None = None) -> Report:
    """PNE's check in VISH mode: an appointment write is refused (``VISH_READ_ONLY``)."""
    return _check(snapshot, request, now=now, online=online, ruleset=ruleset,
                  source=source, kind=kind, vish=True)


def refuse_slots() -> None:
    """VISH has no ``ShowAvailable`` and cannot book: a slot search is refused."""
    raise InputError("slots", "", f"PatientNow Essentials ({VISH_NOTE})", "VISH")

EXPLAIN = PneExplain(vish=True)  # explain re-checks a request as VISH would refuse it
