"""The examples of docs/rulesets.md and docs/snapshot-format.md work as written, and
docs/rulesets.md documents every key and option the loader accepts."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import booking_rules as br

# The one private import of this file: what the loader accepts, to hold the page to it.
# Issue 10 moves the module; repoint this line then.
from booking_rules.core.ruleset import _TOP_KEYS, ENGINE_OPTIONS, bundled_rulesets

from .conftest import EXAMPLE_SALON, NOW, ROOT

RULESETS_MD = ROOT / "docs" / "rulesets.md"
SNAPSHOT_MD = ROOT / "docs" / "snapshot-format.md"
MARY = ROOT / "docs" / "examples" / "requests" / "mary_two_services.json"
TOML_BLOCKS = re.findall(r"^```toml\n(.*?)^```", RULESETS_MD.read_text(encoding="utf-8"),
                         flags=re.M | re.S)


def _section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading."""
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1:]
    end = re.search(r"^#+ ", rest, flags=re.M)
    return rest[:end.start()] if end else rest


def test_the_page_has_examples() -> None:
    assert len(TOML_BLOCKS) >= 8


@pytest.mark.parametrize("block", TOML_BLOCKS, ids=lambda b: b.split('"')[1])
def test_every_ruleset_example_loads_and_checks_from_another_directory(
        block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # From a directory that holds no ruleset: `extends = "phorest"` must find the bundled one.
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "example.toml"
    path.write_text(block, encoding="utf-8")
    ruleset = br.load_ruleset(path)
    named = re.search(r'^name = "([^"]+)"', block, flags=re.M)
    assert named is not None and ruleset.name == named.group(1)
    report = br.check(br.load_snapshot(EXAMPLE_SALON), json.loads(MARY.read_text()),
                      now=NOW, ruleset=ruleset)
    assert report.verdict == "FAIL"


def test_the_priority_example_changes_the_prediction(tmp_path: Path) -> None:
    block = next(b for b in TOML_BLOCKS if 'name = "double-booking-first"' in b)
    path = tmp_path / "priority.toml"
    path.write_text(block, encoding="utf-8")
    snap, body = br.load_snapshot(EXAMPLE_SALON), json.loads(MARY.read_text())
    assert br.check(snap, body, now=NOW).predicted_api_code == "CLIENT_ALREADY_BOOKED_THIS_TIME"
    assert br.check(snap, body, now=NOW, ruleset=path).predicted_api_code == (
        "STAFF_DOUBLE_BOOKED")


def test_every_top_level_key_is_in_the_key_table() -> None:
    table = _section(RULESETS_MD.read_text(encoding="utf-8"), "## Every key")
    rows = set(re.findall(r"^\| `\[?(?:rules\.)?([a-z_]+)(?:\.CODE)?\]?` \|", table,
                          flags=re.M))
    assert rows == set(_TOP_KEYS)


def test_every_engine_option_is_in_the_options_table() -> None:
    table = _section(RULESETS_MD.read_text(encoding="utf-8"), "### `[options]`")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M))
    assert rows == set(ENGINE_OPTIONS)


def test_every_rule_option_is_in_the_rule_options_table_with_its_default() -> None:
    table = _section(RULESETS_MD.read_text(encoding="utf-8"), "### `[rules.CODE]`")
    rows = {(code, option): default for code, option, default in re.findall(
        r"^\| `([A-Z_]+)` \| `([a-z_]+)` \| [^|]+ \| `([^`]+)` \|", table, flags=re.M)}
    expected = {(code, name): json.dumps(option.default)
                for code, rule in br.registry().items() for name, option in rule.options.items()}
    assert rows == expected


def test_every_bundled_ruleset_is_in_the_bundled_table() -> None:
    table = _section(RULESETS_MD.read_text(encoding="utf-8"), "## The bundled rulesets")
    assert set(re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.M)) == set(bundled_rulesets())


def test_the_small_snapshot_loads_and_answers() -> None:
    text = SNAPSHOT_MD.read_text(encoding="utf-8")
    block = re.search(r"<!-- snapshot-example[^>]*-->\n```json\n(.*?)^```", text,
                      flags=re.M | re.S)
    assert block is not None
    snap = br.load_snapshot(json.loads(block.group(1)))
    assert snap.notices == ()
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)

    def cut(client: str, start: str) -> dict[str, object]:
        return {"clientId": client, "clientAppointmentSchedules": [{"serviceSchedules": [
            {"serviceId": "svc_cut", "staffId": "stf_lisa", "startTime": start}]}]}

    # A new client right after Mary's cut passes (a warning only: not in the client list).
    free = br.check(snap, cut("cli_new", "2026-12-01T15:45:00Z"), now=now)
    assert free.verdict == "PASS" and [w.code for w in free.warnings] == ["UNKNOWN_CLIENT"]
    clash = br.check(snap, cut("cli_mary", "2026-12-01T15:30:00Z"), now=now)
    assert {v.code for v in clash.violations} == {"STAFF_DOUBLE_BOOKED",
                                                  "CLIENT_ALREADY_BOOKED_THIS_TIME",
                                                  "SERVICE_ALREADY_BOOKED_THIS_DAY"}
