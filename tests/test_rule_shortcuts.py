"""The shortcuts the engine takes on a rule's declaration hold: each gives the same answer
as running the rule in full.

* ``silent_unless``: when a schedule does not meet one of the conditions, the rule's check
  yields nothing, so the engine may skip it.
* ``timeless``: whether the rule reports anything does not depend on when the schedules
  are, so the slot search runs it once per combination instead of once per start.
* ``may_be_unknown``: a rule not declaring it never yields an Unknown (its check's return
  type admits none, which mypy holds it to), so at warning severity it cannot change a
  verdict and ``Checker.passes`` skips it.
* ``Checker.passes`` (and its two parts, timeless and not) agrees with ``check``'s verdict.

Each is tried on the rule examples of the docstrings and on random branches and requests
(``booking_rules.testing``).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from dateutil.parser import isoparse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import booking_rules as br
import booking_rules.testing as brt
from booking_rules.core import engine as e
from booking_rules.core.context import Context
from booking_rules.core.rule import CONDITIONS, NEEDS, Rule, examples
from booking_rules.platforms.phorest import TABLE, parse_request

from .conftest import NOW, example_setup

RULES = list(TABLE.rules.values())  # their examples run against the Phorest salon
TIMELESS = [r for r in RULES if r.timeless]
SILENT = [r for r in RULES if r.silent_unless]
SHIFTS = [timedelta(minutes=15), timedelta(hours=-3), timedelta(days=1),
          timedelta(days=-30), timedelta(days=200), timedelta(hours=9, minutes=45)]
EXAMPLES = [(rule, i, ex) for rule in RULES if not rule.notice
            for i, ex in enumerate(examples(rule))]
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _only(rule: Rule, base: Any = "phorest") -> br.Ruleset:
    rs = base if isinstance(base, br.Ruleset) else br.load_ruleset(base)
    return dataclasses.replace(rs, rules=(rule,))


def _answer(report: br.Report) -> list[tuple[str, str, str, int | None]]:
    """What a report says, without the wording (which may quote the time)."""
    return sorted((v.code, v.severity, v.location, v.schedule)
                  for v in (*report.violations, *report.warnings, *report.unknowns))


# --- shifting a request in time -----------------------------------------------------------


def _shift_instant(text: str, delta: timedelta) -> str:
    """An ISO-8601 write instant moved by ``delta``, keeping its offset (or its lack)."""
    parsed = isoparse(text)
    return (parsed + delta).isoformat()


def shifted(request: dict[str, Any], delta: timedelta) -> dict[str, Any]:
    """The request with every time moved by ``delta`` (an update: by whole days)."""
    out = copy.deepcopy(request)
    body = out.get("body", out)
    if "appointmentDate" in body:
        day = date.fromisoformat(str(body["appointmentDate"]))
        body["appointmentDate"] = (day + timedelta(days=delta.days)).isoformat()
        return out
    for group in body.get("clientAppointmentSchedules") or []:
        for s in group.get("serviceSchedules") or []:
            for key in ("startTime", "endTime"):
                if isinstance(s.get(key), str):
                    s[key] = _shift_instant(s[key], delta)
    for s in body.get("schedules") or []:
        for key in ("startTime", "endTime"):
            if isinstance(s.get(key), str):
                s[key] = _shift_instant(s[key], delta)
    return out


def assert_timeless(snap: br.Snapshot, request: dict[str, Any], rule: Rule, *,
                    now: datetime, online: bool, base: Any = "phorest") -> None:
    rs = _only(rule, base)
    first = _answer(br.check(snap, request, now=now, online=online, ruleset=rs))
    for delta in SHIFTS:
        try:
            moved = br.check(snap, shifted(request, delta), now=now, online=online,
                             ruleset=rs)
        except br.InputError:
            continue  # moved out of what can be read (e.g. an end before its start)
        assert _answer(moved) == first, (TABLE.code_of(rule), delta)


# --- the conditions of silent_unless ------------------------------------------------------


def assert_silent_without_conditions(snap: br.Snapshot, request: dict[str, Any], *,
                                     now: datetime, online: bool, base: Any = "phorest"
                                     ) -> None:
    """For every schedule and every rule with ``silent_unless``: when the engine finds a
    condition not met, the rule's check, run anyway, yields nothing."""
    rs = base if isinstance(base, br.Ruleset) else br.load_ruleset(base)
    snap = snap.with_times(rs.appointment_times)
    req = parse_request(request, snap)
    items = [e.resolve(s, snap, req) for s in req.schedules]
    quiet = e.clients_without_appointments(snap, [s.client_id for s in req.schedules])
    update = req.kind == "update"
    exclude = frozenset({req.appointment_id}) if req.appointment_id else frozenset()
    for i, item in enumerate(items):
        client = item.schedule.client_id
        is_quiet = client in quiet and not any(
            p.schedule.client_id == client for p in items[:i])
        present = e._present(item, snap, update, is_quiet)
        assert present <= NEEDS.keys() | CONDITIONS.keys()
        # The branch as this schedule sees it: an overlay with the earlier schedules,
        # without the appointment an update moves (as the engine builds it).
        view = snap.with_changes([p.as_appointment(p.location) for p in items[:i] if p.end],
                                 exclude)
        ctx = Context(view, req, now, online, rs)
        for rule in SILENT:
            if rule.silent_unless <= present or not rule.needs <= present:
                continue
            ctx.options = rs.options_for(rule)
            assert list(rule.check(item, ctx)) == [], (TABLE.code_of(rule), sorted(present))


def _example(rule: Rule, source: str) -> tuple[br.Snapshot, dict[str, Any], Any]:
    request, doc, ruleset = example_setup(source)
    return br.load_snapshot(doc), request, ruleset


