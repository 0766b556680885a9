"""Honest answers on partial data (issue 13 item 3): where check says UNKNOWN, slots says so
with the same reason; slots that finds nothing says why when no time could pass, with the
rule's code and a documented exit code; UNKNOWN reports give one reason once, with its fix,
and coverage in local dates as given."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cli import main

from .conftest import EXAMPLE_SALON, NOW

WINDOW = {"start": datetime(2026, 12, 1, 14, tzinfo=UTC),
          "end": datetime(2026, 12, 1, 17, tzinfo=UTC), "now": NOW}
SALON = br.load_snapshot(EXAMPLE_SALON)


def _covered_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE_SALON.read_text())
    doc["coverage"] = {"from": "2026-12-01", "to": "2026-12-01",
                       "fetchedAt": "2026-11-01T11:00:00Z"}
    return doc


def _body(start: str, service: str = "svc_cut", staff: str = "stf_lisa") -> dict[str, Any]:
    return {"clientId": "cli_new", "clientAppointmentSchedules": [{"serviceSchedules": [
        {"serviceId": service, "staffId": staff, "startTime": start}]}]}


# --- the reasons that hold at every time ------------------------------------------------


@pytest.mark.parametrize(("service", "extra", "code"), [
    ("svc_toner", {}, "ADDON_ONLY_SERVICE_ALONE"),
    ("svc_perm", {}, "ARCHIVED_SERVICE"),
    ("svc_colour", {"staff_id": "stf_john"}, "STAFF_UNQUALIFIED"),
    ("svc_laser", {"online": True}, "ONLINE_SERVICE_DISABLED"),
    ("svc_cut", {"staff_id": "stf_raj", "online": True}, "ONLINE_STAFF_HIDDEN"),
    ("svc_cut", {"staff_id": "stf_olga"}, "ARCHIVED_STAFF"),
    ("svc_cut", {"client_id": "cli_nobody", "ruleset": "strict"}, "UNKNOWN_CLIENT"),
])
def test_nothing_found_says_why_with_the_rule_code(service: str, extra: dict[str, Any],
                                                   code: str) -> None:
    found = br.find_slots(SALON, [service], **WINDOW, **extra)
    assert found == [] and found.complete
    first = found.blockers[0]
    assert first.code == code and first.every and first.message and first.fix
    # The same code check gives for any one of those bookings.
    staff = extra.get("staff_id", "stf_lisa")
    body = _body("2026-12-01T15:00:00Z", service, staff)
    if "client_id" in extra:
        body["clientId"] = extra["client_id"]
    report = br.check(SALON, body, now=NOW, online=extra.get("online", False),
                      ruleset=extra.get("ruleset", "phorest"))
    assert code in report.codes


def test_a_cause_that_depends_on_time_gives_no_blocker() -> None:
    # A Sunday: nobody is rostered; that is the time's doing, not a rule that always holds.
    found = br.find_slots(SALON, ["svc_cut"], start=datetime(2026, 12, 6, 14, tzinfo=UTC),
                          end=datetime(2026, 12, 6, 20, tzinfo=UTC), now=NOW)
    assert found == [] and found.blockers == () and found.complete


def test_the_command_says_why_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["slots", "--snapshot", str(EXAMPLE_SALON), "--service", "svc_toner", "--from",
            "2026-12-01T14:00:00Z", "--to", "2026-12-01T17:00:00Z", "--now",
            "2026-11-01T12:00:00Z"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.startswith("no times pass on 2026-12-01\n\nerror    ADDON_ONLY_SERVICE_ALONE  "
                          "(at every time, for every staff member)\n")
    assert "fix: book the add-on in the same request" in out
    assert main([*args, "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["slots"] == [] and doc["blockers"][0]["code"] == "ADDON_ONLY_SERVICE_ALONE"
    assert doc["blockers"][0]["everyStaff"] is True


# --- where check says UNKNOWN, slots says so -----------------------------------------------


def test_slots_and_check_give_the_same_reason_for_an_uncovered_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "covered.json"
    path.write_text(json.dumps(_covered_doc()))
    request = tmp_path / "request.json"
    request.write_text(json.dumps(_body("2026-12-02T15:00:00Z")))
    assert main(["check", "--snapshot", str(path), "--request", str(request), "--now",
                 "2026-11-01T12:00:00Z"]) == 3
    check_text = capsys.readouterr().out
    reason = ("the snapshot does not cover 2026-12-02 (coverage 2026-12-01 to 2026-12-01 "
              "(America/Toronto)), so these rules cannot be decided")
    # One finding for every rule the missing day stops, with the reason and its fix once.
    assert check_text.count("\nunknown  ") == 1 and check_text.count(reason) == 1
    assert check_text.count("fix: fetch the appointments, rosters") == 1
    assert "2026-12-01T05:00:00Z" not in check_text  # coverage as given, not as instants

    slots = ["slots", "--snapshot", str(path), "--service", "svc_cut", "--staff", "stf_lisa",
             "--now", "2026-11-01T12:00:00Z"]
    assert main([*slots, "--from", "2026-12-02T14:00:00Z", "--to",
                 "2026-12-02T20:00:00Z"]) == 3  # nothing found, and undecided
    slots_text = capsys.readouterr().out
    assert reason in slots_text and slots_text.startswith("no times pass")
    # A window across the edge: the covered part answered, the rest named; exit 0.
    assert main([*slots, "--from", "2026-12-01T20:00:00Z", "--to",
                 "2026-12-02T17:00:00Z", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["slots"] and doc["complete"] is False
    assert doc["undecided"][0]["reason"] == reason
    assert (doc["undecided"][0]["from"], doc["undecided"][0]["to"]) == (
        "2026-12-02", "2026-12-02")


def test_report_json_keeps_each_unknown_and_the_text_groups_them() -> None:
    snap = br.load_snapshot(_covered_doc())
    report = br.check(snap, _body("2026-12-02T15:00:00Z"), now=NOW)
    assert report.verdict == "UNKNOWN" and len(report.unknowns) > 1
    assert len({v.message.replace(v.code, "") for v in report.unknowns}) == 1
    assert report.to_text().count("\nunknown  ") == 1
    assert len(report.to_dict()["unknown"]) == len(report.unknowns)
