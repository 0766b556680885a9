"""What the cache holds, independent of the database: streams, rows, windows, the store.

A *stream* is one kind of row of one branch (or of the whole business): the snapshot key it
feeds, how a row is identified, and which date a row lies on (for windowed streams). A
*store* is the durable part (SQLite now, PostgreSQL later): it knows nothing of HTTP or of
the engine, only keyed rows with their version, per-stream windows and state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, Protocol

Scope = Literal["branch", "business"]
Kind = Literal["reference", "window", "changes"]

BUSINESS_LEVEL = ""  # the branch part of a key for rows that belong to the whole business


@dataclass(frozen=True, slots=True)
class StreamSpec:
    """One stream: the snapshot key it feeds and how its rows are read for the cache."""

    name: str  # also the snapshot document's key
    scope: Scope
    kind: Kind
    ids: tuple[str, ...]  # the id field, first present wins
    day_field: str | None = None  # the local date a windowed row lies on


STREAMS: dict[str, StreamSpec] = {s.name: s for s in (
    StreamSpec("branch", "business", "reference", ("branchId",)),
    StreamSpec("staff", "branch", "reference", ("staffId",)),
    StreamSpec("services", "branch", "reference", ("serviceId",)),
    StreamSpec("rooms", "branch", "reference", ("roomId",)),
    StreamSpec("machines", "branch", "reference", ("machineId",)),
    StreamSpec("specialOffers", "branch", "reference",
               ("specialOfferId", "serviceSpecialOfferId", "serviceGroupId", "id")),
    StreamSpec("courses", "branch", "reference", ("courseId",)),
    StreamSpec("clientCourses", "business", "reference", ("clientCourseId",)),
    StreamSpec("clients", "business", "reference", ("clientId",)),
    # One cached row per staff member and local day (see ``split_timetable``).
    StreamSpec("workTimeTables", "branch", "window", ("staffId",), "date"),
    StreamSpec("breaks", "branch", "window", ("breakId",), "breakDate"),
    StreamSpec("appointments", "branch", "changes", ("appointmentId",), "appointmentDate"),
)}


@dataclass(frozen=True, slots=True)
class StreamKey:
    """Where a stream's rows live: business, branch ('' for business-level) and stream."""

    business: str
    branch: str
    stream: str

    @classmethod
    def of(cls, business: str, branch: str, stream: str) -> StreamKey:
        spec = STREAMS[stream]
        return cls(business, BUSINESS_LEVEL if spec.scope == "business" else branch, stream)


@dataclass(frozen=True, slots=True)
class Row:
    """One row as stored: its raw JSON (bytes, as the API gave it) and the columns the
    upsert and the engine need."""

    id: str
    raw: bytes
    day: date | None = None
    version: int | None = None
    updated_at: datetime | None = None
    deleted: bool = False
    canceled: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    """A covered range of local dates, both ends inclusive, and when it was fetched."""

    start: date
    end: date
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class StreamState:
    """Per stream: when a complete fetch last finished, the change watermark, the last
    error (a stream that failed keeps its old coverage), and its covered windows."""

    key: StreamKey
    fetched_at: datetime | None = None
    watermark: datetime | None = None
    last_error: str | None = None
    windows: tuple[Window, ...] = ()
    rows: int = 0
    gone: int = 0
    quarantined: int = 0


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a paged task got: committed with the page, so a killed sync resumes."""

    task: str
    next_page: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Change:
    """A row written since a marker: its id, raw JSON and whether it still stands."""

    id: str
    raw: bytes
    gone: bool
    seq: int


@dataclass(frozen=True, slots=True)
class Compiled:
    """A stream's rows in the engine's own columns as of change ``marker`` (an opaque
    ``blob`` of ``format``), so a snapshot need not decode every raw row again."""

    marker: int
    format: str
    blob: bytes


@dataclass(slots=True)
class WriteCounts:
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Writer(Protocol):
    """Writes inside one transaction: all of them land, or none (the page is re-fetched)."""

    def upsert(self, key: StreamKey, rows: Sequence[Row], fetched_at: datetime) -> int:
        """Insert or update by id; an older copy never overwrites a newer one. Returns the
        number of rows written (inserted, changed, or brought back from gone)."""

    def mark_gone(self, key: StreamKey, seen: set[str], at: datetime,
                  window: tuple[date, date] | None = None) -> int:
        """Rows of ``key`` (on a day inside ``window``, when given) not in ``seen`` are
        recorded as gone (kept, not deleted). Returns how many were newly marked."""

    def record_window(self, key: StreamKey, window: Window) -> None: ...

    def finish(self, key: StreamKey, fetched_at: datetime, *,
               watermark: datetime | None = None) -> None:
        """A complete fetch of the stream finished: its fetched-at (and watermark) advance,
        its last error clears."""

    def fail(self, key: StreamKey, message: str) -> None: ...

    def set_progress(self, key: StreamKey, progress: Progress) -> None: ...

    def clear_progress(self, key: StreamKey, task: str) -> None: ...

    def quarantine(self, key: StreamKey, where: str, reason: str, raw: bytes,
                   at: datetime) -> None: ...

    def spend(self, business: str, branch: str, day: date, limit: int) -> int | None:
        """Count one request against the key's budget of ``day`` (UTC); None: spent."""

    def put_compiled(self, key: StreamKey, compiled: Compiled) -> bool:
        """Keep the stream's compiled form; False when the store cannot (read-only)."""


