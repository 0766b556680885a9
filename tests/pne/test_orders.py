"""POST /orders: money in exact decimals (cents), every mismatch naming both amounts, and
values that are not numbers or not in PNE's lists reported with their code, never a
crash."""

from __future__ import annotations

from typing import Any

import pytest

import booking_rules as br
from booking_rules.platforms import pne

from .location import PNE_NOW, location_doc, order, run_pne


def codes(report: br.Report) -> set[str]:
    return {v.code for v in (*report.violations, *report.warnings, *report.unknowns)}


def line(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"CompanyId": "co_lakeside", "ItemId": "prd_spf", "InvType": "R",
                           "Qty": 1, "RetailPrice": 20.0, "ExtendedPrice": 20.0}
    out.update(changes)
    return out


def pay(amount: Any = 20.0, kind: Any = 1) -> dict[str, Any]:
    return {"CompanyId": "co_lakeside", "PaymentType": kind, "Amount": amount,
            "PaymentDate": "2025-09-08T14:04:00"}


def test_the_recipe_order_passes() -> None:
    assert run_pne(order()).verdict == "PASS"


def test_money_is_exact_decimal_never_float() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in floats: in exact decimals it is 0.30.
    body = order(SubTotal=0.3, Total=0.3,
                 LineItems=[line(ItemId="x1", InvType="O", RetailPrice=0.1,
                                 ExtendedPrice=0.1),
                            line(ItemId="x2", InvType="O", RetailPrice=0.2,
                                 ExtendedPrice=0.2)],
                 Payments=[pay(0.3)])
    report = run_pne(body)
    assert report.verdict == "PASS", report.to_text()
    req = pne.parse_request(order(), pne.load_snapshot(location_doc()))
    assert str(req.payload.total.value) == "20.0"


def test_each_mismatch_names_both_amounts() -> None:
    body = order(SubTotal=50.0, Total=40.0,
                 LineItems=[line(ItemId="prd_serum", Qty=2, RetailPrice=48.0,
                                 ExtendedPrice=48.0)],
                 Payments=[pay(30.0)])
    report = run_pne(body)
    found = {v.code: v for v in report.violations}
    assert set(found) == {"EXTENDED_PRICE_MISMATCH", "SUBTOTAL_MISMATCH",
                          "TOTAL_BELOW_SUBTOTAL", "PAYMENTS_BELOW_TOTAL"}
    assert "48.00" in found["EXTENDED_PRICE_MISMATCH"].message
    assert "96.00" in found["EXTENDED_PRICE_MISMATCH"].message
    assert "50.00" in found["SUBTOTAL_MISMATCH"].message
    assert "48.00" in found["SUBTOTAL_MISMATCH"].message
    assert {"40.00", "50.00"} <= set(found["TOTAL_BELOW_SUBTOTAL"].message.replace(
        ",", " ").replace("(", " ").split())
    assert "30.00" in found["PAYMENTS_BELOW_TOTAL"].message
    assert "40.00" in found["PAYMENTS_BELOW_TOTAL"].message
    assert found["EXTENDED_PRICE_MISMATCH"].location == "LineItems[0].ExtendedPrice"


@pytest.mark.parametrize("value", ["20.00", None, True, [20], {"v": 20}, float("nan"),
                                   20.001])
def test_a_money_field_that_is_not_a_number_is_a_violation(value: Any) -> None:
    report = run_pne(order(LineItems=[line(RetailPrice=value)]))
    assert "INVALID_NUMBER" in codes(report), report.to_text()
    v = next(v for v in report.violations if v.code == "INVALID_NUMBER")
    assert v.location == "LineItems[0].RetailPrice"


def test_missing_money_fields_are_violations() -> None:
    body = order()
    del body["SubTotal"], body["Total"]
    report = run_pne(body)
    assert [v.location for v in report.violations if v.code == "INVALID_NUMBER"] == [
        "SubTotal", "Total"]


def test_a_negative_quantity_and_unknown_enums_are_violations() -> None:
    report = run_pne(order(LineItems=[line(Qty=-1, ExtendedPrice=-20.0, InvType="r")],
                           SubTotal=-20.0, Total=-20.0, Payments=[pay(0.0, "1")]))
    assert {"NEGATIVE_QUANTITY", "UNKNOWN_INV_TYPE", "UNKNOWN_PAYMENT_TYPE"} <= codes(report)


def test_the_catalogue_price_is_the_selling_locations_and_warns() -> None:
    body = order(SubTotal=52.0, Total=52.0, Payments=[pay(52.0)],
                 LineItems=[line(ItemId="prd_serum", RetailPrice=52.0, ExtendedPrice=52.0)])
    report = run_pne(body)
    assert report.verdict == "PASS"
    assert [v.code for v in report.warnings] == ["PRICE_DIFFERS_FROM_CATALOGUE"]
    assert "52.00" in report.warnings[0].message and "48.00" in report.warnings[0].message


def test_ids_are_checked_against_the_catalogue_the_inv_type_names() -> None:
    assert "UNKNOWN_ORDER_ID" in codes(run_pne(order(LineItems=[line(ItemId="prd_sfp")])))
    # A product id sold as a service is not a service.
    assert "UNKNOWN_ORDER_ID" in codes(run_pne(order(LineItems=[line(InvType="S")])))
    assert "UNKNOWN_ORDER_ID" in codes(run_pne(order(EmployeeId="emp_nobody")))
    gift = run_pne(order(LineItems=[line(ItemId="gc_1", InvType="G")]))
    assert gift.verdict == "UNKNOWN"  # no gift certificates in a snapshot: never a pass
    assert "UNKNOWN_ORDER_CUSTOMER" in codes(run_pne(order(CustomerId="cus_nobody")))


def test_one_company_throughout() -> None:
    body = order(LineItems=[line(CompanyId="co_downtown")], Payments=[
        {**pay(), "CompanyId": "co_downtown"}])
    report = run_pne(body)
    assert [v.location for v in report.violations if v.code == "COMPANY_MISMATCH"] == [
        "LineItems[0].CompanyId", "Payments[0].CompanyId"]


def test_an_order_body_that_cannot_be_read_names_the_json_path() -> None:
    snap = pne.load_snapshot(location_doc())
    for body, path in ((order(LineItems="none"), "body.LineItems"),
                       (order(LineItems=[line(ItemId=None)]), "body.LineItems[0].ItemId"),
                       (order(Payments=[5]), "body.Payments[0]")):
        with pytest.raises(br.InputError) as err:
            pne.check(snap, {"kind": "order", "body": body}, now=PNE_NOW)
        assert err.value.path == path
