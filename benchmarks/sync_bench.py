"""Sync and cache figures: a full sync of a generated branch from a local sandbox, an
incremental poll after 100 changes, ``open_cache(...).snapshot()`` and ``refresh()``.

    python benchmarks/sync_bench.py [--sizes 100k] [--snapshot-sizes 1M] [--out FILE]

``--sizes``: branches synced through HTTP from ``booking_rules.sandbox`` in this process
(its httpx transport over the ASGI app: no socket, so the figures are the sync's and the
sandbox's cost, not the network's). ``--snapshot-sizes``: branches written straight into a
cache (no HTTP), for the snapshot and refresh figures. Run from
the top of the checkout with the project installed. Wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
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

import httpx  # noqa: E402
import stamina  # noqa: E402
from generate import DEFAULT_CACHE, DEFAULT_SEED, ensure, parse_size, size_label  # noqa: E402

import booking_rules as br  # noqa: E402
from booking_rules.cache import STREAMS, StreamKey, Window, open_cache  # noqa: E402
from booking_rules.cache._model import encode, row_of, split_timetable  # noqa: E402
from booking_rules.sandbox import (  # noqa: E402
    API_ROOT,
    DEFAULT_CREDENTIALS,
    SandboxClock,
    SandboxConfig,
    SandboxState,
    create_app,
    transport,
)
from booking_rules.sync import Credentials, Syncer  # noqa: E402

BUSINESS = "bench"
BASE_URL = f"http://sandbox{API_ROOT}"

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
    """``open_cache(url).snapshot(branch)``: median of ``runs``, each on a fresh Cache."""
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


def _sandbox(doc: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The sandbox over ``doc``, in-process (httpx transport over its ASGI app)."""
    clock = SandboxClock(NOW)
    state = SandboxState([doc], now=NOW, business_id=BUSINESS)
    app = create_app(state, clock=clock, config=SandboxConfig(business_id=BUSINESS))
    return app, transport(app), clock


