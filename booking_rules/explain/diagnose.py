"""The diagnosis: what the platform's answer means against the check of the same request.

For a code the platform's API answers: ``confirmed`` (the rule fires here too),
``other-code`` (the check finds other codes of the API), ``undecided`` (the rule answered
UNKNOWN), ``not-reproduced`` (the snapshot says it should have passed). Anything else is
read by the platform's advice first (credentials, throttling, ...: ``not-a-rule-code``),
then as an ``unmodelled`` code-like value, else as a bare answer (``not-a-rule-code``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.report import Violation
from ..core.ruleset import Ruleset
from ..core.snapshot import Snapshot
from .alternatives import alternatives
from .case import Case
from .explanation import Diagnosis, Explanation
from .needs import for_item, needs
from .platform import ExplainPlatform, Remedy
from .words import and_, count, cut


def explain(error: str | bytes | Mapping[str, Any] | None, request: Any,
            snapshot: Snapshot | str | Path | Mapping[str, Any], *,
            platform: ExplainPlatform, ruleset: str | Path | Ruleset,
            status: int | None = None, now: datetime, online: bool = False,
            request_source: str = "<request>") -> Explanation:
    """Explain ``platform``'s answer ``error`` to ``request``, against ``snapshot``.

    ``error``: the raw response body (str or bytes: JSON, plain text, HTML or empty) or an
    already-parsed dict. ``status``: the HTTP status, when known (else the body's).
    ``request``: the request sent, as the platform takes it. ``now``: the instant the
    request was sent (aware). ``request_source``: how an InputError names the request (its
    file, in the CLI).

    A malformed body never raises: it is explained as what it is. An unusable request or
    snapshot raises :class:`~booking_rules.InputError`, as ``check`` does.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime (it is always an input)")
    snap = snapshot if isinstance(snapshot, Snapshot) else platform.load_snapshot(snapshot)
    response = platform.parse_response(error, status)
    case = Case(platform, snap, request, response, now=now, online=online, ruleset=ruleset,
                source=request_source)
    code = response.code
    rule = platform.table.rule(code) if code in case.api_codes else None
    if code is not None and rule is not None:
        return _rule_code(case, rule.name, code)
    return _other(case)


def _fixes(found: list[Violation]) -> list[Remedy]:
    return [{"action": f} for f in dict.fromkeys(v.fix for v in found if v.fix)]


def _rule_code(case: Case, rule: str, code: str) -> Explanation:
    report, display = case.report, case.display
    firing = [v for v in report.violations if v.rule == rule]
    api = [v for v in report.violations if v.api]
    unknown = [v for v in report.unknowns if v.rule == rule]
    notes = _status_note(case) + _ruleset_note(case, code)
    evidence: list[dict[str, Any]]
    if firing:
        diagnosis: Diagnosis = "confirmed"
        text = f"{case.lead()} The snapshot confirms it: {firing[0].message}"
        if len(firing) > 1:
            text += f" ({len(firing) - 1} more like it.)"
        others = [c for c in report.codes if c != code and c in case.api_codes]
        if others:
            text += f" The check also finds {and_(others)}."
        if report.predicted_api_code and report.predicted_api_code != code:
            text += (f" It would have predicted {report.predicted_api_code} first (ruleset "
                     f"{case.rs.name} priority); {display} answered with {code}, which also "
                     "applies.")
        evidence = [v.to_dict() for v in firing]
        remedies = _fixes(firing)
        target = min((v.schedule for v in firing if v.schedule is not None), default=0)
    elif api:
        diagnosis = "other-code"
        codes = [c for c in report.codes if c in case.api_codes]
        pred = report.predicted_api_code or codes[0]
        first = next(v for v in api if v.code == pred)
        text = (f"{case.lead()} The snapshot does not show {code}; it predicts {pred} "
                f"instead" + (f" (and also finds {and_([c for c in codes if c != pred])})"
                              if len(codes) > 1 else "")
                + f": {first.message} For {code} to hold, {display} must have seen "
                f"{needs(case, rule, code)}.")
        evidence = [v.to_dict() for v in api]
        remedies = _fixes(api)
        target = first.schedule if first.schedule is not None else 0
    elif unknown:
        diagnosis = "undecided"
        text = (f"{case.lead()} The snapshot cannot decide it: {unknown[0].message} "
                f"{display} must have seen {needs(case, rule, code)}.")
        evidence = [v.to_dict() for v in unknown]
        remedies = [{"action": "fetch a snapshot whose coverage holds the data named "
                               "above and explain again"}]
        target = unknown[0].schedule or 0
    else:
        diagnosis = "not-reproduced"
        if report.verdict == "PASS":
            against = "against it this booking passes the check"
        elif report.codes:
            against = f"against it the check finds none of {display}'s codes (only " \
                      f"{and_(report.codes)})"
        else:
            against = f"against it the check finds none of {display}'s codes (" + \
                      and_(sorted({v.code for v in report.unknowns})) + " undecided)"
        text = (f"{case.lead()} The snapshot does not reproduce it: {against}. For "
                f"{display}'s answer to hold, {display} must have seen "
                f"{needs(case, rule, code)}. {case.age()}")
        warn = [v for v in report.warnings if v.rule != "unknown_client"]
        if warn:
            text += f" The check warns: {warn[0].message}"
        evidence = []
        remedies = [{"action": f"refresh the snapshot (the data named above) from {display} "
                               "and explain again; if it still passes, the rule differs "
                               f"from {display}'s: report it with this explanation"}]
        target = next((i for i, it in enumerate(case.items) if for_item(case, rule, it)), 0)
    text += notes
    item = case.items[min(target, len(case.items) - 1)] if case.items else None
    if item is not None:
        remedies += case.platform.rule_remedies(rule, case.situation(), item)
    found: list[dict[str, Any]] = []
    if diagnosis in ("confirmed", "other-code") and item is not None:
        found = alternatives(case, {rule, *(v.rule for v in report.violations)}, item)
        if found:
            remedies.append({"action": "or send one of the alternatives below: each "
                                       "passes the check against this snapshot"})
    return case.result(diagnosis, text, evidence, remedies, found)


def _status_note(case: Case) -> str:
    st, usual = case.response.status, case.platform.rule_status
    if st is None or st == usual:
        return ""
    return (f" ({case.display} sends its booking codes with HTTP {usual}; this answer came "
            f"with HTTP {st}.)")


def _ruleset_note(case: Case, code: str) -> str:
    rs = case.rs
    rule = next((r for r in rs.rules if rs.code_of(r) == code), None)
    if rule is None:
        return f" The ruleset {rs.name} does not run {code}."
    if rs.severity_of(rule) != "error":
        return f" The ruleset {rs.name} runs {code} as a warning only."
    return ""


def _other(case: Case) -> Explanation:
    """An answer that names none of the API's rule codes."""
    resp, report, display = case.response, case.report, case.display
    st = resp.status
    status_part = f"HTTP {st}" if st is not None else "no HTTP status given"
    head = f"{display} answered the {case.what} with {status_part}; {resp.describe()}."
    advice = case.platform.advise(resp, case.situation())
    if advice is not None:
        return case.result("not-a-rule-code", f"{head} {advice.text}",
                           [v.to_dict() for v in advice.evidence], advice.remedies)
    if resp.code is not None:
        where = f" (in `{resp.source_field}`)" if resp.source_field else ""
        text = (f"{head} {resp.code}{where} is not one of the "
                f"{count(len(case.api_codes))} {display} codes this library models. Raw "
                f"body: {cut(resp.text)!r}.")
        category = case.platform.categories.get(resp.code)
        if category is not None:
            text += f" {resp.code} is {category}; this body names no specific code."
        text += _check_says(case)
        api = [v for v in report.violations if v.api]
        remedies = [{"action": "keep the raw body and report the code, so it can be "
                               "modelled (a rule, or the ruleset's priority)"}, *_fixes(api)]
        return case.result("unmodelled", text, [v.to_dict() for v in api], remedies)
    # A bare answer: the engine's own codes come first (a bare 400 is what Phorest answers
    # for invalid booking data, such as an unknown id inside the body).
    found = sorted(report.violations, key=lambda v: v.api)
    text = f"{head} It names none of {display}'s booking codes."
    if found and not found[0].api:
        engine = list(dict.fromkeys(v.code for v in found))
        text += f" The check finds {and_(engine)}: {found[0].message}"
    else:
        text += _check_says(case)
    remedies = _fixes(found)
    remedies.append({"action": "keep the HTTP status and the raw body in the "
                               "integration's log: explain them again with the status"})
    return case.result("not-a-rule-code", text, [v.to_dict() for v in found], remedies)


def _check_says(case: Case) -> str:
    report = case.report
    if report.verdict == "PASS":
        return " Against the snapshot this booking passes the check."
    if not report.violations:
        return " Against the snapshot the check cannot decide it."
    pred = report.predicted_api_code
    if pred:
        first = next(v for v in report.violations if v.code == pred)
        return f" The snapshot predicts {pred}: {first.message}"
    return f" The check finds {and_(report.codes)}: {report.violations[0].message}"
