"""The SQLite store: standard library ``sqlite3``, WAL, one file, no server.

Every write is one transaction (a page of rows and its progress, or the end of a fetch with
its window), so a killed sync leaves whole pages and never a window recorded as covered
that was not completely written. Readers see one consistent state (WAL snapshot isolation)
while a sync writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ._errors import CacheError
from ._model import (
    Change,
    Compiled,
    Progress,
    Row,
    StreamKey,
    StreamState,
    Window,
    iso_z,
    parse_z,
)

SCHEMA_VERSION = "1"

# A stream's rows compiled into the engine's columns (see _compiled.py), as of change
# marker ``marker``: a snapshot reads it plus the rows changed since, not every raw row.
# Derived data, so adding the table to a schema-1 cache is no migration: it is created
# when missing (and simply not used by a cache opened read-only).
_COMPILED_TABLE = """
CREATE TABLE IF NOT EXISTS compiled (
    business TEXT NOT NULL, branch TEXT NOT NULL, stream TEXT NOT NULL,
    marker INTEGER NOT NULL, format TEXT NOT NULL, blob BLOB NOT NULL,
    PRIMARY KEY (business, branch, stream)
);
"""

# Requests spent per key (a platform's business/location, no credential) and UTC day:
# a daily request budget (PNE's gateway plan) that holds across polls and processes.
# Bookkeeping, so like ``compiled`` it is created when missing, not a schema change.
_BUDGET_TABLE = """
CREATE TABLE IF NOT EXISTS budget (
    business TEXT NOT NULL, branch TEXT NOT NULL, day TEXT NOT NULL,
    used INTEGER NOT NULL, PRIMARY KEY (business, branch, day)
);
"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per platform row: the raw JSON as the API gave it, beside the columns the upsert
-- and the engine need. Rows that turn deleted or canceled keep their flags; rows that vanish
-- from a complete listing get gone_at, and are kept.
CREATE TABLE IF NOT EXISTS rows (
    business   TEXT NOT NULL,
    branch     TEXT NOT NULL,        -- '' for business-level streams (clients, ...)
    stream     TEXT NOT NULL,        -- the snapshot key: appointments, breaks, staff, ...
    id         TEXT NOT NULL,        -- the platform's id (staffId:date for work timetables)
    raw        BLOB NOT NULL,        -- UTF-8 JSON, as received
    day        TEXT,                 -- local date of a windowed row (yyyy-mm-dd)
    version    INTEGER,
    updated_at TEXT,                 -- UTC, sortable text (see iso_z)
    deleted    INTEGER NOT NULL DEFAULT 0,
    canceled   INTEGER NOT NULL DEFAULT 0,
    gone_at    TEXT,
    fetched_at TEXT NOT NULL,
    seq        INTEGER NOT NULL,     -- change sequence: what changed since a marker
    PRIMARY KEY (business, branch, stream, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rows_seq ON rows (business, branch, stream, seq);
CREATE INDEX IF NOT EXISTS rows_day ON rows (business, branch, stream, day);
CREATE TABLE IF NOT EXISTS windows (
    business TEXT NOT NULL, branch TEXT NOT NULL, stream TEXT NOT NULL,
    start TEXT NOT NULL, "end" TEXT NOT NULL, fetched_at TEXT NOT NULL,
    PRIMARY KEY (business, branch, stream, start)
);
CREATE TABLE IF NOT EXISTS streams (
    business TEXT NOT NULL, branch TEXT NOT NULL, stream TEXT NOT NULL,
    fetched_at TEXT, watermark TEXT, last_error TEXT,
    PRIMARY KEY (business, branch, stream)
);
CREATE TABLE IF NOT EXISTS progress (
    business TEXT NOT NULL, branch TEXT NOT NULL, stream TEXT NOT NULL, task TEXT NOT NULL,
    next_page INTEGER NOT NULL, started_at TEXT NOT NULL,
    PRIMARY KEY (business, branch, stream, task)
);
CREATE TABLE IF NOT EXISTS quarantine (
    business TEXT NOT NULL, branch TEXT NOT NULL, stream TEXT NOT NULL,
    "where" TEXT NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL, at TEXT NOT NULL
);
""" + _COMPILED_TABLE + _BUDGET_TABLE

# An older copy never overwrites a newer one: version decides, then updatedAt; copies of
# the same age are taken when they differ (rows without either: the latest fetch wins).
_UPSERT = """
INSERT INTO rows (business, branch, stream, id, raw, day, version, updated_at, deleted,
                  canceled, gone_at, fetched_at, seq)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
ON CONFLICT (business, branch, stream, id) DO UPDATE SET
    raw = excluded.raw, day = excluded.day, version = excluded.version,
    updated_at = excluded.updated_at, deleted = excluded.deleted,
    canceled = excluded.canceled, gone_at = NULL, fetched_at = excluded.fetched_at,
    seq = excluded.seq
WHERE (CASE
        WHEN excluded.version IS NOT NULL AND rows.version IS NOT NULL
             AND excluded.version <> rows.version THEN excluded.version > rows.version
        WHEN excluded.updated_at IS NOT NULL AND rows.updated_at IS NOT NULL
             AND excluded.updated_at <> rows.updated_at
             THEN excluded.updated_at > rows.updated_at
        ELSE 1 END)
  AND (rows.gone_at IS NOT NULL OR excluded.raw <> rows.raw)
"""


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class SQLiteStore:
    """A cache in one SQLite file (``sqlite:///path``)."""

    def __init__(self, url: str, path: str, *, create: bool, timeout: float = 5.0) -> None:
        self.url = url
        self.path = path
        self._timeout = timeout
        if path != ":memory:" and not create and not Path(path).is_file():
            raise CacheError(url, "no cache file there (run `booking-rules sync` first)")
        try:
            # Autocommit mode: transactions are opened explicitly, one per page.
            self._db = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise CacheError(url, f"cannot open it ({exc})") from None
        try:
            self._setup(create)
        except CacheError:
            self._db.close()
            raise
        except sqlite3.Error as exc:
            self._db.close()
            raise CacheError(url, _problem(exc)) from None

    def _setup(self, create: bool) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() not in {"wal", "memory"}:
            raise CacheError(self.url, "cannot switch it to WAL mode (a read-only place?)")
        db.execute("PRAGMA synchronous = NORMAL")
        tables = {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            if tables:
                raise CacheError(self.url, "an SQLite file that is not a booking-rules cache")
            if not create:
                raise CacheError(self.url, "an empty file, not a booking-rules cache")
            try:
                # One script, one transaction: two processes creating the same file at
                # once serialize on BEGIN IMMEDIATE; IF NOT EXISTS / OR IGNORE make it safe.
                db.executescript(
                    "BEGIN IMMEDIATE;" + _SCHEMA + "INSERT OR IGNORE INTO meta VALUES "
                    f"('schema', '{SCHEMA_VERSION}'), ('seq', '0'); COMMIT;")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if version is None or version[0] != SCHEMA_VERSION:
            found = None if version is None else version[0]
            raise CacheError(self.url, f"a cache of schema {SCHEMA_VERSION}, found {found}")
        if "compiled" not in tables:
            with contextlib.suppress(sqlite3.Error):  # read-only or busy: used without it
                db.executescript(_COMPILED_TABLE)
        if "budget" not in tables:
            with contextlib.suppress(sqlite3.Error):  # read-only: spending fails later
                db.executescript(_BUDGET_TABLE)
        self.has_compiled = "compiled" in {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}

    @contextmanager
    def write(self) -> Iterator[_SQLiteWriter]:
        """One write transaction: everything inside lands, or nothing does."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise CacheError(self.url, _problem(exc)) from None
        writer = _SQLiteWriter(self._db, self.has_compiled)
        try:
            yield writer
            writer.close()
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise CacheError(self.url, _problem(exc)) from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def read(self) -> Iterator[_SQLiteReader]:
        """One read transaction: a consistent state, whatever a sync writes meanwhile."""
        try:
            self._db.execute("BEGIN")
            yield _SQLiteReader(self._db, self.has_compiled)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise CacheError(self.url, _problem(exc)) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            # The connection is going away with its error anyway.
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def close(self) -> None:
        self._db.close()


def _problem(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "the cache file is locked by another process (database is locked)"
    if "not a database" in text:
        return "not an SQLite database (file is not a database)"
    if "readonly" in text:
        return "the cache file is read-only (attempt to write a readonly database)"
    if "unable to open" in text:
        return "the cache file cannot be opened (unable to open database file)"
    return f"an SQLite error ({text})"


class _SQLiteWriter:
    def __init__(self, db: sqlite3.Connection, has_compiled: bool = True) -> None:
        self._db = db
        self._seq: int | None = None
        self._has_compiled = has_compiled

    def put_compiled(self, key: StreamKey, compiled: Compiled) -> bool:
        """Store a stream's compiled form (replacing the older one); False when this cache
        has no place for it (opened read-only before the table existed)."""
        if not self._has_compiled:
            return False
        self._db.execute("INSERT OR REPLACE INTO compiled VALUES (?, ?, ?, ?, ?, ?)",
                         (key.business, key.branch, key.stream, compiled.marker,
                          compiled.format, compiled.blob))
        return True

    def spend(self, business: str, branch: str, day: date, limit: int) -> int | None:
        """Count one request of ``day`` (UTC) for the key, unless ``limit`` are counted
        already: the new count, or None when the day's budget is spent."""
        k = (business, branch, day.isoformat())
        row = self._db.execute("SELECT used FROM budget WHERE business = ? AND branch = ? "
                               "AND day = ?", k).fetchone()
        used = 0 if row is None else int(row[0])
        if used >= limit:
            return None
        self._db.execute("INSERT OR REPLACE INTO budget VALUES (?, ?, ?, ?)", (*k, used + 1))
        return used + 1

    def _next_seq(self) -> int:
        # One sequence number per transaction: a marker is "every row written after it".
        if self._seq is None:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
            self._seq = int(row[0]) + 1
        return self._seq

    def close(self) -> None:
        if self._seq is not None:
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (str(self._seq),))

    def upsert(self, key: StreamKey, rows: Sequence[Row], fetched_at: datetime) -> int:
        if not rows:
            return 0
        seq, at = self._next_seq(), iso_z(fetched_at)
        before = self._db.total_changes
        self._db.executemany(_UPSERT, [
            (key.business, key.branch, key.stream, r.id, r.raw, _day(r.day), r.version,
             None if r.updated_at is None else iso_z(r.updated_at), int(r.deleted),
             int(r.canceled), at, seq) for r in rows])
        return self._db.total_changes - before

    def mark_gone(self, key: StreamKey, seen: set[str], at: datetime,
                  window: tuple[date, date] | None = None) -> int:
        sql = ("SELECT id FROM rows WHERE business = ? AND branch = ? AND stream = ? "
               "AND gone_at IS NULL")
        args: list[Any] = [key.business, key.branch, key.stream]
        if window is not None:
            sql += " AND day BETWEEN ? AND ?"
            args += [window[0].isoformat(), window[1].isoformat()]
        vanished = [r[0] for r in self._db.execute(sql, args) if r[0] not in seen]
        if not vanished:
            return 0
        seq = self._next_seq()
        self._db.executemany(
            "UPDATE rows SET gone_at = ?, seq = ? WHERE business = ? AND branch = ? "
            "AND stream = ? AND id = ?",
            [(iso_z(at), seq, key.business, key.branch, key.stream, i) for i in vanished])
        return len(vanished)

    def record_window(self, key: StreamKey, window: Window) -> None:
        """Add a covered window; older windows it overlaps are cut back to what it does not
        cover, keeping their own fetched-at."""
        k = (key.business, key.branch, key.stream)
        old = [(date.fromisoformat(s), date.fromisoformat(e), f) for s, e, f in self._db.execute(
            'SELECT start, "end", fetched_at FROM windows WHERE business = ? AND branch = ? '
            'AND stream = ? AND start <= ? AND "end" >= ?',
            (*k, window.end.isoformat(), window.start.isoformat()))]
        keep: list[tuple[date, date, str]] = []
        for s, e, f in old:
            self._db.execute("DELETE FROM windows WHERE business = ? AND branch = ? AND "
                             "stream = ? AND start = ?", (*k, s.isoformat()))
            if s < window.start:
                keep.append((s, window.start - timedelta(days=1), f))
            if e > window.end:
                keep.append((window.end + timedelta(days=1), e, f))
        keep.append((window.start, window.end, iso_z(window.fetched_at)))
        self._db.executemany("INSERT INTO windows VALUES (?, ?, ?, ?, ?, ?)",
                             [(*k, s.isoformat(), e.isoformat(), f) for s, e, f in keep])

    def _stream_row(self, key: StreamKey) -> None:
        self._db.execute("INSERT OR IGNORE INTO streams (business, branch, stream) "
                         "VALUES (?, ?, ?)", (key.business, key.branch, key.stream))

    def finish(self, key: StreamKey, fetched_at: datetime, *,
               watermark: datetime | None = None) -> None:
        self._stream_row(key)
        self._db.execute(
            "UPDATE streams SET fetched_at = ?, watermark = COALESCE(?, watermark), "
            "last_error = NULL WHERE business = ? AND branch = ? AND stream = ?",
            (iso_z(fetched_at), None if watermark is None else iso_z(watermark),
             key.business, key.branch, key.stream))

    def fail(self, key: StreamKey, message: str) -> None:
        self._stream_row(key)
        self._db.execute("UPDATE streams SET last_error = ? WHERE business = ? AND "
                         "branch = ? AND stream = ?",
                         (message, key.business, key.branch, key.stream))

    def set_progress(self, key: StreamKey, progress: Progress) -> None:
        self._db.execute("INSERT OR REPLACE INTO progress VALUES (?, ?, ?, ?, ?, ?)",
                         (key.business, key.branch, key.stream, progress.task,
                          progress.next_page, iso_z(progress.started_at)))

    def clear_progress(self, key: StreamKey, task: str) -> None:
        self._db.execute("DELETE FROM progress WHERE business = ? AND branch = ? AND "
                         "stream = ? AND task = ?",
                         (key.business, key.branch, key.stream, task))

    def quarantine(self, key: StreamKey, where: str, reason: str, raw: bytes,
                   at: datetime) -> None:
        self._db.execute("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (key.business, key.branch, key.stream, where, reason, raw,
                          iso_z(at)))


class _SQLiteReader:
    def __init__(self, db: sqlite3.Connection, has_compiled: bool = True) -> None:
        self._db = db
        self._has_compiled = has_compiled

    def compiled(self, key: StreamKey) -> Compiled | None:
        if not self._has_compiled:
            return None
        row = self._db.execute(
            "SELECT marker, format, blob FROM compiled WHERE business = ? AND branch = ? "
            "AND stream = ?", (key.business, key.branch, key.stream)).fetchone()
        return None if row is None else Compiled(int(row[0]), str(row[1]), bytes(row[2]))

    def spent(self, business: str, branch: str, day: date) -> int:
        """Requests counted for the key on ``day`` (UTC)."""
        with contextlib.suppress(sqlite3.OperationalError):  # no budget table: none
            row = self._db.execute("SELECT used FROM budget WHERE business = ? AND "
                                   "branch = ? AND day = ?",
                                   (business, branch, day.isoformat())).fetchone()
            return 0 if row is None else int(row[0])
        return 0

    def changed_since(self, key: StreamKey, marker: int) -> bool:
        # The (business, branch, stream, seq) index answers this without a scan.
        return self._db.execute(
            "SELECT 1 FROM rows WHERE business = ? AND branch = ? AND stream = ? AND "
            "seq > ? LIMIT 1", (key.business, key.branch, key.stream, marker)
        ).fetchone() is not None

    def state(self, key: StreamKey, *, counts: bool = True) -> StreamState | None:
        k = (key.business, key.branch, key.stream)
        row = self._db.execute(
            "SELECT fetched_at, watermark, last_error FROM streams WHERE business = ? AND "
            "branch = ? AND stream = ?", k).fetchone()
        # Counting walks the stream's rows (their JSON is stored inline): status wants
        # it, a snapshot does not.
        counted = self._db.execute(
            "SELECT COUNT(*), COUNT(gone_at) FROM rows WHERE business = ? AND branch = ? "
            "AND stream = ?", k).fetchone() if counts else (0, 0)
        windows = tuple(Window(date.fromisoformat(s), date.fromisoformat(e), _instant(f))
                        for s, e, f in self._db.execute(
                            'SELECT start, "end", fetched_at FROM windows WHERE business = ? '
                            "AND branch = ? AND stream = ? ORDER BY start", k))
        if row is None and not counted[0] and not windows:
            return None
        quarantined = self._db.execute(
            "SELECT COUNT(*) FROM quarantine WHERE business = ? AND branch = ? AND "
            "stream = ?", k).fetchone()[0] if counts else 0
        fetched, watermark, error = row if row is not None else (None, None, None)
        return StreamState(key, parse_z(fetched), parse_z(watermark), error, windows,
                           counted[0] - counted[1], counted[1], quarantined)

    def states(self, business: str | None = None) -> list[StreamState]:
        sql = ("SELECT business, branch, stream FROM streams UNION "
               "SELECT DISTINCT business, branch, stream FROM rows")
        keys = sorted({StreamKey(*r) for r in self._db.execute(sql)
                       if business is None or r[0] == business},
                      key=lambda k: (k.business, k.branch, k.stream))
        return [s for k in keys if (s := self.state(k)) is not None]

    def raw_rows(self, key: StreamKey) -> list[bytes]:
        return [r[0] for r in self._db.execute(
            "SELECT raw FROM rows WHERE business = ? AND branch = ? AND stream = ? AND "
            "gone_at IS NULL ORDER BY id", (key.business, key.branch, key.stream))]

    def changes_since(self, key: StreamKey, marker: int) -> list[Change]:
        return [Change(i, raw, gone is not None, seq) for i, raw, gone, seq in self._db.execute(
            "SELECT id, raw, gone_at, seq FROM rows WHERE business = ? AND branch = ? AND "
            "stream = ? AND seq > ? ORDER BY seq, id",
            (key.business, key.branch, key.stream, marker))]

    def marker(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return int(row[0])

    def progress(self, key: StreamKey, task: str) -> Progress | None:
        row = self._db.execute(
            "SELECT next_page, started_at FROM progress WHERE business = ? AND branch = ? "
            "AND stream = ? AND task = ?",
            (key.business, key.branch, key.stream, task)).fetchone()
        return None if row is None else Progress(task, int(row[0]), _instant(row[1]))

    def branches(self, business: str | None = None) -> list[tuple[str, str]]:
        # Businesses from the small streams table, then each one's branch rows by key
        # prefix: a filter on stream alone would walk every row of the cache.
        owners = [business] if business is not None else [b for (b,) in self._db.execute(
            "SELECT DISTINCT business FROM streams WHERE branch = '' AND stream = 'branch' "
            "ORDER BY business")]
        return [(b, i) for b in owners for (i,) in self._db.execute(
            "SELECT id FROM rows WHERE business = ? AND branch = '' AND stream = 'branch' "
            "AND gone_at IS NULL ORDER BY id", (b,))]


def _instant(text: str) -> datetime:
    parsed = parse_z(text)
    assert parsed is not None  # the column is NOT NULL
    return parsed