def bench_sync(n: int, workdir: Path, runs: int) -> dict[str, Any]:
    """A full sync of the generated branch from a local sandbox, 100 changes made through
    its API, the incremental poll that picks them up, and refresh() of them."""
    path, _ = ensure(n, DEFAULT_SEED, DEFAULT_CACHE, log=log)
    doc = json.loads(path.read_text(encoding="utf-8"))
    branch = doc["branch"]["branchId"]
    window = _window(doc)
    clock = Clock()
    _app, tr, sandbox_clock = _sandbox(doc)
    url = f"sqlite:///{workdir / f'sync_{size_label(n)}.db'}"
    creds = Credentials.of(DEFAULT_CREDENTIALS.username, DEFAULT_CREDENTIALS.password,
                           "the benchmark")
    out: dict[str, Any] = {"appointments": n, "window": [str(window[0]), str(window[1])],
                           "source": "booking_rules.sandbox in-process (httpx transport)"}
    api = httpx.Client(transport=tr, base_url=f"{BASE_URL}/{BUSINESS}/branch/{branch}",
                       auth=(DEFAULT_CREDENTIALS.username, DEFAULT_CREDENTIALS.password))
    with open_cache(url, create=True) as cache, Syncer(
            BUSINESS, branch, credentials=creds, store=cache.store, clock=clock,
            base_url=BASE_URL, transport=tr, window=window, budget=None) as syncer:
        t0 = time.perf_counter()
        full = syncer.poll(refresh_all=True)
        out["full_sync"] = {"seconds": round(time.perf_counter() - t0, 2),
                            "requests": full.requests, "rows": full.rows_changed,
                            "ok": full.ok, "summary": str(full)}
        log(f"{size_label(n)} full sync: {full}")
        live = cache.live(branch)
        # 100 changes through the sandbox's API: 60 cancels and 40 confirms of
        # appointments ahead (each a new version with a new updatedAt).
        clock.now += timedelta(minutes=2)
        sandbox_clock.set(clock.now)
        ahead = sorted((a for a in doc["appointments"]
                        if a["appointmentDate"] >= "2026-12-11"
                        and a.get("activationState") == "ACTIVE" and not a.get("deleted")
                        and not a.get("confirmed")),
                       key=lambda a: a["appointmentId"])[:100]
        for i, a in enumerate(ahead):
            verb = "cancel" if i < 60 else "confirm"
            api.post(f"/appointment/{a['appointmentId']}/{verb}").raise_for_status()
        clock.now += timedelta(minutes=1)
        t0 = time.perf_counter()
        poll = syncer.poll()
        out["incremental_100"] = {"seconds": round(time.perf_counter() - t0, 3),
                                  "requests": poll.requests, "rows": poll.rows_changed,
                                  "summary": str(poll)}
        log(f"{size_label(n)} incremental poll: {poll}")
        t0 = time.perf_counter()
        live.refresh()
        out["refresh_100_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        assert len(live.snapshot.delta.upserts) == poll.rows_changed
    api.close()
    tr.close()
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


def _fill(doc: dict[str, Any], url: str, branch: str) -> float:
    """Every list of ``doc`` written straight into a cache (no HTTP), covered."""
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
    return time.perf_counter() - t0


def _change_100(url: str, branch: str, doc: dict[str, Any], round_: int) -> None:
    """100 appointments changed in the cache as a poll writes them: 60 canceled, 40
    moved an hour later (a new version each)."""
    spec = STREAMS["appointments"]
    rows = []
    for i, a in enumerate(doc["appointments"][1000 * round_: 1000 * round_ + 100]):
        changed = {**a, "version": int(a.get("version") or 1) + 1 + round_}
        if i < 60:
            changed["activationState"] = "CANCELED"
        else:  # an hour later, same length (the generator's days end well before 23:00)
            for field in ("startTime", "endTime"):
                changed[field] = f"{int(a[field][:2]) + 1:02d}{a[field][2:]}"
        rows.append(row_of(spec, changed, encode(changed)))
    with open_cache(url) as cache, cache.store.write() as w:
        w.upsert(StreamKey.of(BUSINESS, branch, "appointments"), rows, NOW)


def bench_snapshot_only(n: int, workdir: Path, runs: int) -> dict[str, Any]:
    """Fill a cache with the generated rows directly (no HTTP), then time snapshot() from
    the raw rows, the first snapshot() (raw rows, then compiled), snapshot() from the
    compiled history, and refresh() of 100 changed appointments."""
    path, _ = ensure(n, DEFAULT_SEED, DEFAULT_CACHE, log=log)
    doc = json.loads(path.read_text(encoding="utf-8"))
    branch = doc["branch"]["branchId"]
    url = f"sqlite:///{workdir / f'fill_{size_label(n)}.db'}"
    fill = _fill(doc, url, branch)
    log(f"{size_label(n)} cache filled directly in {fill:.1f} s")
    out: dict[str, Any] = {"appointments": n, "fill_seconds": round(fill, 1)}
    with open_cache(url) as cache:
        t0 = time.perf_counter()
        cache.snapshot_at(branch, compiled=False)
        out["snapshot_raw_rows_seconds"] = round(time.perf_counter() - t0, 2)
        log(f"{size_label(n)} snapshot from the raw rows: {out['snapshot_raw_rows_seconds']} s")
        t0 = time.perf_counter()
        cache.snapshot(branch)  # no compiled history yet: raw rows, then compiled
        out["first_snapshot_with_compile_seconds"] = round(time.perf_counter() - t0, 2)
        with cache.store.read() as r:
            packed = r.compiled(StreamKey.of(BUSINESS, branch, "appointments"))
        out["compiled_bytes"] = len(packed.blob) if packed else None
    seconds, count = _median_snapshot(url, branch, runs)
    out["snapshot"] = {"median_seconds": round(seconds, 3), "runs": runs,
                       "appointments": count, "from": "compiled history"}
    log(f"{size_label(n)} snapshot from the compiled history: median {seconds:.2f} s "
        f"({count} appointments)")
    refreshes = []
    with open_cache(url) as cache:
        snap = cache.snapshot(branch)
        for round_ in range(runs * 3):
            _change_100(url, branch, doc, round_)
            t0 = time.perf_counter()
            fresh = cache.refresh(snap)
            refreshes.append((time.perf_counter() - t0) * 1000)
            # 100 more each round: from the base snapshot, then from the refreshed one.
            assert len(fresh.delta.upserts) == 100 * (round_ + 1), len(fresh.delta.upserts)
            snap = fresh
        out["refresh_100_ms"] = {"median": round(statistics.median(refreshes), 2),
                                 "max": round(max(refreshes), 2), "runs": len(refreshes)}
        # And with the snapshot's changes since the compiled history laid over it.
        t0 = time.perf_counter()
        lagging = cache.snapshot(branch)
        out["snapshot_with_lag_seconds"] = round(time.perf_counter() - t0, 2)
        out["lag_rows"] = len(lagging.delta.upserts) + len(lagging.delta.removed)
    log(f"{size_label(n)} refresh of 100 changed appointments: median "
        f"{out['refresh_100_ms']['median']} ms")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="100k", help="synced through HTTP (default 100k)")
    p.add_argument("--snapshot-sizes", default="", help="filled directly, e.g. 1M")
    p.add_argument("--runs", type=int, default=3, help="snapshot() runs (median)")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args(argv)
    stamina.set_testing(True, attempts=1)  # the sandbox injects no faults here
    results: dict[str, Any] = {"sync": {}, "snapshot_only": {},
                               "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        for text in filter(None, args.sizes.split(",")):
            n = parse_size(text)
            results["sync"][size_label(n)] = bench_sync(n, Path(tmp), args.runs)
        for text in filter(None, args.snapshot_sizes.split(",")):
            n = parse_size(text)
            results["snapshot_only"][size_label(n)] = bench_snapshot_only(n, Path(tmp),
                                                                          args.runs)
    results["load_average_after"] = os.getloadavg()
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
