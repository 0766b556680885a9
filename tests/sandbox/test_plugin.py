"""The pytest fixture users import, used the way docs/sandbox.md shows it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from booking_rules.sandbox import LocalSandbox, pytest_plugin

from ..conftest import EXAMPLE_SALON

# What a user's conftest gets from `pytest_plugins = ["booking_rules.sandbox.pytest_plugin"]`
# (pytest reads that only in the root conftest, which this project keeps to itself).
phorest_sandbox = pytest_plugin.phorest_sandbox


@pytest.fixture
def sandbox_snapshot() -> str:
    return str(EXAMPLE_SALON)


@pytest.fixture
def sandbox_now() -> datetime:
    return datetime(2026, 11, 1, 12, tzinfo=UTC)


def next_free_cut(client: Any, staff: str, day: str) -> dict[str, Any] | None:
    """Stands for a user's widget: asks availability, books the first time offered."""
    slots = client.post("/branch/br_tor/appointments/availability", json={
        "startTime": f"{day}T14:00:00Z", "endTime": f"{day}T23:00:00Z",
        "clientServiceSelections": [{"serviceSelections": [
            {"serviceId": "svc_cut", "staffId": staff}]}]}).json()["data"]
    if not slots:
        return None
    sched = slots[0]["clientSchedules"][0]["serviceSchedules"][0]
    return {"clientId": "cli_new", "clientAppointmentSchedules": [{"clientId": "cli_new",
            "serviceSchedules": [{k: sched[k] for k in ("serviceId", "staffId",
                                                         "startTime")}]}]}


def test_widget_books_a_time_phorest_accepts_and_only_once(
        phorest_sandbox: LocalSandbox) -> None:
    client = phorest_sandbox.client
    first = next_free_cut(client, "stf_lisa", "2026-12-01")
    assert first is not None
    assert client.post("/branch/br_tor/booking", json=first).status_code == 201
    again = client.post("/branch/br_tor/booking", json=first)
    assert again.json()["detail"] == "CLIENT_ALREADY_BOOKED_THIS_TIME"
    # The widget asks again and gets a later time: the sandbox's state moved on.
    second = next_free_cut(client, "stf_lisa", "2026-12-01")
    assert second is not None and second != first
    assert [e["status"] for e in phorest_sandbox.log()] == [200, 201, 400, 200]
