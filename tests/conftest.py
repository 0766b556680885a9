"""Shared helpers: the example salon, a snapshot builder, and a one-call check.

Tests never depend on the machine's time zone: TZ is pinned to a far-off zone for the whole
session, so any accidental use of local machine time shows up as a failure.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.platforms.phorest import TABLE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_SALON = ROOT / "docs" / "examples" / "queen_st_toronto.json"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="session")
def _pin_machine_zone() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Chatham"  # +12:45/+13:45: nothing we test lives there
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def salon_doc() -> dict[str, Any]:
    """A fresh, mutable copy of the example salon document (Queen St, Toronto)."""
    return copy.deepcopy(_SALON)


_SALON: dict[str, Any] = json.loads(EXAMPLE_SALON.read_text())


LIST_KEYS = ("staff", "services", "workTimeTables", "breaks", "appointments", "rooms",
             "machines", "specialOffers", "courses", "clientCourses", "clients")


def minimal_doc(zone: str = "America/Toronto", *, absent: tuple[str, ...] = (),
                **lists: Any) -> dict[str, Any]:
    """A tiny branch: lists given as keyword arguments (staff=[...], services=[...], ...);
    every other list is present and empty (RULES.md §6: absent is not empty, so a test
    that means "none" says so), but those named in ``absent``, which are left out."""
    doc: dict[str, Any] = {"branch": {"branchId": "br", "name": "Test", "timeZone": zone}}
    doc.update({key: [] for key in LIST_KEYS if key not in absent})
    doc.update(lists)
    return doc


def booking(*schedules: dict[str, Any], client: str = "cli_new") -> dict[str, Any]:
    """A createBooking body for ``client`` with the given serviceSchedules."""
    return {"clientId": client,
            "clientAppointmentSchedules": [{"clientId": client,
                                            "serviceSchedules": list(schedules)}]}


def sched(service: str, staff: str, start: str, **extra: Any) -> dict[str, Any]:
    return {"serviceId": service, "staffId": staff, "startTime": start, **extra}


def run(request: dict[str, Any], doc: dict[str, Any] | None = None, *,
        now: datetime = NOW, online: bool = False, ruleset: Any = "phorest") -> br.Report:
    snap = br.load_snapshot(doc if doc is not None else _SALON)
    return br.check(snap, request, now=now, online=online, ruleset=ruleset)


def codes(report: br.Report) -> set[str]:
    """Codes at error severity."""
    return {v.code for v in report.violations}


def all_codes(report: br.Report) -> set[str]:
    """Codes at any severity, unknowns included."""
    return {v.code for v in (*report.violations, *report.warnings, *report.unknowns)}


def example_setup(source: str) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """A rule docstring example made runnable: (request, salon doc, ruleset).

    An example may carry "addToSalon" (entries added to the example salon's lists, how a
    snapshot problem is shown), "ruleOptions" (options set for that example only, how
    a rule that is off by default is shown) and "engineOptions" (the ruleset's
    ``[options]`` for that example only) beside its request.
    """
    request = json.loads(source)
    doc = salon_doc()
    for key, entries in request.pop("addToSalon", {}).items():
        doc.setdefault(key, []).extend(entries)
    ruleset: Any = "phorest"
    options = request.pop("ruleOptions", {})
    if options:
        base = br.load_ruleset("phorest")
        merged = {name: dict(opts) for name, opts in base.rule_options.items()}
        for code, opts in options.items():  # examples name rules by their Phorest code
            rule = TABLE.rule(code)
            assert rule is not None, code
            merged[rule.name] = {**merged.get(rule.name, {}), **opts}
        ruleset = dataclasses.replace(base, rule_options=merged)
    engine = request.pop("engineOptions", {})
    if engine:  # engine options ([options] of a ruleset), for this example only
        base = ruleset if isinstance(ruleset, br.Ruleset) else br.load_ruleset("phorest")
        ruleset = dataclasses.replace(base, **engine)
    return request, doc, ruleset
