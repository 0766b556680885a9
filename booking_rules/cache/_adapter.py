"""The cache's one reach into the core's private modules, kept here so a reshaped core
(issue 10) is repointed in one place."""

from __future__ import annotations

import gc
from typing import Any

import msgspec

from .._snapshot import Snapshot


def snapshot_from_raw_history(doc: dict[str, Any], history: list[bytes],
                              source: str) -> Snapshot:
    """``load_snapshot({**doc, "appointments": history})``, with the history given as the
    raw JSON of its rows, so the loader decodes it in msgspec batches (as it does a file)
    instead of walking a list of dicts."""
    # As load_snapshot does: millions of objects that all live; collecting them half-way
    # through (many times) finds nothing and costs more than the load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return Snapshot(doc, source, appointments=[msgspec.Raw(raw) for raw in history])
    finally:
        if enabled:
            gc.enable()
