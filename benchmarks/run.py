"""Speed at chain scale: check, find_slots and load_snapshot against history size.

    python benchmarks/run.py [--sizes 10k,100k,1M] [--out benchmarks/results.json]

For each size it generates (or reuses from ``benchmarks/.cache/``) a synthetic branch
(``benchmarks/generate.py``), then measures, side by side in one run:

- ``check`` latency p50/p99 in microseconds (``time.perf_counter_ns`` around each call,
  after a warm-up) for a pool of one-schedule and a pool of three-schedule createBooking
  requests on rostered days, about half passing and half failing with various codes;
- the same requests through ``benchmarks/linear.py`` (a plain scan of every appointment,
  roster slot and break per call) and the speed-up linear / engine;
- ``find_slots`` for one service (Consultation, which all 50 staff can do) over one local
  day, all staff, and over one week;
- ``load_snapshot(path)`` wall time, measured in a fresh subprocess; and its memory per
  appointment: the ``tracemalloc`` peak during the load divided by N (another fresh
  subprocess), plus the bytes still held after it, and the peak RSS growth as a check.

It prints a markdown table and each target as met / missed, and writes the JSON file.
See ``benchmarks/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import linear  # noqa: E402

import booking_rules as br  # noqa: E402
from booking_rules.core import model as m  # noqa: E402

DEFAULT_OUT = HERE / "results.json"
TARGETS = {
    "flat_ratio": 1.3,  # check p50 at the largest size / at the smallest
    "speedup": 1000.0,  # linear p50 / engine p50 at the largest size
    "check_p50_us": 50.0,  # one-schedule check p50
    "fail_p50_us": 50.0,  # failing one-schedule check p50 (the failing-heavy pool)
    "fail_over_pass": 1.5,  # failing p50 / passing p50, one-schedule
    "room_p50_us": 100.0,  # a room-capacity refusal p50
    "slots_day_ms": 3.0,  # find_slots, one service, one local day, all staff
    "slots_week_ms": 20.0,  # the same over seven days
    "load_s": 5.0,  # load_snapshot at the largest size (rosters on the last 60 days)
    "load_dense_s": 3.0,  # load_snapshot of the roster-dense branch at the largest size
    "bytes_per_appointment": 400.0,  # tracemalloc peak during load / N
}
# The roster-dense branch: rosters and breaks on every day of the history (1M spans 2,439
# days), as a long-running salon's cache holds them.
DENSE_ROSTER_DAYS = 3000
OFFER_CODES = ("SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED", "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- timing ----------------------------------------------------------------------------


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``samples``."""
    ordered = sorted(samples)
    k = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return float(ordered[k])


def timed(fn: Callable[[Any], Any], items: Sequence[Any], *, min_calls: int,
          max_calls: int, budget_s: float) -> list[float]:
    """Call ``fn`` on ``items`` round robin; the duration of each call in microseconds.
    Runs at least ``min_calls`` calls, then stops at ``max_calls`` or after ``budget_s``."""
    out: list[float] = []
    deadline = time.perf_counter() + budget_s
    i = 0
    clock = time.perf_counter_ns
    while len(out) < max_calls and (len(out) < min_calls or time.perf_counter() < deadline):
        item = items[i % len(items)]
        i += 1
        t0 = clock()
        fn(item)
        out.append((clock() - t0) / 1000.0)
    return out


def summary(samples: Sequence[float]) -> dict[str, Any]:
    return {"p50_us": round(percentile(samples, 50), 1),
            "p99_us": round(percentile(samples, 99), 1),
            "mean_us": round(statistics.fmean(samples), 1),
            "max_us": round(max(samples), 1), "calls": len(samples)}


# --- requests --------------------------------------------------------------------------


