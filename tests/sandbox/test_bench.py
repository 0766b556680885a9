"""The test bench: auth, clock, faults, the log, the config file, and never a 500 body
with a traceback."""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import booking_rules as br
from booking_rules import sandbox
from booking_rules.sandbox import (
    Credentials,
    Faults,
    LocalSandbox,
    SandboxClock,
    SandboxConfig,
    SandboxState,
)

from ..conftest import EXAMPLE_SALON, NOW, salon_doc
from .conftest import BR, BUSY, FREE, body, cut, day_appointments

# --- auth --------------------------------------------------------------------------------


def test_requests_without_the_credentials_are_401(sb: LocalSandbox) -> None:
    url = f"{sb.base_url}/branch"
    anonymous = httpx.Client(transport=sb.transport)
    r = anonymous.get(url)
    assert r.status_code == 401 and r.json()["errorCode"] == "UNAUTHORIZED"
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    assert anonymous.get(url, auth=("global/sandbox@example.com", "wrong")).status_code == 401
    no_prefix = anonymous.get(url, auth=("sandbox@example.com", "sandbox"))
    assert no_prefix.status_code == 401 and "global/" in no_prefix.json()["detail"]
    assert anonymous.get(url, auth=("global/sandbox@example.com", "sandbox")
                         ).status_code == 200
    # The bench's own controls need no credentials.
    assert anonymous.get("http://sandbox/_sandbox").status_code == 200


def test_configured_credentials_and_no_secret_in_the_log() -> None:
    creds = Credentials("global/me@salon.test", "s3cret-pass")
    with LocalSandbox(salon_doc(), now=NOW, credentials=creds) as sb:
        assert sb.client.get("/branch").status_code == 200
        token = base64.b64encode(b"global/me@salon.test:s3cret-pass").decode()
        text = json.dumps(sb.log())
        assert "s3cret-pass" not in text and token not in text
        assert "authorization" not in text.lower()
    assert "s3cret" not in repr(creds)
    with pytest.raises(br.InputError, match="global/<email>"):
        Credentials("me@salon.test", "x")


# --- clock -------------------------------------------------------------------------------


def test_the_clock_decides_what_is_in_the_past(sb: LocalSandbox) -> None:
    assert sb.controls.get("/clock").json() == {"now": "2026-11-01T12:00:00.000Z",
                                                "mode": "fixed"}
    r = sb.controls.post("/clock", json={"now": "2026-12-02T00:00:00Z"})
    assert r.json()["now"] == "2026-12-02T00:00:00.000Z"
    late = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE)))
    assert late.status_code == 400
    assert "START_IN_PAST" in late.headers["X-Booking-Rules-Codes"]
    sb.controls.post("/clock", json={"now": "2026-11-01T12:00:00Z"})
    ok = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE)))
    assert ok.status_code == 201
    row = sb.client.get(f"{BR}/appointment/" + ok.json()["clientAppointmentSchedules"][0][
        "serviceSchedules"][0]["appointmentId"]).json()
    assert row["createdAt"] == row["updatedAt"] == "2026-11-01T12:00:00.000Z"
    assert sb.controls.post("/clock", json={"mode": "moving"}).status_code == 400
    assert sb.controls.post("/clock", json={"now": "soon"}).status_code == 400


def test_a_moving_clock_runs_from_where_it_was_set() -> None:
    ticks = iter([0.0, 0.0, 90.0])
    clock = SandboxClock(NOW, moving=True, monotonic=lambda: next(ticks))
    assert clock() == NOW
    assert (clock() - NOW).total_seconds() == 90
    source = SandboxClock(source=lambda: NOW)
    assert source() == NOW and source.state()["mode"] == "source"


# --- faults ------------------------------------------------------------------------------


def _sandbox(faults: Faults, **kw: Any) -> LocalSandbox:
    return LocalSandbox(salon_doc(), now=NOW, config=SandboxConfig(faults=faults), **kw)


def test_rate_limit_answers_429_with_retry_after_until_the_window_ends() -> None:
    now = [0.0]
    state = SandboxState([salon_doc()], now=NOW)
    app = sandbox.create_app(state, clock=SandboxClock(NOW), config=SandboxConfig(
        faults=Faults.from_dict({"rate_limit": {"requests": 3, "window_seconds": 10}})),
        monotonic=lambda: now[0])
    with httpx.Client(transport=sandbox.transport(app), auth=(
            "global/sandbox@example.com", "sandbox"),
            base_url=f"http://sandbox{sandbox.API_ROOT}/demo") as client:
        assert [client.get("/branch").status_code for _ in range(3)] == [200] * 3
        now[0] = 4.2
        limited = client.get("/branch")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "6"
        assert limited.json()["statusCode"] == 429
        # The bench's own controls are never limited.
        assert client.get("http://sandbox/_sandbox/log").status_code == 200
        now[0] = 10.0
        assert client.get("/branch").status_code == 200


