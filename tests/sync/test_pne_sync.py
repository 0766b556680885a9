"""``booking-rules sync --platform pne`` against the in-process PNE sandbox: a full sync
reads the location the sandbox serves (the same check reports for docs/examples/pne/),
the daily budget holds across polls (counted from the sandbox's own request log), and
the key, the username and the password never reach the cache or the output."""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from booking_rules.cache import open_cache
from booking_rules.platforms import pne
from booking_rules.sandbox import LocalPneSandbox, PneCredentials
from booking_rules.sync.cli import add_arguments, run_sync
from tests.pne.location import PNE_NOW, location_doc

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "pne"
CREDS = PneCredentials(apikey="k3y-SECRET-gateway", username="pne.api.user",
                       password="pa55-SECRET-word")
ENV = {"PNE_APIKEY": CREDS.apikey, "PNE_USERNAME": CREDS.username,
       "PNE_PASSWORD": CREDS.password}
BASE = "http://127.0.0.1:9/api/v1"  # in-process transport: never dialled


class Logged(httpx.BaseTransport):
    """The sandbox's transport, logging every request it is sent (its request log)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.log: list[tuple[str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.log.append((request.url.path, response.status_code))
        return response


def big_location() -> dict[str, Any]:
    """The example location with 250 more customers: three pages of /customers."""
    doc = location_doc()
    doc["Customers"] = [*doc["Customers"][0]["Data"], *(
        {"CustomerId": f"cus_{i:04d}", "CompanyId": "co_lakeside", "FirstName": "C",
         "LastName": f"N{i}"} for i in range(250))]
    return doc


@pytest.fixture
def sandbox() -> Iterator[tuple[LocalPneSandbox, Logged]]:
    with LocalPneSandbox(big_location(), now=PNE_NOW, credentials=CREDS,
                         daily_budget=1000) as sb:
        yield sb, Logged(sb.transport)


class Clock:
    def __init__(self) -> None:
        self.now = PNE_NOW

    def __call__(self) -> datetime:
        return self.now


def _sync(logged: Logged, clock: Clock, cache_url: str, *argv: str,
          env: dict[str, str] | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="booking-rules")
    add_arguments(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sync", "--platform", "pne", "--location", "co_lakeside",
                              "--base-url", BASE, "--cache", cache_url, *argv])
    out, err = io.StringIO(), io.StringIO()
    code = run_sync(args, transport=logged, clock=clock, environ=ENV if env is None else env,
                    out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _report(snapshot: Any, request: Any) -> dict[str, Any]:
    got: dict[str, Any] = pne.check(snapshot, request, now=PNE_NOW).to_dict()
    # Where the snapshot came from and when it was fetched differ by design.
    for key in ("snapshot", "source"):
        got.pop(key, None)
    return got


def test_full_sync_reads_what_the_sandbox_serves(
        sandbox: tuple[LocalPneSandbox, Logged], cache_url: str) -> None:
    sb, logged = sandbox
    code, out, err = _sync(logged, Clock(), cache_url)
    assert code == 0, err
    assert out.startswith("sync pne/co_lakeside: ") and "8 requests, 8 of 1000" in out
    assert [p for p, _ in logged.log].count("/api/v1/customers") == 3  # paged by 100
    with open_cache(cache_url) as cache:
        doc = cache.pne_document("co_lakeside")
        snap = cache.snapshot("co_lakeside", platform="pne")
    for key in ("Services", "Employees", "Appointments", "Products", "Customers"):
        assert sorted(doc[key], key=json.dumps) == sorted(sb.state.rows(key),
                                                          key=json.dumps), key
    assert doc["Company"] == sb.state.doc["Company"]
    served = pne.load_snapshot(sb.state.doc)
    examples = sorted(EXAMPLES.glob("*.json"))
    assert len(examples) >= 10
    for path in examples:
        request = json.loads(path.read_text())
        assert _report(snap, request) == _report(served, request), path.name


def test_the_daily_budget_holds_across_polls(
        sandbox: tuple[LocalPneSandbox, Logged], cache_url: str) -> None:
    _, logged = sandbox
    clock = Clock()
    # 8 requests a full poll: two polls, then the third stops at 20 without a 21st.
    assert _sync(logged, clock, cache_url, "--budget", "20")[0] == 0
    clock.now += timedelta(hours=1)
    assert _sync(logged, clock, cache_url, "--budget", "20")[0] == 0
    clock.now += timedelta(hours=1)
    code, out, err = _sync(logged, clock, cache_url, "--budget", "20")
    assert code == 1
    assert "budget for today spent: 20 of 20" in err
    assert "4 requests, 20 of 20 today (UTC)" in out
    assert len(logged.log) == 20
    assert all(status == 200 for _, status in logged.log)
    # Another poll the same UTC day sends nothing at all.
    code, _, err = _sync(logged, clock, cache_url, "--budget", "20")
    assert code == 1 and "budget for today spent: 20 of 20" in err
    assert len(logged.log) == 20
    # The cache is consistent: every list as its last complete fetch.
    with open_cache(cache_url) as cache:
        assert len(cache.pne_document("co_lakeside")["Customers"]) == 253
    # The next UTC day has a new budget.
    clock.now = datetime(2025, 9, 2, 0, 0, 1, tzinfo=UTC)
    assert _sync(logged, clock, cache_url, "--budget", "20")[0] == 0
    assert len(logged.log) == 28


def test_a_list_the_budget_cannot_finish_is_not_started_past_page_one(
        sandbox: tuple[LocalPneSandbox, Logged], cache_url: str) -> None:
    _, logged = sandbox
    # 8 + (4 reference lists + customers page 1) = 13: pages 2-3 would exceed it.
    assert _sync(logged, Clock(), cache_url, "--budget", "13")[0] == 0
    code, _, err = _sync(logged, Clock(), cache_url, "--budget", "13")
    assert code == 1
    assert "budget for today spent: 13 of 13 (Customers needs 2 more pages)" in err
    assert len(logged.log) == 13


def test_credentials_never_leak(sandbox: tuple[LocalPneSandbox, Logged], cache_url: str,
                                tmp_path: Path) -> None:
    _, logged = sandbox
    code, out, err = _sync(logged, Clock(), cache_url, "--budget", "5")
    assert code == 1  # a stopped poll too
    bad = {**ENV, "PNE_PASSWORD": "wrong-SECRET-pass"}
    code2, out2, err2 = _sync(logged, Clock(), cache_url, env=bad)
    assert code2 == 2 and "HTTP 401" in err2 and "PNE_APIKEY" in err2
    creds_file = tmp_path / "pne.env"
    creds_file.write_text("".join(f"{k}={v}\n" for k, v in ENV.items()))
    code3, out3, err3 = _sync(logged, Clock(), cache_url, "--credentials-file",
                              str(creds_file))
    assert code3 == 0, err3
    db = Path(cache_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    texts = [out, err, out2, err2, out3, err3]
    blobs = [p.read_bytes() for p in db.parent.glob(db.name + "*")]
    for secret in (CREDS.apikey, CREDS.username, CREDS.password, "wrong-SECRET-pass"):
        assert all(secret not in t for t in texts), secret
        assert all(secret.encode() not in b for b in blobs), secret


def test_setup_errors_are_one_line(sandbox: tuple[LocalPneSandbox, Logged],
                                   cache_url: str) -> None:
    _, logged = sandbox
    code, _, err = _sync(logged, Clock(), cache_url, env={})
    assert code == 2 and err.strip() == (
        "booking-rules: no PNE credentials: set PNE_APIKEY, PNE_USERNAME, PNE_PASSWORD "
        "(or name a file with --credentials-file)")
    parser = argparse.ArgumentParser(prog="booking-rules")
    add_arguments(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sync", "--platform", "pne", "--location", "co_elsewhere",
                              "--base-url", BASE, "--cache", cache_url])
    e = io.StringIO()
    assert run_sync(args, transport=logged, clock=Clock(), environ=ENV,
                    out=io.StringIO(), err=e) == 2
    assert "no PNE location 'co_elsewhere'" in e.getvalue()
    with open_cache(cache_url) as cache, pytest.raises(Exception, match="no PNE location"):
        cache.snapshot("co_elsewhere", platform="pne")
