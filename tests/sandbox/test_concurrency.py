"""Concurrent bookings through a real uvicorn on a loopback port: writes to a branch are
serialized, so nothing is double booked and every response is accounted for."""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections import Counter
from types import ModuleType

import httpx
import pytest

from booking_rules import sandbox

from ..conftest import NOW, ROOT, salon_doc

AUTH = ("global/sandbox@example.com", "sandbox")


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_sandbox_load",
                                                  ROOT / "benchmarks" / "sandbox_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


LOAD = _load_module()


def _app() -> object:
    state = sandbox.SandboxState([salon_doc()], now=NOW)
    return sandbox.create_app(state, clock=sandbox.SandboxClock(NOW))


def test_concurrent_bookings_over_uvicorn_leave_no_double_booking() -> None:
    with sandbox.running(_app()) as root:
        assert root.startswith("http://127.0.0.1:")
        business = f"{root}{sandbox.API_ROOT}/demo"
        seeded = httpx.get(f"{root}/_sandbox/state", timeout=10).json()
        result = LOAD.run_load(business, "br_tor", workers=4, per_worker=25, seed=3,
                               timeout=20.0)
        doc = httpx.get(f"{root}/_sandbox/state", timeout=10).json()
    assert result.failures == []
    assert result.requests == 100 and sum(result.statuses.values()) == 100
    assert set(result.statuses) <= {201, 400}
    assert result.statuses[201] == len(result.accepted) > 0
    # The pool collides on purpose: some bookings must have met an earlier one.
    assert result.codes["STAFF_DOUBLE_BOOKED"] > 0
    assert set(result.codes) <= {"STAFF_DOUBLE_BOOKED", "STAFF_NOT_WORKING"}
    stored = {a["appointmentId"] for a in doc["appointments"]}
    assert set(result.accepted) <= stored
    assert len(doc["appointments"]) == len(seeded["appointments"]) + len(result.accepted)
    assert LOAD.overlaps(doc) == []


def test_the_same_slot_booked_at_once_gives_exactly_one_success() -> None:
    n = 8
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    with sandbox.running(_app()) as root:
        business = f"{root}{sandbox.API_ROOT}/demo"
        start = threading.Barrier(n)

        def book(i: int) -> None:
            with httpx.Client(base_url=business, auth=AUTH, timeout=20) as client:
                start.wait()
                r = client.post("/branch/br_tor/booking", json=LOAD.booking(
                    "stf_lisa", "2026-12-01T18:30:00Z", f"cli_same_{i}"))
                with lock:
                    answers.append((r.status_code, r.json().get("detail", "")))

        threads = [threading.Thread(target=book, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        doc = httpx.get(f"{root}/_sandbox/state", timeout=10).json()
    assert Counter(status for status, _ in answers) == {201: 1, 400: n - 1}
    assert Counter(detail for status, detail in answers if status == 400) == {
        "STAFF_DOUBLE_BOOKED": n - 1}
    assert LOAD.overlaps(doc) == []


def test_a_dropped_page_under_uvicorn_closes_the_connection_mid_body() -> None:
    with sandbox.running(_app()) as root:
        httpx.post(f"{root}/_sandbox/faults", json={"drop_rate": 1.0}, timeout=10)
        url = f"{root}{sandbox.API_ROOT}/demo/branch/br_tor/staff"
        with httpx.Client(auth=AUTH, timeout=10) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                client.get(url)
            httpx.post(f"{root}/_sandbox/faults", json={}, timeout=10)
            assert client.get(url).status_code == 200  # still serving
