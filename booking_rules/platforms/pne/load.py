"""PNE snapshot documents, from a file or a dict, into a canonical ``Snapshot``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...core.snapshot import Snapshot
from .._files import read_json_file
from .read import read_document


def load_snapshot(source: str | Path | Mapping[str, Any]) -> Snapshot:
    """Read a PNE snapshot document (a path or a dict) and build its indexes once."""
    if isinstance(source, Mapping):
        return read_document(source, "<snapshot>")
    return read_document(read_json_file(Path(source), str(source)), str(source))
