"""Sync and cache figures: a full sync of a generated branch from the in-process fake
Phorest, an incremental poll after 100 changes, and ``open_cache(...).snapshot()``.

    python benchmarks/sync_bench.py [--sizes 100k] [--snapshot-sizes 1M] [--out FILE]

``--sizes``: branches synced through HTTP (the fake in tests/sync, httpx MockTransport: no
socket, so the figures are the sync's own cost, not the network's). ``--snapshot-sizes``:
branches written straight into a cache (no HTTP), for the snapshot figure only. Run from
the top of the checkout with the project installed. Wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import stamina  # noqa: E402
from generate import DEFAULT_CACHE, DEFAULT_SEED, ensure, parse_size, size_label  # noqa: E402

import booking_rules as br  # noqa: E402
from booking_rules.cache import STREAMS, StreamKey, Window, open_cache  # noqa: E402
from booking_rules.cache._model import encode, row_of, split_timetable  # noqa: E402
from booking_rules.sync import Credentials, Syncer  # noqa: E402
from tests.sync.fake_phorest import (  # noqa: E402
    BASE_URL,
    BUSINESS,
    PASSWORD,
    USERNAME,
    FakePhorest,
)

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)  # 07:00 in Toronto, the generator's now


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _window(doc: dict[str, Any]) -> tuple[date, date]:
    days = [a["appointmentDate"] for a in doc["appointments"]]
    return date.fromisoformat(min(days)), date.fromisoformat(max(days))


def _median_snapshot(url: str, branch: str, runs: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(runs):
        with open_cache(url) as cache:
            t0 = time.perf_counter()
            snap = cache.snapshot(branch)
            times.append(time.perf_counter() - t0)
            count = len(snap.appointments)
        del snap
    return statistics.median(times), count


def bench_sync(n: int, workdir: Path, runs: int) -> dict[str, Any]:
    path, _ = ensure(n, DEFAULT_SEED, DEFAULT_CACHE, log=log)
    doc = json.loads(path.read_text(encoding="utf-8"))
    branch = doc["branch"]["branchId"]
    window = _window(doc)
    clock = Clock()
    fake = FakePhorest(doc, clock=clock)
    url = f"sqlite:///{workdir / f'sync_{size_label(n)}.db'}"
    creds = Credentials.of(USERNAME, PASSWORD, "the benchmark")
    out: dict[str, Any] = {"appointments": n, "window": [str(window[0]), str(window[1])]}
    with open_cache(url, create=True) as cache, Syncer(
            BUSINESS, branch, credentials=creds, store=cache.store, clock=clock,
            base_url=BASE_URL, transport=fake.transport, window=window,
            budget=None) as syncer:
        t0 = time.perf_counter()
        full = syncer.poll(refresh_all=True)
        out["full_sync"] = {"seconds": round(time.perf_counter() - t0, 2),
                            "requests": full.requests, "rows": full.rows_changed,
                            "ok": full.ok, "summary": str(full)}
        log(f"{size_label(n)} full sync: {full}")
        # 100 changes over the next days: 40 moves, 30 cancels, 30 new bookings.
        clock.now += timedelta(minutes=2)
        ahead = sorted((a for a in fake.appointments.values()
                        if a["appointmentDate"] >= "2026-12-11"
                        and a.get("activationState") == "ACTIVE" and not a.get("deleted")),
                       key=lambda a: a["appointmentId"])
        for a in ahead[:40]:
            fake.move(a["appointmentId"], a["appointmentDate"], a["startTime"], a["endTime"],
                      a["staffId"])
        for a in ahead[40:70]:
            fake.cancel(a["appointmentId"])
        for i, a in enumerate(ahead[70:100]):
            fake.put_appointment({**a, "appointmentId": f"ap_bench_new_{i}", "version": 0})
        clock.now += timedelta(minutes=1)
        t0 = time.perf_counter()
        poll = syncer.poll()
        out["incremental_100"] = {"seconds": round(time.perf_counter() - t0, 3),
                                  "requests": poll.requests, "rows": poll.rows_changed,
                                  "summary": str(poll)}
        log(f"{size_label(n)} incremental poll: {poll}")
        t0 = time.perf_counter()
        changes, _ = cache.changes_since(branch, 0)
        out["changes_since_0_seconds"] = round(time.perf_counter() - t0, 3)
        assert len(changes) >= n
    seconds, count = _median_snapshot(url, branch, runs)
    out["snapshot"] = {"median_seconds": round(seconds, 3), "runs": runs,
                       "appointments": count}
    t0 = time.perf_counter()
    br.load_snapshot(path)
    out["load_snapshot_file_seconds"] = round(time.perf_counter() - t0, 3)
    out["cache_bytes"] = sum(p.stat().st_size for p in workdir.glob(f"sync_{size_label(n)}.db*"))
    log(f"{size_label(n)} snapshot from cache: median {seconds:.2f} s ({count} appointments);"
        f" load_snapshot of the file {out['load_snapshot_file_seconds']} s")
    return out


def bench_snapshot_only(n: int, workdir: Path, runs: int) -> dict[str, Any]:
    """Fill a cache with the generated rows directly (no HTTP), then time snapshot()."""
    path, _ = ensure(n, DEFAULT_SEED, DEFAULT_CACHE, log=log)
    doc = json.loads(path.read_text(encoding="utf-8"))
    branch = doc["branch"]["branchId"]
    url = f"sqlite:///{workdir / f'fill_{size_label(n)}.db'}"
    window = _window(doc)
    t0 = time.perf_counter()
    with open_cache(url, create=True) as cache:
        for name, items in doc.items():
            if name not in STREAMS and name != "branch":
                continue
            spec = STREAMS[name]
            key = StreamKey.of(BUSINESS, branch, name)
            items = [items] if name == "branch" else items
            for lo in range(0, len(items), 5000):
                rows = []
                for item in items[lo:lo + 5000]:
                    if name == "workTimeTables":
                        rows.extend(split_timetable(item))
                    else:
                        rows.append(row_of(spec, item, encode(item)))
                with cache.store.write() as w:
                    w.upsert(key, rows, NOW)
            with cache.store.write() as w:
                if spec.kind != "reference":
                    w.record_window(key, Window(window[0], window[1], NOW))
                w.finish(key, NOW, watermark=NOW if spec.kind == "changes" else None)
    fill = time.perf_counter() - t0
    del doc
    log(f"{size_label(n)} cache filled directly in {fill:.1f} s")
    seconds, count = _median_snapshot(url, branch, runs)
    log(f"{size_label(n)} snapshot from cache: median {seconds:.2f} s ({count} appointments)")
    return {"appointments": n, "fill_seconds": round(fill, 1),
            "snapshot": {"median_seconds": round(seconds, 3), "runs": runs,
                         "appointments": count}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100k", help="synced through HTTP (default 100k)")
    p.add_argument("--snapshot-sizes", default="", help="filled directly, e.g. 1M")
    p.add_argument("--runs", type=int, default=3, help="snapshot() runs (median)")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args(argv)
    stamina.set_testing(True, attempts=1)  # the fake injects no faults here
    results: dict[str, Any] = {"sync": {}, "snapshot_only": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for text in filter(None, args.sizes.split(",")):
            n = parse_size(text)
            results["sync"][size_label(n)] = bench_sync(n, Path(tmp), args.runs)
        for text in filter(None, args.snapshot_sizes.split(",")):
            n = parse_size(text)
            results["snapshot_only"][size_label(n)] = bench_snapshot_only(n, Path(tmp),
                                                                          args.runs)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
