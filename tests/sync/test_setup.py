"""Bad setup and credentials: one clear message, and the password never shows anywhere."""

from __future__ import annotations

import base64
import logging
import os
import time
from pathlib import Path

import httpx
import pytest

from booking_rules.cache import Cache
from booking_rules.sync import (
    BASE_URLS,
    AuthError,
    Credentials,
    SetupError,
    Syncer,
    from_environment,
    from_file,
    resolve_base_url,
)
from booking_rules.sync._pne import pne_from_file

from .conftest import BRANCH, Clock, MakeSyncer
from .fake_phorest import BASE_URL, BUSINESS, PASSWORD, USERNAME, FakePhorest


def test_a_wrong_password_says_where_the_credentials_came_from_not_what_they_are(
        make_syncer: MakeSyncer) -> None:
    creds = Credentials.of(USERNAME, "not-the-password-123", "the environment "
                           "(PHOREST_USERNAME/PHOREST_PASSWORD)")
    with pytest.raises(AuthError) as info:
        make_syncer(credentials=creds).poll()
    message = str(info.value)
    assert message == ("GET /biz_qs/branch: HTTP 401: Phorest refused the username and "
                       "password from the environment (PHOREST_USERNAME/PHOREST_PASSWORD); "
                       "check the password")
    assert "not-the-password-123" not in message and USERNAME not in message


def test_a_username_without_global_prefix_is_named_as_the_likely_fault(
        make_syncer: MakeSyncer) -> None:
    creds = Credentials.of("owner@queenst.example", PASSWORD, "the file creds.json")
    with pytest.raises(AuthError, match="does not start with 'global/'") as info:
        make_syncer(credentials=creds).poll()
    assert "owner@queenst.example" not in str(info.value)


def test_403_says_the_credentials_work_but_lack_access(make_syncer: MakeSyncer) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(403, json={}))
    with pytest.raises(AuthError, match="HTTP 403: the credentials from the test were "
                       "accepted but may not read business biz_qs"):
        make_syncer(transport=transport).poll()


def test_an_unknown_branch_lists_the_known_ones(make_syncer: MakeSyncer) -> None:
    with pytest.raises(SetupError, match="unknown branch 'br_nope': business biz_qs has "
                       "br_other_0, br_tor"):
        make_syncer(branch="br_nope").poll()


@pytest.mark.parametrize(("answer", "said"), [
    (lambda r: httpx.Response(200, text="<html>Welcome to nginx</html>",
                              headers={"Content-Type": "text/html"}), "text/html, not JSON"),
    (lambda r: httpx.Response(200, json={"hello": "world"}),
     "the response is not a HAL page"),
    (lambda r: httpx.Response(404, text="nope"), "HTTP 404"),
    (lambda r: httpx.Response(302, headers={"Location": "https://login.example/"}),
     "redirect"),
])
def test_a_base_url_that_does_not_answer_like_phorest_is_one_line(
        make_syncer: MakeSyncer, answer: object, said: str) -> None:
    transport = httpx.MockTransport(answer)  # type: ignore[arg-type]
    with pytest.raises(SetupError, match="does not answer like the Phorest API") as info:
        make_syncer(transport=transport).poll()
    assert said in str(info.value)


def test_a_base_url_that_does_not_answer_at_all(make_syncer: MakeSyncer) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(SetupError, match=r"does not answer like the Phorest API \(GET "
                       r"/biz_qs/branch page 0: connection failed after 6 attempts "
                       r"\(ConnectError\)\)"):
        make_syncer(transport=httpx.MockTransport(refuse)).poll()


def test_base_url_names_and_urls() -> None:
    assert resolve_base_url("EU") == BASE_URLS["eu"] == (
        "https://api-gateway-eu.phorest.com/third-party-api-server/api/business")
    assert resolve_base_url("us").startswith("https://api-gateway-us.phorest.com/")
    assert resolve_base_url("dev").startswith("https://api-gateway-dev.phorest.com/")
    assert resolve_base_url("http://127.0.0.1:8765/third-party-api-server/api/business/") \
        == "http://127.0.0.1:8765/third-party-api-server/api/business"
    with pytest.raises(SetupError, match="plain http would send the password in clear"):
        resolve_base_url("http://salon.example/api")
    with pytest.raises(SetupError, match="credentials do not go in the URL") as info:
        resolve_base_url("https://global%2Fme:hunter2@api-gateway-eu.phorest.com/x")
    assert "hunter2" not in str(info.value)
    with pytest.raises(SetupError, match="expected eu, us, dev or an http"):
        resolve_base_url("ftp://x")


