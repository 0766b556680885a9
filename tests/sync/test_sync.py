"""The sync against the in-process fake Phorest: equivalence, incremental polls, faults."""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cache import Cache, StreamKey
from booking_rules.sync import PollSummary, RetryPolicy, month_chunks
from tests.conftest import ROOT

from .conftest import BRANCH, START, Clock, MakeSyncer
from .fake_phorest import BUSINESS, FakePhorest, Killed

REQUESTS = sorted((ROOT / "docs" / "examples" / "requests").glob("*.json"))


def _requests() -> list[Any]:
    """The example booking requests, plus bodies aimed at each kind of data the sync
    brings. The writes beyond bookings (clients, purchases, vouchers, ...) read business
    records the sync does not fetch yet; tests/rules/test_writes.py checks them."""
    examples = [json.loads(p.read_text()) for p in REQUESTS]
    out: list[Any] = [r for r in examples
                      if r.get("kind", "createBooking") in ("createBooking", "updateAppointment")]
    assert len(out) >= 4, "the example booking requests"

    def booking(client: str, *schedules: dict[str, Any]) -> dict[str, Any]:
        return {"kind": "createBooking", "body": {
            "clientId": client, "bookingStatus": "ACTIVE",
            "clientAppointmentSchedules": [{"clientId": client,
                                            "serviceSchedules": list(schedules)}]}}

    out += [
        booking("cli_new", {"serviceId": "svc_cut", "staffId": "stf_lisa",
                            "startTime": "2026-12-01T15:15:00Z"}),  # over Mary's cut
        booking("cli_new", {"serviceId": "svc_colour", "staffId": "stf_john",
                            "startTime": "2026-12-02T15:00:00Z"}),  # unqualified
        booking("cli_new", {"serviceId": "svc_cut", "staffId": "stf_ann",
                            "startTime": "2026-12-05T12:00:00Z"}),  # a Saturday
        booking("cli_cara", {"serviceId": "svc_laser", "staffId": "stf_ann",
                             "startTime": "2026-11-10T15:00:00Z", "roomId": "room_a",
                             "machineId": "mach_laser", "clientCourseItemId": "cci_cara"}),
        booking("cli_new", {"serviceId": "svc_facial", "staffId": "stf_ann",
                            "startTime": "2026-12-01T16:00:00Z", "roomId": "room_b"}),
        booking("cli_new", {"serviceId": "svc_cut", "staffId": "stf_olga",
                            "startTime": "2026-12-01T16:00:00Z"}),  # archived staff
    ]
    return out


def _report(snapshot: br.Snapshot, request: Any) -> dict[str, Any]:
    return br.check(snapshot, request, now=START).to_dict()


def _standing(cache: Cache, stream: str) -> dict[str, Any]:
    key = StreamKey.of(BUSINESS, BRANCH, stream)
    with cache.store.read() as r:
        rows = [json.loads(raw) for raw in r.raw_rows(key)]
    field = {"appointments": "appointmentId", "breaks": "breakId"}[stream]
    return {row[field]: row for row in rows}


def _assert_same_as_fake(cache: Cache, fake: FakePhorest) -> None:
    """Every appointment and break of the fake is in the cache exactly as served, and the
    cache holds no other (0 missed, 0 duplicated: keyed by id, so a duplicate would be a
    second key)."""
    assert _standing(cache, "appointments") == fake.appointments
    assert _standing(cache, "breaks") == {b["breakId"]: b for b in fake.breaks}
    doc, _ = cache.document(BRANCH)
    assert sorted(doc["workTimeTables"], key=lambda t: t["staffId"]) == sorted(
        (t for t in fake.state()["workTimeTables"] if t["timeSlots"]),
        key=lambda t: t["staffId"])
    for name, rows in fake.lists.items():
        if name == "staff":  # the sync asks for archived staff too
            assert len(doc[name]) == len(rows)
        assert sorted(json.dumps(r, sort_keys=True) for r in doc[name]) == sorted(
            json.dumps(r, sort_keys=True) for r in rows), name


def test_month_chunks_are_at_most_31_days_and_cover_the_window() -> None:
    from datetime import date, timedelta

    chunks = month_chunks(date(2026, 10, 2), date(2027, 3, 3))
    assert chunks[0] == (date(2026, 10, 2), date(2026, 10, 31))
    assert chunks[-1] == (date(2027, 3, 1), date(2027, 3, 3))
    for (s, e), (s2, _) in itertools.pairwise(chunks):
        assert (e - s).days <= 30 and s2 == e + timedelta(days=1)