class Reader(Protocol):
    """Reads inside one read transaction: one consistent state of the cache."""

    def state(self, key: StreamKey, *, counts: bool = True) -> StreamState | None:
        """The stream's state; ``counts=False`` skips counting its rows (fast)."""

    def states(self, business: str | None = None) -> list[StreamState]: ...

    def raw_rows(self, key: StreamKey) -> list[bytes]:
        """The raw JSON of every row that still stands (not gone), in id order."""

    def changes_since(self, key: StreamKey, marker: int) -> list[Change]: ...

    def marker(self) -> int:
        """The latest change sequence number: rows written later have a greater one."""

    def spent(self, business: str, branch: str, day: date) -> int:
        """Requests counted against the key's budget of ``day`` (UTC)."""

    def changed_since(self, key: StreamKey, marker: int) -> bool:
        """Whether any row of ``key`` was written after ``marker`` (an index probe)."""

    def compiled(self, key: StreamKey) -> Compiled | None:
        """The stream's compiled form, if one was stored."""

    def progress(self, key: StreamKey, task: str) -> Progress | None: ...

    def branches(self, business: str | None = None) -> list[tuple[str, str]]:
        """(business, branch id) of every branch row held."""


class Store(Protocol):
    """The durable cache. SQLite (``sqlite:///path``) today; PostgreSQL a sibling."""

    url: str

    def write(self) -> AbstractContextManager[Writer]: ...

    def read(self) -> AbstractContextManager[Reader]: ...

    def close(self) -> None: ...


# --- reading a raw API row into a cache row --------------------------------------------


def iso_z(instant: datetime) -> str:
    """An aware instant as sortable UTC text, microseconds kept."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_z(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _as_instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:  # Phorest stamps are UTC; an offset-less one is read so
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _as_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def encode(item: Mapping[str, Any]) -> bytes:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()


class OddRow(ValueError):
    """A row the cache cannot key (no id, no date for a windowed stream): quarantined."""


def row_of(spec: StreamSpec, item: object, raw: bytes) -> Row:
    """The cache row of one API item (``raw`` is its JSON as received)."""
    if not isinstance(item, dict):
        raise OddRow("an object")
    row_id = next((item[f] for f in spec.ids if isinstance(item.get(f), str | int)
                   and not isinstance(item.get(f), bool) and str(item[f])), None)
    if row_id is None:
        raise OddRow(f"an id ({' or '.join(spec.ids)})")
    day = None
    if spec.day_field is not None:
        day = _as_date(item.get(spec.day_field))
        if day is None:
            raise OddRow(f"a date in {spec.day_field}")
    return Row(str(row_id), raw, day, _as_int(item.get("version")),
               _as_instant(item.get("updatedAt")), item.get("deleted") is True,
               item.get("activationState") == "CANCELED")


def split_timetable(item: object) -> list[Row]:
    """A work-timetable row (one staff member, many days) as one cache row per local day.

    The API has no id per slot and windows overlap as they slide, so a (staff, day) row is
    the unit that a re-fetch can replace and a vanished day can be marked gone. Every field
    of the row and of each slot is kept; only the slot list is cut by day.
    """
    if not isinstance(item, dict) or not isinstance(item.get("timeSlots"), list):
        raise OddRow("a work timetable with timeSlots")
    staff = item.get("staffId")
    if not isinstance(staff, str | int) or isinstance(staff, bool) or not str(staff):
        raise OddRow("an id (staffId)")
    by_day: dict[date, list[Any]] = {}
    for slot in item["timeSlots"]:
        day = _as_date(slot.get("date")) if isinstance(slot, dict) else None
        if day is None:
            raise OddRow("time slots with a date")
        by_day.setdefault(day, []).append(slot)
    return [Row(f"{staff}:{day.isoformat()}", encode({**item, "timeSlots": slots}), day,
                _as_int(item.get("version")), _as_instant(item.get("updatedAt")))
            for day, slots in by_day.items()]