def z(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def booking(client_id: str, schedules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "createBooking",
            "body": {"clientId": client_id, "bookingStatus": "ACTIVE",
                     "clientAppointmentSchedules": [{"clientId": client_id,
                                                     "serviceSchedules": schedules}]}}


class Requests:
    """Builds realistic createBooking requests on the 14 days after ``now``: each one is
    searched for at random and kept only when the linear reading (on the days around it)
    gives exactly the outcome wanted, so the pool mixes passing and failing requests.
    Every size holds the same recent days (generate.py), and the search is seeded, so the
    pools are the same requests at every size."""

    def __init__(self, snap: br.Snapshot, data: linear.Data, meta: dict[str, Any],
                 seed: int, days: int = 14) -> None:
        self.snap, self.zone = snap, snap.zone
        self.rng = random.Random(seed)
        first = _now_day(meta, snap.zone) + timedelta(days=1)
        last = date.fromisoformat(meta["rosterTo"])
        self.days = [first + timedelta(days=i) for i in range((last - first).days + 1)][:days]
        if not self.days:
            raise SystemExit("the snapshot has no rostered day after now: use a larger size")
        lo = self.midnight(self.days[0]) - timedelta(days=1)
        hi = self.midnight(self.days[-1]) + timedelta(days=2)
        self.win = data.window(lo, hi)
        self._day_win: dict[date, linear.Data] = {}
        self.clients = sorted(snap.clients)
        self.staff = [s for s in snap.staff.values() if not s.archived]
        self.services = [s for s in snap.services.values() if not s.addon_only
                         and not s.archived]
        self.working: dict[date, dict[str, tuple[datetime, datetime]]] = {}
        for r in self.win.roster:
            w = self.working.setdefault(r.local_date, {})
            s0, e0 = w.get(r.staff_id, (r.start, r.end))
            w[r.staff_id] = (min(s0, r.start), max(e0, r.end))
        self.by_day: dict[date, list[m.Appointment]] = {}
        for a in self.win.appointments:
            if not a.deleted and a.activation_state != m.ACTIVATION_CANCELED and a.staff_id \
                    and a.client_id:
                self.by_day.setdefault(a.local_date, []).append(a)

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), self.zone).astimezone(UTC)

    def day_data(self, day: date) -> linear.Data:
        """The linear data of the days around ``day`` (enough for any rule on that day)."""
        if day not in self._day_win:
            self._day_win[day] = self.win.window(self.midnight(day) - timedelta(days=1),
                                                 self.midnight(day) + timedelta(days=2))
        return self._day_win[day]

    def codes(self, day: date, req: dict[str, Any]) -> set[str]:
        return linear.codes(self.day_data(day), req)

    def qualified(self, service: m.Service, staff: m.Staff) -> bool:
        return service.id not in staff.disqualified_services and (
            staff.id not in service.disqualified_staff)

    def whole(self, service: m.Service, staff: m.Staff) -> timedelta:
        fin = service.finish_for(staff)
        extra = service.gap_time + fin if fin else 0
        return timedelta(minutes=service.duration_for(staff) + extra)

    def grid(self, day: date, staff_id: str, latest: int = 2) -> datetime:
        s, e = self.working[day][staff_id]
        steps = max(1, int((e - s) / timedelta(minutes=15)) - latest)
        return s + timedelta(minutes=15 * self.rng.randrange(steps))

    def pick_working(self, day: date) -> m.Staff:
        ids = sorted(self.working.get(day, {}))
        return self.snap.staff[self.rng.choice(ids)]

    def pick_service(self, staff: m.Staff, rooms: bool | None = None) -> m.Service | None:
        pool = [s for s in self.services if self.qualified(s, staff) and (
            rooms is None or bool(s.room_ids) == rooms)]
        return self.rng.choice(pool) if pool else None

    def one(self, kind: str) -> tuple[date, dict[str, Any]] | None:
        """A one-schedule request of ``kind`` ("pass" or the code it should fail with)."""
        rng = self.rng
        day = rng.choice(self.days)
        if not self.working.get(day) or not self.by_day.get(day):
            return None
        client = rng.choice(self.clients)
        sched: dict[str, Any] = {}
        if kind == "pass":
            staff = self.pick_working(day)
            service = self.pick_service(staff, rooms=rng.random() < 0.3)
            if service is None:
                return None
            sched = {"serviceId": service.id, "staffId": staff.id,
                     "startTime": z(self.grid(day, staff.id))}
            if service.room_ids and rng.random() < 0.5:
                sched["roomId"] = rng.choice(service.room_ids)
        elif kind in ("STAFF_DOUBLE_BOOKED", "CLIENT_ALREADY_BOOKED_THIS_TIME"):
            a = rng.choice(self.by_day[day])
            staff = self.snap.staff[a.staff_id or ""] if kind == "STAFF_DOUBLE_BOOKED" else (
                self.pick_working(day))
            if kind == "CLIENT_ALREADY_BOOKED_THIS_TIME":
                client = a.client_id or client
            service = self.pick_service(staff, rooms=False)
            if service is None:
                return None
            sched = {"serviceId": service.id, "staffId": staff.id, "startTime": z(a.start)}
        elif kind == "STAFF_NOT_WORKING":
            staff = self.pick_working(day)
            service = self.pick_service(staff, rooms=False)
            if service is None:
                return None
            end = self.working[day][staff.id][1]
            sched = {"serviceId": service.id, "staffId": staff.id,
                     "startTime": z(end - timedelta(minutes=15))}
        elif kind in ("EXCEEDED_ROOM_CAPACITY", "MACHINE_DOUBLE_BOOKED"):
            attr = "room_id" if kind == "EXCEEDED_ROOM_CAPACITY" else "machine_id"
            held = [a for a in self.by_day[day] if getattr(a, attr)]
            if not held:
                return None
            a = rng.choice(held)
            resource = getattr(a, attr)
            staff = self.pick_working(day)
            pool = [s for s in self.services if self.qualified(s, staff) and resource in (
                s.room_ids if attr == "room_id" else s.machine_ids)]
            if not pool:
                return None
            service = rng.choice(pool)
            sched = {"serviceId": service.id, "staffId": staff.id, "startTime": z(a.start),
                     ("roomId" if attr == "room_id" else "machineId"): resource}
        elif kind == "SERVICE_ALREADY_BOOKED_THIS_DAY":
            a = rng.choice(self.by_day[day])
            service = self.snap.services.get(a.service_id or "")
            if service is None or service.addon_only:
                return None
            client = a.client_id or client
            staff = self.pick_working(day)
            sched = {"serviceId": service.id, "staffId": staff.id,
                     "startTime": z(self.grid(day, staff.id))}
        elif kind == "STAFF_UNQUALIFIED":
            staff = self.pick_working(day)
            pool = [s for s in self.services if not self.qualified(s, staff)
                    and not s.room_ids]
            if not pool:
                return None
            service = rng.choice(pool)
            sched = {"serviceId": service.id, "staffId": staff.id,
                     "startTime": z(self.grid(day, staff.id))}
        return day, booking(client, [sched])

    def three(self, kind: str) -> tuple[date, dict[str, Any]] | None:
        """Three services back to back for one client, each with a staff member who is
        free then (searched greedily); a failing kind forces one schedule to break its
        rule: schedule 1 on an existing appointment of its staff, schedule 2 at the same
        time as schedule 1 (the client holds both), or schedule 2 with an off-duty staff."""
        rng = self.rng
        day = rng.choice(self.days)
        on_duty = sorted(self.working.get(day, {}))
        if len(on_duty) < 3 or not self.by_day.get(day):
            return None
        client = rng.choice(self.clients)
        staff0 = self.snap.staff[rng.choice(on_duty)]
        at = self.grid(day, staff0.id, latest=12)
        anchor = rng.choice(self.by_day[day]) if kind == "STAFF_DOUBLE_BOOKED" else None
        schedules: list[dict[str, Any]] = []
        codes: set[str] = set()
        for k in range(3):
            forced: m.Staff | None = None
            if k == 1 and anchor is not None:
                forced = self.snap.staff[anchor.staff_id or ""]
                s0 = self.snap.services[schedules[0]["serviceId"]]
                at = anchor.start
                schedules[0]["startTime"] = z(
                    at - self.whole(s0, self.snap.staff[schedules[0]["staffId"]]))
            if k == 2 and kind == "CLIENT_ALREADY_BOOKED_THIS_TIME":
                at = datetime.fromisoformat(schedules[1]["startTime"])
            if k == 2 and kind == "STAFF_NOT_WORKING":
                off = [s for s in self.staff if s.id not in self.working[day]]
                if not off:
                    return None
                forced = rng.choice(off)
            candidates = [forced] if forced else [
                self.snap.staff[i] for i in rng.sample(on_duty, min(12, len(on_duty)))]
            used = {sc["serviceId"] for sc in schedules}
            chosen = None
            for staff in candidates:
                pool = [s for s in self.services if self.qualified(s, staff)
                        and s.id not in used]
                if not pool:
                    continue
                service = rng.choice(pool)
                item = {"serviceId": service.id, "staffId": staff.id, "startTime": z(at)}
                got = self.codes(day, booking(client, [*schedules, item]))
                breaks = kind != "pass" and k == (1 if kind == "STAFF_DOUBLE_BOOKED" else 2)
                if got == (codes | {kind} if breaks else codes):
                    chosen, codes = (item, service, staff), got
                    break
            if chosen is None:
                return None
            schedules.append(chosen[0])
            at = at + self.whole(chosen[1], chosen[2])
        return day, booking(client, schedules)

    def heavy(self, kind: str) -> tuple[date, dict[str, Any]] | None:
        """``one``, but a machine conflict also names a room of the service (chosen at
        random), so that the request is not also refused for want of a room: a machine
        conflict alone is otherwise rare, machine services needing rooms too."""
        made = self.one(kind)
        if made is not None and kind == "MACHINE_DOUBLE_BOOKED":
            sched = made[1]["body"]["clientAppointmentSchedules"][0]["serviceSchedules"][0]
            rooms = self.snap.services[sched["serviceId"]].room_ids
            if rooms:
                sched["roomId"] = self.rng.choice(rooms)
        return made

    def offer(self, kind: str) -> tuple[date, dict[str, Any]] | None:
        """A one-schedule request that books a special offer at the time an existing
        appointment of that offer holds it, with another working staff member: its limits
        (``maxConcurrent``, ``maxPerDay``) may already be reached. ``linear.py`` reads no
        offer dates, weekday windows or staff exclusions, so these requests are kept by
        the engine's own verdict (``engine_pool``), not by the linear reading."""
        rng = self.rng
        day = rng.choice(self.days)
        held = [a for a in self.by_day.get(day, ()) if a.offer_id]
        if not held or not self.working.get(day):
            return None
        a = rng.choice(held)
        service = self.snap.services.get(a.service_id or "")
        if service is None:
            return None
        staff = self.pick_working(day)
        if not self.qualified(service, staff):
            return None
        sched = {"serviceId": service.id, "staffId": staff.id, "startTime": z(a.start),
                 "specialOfferId": a.offer_id}
        return day, booking(rng.choice(self.clients), [sched])

    def engine_pool(self, make: Callable[[str], tuple[date, dict[str, Any]] | None],
                    kind: str, count: int, ok: Callable[[set[str]], bool],
                    codes: Callable[[dict[str, Any]], set[str]], attempts: int = 400
                    ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, int]]:
        """``count`` requests of ``make(kind)`` whose *engine* codes satisfy ``ok``."""
        out: list[tuple[str, dict[str, Any]]] = []
        for _ in range(attempts):
            if len(out) >= count:
                break
            made = make(kind)
            if made is not None and ok(codes(made[1])):
                out.append((kind, made[1]))
        return out, ({kind: count - len(out)} if len(out) < count else {})

    def pool(self, make: Callable[[str], tuple[date, dict[str, Any]] | None],
             plan: dict[str, int], attempts: int = 400, among: frozenset[str] = frozenset()
             ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, int]]:
        """Requests for each kind of ``plan`` whose linear codes are exactly the kind's
        (for a kind of ``among``: include it, other refusals beside it allowed)."""
        out: list[tuple[str, dict[str, Any]]] = []
        missing: dict[str, int] = {}
        for kind, count in plan.items():
            want = set() if kind == "pass" else {kind}
            got = 0
            for _ in range(attempts):
                if got >= count:
                    break
                made = make(kind)
                if made is None:
                    continue
                day, req = made
                found = self.codes(day, req)
                if found == want or (kind in among and kind in found):
                    out.append((kind, req))
                    got += 1
            if got < count:
                missing[kind] = count - got
        # Interleave kinds (a stable shuffle), so a timing loop alternates them.
        self.rng.shuffle(out)
        return out, missing


