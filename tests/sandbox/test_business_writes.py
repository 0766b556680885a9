"""The writes beside bookings in the sandbox (issue 18): decided by the same rules as
``check``, answered as Phorest's examples are, and stored so the next read and the next
check see them."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

import booking_rules as br
from booking_rules.sandbox import LocalSandbox

from ..conftest import NOW, ROOT, salon_doc
from .conftest import BR, FREE, body, cut

REQUESTS = ROOT / "docs" / "examples" / "requests"


def _example(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((REQUESTS / f"{name}.json").read_text())["body"]
    return found


def _refused(r: httpx.Response, code: str, status: int = 400) -> None:
    assert r.status_code == status, r.text
    err = r.json()
    assert set(err) == {"statusCode", "id", "detail", "errorCode"}
    assert err["detail"].startswith(f"{code}: ")
    assert r.headers["X-Booking-Rules-Verdict"] == "FAIL"
    assert code in r.headers["X-Booking-Rules-Codes"].split(",")


# --- clients -------------------------------------------------------------------------------


def test_a_client_is_created_with_version_1_and_known_to_the_next_booking(
        sb: LocalSandbox) -> None:
    _refused(sb.client.post("/client", json=_example("client_create_keeps_id")),
             "CLIENT_ID_ON_CREATE")
    r = sb.client.post("/client", json=_example("client_create"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["version"] == 1 and made["clientId"].startswith("cli_sbx_")
    assert made["mobile"] == "+14165550123" and made["createdAt"] == "2026-11-01T12:00:00.000Z"
    assert sb.client.get(f"/client/{made['clientId']}").json() == made
    # A booking for the new client: no UNKNOWN_CLIENT, the snapshot knows it now.
    booked = sb.client.post(f"{BR}/booking", json=body(cut("stf_lisa", FREE),
                                                       client=made["clientId"]))
    assert booked.status_code == 201, booked.text
    assert "UNKNOWN_CLIENT" not in booked.headers.get("X-Booking-Rules-Codes", "")


def test_an_update_answers_version_plus_one_and_the_old_version_is_a_conflict(
        sb: LocalSandbox) -> None:
    update = _example("client_update")  # Mary at version 16
    r = sb.client.put("/client/cli_mary", json=update)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 17 and r.json()["email"] == "mary.client@example.com"
    assert r.json()["creatingBranchId"] == "br_tor"
    _refused(sb.client.put("/client/cli_mary", json=update), "CLIENT_VERSION_STALE", 409)
    again = sb.client.put("/client/cli_mary", json={**update, "version": 17,
                                                    "mobile": "0871229348"})
    assert again.status_code == 200 and again.json()["version"] == 18
    assert sb.client.get("/client/cli_mary").json()["mobile"] == "0871229348"
    # The seed's own update sends the mobile as a number: refused here.
    _refused(sb.client.put("/client/cli_mary", json={**update, "version": 18,
                                                     "mobile": 871229348}),
             "PHONE_SENT_AS_NUMBER")
    missing = sb.client.put("/client/cli_nobody", json=update)
    assert missing.status_code == 404 and missing.json()["errorCode"] == "NOT_FOUND"


def test_a_client_course_update_is_decided_and_stored(sb: LocalSandbox) -> None:
    _refused(sb.client.put("/clientcourse/cc_gus",
                           json=_example("client_course_expiry_before_purchase")),
             "CLIENT_COURSE_EXPIRY_INVALID")
    r = sb.client.put("/clientcourse/cc_gus", json=_example("client_course_extend"))
    assert r.status_code == 200 and r.json()["expiryDate"] == "2027-12-01"
    rows = sb.client.get("/clientcourse", params={"client_id": "cli_gus"}).json()
    assert rows["_embedded"]["clientCourses"][0]["expiryDate"] == "2027-12-01"
    _refused(sb.client.put("/clientcourse/cc_gus", json={
        "clientCourseId": "cc_cara", "expiryDate": "2027-12-01"}), "CLIENT_COURSE_ID_MISMATCH")


# --- purchases: the answer's shape, transaction numbers per branch ---------------------------


@pytest.fixture
def two_branches() -> Iterator[LocalSandbox]:
    other = copy.deepcopy(salon_doc())
    other["branch"] = {**other["branch"], "branchId": "br_two", "name": "King St"}
    other["purchases"] = []
    with LocalSandbox(salon_doc(), other, now=NOW) as sandbox:
        yield sandbox


def test_a_purchase_answers_phorests_shape_with_the_branchs_next_transaction(
        two_branches: LocalSandbox) -> None:
    sb = two_branches
    _refused(sb.client.post(f"{BR}/purchase", json=_example("purchase_reused_number")),
             "PURCHASE_NUMBER_REUSED")
    r = sb.client.post(f"{BR}/purchase", json=_example("purchase_web_shop"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert set(made) == {"purchaseId", "number", "transactionNumber", "clientId",
                         "payments", "items", "details"}
    # Queen St's last transaction is 435 (br_yyz's 434 is another branch's).
    assert made["transactionNumber"] == "436" and made["number"] == "WEB-3f9c2a71"
    (item,) = made["items"]
    assert set(item) == {"purchaseItemId", "description", "price", "branchProductId",
                         "staffId", "details", "childPurchaseItems", "quantity"}
    assert item["description"] == "Repair Shampoo 250ml" and item["quantity"] == 2
    assert item["details"]["totalAmount"] == 49.98
    (pay,) = made["payments"]
    assert set(pay) == {"paymentId", "type", "amount"} and pay["amount"] == 49.98
    assert made["details"]["totalAmount"] == 49.98 and made["details"]["changeAmount"] == 0
    # The same number again is refused: the number must change on every request.
    _refused(sb.client.post(f"{BR}/purchase", json=_example("purchase_web_shop")),
             "PURCHASE_NUMBER_REUSED")
    # Another branch numbers its own transactions, and refuses a number used at Queen St.
    other = sb.client.post("/branch/br_two/purchase",
                           json={**_example("purchase_web_shop"), "number": "K-1"})
    assert other.status_code == 201 and other.json()["transactionNumber"] == "1"
    _refused(sb.client.post("/branch/br_two/purchase", json=_example("purchase_web_shop")),
             "PURCHASE_NUMBER_REUSED")
    # Stored keyed by (branchId, transactionNumber): both branches hold a transaction 1
    # or 436 of their own, and the export reads back as a snapshot with both.
    snap = br.load_snapshot(sb.export("br_tor"))
    assert snap.records.purchase("br_tor", "436") is not None
    assert br.load_snapshot(sb.export("br_two")).records.purchase("br_two", "1") is not None


def test_a_dry_run_decides_but_stores_nothing(sb: LocalSandbox) -> None:
    dry = {"X-Sandbox-Dry-Run": "true"}
    r = sb.client.post(f"{BR}/purchase", json=_example("purchase_web_shop"), headers=dry)
    assert r.status_code == 201
    again = sb.client.post(f"{BR}/purchase", json=_example("purchase_web_shop"))
    assert again.status_code == 201 and again.json()["transactionNumber"] == "436"


def test_products_are_listed_as_phorest_pages(sb: LocalSandbox) -> None:
    page = sb.client.get(f"{BR}/product").json()
    assert [p["productId"] for p in page["_embedded"]["products"]] == ["prd_shampoo",
                                                                       "prd_mask"]
    archived = sb.client.get(f"{BR}/product", params={"includeArchived": "true"}).json()
    assert archived["page"]["totalElements"] == 3


# --- vouchers --------------------------------------------------------------------------------


def test_a_voucher_is_created_with_phorests_id_and_read_back(sb: LocalSandbox) -> None:
    _refused(sb.client.post("/voucher", json={**_example("voucher_gift"),
                                              "serialNumber": 100001}),
             "VOUCHER_SERIAL_TAKEN")
    sent = {**_example("voucher_gift"), "voucherId": "ab-123", "remainingBalance": 23.12}
    r = sb.client.post("/voucher", json=sent)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["voucherId"] != "ab-123" and made["serialNumber"] == "200100"
    # As Phorest's example answer shows: the remaining balance is the original.
    assert made["originalBalance"] == made["remainingBalance"] == 50.0
    assert made["issueDate"] == "2026-11-01T12:00:00.000Z"
    assert r.headers["X-Booking-Rules-Verdict"] == "PASS"
    assert r.headers["X-Booking-Rules-Warnings"] == "VOUCHER_RECORDS_NO_SALE"
    assert sb.client.get(f"/voucher/{made['voucherId']}").json() == made
    _refused(sb.client.post("/voucher", json=_example("voucher_gift")), "VOUCHER_SERIAL_TAKEN")
    elsewhere = sb.client.post("/voucher", json={**_example("voucher_gift"),
                                                 "serialNumber": "300", "creatingBranchId":
                                                 "br_nowhere"})
    assert elsewhere.status_code == 400 and "br_nowhere" in elsewhere.json()["detail"]


# --- CSV export jobs on the sandbox clock ----------------------------------------------------


def test_an_export_job_is_scheduled_then_done_and_its_link_expires(sb: LocalSandbox) -> None:
    misspelt = sb.client.post(f"{BR}/csvexportjob", json=_example("export_job_misspelt"))
    _refused(misspelt, "EXPORT_JOB_TYPE_UNKNOWN")
    assert "did you mean TRANSACTIONS_CSV?" in misspelt.json()["detail"]
    r = sb.client.post(f"{BR}/csvexportjob", json={
        "jobType": "TRANSACTIONS_CSV", "startFilter": "2026-10-01",
        "finishFilter": "2026-11-01"})
    assert r.status_code == 201, r.text
    job = r.json()
    assert set(job) == {"jobId", "jobType", "jobStatus", "startFilter", "finishFilter"}
    assert job["jobStatus"] == "SCHEDULED"
    url = f"{BR}/csvexportjob/{job['jobId']}"
    assert sb.client.get(url).json()["jobStatus"] == "SCHEDULED"
    sb.clock.set(NOW + timedelta(seconds=31))
    done = sb.client.get(url).json()
    assert done["jobStatus"] == "DONE" and done["finished"] == "2026-11-01T12:00:30.000Z"
    assert done["totalRows"] == done["succeededRows"] == 2  # Queen St's two purchases
    link = done["tempCsvExternalUrl"]
    assert "X-Amz-Date=20261101T120031Z" in link and "X-Amz-Expires=1799" in link
    csv_text = sb.client.get(link).text
    assert csv_text.count("\n") == 3 and "pur_tor_434" in csv_text
    assert "pur_yyz_434" not in csv_text  # another branch's transaction 434
    # The link is checked by the same rule as `check --kind readCsvExportJob`.
    snap = br.load_snapshot(sb.export())
    later = NOW + timedelta(minutes=40)
    report = br.check(snap, {"kind": "readCsvExportJob", "body": done}, now=later)
    assert [v.code for v in report.violations] == ["EXPORT_LINK_EXPIRED"]
    sb.clock.set(later)
    expired = sb.client.get(link)
    assert expired.status_code == 403 and expired.json()["detail"] == "Request has expired"
    fresh = sb.client.get(url).json()["tempCsvExternalUrl"]
    assert fresh != link and sb.client.get(fresh).status_code == 200
    # A reset forgets the jobs.
    assert sb.controls.post("/reset").status_code == 200
    assert sb.client.get(url).status_code == 404


def test_a_bad_body_is_a_clear_400_never_a_500(sb: LocalSandbox) -> None:
    r = sb.client.post(f"{BR}/purchase", json={"number": "N", "items": [
        {"branchProductId": "prd_shampoo", "price": "24.99"}]})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("request body: at items[0].price")
    empty = sb.client.post("/voucher", content=b"")
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]
