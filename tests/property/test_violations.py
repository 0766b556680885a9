"""``violations(code)`` triggers its code, for each of the nineteen Phorest codes.

Each scenario is built by construction (a generated salon plus the conflicting data), so
the property is not "some examples trigger it" but "every example does".
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import booking_rules as br
from booking_rules import testing as brt
from booking_rules.platforms.phorest import API_CODES as PHOREST_CODES
from booking_rules.platforms.phorest import TABLE as PHOREST
from booking_rules.rules import REGISTRY
from booking_rules.testing._violations import PROVOKE

from .conftest import scaled


@pytest.mark.parametrize("code", PHOREST_CODES)
@settings(max_examples=scaled(0.5))
@given(data=st.data())
def test_violation_triggers_its_code(code: str, data: st.DataObject) -> None:
    scenario = data.draw(brt.violations(code), label="scenario")
    snapshot = br.load_snapshot(scenario.snapshot)
    assert not snapshot.notices, [n.rule for n in snapshot.notices]  # a sound snapshot
    report = br.check(snapshot, scenario.request, now=scenario.now, online=scenario.online)
    errors = {v.code for v in report.violations if v.severity == "error"}
    assert code in errors, (scenario.about, report.codes,
                            json.dumps(scenario.request, indent=1))
    assert report.verdict == "FAIL"
    assert scenario.code == code and scenario.now.tzinfo is not None
    assert scenario.check().codes == report.codes


def test_violations_refuses_an_unknown_code() -> None:
    with pytest.raises(InvalidArgument, match="nineteen Phorest codes"):
        brt.violations("STAFF_ON_HOLIDAY")


@settings(max_examples=scaled(0.3))
@given(scenario=st.from_type(brt.Scenario))
def test_from_type_draws_a_scenario_of_any_code(scenario: brt.Scenario) -> None:
    assert scenario.code in PHOREST_CODES
    assert scenario.code in scenario.check().codes


def test_entry_point_hook_registers_scenario() -> None:
    from booking_rules._hypothesis_plugin import _hypothesis_setup_hook

    _hypothesis_setup_hook()
    assert not st.from_type(brt.Scenario).is_empty


def test_importing_booking_rules_does_not_import_hypothesis() -> None:
    code = ("import sys, booking_rules, booking_rules.rules; "
            "assert 'hypothesis' not in sys.modules, 'hypothesis was imported'; "
            "import booking_rules.testing; assert 'hypothesis' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names() -> None:
    assert set(brt.__all__) == {"DEFAULT_ZONES", "Scenario", "WALK_IN", "now_for",
                                "passing_requests", "requests", "snapshots", "violations",
                                "now_for_pne", "pne_appointments", "pne_locations",
                                "pne_orders"}


@settings(max_examples=scaled(0.2))
@given(data=st.data())
def test_violations_take_the_rules_neutral_name(data: st.DataObject) -> None:
    """``violations("staff_double_booked")`` is ``violations("STAFF_DOUBLE_BOOKED")``: the
    scenario carries the Phorest code, and the code fires."""
    rule = data.draw(st.sampled_from(sorted(PROVOKE)), label="rule")
    scenario = data.draw(brt.violations(rule), label="scenario")
    assert scenario.code == PHOREST.codes[rule]
    report = scenario.check()
    assert scenario.code in {v.code for v in report.violations if v.severity == "error"}
    assert rule in {v.rule for v in report.violations if v.severity == "error"}


@pytest.mark.parametrize("name", ["UNKNOWN_ID", "unknown_id", "start_in_past", ""])
def test_violations_refuses_a_rule_phorest_does_not_answer(name: str) -> None:
    """Only the nineteen codes Phorest's API answers (and their rules) have scenarios."""
    with pytest.raises(InvalidArgument, match="nineteen Phorest codes"):
        brt.violations(name)


def test_each_rule_is_provoked_beside_its_name() -> None:
    """One provocation per rule behind the nineteen codes, in the module named after the
    rule (``_violations/staff_double_booked.py``), registered under that name."""
    assert list(PROVOKE) == [r.name for r in PHOREST.rules.values() if PHOREST.is_api(r)]
    assert [PHOREST.codes[name] for name in PROVOKE] == list(PHOREST_CODES)
    for name, provoke in PROVOKE.items():
        assert name in REGISTRY, name
        assert provoke.__module__ == f"booking_rules.testing._violations.{name}"
