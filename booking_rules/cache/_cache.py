"""Open a cache by URL, and read snapshots, status and changes out of it.

Stores are chosen by URL scheme in one table (``_SCHEMES``), the way sqlalchemy picks a
dialect: ``sqlite:///path`` today, ``postgresql://...`` a sibling later. Nothing here
knows SQL.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import msgspec

from .._errors import InputError
from ._adapter import (
    Snapshot,
    appointments_of,
    load_pne_snapshot,
    load_snapshot,
    m,
    no_collection,
    snapshot_from_raw_history,
    snapshot_from_table,
    table_of,
)
from ._compiled import FORMAT, CannotCompile, pack, unpack
from ._errors import CacheError
from ._model import (
    STREAMS,
    Change,
    Compiled,
    Reader,
    Store,
    StreamKey,
    StreamState,
    Window,
    iso_z,
)
from ._pne import pne_document
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

    def only_branch(self, business: str | None = None) -> str:
        """The one branch the cache holds (of ``business``), for a caller that names none;
        a CacheError listing them when there are several, or none."""
        with self.store.read() as r:
            # Branches synced, not every branch of the business's branch list.
            synced = sorted({i for b, i in r.branches(business) if any(
                (st := r.state(StreamKey.of(b, i, name), counts=False)) is not None
                and st.fetched_at is not None for name in STREAMS
                if STREAMS[name].scope == "branch")})
        if len(synced) == 1:
            return synced[0]
        listed = ", ".join(synced) or "none (run booking-rules sync first)"
        raise CacheError(self.url, f"name the branch to read (--branch ID); it holds: "
                         f"{listed}")

    def _included(self, r: Reader, business: str, branch_id: str
                  ) -> dict[str, StreamState]:
        """The streams a snapshot includes: those fetched completely at least once (a
        stream never fetched, or answered 404, is absent, not empty: RULES.md §6)."""
        out = {}
        for name in STREAMS:
            if name == "branch":
                continue
            state = r.state(StreamKey.of(business, branch_id, name), counts=False)
            if state is not None and state.fetched_at is not None:
                out[name] = state
        return out

    def _branch_row(self, r: Reader, business: str, branch_id: str) -> dict[str, Any]:
        row: dict[str, Any] = next(
            parsed for raw in r.raw_rows(StreamKey.of(business, branch_id, "branch"))
            if (parsed := json.loads(raw)).get("branchId") == branch_id)
        return row

    def _reference(self, r: Reader, business: str, branch_id: str,
                   states: dict[str, StreamState]) -> dict[str, Any]:
        """The snapshot document without its appointments, with its coverage."""
        doc: dict[str, Any] = {"branch": self._branch_row(r, business, branch_id)}
        for name in states:
            if name == "appointments":
                continue
            rows = r.raw_rows(StreamKey.of(business, branch_id, name))
            doc[name] = (_merge_timetables(rows) if name == "workTimeTables"
                         else _decode_rows(rows))
        coverage = _coverage_doc(states)
        if coverage:
            doc["coverage"] = coverage
        return doc

    def _parts(self, branch_id: str, business: str | None
               ) -> tuple[dict[str, Any], list[bytes] | None, int]:
        with self.store.read() as r:
            business = self._business_of(r, branch_id, business)
            states = self._included(r, business, branch_id)
            doc = self._reference(r, business, branch_id, states)
            history = (r.raw_rows(StreamKey.of(business, branch_id, "appointments"))
                       if "appointments" in states else None)
            return doc, history, r.marker()

    def document(self, branch_id: str, *, business: str | None = None
                 ) -> tuple[dict[str, Any], int]:
        """The branch's snapshot document (the format ``load_snapshot`` reads, with
        ``coverage`` from the stream windows and each stream's fetch time), and the change
        marker it is current to."""
        doc, history, marker = self._parts(branch_id, business)
        if history is not None:
            doc["appointments"] = _decode_rows(history)
        return doc, marker

    def snapshot(self, branch_id: str, *, business: str | None = None,
                 platform: str = "phorest") -> Snapshot:
        """A ``Snapshot`` of the branch as cached, with ``coverage`` and each list's age.
        ``refresh`` brings it up to date later at the cost of what changed.
        ``platform="pne"`` (or ``"vish"``): ``branch_id`` is a PNE location (CompanyId),
        its document rebuilt (``pne_document``) and read by the PNE platform."""
        if platform in ("pne", "vish"):
            return load_pne_snapshot(self.pne_document(branch_id))
        if platform != "phorest":
            raise CacheError(self.url, f"platform: expected phorest, pne or vish, got "
                             f"{platform!r}")
        return self.snapshot_at(branch_id, business=business)[0]

    def pne_document(self, location: str) -> dict[str, Any]:
        """A synced PNE location as a PNE snapshot document (docs/pne.md)."""
        with self.store.read() as r:
            return pne_document(r, self.url, location)

    def snapshot_at(self, branch_id: str, *, business: str | None = None,
                    compiled: bool = True) -> tuple[Snapshot, int]:
        """The snapshot and the change marker it is current to (for ``changes_since``).

        The history comes from the stream's compiled form plus the rows changed since it
        (an overlay), when there is one and it lags by at most ``COMPILED_LAG`` rows;
        else from the raw rows, and the compiled form is then (re)written for next time.
        ``compiled=False`` always reads the raw rows (what the compiled form is held to).
        """
        with no_collection():
            with self.store.read() as r:
                business = self._business_of(r, branch_id, business)
                states = self._included(r, business, branch_id)
                doc = self._reference(r, business, branch_id, states)
                key = StreamKey.of(business, branch_id, "appointments")
                packed: Compiled | None = None
                changes: list[Change] = []
                history: list[bytes] | None = None
                if "appointments" in states:
                    packed = r.compiled(key) if compiled else None
                    if packed is not None and packed.format == FORMAT:
                        changes = r.changes_since(key, packed.marker)
                        if len(changes) > COMPILED_LAG:
                            packed = None
                    else:
                        packed = None
                    if packed is None:
                        history = r.raw_rows(key)
                marker = r.marker()
            source = f"{self.url}#{branch_id}"
            origin = _Origin(self.url, business, branch_id, marker, frozenset(states),
                             doc["branch"])
            if history is None and packed is None:
                snap = load_snapshot(doc)
            elif packed is not None:
                base = snapshot_from_table(doc, unpack(packed.blob), source)
                found = self._overlay(base, changes, base.coverage)
                if found is None:  # rows with notices: the raw rows, read again
                    return self.snapshot_at(branch_id, business=business, compiled=False)
                snap = found
            else:
                assert history is not None
                # The raw JSON of the rows goes to the loader, decoded in batches by
                # msgspec (the path a snapshot file takes), not as a million dicts.
                snap = snapshot_from_raw_history(doc, history, source)
                if compiled:
                    self._keep_compiled(key, snap, marker)
        _register(snap, origin)
        return snap, marker

    def _keep_compiled(self, key: StreamKey, snap: Snapshot, marker: int) -> bool:
        """Store the history table of ``snap`` (current to ``marker``) as the stream's
        compiled form; False when the table cannot be packed or the cache is locked or
        read-only (the next snapshot reads the raw rows again, nothing else changes)."""
        try:
            blob = pack(table_of(snap))
        except CannotCompile:
            return False
        try:
            with self.store.write() as w:
                return w.put_compiled(key, Compiled(marker, FORMAT, blob))
        except CacheError:
            return False

    def compile(self, branch_id: str, *, business: str | None = None) -> bool:
        """Rewrite the branch's compiled history from its raw rows (what ``booking-rules
        sync`` does after a poll that changed many appointments, so the next snapshot
        reads little). True when it was stored."""
        with self.store.read() as r:
            business = self._business_of(r, branch_id, business)
        snap, marker = self.snapshot_at(branch_id, business=business, compiled=False)
        return self._keep_compiled(StreamKey.of(business, branch_id, "appointments"), snap,
                                   marker)

    def compiled_lag(self, branch_id: str, *, business: str | None = None) -> int | None:
        """How many appointment rows changed since the compiled history (None: none
        usable), so a caller can decide when to ``compile``."""
        with self.store.read() as r:
            business = self._business_of(r, branch_id, business)
            key = StreamKey.of(business, branch_id, "appointments")
            packed = r.compiled(key)
            if packed is None or packed.format != FORMAT:
                return None
            return len(r.changes_since(key, packed.marker))

    # --- staying current ---------------------------------------------------------------

    def refresh(self, snapshot: Snapshot) -> Snapshot:
        """``snapshot`` (built by this cache, or refreshed by it) brought up to what the
        cache holds now, as a new Snapshot: the appointments written since it was built
        laid over it (``Snapshot.with_changes``: new, moved, canceled and deleted rows are
        upserted, rows gone are removed), and its coverage and list ages moved on. It
        costs what changed, not the history. ``snapshot`` itself is never changed, so a
        check running on it meanwhile sees one consistent state.

        When reference data changed (staff, services, rosters, breaks, rooms, ...), a list
        appeared or vanished, or a changed row reads with a notice, the snapshot is built
        again instead (from the compiled history: about a second at a million rows).
        """
        origin = _origin_of(snapshot)
        if origin is None or origin.url != self.url:
            raise CacheError(self.url, "refresh takes a snapshot this cache built "
                             "(cache.snapshot(...) or an earlier refresh)")
        with self.store.read() as r:
            marker = r.marker()
            states = self._included(r, origin.business, origin.branch)
            rebuild = frozenset(states) != origin.streams or any(
                r.changed_since(StreamKey.of(origin.business, origin.branch, name),
                                origin.marker)
                for name in ("branch", *states) if name != "appointments")
            changes = [] if rebuild or "appointments" not in states else r.changes_since(
                StreamKey.of(origin.business, origin.branch, "appointments"), origin.marker)
        if rebuild:
            return self.snapshot(origin.branch, business=origin.business)
        coverage = _coverage_of(origin.branch_row, states)
        if not changes and coverage == snapshot.coverage:
            return snapshot
        found = self._overlay(snapshot, changes, coverage)
        if found is None:
            return self.snapshot(origin.branch, business=origin.business)
        _register(found, replace(origin, marker=marker))
        return found

    def _overlay(self, snap: Snapshot, changes: list[Change], coverage: m.Coverage
                 ) -> Snapshot | None:
        """``snap`` with ``changes`` laid over it; None when a changed row reads with a
        notice or not at all (the caller rebuilds, and the rebuild says what is wrong)."""
        standing = [c.raw for c in changes if not c.gone]
        gone = [c.id for c in changes if c.gone]
        if not standing and not gone:
            return snap if coverage == snap.coverage else snap.with_changes(
                coverage=coverage)
        try:
            upserts, noticed = appointments_of(standing, snap, "cache changes")
        except (InputError, ValueError):
            return None
        if noticed or any(n.location.startswith("appointments[") for n in snap.notices):
            return None
        return snap.with_changes(upserts, gone, coverage=coverage)

    def live(self, branch_id: str, *, business: str | None = None) -> LiveSnapshot:
        """A handle on the branch's current snapshot: ``.snapshot`` to check against,
        ``.refresh()`` to move it on (a reader keeps the snapshot it took)."""
        return LiveSnapshot(self, self.snapshot(branch_id, business=business))

    def changes_since(self, branch_id: str, marker: int, *, business: str | None = None
                      ) -> tuple[list[Change], int]:
        """Appointment rows written after ``marker`` (changed, new or gone), and the new
        marker: what ``refresh`` lays over a snapshot."""
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


# Rows changed since the compiled history beyond which a snapshot reads the raw rows
# (and compiles them again) rather than a long overlay.
COMPILED_LAG = 20_000


class LiveSnapshot:
    """The current snapshot of one branch, moved on by ``refresh()``.

    ``snapshot`` is swapped whole under a lock; a check takes it once and runs on that
    object, which never changes, so a refresh meanwhile cannot show it half an update.
    """

    def __init__(self, cache: Cache, snapshot: Snapshot) -> None:
        self._cache = cache
        self._lock = threading.Lock()
        self._snapshot = snapshot

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def refresh(self) -> Snapshot:
        with self._lock:  # one refresh at a time; readers never wait
            self._snapshot = self._cache.refresh(self._snapshot)
            return self._snapshot


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a snapshot came from: enough for ``refresh`` to find what changed since."""

    url: str
    business: str
    branch: str
    marker: int
    streams: frozenset[str]
    branch_row: dict[str, Any] = field(compare=False)