def test_a_full_sync_gives_the_same_reports_as_the_data_it_came_from(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest,
        salon: dict[str, Any]) -> None:
    summary = make_syncer().poll(refresh_all=True)
    assert summary.ok, str(summary)
    _assert_same_as_fake(cache, fake)
    snap = cache.snapshot(BRANCH)
    doc, _ = cache.document(BRANCH)
    at = "2026-11-01T12:00:00.000000Z"
    assert doc["coverage"] == {"from": "2026-10-02", "to": "2027-01-30", "fetchedAt": at,
                               "streams": {name: at for name in (
                                   "appointments", "breaks", "clientCourses", "clients",
                                   "courses", "machines", "rooms", "services",
                                   "specialOffers", "staff", "workTimeTables")}}
    # The fake's exported state with the cache's coverage: the very same reports.
    exported = br.load_snapshot({**fake.state(), "coverage": doc["coverage"]})
    # The public route (document -> load_snapshot) and the fast one agree too.
    public = br.load_snapshot(doc)
    # And the original example, as written: the same verdicts and codes.
    original = br.load_snapshot(salon)
    requests = _requests()
    verdicts = set()
    for request in requests:
        got = _report(snap, request)
        assert got == _report(exported, request)
        assert got == _report(public, request)
        want = _report(original, request)
        assert (got["verdict"], [v["code"] for v in got["violations"]]) == (
            want["verdict"], [v["code"] for v in want["violations"]])
        assert got["snapshot"]["ageSeconds"] == 0
        verdicts.add(got["verdict"])
    assert verdicts == {"PASS", "FAIL"}  # the set exercises both answers


def test_a_full_sync_spends_a_bounded_number_of_requests(make_syncer: MakeSyncer) -> None:
    summary = make_syncer().poll(refresh_all=True)
    # branch + 8 reference lists + 4 appointment months + 1 change poll + 4 roster months
    # + 4 break months, every list on one page at size 100.
    assert summary.requests == 22
    assert summary.rows_changed > 300


