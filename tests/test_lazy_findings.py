"""A refusal is worded when read (issue 17): ``Finding(build=...)`` and ``Violation.of``
behave as the frozen dataclasses they were, and a check that is only counted never words
its messages."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from typing import Any

import pytest

import booking_rules as br
from booking_rules import _time
from booking_rules.core import context
from booking_rules.core.report import Violation
from booking_rules.core.rule import Finding

from .conftest import NOW, salon_doc

# Lisa already has Mary's cut 10:00-10:45 local on 1 December (rules/staff_double_booked).
DOUBLE = {"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
    {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": "2026-12-01T15:30:00Z"}]}]}


def test_a_built_finding_is_worded_once_and_reads_as_a_plain_one() -> None:
    calls: list[int] = []

    def build() -> tuple[str, dict[str, Any]]:
        calls.append(1)
        return "Lisa is busy.", {"staffId": "stf_lisa"}

    lazy = Finding(build=build, fix="another time")
    assert calls == []
    plain = Finding("Lisa is busy.", {"staffId": "stf_lisa"}, "another time")
    assert lazy == plain and repr(lazy) == repr(plain)
    assert lazy.message == "Lisa is busy." and lazy.evidence == {"staffId": "stf_lisa"}
    assert calls == [1]
    assert copy.deepcopy(lazy) == plain and pickle.loads(pickle.dumps(lazy)) == plain


def test_a_violation_of_a_finding_equals_the_eager_one() -> None:
    finding = Finding(build=lambda: ("m", {"a": [1]}), fix="f", location="x")
    lazy = Violation.of("C", "error", finding, "loc", 0, True, "rule")
    eager = Violation("C", "error", "m", "loc", 0, {"a": [1]}, "f", True, "rule")
    assert lazy == eager and repr(lazy) == repr(eager)
    assert lazy.to_dict() == eager.to_dict()
    assert dataclasses.replace(lazy, location="y") == dataclasses.replace(eager, location="y")
    assert dataclasses.asdict(lazy) == dataclasses.asdict(eager)
    assert copy.deepcopy(lazy) == eager and pickle.loads(pickle.dumps(lazy)) == eager
    with pytest.raises(AttributeError):
        lazy.code = "D"  # type: ignore[misc]


def test_a_counted_check_words_nothing_and_a_rendered_one_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    snap = br.load_snapshot(salon_doc())
    eager = br.check(snap, DOUBLE, now=NOW).to_json()
    spans: list[int] = []
    real = _time.format_span

    def counting(*args: Any) -> str:
        spans.append(1)
        return real(*args)

    monkeypatch.setattr(context, "format_span", counting)
    report = br.check(snap, DOUBLE, now=NOW)
    assert report.verdict == "FAIL" and report.codes == ["STAFF_DOUBLE_BOOKED"]
    assert report.predicted_api_code == "STAFF_DOUBLE_BOOKED"
    assert spans == []  # the verdict, codes and prediction need no words
    assert report.to_json() == eager
    assert spans and json.loads(eager)["violations"][0]["message"].startswith("Lisa")
