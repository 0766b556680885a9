"""Reading PNE snapshot documents: canonical parts from PNE's shapes, pages held to PNE's
paging, and unusable input as one InputError naming the JSON path."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

import booking_rules as br
from booking_rules.platforms import infer, pne

from .location import PNE_LOCATION, location_doc


def test_the_example_location_reads_into_canonical_parts() -> None:
    snap = pne.load_snapshot(PNE_LOCATION)
    assert snap.branch.id == "co_lakeside" and snap.zone.key == "America/Chicago"
    assert not snap.notices
    peel = snap.services["svc_peel"]
    assert (peel.duration, peel.gap_time, peel.finish_duration) == (20, 15, 10)
    assert snap.services["svc_laser_old"].archived
    # QualifiedServices kept the canonical way round: the services Andrew may not do.
    assert snap.staff["emp_andrew"].disqualified_services == {"svc_botox", "svc_peel",
                                                              "svc_laser_old"}
    assert snap.staff["emp_former"].archived
    # The serum's price is the selling location's entry, not the first one.
    assert snap.records.products["prd_serum"].price == Decimal("48.0")
    assert snap.records.holds("products")
    assert snap.clients["cus_test"].name == "Test Client"  # read from its page


def test_a_processing_appointment_holds_the_employee_twice_and_the_customer_throughout(
        ) -> None:
    snap = pne.load_snapshot(PNE_LOCATION)
    peel = snap.appointments["ap_jane_peel"]
    t = lambda h, m: datetime(2025, 9, 11, h, m, tzinfo=UTC)  # noqa: E731
    assert peel.blocks == ((t(15, 0), t(15, 20)), (t(15, 35), t(15, 45)))
    assert snap.staff_appointments("emp_maya", t(15, 20), t(15, 35)) == []
    assert [a.id for a in snap.client_appointments("cus_jane", t(15, 20), t(15, 35))] == [
        "ap_jane_peel"]


def test_a_cancelled_appointment_holds_nothing() -> None:
    snap = pne.load_snapshot(PNE_LOCATION)
    at = datetime(2025, 9, 11, 19, 0, tzinfo=UTC)
    assert snap.appointments["ap_test_cancelled"].activation_state == "CANCELED"
    assert snap.staff_appointments("emp_maya", at, at.replace(minute=15)) == []


def test_pages_must_follow_pne_paging() -> None:
    doc = location_doc()
    rows = doc["Customers"][0]["Data"]
    doc["Customers"] = [{"Page": 1, "Rows": 2, "Data": rows[:1]},
                        {"Page": 2, "Rows": 2, "Data": rows[1:]}]
    with pytest.raises(br.InputError) as err:
        pne.load_snapshot(doc)
    assert err.value.path == "Customers[0].Data"
    assert "short page" in str(err.value)
    doc["Customers"] = [{"Page": 1, "Rows": 2, "Data": rows[:2], "DataTotalRows": 9},
                        {"Page": 2, "Rows": 2, "Data": rows[2:]}]
    with pytest.raises(br.InputError, match="DataTotalRows"):
        pne.load_snapshot(doc)
    doc["Customers"] = [{"Page": 1, "Rows": 200, "Data": rows}]
    with pytest.raises(br.InputError, match=r"Customers\[0\]\.Rows"):
        pne.load_snapshot(doc)


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d.pop("Company"), "Company"),
    (lambda d: d["Company"].pop("TimeZone"), "Company.TimeZone"),
    (lambda d: d["Company"].update(TimeZone="Chicago"), "Company.TimeZone"),
    (lambda d: d["Services"][1].update(InitialMinutes="45"), "Services[1].InitialMinutes"),
    (lambda d: d["Employees"][0]["WorkSchedule"][0].update(StartTime="1pm"),
     "Employees[0].WorkSchedule[0].StartTime"),
    (lambda d: d["Appointments"][2].update(StartDate="11/09/2025 10:00"),
     "Appointments[2].StartDate"),
    (lambda d: d["Employees"][1].update(QualifiedServices="svc_consult"),
     "Employees[1].QualifiedServices"),
    (lambda d: d["Products"][0]["ProductDetails"][0].update(Price="20.00"),
     "Products[0].ProductDetails[0].Price"),
    (lambda d: d["Coverage"].update(FetchedAt="2025-09-01T11:00:00"), "Coverage.FetchedAt"),
])
def test_unusable_input_names_the_json_path(change: Any, path: str) -> None:
    doc = location_doc()
    change(doc)
    with pytest.raises(br.InputError) as err:
        pne.load_snapshot(doc)
    assert err.value.path == path, str(err.value)


def test_unknown_keys_and_duplicate_ids_are_notices() -> None:
    doc = location_doc()
    doc["Tips"] = []
    doc["Services"].append(dict(doc["Services"][0]))
    snap = pne.load_snapshot(doc)
    assert {n.rule for n in snap.notices} == {"unknown_field", "duplicate_id"}


def test_the_platform_is_inferred_from_the_snapshot(tmp_path: Any) -> None:
    assert infer(location_doc()) == "pne"
    assert infer(PNE_LOCATION) == "pne"
    assert infer({"branch": {}}) == "phorest"
    from ..conftest import EXAMPLE_SALON

    assert infer(EXAMPLE_SALON) == "phorest"
    assert infer(tmp_path / "missing.json") == "phorest"
