"""The shared acceptance cases, in-process (CI also runs them through the CLI)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

import booking_rules as br

CASES = Path(__file__).resolve().parents[2] / "shared" / "cases" / "phorest"
FILES = sorted(CASES.glob("*.json")) if CASES.is_dir() else []


@pytest.mark.skipif(not FILES, reason="../shared/cases is not beside this checkout")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case(path: Path) -> None:
    case = json.loads(path.read_text())
    snap = case["snapshot"]
    snapshot = br.load_snapshot(path.parent / snap if isinstance(snap, str) else snap)
    report = br.check(snapshot, case["request"],
                      now=datetime.fromisoformat(case["now"].replace("Z", "+00:00")),
                      online=case.get("online", False))
    got = {v.code for v in report.violations if v.api}
    assert got == set(case["expect"]["codes"]), report.to_text()
