"""Fixtures of the sync tests: a moving clock, the fake Phorest, a cache, a syncer.

Retries run without sleeping (stamina's test mode, attempts capped at the policy's own),
so a 429 storm costs no wall time; what the sync *asked* to wait is recorded instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import stamina

from booking_rules.cache import Cache, open_cache
from booking_rules.sync import Credentials, Syncer
from tests.conftest import EXAMPLE_SALON

from .fake_phorest import BASE_URL, BUSINESS, PASSWORD, USERNAME, FakePhorest, Faults

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BRANCH = "br_tor"


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def _no_sleeping_retries() -> Iterator[None]:
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


@pytest.fixture
def salon() -> dict[str, Any]:
    return json.loads(Path(EXAMPLE_SALON).read_text())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(salon: dict[str, Any], clock: Clock) -> FakePhorest:
    return FakePhorest(salon, clock=clock, faults=Faults())


@pytest.fixture
def cache_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cache.db'}"


@pytest.fixture
def cache(cache_url: str) -> Iterator[Cache]:
    with open_cache(cache_url, create=True) as c:
        yield c


MakeSyncer = Callable[..., Syncer]


@pytest.fixture
def make_syncer(fake: FakePhorest, cache: Cache, clock: Clock) -> Iterator[MakeSyncer]:
    made: list[Syncer] = []

    def make(**kw: Any) -> Syncer:
        kw.setdefault("credentials", Credentials.of(USERNAME, PASSWORD, "the test"))
        kw.setdefault("store", cache.store)
        kw.setdefault("transport", fake.transport)
        s = Syncer(BUSINESS, kw.pop("branch", BRANCH), clock=clock, base_url=BASE_URL, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()