def test_server_errors_are_a_seeded_share() -> None:
    def statuses() -> list[int]:
        with _sandbox(Faults(error_rate=0.5, error_status=502, seed=7)) as sb:
            return [sb.client.get("/branch").status_code for _ in range(40)]

    first = statuses()
    assert first == statuses()  # the same seed, the same faults
    assert set(first) == {200, 502} and 10 < first.count(502) < 30


def test_latency_is_added(sb: LocalSandbox) -> None:
    sb.set_faults(latency_ms=30)
    sb.client.get("/branch")
    assert sb.log()[-1]["ms"] >= 30


def test_a_dropped_page_is_a_protocol_error_and_the_sandbox_keeps_serving(
        sb: LocalSandbox) -> None:
    sb.set_faults(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        sb.client.get(f"{BR}/staff")
    # Only pages are cut: a single row, and a write, go through.
    assert sb.client.get(f"{BR}/appointment/ap_mary_cut").status_code == 200
    assert sb.log()[-2]["fault"] == "drop"
    sb.set_faults()
    assert sb.client.get(f"{BR}/staff").status_code == 200


def test_a_competing_booking_takes_the_slot_between_check_and_booking(
        sb: LocalSandbox) -> None:
    sb.set_faults(competing_bookings=1)
    r = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE)))
    assert r.status_code == 400 and r.json()["detail"] == "STAFF_DOUBLE_BOOKED"
    rival = [a for a in day_appointments(sb, staff_id="stf_lisa")
             if a["clientId"] == "cli_sandbox_competitor"]
    assert [(a["startTime"], a["source"]) for a in rival] == [("13:30:00", "PHOREST")]
    # One competitor only: the next booking meets none.
    r = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", "2026-12-01T19:30:00Z")))
    assert r.status_code == 201


def test_bad_fault_settings_are_400(sb: LocalSandbox) -> None:
    for bad in ({"error_rate": 2}, {"drop_rat": 0.1}, {"rate_limit": {"requests": 0}},
                {"error_status": 404}, []):
        r = sb.controls.post("/faults", json=bad)
        assert r.status_code == 400, bad
    r = sb.controls.post("/faults", json={"drop_rat": 0.1})
    assert "did you mean 'drop_rate'" in r.json()["detail"]


# --- the log -----------------------------------------------------------------------------


def test_the_log_records_each_exchange(sb: LocalSandbox) -> None:
    sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", BUSY)))
    sb.client.get(f"{BR}/appointment/ap_mary_cut")
    first, second = sb.log()
    assert first["method"] == "POST" and first["path"].endswith("/branch/br_tor/booking")
    assert first["requestBody"]["clientId"] == "cli_new"
    assert first["status"] == 400 and first["responseBody"]["detail"] == "STAFF_DOUBLE_BOOKED"
    assert first["responseHeaders"]["x-booking-rules-verdict"] == "FAIL"
    assert first["at"] == "2026-11-01T12:00:00.000Z" and first["fault"] is None
    assert second["status"] == 200 and second["seq"] == first["seq"] + 1
    assert sb.log(since=first["seq"]) == [second]
    assert sb.controls.delete("/log").status_code == 200 and sb.log() == []


# --- never a 500 with a traceback ----------------------------------------------------------


JUNK: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", f"{BR}/booking", {"content": b"\xff\xfe"}),
    ("POST", f"{BR}/booking", {"content": b"[]"}),
    ("POST", f"{BR}/booking", {"content": b""}),
    ("POST", f"{BR}/booking", {"json": {"clientAppointmentSchedules": "x"}}),
    ("POST", f"{BR}/booking", {"json": body({"serviceId": None, "staffId": 5})}),
    ("POST", f"{BR}/booking", {"json": body(cut("stf_lisa", "2026-12-01T18:30:00Z",
                                                endTime="2026-12-01T18:00:00Z"))}),
    ("POST", f"{BR}/booking", {"json": body(cut("stf_lisa", FREE)), "params": {
        "force_selected_time": "maybe"}}),
    ("PUT", f"{BR}/appointment/ap_mary_cut", {"json": {"version": "one"}}),
    ("PUT", f"{BR}/appointment/ap_mary_cut", {"json": {
        "appointmentId": "ap_mary_cut", "version": 1, "appointmentDate": "2026-02-30",
        "startTime": "25:00:00", "staffId": "stf_lisa"}}),
    ("GET", f"{BR}/appointment", {"params": {"from_date": "2026-13-01",
                                             "to_date": "2026-12-01"}}),
    ("GET", f"{BR}/appointment", {"params": {"from_date": "2026-12-05",
                                             "to_date": "2026-12-01"}}),
    ("GET", f"{BR}/appointment", {"params": {"updated_from": "yesterday",
                                             "updated_to": "today"}}),
    ("GET", f"{BR}/staff", {"params": {"page": "1e9"}}),
    ("POST", f"{BR}/appointments/availability", {"json": {"startTime": 1}}),
]


