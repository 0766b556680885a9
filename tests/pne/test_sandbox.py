"""The PNE sandbox answers the seed's three recipes end to end, in-process: customer 360,
book from an open slot, ring up a retail order; with PNE's auth and paging, writes decided
by the engine, VISH's refusals and the daily budget. One server over a real socket too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from booking_rules.sandbox import LocalPneSandbox, PneCredentials, PneState, create_pne_app
from booking_rules.sandbox._serve import running

from .location import PNE_LOCATION, location_doc

NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def sb() -> Iterator[LocalPneSandbox]:
    with LocalPneSandbox(PNE_LOCATION, now=NOW) as sandbox:
        yield sandbox


def test_recipe_customer_360(sb: LocalPneSandbox) -> None:
    c = sb.client
    match = c.get("/customers", params={"LastName": "Client", "Rows": 1}).json()
    cust_id, company_id = match[0]["CustomerId"], match[0]["CompanyId"]
    appts = c.post(f"/customers/{cust_id}/Appointments",
                   params={"StartDate": "2025-09-01", "EndDate": "2025-09-30"}).json()
    assert [(a["StartDate"], a["Service"], a["Employee"]) for a in appts] == [
        ("2025-09-11T10:00:00", "HydraFacial", "Andrew Ault")]  # the cancelled one is not
    assert company_id == "co_lakeside"
    assert c.post(f"/customers/{cust_id}/Purchases").json() == []


def test_recipe_book_a_visit_from_an_open_slot(sb: LocalPneSandbox) -> None:
    c = sb.client
    svc = c.get("/services", params={"CompanyId": "co_lakeside", "IsActive": True}).json()[0]
    emp = c.get("/employees", params={"CompanyId": "co_lakeside", "IsActive": True}).json()[0]
    slots = c.get("/appointments/ShowAvailable", params={
        "CompanyId": "co_lakeside", "EmployeeId": emp["EmployeeId"],
        "ServiceId": svc["ServiceId"], "StartDate": "2025-09-11T12:00:00"}).json()
    assert slots[0] == {"AvailableSlot": "2025-09-11 13:15:00", "EmployeeName": "Lev Kurts",
                        "Initial": 15}
    body = {"CompanyId": "co_lakeside", "CustomerId": "cus_test",
            "EmployeeId": emp["EmployeeId"], "ServiceId": svc["ServiceId"],
            "StartDate": slots[0]["AvailableSlot"].replace(" ", "T"),
            "Init": svc["InitialMinutes"], "Delay": 0, "Complete": 0,
            "Notes": "Booked via API", "BookedOnline": True}
    booked = c.post("/appointments", json=body)
    assert booked.status_code == 200 and booked.json()["id"].startswith("ap_")
    # The slot is taken: ShowAvailable no longer offers it, and a second booking is a 409.
    again = c.get("/appointments/ShowAvailable", params={
        "CompanyId": "co_lakeside", "EmployeeId": emp["EmployeeId"],
        "ServiceId": svc["ServiceId"], "StartDate": "2025-09-11T12:00:00"}).json()
    assert again[0]["AvailableSlot"] == "2025-09-11 13:30:00"
    second = c.post("/appointments", json={**body, "CustomerId": "cus_ravi"})
    assert second.status_code == 409
    assert second.headers["X-Booking-Rules-Codes"] == "EMPLOYEE_DOUBLE_BOOKED"
    assert second.json()["Errors"][0]["Code"] == "EMPLOYEE_DOUBLE_BOOKED"


def test_recipe_ring_up_a_retail_order(sb: LocalPneSandbox) -> None:
    c = sb.client
    prod = c.get("/products", params={"CompanyId": "co_lakeside", "IsActive": True}).json()[0]
    price = next(d["Price"] for d in prod["ProductDetails"]
                 if d["CompanyId"] == "co_lakeside")
    order = {"CompanyId": "co_lakeside", "CustomerId": "cus_test", "EmployeeId": "emp_lev",
             "OrderDate": "2025-09-08T14:04:04", "SubTotal": price, "Total": price,
             "LineItems": [{"CompanyId": "co_lakeside", "CustomerId": "cus_test",
                            "EmployeeId": "emp_lev", "ItemId": prod["ProductId"],
                            "InvType": "R", "Qty": 1, "RetailPrice": price,
                            "ExtendedPrice": price}],
             "Payments": [{"CompanyId": "co_lakeside", "PaymentType": 1, "Amount": price,
                           "PaymentDate": "2025-09-08T14:04:00"}]}
    made = c.post("/orders", json=order)
    assert made.status_code == 200
    orders = c.get("/orders", params={"CustomerId": "cus_test"}).json()
    assert orders[0]["OrderNumber"] == "1" and orders[0]["Total"] == price
    assert c.get(f"/orders/{made.json()['id']}").json()["LineItems"][0]["Qty"] == 1
    purchases = c.post("/customers/cus_test/Purchases").json()
    assert purchases[0]["Item"] == prod["Description"]
    short = c.post("/orders", json={**order, "Payments": []})
    assert short.status_code == 400
    assert "PAYMENTS_BELOW_TOTAL" in short.headers["X-Booking-Rules-Codes"]


def test_auth_needs_the_key_and_the_user(sb: LocalPneSandbox) -> None:
    bare = httpx.Client(transport=sb.transport, base_url="http://sandbox/api/v1")
    no_key = bare.get("/services", auth=("sandbox", "sandbox"))
    assert no_key.status_code == 401 and "apikey" in no_key.json()["Message"]
    no_user = bare.get("/services", params={"apikey": "sandbox-key"})
    assert no_user.status_code == 401 and "user" in no_user.json()["Message"]
    assert "sandbox-key" not in no_user.text
    bare.close()


def test_paging_is_page_and_rows(sb: LocalPneSandbox) -> None:
    page = sb.client.get("/services", params={"Page": 2, "Rows": 2})
    assert page.headers["DataTotalRows"] == "5" and page.headers["DataTotalPages"] == "3"
    assert [s["ServiceId"] for s in page.json()] == ["svc_peel", "svc_consult"]
    assert sb.client.get("/services", params={"Rows": 101}).status_code == 400
    assert sb.client.get("/services", params={"Page": 0}).status_code == 400


def test_show_available_needs_all_four(sb: LocalPneSandbox) -> None:
    answer = sb.client.get("/appointments/ShowAvailable", params={"CompanyId": "co_lakeside"})
    assert answer.status_code == 400 and "EmployeeId" in answer.json()["Message"]


def test_bad_bodies_are_4xx_with_a_clear_message(sb: LocalPneSandbox) -> None:
    assert sb.client.post("/appointments", content=b"{").status_code == 400
    answer = sb.client.post("/appointments", json={"CompanyId": "co_lakeside",
                                                   "CustomerId": 5})
    assert answer.status_code == 400 and "CustomerId" in answer.json()["Message"]
    # Issue 12: the bounded reader's limits, a 400 naming the place, never a 500.
    for data, said in ((b"[" * 100_000 + b"]" * 100_000, "nested at most 64"),
                       (b'{"CustomerId": ' + b"9" * 5000 + b"}", "at CustomerId")):
        answer = sb.client.post("/appointments", content=data)
        assert answer.status_code == 400 and said in answer.json()["Message"], answer.text


def test_vish_mode_and_the_daily_budget() -> None:
    with LocalPneSandbox(location_doc(), now=NOW, vish=True, daily_budget=3) as sb:
        c = sb.client
        refused = c.post("/appointments", json={})
        assert refused.status_code == 405 and "VISH" in refused.json()["Message"]
        assert c.get("/appointments/ShowAvailable").status_code == 404
        assert c.get("/appointments").status_code == 200  # reads work
        over = c.get("/services")
        assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0


def test_over_a_real_socket_on_loopback() -> None:
    creds = PneCredentials(apikey="k", username="u", password="p")
    app = create_pne_app(PneState(location_doc()), clock=lambda: NOW, credentials=creds)
    with running(app) as root, httpx.Client(base_url=f"{root}/api/v1", params={"apikey": "k"},
                                            auth=("u", "p"), timeout=10) as client:
        assert root.startswith("http://127.0.0.1:")
        assert client.get("/status").json()["Api"] == "PNE"
