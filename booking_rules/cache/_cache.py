"""Open a cache by URL, and read snapshots, status and changes out of it.

Stores are chosen by URL scheme in one table (``_SCHEMES``), the way sqlalchemy picks a
dialect: ``sqlite:///path`` today, ``postgresql://...`` a sibling later. Nothing here
knows SQL.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import msgspec

from .. import Snapshot, load_snapshot
from ._adapter import snapshot_from_raw_history
from ._errors import CacheError
from ._model import (
    STREAMS,
    Change,
    Reader,
    Store,
    StreamKey,
    StreamState,
    Window,
    iso_z,
)
from ._sqlite import SQLiteStore

DEFAULT_URL = "sqlite:///cache.db"


def _open_sqlite(url: str, create: bool) -> Store:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise CacheError(url, "sqlite:///relative/path or sqlite:////absolute/path "
                         "(no host)")
    path = unquote(parts.path)
    # sqlite:///cache.db -> "cache.db"; sqlite:////tmp/c.db -> "/tmp/c.db" (sqlalchemy's
    # convention); sqlite:///:memory: for tests.
    path = path[1:] if path.startswith("/") else path
    if not path:
        raise CacheError(url, "a file path after sqlite:///")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(options) - {"timeout"})
    if unknown:
        raise CacheError(url, f"only the option ?timeout=SECONDS, not {', '.join(unknown)}")
    try:
        timeout = float(options.get("timeout", "5"))
    except ValueError:
        raise CacheError(url, "?timeout= takes seconds (how long to wait for a lock)"
                         ) from None
    return SQLiteStore(url, path, create=create, timeout=timeout)


_SCHEMES: dict[str, Callable[[str, bool], Store]] = {
    "sqlite": _open_sqlite,
}


def open_store(url: str = DEFAULT_URL, *, create: bool = False) -> Store:
    """The store a URL names. ``create``: make an empty cache when there is none."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    opener = _SCHEMES.get(scheme)
    if opener is None:
        known = ", ".join(f"{s}://" for s in sorted(_SCHEMES))
        raise CacheError(url, f"a cache URL starting with {known} "
                         "(e.g. sqlite:///cache.db)")
    return opener(url, create)


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """What ``booking-rules cache status`` prints for one stream."""

    business: str
    branch: str  # '' for business-level streams
    stream: str
    rows: int
    gone: int
    quarantined: int
    window: tuple[date, date] | None
    fetched_at: datetime | None  # when the data was last known complete and current
    age_seconds: int | None
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "business": self.business, "branch": self.branch or None, "stream": self.stream,
            "rows": self.rows, "gone": self.gone, "quarantined": self.quarantined,
            "window": None if self.window is None else {
                "from": self.window[0].isoformat(), "to": self.window[1].isoformat()},
            "fetchedAt": None if self.fetched_at is None else iso_z(self.fetched_at),
            "ageSeconds": self.age_seconds, "lastError": self.last_error,
        }


def covered_run(windows: tuple[Window, ...]) -> tuple[Window, ...]:
    """The latest run of contiguous windows: the range a stream covers without a hole."""
    run: list[Window] = []
    for w in sorted(windows, key=lambda w: w.start):
        if run and w.start.toordinal() > max(x.end for x in run).toordinal() + 1:
            run = []
        run.append(w)
    return tuple(run)


def freshness(state: StreamState) -> tuple[tuple[date, date] | None, datetime | None]:
    """(covered local dates, the instant the data was last known current) of a stream.

    Reference lists: when the last complete fetch started. Windowed lists: the oldest
    fetch of the windows they cover. Appointments: a window is current up to the change
    watermark once the change feed ran after it, so each window counts for the later of
    its fetch and the watermark, and the stream for the oldest of those.
    """
    spec = STREAMS[state.key.stream]
    if spec.kind == "reference":
        return None, state.fetched_at
    run = covered_run(state.windows)
    if not run:
        return None, None
    span = (min(w.start for w in run), max(w.end for w in run))
    if spec.kind == "changes":
        mark = state.watermark
        return span, min(w.fetched_at if mark is None else max(w.fetched_at, mark)
                         for w in run)
    return span, min(w.fetched_at for w in run)


