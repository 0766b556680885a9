"""Explain for PNE: status first (PNE publishes no codes), the body read in any form, the
check re-run, and what cannot be known said plainly."""

from __future__ import annotations

from typing import Any

import pytest

from booking_rules.platforms import pne
from booking_rules.platforms.pne.errors import parse_response
from booking_rules.platforms.pne.explain import explain_pne

from .location import PNE_NOW, appointment, location_doc


def explain(error: Any, status: int | None, body: dict[str, Any] | None = None,
            **kw: Any) -> Any:
    return explain_pne(error, body or appointment(), pne.load_snapshot(location_doc()),
                       status=status, now=PNE_NOW, **kw)


@pytest.mark.parametrize(("body", "says"), [
    ({"Message": "Invalid apikey"}, "gateway key"),
    ("Authorization has been denied: bad user or password", "the user"),
    ("", "does not say which"),
])
def test_401_tells_key_from_user_when_the_body_does(body: Any, says: str) -> None:
    ex = explain(body, 401)
    assert ex.diagnosis == "not-about-the-request"
    assert says in ex.explanation
    assert any("GET /status" in e for _, e in ex.remedies)


def test_409_is_confirmed_by_a_conflict_the_check_finds() -> None:
    ex = explain({"Message": "Conflict"}, 409, appointment(StartDate="2025-09-11T13:05:00"))
    assert ex.diagnosis == "confirmed"
    assert [v.code for v in ex.evidence] == ["EMPLOYEE_DOUBLE_BOOKED"]


def test_a_refusal_the_cache_does_not_reproduce_says_so() -> None:
    ex = explain({"Message": "The time is not available"}, 409)
    assert ex.diagnosis == "not-reproduced"
    assert "Refresh the snapshot" in ex.explanation
    assert ex.report.verdict == "PASS"


def test_validation_text_is_matched_to_the_fields_it_names() -> None:
    body = {"Message": "The request is invalid.",
            "ModelState": {"appointment.StartDate": ["The StartDate field is required."]}}
    ex = explain(body, 400, appointment(StartDate="2025-09-11", Init=0))
    assert ex.diagnosis == "confirmed"
    assert [v.code for v in ex.evidence] == ["START_DATE_INVALID"]
    assert "StartDate" in ex.to_text()


def test_429_and_5xx_are_not_about_the_request_and_say_what_cannot_be_known() -> None:
    ex = explain({"Message": "Quota exceeded"}, 429, retry_after="3600")
    assert ex.diagnosis == "not-about-the-request" and "3600" in ex.explanation
    ex = explain("<html><title>502 Bad Gateway</title></html>", 502)
    assert ex.response.form == "html" and ex.response.message == "502 Bad Gateway"
    assert "may have been written" in ex.explanation
    assert any("read-back" in u for u in ex.unknown)


def test_404_and_unknown_ids() -> None:
    ex = explain({"Message": "Not found"}, 404, appointment(EmployeeId="emp_lve"))
    assert ex.diagnosis == "confirmed" and [v.code for v in ex.evidence] == ["UNKNOWN_ID"]


def test_any_body_is_read_without_raising() -> None:
    for body in (None, b"\xff\xfe", "[1, 2]", '"plain"', "5", {"StatusCode": 400}, []):
        response = parse_response(body, None)  # type: ignore[arg-type]
        assert response.describe()
    assert parse_response({"StatusCode": 400}, None).status == 400
    from booking_rules import InputError

    with pytest.raises(InputError):  # a wrong argument type, not a body
        parse_response(5.0, None)  # type: ignore[arg-type]


def test_the_explanation_renders_as_json_and_text() -> None:
    ex = explain({"Message": "Conflict"}, 409, appointment(StartDate="2025-09-11T13:05:00"))
    data = ex.to_dict()
    assert data["platform"] == "pne" and data["check"]["verdict"] == "FAIL"
    assert "What cannot be known" in ex.to_text()


def test_the_explain_package_reads_pne_through_its_seam() -> None:
    import booking_rules as br

    ex = br.explain({"Message": "Conflict"}, appointment(StartDate="2025-09-11T13:05:00"),
                    pne.load_snapshot(location_doc()), status=409, now=PNE_NOW,
                    ruleset="pne", platform="pne")
    assert ex.code is None and ex.diagnosis == "not-a-rule-code"
    assert "Diagnosis: confirmed" in ex.explanation
    assert [e["code"] for e in ex.evidence] == ["EMPLOYEE_DOUBLE_BOOKED"]
    assert ex.remedies and all("action" in r for r in ex.remedies)
