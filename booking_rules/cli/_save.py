"""``explain --save DIR``: one refusal kept as a corpus entry (docs/explain.md, "Corpus
mode"), so a team builds its table of predicted versus answered codes as it goes.

The entry is the layout ``explain --corpus`` reads: ``request.json``, ``response.json``
(or ``response.txt`` for a body that is not JSON; kept raw either way), ``meta.json``
(``status``, ``now``, ``online``) and ``snapshot.json``. The snapshot is, by choice:

- ``trim`` (default): a copy holding only what the rules read for this request
  (``platforms.phorest.trim``), kept only when it explains the request exactly as the whole
  snapshot did (same diagnosis, code, verdict, predicted code and codes); otherwise the
  whole snapshot is kept instead (a link to the file, or a copy when it came from stdin);
- ``link``: a symbolic link to the snapshot file (a reference, no copy);
- ``copy``: the whole file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from .._errors import InputError
from .._time import format_utc


def save_entry(directory: str, *, doc: Mapping[str, Any] | None, snapshot: Any,
               snapshot_path: str | None, request: Any, error: bytes, status: int | None,
               now: datetime, online: bool, ruleset: str, explanation: Any, how: str) -> Path:
    """Write the entry and return its folder. ``doc``: the snapshot document when it was
    read from stdin (there is no file to link or copy)."""
    root = Path(directory)
    try:
        root.mkdir(parents=True, exist_ok=True)
        entry = _new_entry(root, explanation)
        _write_json(entry / "request.json", request)
        body_is_json = _is_json(error)
        (entry / ("response.json" if body_is_json else "response.txt")).write_bytes(error)
        meta: dict[str, Any] = {"now": format_utc(now), "online": online}
        if status is not None:
            meta["status"] = status
        _write_json(entry / "meta.json", meta)
        kept = _snapshot(entry / "snapshot.json", how, doc, snapshot, snapshot_path, request,
                         error, status, now, online, ruleset, explanation)
    except OSError as exc:
        raise InputError(str(root), "", f"a folder the corpus entry can be written to "
                         f"({exc.strerror or exc})") from None
    print(f"booking-rules: saved {entry} (snapshot: {kept})", file=sys.stderr)
    return entry


def _new_entry(root: Path, explanation: Any) -> Path:
    """The next numbered folder: ``07_confirmed_staff_double_booked``."""
    taken = [int(m.group(1)) for p in root.iterdir()
             if (m := re.match(r"(\d+)_", p.name)) and p.is_dir()]
    number = max(taken, default=0) + 1
    code = (explanation.code or "no_code").lower()
    name = f"{number:02d}_{explanation.diagnosis.replace('-', '_')}_{code}"
    entry = root / re.sub(r"[^a-z0-9_]", "_", name)
    entry.mkdir()
    return entry


def _is_json(body: bytes) -> bool:
    from .. import _json
    from .._errors import InputError

    try:
        _json.loads(body, "error body")  # bounded: a body nested 100,000 deep is not
    except InputError:
        return False
    return True


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _snapshot(target: Path, how: str, doc: Mapping[str, Any] | None, snapshot: Any,
              path: str | None, request: Any, error: bytes, status: int | None,
              now: datetime, online: bool, ruleset: str, explanation: Any) -> str:
    if how == "link" and path is not None:
        os.symlink(Path(path).resolve(), target)
        return f"a link to {Path(path).resolve()}"
    if how == "copy" and path is not None:
        shutil.copyfile(path, target)
        return "a copy of the whole file"
    if how != "trim" and doc is not None:  # from stdin: no file to link, so a copy
        _write_json(target, doc)
        return "a copy of the whole document (read from standard input)"
    if doc is None:
        assert path is not None
        from .. import _json

        doc = _json.read_json(path, what="snapshot", limit=_json.MAX_SNAPSHOT_BYTES)
    from .. import explain
    from ..platforms.phorest import load_snapshot, parse_request
    from ..platforms.phorest.trim import trim_document

    trimmed = trim_document(doc, parse_request(request, snapshot), snapshot)
    again = explain(error, request, load_snapshot(trimmed), status=status, now=now,
                    online=online, ruleset=ruleset)
    if _same(again, explanation):
        _write_json(target, trimmed)
        appointments = len(trimmed.get("appointments", []))
        return (f"trimmed to {trimmed['coverage']['from']} to {trimmed['coverage']['to']}, "
                f"{appointments} appointments; verified to explain the same")
    if path is not None:
        os.symlink(Path(path).resolve(), target)
        return (f"a link to {Path(path).resolve()} (the trimmed copy did not explain the "
                "same)")
    _write_json(target, doc)
    return "a copy of the whole document (the trimmed copy did not explain the same)"


def _same(a: Any, b: Any) -> bool:
    """The same diagnosis of the same code, from the same check outcome."""
    def key(e: Any) -> tuple[Any, ...]:
        r = e.report
        report = (None if r is None else (
            r.verdict, r.predicted_api_code, tuple(r.codes),
            tuple(sorted(v.code for v in r.unknowns))))
        return (e.diagnosis, e.code, e.status, report)

    return key(a) == key(b)
