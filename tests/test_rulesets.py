"""Rulesets: the bundled ones load, and a bad one is a clear error, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

import booking_rules as br
from booking_rules.core.ruleset import bundled_rulesets
from booking_rules.platforms.phorest import TABLE

from .conftest import booking, codes, run, sched

PHOREST_CODES = list(TABLE.api_codes)


def test_the_bundled_rulesets_load() -> None:
    assert bundled_rulesets() == ["phorest", "phorest-online", "pne", "strict"]
    assert br.load_ruleset("pne", platform="pne").platform == "pne"
    phorest = br.load_ruleset("phorest")
    assert {TABLE.code_of(r) for r in phorest.rules} == set(br.registry())
    assert sorted(TABLE.codes[n] for n in phorest.priority) == sorted(PHOREST_CODES)
    assert br.load_ruleset("phorest-online").online is True
    assert br.load_ruleset("strict").severity_of(br.registry()["UNKNOWN_CLIENT"]) == "error"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "custom.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("text", "message"), [
    ('select = ["STAFF_DOUBLE_BOKED"]', "did you mean STAFF_DOUBLE_BOOKED"),
    ('ignore = ["NOPE"]', "unknown rule code 'NOPE'"),
    ('[severity]\nSTAFF_DOUBLE_BOOKED = "fatal"', "must be \"error\" or \"warning\""),
    ('[rules.MACHINE_DOUBLE_BOOKED]\nwithout_machine = "all"', "unknown option"),
    ('[rules.MACHINE_DOUBLE_BOOKED]\nwithout_machine_id = 3', "must be a str"),
    ('[options]\nreserved_hold_block = false', "did you mean reserved_holds_block"),
    ('selekt = []', "unknown key 'selekt'"),
    ('appointment_times = "pacific"', "appointment_times"),
    ('select = [', "not valid TOML"),
])
def test_bad_rulesets_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(br.RulesetError) as info:
        br.load_ruleset(_write(tmp_path, text))
    assert message in str(info.value)


def test_unknown_ruleset_name() -> None:
    with pytest.raises(br.RulesetError, match="bundled: phorest, phorest-online, pne, strict"):
        br.load_ruleset("phorset")


def test_ignore_and_severity_change_the_report(tmp_path: Path) -> None:
    request = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:30:00Z"))
    assert codes(run(request)) == {"STAFF_DOUBLE_BOOKED"}
    ignored = _write(tmp_path, 'extends = "phorest"\nignore = ["STAFF_DOUBLE_BOOKED"]')
    report = run(request, ruleset=str(ignored))
    assert report.verdict == "PASS" and codes(report) == set()
    softer = tmp_path / "soft.toml"
    softer.write_text('extends = "phorest"\n[severity]\nSTAFF_DOUBLE_BOOKED = "warning"\n')
    report = run(request, ruleset=str(softer))
    assert report.verdict == "PASS"
    assert [w.code for w in report.warnings] == ["STAFF_DOUBLE_BOOKED"]


def test_reserved_holds_can_be_told_not_to_block(tmp_path: Path) -> None:
    # Eve's RESERVED hold with John, 15:00-15:45 local on 1 December.
    request = booking(sched("svc_cut", "stf_john", "2026-12-01T20:15:00Z"))
    assert codes(run(request)) == {"STAFF_DOUBLE_BOOKED"}
    lax = _write(tmp_path, 'extends = "phorest"\n[options]\nreserved_holds_block = false\n')
    assert codes(run(request, ruleset=str(lax))) == set()


def test_priority_predicts_the_first_failing_schedule_then_the_list() -> None:
    # Mary at 10:30 with Lisa: her own cut (client), Lisa busy (staff), same service that day.
    request = booking(sched("svc_cut", "stf_lisa", "2026-12-01T15:30:00Z"), client="cli_mary")
    report = run(request)
    assert codes(report) == {"STAFF_DOUBLE_BOOKED", "CLIENT_ALREADY_BOOKED_THIS_TIME",
                             "SERVICE_ALREADY_BOOKED_THIS_DAY"}
    assert report.predicted_api_code == "CLIENT_ALREADY_BOOKED_THIS_TIME"


# --- rulesets as templates (issue 13 item 4) ---------------------------------------------


@pytest.mark.parametrize("name", ["phorest-online", "strict", "phorest"])
def test_a_copied_bundled_file_works_from_another_folder(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from booking_rules.core.ruleset import rulesets_dir

    copy = tmp_path / "mine" / f"my-{name}.toml"
    copy.parent.mkdir()
    copy.write_text((rulesets_dir() / f"{name}.toml").read_text())
    monkeypatch.chdir(tmp_path)  # neither the bundled folder nor the copy's
    loaded, bundled = br.load_ruleset(copy), br.load_ruleset(name)
    assert (loaded.rules, loaded.severities, loaded.priority, loaded.online) == (
        bundled.rules, bundled.severities, bundled.priority, bundled.online)


def test_bundled_files_extend_by_name() -> None:
    from booking_rules.core.ruleset import rulesets_dir

    for path in rulesets_dir().glob("*.toml"):
        assert 'extends = "phorest.toml"' not in path.read_text()


def test_an_old_copy_extending_phorest_toml_gets_the_bundled_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.toml"
    path.write_text('name = "old"\nextends = "phorest.toml"\nonline = true\n')
    monkeypatch.chdir(tmp_path)
    assert br.load_ruleset(path).priority == br.load_ruleset("phorest").priority


@pytest.mark.parametrize("parent", ["phorst", "nope/phorest.toml", "phorest-onlin.toml"])
def test_an_extends_not_found_suggests_the_bundled_names(
        parent: str, tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    path.write_text(f'name = "child"\nextends = "{parent}"\n')
    with pytest.raises(br.RulesetError) as info:
        br.load_ruleset(path)
    message = str(info.value)
    assert "phorest, phorest-online, pne, strict" in message
