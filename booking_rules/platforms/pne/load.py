"""PNE snapshot documents, from a file or a dict, into a canonical ``Snapshot``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ... import _json
from ..._errors import InputError
from ...core.snapshot import Snapshot
from .read import read_document


def load_snapshot(source: str | Path | Mapping[str, Any]) -> Snapshot:
    """Read a PNE snapshot document (a path or a dict) and build its indexes once."""
    if isinstance(source, Mapping):
        _json.check_value(source, "<snapshot>")  # the input limits, as for a file
        return read_document(source, "<snapshot>")
    if not isinstance(source, str | os.PathLike):
        raise InputError("<snapshot>", "", "a snapshot document (a dict) or the path of "
                         "one", type(source).__name__)
    name = os.fspath(source)
    # The one bounded reader (README "Input limits"): size, file kind, depth, numbers.
    doc = _json.read_json(name, what="snapshot", limit=_json.MAX_SNAPSHOT_BYTES)
    return read_document(doc, name)
