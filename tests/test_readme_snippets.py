"""The README's Python snippets run as written (issue 13 item 6), from the repository root
as a user who cloned it would run them. The one name a snippet leaves to the user
(``my_salon.widget.next_booking``, "yours") is given a small real widget: it books the
first slot ``find_slots`` offers."""

from __future__ import annotations

import re
import sys
import types
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules import testing as brt

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS = re.findall(r"^```python\n(.*?)^```", README, flags=re.M | re.S)


def _next_booking(doc: dict[str, Any], service: str, client: str, now: Any
                  ) -> dict[str, Any] | None:
    """A widget as a user would write one: the first slot, booked for the client."""
    snap = br.load_snapshot(doc)
    if snap.roster_range is None:
        return None
    lo, hi = snap.day_bounds(snap.roster_range[0])
    slots = br.find_slots(snap, [service], start=lo, end=hi + timedelta(days=1),
                          client_id=client, now=now)
    return slots[0].booking(client) if slots else None


@pytest.fixture
def widget(monkeypatch: pytest.MonkeyPatch) -> None:
    package = types.ModuleType("my_salon")
    module = types.ModuleType("my_salon.widget")
    module.next_booking = _next_booking  # type: ignore[attr-defined]
    package.widget = module  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "my_salon", package)
    monkeypatch.setitem(sys.modules, "my_salon.widget", module)


def test_the_readme_has_python_snippets() -> None:
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.split("\n")[0][:40])
def test_each_snippet_runs_as_written(snippet: str, widget: None,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    scope: dict[str, Any] = {"__name__": "readme_snippet"}
    exec(compile(snippet, "README.md", "exec"), scope)  # the README, as written
    # A snippet that defines tests (the Hypothesis one) is run as pytest would run them.
    ran = [name for name, value in scope.items() if name.startswith("test_") and callable(
        value) and value() is None]
    if "def test_" in snippet:
        assert ran


def test_the_api_snippet_says_what_it_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    # The values the API snippet's comments give are the real ones.
    monkeypatch.chdir(ROOT)
    api = next(s for s in SNIPPETS if "br.check(snap, body" in s)
    scope: dict[str, Any] = {}
    exec(compile(api, "README.md", "exec"), scope)
    assert scope["report"].verdict == "FAIL"
    assert scope["report"].predicted_api_code == "CLIENT_ALREADY_BOOKED_THIS_TIME"
    assert scope["why"].diagnosis == "confirmed" and scope["why"].alternatives
    assert scope["slots"].complete and scope["slots"]


def test_now_as_a_string_or_naive_is_a_clear_input_error() -> None:
    snap = br.load_snapshot(ROOT / "docs" / "examples" / "queen_st_toronto.json")
    body = {"clientId": "cli_new", "clientAppointmentSchedules": []}
    for bad in ("2026-11-01T12:00:00Z", brt.now_for(_doc()).replace(tzinfo=None)):
        with pytest.raises(br.InputError) as info:
            br.check(snap, body, now=bad)  # type: ignore[arg-type]
        assert "aware datetime" in str(info.value) and info.value.path == "now"
    with pytest.raises(br.InputError, match="a Snapshot"):
        br.check(42, body, now=brt.now_for(_doc()))  # type: ignore[arg-type]


def _doc() -> dict[str, Any]:
    import json

    doc: dict[str, Any] = json.loads(
        (ROOT / "docs" / "examples" / "queen_st_toronto.json").read_text())
    return doc


def test_now_for_agrees_with_the_days_find_slots_reads() -> None:
    doc = _doc()
    snap = br.load_snapshot(doc)
    assert brt.now_for(doc) == brt.now_for(snap)
    assert snap.roster_range is not None
    first = snap.day_bounds(snap.roster_range[0])[0]
    assert brt.now_for(snap) == first - timedelta(days=7)
    doc["coverage"] = {"from": "2026-12-01", "to": "2026-12-03"}
    covered = br.load_snapshot(doc)
    assert brt.now_for(doc) == brt.now_for(covered) == (
        covered.day_bounds(covered.roster_range[0].replace(day=1, month=12))[0]  # type: ignore[union-attr]
        - timedelta(days=7))


def test_the_testing_extra_brings_hypothesis_alone() -> None:
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert [re.split(r"[<>=]", r)[0] for r in extras["testing"]] == ["hypothesis"]


def test_snapshot_exposes_zone_roster_range_and_coverage() -> None:
    snap = br.load_snapshot(Path(ROOT / "docs" / "examples" / "queen_st_toronto.json"))
    assert snap.zone.key == "America/Toronto"
    assert snap.roster_range is not None and snap.roster_range[0] < snap.roster_range[1]
    assert snap.coverage.start is None and snap.coverage.fetched_at is None
