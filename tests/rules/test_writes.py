"""The writes beside bookings (issue 18): request kinds and their inference, the example
request files through the CLI, the data the rules need (UNKNOWN without it), exact
decimals, purchases keyed per branch, and a guarded client's log laid over a snapshot."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import booking_rules as br
from booking_rules.cli.main import build_parser, main
from booking_rules.core.records import Purchase
from booking_rules.platforms.phorest.requests import KINDS

from ..conftest import EXAMPLE_SALON, NOW, ROOT, all_codes, run, salon_doc

REQUESTS = ROOT / "docs" / "examples" / "requests"
# Each kind's example files: (the failing one and the codes it fails with, the passing one).
EXAMPLES = {
    "createClient": ("client_create_keeps_id", {"CLIENT_ID_ON_CREATE", "PHONE_SENT_AS_NUMBER"},
                     "client_create"),
    "updateClient": ("client_update_stale_version", {"CLIENT_VERSION_STALE"},
                     "client_update"),
    "updateClientCourse": ("client_course_expiry_before_purchase",
                           {"CLIENT_COURSE_EXPIRY_INVALID"}, "client_course_extend"),
    "createPurchase": ("purchase_reused_number",
                       {"PURCHASE_NUMBER_REUSED", "PAYMENTS_DO_NOT_COVER_ITEMS"},
                       "purchase_web_shop"),
    "createVoucher": ("voucher_serial_taken",
                      {"VOUCHER_SERIAL_TAKEN", "VOUCHER_EXPIRY_NOT_AFTER_ISSUE"},
                      "voucher_gift"),
    "createCsvExportJob": ("export_job_misspelt", {"EXPORT_JOB_TYPE_UNKNOWN"},
                           "export_job_october"),
    "readCsvExportJob": ("export_job_link_expired", {"EXPORT_LINK_EXPIRED"},
                         "export_job_link_fresh"),
}


def _cli(capsys: pytest.CaptureFixture[str], request: Path, *extra: str
         ) -> tuple[int, dict[str, Any] | None, str]:
    code = main(["check", "--snapshot", str(EXAMPLE_SALON), "--request", str(request),
                 "--now", "2026-11-01T12:00:00Z", "--format", "json", *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else None, err


def _load(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((REQUESTS / f"{name}.json").read_text())
    return found


def test_every_kind_has_its_examples_and_the_cli_offers_it() -> None:
    assert set(EXAMPLES) | {"createBooking", "updateAppointment"} == set(KINDS)
    check = build_parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    kind = next(a for a in check._actions if a.dest == "kind")
    from booking_rules.platforms.pne.requests import KINDS as PNE_KINDS

    assert list(kind.choices or ()) == [*KINDS, *PNE_KINDS]


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_each_kind_fails_and_passes_from_the_cli(capsys: pytest.CaptureFixture[str],
                                                 kind: str) -> None:
    failing, codes, passing = EXAMPLES[kind]
    assert _load(failing)["kind"] == _load(passing)["kind"] == kind
    code, report, err = _cli(capsys, REQUESTS / f"{failing}.json")
    assert code == 1, err
    assert report is not None and {v["code"] for v in report["violations"]} == codes
    assert report["predictedApiCode"] is None  # Phorest answers no code for these
    code, report, err = _cli(capsys, REQUESTS / f"{passing}.json")
    assert code == 0, err
    assert report is not None and report["violations"] == [] and report["unknown"] == []


@pytest.mark.parametrize("name", ["client_create", "client_course_extend",
                                  "purchase_web_shop", "voucher_gift",
                                  "export_job_october"])
def test_a_bare_body_says_its_kind(name: str) -> None:
    request = _load(name)
    bare = run(request["body"])
    given = run(request)
    assert bare.to_json() == given.to_json()


def test_a_path_says_an_update_client(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    request = _load("client_update_stale_version")
    del request["kind"]
    path = tmp_path / "req.json"
    path.write_text(json.dumps(request))
    code, report, _ = _cli(capsys, path)
    assert code == 1 and report is not None
    assert {v["code"] for v in report["violations"]} == {"CLIENT_VERSION_STALE"}


def test_a_client_body_with_an_id_and_no_path_needs_kind(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    path = tmp_path / "req.json"
    path.write_text(json.dumps(_load("client_update")["body"]))
    code, _, err = _cli(capsys, path)
    assert code == 2 and "kind" in err and "updateClient" in err and "Traceback" not in err
    code, report, _ = _cli(capsys, path, "--kind", "updateClient")
    assert code == 0 and report is not None and report["violations"] == []
    code, report, _ = _cli(capsys, path, "--kind", "createClient")
    assert code == 1 and report is not None
    assert {v["code"] for v in report["violations"]} == {"CLIENT_ID_ON_CREATE"}


@pytest.mark.parametrize(("request_", "needle"), [
    ({"kind": "createPurchase", "path": {"branchId": "br_other"},
      "body": {"number": "N1", "items": [], "payments": []}}, "path.branchId"),
    ({"kind": "createVoucher", "path": {"branchId": "br_tor"}, "body": {}}, "path.branchId"),
    ({"kind": "createPurchase", "body": {"number": "N1", "items": [
        {"branchProductId": "prd_shampoo", "price": "24.99"}]}}, "body.items[0].price"),
    ({"kind": "createPurchase", "body": {"number": "N1", "items": [
        {"branchProductId": "prd_shampoo", "price": True}]}}, "body.items[0].price"),
    ({"kind": "createVoucher", "body": {"issueDate": "next week"}}, "body.issueDate"),
    ({"kind": "updateClient", "body": {"firstName": "Mary"}}, "body.clientId"),
    ({"kind": "createCsvExportJob", "body": {"startFilter": "2026-10-01"}}, "body.jobType"),
    ({"kind": "updateClient", "path": "cli_mary", "body": {}}, "path"),
    ({"kind": "createClient", "body": {"mobile": ["0871"]}}, "body.mobile"),
])
def test_unusable_write_requests_name_the_place(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path, request_: dict[str, Any],
                                                needle: str) -> None:
    path = tmp_path / "req.json"
    path.write_text(json.dumps(request_))
    code, out, err = _cli(capsys, path)
    assert code == 2 and out is None
    assert err.count("\n") == 1 and str(path) in err and f"at {needle}:" in err


def test_unknown_fields_of_a_write_are_warned_about() -> None:
    body = _load("purchase_web_shop")
    body["body"]["items"][0]["sku"] = "SH-250"
    report = run(body)
    found = [w for w in report.warnings if w.code == "UNKNOWN_FIELD"]
    assert [w.location for w in found] == ["items[0].sku"]
    assert report.verdict == "PASS"


# --- the data a rule needs: UNKNOWN without it, never a guess ---------------------------


@pytest.mark.parametrize(("drop", "request_name", "code"), [
    ("purchases", "purchase_web_shop", "PURCHASE_NUMBER_REUSED"),
    ("products", "purchase_web_shop", "PRODUCT_NOT_BRANCH_PRODUCT"),
    ("vouchers", "voucher_gift", "VOUCHER_SERIAL_TAKEN"),
    ("clients", "voucher_gift", "VOUCHER_UNKNOWN_REFERENCE"),
    ("clients", "client_update", "CLIENT_VERSION_STALE"),
    ("clientCourses", "client_course_extend", "CLIENT_COURSE_EXPIRY_INVALID"),
])
def test_a_missing_list_is_unknown_naming_it(drop: str, request_name: str, code: str) -> None:
    doc = salon_doc()
    del doc[drop]
    report = run(_load(request_name), doc)
    unknown = [u for u in report.unknowns if u.code == code]
    assert report.verdict == "UNKNOWN" and len(unknown) == 1
    assert "snapshot holds no" in unknown[0].message
    # An empty list was fetched: it decides, or (a version, a purchase date of one
    # record) says which record it lacks.
    doc[drop] = []
    after = [u for u in run(_load(request_name), doc).unknowns if u.code == code]
    if drop in ("clients", "clientCourses") and request_name != "voucher_gift":
        assert len(after) == 1 and "does not hold client" in after[0].message
    else:
        assert after == []


def test_a_client_cached_without_a_version_is_unknown() -> None:
    doc = salon_doc()
    mary = next(c for c in doc["clients"] if c["clientId"] == "cli_mary")
    del mary["version"]
    report = run(_load("client_update"), doc)
    assert [u.code for u in report.unknowns] == ["CLIENT_VERSION_STALE"]
    assert "holds no version of client cli_mary" in report.unknowns[0].message


def test_a_version_above_the_cache_says_the_cache_is_stale() -> None:
    request = _load("client_update")
    request["body"]["version"] = 17
    (v,) = run(request).violations
    assert v.code == "CLIENT_VERSION_STALE" and "snapshot is older" in v.message
    assert v.evidence == {"clientId": "cli_mary", "requestVersion": 17, "snapshotVersion": 16}


def test_another_creating_branch_is_unknown_not_a_guess() -> None:
    request = _load("voucher_gift")
    request["body"]["creatingBranchId"] = "br_yyz"
    report = run(request)
    assert [u.code for u in report.unknowns] == ["VOUCHER_UNKNOWN_REFERENCE"]
    assert "GET /branch" in report.unknowns[0].message


# --- money: exact decimals ------------------------------------------------------------


def _purchase(prices: list[float], quantities: list[int], paid: list[float]
              ) -> dict[str, Any]:
    return {"kind": "createPurchase", "body": {
        "number": "EXACT-1", "clientId": "cli_mary",
        "items": [{"branchProductId": "prd_shampoo", "price": p, "quantity": q}
                  for p, q in zip(prices, quantities, strict=True)],
        "payments": [{"amount": a, "type": "CASH", "paymentTypeId": "pt_cash"}
                     for a in paid]}}


def test_payments_are_summed_as_the_decimals_written() -> None:
    # As floats, 0.1 * 3 is 0.30000000000000004, and 0.3 would look short.
    assert "PAYMENTS_DO_NOT_COVER_ITEMS" not in all_codes(run(_purchase([0.1], [3], [0.3])))
    # ... and 0.1 + 0.2 is 0.30000000000000004, which would cover 0.3 + 1e-17 wrongly.
    assert "PAYMENTS_DO_NOT_COVER_ITEMS" not in all_codes(
        run(_purchase([0.3], [1], [0.1, 0.2])))
    short = run(_purchase([24.99], [2], [49.97]))
    (v,) = [v for v in short.violations if v.code == "PAYMENTS_DO_NOT_COVER_ITEMS"]
    assert v.evidence == {"itemsTotal": "49.98", "paymentsTotal": "49.97", "short": "0.01"}


def test_an_item_without_a_price_cannot_be_added_up() -> None:
    request = _purchase([24.99], [1], [24.99])
    del request["body"]["items"][0]["price"]
    report = run(request)
    assert [u.code for u in report.unknowns] == ["PAYMENTS_DO_NOT_COVER_ITEMS"]
    assert "items[0].price" in report.unknowns[0].message


def test_a_voucher_serial_sent_as_a_number_matches_the_text_held() -> None:
    request = _load("voucher_gift")
    request["body"]["serialNumber"] = 100002  # vch_bob's, held as "100002"
    assert "VOUCHER_SERIAL_TAKEN" in {v.code for v in run(request).violations}


# --- purchases are keyed per branch ------------------------------------------------------


def test_transaction_numbers_are_unique_per_branch_only() -> None:
    snap = br.load_snapshot(EXAMPLE_SALON)
    records = snap.records
    tor, yyz = records.purchase("br_tor", "434"), records.purchase("br_yyz", "434")
    assert tor is not None and yyz is not None and tor.purchase_id != yyz.purchase_id
    assert not [n for n in snap.notices if n.rule == "duplicate_id"]
    doc = salon_doc()
    doc["purchases"].append({"purchaseId": "pur_again", "number": "WEB-2000",
                             "transactionNumber": "434", "branchId": "br_tor"})
    again = br.load_snapshot(doc)
    (notice,) = [n for n in again.notices if n.rule == "duplicate_id"]
    assert "transaction 434 of branch br_tor" in notice.message
    assert notice.location == "purchases[3]"
    found = again.records.purchase("br_tor", "434")
    assert found is not None and found.purchase_id == "pur_again"
    assert again.records.purchase("br_yyz", "434") == yyz


def test_a_number_used_at_another_branch_is_reported_with_its_branch() -> None:
    request = _load("purchase_web_shop")
    request["body"]["number"] = "YYZ-0434"
    (v,) = [v for v in run(request).violations if v.code == "PURCHASE_NUMBER_REUSED"]
    assert v.evidence["earlier"] == [{"branchId": "br_yyz", "transactionNumber": "434",
                                      "purchaseId": "pur_yyz_434", "clientId": "cli_bob",
                                      "source": "snapshot"}]


def test_a_guarded_clients_log_is_laid_over_the_snapshot() -> None:
    snap = br.load_snapshot(EXAMPLE_SALON)
    request = _load("purchase_web_shop")
    assert br.check(snap, request, now=NOW).verdict == "PASS"
    # The client sent this number a minute ago; its answer was lost (no transaction yet).
    sent = Purchase("br_tor", number="WEB-3f9c2a71", source="log")
    logged = snap.with_records(snap.records.with_purchases([sent]))
    (v,) = br.check(logged, request, now=NOW).violations
    assert v.code == "PURCHASE_NUMBER_REUSED" and "no answer kept" in v.message
    assert v.evidence["earlier"][0]["source"] == "log"
    # The snapshot's own purchase of a transaction the log also holds counts once.
    again = Purchase("br_tor", "WEB-1001", "434", "pur_tor_434", "cli_mary", source="log")
    merged = snap.records.with_purchases([again])
    assert len(merged.purchases_with_number("WEB-1001")) == 1
    assert len(merged.purchases) == len(snap.records.purchases)


def test_new_records_keep_the_appointments_an_overlay_holds() -> None:
    doc = salon_doc()
    del doc["conventions"]  # read under the ruleset's convention: a variant can be re-read
    snap = br.load_snapshot(doc)
    some = next(iter(snap.appointments.values()))
    moved = snap.with_changes(removed=(some.id,))
    changed = moved.with_records(moved.records.replaced(products={}))
    assert some.id not in changed.appointments
    assert len(changed.appointments) == len(moved.appointments)
    assert changed.records.products == {} and changed.records.holds("products")
    assert snap.records.products  # the base is untouched
    # And the other appointment-time convention reads the same records.
    utc = changed.with_times("utc")
    assert utc is not changed and utc.appointment_times == "utc"
    assert utc.records.products == {} and some.id not in utc.appointments


def test_money_is_read_as_written() -> None:
    snap = br.load_snapshot(EXAMPLE_SALON)
    mary = snap.records.vouchers["vch_mary"]
    assert mary.original_balance == Decimal("50.0")
    assert mary.remaining_balance == Decimal("20.0") and mary.serial == "100001"
