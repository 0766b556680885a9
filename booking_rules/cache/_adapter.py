"""The cache's one reach into the Phorest platform's loader."""

from __future__ import annotations

from typing import Any

from ..core.snapshot import Snapshot
from ..platforms.phorest.load import read_raw_history


def snapshot_from_raw_history(doc: dict[str, Any], history: list[bytes],
                              source: str) -> Snapshot:
    """``load_snapshot({**doc, "appointments": history})``, with the history given as the
    raw JSON of its rows, so the loader decodes it in msgspec batches (as it does a file)
    instead of walking a list of dicts."""
    return read_raw_history(doc, history, source)
