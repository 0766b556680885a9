"""Snapshots from the cache: load_snapshot on a cache, the compiled history, refresh."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cache import Cache, CacheError, StreamKey, open_cache
from booking_rules.cli.main import main

from .conftest import BRANCH, Clock, MakeSyncer
from .fake_phorest import BUSINESS, FakePhorest
from .test_sync import _requests


def _same_reports(a: br.Snapshot, b: br.Snapshot, now: Any) -> None:
    for request in _requests():
        assert br.check(a, request, now=now).to_json() == br.check(b, request, now=now
                                                                   ).to_json()


def test_load_snapshot_reads_a_cache_by_url_or_by_its_file(
        make_syncer: MakeSyncer, cache: Cache, cache_url: str, clock: Clock,
        tmp_path: Path) -> None:
    assert make_syncer().poll(refresh_all=True).ok
    path = cache_url.removeprefix("sqlite:///")
    by_url = br.load_snapshot(cache_url, branch=BRANCH)
    by_path = br.load_snapshot(Path(path))  # the one branch it holds: no need to name it
    _same_reports(by_url, by_path, clock.now)
    _same_reports(by_url, cache.snapshot_at(BRANCH, compiled=False)[0], clock.now)
    with pytest.raises(CacheError, match=r"no branch 'br_nope'.*br_tor"):
        br.load_snapshot(path, branch="br_nope")
    # A JSON snapshot is never taken for a cache; its --branch must match.
    example = tmp_path / "salon.json"
    example.write_text(json.dumps(cache.document(BRANCH)[0]))
    assert br.load_snapshot(example, branch=BRANCH).branch.id == BRANCH
    with pytest.raises(br.InputError, match=r"at --branch: expected the id of the snapshot"):
        br.load_snapshot(example, branch="br_other")


def test_the_cli_checks_against_a_cache(make_syncer: MakeSyncer, cache_url: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert make_syncer().poll(refresh_all=True).ok
    request = Path(__file__).parents[2] / "docs/examples/requests/new_client_cut.json"
    code = main(["check", "--snapshot", cache_url, "--branch", BRANCH, "--request",
                 str(request), "--now", "2026-11-01T12:05:00Z", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["verdict"] == "PASS"
    assert out["snapshot"]["ageSeconds"] == 300
    assert out["snapshot"]["streams"]["appointments"] == {
        "fetchedAt": "2026-11-01T12:00:00Z", "ageSeconds": 300}
    assert main(["check", "--snapshot", cache_url, "--branch", "br_nope", "--request",
                 str(request)]) == 2
    assert "no branch 'br_nope'" in capsys.readouterr().err


def test_the_compiled_history_is_used_and_a_foreign_one_ignored(
        make_syncer: MakeSyncer, cache: Cache, clock: Clock, fake: FakePhorest) -> None:
    syncer = make_syncer()
    assert syncer.poll(refresh_all=True).ok
    key = StreamKey.of(BUSINESS, BRANCH, "appointments")
    first = cache.snapshot(BRANCH)  # reads the raw rows, then compiles them
    with cache.store.read() as r:
        packed = r.compiled(key)
    assert packed is not None and packed.marker == cache.changes_since(BRANCH, 0)[1]
    # Rows written since are laid over the compiled history.
    clock.advance(minutes=2)
    fake.move("ap_mary_cut", "2026-12-02", "11:00:00", "11:45:00")
    assert syncer.poll().rows_changed == 1
    assert cache.compiled_lag(BRANCH) == 1
    lagging = cache.snapshot(BRANCH)
    assert set(lagging.delta.upserts) == {"ap_mary_cut"}
    _same_reports(lagging, cache.snapshot_at(BRANCH, compiled=False)[0], clock.now)
    assert first is not lagging
    # A blob of another layout (another version, another byte order) is not read.
    with cache.store.write() as w:
        w.put_compiled(key, type(packed)(packed.marker, "table-0:other", b"\x80"))
    again = cache.snapshot(BRANCH)
    assert not again.delta.upserts  # rebuilt from the raw rows, and compiled again
    with cache.store.read() as r:
        assert r.compiled(key).format != "table-0:other"  # type: ignore[union-attr]


def test_refresh_lays_changes_over_and_rebuilds_on_reference_changes(
        make_syncer: MakeSyncer, cache: Cache, clock: Clock, fake: FakePhorest,
        salon: dict[str, Any]) -> None:
    syncer = make_syncer()
    assert syncer.poll(refresh_all=True).ok
    snap = cache.snapshot(BRANCH)
    assert cache.refresh(snap) is snap  # nothing changed
    clock.advance(minutes=2)
    fake.cancel("ap_mary_cut")
    fake.delete("ap_offer1")
    assert syncer.poll().ok
    fresh = cache.refresh(snap)
    assert set(fresh.delta.upserts) == {"ap_mary_cut", "ap_offer1"}
    assert snap.delta.upserts == {}  # the old one is untouched
    assert fresh.coverage.fetched_at is not None and snap.coverage.fetched_at is not None
    assert fresh.coverage.fetched("appointments") > snap.coverage.fetched("appointments")  # type: ignore[operator]
    _same_reports(fresh, cache.snapshot_at(BRANCH, compiled=False)[0], clock.now)
    # A staff change is reference data: the snapshot is rebuilt, not overlaid.
    fake.lists["staff"][0] = {**fake.lists["staff"][0], "firstName": "Renamed"}
    clock.advance(hours=2)  # reference lists are due again
    assert syncer.poll().ok
    rebuilt = cache.refresh(fresh)
    renamed = fake.lists["staff"][0]["staffId"]
    assert "Renamed" in rebuilt.staff[renamed].name
    assert "Renamed" not in fresh.staff[renamed].name
    _same_reports(rebuilt, cache.snapshot_at(BRANCH, compiled=False)[0], clock.now)
    # A snapshot the cache did not build cannot be refreshed by it.
    with pytest.raises(CacheError, match="refresh takes a snapshot this cache built"):
        cache.refresh(br.load_snapshot(salon))
    with open_cache(cache.url) as other:  # another Cache on the same file can
        assert other.refresh(rebuilt) is rebuilt
