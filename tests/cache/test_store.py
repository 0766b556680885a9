"""The SQLite store behind the Store protocol: upserts, gone rows, windows, errors."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cache import (
    STREAMS,
    Cache,
    CacheError,
    Row,
    StreamKey,
    Window,
    open_cache,
    open_store,
)
from booking_rules.cache._model import encode, row_of, split_timetable

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
APPTS = StreamKey("biz", "br_1", "appointments")


def _appt(ident: str, version: int | None, updated: str | None = None,
          **extra: Any) -> Row:
    item: dict[str, Any] = {"appointmentId": ident, "appointmentDate": "2026-12-01",
                            **extra}
    if version is not None:
        item["version"] = version
    if updated is not None:
        item["updatedAt"] = updated
    return row_of(STREAMS["appointments"], item, encode(item))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with open_cache(f"sqlite:///{tmp_path / 'c.db'}", create=True) as c:
        yield c


def _rows(cache: Cache, key: StreamKey = APPTS) -> dict[str, Any]:
    with cache.store.read() as r:
        return {json.loads(raw)["appointmentId"]: json.loads(raw) for raw in r.raw_rows(key)}


def test_an_older_copy_never_overwrites_a_newer_one(cache: Cache) -> None:
    with cache.store.write() as w:
        assert w.upsert(APPTS, [_appt("a", 2, staffId="s_new")], T0) == 1
    with cache.store.write() as w:
        assert w.upsert(APPTS, [_appt("a", 1, staffId="s_old")], T0) == 0
    assert _rows(cache)["a"]["staffId"] == "s_new"
    with cache.store.write() as w:  # the same version again, unchanged: nothing written
        assert w.upsert(APPTS, [_appt("a", 2, staffId="s_new")], T0) == 0
    with cache.store.write() as w:
        assert w.upsert(APPTS, [_appt("a", 3, staffId="s_3")], T0) == 1
    assert _rows(cache)["a"]["staffId"] == "s_3"


def test_updated_at_decides_when_versions_are_missing_or_equal(cache: Cache) -> None:
    late, early = "2026-11-01T12:00:01.000Z", "2026-11-01T12:00:00.500Z"
    with cache.store.write() as w:
        w.upsert(APPTS, [_appt("a", None, late, staffId="late")], T0)
        assert w.upsert(APPTS, [_appt("a", None, early, staffId="early")], T0) == 0
        # The same instant in another notation is the same age.
        assert w.upsert(APPTS, [_appt("a", None, "2026-11-01T07:00:01-05:00",
                                      staffId="same-age")], T0) == 1
    assert _rows(cache)["a"]["staffId"] == "same-age"


def test_rows_without_version_or_stamp_take_the_latest_fetch(cache: Cache) -> None:
    key = StreamKey("biz", "br_1", "staff")
    spec = STREAMS["staff"]
    for name in ("Lisa", "Lisa M."):
        item = {"staffId": "stf_1", "firstName": name}
        with cache.store.write() as w:
            w.upsert(key, [row_of(spec, item, encode(item))], T0)
    with cache.store.read() as r:
        assert [json.loads(x)["firstName"] for x in r.raw_rows(key)] == ["Lisa M."]


def test_deleted_and_canceled_rows_are_kept_with_their_state(cache: Cache) -> None:
    with cache.store.write() as w:
        w.upsert(APPTS, [_appt("d", 1, deleted=True),
                         _appt("c", 1, activationState="CANCELED")], T0)
    assert set(_rows(cache)) == {"c", "d"}
    db = sqlite3.connect(cache.url.removeprefix("sqlite:///"))
    got = sorted(db.execute("SELECT id, deleted, canceled FROM rows"))
    assert got == [("c", 0, 1), ("d", 1, 0)]


def test_vanished_rows_are_marked_gone_kept_and_come_back(cache: Cache) -> None:
    with cache.store.write() as w:
        w.upsert(APPTS, [_appt("a", 1), _appt("b", 1)], T0)
    with cache.store.read() as r:
        marker = r.marker()
    with cache.store.write() as w:
        assert w.mark_gone(APPTS, {"a"}, T0, (date(2026, 12, 1), date(2026, 12, 1))) == 1
        assert w.mark_gone(APPTS, {"a"}, T0, (date(2026, 12, 1), date(2026, 12, 1))) == 0
    assert set(_rows(cache)) == {"a"}
    with cache.store.read() as r:
        state = r.state(APPTS)
        changes = r.changes_since(APPTS, marker)
    assert state is not None and (state.rows, state.gone) == (1, 1)
    assert [(c.id, c.gone) for c in changes] == [("b", True)]  # only b changed since
    with cache.store.write() as w:  # seen again, even at the same version: back
        assert w.upsert(APPTS, [_appt("b", 1)], T0) == 1
    assert set(_rows(cache)) == {"a", "b"}


def test_a_failed_transaction_leaves_nothing(cache: Cache) -> None:
    with pytest.raises(RuntimeError), cache.store.write() as w:
        w.upsert(APPTS, [_appt("a", 1)], T0)
        w.record_window(APPTS, Window(date(2026, 12, 1), date(2026, 12, 31), T0))
        raise RuntimeError("killed between the page and its window")
    assert _rows(cache) == {}
    with cache.store.read() as r:
        assert r.state(APPTS) is None
        assert r.marker() == 0


def test_windows_merge_and_cut_back_older_ones(cache: Cache) -> None:
    t1 = T0 + timedelta(hours=1)
    with cache.store.write() as w:
        w.record_window(APPTS, Window(date(2026, 11, 1), date(2026, 11, 30), T0))
        w.record_window(APPTS, Window(date(2026, 12, 1), date(2026, 12, 31), T0))
        w.record_window(APPTS, Window(date(2026, 11, 20), date(2026, 12, 10), t1))
    with cache.store.read() as r:
        state = r.state(APPTS)
    assert state is not None
    assert [(w.start.day, w.end.day, w.fetched_at) for w in state.windows] == [
        (1, 19, T0), (20, 10, t1), (11, 31, T0)]


def test_timetables_are_cached_per_staff_and_day_with_every_field(cache: Cache) -> None:
    item = {"staffId": "s1", "branchId": "br_1", "timeSlots": [
        {"date": "2026-12-01", "startTime": "09:00:00", "endTime": "12:00:00",
         "type": "WORKING", "workActivityId": "wa"},
        {"date": "2026-12-01", "startTime": "13:00:00", "endTime": "17:00:00",
         "type": "WORKING"},
        {"date": "2026-12-02", "startTime": "09:00:00", "endTime": "17:00:00",
         "type": "NON_WORKING"}]}
    rows = split_timetable(item)
    assert [(r.id, r.day) for r in rows] == [("s1:2026-12-01", date(2026, 12, 1)),
                                             ("s1:2026-12-02", date(2026, 12, 2))]
    merged = [s for r in rows for s in json.loads(r.raw)["timeSlots"]]
    assert merged == item["timeSlots"]
    assert all(json.loads(r.raw)["branchId"] == "br_1" for r in rows)


@pytest.mark.parametrize(("url", "said"), [
    ("postgres://x/y", "a cache URL starting with sqlite://"),
    ("cache.db", "a cache URL starting with sqlite://"),
    ("sqlite://host/x.db", "no host"),
    ("sqlite:///", "a file path after sqlite:///"),
    ("sqlite:///c.db?mode=ro", "only the option ?timeout=SECONDS"),
])
def test_bad_cache_urls(url: str, said: str) -> None:
    with pytest.raises(CacheError, match=re.escape(said)):
        open_store(url)


def test_unusable_cache_files_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CacheError, match="no cache file there"):
        open_cache(f"sqlite:///{tmp_path / 'missing.db'}")
    text = tmp_path / "notes.db"
    text.write_text("hello, this is not a database " * 100)
    with pytest.raises(CacheError, match="not an SQLite database"):
        open_cache(f"sqlite:///{text}")
    foreign = tmp_path / "other.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(CacheError, match="not a booking-rules cache"):
        open_cache(f"sqlite:///{foreign}")
    with pytest.raises(CacheError, match=r"cannot open it|cannot be opened"):
        open_cache(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}", create=True)
    assert isinstance(CacheError("u", "p"), br.InputError)


def test_a_locked_cache_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}?timeout=0.05"
    with open_cache(url, create=True) as cache:
        holder = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(CacheError, match="locked by another process"), \
                    cache.store.write() as w:
                w.upsert(APPTS, [_appt("a", 1)], T0)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        with cache.store.write() as w:  # free again: it works
            assert w.upsert(APPTS, [_appt("a", 1)], T0) == 1


def test_odd_rows_are_refused_for_quarantine() -> None:
    from booking_rules.cache._model import OddRow

    with pytest.raises(OddRow, match="an id"):
        row_of(STREAMS["staff"], {"firstName": "x"}, b"{}")
    with pytest.raises(OddRow, match="a date in breakDate"):
        row_of(STREAMS["breaks"], {"breakId": "b"}, b"{}")
    with pytest.raises(OddRow, match="an object"):
        row_of(STREAMS["breaks"], ["x"], b"[]")