def test_incremental_polls_pick_up_every_change(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer(page_size=5)  # several pages, so paging is exercised too
    assert syncer.poll(refresh_all=True).ok
    _, marker = cache.snapshot_at(BRANCH)
    base = dict(fake.appointments["ap_mary_cut"])
    steps = [
        lambda: fake.put_appointment({**base, "appointmentId": "ap_new1",
                                      "appointmentDate": "2026-12-03", "version": 0}),
        lambda: fake.move("ap_mary_cut", "2026-12-02", "11:00:00", "11:45:00"),
        lambda: fake.cancel("ap_new1"),
        lambda: fake.delete("ap_offer1"),
        lambda: fake.move("ap_mary_cut", "2026-12-02", "12:00:00", "12:45:00", "stf_ann"),
    ]
    for i, change in enumerate(steps):
        clock.advance(minutes=2)
        changed = change()
        # Several changes in one poll, and one poll with nothing new.
        if i == 3:
            clock.advance(seconds=1)
            fake.put_appointment({**base, "appointmentId": "ap_new2", "version": 0})
        summary = syncer.poll()
        assert summary.ok, str(summary)
        _assert_same_as_fake(cache, fake)
        # An incremental poll: the change feed only (5 per page here, 100 by default).
        changes_seen = summary.streams["appointments"].rows_changed
        assert changes_seen == (2 if i == 3 else 1)
        assert summary.requests <= 1 + len(fake.appointments) // 5
        assert changed["appointmentId"] in {c.id for c in cache.changes_since(
            BRANCH, marker)[0]}
    clock.advance(minutes=1)
    quiet = syncer.poll()
    assert (quiet.requests, quiet.rows_changed) == (1, 0)
    changes, new_marker = cache.changes_since(BRANCH, marker)
    assert {c.id for c in changes} == {"ap_new1", "ap_new2", "ap_mary_cut", "ap_offer1"}
    assert new_marker > marker
    assert cache.changes_since(BRANCH, new_marker)[0] == []
    # What a reload of the fake's data says, the cache says.
    doc, _ = cache.document(BRANCH)
    exported = br.load_snapshot({**fake.state(), "coverage": doc["coverage"]})
    for request in _requests():
        assert br.check(cache.snapshot(BRANCH), request, now=clock.now).to_dict() == \
            br.check(exported, request, now=clock.now).to_dict()


def test_a_change_committed_late_is_seen_through_the_overlap(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer()
    syncer.poll(refresh_all=True)
    clock.advance(minutes=10)
    syncer.poll()
    # A row stamped 3 minutes before the last poll, visible only now (a late commit).
    row = fake.move("ap_mary_cut", "2026-12-04", "10:00:00", "10:45:00")
    row["updatedAt"] = (clock.now.replace(minute=clock.now.minute - 3)
                        ).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    clock.advance(minutes=1)
    assert syncer.poll().streams["appointments"].rows_changed == 1
    assert _standing(cache, "appointments")["ap_mary_cut"]["appointmentDate"] == "2026-12-04"


def test_an_older_copy_never_overwrites_a_newer_one(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer()
    syncer.poll(refresh_all=True)
    clock.advance(minutes=1)
    newer = fake.move("ap_mary_cut", "2026-12-04", "10:00:00", "10:45:00")
    syncer.poll()
    # A lagging replica serves the old copy again, stamped inside the next window.
    old = dict(newer, version=newer["version"] - 1, appointmentDate="2026-12-01")
    old["updatedAt"] = newer["updatedAt"]
    fake.put_raw(old)
    clock.advance(minutes=1)
    assert syncer.poll().rows_changed == 0
    assert _standing(cache, "appointments")["ap_mary_cut"] == newer


def test_rosters_and_breaks_are_refetched_and_vanished_rows_recorded(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer()
    syncer.poll(refresh_all=True)
    removed = fake.breaks.pop(0)
    fake.timetables[0]["timeSlots"] = fake.timetables[0]["timeSlots"][1:]
    clock.advance(minutes=5)
    assert syncer.poll().requests == 1  # not due yet: the change feed only
    clock.advance(minutes=15)
    summary = syncer.poll()
    assert summary.streams["breaks"].rows_gone == 1
    assert summary.streams["workTimeTables"].rows_gone == 1
    _assert_same_as_fake(cache, fake)
    with cache.store.read() as r:
        state = r.state(StreamKey.of(BUSINESS, BRANCH, "breaks"))
    assert state is not None and state.gone == 1  # kept, recorded as gone
    assert removed["breakId"] not in _standing(cache, "breaks")


def test_a_429_storm_is_waited_out_as_retry_after_asks(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest) -> None:
    fake.faults.rate_limit_next = 5
    fake.faults.retry_after = "7"
    syncer = make_syncer()
    summary = syncer.poll(refresh_all=True)
    assert summary.ok, str(summary)
    assert summary.retried == 5 and summary.requests == 22 + 5
    assert syncer.api.waited_for_retry_after == 5 * 7
    _assert_same_as_fake(cache, fake)


def test_a_storm_longer_than_the_retry_bound_stops_the_stream_and_keeps_coverage(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer(retry=RetryPolicy(attempts=3))
    syncer.poll(refresh_all=True)
    before = cache.status(clock.now)
    clock.advance(hours=2)
    fake.faults.rate_limit_next = 10_000
    summary = syncer.poll()  # reference lists are due: the first one meets the storm
    assert not summary.ok
    failed = summary.failed[0]
    assert failed.stream == "staff"
    assert failed.message == ("GET /biz_qs/branch/br_tor/staff page 0: HTTP 429 after 3 "
                              "attempts (retries exhausted)")
    after = {(s.stream, s.window, s.fetched_at) for s in cache.status(clock.now)}
    assert after == {(s.stream, s.window, s.fetched_at) for s in before}


@pytest.mark.parametrize("fault", ["server_error_every", "drop_every"])
def test_5xx_and_dropped_connections_end_consistent(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock,
        fault: str) -> None:
    setattr(fake.faults, fault, 3)
    syncer = make_syncer(page_size=5)
    summary = syncer.poll(refresh_all=True)
    assert summary.ok, str(summary)
    assert summary.retried > 5
    assert any(entry.status in (503, "dropped") for entry in fake.log)
    _assert_same_as_fake(cache, fake)
    clock.advance(minutes=1)
    fake.cancel("ap_mary_cut")
    assert syncer.poll().ok
    _assert_same_as_fake(cache, fake)


def _covered_windows_are_complete(cache: Cache, fake: FakePhorest) -> None:
    """What a killed sync leaves: a window recorded as covered holds every row the API
    has in it (a half-written window is never shown as covered)."""
    status = {s.stream: s for s in cache.status(START)}
    cached = _standing(cache, "appointments")
    with cache.store.read() as r:
        windows = r.state(StreamKey.of(BUSINESS, BRANCH, "appointments"))
    for w in windows.windows if windows else ():
        want = {i for i, a in fake.appointments.items()
                if w.start.isoformat() <= a["appointmentDate"] <= w.end.isoformat()}
        assert want <= set(cached)
    if "breaks" in status and status["breaks"].window:
        lo, hi = status["breaks"].window
        want = {b["breakId"] for b in fake.breaks
                if lo.isoformat() <= b["breakDate"] <= hi.isoformat()}
        assert want <= set(_standing(cache, "breaks"))


@pytest.mark.parametrize("kill_after", [1, 4, 9, 13, 17, 25, 31])
def test_a_sync_killed_mid_way_resumes_and_ends_consistent(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock,
        kill_after: int) -> None:
    fake.faults.kill_after = kill_after
    with pytest.raises(Killed):
        make_syncer(page_size=5).poll(refresh_all=True)
    _covered_windows_are_complete(cache, fake)
    # The data changes while the sync is down; a new process resumes.
    clock.advance(minutes=3)
    fake.move("ap_mary_cut", "2026-12-02", "11:00:00", "11:45:00")
    fake.faults.kill_after = None
    served = len(fake.log)
    summary = make_syncer(page_size=5).poll(refresh_all=True)
    assert summary.ok, str(summary)
    _assert_same_as_fake(cache, fake)
    assert len(fake.log) - served == summary.requests
    # Every paged task finished: no progress bookmark is left behind.
    path = cache.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM progress").fetchone() == (0,)


def test_a_killed_sync_resumes_a_chunk_where_it_stopped(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest) -> None:
    november = (START.date(), START.date().replace(day=30))  # 40 breaks: 8 pages of 5
    fake.faults.kill_on = ("/break", 3)
    with pytest.raises(Killed):
        make_syncer(page_size=5, window=november).poll(refresh_all=True)
    fake.faults.kill_on = None
    served = len(fake.log)
    summary = make_syncer(page_size=5, window=november).poll()
    assert summary.ok, str(summary)
    resumed = [e.params["page"] for e in fake.log[served:] if e.path.endswith("/break")]
    # Pages 0-2 were committed: it starts again one page early (rows may have shifted
    # between pages meanwhile), not from page 0.
    assert resumed == ["2", "3", "4", "5", "6", "7", "8"][:len(resumed)] and resumed
    assert set(_standing(cache, "breaks")) == {
        b["breakId"] for b in fake.breaks if "2026-11-01" <= b["breakDate"] <= "2026-11-30"}


def test_a_bad_page_stops_that_stream_and_leaves_its_coverage(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer(page_size=5)
    syncer.poll(refresh_all=True)
    before = {s.stream: s for s in cache.status(clock.now)}
    clock.advance(minutes=20)  # rosters and breaks are due again
    fake.faults.bad_pages[("/break", 1)] = b"<html><body>Bad gateway</body></html>"
    summary = syncer.poll()
    result = summary.streams["breaks"]
    assert result.outcome == "failed"
    assert result.message is not None and result.message.startswith(
        "GET /biz_qs/branch/br_tor/break page 1: the response is not JSON")
    after = {s.stream: s for s in cache.status(clock.now)}
    assert (after["breaks"].window, after["breaks"].fetched_at) == (
        before["breaks"].window, before["breaks"].fetched_at)
    assert after["breaks"].last_error == result.message
    # The other streams went on.
    assert summary.streams["workTimeTables"].outcome == "ok"
    assert after["workTimeTables"].fetched_at == clock.now
    # Fixed upstream: the next poll heals it and clears the error.
    fake.faults.bad_pages.clear()
    clock.advance(minutes=1)
    assert syncer.poll().ok
    assert {s.stream: s for s in cache.status(clock.now)}["breaks"].last_error is None


@pytest.mark.parametrize("body", [
    b'{"_embedded": {"appointments": {"not": "a list"}}, "page": {}}',
    b'{"results": []}',
    b"[1, 2",
])
def test_a_first_sync_with_a_bad_appointment_page_leaves_appointments_absent(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, body: bytes) -> None:
    fake.faults.bad_pages[("/appointment", 0)] = body
    summary = make_syncer().poll(refresh_all=True)
    assert summary.streams["appointments"].outcome == "failed"
    message = summary.streams["appointments"].message or ""
    assert message.startswith("GET /biz_qs/branch/br_tor/appointment page 0: the response")
    doc, _ = cache.document(BRANCH)
    # Absent, not empty (RULES.md §6): the history rules are to answer UNKNOWN. The other
    # streams are whole and present.
    assert "appointments" not in doc
    assert {"staff", "services", "breaks", "workTimeTables", "clients"} <= set(doc)


def test_odd_rows_are_quarantined_not_dropped_silently(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    fake.lists["staff"].append({"firstName": "No", "lastName": "Id"})
    summary = make_syncer().poll(refresh_all=True)
    assert summary.streams["staff"].quarantined == 1
    status = {s.stream: s for s in cache.status(clock.now)}
    assert status["staff"].quarantined == 1 and status["staff"].rows == 5


def test_the_request_budget_bounds_a_poll_and_the_next_poll_goes_on(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    syncer = make_syncer(budget=8)
    polls: list[PollSummary] = []
    while not polls or not polls[-1].ok:
        polls.append(syncer.poll(refresh_all=not polls))
        clock.advance(seconds=30)
        assert polls[-1].requests <= 8
        assert len(polls) < 10
    assert len(polls) > 2
    waiting = polls[0].failed
    assert waiting and all(r.outcome == "budget" for r in waiting)
    assert "budget of 8 spent" in str(polls[0])
    _assert_same_as_fake(cache, fake)


def test_a_list_the_api_does_not_serve_is_left_out_not_fatal(
        make_syncer: MakeSyncer, cache: Cache, fake: FakePhorest, clock: Clock) -> None:
    del fake.lists["courses"]
    syncer = make_syncer()
    summary = syncer.poll(refresh_all=True)
    assert summary.ok and summary.streams["courses"].outcome == "unavailable"
    assert "courses" not in cache.document(BRANCH)[0]
    clock.advance(minutes=1)
    assert syncer.poll().requests == 1  # not asked again on every poll


def test_snapshot_age_follows_the_oldest_stream(
        make_syncer: MakeSyncer, cache: Cache, clock: Clock) -> None:
    syncer = make_syncer()
    syncer.poll(refresh_all=True)
    clock.advance(minutes=30)
    syncer.poll()  # appointments current now; reference lists are from 30 min ago
    snap = cache.snapshot(BRANCH)
    assert snap.coverage.fetched_at == START
    report = br.check(snap, _requests()[0], now=clock.now)
    assert report.to_dict()["snapshot"]["ageSeconds"] == 30 * 60


def test_unknown_business_level_rows_do_not_leak_into_another_branch(
        make_syncer: MakeSyncer, cache: Cache) -> None:
    make_syncer().poll(refresh_all=True)
    with pytest.raises(br.InputError, match="no branch 'br_nope'"):
        cache.snapshot("br_nope")


def test_paths_and_filters_are_the_ones_phorest_documents(
        make_syncer: MakeSyncer, fake: FakePhorest) -> None:
    make_syncer().poll(refresh_all=True)
    prefix = "/third-party-api-server/api/business/biz_qs/"
    paths = {e.path.removeprefix(prefix) for e in fake.log}
    assert paths == {"branch", "client", "clientcourse", *(f"branch/br_tor/{p}" for p in (
        "staff", "service", "room", "machine", "service-special-offer", "course",
        "staff/worktimetable", "break", "appointment"))}
    for e in fake.log:
        assert all(k == k.lower() for k in e.params)  # snake_case filters only
        assert int(e.params.get("size", "100")) <= 100
    dates = [e.params for e in fake.log if "from_date" in e.params]
    from datetime import date

    assert all((date.fromisoformat(p["to_date"]) - date.fromisoformat(p["from_date"])).days
               <= 30 for p in dates)


def test_a_window_can_be_named(make_syncer: MakeSyncer, cache: Cache) -> None:
    from datetime import date

    make_syncer(window=(date(2026, 11, 20), date(2026, 12, 10))).poll(refresh_all=True)
    doc, _ = cache.document(BRANCH)
    assert doc["coverage"]["from"] == "2026-11-20" and doc["coverage"]["to"] == "2026-12-10"