# Two passing requests for one failing one: most bookings a client sends pass. (With an
# even mix the p50 would sit on the edge between the passing and the failing cluster and
# jump between them from run to run.)
ONE_PLAN = {"pass": 16, "STAFF_DOUBLE_BOOKED": 2, "CLIENT_ALREADY_BOOKED_THIS_TIME": 1,
            "STAFF_NOT_WORKING": 1, "EXCEEDED_ROOM_CAPACITY": 1, "MACHINE_DOUBLE_BOOKED": 1,
            "SERVICE_ALREADY_BOOKED_THIS_DAY": 1, "STAFF_UNQUALIFIED": 1}
THREE_PLAN = {"pass": 8, "STAFF_DOUBLE_BOOKED": 2, "CLIENT_ALREADY_BOOKED_THIS_TIME": 1,
              "STAFF_NOT_WORKING": 1}
# What a voice receptionist or a support desk re-checking a chain sends most: refusals.
# Four passing for twenty refused, with several room, machine and special-offer conflicts
# (the offer ones are kept by the engine's verdict: ``Requests.offer``).
FAIL_PLAN = {"pass": 4, "STAFF_DOUBLE_BOOKED": 3, "CLIENT_ALREADY_BOOKED_THIS_TIME": 2,
             "STAFF_NOT_WORKING": 2, "EXCEEDED_ROOM_CAPACITY": 3, "MACHINE_DOUBLE_BOOKED": 3,
             "SERVICE_ALREADY_BOOKED_THIS_DAY": 1, "STAFF_UNQUALIFIED": 1}
FAIL_OFFERS = 5
POOLS = ("one_schedule", "three_schedule", "fail_heavy")


# --- load probes (fresh subprocesses) --------------------------------------------------


