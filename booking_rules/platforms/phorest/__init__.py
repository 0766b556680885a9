"""Phorest's third-party API: everything the core must not know.

- ``read``: the wire models (pydantic) of Phorest's payloads and of the assumed shapes
  (RULES.md §4, each marked ASSUMED), and the reading of a snapshot document into canonical
  parts and of request bodies into canonical requests;
- ``load``: snapshot documents from a file (memory-mapped, the history decoded by msgspec)
  or a dict;
- ``requests``: a request as given (``{"kind", "body"}`` or a bare body) made canonical;
  ``typed``: the common createBooking body read by msgspec (the audit and pydantic read
  any other shape, and say what they find);
- ``codes``: Phorest's code for every rule it runs, and the nineteen its API answers;
- ``check``: the whole path for one body: ruleset, reading, engine;
- ``errors``, ``advice``, ``edit``: its error bodies read, its advice, its request bodies
  rewritten, which ``explain`` (``EXPLAIN``) hands to ``booking_rules.explain``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from ... import _json
from ..._errors import InputError
from ...core.engine import run, snapshot_for
from ...core.guard import require_bool, require_instant, require_ruleset, require_snapshot
from ...core.report import Report
from ...core.ruleset import Ruleset, resolve_ruleset
from ...core.snapshot import Snapshot
from .codes import API_CODES, TABLE
from .explain import EXPLAIN
from .load import load_snapshot, read_appointments, read_document
from .requests import KINDS, parse_request

__all__ = ["API_CODES", "EXPLAIN", "TABLE", "check", "load_snapshot", "parse_request",
           "read_appointments", "read_document", "ruleset"]


def ruleset(ruleset: str | Path | Ruleset = "phorest") -> Ruleset:
    """A ruleset by bundled name or path, naming rules by Phorest's codes."""
    return resolve_ruleset(ruleset, TABLE)


def check(snapshot: Snapshot, request: object, *, now: datetime, online: bool = False,
          ruleset: str | Path | Ruleset = "phorest", source: str = "<request>",
          kind: str | None = None) -> Report:
    """Every reason Phorest would refuse ``request`` (a body, ``{"kind", "body"}`` or a
    canonical ``Request``), checked against ``snapshot`` at ``now``."""
    require_snapshot(snapshot)
    now = require_instant(now, "now")
    require_bool(online, "online")
    if kind is not None and kind not in KINDS:
        raise InputError("kind", "", f"one of {', '.join(KINDS)}, or None", kind)
    plain = False
    if type(request) is dict or isinstance(request, Mapping):
        # A dict of the caller's own, or the CLI's: held to the input limits.
        plain = _json.check_value(request, source)
    rs = resolve_ruleset(require_ruleset(ruleset), TABLE)
    snap = snapshot_for(snapshot, rs)
    req = parse_request(request, snap, source, kind, plain=plain)
    return run(snap, req, now=now, online=online or rs.online, rs=rs)
