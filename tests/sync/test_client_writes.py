"""The guarded client's writes beside bookings (issue 18) against the sandbox in-process:
each passes and is stored, each refuses locally on a failing example body, a purchase
number reused by this client's own earlier purchase is refused locally, and the async
twin shares the path."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from booking_rules.cache import Cache
from booking_rules.phorest import AsyncClient, Client, RefusedLocally
from booking_rules.sandbox import async_transport

from .conftest import Clock
from .test_against_sandbox import BASE, BRANCH, BUSINESS, CREDS, Bench, _synced, bench

__all__ = ["bench"]  # the sandbox fixture, shared with test_against_sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "requests"


def _body(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text())["body"]
    return body


def _client(bench: Bench, cache: Cache, clock: Clock) -> Client:
    return Client(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                  transport=bench.transport, corpus=None, clock=clock)


def _sent_count(bench: Bench) -> int:
    return len(bench.controls.get("/log", params={"limit": 10_000}).json()["entries"])


def _refused(bench: Bench, call: Any, *args: Any) -> RefusedLocally:
    before = _sent_count(bench)
    with pytest.raises(RefusedLocally) as refused:
        call(*args)
    assert _sent_count(bench) == before  # nothing reached the API
    return refused.value


def test_client_writes_pass_are_stored_and_failing_bodies_are_refused_locally(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    _synced(bench, cache, clock)
    with _client(bench, cache, clock) as phorest:
        made = phorest.create_client(_body("client_create"))
        assert made.status == 201 and made.report.verdict == "PASS"
        assert made.body["version"] == 1 and made.body["clientId"]
        refused = _refused(bench, phorest.create_client, _body("client_create_keeps_id"))
        assert {"CLIENT_ID_ON_CREATE", "PHONE_SENT_AS_NUMBER"} <= set(refused.report.codes)

        updated = phorest.update_client("cli_mary", _body("client_update"))
        assert updated.status == 200 and updated.body["version"] == 17
        assert phorest.client_versions["cli_mary"] == 17
        # The cache still says 16 until a sync: the answered version is the current one.
        again = phorest.update_client("cli_mary", {**_body("client_update"), "version": 17})
        assert again.ok and again.body["version"] == 18
        stale = _refused(bench, phorest.update_client, "cli_mary",
                         _body("client_update_stale_version"))
        assert stale.report.codes == ["CLIENT_VERSION_STALE"]

        course = phorest.update_client_course("cc_gus", _body("client_course_extend"))
        assert course.status == 200 and course.body["expiryDate"] == "2027-12-01"
        bad = _refused(bench, phorest.update_client_course, "cc_gus",
                       _body("client_course_expiry_before_purchase"))
        assert bad.report.codes == ["CLIENT_COURSE_EXPIRY_INVALID"]
    state = bench.export()
    mary = next(c for c in state["clients"] if c["clientId"] == "cli_mary")
    assert mary["version"] == 18
    gus = next(c for c in state["clientCourses"] if c["clientCourseId"] == "cc_gus")
    assert gus["expiryDate"] == "2027-12-01"


def test_export_job_is_created_then_read_and_an_expired_link_is_refused(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    _synced(bench, cache, clock)
    with _client(bench, cache, clock) as phorest:
        job = phorest.create_csv_export_job(_body("export_job_october"))
        assert job.status == 201 and job.body["jobStatus"] == "SCHEDULED"
        refused = _refused(bench, phorest.create_csv_export_job,
                           _body("export_job_misspelt"))
        assert "EXPORT_JOB_TYPE_UNKNOWN" in refused.report.codes
        job_id = job.body["jobId"]
        clock.advance(seconds=60)
        bench.clock.set(clock.now)
        done = phorest.read_csv_export_job(job_id)
        assert done.ok and done.body["jobStatus"] == "DONE" and done.report.verdict == "PASS"
        # The link was signed at the read; an hour later it has expired: refused locally
        # (the read itself reached the API, the link is what is not used).
        late = clock.advance(hours=1)  # the sandbox's clock stays: the link is old
        with pytest.raises(RefusedLocally) as expired:
            phorest.read_csv_export_job(job_id)
        assert expired.value.report.codes == ["EXPORT_LINK_EXPIRED"]
        assert expired.value.kind == "readCsvExportJob"
        assert phorest.read_csv_export_job(job_id, now=late, force=True).forced
        missing = phorest.read_csv_export_job("job_nope")
        assert missing.status == 404 and not missing.ok


def _service_purchase(number: str) -> dict[str, Any]:
    """A purchase of a service (the cache holds services; it syncs no products yet)."""
    return {"number": number, "clientId": "cli_mary",
            "payments": [{"amount": 45.0, "type": "CASH"}],
            "items": [{"serviceId": "svc_cut", "price": 45.0, "staffId": "stf_lisa"}]}


def test_a_purchase_is_stored_and_its_number_reused_on_retry_is_refused_locally(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    _synced(bench, cache, clock)
    with _client(bench, cache, clock) as phorest:
        first = phorest.create_purchase(_service_purchase("WEB-77aa"))
        assert first.status == 201 and first.report.verdict == "PASS", first.report.to_text()
        transaction = first.body["transactionNumber"]
        kept = phorest.purchases[-1]
        assert kept.key == (BRANCH, transaction) and kept.number == "WEB-77aa"
        assert kept.source == "log"
        # The retry a flaky network invites: same number, refused before it is sent.
        retry = _refused(bench, phorest.create_purchase, _service_purchase("WEB-77aa"))
        assert retry.report.codes == ["PURCHASE_NUMBER_REUSED"]
        [earlier] = next(v for v in retry.report.violations
                         if v.code == "PURCHASE_NUMBER_REUSED").evidence["earlier"]
        assert (earlier["branchId"], earlier["transactionNumber"]) == (BRANCH, transaction)
        assert phorest.create_purchase(_service_purchase("WEB-77ab")).status == 201
        # A failing example body: payments short of the items.
        short = _refused(bench, phorest.create_purchase, _body("purchase_reused_number"))
        assert "PAYMENTS_DO_NOT_COVER_ITEMS" in short.report.codes
        # The cache syncs no branch products: a product purchase is UNKNOWN, so refused
        # unless forced; forced, the sandbox takes it.
        unknown = _refused(bench, phorest.create_purchase, _body("purchase_web_shop"))
        assert unknown.report.verdict == "UNKNOWN"
        assert phorest.create_purchase(_body("purchase_web_shop"), force=True).status == 201
    rows = [r for r in bench.export()["purchases"] if r.get("number", "").startswith("WEB-")]
    assert {r["number"] for r in rows} >= {"WEB-77aa", "WEB-77ab", "WEB-3f9c2a71"}


def test_a_voucher_is_refused_locally_when_failing_or_unknown_and_stored_when_forced(
        bench: Bench, cache: Cache, clock: Clock) -> None:
    _synced(bench, cache, clock)
    with _client(bench, cache, clock) as phorest:
        bad = _refused(bench, phorest.create_voucher, _body("voucher_serial_taken"))
        assert "VOUCHER_EXPIRY_NOT_AFTER_ISSUE" in bad.report.codes
        # The cache syncs no vouchers: whether the serial is taken is UNKNOWN.
        unknown = _refused(bench, phorest.create_voucher, _body("voucher_gift"))
        assert unknown.report.verdict == "UNKNOWN"
        made = phorest.create_voucher(_body("voucher_gift"), force=True)
        assert made.status == 201 and made.forced and made.body["serialNumber"] == "200100"
    assert any(v["serialNumber"] == "200100" for v in bench.export()["vouchers"])


def test_the_async_twin_has_the_same_writes(bench: Bench, cache: Cache, clock: Clock
                                             ) -> None:
    _synced(bench, cache, clock)

    async def run() -> list[int]:
        async with AsyncClient(BASE, CREDS, cache=cache, business=BUSINESS, branch=BRANCH,
                               transport=async_transport(bench.app), corpus=None,
                               clock=clock) as phorest:
            with pytest.raises(RefusedLocally):
                await phorest.create_client(_body("client_create_keeps_id"))
            statuses = [(await phorest.create_client(_body("client_create"))).status,
                        (await phorest.update_client("cli_mary",
                                                     _body("client_update"))).status,
                        (await phorest.update_client_course(
                            "cc_gus", _body("client_course_extend"))).status,
                        (await phorest.create_purchase(_service_purchase("A-1"))).status,
                        (await phorest.create_voucher(_body("voucher_gift"),
                                                      force=True)).status]
            with pytest.raises(RefusedLocally) as reused:
                await phorest.create_purchase(_service_purchase("A-1"))
            assert reused.value.report.codes == ["PURCHASE_NUMBER_REUSED"]
            job = await phorest.create_csv_export_job(_body("export_job_october"))
            read = await phorest.read_csv_export_job(job.body["jobId"])
            return [*statuses, job.status, read.status]

    assert asyncio.run(run()) == [201, 200, 200, 201, 201, 201, 200]
