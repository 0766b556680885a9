"""A fresh in-process sandbox over the example salon (Queen St, Toronto) per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from booking_rules.sandbox import LocalSandbox

from ..conftest import NOW, salon_doc

BR = "/branch/br_tor"


@pytest.fixture
def sb() -> Iterator[LocalSandbox]:
    with LocalSandbox(salon_doc(), now=NOW) as sandbox:
        yield sandbox


def body(*schedules: dict[str, Any], client: str = "cli_new",
         status: str | None = None) -> dict[str, Any]:
    """A createBooking body for ``client``."""
    out: dict[str, Any] = {"clientId": client, "clientAppointmentSchedules": [
        {"clientId": client, "serviceSchedules": list(schedules)}]}
    if status is not None:
        out["bookingStatus"] = status
    return out


def cut(staff: str, start: str, **extra: Any) -> dict[str, Any]:
    return {"serviceId": "svc_cut", "staffId": staff, "startTime": start, **extra}


# Lisa is free 13:30-14:15 local on Tue 1 Dec (18:30Z), and busy at 11:00 local (16:00Z,
# Ida's offer cut 11:30).
FREE = "2026-12-01T18:30:00Z"
BUSY = "2026-12-01T16:00:00Z"


def day_appointments(sandbox: LocalSandbox, day: str = "2026-12-01",
                     **params: str) -> list[dict[str, Any]]:
    r = sandbox.client.get(f"{BR}/appointment", params={
        "from_date": day, "to_date": day, "size": "100", **params})
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()["_embedded"]["appointments"]
    return rows