@pytest.mark.parametrize(("rule", "index", "example"), [
    pytest.param(r, i, ex, id=f"{TABLE.code_of(r)}-{i}") for r, i, ex in EXAMPLES if r.timeless])
def test_timeless_rules_answer_the_same_at_any_time(rule: Rule, index: int,
                                                    example: Any) -> None:
    snap, request, ruleset = _example(rule, example.source)
    assert_timeless(snap, request, rule, now=NOW, online=example.online, base=ruleset)


@pytest.mark.parametrize(("rule", "index", "example"), [
    pytest.param(r, i, ex, id=f"{TABLE.code_of(r)}-{i}") for r, i, ex in EXAMPLES])
def test_rules_are_silent_without_their_conditions(rule: Rule, index: int,
                                                   example: Any) -> None:
    snap, request, ruleset = _example(rule, example.source)
    assert_silent_without_conditions(snap, request, now=NOW, online=example.online,
                                     base=ruleset)


@PROPERTY
@given(data=st.data(), online=st.booleans())
def test_property_timeless_and_silent(data: st.DataObject, online: bool) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    request = data.draw(brt.requests(doc), label="request")
    snap = br.load_snapshot(doc)
    now = brt.now_for(doc)
    for rule in TIMELESS:
        assert_timeless(snap, request, rule, now=now, online=online)
    assert_silent_without_conditions(snap, request, now=now, online=online)


def test_the_timeless_rules() -> None:
    """The list is a decision: a rule joins it only when it reads no time at all."""
    assert {TABLE.code_of(r) for r in TIMELESS} == {
        "STAFF_UNQUALIFIED", "STAFF_REQUESTED", "ROOM_UNSUITABLE", "MACHINE_UNSUITABLE",
        "SPECIAL_OFFER_STAFF_EXCLUDED", "UNKNOWN_ID", "UNKNOWN_CLIENT", "ARCHIVED_SERVICE",
        "ARCHIVED_STAFF", "OFFER_SERVICE_NOT_INCLUDED", "COURSE_NO_UNITS_LEFT",
        "COURSE_ITEM_MISMATCH", "STALE_VERSION", "ADDON_ONLY_SERVICE_ALONE",
        "ONLINE_SERVICE_DISABLED", "ONLINE_STAFF_HIDDEN", "STAFF_MISSING"}


# --- may_be_unknown -----------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=[TABLE.code_of(r) for r in RULES])
def test_may_be_unknown_matches_the_check_return_type(rule: Rule) -> None:
    returns = str(rule.check.__annotations__["return"])
    assert ("Unknown" in returns) == rule.may_be_unknown, returns


# --- Checker.passes agrees with check ------------------------------------------------------


def _verdicts(snap: br.Snapshot, request: Any, now: datetime, online: bool,
              ruleset: Any = "phorest") -> Iterator[tuple[bool, bool]]:
    rs = ruleset if isinstance(ruleset, br.Ruleset) else br.load_ruleset(ruleset)
    variant = e.snapshot_for(snap, rs)
    req = parse_request(request, variant)
    items = [e.resolve(s, variant, req) for s in req.schedules]
    report = br.check(snap, request, now=now, online=online, ruleset=rs)
    passed = report.verdict == "PASS"
    quiet = e.clients_without_appointments(variant, [s.client_id for s in req.schedules])
    for q in (frozenset(), quiet):
        checker = e.Checker(variant, rs, now, online or rs.online, quiet_clients=q)
        yield checker.passes(req, items), passed
        yield checker.passes(req, items, True) and checker.passes(req, items, False), passed


@pytest.mark.parametrize(("rule", "index", "example"), [
    pytest.param(r, i, ex, id=f"{TABLE.code_of(r)}-{i}") for r, i, ex in EXAMPLES])
def test_passes_agrees_with_check_on_the_examples(rule: Rule, index: int,
                                                  example: Any) -> None:
    snap, request, ruleset = _example(rule, example.source)
    for strict in ("phorest", "strict"):
        rs = ruleset if isinstance(ruleset, br.Ruleset) else strict
        for got, want in _verdicts(snap, request, NOW, example.online, rs):
            assert got == want


@PROPERTY
@given(data=st.data(), online=st.booleans(), ruleset=st.sampled_from(["phorest", "strict"]))
def test_property_passes_agrees_with_check(data: st.DataObject, online: bool,
                                           ruleset: str) -> None:
    doc = data.draw(brt.snapshots(), label="snapshot")
    request = data.draw(brt.requests(doc), label="request")
    snap = br.load_snapshot(doc)
    for got, want in _verdicts(snap, request, brt.now_for(doc), online, ruleset):
        assert got == want


# --- declarations are checked -------------------------------------------------------------


def _rule(**kw: Any) -> Rule:
    return Rule(check=lambda item, ctx: iter(()), doc="X: x", module="m.x", **kw)


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown needs"):
        _rule(needs=frozenset({"offer"}))
    with pytest.raises(ValueError, match="unknown silent_unless"):
        _rule(silent_unless=frozenset({"service"}))
    with pytest.raises(ValueError, match="timeless"):
        _rule(timeless=True, history=True)
    with pytest.raises(ValueError, match="timeless"):
        _rule(timeless=True, needs=frozenset({"time"}))
    with pytest.raises(ValueError, match="unknown subject"):
        _rule(subject="invoice")
    with pytest.raises(ValueError, match="booking rules only"):
        _rule(subject="voucher", history=True)
    assert _rule(subject="voucher").needs == frozenset()  # a schedule's parts: none
    assert _rule(silent_unless=frozenset({"offer"}), timeless=True).timeless
