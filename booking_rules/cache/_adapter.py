"""The cache's one reach into the core's private modules, kept here so a reshaped core
(issue 10) is repointed in one place."""

from __future__ import annotations

from typing import Any

import msgspec

from .._snapshot import Snapshot


def snapshot_from_raw_history(doc: dict[str, Any], history: list[bytes],
                              source: str) -> Snapshot:
    """``load_snapshot({**doc, "appointments": history})``, with the history given as the
    raw JSON of its rows, so the loader decodes it in msgspec batches (as it does a file)
    instead of walking a list of dicts."""
    return Snapshot(doc, source, appointments=[msgspec.Raw(raw) for raw in history])