@pytest.mark.parametrize(("method", "path", "kw"), JUNK, ids=range(len(JUNK)))
def test_bad_input_is_a_4xx_json_never_a_500(sb: LocalSandbox, method: str, path: str,
                                             kw: dict[str, Any]) -> None:
    r = sb.client.request(method, path, **kw)
    assert 400 <= r.status_code < 500, r.text
    err = r.json()
    assert err["statusCode"] == r.status_code and err["detail"]
    assert "Traceback" not in r.text
    assert sb.client.get("/branch").status_code == 200


def test_an_unexpected_error_is_a_json_500_and_the_server_keeps_serving(
        sb: LocalSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(br, "check", boom)
    r = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE)))
    assert r.status_code == 500
    assert r.json()["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert "Traceback" not in r.text and "a bug" not in r.text
    monkeypatch.undo()
    assert sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE))
                          ).status_code == 201


# --- async transport ------------------------------------------------------------------------


def test_the_async_transport_serves_the_same_app() -> None:
    state = SandboxState([salon_doc()], now=NOW)
    app = sandbox.create_app(state, clock=SandboxClock(NOW))

    async def go() -> list[int]:
        async with httpx.AsyncClient(
                transport=sandbox.async_transport(app),
                base_url=f"http://sandbox{sandbox.API_ROOT}/demo",
                auth=("global/sandbox@example.com", "sandbox")) as client:
            results = await asyncio.gather(*[
                client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE),
                                                       client=f"cli_{i}"))
                for i in range(5)])
            return sorted(r.status_code for r in results)

    assert asyncio.run(go()) == [201, 400, 400, 400, 400]


# --- config and the command ----------------------------------------------------------------


def test_a_toml_config_is_read_and_its_mistakes_named(tmp_path: Path) -> None:
    good = tmp_path / "sandbox.toml"
    good.write_text(f'snapshot = "{EXAMPLE_SALON}"\nbusiness = "acme"\nnow = '
                    '"2026-11-01T12:00:00Z"\nport = 0\n[faults]\nlatency_ms = 5\n'
                    '[faults.rate_limit]\nrequests = 50\nwindow_seconds = 1.0\n')
    settings = sandbox.load_config(good)
    assert settings.config.business_id == "acme" and settings.port == 0
    assert settings.config.faults.rate_limit == sandbox.RateLimit(50, 1.0)
    assert settings.snapshots == (EXAMPLE_SALON,)
    bad = tmp_path / "bad.toml"
    bad.write_text('snapshot = "x.json"\n[faults]\nlatency = 5\n')
    with pytest.raises(br.InputError, match=r"bad.toml: at faults.latency: .*latency_ms"):
        sandbox.load_config(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("snapshot = \n")
    with pytest.raises(br.InputError, match="valid TOML"):
        sandbox.load_config(broken)


def test_run_cli_bad_input_exits_2_with_one_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert sandbox.run_cli(argparse.Namespace(snapshot=str(missing), port=0)) == 2
    err = capsys.readouterr().err
    assert err.startswith("booking-rules sandbox: ") and str(missing) in err
    assert "Traceback" not in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"branch": {"branchId": "b"}}')
    assert sandbox.run_cli(snapshot=str(bad), port=0) == 2
    assert "branch.timeZone" in capsys.readouterr().err
    assert sandbox.run_cli(snapshot=str(EXAMPLE_SALON), host="0.0.0.0", port=0) == 2
    assert "loopback" in capsys.readouterr().err
    assert sandbox.run_cli(snapshot=str(EXAMPLE_SALON), now="noon", port=0) == 2
    assert sandbox.run_cli(snapshot=str(EXAMPLE_SALON), username="global/a@b.c",
                           port=0) == 2