# Snapshot -> origin, without keeping snapshots alive: refresh() looks a snapshot up here
# (any Cache opened on the same URL can refresh it), and a core Snapshot carries no
# cache-specific state of its own.
_ORIGINS: weakref.WeakKeyDictionary[Snapshot, _Origin] = weakref.WeakKeyDictionary()
_ORIGINS_LOCK = threading.Lock()


def _register(snapshot: Snapshot, origin: _Origin) -> None:
    with _ORIGINS_LOCK:
        _ORIGINS[snapshot] = origin


def _origin_of(snapshot: Snapshot) -> _Origin | None:
    with _ORIGINS_LOCK:
        return _ORIGINS.get(snapshot)


def _coverage_doc(states: dict[str, StreamState]) -> dict[str, Any]:
    """A snapshot document's ``coverage`` from its included streams' states: the local
    dates every windowed stream covers without a hole, the oldest fetch, and each
    stream's own fetch (``streams``, by snapshot key)."""
    spans: list[tuple[date, date]] = []
    ages: dict[str, datetime] = {}
    for name, state in states.items():
        span, fetched = freshness(state)
        if span is not None:
            spans.append(span)
        if fetched is not None:
            ages[name] = fetched
    coverage: dict[str, Any] = {}
    if spans:
        start, end = max(s for s, _ in spans), min(e for _, e in spans)
        if start <= end:
            coverage.update({"from": start.isoformat(), "to": end.isoformat()})
    if ages:
        coverage["fetchedAt"] = iso_z(min(ages.values()))
        coverage["streams"] = {name: iso_z(at) for name, at in sorted(ages.items())}
    return coverage


def _coverage_of(branch_row: dict[str, Any], states: dict[str, StreamState]
                 ) -> m.Coverage:
    """The canonical coverage of those states, read by the same reader a snapshot's is
    (its dates become instants in the branch's zone)."""
    coverage = _coverage_doc(states)
    return load_snapshot({"branch": branch_row, **({"coverage": coverage} if coverage
                                                   else {})}).coverage


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
