"""``booking-rules sync`` and ``cache status`` through their registration helper."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from booking_rules.sync.cli import add_arguments, run_cache_status, run_sync

from .conftest import BRANCH, Clock
from .fake_phorest import BASE_URL, BUSINESS, PASSWORD, USERNAME, FakePhorest

ENV = {"PHOREST_USERNAME": USERNAME, "PHOREST_PASSWORD": PASSWORD}


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="booking-rules")
    add_arguments(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(list(argv))


def _sync(fake: FakePhorest, clock: Clock, *argv: str, env: dict[str, str] | None = None,
          **kw: object) -> tuple[int, str, str]:
    args = _parse("sync", "--business", BUSINESS, "--branch", BRANCH, "--base-url",
                  BASE_URL, *argv)
    out, err = io.StringIO(), io.StringIO()
    code = run_sync(args, transport=fake.transport, clock=clock, environ=ENV if env is None
                    else env, out=out, err=err, **kw)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_sync_then_status(fake: FakePhorest, clock: Clock, cache_url: str) -> None:
    code, out, err = _sync(fake, clock, "--cache", cache_url)
    assert code == 0, err
    assert out.startswith("sync biz_qs/br_tor: ") and out.count("\n") == 1
    assert "22 requests" in out
    assert "  appointments: ok, 14 changed, 0 gone, 5 requests\n" in err  # plain lines
    args = _parse("cache", "status", "--cache", cache_url)
    status_out = io.StringIO()
    clock.advance(minutes=3)
    assert run_cache_status(args, clock=clock, out=status_out) == 0
    lines = status_out.getvalue().splitlines()
    assert lines[0].split()[:4] == ["business", "branch", "stream", "rows"]
    appts = next(line for line in lines if " appointments " in line)
    assert appts.split()[:6] == ["biz_qs", "br_tor", "appointments", "14", "0",
                                 "2026-10-02..2027-01-30"]
    assert appts.split()[6:8] == ["3", "min"]
    as_json = io.StringIO()
    assert run_cache_status(_parse("cache", "status", "--cache", cache_url, "--format",
                                   "json"), clock=clock, out=as_json) == 0
    streams = {s["stream"]: s for s in json.loads(as_json.getvalue())}
    assert streams["clients"]["branch"] is None and streams["clients"]["rows"] == 13


def test_watch_polls_again_until_stopped(fake: FakePhorest, clock: Clock,
                                         cache_url: str) -> None:
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        clock.advance(seconds=seconds)
        if len(naps) == 2:
            fake.cancel("ap_mary_cut")
        if len(naps) == 4:
            raise KeyboardInterrupt

    code, out, err = _sync(fake, clock, "--cache", cache_url, "--watch", "60", sleep=nap)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and naps == [60.0] * 4
    assert ", 1 requests" in lines[1] and "1 rows changed" in lines[2]
    assert "sync stopped" in err


@pytest.mark.parametrize(("argv", "env", "said"), [
    (["--branch-x"], None, None),  # argparse's own exit 2
    (["--from", "2026-13-01", "--to", "2026-12-01"], None, "--from: expected a date"),
    (["--from", "2026-12-01"], None, "--from and --to go together"),
    (["--from", "2026-12-02", "--to", "2026-12-01"], None, "is after --to"),
    (["--watch", "0"], None, "--watch: expected a number of seconds above 0"),
    ([], {}, "no Phorest credentials: set PHOREST_USERNAME and PHOREST_PASSWORD"),
    (["--credentials-file", "/nonexistent/creds"], None, "credentials file"),
    (["--cache", "mysql://x"], None, "a cache URL starting with sqlite://"),
    (["--cache", "sqlite:////nonexistent/dir/c.db"], None, "cannot"),
    (["--base-url", "http://salon.example"], None, "plain http"),
])
def test_bad_setup_is_one_line_and_exit_2(fake: FakePhorest, clock: Clock, cache_url: str,
                                          argv: list[str], env: dict[str, str] | None,
                                          said: str | None) -> None:
    if said is None:
        with pytest.raises(SystemExit) as info:
            _parse("sync", "--business", BUSINESS, *argv)
        assert info.value.code == 2
        return
    if "--cache" not in argv:
        argv = [*argv, "--cache", cache_url]
    code, out, err = _sync(fake, clock, *argv, env=env)
    assert code == 2 and out == ""
    assert err.startswith("booking-rules: ") and err.count("\n") == 1 and said in err
    assert "Traceback" not in err


def test_unknown_branch_exits_2(fake: FakePhorest, clock: Clock, cache_url: str) -> None:
    args = _parse("sync", "--business", BUSINESS, "--branch", "br_x", "--base-url",
                  BASE_URL, "--cache", cache_url)
    err = io.StringIO()
    assert run_sync(args, transport=fake.transport, clock=clock, environ=ENV,
                    out=io.StringIO(), err=err) == 2
    assert "unknown branch 'br_x'" in err.getvalue()


def test_an_incomplete_sync_exits_1_and_says_why(fake: FakePhorest, clock: Clock,
                                                 cache_url: str) -> None:
    fake.faults.bad_pages[("/room", 0)] = b"not json"
    code, out, _ = _sync(fake, clock, "--cache", cache_url)
    assert code == 1
    assert "rooms stopped: GET /biz_qs/branch/br_tor/room page 0: the response is not JSON" \
        in out


def test_cache_status_of_an_unusable_cache_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00junk" * 1000)
    for url in (f"sqlite:///{tmp_path / 'none.db'}", f"sqlite:///{junk}"):
        err = io.StringIO()
        assert run_cache_status(_parse("cache", "status", "--cache", url),
                                out=io.StringIO(), err=err) == 2
        assert err.getvalue().count("\n") == 1 and url in err.getvalue()


def test_the_credentials_file_flag(fake: FakePhorest, clock: Clock, cache_url: str,
                                   tmp_path: Path) -> None:
    creds = tmp_path / "phorest.json"
    creds.write_text(json.dumps({"username": USERNAME, "password": PASSWORD}))
    code, out, err = _sync(fake, clock, "--cache", cache_url, "--credentials-file",
                           str(creds), env={})
    assert code == 0, err
    assert PASSWORD not in out + err
    creds.write_text(json.dumps({"username": USERNAME, "password": "wrong"}))
    code, out, err = _sync(fake, clock, "--cache", cache_url, "--credentials-file",
                           str(creds), env={})
    assert code == 2 and f"from the file {creds}" in err and "wrong" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_rich_display(fake: FakePhorest, clock: Clock,
                                          cache_url: str) -> None:
    args = _parse("sync", "--business", BUSINESS, "--branch", BRANCH, "--base-url",
                  BASE_URL, "--cache", cache_url)
    out, err = io.StringIO(), _Terminal()
    assert run_sync(args, transport=fake.transport, clock=clock, environ=ENV, out=out,
                    err=err) == 0
    shown = err.getvalue()
    assert "appointments: ok, 14 changed" in shown and "breaks: ok" in shown
    assert PASSWORD not in shown and USERNAME not in shown
