"""Reading a JSON document file, shared by the platforms' snapshot loaders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._errors import InputError


def read_json_file(path: Path, name: str) -> Any:
    """The JSON document in ``path``, or an InputError naming the file (``name``) and where
    and how it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, "", f"a readable UTF-8 JSON file ({exc.__class__.__name__})"
                         ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None
