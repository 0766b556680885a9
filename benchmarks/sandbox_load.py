"""Load on the sandbox over loopback: W workers x N createBookings on one branch.

    python benchmarks/sandbox_load.py [--workers 8] [--bookings 200] [--seed 1]

Starts ``booking-rules sandbox`` (``run_cli``) on the example salon in a subprocess on a
free 127.0.0.1 port, clock fixed at 2026-11-01T12:00Z, then each worker thread books
blow-dries at starts drawn from one shared pool of overlapping 15-minute starts (so most
of them collide), each for its own new client. Prints requests/s, p50/p99 latency, the
outcome counts, and checks the store afterwards: no staff member double booked, every
201 stored, every response accounted for. Exits 1 if a check fails.

``run_load`` and ``overlaps`` are also what ``tests/sandbox/test_concurrency.py`` runs,
at a small size, against a server in the test's own process.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

import booking_rules as br
from booking_rules.core.snapshot import blocking

ROOT = Path(__file__).resolve().parents[1]
SALON = ROOT / "docs" / "examples" / "queen_st_toronto.json"
NOW = "2026-11-01T12:00:00Z"
AUTH = ("global/sandbox@example.com", "sandbox")
STAFF = ("stf_lisa", "stf_john", "stf_ann", "stf_raj")
DAYS = (date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9))


def pool() -> list[tuple[str, str]]:
    """(staffId, UTC start) candidates: every 15 minutes from 09:00 to 16:00 Toronto time
    on three weekdays, for each staff member. A blow-dry lasts 30 minutes (45 for Raj),
    so neighbouring candidates collide as well as equal ones."""
    zone = ZoneInfo("America/Toronto")
    out = []
    for day in DAYS:
        for minute in range(9 * 60, 16 * 60 + 1, 15):
            local = datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                             tzinfo=zone)
            start = local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            out += [(staff, start) for staff in STAFF]
    return out


def booking(staff: str, start: str, client: str) -> dict[str, Any]:
    return {"clientId": client, "clientAppointmentSchedules": [{"clientId": client,
            "serviceSchedules": [{"serviceId": "svc_blowdry", "staffId": staff,
                                  "startTime": start}]}]}


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, every request
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)  # detail of each 400
    accepted: list[str] = field(default_factory=list)  # appointment ids of every 201
    failures: list[str] = field(default_factory=list)  # transport errors, odd answers

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(base: str, branch: str, *, workers: int, per_worker: int, seed: int = 1,
             timeout: float = 30.0) -> LoadResult:
    """``workers`` threads, each sending ``per_worker`` bookings through its own client
    (keep-alive) to ``base`` (the business URL). Every response is recorded."""
    candidates = pool()
    result = LoadResult(0.0)
    lock = threading.Lock()
    go = threading.Barrier(workers + 1)

    def worker(w: int) -> None:
        rng = random.Random(seed * 1000 + w)
        with httpx.Client(base_url=base, auth=AUTH, timeout=timeout) as client:
            go.wait()
            for i in range(per_worker):
                staff, start = rng.choice(candidates)
                t0 = time.perf_counter()
                try:
                    r = client.post(f"/branch/{branch}/booking",
                                    json=booking(staff, start, f"cli_load_{w}_{i}"))
                except httpx.HTTPError as exc:
                    with lock:
                        result.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                took = time.perf_counter() - t0
                with lock:
                    result.latencies.append(took)
                    result.statuses[r.status_code] += 1
                    if r.status_code == 201:
                        for group in r.json()["clientAppointmentSchedules"]:
                            result.accepted += [s["appointmentId"]
                                                for s in group["serviceSchedules"]]
                    elif r.status_code == 400:
                        result.codes[r.json()["detail"]] += 1
                    else:
                        result.failures.append(f"HTTP {r.status_code}: {r.text[:200]}")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    go.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    return result


def overlaps(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Pairs of blocking appointments of one staff member that overlap in time, read
    back through the engine's own loader: (staffId, appointmentId, appointmentId)."""
    snap = br.load_snapshot(doc)
    by_staff: dict[str, list[Any]] = {}
    for a in snap.appointments.values():
        if blocking(a) and a.staff_id is not None:
            by_staff.setdefault(a.staff_id, []).append(a)
    found = []
    for staff, rows in by_staff.items():
        rows.sort(key=lambda a: (a.start, a.end))
        latest = None
        for a in rows:
            if latest is not None and a.start < latest.end:
                found.append((staff, latest.id, a.id))
            if latest is None or a.end > latest.end:
                latest = a
    return found


@contextmanager
def sandbox_process(timeout: float = 60.0) -> Iterator[str]:
    """``booking-rules sandbox`` (its ``run_cli``) in a subprocess on a free loopback
    port: yields the base URL it prints; stopped on exit."""
    code = ("import sys; from booking_rules.sandbox import run_cli; "
            f"sys.exit(run_cli(snapshot={str(SALON)!r}, port=0, now={NOW!r}))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        base = None
        assert proc.stdout is not None
        while base is None:
            line = proc.stdout.readline()
            if not line:
                err = proc.stderr.read() if proc.stderr else ""
                raise RuntimeError(f"the sandbox did not start: {err}")
            found = re.search(r"base URL\s+(\S+)", line)
            if found:
                base = found.group(1)
            if time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not print its URL in time")
        # Wait until it answers (uvicorn is serving once the socket accepts).
        while True:
            try:
                httpx.get(base.rsplit("/third-party-api-server", 1)[0] + "/_sandbox",
                          timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--bookings", type=int, default=200, help="per worker")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with sandbox_process() as base:
        business = f"{base}/demo"
        seeded = len(httpx.get(base.rsplit("/third-party-api-server", 1)[0]
                               + "/_sandbox/state").json()["appointments"])
        result = run_load(business, "br_tor", workers=args.workers,
                          per_worker=args.bookings, seed=args.seed)
        doc = httpx.get(base.rsplit("/third-party-api-server", 1)[0]
                        + "/_sandbox/state").json()
    total = args.workers * args.bookings
    stored = {a["appointmentId"] for a in doc["appointments"]}
    clashes = overlaps(doc)
    lost = [i for i in result.accepted if i not in stored]
    extra = len(doc["appointments"]) - seeded - len(result.accepted)
    print(f"sandbox load: {args.workers} workers x {args.bookings} createBookings on "
          f"loopback ({total} requests, seed {args.seed})")
    print(f"  {result.requests / result.seconds:,.0f} requests/s over {result.seconds:.2f} s;"
          f" latency p50 {result.percentile(0.5) * 1000:.1f} ms, "
          f"p99 {result.percentile(0.99) * 1000:.1f} ms, "
          f"mean {statistics.mean(result.latencies) * 1000:.1f} ms")
    print(f"  answers: {dict(sorted(result.statuses.items()))}; refusals by code: "
          f"{dict(result.codes.most_common())}")
    print(f"  store: {len(result.accepted)} accepted, all stored: {not lost}; rows not "
          f"accounted for: {extra}; overlapping staff blocks: {len(clashes)}; "
          f"transport failures: {len(result.failures)}")
    ok = (result.requests == total and not result.failures and not lost and extra == 0
          and not clashes and sum(result.statuses.values()) == total)
    print("  OK" if ok else "  FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
