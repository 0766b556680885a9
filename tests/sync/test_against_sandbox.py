"""The sync, the cache's refresh and the guarded client against the real sandbox
(``booking_rules.sandbox``, in-process), its faults on: equivalence with the sandbox's
exported state, incremental polls that miss and duplicate nothing, faults that end
consistent, and refreshed snapshots held byte for byte to reloaded ones."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

import booking_rules as br
from booking_rules.cache import Cache, StreamKey
from booking_rules.phorest import AsyncClient, Client, RefusedLocally
from booking_rules.sandbox import (
    API_ROOT,
    DEFAULT_CREDENTIALS,
    SandboxClock,
    SandboxConfig,
    SandboxState,
    async_transport,
    create_app,
    transport,
)
from booking_rules.sync import Credentials, PollSummary, Syncer
from tests.conftest import EXAMPLE_SALON

from .conftest import START, Clock
from .test_sync import _requests

BUSINESS, BRANCH = "demo", "br_tor"
BASE = f"http://sandbox{API_ROOT}"
BR = f"{BASE}/{BUSINESS}/branch/{BRANCH}"
CREDS = Credentials.of(DEFAULT_CREDENTIALS.username, DEFAULT_CREDENTIALS.password, "the test")


@dataclass
class Bench:
    """The sandbox app over the example salon, its clock and a monotonic clock that
    moves a quarter second a call (so a rate-limit window passes without sleeping)."""

    state: SandboxState
    app: Any
    clock: SandboxClock
    transport: httpx.BaseTransport
    client: httpx.Client
    controls: httpx.Client

    def faults(self, **given: Any) -> None:
        self.controls.post("/faults", json=given).raise_for_status()

    def export(self) -> dict[str, Any]:
        doc: dict[str, Any] = self.controls.get("/state", params={"branch": BRANCH}
                                                ).raise_for_status().json()
        return doc


@pytest.fixture
def bench(clock: Clock) -> Iterator[Bench]:
    ticks = itertools.count()
    sandbox_clock = SandboxClock(START)
    state = SandboxState([json.loads(Path(EXAMPLE_SALON).read_text())], now=START,
                         business_id=BUSINESS)
    app = create_app(state, clock=sandbox_clock, config=SandboxConfig(business_id=BUSINESS),
                     monotonic=lambda: next(ticks) * 0.25)
    tr = transport(app)
    auth = (DEFAULT_CREDENTIALS.username, DEFAULT_CREDENTIALS.password)
    with httpx.Client(transport=tr, base_url=BR, auth=auth) as client, httpx.Client(
            transport=tr, base_url="http://sandbox/_sandbox") as controls:
        yield Bench(state, app, sandbox_clock, tr, client, controls)
    tr.close()


def _syncer(bench: Bench, cache: Cache, clock: Clock, **kw: Any) -> Syncer:
    kw.setdefault("transport", bench.transport)
    return Syncer(BUSINESS, BRANCH, credentials=CREDS, store=cache.store, clock=clock,
                  base_url=BASE, **kw)


def _held(cache: Cache) -> dict[str, dict[str, Any]]:
    with cache.store.read() as r:
        rows = [json.loads(raw) for raw in r.raw_rows(StreamKey.of(BUSINESS, BRANCH,
                                                                    "appointments"))]
    return {row["appointmentId"]: row for row in rows}


def _exported(bench: Bench, cache: Cache) -> dict[str, Any]:
    """The sandbox's state as a snapshot document, with the cache's coverage, less the
    one list the sandbox does not serve (``/course``: no live client was seen calling it,
    so the sync leaves it absent)."""
    doc = bench.export()
    doc.pop("courses", None)
    doc["coverage"] = cache.document(BRANCH)[0]["coverage"]
    return doc


def _assert_consistent(bench: Bench, cache: Cache, now: datetime) -> None:
    """0 missed, 0 duplicated (rows keyed by id, each exactly as the sandbox serves it),
    and every check from the cache equal to the check from the exported state."""
    exported = _exported(bench, cache)
    assert _held(cache) == {a["appointmentId"]: a for a in exported["appointments"]}
    reloaded = br.load_snapshot(exported)
    snap = cache.snapshot(BRANCH)
    for request in _requests():
        got, want = br.check(snap, request, now=now), br.check(reloaded, request, now=now)
        assert got.to_json() == want.to_json(), got.to_text() + "\n" + want.to_text()


def _booking(client: str, staff: str, start: str, service: str = "svc_cut"
             ) -> dict[str, Any]:
    return {"clientId": client, "clientAppointmentSchedules": [{
        "clientId": client, "serviceSchedules": [
            {"serviceId": service, "staffId": staff, "startTime": start}]}]}


def _update(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    keys = ("appointmentId", "version", "appointmentDate", "startTime", "endTime",
            "staffId", "serviceId")
    return {**{k: row[k] for k in keys}, **changes}


def test_a_full_sync_of_a_sandbox_branch_checks_as_its_exported_state(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    with _syncer(bench, cache, clock) as syncer:
        summary = syncer.poll(refresh_all=True)
    assert summary.ok, str(summary)
    assert summary.streams["courses"].outcome == "unavailable"  # the sandbox has no /course
    _assert_consistent(bench, cache, clock.now)


def test_incremental_polls_see_every_booking_move_and_cancel_and_refresh_matches_reload(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    with _syncer(bench, cache, clock) as syncer:
        assert syncer.poll(refresh_all=True).ok
        live = cache.live(BRANCH)
        first = live.snapshot
        requests = _requests()
        made: list[str] = []

        def book(client: str, staff: str, start: str) -> None:
            r = bench.client.post("/booking", json=_booking(client, staff, start))
            assert r.status_code == 201, r.text
            made.extend(s["appointmentId"] for g in r.json()["clientAppointmentSchedules"]
                        for s in g["serviceSchedules"])

        def move(start: str, end: str) -> None:
            row = bench.client.get(f"/appointment/{made[0]}").json()
            r = bench.client.put(f"/appointment/{made[0]}",
                                 json=_update(row, startTime=start, endTime=end))
            assert r.status_code == 200, r.text

        def cancel(which: int) -> None:
            r = bench.client.post(f"/appointment/{made[which]}/cancel")
            assert r.status_code == 200, r.text

        steps = [
            lambda: book("cli_new", "stf_lisa", "2026-12-01T18:30:00Z"),
            lambda: move("14:30:00", "15:15:00"),
            lambda: (book("cli_zoe", "stf_ann", "2026-12-02T15:00:00Z"),
                     book("cli_x", "stf_john", "2026-12-03T15:00:00Z")),
            lambda: cancel(1),
            lambda: (cancel(0), book("cli_y", "stf_lisa", "2026-12-01T18:30:00Z")),
            lambda: None,  # a quiet poll
        ]
        for step in steps:
            clock.advance(minutes=2)
            bench.clock.set(clock.now)
            step()
            summary = syncer.poll()
            assert summary.ok, str(summary)
            # The change feed only: one page (≤ 100 changes), nothing else is due.
            assert summary.requests == 1, str(summary)
            _assert_consistent(bench, cache, clock.now)
            # The refreshed snapshot answers byte for byte as one rebuilt from the raw rows.
            before = live.snapshot
            refreshed = live.refresh()
            assert refreshed is not before or not summary.rows_changed
            reloaded, _ = cache.snapshot_at(BRANCH, compiled=False)
            for request in requests:
                assert br.check(refreshed, request, now=clock.now).to_json() == \
                    br.check(reloaded, request, now=clock.now).to_json()
        # The first snapshot was never changed: a check that held it still sees the start.
        assert made[0] not in first.appointments
        assert len(made) == 4 and all(a in live.snapshot.appointments for a in made)
        assert live.snapshot.delta.upserts.keys() >= set(made)


def test_faults_429_storm_5xx_and_dropped_pages_end_consistent(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    bench.faults(rate_limit={"requests": 3, "window_seconds": 2.0}, error_rate=0.2,
                 drop_rate=0.2, seed=7)
    with _syncer(bench, cache, clock, page_size=5) as syncer:
        summaries = _until_ok(syncer, clock, refresh_all=True)
        assert sum(s.retried for s in summaries) > 0
        log = bench.controls.get("/log", params={"limit": 10_000}).json()["entries"]
        assert {"rate_limit", "server_error", "drop"} <= {e["fault"] for e in log}
        # Changes made while faults go on are picked up too.
        clock.advance(minutes=2)
        bench.clock.set(clock.now)
        bench.faults()
        r = bench.client.post("/booking", json=_booking("cli_new", "stf_lisa",
                                                         "2026-12-01T18:30:00Z"))
        assert r.status_code == 201
        bench.faults(rate_limit={"requests": 1, "window_seconds": 1.0}, error_rate=0.3,
                     seed=3)
        clock.advance(minutes=1)
        _until_ok(syncer, clock)
    bench.faults()
    _assert_consistent(bench, cache, clock.now)


def _until_ok(syncer: Syncer, clock: Clock, *, refresh_all: bool = False
              ) -> list[PollSummary]:
    """Polls until one completes (a stream whose retries ran out waits for the next poll,
    its coverage kept), at most five."""
    summaries = [syncer.poll(refresh_all=refresh_all)]
    while not summaries[-1].ok and len(summaries) < 5:
        clock.advance(minutes=1)
        summaries.append(syncer.poll())
    assert summaries[-1].ok, [str(s) for s in summaries]
    return summaries


class Killed(Exception):
    """The process dying mid-sync (not an HTTP error: nothing retries it)."""


class _KillAfter(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, after: int) -> None:
        self.inner, self.left = inner, after

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.left -= 1
        if self.left < 0:
            raise Killed
        return self.inner.handle_request(request)


def test_a_sync_killed_mid_way_resumes_and_ends_consistent(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    for after in (4, 9, 13):
        with _syncer(bench, cache, clock, page_size=5,
                     transport=_KillAfter(bench.transport, after)) as dying, \
                pytest.raises(Killed):
            dying.poll(refresh_all=True)
        # Whatever was committed is whole: no window recorded that was not fetched.
        doc, _ = cache.document(BRANCH) if _has_branch(cache) else ({}, 0)
        if "appointments" in doc:
            exported = {a["appointmentId"] for a in bench.export()["appointments"]}
            assert {a["appointmentId"] for a in doc["appointments"]} <= exported
    with _syncer(bench, cache, clock, page_size=5) as syncer:
        assert syncer.poll().ok
    _assert_consistent(bench, cache, clock.now)


def _has_branch(cache: Cache) -> bool:
    with cache.store.read() as r:
        return any(i == BRANCH for _, i in r.branches(BUSINESS))


# --- the guarded client ----------------------------------------------------------------


def _synced(bench: Bench, cache: Cache, clock: Clock) -> None:
    with _syncer(bench, cache, clock) as syncer:
        assert syncer.poll(refresh_all=True).ok


def test_the_guarded_client_sends_what_passes_refuses_what_fails_and_explains_refusals(
        bench: Bench, cache: Cache, clock: Clock, tmp_path: Path) -> None:
    _synced(bench, cache, clock)
    corpus = tmp_path / "corpus"
    with Client(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                transport=bench.transport, corpus=corpus, clock=clock) as phorest:
        sent = phorest.create_booking(_booking("cli_new", "stf_lisa",
                                               "2026-12-01T18:30:00Z"))
        assert sent.ok and sent.status == 201 and sent.report.verdict == "PASS"
        assert sent.explanation is None and sent.filed is None
        # Over Mary's cut: refused locally, with the report; nothing reaches the API.
        sent_before = len(bench.controls.get("/log").json()["entries"])
        with pytest.raises(RefusedLocally) as refused:
            phorest.create_booking(_booking("cli_zoe", "stf_lisa", "2026-12-01T15:15:00Z"))
        assert refused.value.report.verdict == "FAIL"
        assert "STAFF_DOUBLE_BOOKED" in refused.value.report.codes
        assert "not sent" in str(refused.value)
        assert len(bench.controls.get("/log").json()["entries"]) == sent_before
        # Forced: sent, Phorest (the sandbox) refuses it; the explanation confirms the
        # code, offers alternatives that pass, and the exchange is filed.
        forced = phorest.create_booking(
            _booking("cli_zoe", "stf_lisa", "2026-12-01T15:15:00Z"), force=True)
        assert forced.status == 400 and not forced.ok and forced.forced
        assert forced.explanation is not None
        assert forced.explanation.code == "STAFF_DOUBLE_BOOKED"
        assert forced.explanation.diagnosis == "confirmed"
        assert forced.explanation.alternatives
        # Another receptionist takes the slot between the check and the booking: the
        # cache did not know, the explanation says the snapshot does not reproduce it.
        bench.faults(competing_bookings=1)
        raced = phorest.create_booking(_booking("cli_y", "stf_ann", "2026-12-02T16:00:00Z"))
        assert raced.status == 400 and raced.report.verdict == "PASS"
        assert raced.explanation is not None
        assert raced.explanation.diagnosis == "not-reproduced"
    entries = sorted(p for p in corpus.iterdir())
    assert [e for e in entries] == [forced.filed, raced.filed]
    for entry in entries:
        assert {p.name for p in entry.iterdir()} == {"snapshot.json", "request.json",
                                                      "response.json", "meta.json",
                                                      "check.json"}
        assert CREDS.password.reveal() not in "".join(
            p.read_text() for p in entry.iterdir())
    scored = br.explain_corpus(corpus)
    assert [e.api_code for e in scored.entries] == ["STAFF_DOUBLE_BOOKED"] * 2
    assert [e.predicted for e in scored.entries] == ["STAFF_DOUBLE_BOOKED", None]


def test_the_guarded_client_updates_and_has_an_async_twin(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    _synced(bench, cache, clock)
    row = bench.client.get("/appointment/ap_mary_cut").json()
    with Client(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                transport=bench.transport, corpus=None, clock=clock) as phorest:
        with pytest.raises(RefusedLocally) as refused:  # Mary asked for Lisa
            phorest.update_appointment(_update(row, staffId="stf_john"))
        assert refused.value.report.codes == ["STAFF_REQUESTED"]
        moved = phorest.update_appointment(_update(row, startTime="13:30:00",
                                                   endTime="14:15:00"))
        assert moved.status == 200 and moved.body["version"] == 2

    async def book() -> int:
        async with AsyncClient(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                               transport=async_transport(bench.app), corpus=None,
                               clock=clock) as phorest:
            with pytest.raises(RefusedLocally):
                await phorest.create_booking(_booking("cli_zoe", "stf_lisa",
                                                      "2026-12-01T15:15:00Z"))
            sent = await phorest.create_booking(_booking("cli_new", "stf_ann",
                                                         "2026-12-03T16:00:00Z"))
            return sent.status

    assert asyncio.run(book()) == 201


def test_max_age_makes_a_stale_cache_answer_unknown_and_the_client_refuse(
        bench: Bench, cache: Cache, clock: Clock, tmp_path: Path) -> None:
    _synced(bench, cache, clock)
    strict = tmp_path / "fresh.toml"
    strict.write_text('name = "fresh"\nextends = "phorest"\n[options]\nmax_age = 900\n')
    request = {"kind": "createBooking", "body": _booking("cli_new", "stf_lisa",
                                                         "2026-12-01T18:30:00Z")}
    snap = cache.snapshot(BRANCH)
    fresh = br.check(snap, request, now=clock.now, ruleset=strict)
    assert fresh.verdict == "PASS"
    assert fresh.stream_ages() == {"roster": 0, "breaks": 0, "appointments": 0}
    later = clock.advance(minutes=20)
    stale = br.check(snap, request, now=later, ruleset=strict)
    assert stale.verdict == "UNKNOWN"
    assert {u.code for u in stale.unknowns} >= {"STAFF_DOUBLE_BOOKED", "STAFF_NOT_WORKING"}
    assert all("20 min before now" in u.message and "max_age of 15 min" in u.message
               for u in stale.unknowns)
    assert stale.to_dict()["snapshot"]["streams"]["appointments"]["ageSeconds"] == 1200
    with Client(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                transport=bench.transport, corpus=None, clock=clock,
                ruleset=strict) as phorest, pytest.raises(RefusedLocally) as refused:
        phorest.create_booking(request["body"])
    assert refused.value.report.verdict == "UNKNOWN"
    # A poll moves the appointments on (the change feed); rosters and breaks are due
    # again after 15 min, so the poll re-fetches them too: fresh again.
    with _syncer(bench, cache, clock) as syncer:
        assert syncer.poll().ok
    again = br.check(cache.refresh(snap), request, now=clock.now, ruleset=strict)
    assert again.verdict == "PASS"
