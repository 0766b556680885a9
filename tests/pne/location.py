"""The PNE example location (docs/examples/pne_location.json) and a one-call PNE check,
for the PNE tests and for the rule docstring examples of the rules only PNE runs.

The examples run at now = 2025-09-01T12:00:00Z (07:00 in Chicago), ten days before the
recipes' 2025-09-11. An example may carry, beside its request: ``"addToLocation":
{"<snapshot list>": [rows]}`` (rows added to the example location for that example),
``"ruleOptions": {"CODE": {...}}`` and ``"vish": true`` (the VISH mode).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import booking_rules as br
from booking_rules.platforms import pne

from ..conftest import ROOT

PNE_LOCATION = ROOT / "docs" / "examples" / "pne_location.json"
PNE_NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)
_DOC: dict[str, Any] = json.loads(PNE_LOCATION.read_text())


def location_doc() -> dict[str, Any]:
    """A fresh, mutable copy of the example location (Lakeside Med Spa, Chicago)."""
    return copy.deepcopy(_DOC)


def appointment(**changes: Any) -> dict[str, Any]:
    """The recipe's POST /appointments body at the example location, with changes."""
    body: dict[str, Any] = {
        "CompanyId": "co_lakeside", "CustomerId": "cus_ravi", "EmployeeId": "emp_lev",
        "ServiceId": "svc_botox", "StartDate": "2025-09-11T13:15:00", "Init": 15,
        "Delay": 0, "Complete": 0, "Notes": "Booked via API", "BookedOnline": True}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def order(**changes: Any) -> dict[str, Any]:
    """The recipe's POST /orders body (one SPF at 20.00, paid cash), with changes."""
    body: dict[str, Any] = {
        "CompanyId": "co_lakeside", "CustomerId": "cus_test", "EmployeeId": "emp_lev",
        "OrderDate": "2025-09-08T14:04:04", "SubTotal": 20.0, "Total": 20.0,
        "LineItems": [{"CompanyId": "co_lakeside", "CustomerId": "cus_test",
                       "EmployeeId": "emp_lev", "ItemId": "prd_spf", "InvType": "R",
                       "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}],
        "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": 20.0,
                      "PaymentDate": "2025-09-08T14:04:00"}]}
    body.update(changes)
    return body


def run_pne(request: Any, doc: dict[str, Any] | None = None, *, now: datetime = PNE_NOW,
            ruleset: Any = "pne", vish: bool = False) -> br.Report:
    snap = pne.load_snapshot(doc if doc is not None else _DOC)
    return pne.check(snap, request, now=now, ruleset=ruleset, vish=vish)


def example_setup(source: str) -> tuple[dict[str, Any], dict[str, Any], Any, bool]:
    """A PNE rule docstring example made runnable: (request, location doc, ruleset,
    vish)."""
    request = json.loads(source)
    doc = location_doc()
    for key, rows in request.pop("addToLocation", {}).items():
        doc.setdefault(key, []).extend(rows)
    vish = bool(request.pop("vish", False))
    ruleset: Any = "pne"
    options = request.pop("ruleOptions", {})
    if options:
        base = br.load_ruleset("pne", platform="pne")
        merged = {name: dict(opts) for name, opts in base.rule_options.items()}
        for code, opts in options.items():
            rule = pne.TABLE.rule(code)
            assert rule is not None, code
            merged[rule.name] = {**merged.get(rule.name, {}), **opts}
        ruleset = dataclasses.replace(base, rule_options=merged)
    return request, doc, ruleset, vish


def all_codes(report: br.Report) -> set[str]:
    return {v.code for v in (*report.violations, *report.warnings, *report.unknowns)}