def _status(field: str) -> int | None:
    """A ``/proc/self/status`` size in bytes (VmRSS, VmHWM), None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def probe(path: str, mode: str) -> dict[str, Any]:
    """Run in a fresh process: load ``path`` once and measure (mode ``time`` or
    ``tracemalloc``)."""
    gc.collect()
    if mode == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        snap = br.load_snapshot(path)
        current, peak_ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"appointments": len(snap.appointments), "tracemalloc_peak_bytes": peak_ - base,
                "tracemalloc_retained_bytes": current - base}
    rss0 = _status("VmRSS")
    t0 = time.perf_counter()
    snap = br.load_snapshot(path)
    seconds = time.perf_counter() - t0
    rss1, hwm = _status("VmRSS"), _status("VmHWM")
    n = len(snap.appointments)
    del snap
    gc.collect()
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as fh:
        doc = json.loads(fh.read())
    json_s = time.perf_counter() - t0
    del doc
    out: dict[str, Any] = {"appointments": n, "seconds": seconds, "json_seconds": json_s}
    if rss0 is not None and rss1 is not None and hwm is not None:
        out.update(rss_peak_delta_bytes=hwm - rss0, rss_retained_bytes=rss1 - rss0)
    return out


def run_probe(path: Path, mode: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--probe", str(path), "--probe-mode",
                           mode], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"load probe ({mode}) failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --- one size ----------------------------------------------------------------------------


def bench_size(label: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    path, meta = generate.ensure(n, args.seed, args.cache_dir, per_day=args.per_day,
                                 roster_days=args.roster_days, log=log)
    out: dict[str, Any] = {"appointments": meta["appointments"], "file": str(path),
                           "file_bytes": meta["fileBytes"], "days": _days(meta),
                           "counts": meta["counts"]}

    # Single loads of the same file in fresh processes spread by up to a third on a shared
    # 2-core VM (page faults, other tenants): the median of several is the figure.
    log(f"{label}: load_snapshot in {args.load_runs} fresh processes")
    runs = [run_probe(path, "time") for _ in range(args.load_runs)]
    t = sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]
    load: dict[str, Any] = {"seconds": round(t["seconds"], 3),
                            "seconds_runs": [round(r["seconds"], 3) for r in runs],
                            "json_parse_seconds": round(t["json_seconds"], 3)}
    if "rss_peak_delta_bytes" in t:
        load["rss_peak_delta_bytes"] = t["rss_peak_delta_bytes"]
        load["rss_peak_bytes_per_appointment"] = round(t["rss_peak_delta_bytes"] / n)
        load["rss_retained_bytes_per_appointment"] = round(t["rss_retained_bytes"] / n)
    if args.tracemalloc:
        log(f"{label}: load_snapshot under tracemalloc in a fresh process")
        tm = run_probe(path, "tracemalloc")
        load["tracemalloc_peak_bytes"] = tm["tracemalloc_peak_bytes"]
        load["peak_bytes_per_appointment"] = round(tm["tracemalloc_peak_bytes"] / n)
        load["retained_bytes_per_appointment"] = round(tm["tracemalloc_retained_bytes"] / n)
        load["memory_method"] = "tracemalloc peak during load_snapshot(path) / N"
    else:
        load["peak_bytes_per_appointment"] = load.get("rss_peak_bytes_per_appointment")
        load["retained_bytes_per_appointment"] = load.get("rss_retained_bytes_per_appointment")
        load["memory_method"] = "peak RSS growth (VmHWM - VmRSS before) during load / N"
    out["load"] = load
    log(f"{label}: load_snapshot of the roster-dense branch in {args.load_runs} fresh "
        "processes")
    out["load_dense"] = dense_load(n, args)

    log(f"{label}: loading for the check and slot benchmarks")
    snap = br.load_snapshot(path)
    now = datetime.fromisoformat(meta["now"].replace("Z", "+00:00"))
    data = linear.Data.from_snapshot(snap)
    reqs = Requests(snap, data, meta, args.seed)
    one, miss1 = reqs.pool(reqs.one, ONE_PLAN)
    three, miss3 = reqs.pool(reqs.three, THREE_PLAN)
    # In this branch a machine is used inside a room of capacity 1 by a staff member: a
    # machine conflict nearly always comes with a room or staff conflict, kept as is.
    heavy, miss_h = reqs.pool(reqs.heavy, FAIL_PLAN, attempts=1000,
                              among=frozenset({"MACHINE_DOUBLE_BOOKED"}))

    def engine_codes(req: dict[str, Any]) -> set[str]:
        return set(br.check(snap, req, now=now).codes)

    offers, miss_o = reqs.engine_pool(reqs.offer, "SPECIAL_OFFER", FAIL_OFFERS,
                                      lambda codes: bool(codes & set(OFFER_CODES)),
                                      engine_codes)
    heavy += offers
    miss_h.update(miss_o)
    reqs.rng.shuffle(heavy)
    log(f"{label}: {len(one)} one-schedule, {len(three)} three-schedule and {len(heavy)} "
        f"failing-heavy requests ({len(offers)} with a special-offer conflict)")

    def engine(req: Any) -> Any:
        return br.check(snap, req[1], now=now)

    def lin(req: Any) -> Any:
        return linear.check(data, req[1])

    gc.collect()
    pools = (("one_schedule", one, miss1), ("three_schedule", three, miss3),
             ("fail_heavy", heavy, miss_h))
    for name, pool, missing in pools:
        if not pool:
            raise SystemExit(f"no {name} request could be built at {label}")
        # Agreement on the codes both read, and the engine's verdicts (untimed engine
        # calls); the linear calls made here, one per request, are the first timed ones.
        # The special-offer requests were chosen by the engine: linear reads no offer
        # dates or windows, so they are not counted in the agreement.
        agree, compared, verdicts, kinds = 0, 0, Counter[str](), Counter[str]()
        disagreements = []
        lin_samples: list[float] = []
        verdict_of: list[str] = []
        for kind, req in pool:
            report = br.check(snap, req, now=now)
            verdicts[report.verdict] += 1
            verdict_of.append(report.verdict)
            kinds[kind] += 1
            mine = {c for c in report.codes if c in linear.LINEAR_CODES}
            t0 = time.perf_counter_ns()
            theirs = {code for _, code in linear.check(data, req)}
            lin_samples.append((time.perf_counter_ns() - t0) / 1000.0)
            if kind == "SPECIAL_OFFER":
                continue
            compared += 1
            if mine == theirs:
                agree += 1
            else:
                disagreements.append({"kind": kind, "engine": sorted(mine),
                                      "linear": sorted(theirs), "request": req["body"]})
        more = max(0, args.linear_calls - len(lin_samples))
        if more:
            lin_samples += timed(lin, pool, min_calls=0, max_calls=more,
                                 budget_s=args.linear_budget)
        for _ in range(args.warmup):
            for item in pool:
                engine(item)
        gc.collect()
        samples = timed(engine, pool, min_calls=args.iterations,
                        max_calls=args.iterations * 20, budget_s=args.budget)
        e, li = summary(samples), summary(lin_samples)
        # Split by the engine's own verdict: a failing check also decides its evidence.
        passing = [t for i, t in enumerate(samples) if verdict_of[i % len(pool)] == "PASS"]
        failing = [t for i, t in enumerate(samples) if verdict_of[i % len(pool)] == "FAIL"]
        by_kind: dict[str, list[float]] = {}
        for i, t in enumerate(samples):
            by_kind.setdefault(pool[i % len(pool)][0], []).append(t)
        out.setdefault("check", {})[name] = {
            **e, "pass_p50_us": _p(passing, 50), "pass_p99_us": _p(passing, 99),
            "fail_p50_us": _p(failing, 50), "fail_p99_us": _p(failing, 99),
            "kind_p50_us": {k: _p(v, 50) for k, v in sorted(by_kind.items())},
            "requests": len(pool), "pool_sha1": _fingerprint(pool), "kinds": dict(kinds),
            "missing_kinds": missing,
            "engine_verdicts": dict(verdicts)}
        out.setdefault("linear", {})[name] = li
        out.setdefault("speedup_vs_linear", {})[name] = round(li["p50_us"] / e["p50_us"], 1)
        out.setdefault("engine_over_linear", {})[name] = round(e["p50_us"] / li["p50_us"], 6)
        out.setdefault("linear_agreement", {})[name] = {
            "agree": agree, "total": compared, "disagreements": disagreements[:3]}
        log(f"{label}: check {name} p50 {e['p50_us']} us, p99 {e['p99_us']} us (pass "
            f"{_p(passing, 50)}, fail {_p(failing, 50)}); linear p50 {li['p50_us']} us "
            f"({li['calls']} calls)")
        if name == "fail_heavy":
            out["render"] = render_bench(snap, now, [
                req for (_, req), v in zip(pool, verdict_of, strict=True) if v == "FAIL"],
                args)
            log(f"{label}: failing report rendered: text +{out['render']['text_us']} us, "
                f"JSON +{out['render']['json_us']} us")
    out["find_slots"] = slots_bench(snap, meta, now, args)
    log(f"{label}: find_slots day p50 {out['find_slots']['day']['p50_ms']} ms, week "
        f"{out['find_slots']['week']['p50_ms']} ms")
    return out


def _p(samples: Sequence[float], q: float) -> float | None:
    return round(percentile(samples, q), 1) if samples else None


def render_bench(snap: br.Snapshot, now: datetime, failing: list[dict[str, Any]],
                 args: argparse.Namespace) -> dict[str, Any]:
    """What a failing report costs to read: ``check`` alone, ``check`` then
    ``Report.to_text()``, ``check`` then ``Report.to_json()``, round robin over the failing
    requests (a fresh report each call, so anything built when read is counted). The
    rendering's cost is the difference of the p50s."""
    if not failing:
        return {"requests": 0, "check_us": None, "text_us": None, "json_us": None}
    variants: dict[str, Callable[[Any], Any]] = {
        "check": lambda req: br.check(snap, req, now=now),
        "text": lambda req: br.check(snap, req, now=now).to_text(),
        "json": lambda req: br.check(snap, req, now=now).to_json(),
    }
    p50: dict[str, float] = {}
    calls = max(30, args.iterations // 3)
    for name, fn in variants.items():
        for req in failing:
            fn(req)
        p50[name] = percentile(timed(fn, failing, min_calls=calls, max_calls=calls * 4,
                                     budget_s=args.budget / 3), 50)
    return {"requests": len(failing), "check_us": round(p50["check"], 1),
            "check_text_us": round(p50["text"], 1), "check_json_us": round(p50["json"], 1),
            "text_us": round(p50["text"] - p50["check"], 1),
            "json_us": round(p50["json"] - p50["check"], 1)}


def http_bench(args: argparse.Namespace) -> dict[str, Any]:
    """One loopback HTTP round trip to the sandbox (uvicorn on 127.0.0.1 in a thread, the
    example salon, a keep-alive httpx client): ``GET /branch`` and a dry-run
    ``POST .../booking`` (decided by the engine, stores nothing). The pre-flight check
    should cost less than the call it saves.

    Measured twice: served by ``sandbox.running`` as it ships, and by the same uvicorn on a
    listening socket created with ``IPPROTO_TCP``. asyncio sets ``TCP_NODELAY`` on accepted
    sockets only when the listening socket's ``proto`` is ``IPPROTO_TCP``; ``running``'s is
    0, so on a keep-alive connection each response waits for the client's delayed ACK
    (Nagle): about 40 ms a request. The second figure is the round trip without that."""
    import socket
    import threading

    import httpx
    import uvicorn

    from booking_rules import sandbox

    salon = HERE.parent / "docs" / "examples" / "queen_st_toronto.json"
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    body = {"clientId": "cli_new", "clientAppointmentSchedules": [
        {"clientId": "cli_new", "serviceSchedules": [
            {"serviceId": "svc_cut", "staffId": "stf_lisa",
             "startTime": "2026-12-01T18:30:00Z"}]}]}
    calls = max(20, args.iterations // 10)
    creds = sandbox.DEFAULT_CREDENTIALS

    def measure(root: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        with httpx.Client(base_url=f"{root}{sandbox.API_ROOT}/demo", timeout=10.0,
                          auth=(creds.username, creds.password)) as client:
            def get(_: Any) -> None:
                client.get("/branch").raise_for_status()

            def post(_: Any) -> None:
                r = client.post("/branch/br_tor/booking", json=body,
                                headers={"X-Sandbox-Dry-Run": "true"})
                if r.status_code >= 300:
                    raise RuntimeError(f"dry-run booking answered {r.status_code}: {r.text}")

            for name, fn in (("get_branch", get), ("dry_run_booking", post)):
                for _ in range(3):
                    fn(None)
                samples = timed(fn, [None], min_calls=calls, max_calls=calls * 5,
                                budget_s=args.budget / 3)
                found[name] = {"p50_us": _p(samples, 50), "p99_us": _p(samples, 99),
                               "calls": len(samples)}
        return found

    out: dict[str, Any] = {"snapshot": "docs/examples/queen_st_toronto.json",
                           "client": "httpx.Client, keep-alive"}
    with sandbox.LocalSandbox(salon, now=now) as sb:
        with sandbox.running(sb.app) as root:
            out["as_shipped"] = measure(root)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        server = uvicorn.Server(uvicorn.Config(sb.app, log_level="warning", access_log=False,
                                               lifespan="off"))
        thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True)
        thread.start()
        try:
            deadline = time.perf_counter() + 10
            while not server.started and time.perf_counter() < deadline:
                time.sleep(0.01)
            if not server.started:
                raise RuntimeError("uvicorn did not start")
            host, port = sock.getsockname()[:2]
            out["nodelay"] = measure(f"http://{host}:{port}")
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()
    # The ratio is taken against the faster server: the round trip a fixed sandbox costs.
    out["get_branch"] = out["nodelay"]["get_branch"]
    out["dry_run_booking"] = out["nodelay"]["dry_run_booking"]
    return out


def dense_load(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """``load_snapshot`` of the roster-dense branch of size ``n`` (rosters and breaks on
    every day of its history): median of ``--load-runs`` fresh processes."""
    path, meta = generate.ensure(n, args.seed, args.cache_dir, per_day=args.per_day,
                                 roster_days=DENSE_ROSTER_DAYS, log=log)
    runs = [run_probe(path, "time") for _ in range(args.load_runs)]
    t = sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]
    return {"seconds": round(t["seconds"], 3),
            "seconds_runs": [round(r["seconds"], 3) for r in runs],
            "json_parse_seconds": round(t["json_seconds"], 3),
            "roster_days": DENSE_ROSTER_DAYS, "file_bytes": meta["fileBytes"],
            "rss_peak_bytes_per_appointment": round(t["rss_peak_delta_bytes"] / n)
            if "rss_peak_delta_bytes" in t else None}


def _fingerprint(pool: list[tuple[str, dict[str, Any]]]) -> str:
    """A short hash of the requests of a pool: equal across sizes when they are the same."""
    text = json.dumps([req for _, req in pool], sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _now_day(meta: dict[str, Any], zone: Any) -> date:
    """The local date of the snapshot's ``now``."""
    return datetime.fromisoformat(meta["now"].replace("Z", "+00:00")).astimezone(zone).date()


def _days(meta: dict[str, Any]) -> int:
    return (date.fromisoformat(meta["lastDay"]) - date.fromisoformat(meta["firstDay"])).days + 1


def slots_bench(snap: br.Snapshot, meta: dict[str, Any], now: datetime,
                args: argparse.Namespace) -> dict[str, Any]:
    service_id = meta["services"]["consult"]
    zone = snap.zone
    first = _now_day(meta, zone) + timedelta(days=1)
    last = date.fromisoformat(meta["rosterTo"])
    # A Tuesday (a full weekday), the first one after now, when the roster has it.
    day = first
    while day.weekday() != 1 and day < last:
        day += timedelta(days=1)

    def midnight(d: date) -> datetime:
        return datetime.combine(d, datetime.min.time(), zone).astimezone(UTC)

    service = snap.services[service_id]
    staff = [s for s in snap.staff.values() if not s.archived
             and service.id not in s.disqualified_services
             and s.id not in service.disqualified_staff]
    working = {r.staff_id for r in snap.roster if r.local_date == day}
    out: dict[str, Any] = {"service": service.name, "serviceId": service_id,
                           "date": day.isoformat(), "staff_qualified": len(staff),
                           "staff_working": sum(1 for s in staff if s.id in working)}
    week_days = min(7, (last - day).days + 1)
    for name, span_days, calls in (("day", 1, args.slot_calls),
                                   ("week", week_days, max(1, args.slot_calls // 3))):
        start, end = midnight(day), midnight(day + timedelta(days=span_days))
        found: list[Any] = []

        def search(_: Any, start: datetime = start, end: datetime = end,
                   found: list[Any] = found) -> None:
            found[:] = br.find_slots(snap, [service_id], start=start, end=end, now=now)

        search(None)  # warm-up
        samples = timed(search, [None], min_calls=calls, max_calls=calls * 10,
                        budget_s=args.slot_budget)
        out[name] = {"days": span_days, "p50_ms": round(percentile(samples, 50) / 1000, 2),
                     "min_ms": round(min(samples) / 1000, 2), "calls": len(samples),
                     "slots": len(found)}
    return out


# --- targets and the table ------------------------------------------------------------------


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    sizes = list(results)
    if not sizes:
        return []
    small, large = sizes[0], sizes[-1]
    r_s, r_l = results[small], results[large]
    rows: list[dict[str, Any]] = []

    def add(name: str, target: str, value: float | None, met: bool | None, at: str,
            unit: str = "") -> None:
        rows.append({"target": name, "goal": target, "value": value, "unit": unit,
                     "at": at, "met": met})

    for kind in ("one_schedule", "three_schedule"):
        if small != large:
            ratio = r_l["check"][kind]["p50_us"] / r_s["check"][kind]["p50_us"]
            add(f"check p50 flat ({kind.replace('_', '-')})",
                f"p50 at {large} <= {TARGETS['flat_ratio']}x p50 at {small}", round(ratio, 2),
                ratio <= TARGETS["flat_ratio"], f"{large} vs {small}", "x")
        else:
            add(f"check p50 flat ({kind.replace('_', '-')})", "needs two sizes", None, None,
                large)
    for kind in ("one_schedule", "three_schedule"):
        sp = r_l["speedup_vs_linear"][kind]
        add(f"faster than linear ({kind.replace('_', '-')})",
            f">= {TARGETS['speedup']:g}x", sp, sp >= TARGETS["speedup"], large, "x")
    p50 = r_l["check"]["one_schedule"]["p50_us"]
    add("one-schedule check p50", f"< {TARGETS['check_p50_us']:g} us", p50,
        p50 < TARGETS["check_p50_us"], large, "us")
    heavy = r_l["check"]["fail_heavy"]
    fail = heavy["fail_p50_us"]
    add("failing one-schedule check p50 (failing-heavy pool)",
        f"< {TARGETS['fail_p50_us']:g} us", fail,
        fail is not None and fail < TARGETS["fail_p50_us"], large, "us")
    # Both from the failing-heavy pool: timed in the same seconds, so a change in the
    # shared machine's load between two pools' timings does not move the ratio.
    passing = heavy["pass_p50_us"]
    ratio_fp = round(fail / passing, 2) if fail and passing else None
    add("failing p50 / passing p50 (failing-heavy pool)",
        f"<= {TARGETS['fail_over_pass']:g}x", ratio_fp,
        ratio_fp is not None and ratio_fp <= TARGETS["fail_over_pass"], large, "x")
    room = heavy["kind_p50_us"].get("EXCEEDED_ROOM_CAPACITY")
    add("room-capacity refusal p50", f"< {TARGETS['room_p50_us']:g} us", room,
        room is not None and room < TARGETS["room_p50_us"], large, "us")
    day = r_l["find_slots"]["day"]["p50_ms"]
    add(f"find_slots one day, {r_l['find_slots']['staff_qualified']} staff",
        f"< {TARGETS['slots_day_ms']:g} ms", day, day < TARGETS["slots_day_ms"], large, "ms")
    week = r_l["find_slots"]["week"]["p50_ms"]
    add(f"find_slots one week, {r_l['find_slots']['staff_qualified']} staff",
        f"< {TARGETS['slots_week_ms']:g} ms", week, week < TARGETS["slots_week_ms"], large,
        "ms")
    load_s = r_l["load"]["seconds"]
    add("load_snapshot time", f"< {TARGETS['load_s']:g} s", load_s, load_s < TARGETS["load_s"],
        large, "s")
    dense_s = r_l["load_dense"]["seconds"]
    add("load_snapshot time, roster-dense branch", f"< {TARGETS['load_dense_s']:g} s",
        dense_s, dense_s < TARGETS["load_dense_s"], large, "s")
    bpa = r_l["load"]["peak_bytes_per_appointment"]
    add("load_snapshot memory per appointment", f"< {TARGETS['bytes_per_appointment']:g} B",
        bpa, bpa is not None and bpa < TARGETS["bytes_per_appointment"], large, "B")
    return rows


def table(results: dict[str, Any]) -> str:
    sizes = list(results)

    def row(name: str, get: Callable[[dict[str, Any]], Any]) -> str:
        cells = []
        for s in sizes:
            try:
                cells.append(str(get(results[s])))
            except (KeyError, TypeError):
                cells.append("-")
        return f"| {name} | " + " | ".join(cells) + " |"

    def c(kind: str, field: str) -> Callable[[dict[str, Any]], Any]:
        return lambda r: r["check"][kind][field]

    lines = ["| figure | " + " | ".join(f"{s} ({results[s]['appointments']:,} appts, "
                                         f"{results[s]['days']} days)" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    def pair(section: str, kind: str, fmt: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: (f"{r[section][kind]['p50_us']:{fmt}} / "
                          f"{r[section][kind]['p99_us']:{fmt}}")

    def slots(span: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: (f"{r['find_slots'][span]['p50_ms']:g} "
                          f"({r['find_slots'][span]['slots']})")

    lines += [
        row("check 1-schedule p50 / p99 (µs)", pair("check", "one_schedule", "g")),
        row("check 3-schedule p50 / p99 (µs)", pair("check", "three_schedule", "g")),
        row("check p50 passing / failing requests, 1-schedule (µs)",
            lambda r: f"{c('one_schedule', 'pass_p50_us')(r):g} / "
            f"{c('one_schedule', 'fail_p50_us')(r):g}"),
        row("check p50 passing / failing requests, 3-schedule (µs)",
            lambda r: f"{c('three_schedule', 'pass_p50_us')(r):g} / "
            f"{c('three_schedule', 'fail_p50_us')(r):g}"),
        row("check calls timed (1 / 3)", lambda r: f"{c('one_schedule', 'calls')(r)} / "
            f"{c('three_schedule', 'calls')(r)}"),
        row("check p99 passing / failing requests, 1-schedule (µs)",
            lambda r: f"{c('one_schedule', 'pass_p99_us')(r):g} / "
            f"{c('one_schedule', 'fail_p99_us')(r):g}"),
        row("failing-heavy pool: p50 / p99, all (µs)", pair("check", "fail_heavy", "g")),
        row("failing-heavy pool: PASS p50 / p99 (µs)",
            lambda r: f"{c('fail_heavy', 'pass_p50_us')(r):g} / "
            f"{c('fail_heavy', 'pass_p99_us')(r):g}"),
        row("failing-heavy pool: FAIL p50 / p99 (µs)",
            lambda r: f"{c('fail_heavy', 'fail_p50_us')(r):g} / "
            f"{c('fail_heavy', 'fail_p99_us')(r):g}"),
        row("failing-heavy pool: p50 room / machine / offer refusal (µs)",
            lambda r: " / ".join(
                f"{c('fail_heavy', 'kind_p50_us')(r).get(k, '-')}"
                for k in ("EXCEEDED_ROOM_CAPACITY", "MACHINE_DOUBLE_BOOKED", "SPECIAL_OFFER"))),
        row("failing report rendered: + text / + JSON p50 (µs)",
            lambda r: f"{r['render']['text_us']:g} / {r['render']['json_us']:g}"),
        row("request pools (sha1 of the requests, 1 / 3 / failing-heavy)",
            lambda r: f"{c('one_schedule', 'pool_sha1')(r)[:6]} / "
            f"{c('three_schedule', 'pool_sha1')(r)[:6]} / "
            f"{c('fail_heavy', 'pool_sha1')(r)[:6]}"),
        row("engine verdicts, 1-schedule pool", lambda r: _verdicts(r, "one_schedule")),
        row("engine verdicts, 3-schedule pool", lambda r: _verdicts(r, "three_schedule")),
        row("engine verdicts, failing-heavy pool", lambda r: _verdicts(r, "fail_heavy")),
        row("linear 1-schedule p50 / p99 (µs)", pair("linear", "one_schedule", ",.0f")),
        row("linear 3-schedule p50 / p99 (µs)", pair("linear", "three_schedule", ",.0f")),
        row("speed-up linear/engine, 1-schedule (x)",
            lambda r: f"{r['speedup_vs_linear']['one_schedule']:,.1f}"),
        row("speed-up linear/engine, 3-schedule (x)",
            lambda r: f"{r['speedup_vs_linear']['three_schedule']:,.1f}"),
        row("check p50 / linear p50, 1-schedule", lambda r: f"1 / "
            f"{r['speedup_vs_linear']['one_schedule']:,.0f}"),
        row("check p50 / one loopback HTTP round trip (GET /branch; dry-run booking)",
            lambda r: "; ".join(
                f"{r['check']['one_schedule']['p50_us'] / r['http'][k]['p50_us']:.3f}"
                for k in ("get_branch", "dry_run_booking"))),
        row("engine = linear on the linear codes (1 / 3 / failing-heavy, offers left out)",
            lambda r: " / ".join(
                f"{r['linear_agreement'][k]['agree']}/{r['linear_agreement'][k]['total']}"
                for k in POOLS)),
        row("find_slots 1 day, all staff: p50 ms (slots)", slots("day")),
        row("find_slots 1 week: p50 ms (slots)", slots("week")),
        row("load_snapshot median of runs (s); json.loads alone",
            lambda r: f"{r['load']['seconds']:g} ({r['load']['json_parse_seconds']:g})"),
        row("load_snapshot roster-dense branch, median (s); json.loads alone",
            lambda r: f"{r['load_dense']['seconds']:g} "
            f"({r['load_dense']['json_parse_seconds']:g})"),
        row("load peak B/appointment (tracemalloc)",
            lambda r: f"{r['load']['peak_bytes_per_appointment']:,}"),
        row("held after load B/appointment (tracemalloc)",
            lambda r: f"{r['load']['retained_bytes_per_appointment']:,}"),
        row("load peak RSS growth B/appointment",
            lambda r: f"{r['load']['rss_peak_bytes_per_appointment']:,}"),
        row("snapshot file (MB); roster-dense", lambda r: f"{r['file_bytes'] / 1e6:,.1f}; "
            f"{r['load_dense']['file_bytes'] / 1e6:,.1f}"),
        row("loopback HTTP round trip p50, TCP_NODELAY: GET /branch; dry-run booking (µs)",
            lambda r: f"{r['http']['get_branch']['p50_us']:g}; "
            f"{r['http']['dry_run_booking']['p50_us']:g}"),
        row("the same through sandbox.running as shipped (no TCP_NODELAY) (µs)",
            lambda r: f"{r['http']['as_shipped']['get_branch']['p50_us']:g}; "
            f"{r['http']['as_shipped']['dry_run_booking']['p50_us']:g}"),
    ]
    return "\n".join(lines)


def _verdicts(r: dict[str, Any], kind: str) -> str:
    v = r["check"][kind]["engine_verdicts"]
    return ", ".join(f"{k} {v[k]}" for k in ("PASS", "FAIL", "UNKNOWN") if k in v)


def target_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| target | goal | value | at | |", "|---|---|---:|---|---|"]
    for t in rows:
        value = "-" if t["value"] is None else f"{t['value']:,g} {t['unit']}".strip()
        mark = "n/a" if t["met"] is None else ("met" if t["met"] else "MISSED")
        lines.append(f"| {t['target']} | {t['goal']} | {value} | {t['at']} | {mark} |")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def _engine_revision() -> str | None:
    """The git commit of the checkout, with ``+dirty`` when booking_rules/ has changes."""
    root = HERE.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "booking_rules"],
                               cwd=root, text=True, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    changed = [line for line in dirty.splitlines() if "__pycache__" not in line]
    return head + ("+dirty" if changed else "")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10k,100k,1M",
                   help="comma-separated appointment counts: 10k,100k,1M (default) or numbers")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results file")
    p.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    p.add_argument("--cache-dir", type=Path, default=generate.DEFAULT_CACHE,
                   help="where generated snapshots are kept (default benchmarks/.cache)")
    p.add_argument("--per-day", type=int, default=generate.PER_DAY)
    p.add_argument("--roster-days", type=int, default=generate.ROSTER_DAYS)
    p.add_argument("--iterations", type=int, default=3000,
                   help="at least this many timed check calls per pool (default 3000)")
    p.add_argument("--budget", type=float, default=3.0,
                   help="seconds of check calls per pool after --iterations (default 3)")
    p.add_argument("--warmup", type=int, default=3, help="untimed rounds over each pool")
    p.add_argument("--linear-calls", type=int, default=60,
                   help="at most this many timed linear calls per pool (default 60)")
    p.add_argument("--linear-budget", type=float, default=20.0)
    p.add_argument("--slot-calls", type=int, default=6,
                   help="timed find_slots calls for a day (a third of it for a week)")
    p.add_argument("--slot-budget", type=float, default=20.0)
    p.add_argument("--load-runs", type=int, default=3,
                   help="fresh processes timing load_snapshot; the median is reported")
    p.add_argument("--no-tracemalloc", dest="tracemalloc", action="store_false",
                   help="skip the (slow) tracemalloc load; memory is then the RSS growth")
    p.add_argument("--quick", action="store_true",
                   help="few iterations everywhere (a smoke run; figures are not stable)")
    p.add_argument("--probe", help=argparse.SUPPRESS)
    p.add_argument("--probe-mode", default="time", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe, args.probe_mode)))
        return 0
    if args.quick:
        args.iterations, args.budget, args.warmup = 30, 0.0, 1
        args.linear_calls, args.linear_budget = 3, 0.0
        args.slot_calls, args.slot_budget = 1, 0.0
        args.load_runs = 1

    sizes = [(s.strip(), generate.parse_size(s)) for s in args.sizes.split(",") if s.strip()]
    sizes.sort(key=lambda item: item[1])
    results: dict[str, Any] = {}
    revision = _engine_revision()  # before the run: the code the run imported
    started = time.perf_counter()
    log("a loopback HTTP round trip to the sandbox")
    http = http_bench(args)
    log(f"HTTP p50: GET /branch {http['get_branch']['p50_us']} us, dry-run booking "
        f"{http['dry_run_booking']['p50_us']} us")
    for label, n in sizes:
        results[generate.size_label(n)] = bench_size(label, n, args)
        # Each size reads the one round trip, so the table can show the ratio per size.
        results[generate.size_label(n)]["http"] = http
        r = results[generate.size_label(n)]
        r["check_over_http"] = round(r["check"]["one_schedule"]["p50_us"]
                                     / http["get_branch"]["p50_us"], 4)
        gc.collect()
    rows = targets(results)
    doc = {
        "command": " ".join(["python benchmarks/run.py",
                             *(sys.argv[1:] if argv is None else argv)]),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "booking_rules": br.__version__,
                    "engine": revision},
        "settings": {"seed": args.seed, "per_day": args.per_day,
                     "roster_days": args.roster_days, "iterations": args.iterations,
                     "linear_calls": args.linear_calls, "quick": args.quick,
                     "tracemalloc": args.tracemalloc},
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_at_end": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "sizes": results,
        "targets": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")
    print(table(results))
    print()
    print(target_table(rows))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
