"""Every shared acceptance case, replayed as an HTTP request against a sandbox seeded with
its snapshot, clock at the case's ``now``: the case's expected code, or success."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from booking_rules.sandbox import LocalSandbox

CASES = Path(__file__).resolve().parents[3] / "shared" / "cases" / "phorest"
FILES = sorted(CASES.glob("*.json")) if CASES.is_dir() else []


@pytest.mark.skipif(not FILES, reason="../shared/cases is not beside this checkout")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case_over_http(path: Path) -> None:
    case = json.loads(path.read_text())
    snap = case["snapshot"]
    seed = path.parent / snap if isinstance(snap, str) else snap
    now = datetime.fromisoformat(case["now"].replace("Z", "+00:00"))
    request = case["request"]
    headers = {"X-Sandbox-Online": "true"} if case.get("online") else {}
    with LocalSandbox(seed, now=now) as sb:
        (branch,) = sb.state.branches
        before = sb.export()
        if request["kind"] == "createBooking":
            r = sb.client.post(f"/branch/{branch}/booking", json=request["body"],
                               headers=headers)
            ok = 201
        else:
            appointment = request["body"]["appointmentId"]
            r = sb.client.put(f"/branch/{branch}/appointment/{appointment}",
                              json=request["body"], headers=headers)
            ok = 200
        want = set(case["expect"]["codes"])
        if not want:
            assert r.status_code == ok, r.text
            assert sb.export() != before  # stored
            return
        assert r.status_code == 400, r.text
        err = r.json()
        assert err["errorCode"] == "SLOT_UNAVAILABLE", err
        assert err["detail"] in want, (err, want)
        assert sb.export() == before  # nothing refused is stored
