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
                                "passing_requests", "requests", "snapshots", "violations"}
