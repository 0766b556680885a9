"""Thread-safe first use: a freshly loaded Snapshot and Ruleset, shared by threads from
their very first query, give exactly the single-threaded answers.

Every lazily built table is built on the threads' first queries here (the per-key
appointment indexes, the made-appointment memo, the day bounds, the ruleset's step and
runnable memos, the engine's presence and minutes memos), under a switch interval of a
microsecond, so a check-then-build race would show as a report that differs.
"""

from __future__ import annotations

import json
import random
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.core import engine
from booking_rules.core.ruleset import load_ruleset
from booking_rules.platforms.phorest import TABLE

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "queen_st_toronto.json"
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
THREADS = 6
ROUNDS = 8


@pytest.fixture()
def fast_switching() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _bodies() -> list[dict[str, Any]]:
    """Requests over every staff member, client and service of the example salon, at
    times that meet its appointments, rosters and breaks: each asks the lazy tables for a
    different key on its first use."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(20261201)
    staff = [s["staffId"] for s in doc["staff"]]
    services = [s["serviceId"] for s in doc["services"]]
    clients = [c["clientId"] for c in doc["clients"]] + ["cli_new"]
    rooms = [r["roomId"] for r in doc["rooms"]]
    out = []
    base = datetime(2026, 11, 30, 13, tzinfo=UTC)
    for _ in range(60):
        start = base + timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 5))
        schedules = []
        for k in range(rng.randrange(1, 4)):
            item: dict[str, Any] = {
                "serviceId": rng.choice(services), "staffId": rng.choice(staff),
                "startTime": (start + timedelta(minutes=45 * k)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")}
            if rng.random() < 0.3:
                item["roomId"] = rng.choice(rooms)
            schedules.append(item)
        if rng.random() < 0.3:  # sent without an offset: a notice rule reports it
            schedules[0]["startTime"] = schedules[0]["startTime"].rstrip("Z")
        if rng.random() < 0.2:  # a field no rule knows: a notice too
            schedules[-1]["colour"] = "blue"
        client = rng.choice(clients)
        body: dict[str, Any] = {"clientId": client, "clientAppointmentSchedules": [
            {"clientId": client, "serviceSchedules": schedules}]}
        if rng.random() < 0.1:  # the deprecated flat list: a request-level notice
            body = {"clientId": client, "schedules": schedules}
        out.append(body)
    return out


def _run_all(snap: br.Snapshot, rs: br.Ruleset, bodies: list[dict[str, Any]],
             order: list[int]) -> dict[int, str]:
    return {i: br.check(snap, bodies[i], now=NOW, ruleset=rs).to_json() for i in order}


def _fresh() -> tuple[br.Snapshot, br.Ruleset]:
    # Loaded, not taken from a cache: every table starts empty.
    return br.load_snapshot(EXAMPLE), load_ruleset("strict", TABLE)


def test_fresh_snapshot_and_ruleset_shared_by_threads_answer_as_one_thread(
        fast_switching: None) -> None:
    bodies = _bodies()
    first = {i for i, b in enumerate(bodies) if "schedules" in b or any(
        "colour" in x or not x["startTime"].endswith("Z")
        for g in b.get("clientAppointmentSchedules", ()) for x in g["serviceSchedules"])}
    snap, rs = _fresh()
    expected = _run_all(snap, rs, bodies, list(range(len(bodies))))
    assert any('"FAIL"' in r for r in expected.values())
    assert any('"PASS"' in r for r in expected.values())
    for round_ in range(ROUNDS):
        engine._PRESENT.clear()
        engine._MINUTES.clear()
        snap, rs = _fresh()
        barrier = threading.Barrier(THREADS)
        results: list[dict[int, str]] = [{} for _ in range(THREADS)]
        errors: list[BaseException] = []

        def work(t: int, snap: br.Snapshot = snap, rs: br.Ruleset = rs,
                 barrier: threading.Barrier = barrier, round_: int = round_,
                 results: list[dict[int, str]] = results,
                 errors: list[BaseException] = errors) -> None:
            order = list(range(len(bodies)))
            random.Random(round_ * 100 + t).shuffle(order)
            # Each thread starts on a different request, so their first queries of every
            # table meet: the notice lookup, the steps of each schedule's shape, the index
            # of each staff member and client, the day bounds of each date.
            order.sort(key=lambda n: n not in first)
            try:
                barrier.wait(timeout=30)
                results[t] = _run_all(snap, rs, bodies, order)
            except BaseException as exc:  # reported below, with the thread's name
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,), name=f"checker-{t}")
                   for t in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=120)
        assert not any(th.is_alive() for th in threads), "a checking thread hung"
        assert not errors, errors
        for t in range(THREADS):
            for i, report in results[t].items():
                assert report == expected[i], (round_, t, i)


def test_fresh_snapshot_shared_by_slot_searches_answers_as_one_thread(
        fast_switching: None) -> None:
    services = [["svc_cut"], ["svc_laser"], ["svc_facial"], ["svc_cut", "svc_toner"]]
    start, end = datetime(2026, 12, 1, 13, tzinfo=UTC), datetime(2026, 12, 3, 13, tzinfo=UTC)

    def search(snap: br.Snapshot, rs: br.Ruleset, chain: list[str]) -> list[Any]:
        return [s.to_dict() for s in br.find_slots(snap, chain, start=start, end=end,
                                                   now=NOW, ruleset=rs)]

    snap, rs = _fresh()
    expected = [search(snap, rs, chain) for chain in services]
    assert all(expected)
    for _ in range(2):
        snap, rs = _fresh()
        barrier = threading.Barrier(len(services) * 2)
        results: dict[tuple[int, int], list[Any]] = {}
        errors: list[BaseException] = []

        def work(k: int, copy: int, snap: br.Snapshot = snap, rs: br.Ruleset = rs,
                 barrier: threading.Barrier = barrier,
                 results: dict[tuple[int, int], list[Any]] = results,
                 errors: list[BaseException] = errors) -> None:
            try:
                barrier.wait(timeout=30)
                results[(k, copy)] = search(snap, rs, services[k])
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k, c)) for k in range(len(services))
                   for c in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=120)
        assert not any(th.is_alive() for th in threads)
        assert not errors, errors
        for (k, _), found in results.items():
            assert found == expected[k]
