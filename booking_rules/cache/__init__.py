"""The local cache of what a sync fetched, and the snapshots built from it.

    from booking_rules.cache import open_cache
    with open_cache("sqlite:///cache.db") as cache:
        snap = cache.snapshot("br_tor")            # a booking_rules.Snapshot, with coverage
        cache.status(now)                          # per stream: rows, window, age
        changes, marker = cache.changes_since("br_tor", marker)
        snap = cache.refresh(snap)                 # what changed since, as an overlay
        live = cache.live("br_tor")                # .snapshot, .refresh()

Stores are chosen by URL scheme (``sqlite:///path``; PostgreSQL later), behind the small
``Store`` protocol. Errors: ``CacheError`` (an ``InputError``: one line, exit 2 in the CLI).
"""

from __future__ import annotations

from ._cache import (
    COMPILED_LAG,
    DEFAULT_URL,
    Cache,
    LiveSnapshot,
    StreamStatus,
    open_cache,
    open_store,
)
from ._errors import CacheError
from ._model import (
    STREAMS,
    Change,
    Progress,
    Reader,
    Row,
    Store,
    StreamKey,
    StreamSpec,
    StreamState,
    Window,
    Writer,
)

__all__ = [
    "COMPILED_LAG",
    "DEFAULT_URL",
    "STREAMS",
    "Cache",
    "CacheError",
    "Change",
    "LiveSnapshot",
    "Progress",
    "Reader",
    "Row",
    "Store",
    "StreamKey",
    "StreamSpec",
    "StreamState",
    "StreamStatus",
    "Window",
    "Writer",
    "open_cache",
    "open_store",
]
