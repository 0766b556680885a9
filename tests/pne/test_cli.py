"""``--platform phorest|pne|vish`` on the command line, inferred from the snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from booking_rules.cli import main

from .location import PNE_LOCATION, ROOT

EXAMPLES = ROOT / "docs" / "examples" / "pne"
NOW = "2025-09-01T12:00:00Z"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys: pytest.CaptureFixture[str], request: Path, *extra: str
          ) -> tuple[int, str, str]:
    return run(capsys, "check", "--snapshot", str(PNE_LOCATION), "--request", str(request),
               "--now", NOW, *extra)


def test_an_appointment_and_an_order_are_checked_against_the_bundled_location(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, EXAMPLES / "appointment_recipe.json")
    assert (code, err) == (0, "") and out.startswith("PASS  Lakeside Med Spa")
    assert "ruleset pne" in out
    code, out, _ = check(capsys, EXAMPLES / "order_recipe.json")
    assert code == 0 and out.startswith("PASS")
    code, out, _ = check(capsys, EXAMPLES / "order_wrong_sums.json", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert {v["code"] for v in report["violations"]} == {"EXTENDED_PRICE_MISMATCH",
                                                          "PAYMENTS_BELOW_TOTAL"}
    assert report["predictedApiCode"] is None


def test_the_platform_flag_and_vish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(capsys, EXAMPLES / "appointment_recipe.json", "--platform", "vish")
    assert code == 1 and "VISH_READ_ONLY" in out and "VISH" in out
    code, _, err = check(capsys, EXAMPLES / "appointment_recipe.json", "--platform",
                         "phorest")
    assert code == 2 and "branch" in err and "Traceback" not in err


def test_bad_pne_input_is_one_line_with_its_json_path(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    body = json.loads((EXAMPLES / "appointment_recipe.json").read_text())
    body["body"]["EmployeeId"] = 7
    bad.write_text(json.dumps(body))
    code, out, err = check(capsys, bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "at body.EmployeeId" in err and str(bad) in err
    doc = json.loads(PNE_LOCATION.read_text())
    doc["Services"][0]["InitialMinutes"] = "15"
    snap = tmp_path / "snap.json"
    snap.write_text(json.dumps(doc))
    code, _, err = run(capsys, "check", "--snapshot", str(snap), "--request",
                       str(EXAMPLES / "appointment_recipe.json"), "--now", NOW)
    assert code == 2 and "at Services[0].InitialMinutes" in err


def test_slots_in_show_available_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "slots", "--snapshot", str(PNE_LOCATION), "--service",
                       "svc_botox", "--staff", "emp_lev", "--from", "2025-09-11T05:00:00Z",
                       "--to", "2025-09-12T05:00:00Z", "--now", NOW, "--format", "pne")
    assert code == 0
    slots = json.loads(out)
    assert slots[0] == {"AvailableSlot": "2025-09-11 13:15:00", "EmployeeName": "Lev Kurts",
                        "Initial": 15}
    code, _, err = run(capsys, "slots", "--snapshot", str(PNE_LOCATION), "--service",
                       "svc_botox", "--from", "2025-09-11T05:00:00Z", "--to",
                       "2025-09-12T05:00:00Z", "--now", NOW, "--platform", "vish")
    assert code == 2 and "VISH" in err


def test_explain_a_pne_answer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    error = tmp_path / "error.json"
    error.write_text('{"Message": "The time is not available."}')
    code, out, _ = run(capsys, "explain", "--snapshot", str(PNE_LOCATION), "--request",
                       str(EXAMPLES / "appointment_double_booked.json"), "--error",
                       str(error), "--status", "409", "--now", NOW, "--format", "json")
    assert code == 6  # exit by diagnosis: PNE answers no rule code (docs/explain.md)
    found = json.loads(out)
    assert found["code"] is None and found["status"] == 409  # PNE sends no code
    assert "Diagnosis: confirmed" in found["explanation"]
    assert "Cannot be known" in found["explanation"]
    assert [v["code"] for v in found["evidence"]] == ["EMPLOYEE_DOUBLE_BOOKED"]
    assert found["check"]["verdict"] == "FAIL"
    code, out, _ = run(capsys, "explain", "--snapshot", str(PNE_LOCATION), "--request",
                       str(EXAMPLES / "appointment_recipe.json"), "--error", str(error),
                       "--status", "401", "--now", NOW, "--platform", "vish")
    assert code == 6 and "401" in out and "VISH_READ_ONLY" in out


def test_rules_for_pne(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--platform", "pne")
    assert code == 0 and "CUSTOMER_SHAPE_IN_APPOINTMENT" in out
    code, out, _ = run(capsys, "rules", "--platform", "pne", "INVALID_NUMBER")
    assert code == 0 and out.startswith("# INVALID_NUMBER")
    code, _, _ = run(capsys, "rules", "--platform", "pne", "--check-docs",
                     str(ROOT / "docs" / "rules" / "pne"))
    assert code == 0


def test_a_pne_snapshot_from_standard_input_is_recognised(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = PNE_LOCATION.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "check", "--snapshot", "-", "--request",
                       str(EXAMPLES / "appointment_double_booked.json"), "--now", NOW)
    assert code == 1 and "EMPLOYEE_DOUBLE_BOOKED" in out
