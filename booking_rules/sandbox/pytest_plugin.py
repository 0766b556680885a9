"""pytest fixtures for a Phorest sandbox in the test's own process (no socket).

In a ``conftest.py``::

    pytest_plugins = ["booking_rules.sandbox.pytest_plugin"]

    @pytest.fixture
    def sandbox_snapshot():
        return "tests/data/my_salon.json"    # a path or a snapshot document

    @pytest.fixture
    def sandbox_now():
        return datetime(2026, 11, 1, 12, tzinfo=UTC)   # None: the machine's clock

Then a test takes ``phorest_sandbox`` (a ``LocalSandbox``): ``phorest_sandbox.client`` is
an ``httpx.Client`` on the business URL, with the credentials; ``phorest_sandbox.transport``
is the transport to hand to your own client. Each test gets a fresh sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ._harness import LocalSandbox


@pytest.fixture
def sandbox_snapshot() -> str | Path | Mapping[str, Any]:
    """Override: the snapshot (path or document) the sandbox is seeded with."""
    pytest.fail("define a `sandbox_snapshot` fixture returning a snapshot path or document "
                "(see booking_rules.sandbox.pytest_plugin)")


@pytest.fixture
def sandbox_now() -> datetime | None:
    """Override: where the sandbox's clock is fixed (``None``: the machine's clock)."""
    return None


@pytest.fixture
def phorest_sandbox(sandbox_snapshot: str | Path | Mapping[str, Any],
                    sandbox_now: datetime | None) -> Iterator[LocalSandbox]:
    """A fresh sandbox seeded with ``sandbox_snapshot``, clock at ``sandbox_now``."""
    with LocalSandbox(sandbox_snapshot, now=sandbox_now) as sandbox:
        yield sandbox