class Cache:
    """A cache opened by URL: snapshots of a branch, per-stream status, changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.url = store.url

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- snapshots ---------------------------------------------------------------------

    def _business_of(self, r: Reader, branch_id: str, business: str | None) -> str:
        held = r.branches(business)
        owners = sorted({b for b, i in held if i == branch_id})
        if not owners:
            listed = ", ".join(f"{i} (business {b})" for b, i in held) or "none"
            raise CacheError(self.url, f"no branch {branch_id!r} in the cache (held: "
                             f"{listed}); sync it first")
        if len(owners) > 1:
            raise CacheError(self.url, f"branch {branch_id!r} is held for businesses "
                             f"{', '.join(owners)}: name one (business=...)")
        return owners[0]

    def _parts(self, branch_id: str, business: str | None
               ) -> tuple[dict[str, Any], list[bytes] | None, int]:
        with self.store.read() as r:
            business = self._business_of(r, branch_id, business)
            branch_raw = next(raw for raw in r.raw_rows(StreamKey.of(business, branch_id,
                                                                    "branch"))
                              if json.loads(raw).get("branchId") == branch_id)
            doc: dict[str, Any] = {"branch": json.loads(branch_raw)}
            history: list[bytes] | None = None
            spans: list[tuple[date, date]] = []
            ages: list[datetime] = []
            for name in STREAMS:
                if name == "branch":
                    continue
                key = StreamKey.of(business, branch_id, name)
                state = r.state(key, counts=False)
                if state is None or state.fetched_at is None:
                    continue  # never completely fetched: absent, not empty (RULES.md §6)
                span, fetched = freshness(state)
                if span is not None:
                    spans.append(span)
                if fetched is not None:
                    ages.append(fetched)
                rows = r.raw_rows(key)
                if name == "appointments":
                    history = rows
                elif name == "workTimeTables":
                    doc[name] = _merge_timetables(rows)
                else:
                    doc[name] = _decode_rows(rows)
            marker = r.marker()
        coverage: dict[str, str] = {}
        if spans:
            start, end = max(s for s, _ in spans), min(e for _, e in spans)
            if start <= end:
                coverage.update({"from": start.isoformat(), "to": end.isoformat()})
        if ages:
            coverage["fetchedAt"] = iso_z(min(ages))
        if coverage:
            doc["coverage"] = coverage
        return doc, history, marker

    def document(self, branch_id: str, *, business: str | None = None
                 ) -> tuple[dict[str, Any], int]:
        """The branch's snapshot document (the format ``load_snapshot`` reads, with
        ``coverage`` from the stream windows), and the change marker it is current to."""
        doc, history, marker = self._parts(branch_id, business)
        if history is not None:
            doc["appointments"] = _decode_rows(history)
        return doc, marker

    def snapshot(self, branch_id: str, *, business: str | None = None) -> Snapshot:
        """A ``Snapshot`` of the branch as cached, with ``coverage`` and its age."""
        return self.snapshot_at(branch_id, business=business)[0]

    def snapshot_at(self, branch_id: str, *, business: str | None = None
                    ) -> tuple[Snapshot, int]:
        """The snapshot and the change marker it is current to (for ``changes_since``)."""
        enabled = gc.isenabled()
        gc.disable()  # the rows read are millions of live objects: nothing to collect
        try:
            doc, history, marker = self._parts(branch_id, business)
        finally:
            if enabled:
                gc.enable()
        source = f"{self.url}#{branch_id}"
        if history is None:
            return load_snapshot(doc), marker
        # The history goes to the loader as the raw JSON of its rows, decoded in batches
        # by msgspec (the path a snapshot file takes), not as a million dicts.
        return snapshot_from_raw_history(doc, history, source), marker

    def changes_since(self, branch_id: str, marker: int, *, business: str | None = None
                      ) -> tuple[list[Change], int]:
        """Appointment rows written after ``marker`` (changed, new or gone), and the new
        marker. Feed them to a snapshot's refresh; pass the new marker next time."""
        with self.store.read() as r:
            business = self._business_of(r, branch_id, business)
            changes = r.changes_since(StreamKey.of(business, branch_id, "appointments"),
                                      marker)
            return changes, r.marker()

    # --- status ------------------------------------------------------------------------

    def status(self, now: datetime, *, business: str | None = None) -> list[StreamStatus]:
        """Per stream: rows, covered window, when fetched and how long ago (at ``now``)."""
        out = []
        with self.store.read() as r:
            for state in r.states(business):
                if state.key.stream not in STREAMS:
                    continue
                span, fetched = freshness(state)
                age = None if fetched is None else int((now - fetched).total_seconds())
                out.append(StreamStatus(state.key.business, state.key.branch,
                                        state.key.stream, state.rows, state.gone,
                                        state.quarantined, span, fetched, age,
                                        state.last_error))
        return out


def _decode_rows(rows: list[bytes]) -> list[Any]:
    """Many rows' raw JSON in one decode (a JSON array of them), not one call per row."""
    decoded: list[Any] = _ROWS.decode(b"[" + b",".join(rows) + b"]")
    return decoded


_ROWS = msgspec.json.Decoder(list[Any])


def _merge_timetables(rows: list[bytes]) -> list[dict[str, Any]]:
    """(staff, day) rows back into one work timetable per staff member, days in order."""
    merged: dict[str, dict[str, Any]] = {}
    for part in _decode_rows(rows):
        staff = str(part.get("staffId"))
        if staff in merged:
            merged[staff]["timeSlots"].extend(part.get("timeSlots") or [])
        else:
            merged[staff] = {**part, "timeSlots": list(part.get("timeSlots") or [])}
    for table in merged.values():
        table["timeSlots"].sort(key=lambda s: (str(s.get("date")), str(s.get("startTime"))))
    return list(merged.values())


def open_cache(url: str = DEFAULT_URL, *, create: bool = False) -> Cache:
    """Open the cache at ``url`` (``sqlite:///path``). A missing, unreadable, locked or
    foreign file raises ``CacheError`` (an ``InputError``) with one clear line."""
    return Cache(open_store(url, create=create))
