"""PNE snapshot documents, from a file or a dict, into a canonical ``Snapshot``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..._errors import InputError
from ...core.snapshot import Snapshot
from .read import read_document


def load_snapshot(source: str | Path | Mapping[str, Any]) -> Snapshot:
    """Read a PNE snapshot document (a path or a dict) and build its indexes once."""
    if isinstance(source, Mapping):
        return read_document(source, "<snapshot>")
    path = Path(source)
    name = str(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, "", f"a readable UTF-8 JSON file ({exc.__class__.__name__})"
                         ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None
    return read_document(doc, name)
