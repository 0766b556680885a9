"""The sandbox's clock: the ``now`` every write is checked at, settable at run time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any


def real_clock() -> datetime:
    """The machine's clock, as aware UTC: the default of ``booking-rules sandbox`` only."""
    return datetime.now(UTC)


class SandboxClock:
    """A clock the test bench can set: the ``source`` clock (by default the real one),
    a fixed instant, or an instant that moves on in real time from when it was set.

    Calling it gives an aware UTC datetime; ``set`` and ``state`` are what
    ``POST``/``GET /_sandbox/clock`` use. Thread-safe.
    """

    def __init__(self, at: datetime | None = None, *, moving: bool = False,
                 source: Callable[[], datetime] = real_clock,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._at: datetime | None = None
        self._moving = False
        self._anchor = 0.0
        self.set(at, moving=moving)

    def set(self, at: datetime | None, *, moving: bool = False) -> None:
        """Fix the clock at ``at`` (or let it run on from ``at`` when ``moving``); ``None``
        goes back to the source clock."""
        if at is not None and at.tzinfo is None:
            raise ValueError("the sandbox clock takes an aware datetime")
        with self._lock:
            self._at = None if at is None else at.astimezone(UTC)
            self._moving = moving and at is not None
            self._anchor = self._monotonic()

    def __call__(self) -> datetime:
        with self._lock:
            at, moving, anchor = self._at, self._moving, self._anchor
        if at is None:
            now = self._source()
            if now.tzinfo is None:
                raise ValueError("the sandbox's source clock must give aware datetimes")
            return now.astimezone(UTC)
        if moving:
            return at + timedelta(seconds=self._monotonic() - anchor)
        return at

    def state(self) -> dict[str, Any]:
        with self._lock:
            mode = "source" if self._at is None else ("moving" if self._moving else "fixed")
        return {"now": _z(self()), "mode": mode}


def _z(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
