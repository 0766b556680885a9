"""Run every acceptance case of a folder through the `booking-rules` CLI and compare.

A case agrees when the set of Phorest codes the CLI reports at error severity equals
`expect.codes` (cases/FORMAT.md). Prints one line per case, then 'N passed, N failed';
exits 1 on any disagreement.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PHOREST_CODES = {
    "STAFF_UNQUALIFIED", "STAFF_REQUESTED", "CLIENT_ALREADY_BOOKED_THIS_TIME",
    "STAFF_NOT_WORKING", "STAFF_DOUBLE_BOOKED", "EXCEEDED_ROOM_CAPACITY", "ROOM_UNSUITABLE",
    "MACHINE_DOUBLE_BOOKED", "MACHINE_UNSUITABLE", "SERVICE_ALREADY_BOOKED_THIS_DAY",
    "INTERNET_BOOKING_ALREADY_BOOKED", "MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED",
    "MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED", "SPECIAL_OFFER_BEFORE_START_DATE",
    "SPECIAL_OFFER_AFTER_END_DATE", "SPECIAL_OFFER_NOT_ALLOWED_TIME",
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED", "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED",
    "SPECIAL_OFFER_STAFF_EXCLUDED",
}


def run_case(path: Path, cli: str, tmp: Path) -> tuple[bool, str]:
    case = json.loads(path.read_text(encoding="utf-8"))
    snapshot = case["snapshot"]
    if isinstance(snapshot, str):
        snap_path = (path.parent / snapshot).resolve()
    else:
        snap_path = tmp / f"{path.stem}.snapshot.json"
        snap_path.write_text(json.dumps(snapshot), encoding="utf-8")
    req_path = tmp / f"{path.stem}.request.json"
    req_path.write_text(json.dumps(case["request"]), encoding="utf-8")
    cmd = [cli, "check", "--snapshot", str(snap_path), "--request", str(req_path),
           "--now", case["now"], "--format", "json"]
    if case.get("online"):
        cmd.append("--online")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1, 3):
        return False, f"exit {proc.returncode}: {proc.stderr.strip()}"
    report = json.loads(proc.stdout)
    got = sorted({v["code"] for v in report["violations"]
                  if v["severity"] == "error" and v["code"] in PHOREST_CODES})
    want = sorted(case["expect"]["codes"])
    verdict_ok = (proc.returncode == 0) == (not want) if not report["unknown"] else True
    if got == want and verdict_ok:
        return True, f"{','.join(got) or 'PASS'}"
    return False, f"expected {want or 'PASS'}, got {got or 'PASS'} (exit {proc.returncode})"


def main() -> int:
    folder = Path(sys.argv[1])
    cli = sys.argv[2] if len(sys.argv) > 2 else "booking-rules"
    cases = sorted(folder.glob("*.json"))
    if not cases:
        print(f"no cases in {folder}", file=sys.stderr)
        return 1
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in cases:
            ok, detail = run_case(path, cli, Path(tmp))
            print(f"{'ok  ' if ok else 'FAIL'} {path.stem}: {detail}")
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
