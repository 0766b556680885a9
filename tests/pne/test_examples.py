"""The PNE requests in docs/examples/pne/ give the verdicts and codes their names say,
against the example location (each shared booking rule has a PNE request that fails it
here, and one that passes: the recipe's)."""

from __future__ import annotations

import json

import pytest

from booking_rules.platforms import pne

from .location import PNE_NOW, ROOT, run_pne

EXAMPLES = ROOT / "docs" / "examples" / "pne"
EXPECTED: dict[str, tuple[str, list[str], list[str]]] = {
    "appointment_recipe.json": ("PASS", [], []),
    "appointment_double_booked.json": ("FAIL", ["EMPLOYEE_DOUBLE_BOOKED"], []),
    "appointment_during_processing.json": ("PASS", [], []),
    "appointment_customer_busy.json": ("FAIL", ["CUSTOMER_ALREADY_BOOKED"], []),
    "appointment_unqualified.json": ("FAIL", ["EMPLOYEE_UNQUALIFIED"], []),
    "appointment_not_scheduled.json": ("FAIL", ["EMPLOYEE_NOT_SCHEDULED"], []),
    "appointment_customer_shape.json": ("FAIL", ["CUSTOMER_SHAPE_IN_APPOINTMENT"], []),
    "appointment_utc_start.json": ("PASS", [], ["START_DATE_FORMAT"]),
    "order_recipe.json": ("PASS", [], []),
    "order_wrong_sums.json": ("FAIL", ["EXTENDED_PRICE_MISMATCH", "PAYMENTS_BELOW_TOTAL"],
                              []),
    "order_bad_values.json": ("FAIL", ["INVALID_NUMBER", "NEGATIVE_QUANTITY",
                                       "UNKNOWN_INV_TYPE", "UNKNOWN_PAYMENT_TYPE"], []),
    "order_other_location_price.json": ("PASS", [], ["PRICE_DIFFERS_FROM_CATALOGUE"]),
}


def test_every_example_file_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_request(name: str) -> None:
    verdict, errors, warnings = EXPECTED[name]
    report = run_pne(json.loads((EXAMPLES / name).read_text()), now=PNE_NOW)
    assert report.verdict == verdict, report.to_text()
    assert sorted({v.code for v in report.violations}) == errors, report.to_text()
    assert sorted({v.code for v in report.warnings}) == warnings, report.to_text()
    assert report.predicted_api_code is None  # PNE publishes no codes to predict
    assert report.platform == pne.TABLE.display