def test_credentials_from_environment_and_files(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="set PHOREST_PASSWORD"):
        from_environment({"PHOREST_USERNAME": USERNAME})
    creds = from_environment({"PHOREST_USERNAME": USERNAME, "PHOREST_PASSWORD": PASSWORD})
    assert creds.auth()._auth_header == "Basic " + base64.b64encode(  # type: ignore[attr-defined]
        f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert PASSWORD not in repr(creds) and USERNAME not in repr(creds)
    env = tmp_path / "phorest.env"
    env.write_text(f"# salon\nexport PHOREST_USERNAME={USERNAME}\nPHOREST_PASSWORD='{PASSWORD}'\n")
    assert from_file(env).password.reveal() == PASSWORD
    assert from_file(env).source == f"the file {env}"
    js = tmp_path / "phorest.json"
    js.write_text(f'{{"username": "{USERNAME}", "password": "{PASSWORD}"}}')
    assert from_file(js).username.reveal() == USERNAME
    broken = tmp_path / "broken.json"
    broken.write_text(f'{{"username": "{USERNAME}", "password": "{PASSWORD}",}}')
    with pytest.raises(SetupError, match="not valid JSON") as info:
        from_file(broken)
    assert PASSWORD not in str(info.value)
    with pytest.raises(SetupError, match="expected lines PHOREST_USERNAME="):
        from_file(_write(tmp_path / "empty.env", "HELLO=1\n"))
    with pytest.raises(SetupError, match="not found"):
        from_file(tmp_path / "nope")


def test_a_credentials_path_that_is_no_regular_file_is_refused_before_reading(
        tmp_path: Path) -> None:
    # Issue 12: an input path that is a FIFO, a device or a directory is refused before
    # reading (a FIFO without a writer would block forever); a big file is not read whole.
    fifo = tmp_path / "creds.fifo"
    os.mkfifo(fifo)
    big = _write(tmp_path / "big.env", "#" * (64 * 1024 + 1))
    for bad, need in ((fifo, "not a FIFO"), (tmp_path, "not a directory"),
                      (Path("/dev/zero"), "not a device"), (big, "at most 64 KiB")):
        for read in (from_file, pne_from_file):
            started = time.perf_counter()
            with pytest.raises(SetupError, match=need) as info:
                read(bad)
            assert time.perf_counter() - started < 2
            assert str(info.value).startswith(f"credentials file {bad}: cannot be read")


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_the_password_never_leaks_into_output_logs_errors_or_the_cache(
        salon: dict[str, object], clock: Clock, cache: Cache, tmp_path: Path,
        caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakePhorest(salon, clock=clock)  # type: ignore[arg-type]
    fake.faults.rate_limit_every = 7
    fake.faults.drop_every = 11
    fake.faults.bad_pages[("/room", 0)] = b"<html>oops</html>"
    fake.lists["staff"].append({"firstName": "no id"})
    messages: list[str] = []
    creds = Credentials.of(USERNAME, PASSWORD, "the test")
    with Syncer(BUSINESS, BRANCH, credentials=creds, store=cache.store, clock=clock,
                base_url=BASE_URL, transport=fake.transport, page_size=5) as syncer:
        summary = syncer.poll(refresh_all=True)
        messages += [str(summary), repr(summary), repr(syncer.api.credentials)]
        print(summary)
    wrong = Credentials.of(USERNAME, PASSWORD + "-x", "the test")
    with pytest.raises(AuthError) as info, Syncer(
            BUSINESS, BRANCH, credentials=wrong, store=cache.store, clock=clock,
            base_url=BASE_URL, transport=fake.transport) as syncer:
        syncer.poll()
    messages.append(str(info.value))
    out = capsys.readouterr()
    token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    texts = [*messages, out.out, out.err, caplog.text]
    assert summary.streams["rooms"].outcome == "failed"  # an error message was made
    assert any("retry" in r.getMessage() for r in caplog.records)  # logs were written
    for text in texts:
        assert PASSWORD not in text and token not in text and USERNAME not in text
    cache.close()
    for path in tmp_path.glob("cache.db*"):
        data = path.read_bytes()
        assert data  # the cache and its WAL were written
        assert PASSWORD.encode() not in data and token.encode() not in data
        assert USERNAME.encode() not in data
