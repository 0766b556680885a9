"""The command line: exit codes, the JSON report, and bad input as one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from booking_rules.cli import main

from .conftest import EXAMPLE_SALON, ROOT

REQUESTS = ROOT / "docs" / "examples" / "requests"
NOW = "2026-11-01T12:00:00Z"


def _check(capsys: pytest.CaptureFixture[str], request: Path | str, *extra: str
           ) -> tuple[int, str, str]:
    code = main(["check", "--snapshot", str(EXAMPLE_SALON), "--request", str(request),
                 "--now", NOW, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_pass_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _check(capsys, REQUESTS / "new_client_cut.json")
    assert (code, err) == (0, "")
    assert out.startswith("PASS")


def test_fail_exits_1_with_every_violation_in_json(capsys: pytest.CaptureFixture[str]
                                                   ) -> None:
    code, out, _ = _check(capsys, REQUESTS / "mary_two_services.json", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert set(report) >= {"schemaVersion", "verdict", "violations", "warnings",
                           "predictedApiCode"}
    assert report["verdict"] == "FAIL"
    assert {v["code"] for v in report["violations"]} == {
        "STAFF_DOUBLE_BOOKED", "CLIENT_ALREADY_BOOKED_THIS_TIME",
        "SERVICE_ALREADY_BOOKED_THIS_DAY", "EXCEEDED_ROOM_CAPACITY"}
    for v in report["violations"]:
        assert set(v) == {"code", "severity", "message", "location", "evidence", "fix"}
        assert v["location"].startswith("clientAppointmentSchedules[0].serviceSchedules[")
    room = next(v for v in report["violations"] if v["code"] == "EXCEEDED_ROOM_CAPACITY")
    assert room["location"].endswith("serviceSchedules[1]")
    assert room["evidence"]["capacity"] == 2 and room["evidence"]["peakOccupancy"] == 2
    assert report["predictedApiCode"] == "CLIENT_ALREADY_BOOKED_THIS_TIME"


def test_text_report_names_people_and_both_clocks(capsys: pytest.CaptureFixture[str]
                                                  ) -> None:
    _, out, _ = _check(capsys, REQUESTS / "mary_two_services.json")
    assert "Lisa Moreau" in out and "Mary Client" in out
    assert "10:00-10:45 EST (15:00Z-15:45Z)" in out
    assert "Phorest would most likely answer: CLIENT_ALREADY_BOOKED_THIS_TIME" in out


@pytest.mark.parametrize(("content", "needle"), [
    ("{", "valid JSON"),
    ("[1, 2]", "a JSON object"),
    ('{"kind": "cancelBooking", "body": {}}', "kind 'createBooking' or 'updateAppointment'"),
    ('{"clientId": "c", "clientAppointmentSchedules": [{"serviceSchedules": [{"serviceId": '
     '"svc_cut", "staffId": "stf_lisa", "startTime": "tomorrow"}]}]}',
     "clientAppointmentSchedules[0].serviceSchedules[0].startTime"),
    ('{"kind": "updateAppointment", "body": {"appointmentId": "ap_mary_cut", '
     '"appointmentDate": "2026-12-01", "startTime": "10:00:00", "staffId": "stf_lisa"}}',
     "body.version"),
])
def test_unusable_request_exits_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path, content: str, needle: str
                                                ) -> None:
    path = tmp_path / "req.json"
    path.write_text(content)
    code, out, err = _check(capsys, path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err and needle in err
    assert "Traceback" not in err


def test_bad_now_and_missing_snapshot_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _check(capsys, REQUESTS / "new_client_cut.json", "--now", "noon")
    assert code == 2 and "--now" in err
    code = main(["check", "--snapshot", "missing.json", "--request",
                 str(REQUESTS / "new_client_cut.json"), "--now", NOW])
    _, err = capsys.readouterr()
    assert code == 2 and "missing.json" in err


def test_bad_ruleset_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _check(capsys, REQUESTS / "new_client_cut.json", "--ruleset", "nope")
    assert code == 2 and "bundled:" in err


def test_rules_lists_and_prints_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out, _ = capsys.readouterr()
    assert "STAFF_DOUBLE_BOOKED" in out and "SPECIAL_OFFER_STAFF_EXCLUDED" in out
    assert main(["rules", "staff_double_booked"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("# STAFF_DOUBLE_BOOKED") and "## Fix" in out
    assert main(["rules", "STAFF_DOUBLE_BOKED"]) == 2
    _, err = capsys.readouterr()
    assert "did you mean STAFF_DOUBLE_BOOKED" in err


SLOTS = ["slots", "--snapshot", str(EXAMPLE_SALON), "--service", "svc_cut",
         "--from", "2026-12-01T14:00:00Z", "--to", "2026-12-01T17:00:00Z", "--now", NOW]


def test_slots_in_three_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SLOTS, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # The list, beside what it was searched in (docs/schemas/slots.schema.json).
    assert (doc["schemaVersion"], doc["ruleset"], doc["now"], doc["complete"]) == (
        1, "phorest", NOW, True)
    assert doc["snapshot"]["branch"] == "Queen St"
    assert doc["snapshot"]["timeZone"] == "America/Toronto"
    found = doc["slots"]
    assert {"startTime": "2026-12-01T15:45:00Z", "endTime": "2026-12-01T16:30:00Z",
            "staffId": "stf_lisa"} in found
    assert found == sorted(found, key=lambda s: (s["startTime"], s["staffId"]))
    assert main([*SLOTS, "--staff", "stf_lisa", "--client", "cli_new",
                 "--format", "phorest"]) == 0
    phorest = json.loads(capsys.readouterr().out)
    assert [d["startTime"] for d in phorest["data"]] == ["2026-12-01T15:45:00Z"]
    sched = phorest["data"][0]["clientSchedules"][0]
    assert sched["clientId"] == "cli_new"
    assert sched["serviceSchedules"][0]["staffId"] == "stf_lisa"
    assert main(SLOTS) == 0
    text = capsys.readouterr().out
    assert "Lisa Moreau (stf_lisa)" in text and "10:45-11:30 EST (15:45Z-16:30Z)" in text


def test_slots_bad_input_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    bad = [*SLOTS]
    bad[bad.index("--to") + 1] = "2026-12-01T13:00:00Z"  # before --from
    assert main(bad) == 2
    # The flag the user typed, not find_slots' parameter (`end`, `service_ids[0]`).
    assert "--to: expected an end after the start" in capsys.readouterr().err
    assert main([*SLOTS[:4], "svc_nope", *SLOTS[5:]]) == 2
    err = capsys.readouterr().err
    assert "--service: expected a service id" in err and "svc_nope" in err
    assert "service_ids" not in err
    assert main([*SLOTS[:6], "yesterday", *SLOTS[7:]]) == 2
    assert "--from" in capsys.readouterr().err


def test_explain_a_refusal_and_a_corpus(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    error = tmp_path / "error.json"
    error.write_text('{"statusCode": 400, "id": "e1", "detail": "STAFF_DOUBLE_BOOKED", '
                     '"errorCode": "SLOT_UNAVAILABLE"}')
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"clientId": "cli_new", "clientAppointmentSchedules": [
        {"serviceSchedules": [{"serviceId": "svc_cut", "staffId": "stf_lisa",
                               "startTime": "2026-12-01T15:30:00Z"}]}]}))
    args = ["explain", "--snapshot", str(EXAMPLE_SALON), "--request", str(request),
            "--error", str(error), "--now", NOW]
    assert main([*args, "--format", "json"]) == 0  # confirmed exits 0
    out = json.loads(capsys.readouterr().out)
    assert (out["code"], out["sourceField"], out["status"], out["diagnosis"]) == (
        "STAFF_DOUBLE_BOOKED", "detail", 400, "confirmed")
    assert out["alternatives"]
    assert main(args) == 0
    assert "confirmed" in capsys.readouterr().out
    assert main(["explain", "--corpus", str(ROOT / "tests" / "data" / "corpus")]) == 0
    assert "accuracy 50.0%" in capsys.readouterr().out
    assert main(["explain", "--snapshot", str(EXAMPLE_SALON)]) == 2
    assert "--request, --error" in capsys.readouterr().err


def _branch_page(tmp_path: Path, name: str = "page.json", **top: object) -> Path:
    doc = json.loads(EXAMPLE_SALON.read_text())
    doc["branch"] = {"_embedded": {"branches": [
        {"branchId": "br_other", "name": "Other", "timeZone": "Europe/Dublin"},
        doc["branch"]]}, "page": {"totalElements": 2}}
    doc.update(top)
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_a_page_of_branches_needs_a_name(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 11 item 7: the snapshot's branchId or --branch names the branch; ambiguity is
    # unusable input (exit 2, one line naming the file and the path).
    page = _branch_page(tmp_path)
    request = str(REQUESTS / "new_client_cut.json")
    args = ["check", "--snapshot", str(page), "--request", request, "--now", NOW]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(page) in err and "branch" in err and "br_other, br_tor" in err
    assert err.count("\n") == 1
    assert main([*args, "--branch", "br_tor"]) == 0
    assert capsys.readouterr().out.startswith("PASS  Queen St")
    assert main([*args, "--branch", "br_nope"]) == 2
    assert "--branch" in capsys.readouterr().err
    named = _branch_page(tmp_path, "named.json", branchId="br_tor")
    assert main(["check", "--snapshot", str(named), "--request", request, "--now", NOW]) == 0
    capsys.readouterr()
    slots = ["slots", "--snapshot", str(page), "--service", "svc_cut", "--from",
             "2026-12-01T14:00:00Z", "--to", "2026-12-01T16:00:00Z", "--now", NOW]
    assert main(slots) == 2
    capsys.readouterr()
    assert main([*slots, "--branch", "br_tor"]) == 0


def test_an_unreadable_row_is_not_exit_2_but_a_file_that_is_no_snapshot_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(EXAMPLE_SALON.read_text())
    doc["appointments"].append({"appointmentId": "ap_odd", "appointmentDate": "2026-12-09",
                                "startTime": "nine", "endTime": "10:00:00",
                                "staffId": "stf_raj"})
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(doc))
    request = str(REQUESTS / "new_client_cut.json")
    assert main(["check", "--snapshot", str(odd), "--request", request, "--now", NOW]) == 0
    assert "UNREADABLE_ROW  at appointments[14]" in capsys.readouterr().out
    not_one = tmp_path / "list.json"
    not_one.write_text("[1, 2, 3]")
    assert main(["check", "--snapshot", str(not_one), "--request", request,
                 "--now", NOW]) == 2
    assert str(not_one) in capsys.readouterr().err
