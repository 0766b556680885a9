"""What the appointment fields of live tenants cost a load (issue 11 item 5).

    python benchmarks/live_fields.py [--size 100k] [--runs 5]

Writes three variants of the same synthetic branch (``generate.py``) and times
``load_snapshot(path)`` on each, in fresh processes (median of ``--runs``):

- ``plain``: the rows as the generator writes them;
- ``live``: every row also carries the fields live tenants return that no rule reads
  (``notes``, ``groupBookingId``, ``serviceGroupItemOptionId``, ``courseId``,
  ``courseName``, ``waitingListDateTime``, deposits, ...) and the links read under their
  live names (``serviceGroupId``, ``parentServiceGroupId``, ``clientCourseId``);
- ``unknown``: every row also carries one field nobody knows (reported once, by name).

The target: ``live`` within 1.2x of ``plain``; ``unknown`` must not fall back to the
general (pydantic) read of every row, which cost about 4x before.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate, parse_size

LIVE = {"notes": None, "groupBookingId": None, "serviceGroupItemOptionId": None,
        "courseId": None, "courseName": None, "waitingListDateTime": None,
        "depositAmount": 0.0, "depositDateTime": None, "serviceGroupId": None,
        "parentServiceGroupId": None, "clientCourseId": None,
        "isFinishAppointment": False, "purchasingBranchId": "br_bench",
        "serviceRewardId": None, "preferredStaff": False, "confirmed": True}

# Wall clock and CPU time (user + system) of the load: on a shared machine the wall clock
# carries the other processes, the CPU time much less.
_PROBE = ("import sys, time, resource, booking_rules as br; "
          "c = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2]); "
          "t, u = time.perf_counter(), c(); s = br.load_snapshot(sys.argv[1]); "
          "print(time.perf_counter() - t, c() - u, len(s.appointments), "
          "sum(n.rule == 'unknown_field' for n in s.notices))")


def _time(path: Path, runs: int) -> tuple[float, float, int, int]:
    wall, cpu = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _PROBE, str(path)], check=True,
                              capture_output=True, text=True)
        seconds, used, rows, unknown = done.stdout.split()
        wall.append(float(seconds))
        cpu.append(float(used))
    return statistics.median(wall), statistics.median(cpu), int(rows), int(unknown)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", default="100k")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    doc, _ = generate(parse_size(args.size))
    variants: dict[str, dict[str, Any]] = {"plain": doc}
    rows = doc["appointments"]
    variants["live"] = {**doc, "appointments": [{**LIVE, **r} for r in rows]}
    variants["unknown"] = {**doc, "appointments": [{**r, "colourFormula": "6/0"}
                                                   for r in rows]}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, variant in variants.items():
            path = Path(tmp) / f"{name}.json"
            path.write_text(json.dumps(variant, separators=(",", ":")), encoding="utf-8")
            wall, cpu, n, unknown = _time(path, args.runs)
            results[name] = (wall, cpu)
            print(f"{name:8} wall {wall:6.3f} s, cpu {cpu:6.3f} s  ({n} appointments, "
                  f"{path.stat().st_size / 1e6:.0f} MB, {unknown} unknown-field notice(s))",
                  flush=True)
    for name in ("live", "unknown"):
        print(f"{name} / plain: wall {results[name][0] / results['plain'][0]:.2f}x, "
              f"cpu {results[name][1] / results['plain'][1]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
