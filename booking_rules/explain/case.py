"""One explanation being built: the request checked against the snapshot, read once, and
the wording every part of the explanation shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .._errors import InputError
from .._time import format_local
from ..core import model as m
from ..core.context import Context, Item
from ..core.engine import resolve, run
from ..core.report import Report, _age
from ..core.ruleset import Ruleset, resolve_ruleset
from ..core.snapshot import Snapshot
from .explanation import Explanation
from .platform import ExplainPlatform, Response, Situation

RACE_SECONDS = 300  # a snapshot younger than this at the request points to a race
_SOURCE_WORDS = {"text": "in the plain-text body", "html": "in the HTML page",
                 "body": "in the body"}


class Case:
    """The request checked against the snapshot (the engine's own rules: never a second
    reading of them), and everything an explanation of the platform's answer says about
    it. ``check`` raises :class:`InputError` for an unusable request, naming it
    ``source``."""

    def __init__(self, platform: ExplainPlatform, snapshot: Snapshot, request: Any,
                 response: Response, *, now: datetime, online: bool,
                 ruleset: str | Path | Ruleset, source: str) -> None:
        self.platform = platform
        self.table = platform.table
        self.display = self.table.display  # "Phorest"
        self.api_codes = frozenset(self.table.api_codes)
        self.rs = resolve_ruleset(ruleset, self.table)
        self.snap_given = snapshot
        self.snap = snapshot.with_times(self.rs.appointment_times)
        self.request = request
        self.response = response
        self.now = now
        self.online = online or self.rs.online
        self.req, self.report = self._check(source)
        self.items = tuple(resolve(s, self.snap, self.req) for s in self.req.schedules)
        self.ctx = Context(self.snap, self.req, now, self.online, self.rs)
        self.branch = self.snap.branch.id

    def _check(self, source: str) -> tuple[m.Request, Report]:
        try:
            return self.check(self.request)
        except InputError as exc:
            if source == "<request>" or exc.source != "<request>":
                raise
            raise InputError(source, exc.path, exc.expected, exc.got) from None

    def check(self, request: Any) -> tuple[m.Request, Report]:
        """``request`` read by the platform and checked: the platform's whole path."""
        req = self.platform.parse_request(request, self.snap)
        return req, run(self.snap, req, now=self.now, online=self.online, rs=self.rs)

    def passes(self, request: Any) -> bool:
        return self.check(request)[1].verdict == "PASS"

    def situation(self) -> Situation:
        return Situation(self.snap, self.req, self.items, self.report, self.what, self.age())

    # --- wording ---------------------------------------------------------------------------

    @property
    def what(self) -> str:
        return "appointment update" if self.req.kind == "update" else "booking"

    def lead(self) -> str:
        """``Phorest refused the booking with CODE (HTTP 400, in `detail`, ...).``"""
        response = self.response
        bits = []
        if response.status is not None:
            bits.append(f"HTTP {response.status}")
        source = response.source_field
        if source:
            bits.append(_SOURCE_WORDS.get(source, f"in `{source}`"))
        if response.category is not None:
            bits.append(f"category {response.category}")
        if response.error_id is not None:
            bits.append(f"error id {response.error_id}")
        where = f" ({', '.join(bits)})" if bits else ""
        return f"{self.display} refused the {self.what} with {response.code}{where}."

    def day(self, item: Item) -> str:
        return item.local_date.isoformat()

    def span(self, item: Item) -> str:
        return self.ctx.when(*item.span)

    def blocks(self, item: Item) -> str:
        if not item.blocks:
            return self.ctx.when(item.start)
        return " and ".join(self.ctx.when(s, e) for s, e in item.blocks)

    def age(self) -> str:
        age = self.report.snapshot_age_seconds
        if age is None:
            return ("The snapshot does not say when it was fetched (coverage.fetchedAt), so "
                    "its age is unknown.")
        when = format_local(self.now, self.snap.zone)
        if age < 0:
            return (f"The snapshot was fetched {_age(-age)} after the request ({when}), so it "
                    "should show the same picture: a change made since (a cancellation) or a "
                    "difference between this rule and "
                    f"{self.display}'s is more likely.")
        if age <= RACE_SECONDS:
            return (f"The snapshot was fetched only {_age(age)} before the request ({when}): "
                    f"most likely a race, a change made in {self.display} between the fetch "
                    "and the request.")
        return (f"The snapshot was fetched {_age(age)} before the request ({when}): most "
                "likely a stale cache.")

    def result(self, diagnosis: str, text: str, evidence: Sequence[Mapping[str, Any]],
               remedies: Sequence[Mapping[str, str]],
               alternatives: Sequence[Mapping[str, Any]] = ()) -> Explanation:
        seen: set[tuple[str, str]] = set()
        unique = []
        for r in remedies:
            key = (r["action"], r.get("endpoint", ""))
            if key not in seen:
                seen.add(key)
                unique.append(dict(r))
        return Explanation(self.response.code, self.response.source_field,
                           self.response.status, diagnosis, text,
                           tuple(dict(e) for e in evidence), tuple(unique),
                           tuple(dict(a) for a in alternatives), self.response, self.report,
                           self.display)
