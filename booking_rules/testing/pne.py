"""Hypothesis strategies for PatientNow Essentials: locations, appointments and orders.

PNE has no sandbox and a daily request budget; these stand in for live data::

    from hypothesis import given, strategies as st
    from booking_rules import testing as brt

    @given(st.data())
    def test_my_booking_widget(data):
        doc = data.draw(brt.pne_locations())
        body = data.draw(brt.pne_appointments(doc))   # a POST /appointments body
        ...

What each guarantees (sound, not complete):

* :func:`pne_locations` -- a PNE snapshot document (``booking_rules.platforms.pne``
  reads it without error or notice) in a zone with DST, over one or two days that may be
  a DST change: services with Init/Delay/Complete minutes, employees with qualified
  services and work schedules, customers (sometimes as ``Page``/``Rows`` pages),
  appointments (some with a processing Delay, some cancelled) and products priced per
  location. Every id a row names is one the document holds; times lie on the
  quarter-hour grid of the location's wall clock. ``Coverage.FetchedAt`` is the
  instant :func:`now_for_pne` gives, before every working day.
* :func:`pne_appointments` -- a ``POST /appointments`` body naming the document's ids,
  starting on the quarter-hour wall-clock grid of a covered day, with the service's
  minutes (or, ``exact_minutes=False``, sometimes others).
* :func:`pne_orders` -- a ``POST /orders`` body selling the document's products and
  services. ``consistent=True``: every amount reconciles (ExtendedPrice, SubTotal, Total,
  payments; all in whole cents, as JSON numbers); ``None`` (default): sometimes one
  amount is off, a quantity negative, or an enum unknown, so the arithmetic rules have
  something to find.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

__all__ = ["PNE_ZONES", "now_for_pne", "pne_appointments", "pne_locations", "pne_orders"]

Doc = dict[str, Any]

#: Zones with DST in both hemispheres, and one without.
PNE_ZONES: tuple[str, ...] = ("America/Chicago", "America/New_York", "Australia/Sydney",
                              "Europe/London", "America/Phoenix")
# Days to build on: ordinary ones, and each zone's DST changes of 2025 (both directions).
_DAYS: tuple[date, ...] = (
    date(2025, 9, 11), date(2025, 9, 12), date(2025, 3, 9), date(2025, 11, 2),
    date(2025, 4, 6), date(2025, 10, 5), date(2025, 3, 30), date(2025, 10, 26),
)
_SERVICES = (("Botox", 15, 0, 0), ("HydraFacial", 45, 0, 0), ("Chemical peel", 20, 15, 10),
             ("Consultation", 30, 0, 0), ("Microneedling", 30, 30, 15), ("Filler", 45, 0, 15))
_EMPLOYEES = (("Lev", "Kurts"), ("Andrew", "Ault"), ("Maya", "Chen"), ("Ines", "Mora"))
_CUSTOMERS = (("Test", "Client"), ("Jane", "Doe"), ("Ravi", "Shah"), ("Olu", "Ade"))
_PRODUCTS = (("Vitamin C serum", 4800), ("SPF 50", 2000), ("Retinol cream", 6250))
LOCATION = "co_gen"
OTHER_LOCATION = "co_other"


def now_for_pne(doc: Mapping[str, Any]) -> datetime:
    """The instant a check of ``doc`` runs at: its ``Coverage.FetchedAt``."""
    text = str(doc["Coverage"]["FetchedAt"]).replace("Z", "+00:00")
    return datetime.fromisoformat(text).astimezone(UTC)


def _wall(day: date, minutes: int) -> str:
    return (datetime.combine(day, time(0)) + timedelta(minutes=minutes)).strftime(
        "%Y-%m-%dT%H:%M:%S")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _money(cents: int) -> float:
    """Whole cents as the JSON number a client sends (``20.0``, ``19.99``)."""
    return round(cents / 100, 2)


@st.composite
def pne_locations(draw: st.DrawFn, *, zones: Sequence[str] = PNE_ZONES,
                  max_employees: int = 3) -> Doc:
    """A PNE location document (see the module docstring)."""
    zone = draw(st.sampled_from(tuple(zones)))
    first = draw(st.sampled_from(_DAYS))
    days = [first + timedelta(days=k) for k in range(draw(st.integers(1, 2)))]
    services = []
    for i, (name, init, delay, complete) in enumerate(
            draw(st.lists(st.sampled_from(_SERVICES), min_size=1, max_size=3,
                          unique=True))):
        services.append({"ServiceId": f"svc_{i}", "Name": name, "InitialMinutes": init,
                         "ProcessMinutes": delay, "CompleteMinutes": complete,
                         "IsActive": True})
    service_ids = [s["ServiceId"] for s in services]
    employees = []
    for i in range(draw(st.integers(1, max_employees))):
        first_name, last_name = _EMPLOYEES[i]
        chosen: list[str] = draw(st.lists(st.sampled_from(service_ids), min_size=1,
                                          unique=True))
        qualified = None if draw(st.booleans()) else chosen
        schedule = []
        for day in days:
            if draw(st.integers(0, 5)) == 0:
                continue  # a day off
            start = draw(st.integers(7 * 4, 12 * 4)) * 15
            end = start + draw(st.integers(4 * 4, 9 * 4)) * 15
            entry = {"Date": day.isoformat(), "StartTime": _clock(start),
                     "EndTime": _clock(min(end, 23 * 60 + 45))}
            if draw(st.booleans()):
                off = start + draw(st.integers(8, 14)) * 15
                if off + 30 < end:
                    entry["OffStartTime"] = _clock(off)
                    entry["OffEndTime"] = _clock(off + 30)
            schedule.append(entry)
        employees.append({"EmployeeId": f"emp_{i}", "FirstName": first_name,
                          "LastName": last_name, "IsActive": True,
                          "QualifiedServices": qualified, "WorkSchedule": schedule})
    customers = [{"CustomerId": f"cus_{i}", "CompanyId": LOCATION, "FirstName": f,
                  "LastName": la} for i, (f, la) in enumerate(_CUSTOMERS)]
    appointments = []
    for i in range(draw(st.integers(0, 4))):
        svc = draw(st.sampled_from(services))
        day = draw(st.sampled_from(days))
        appointments.append({
            "AppointmentId": f"ap_{i}", "CompanyId": LOCATION,
            "CustomerId": draw(st.sampled_from([c["CustomerId"] for c in customers])),
            "EmployeeId": draw(st.sampled_from([e["EmployeeId"] for e in employees])),
            "ServiceId": svc["ServiceId"],
            "StartDate": _wall(day, draw(st.integers(8 * 4, 17 * 4)) * 15),
            "Init": svc["InitialMinutes"], "Delay": svc["ProcessMinutes"],
            "Complete": svc["CompleteMinutes"],
            "Status": draw(st.sampled_from(("Booked", "Booked", "Confirmed", "Cancelled")))})
    products = []
    for i, (name, cents) in enumerate(draw(st.lists(st.sampled_from(_PRODUCTS), min_size=1,
                                                    max_size=3, unique=True))):
        details = [{"CompanyId": LOCATION, "Price": _money(cents), "QtyOnHand": 5}]
        if draw(st.booleans()):
            details.insert(0, {"CompanyId": OTHER_LOCATION, "Price": _money(cents + 400),
                               "QtyOnHand": 1})
        products.append({"ProductId": f"prd_{i}", "Description": name, "IsActive": True,
                         "ProductDetails": details})
    fetched = datetime.combine(days[0] - timedelta(days=2), time(12), ZoneInfo(zone))
    doc: Doc = {
        "Company": {"CompanyId": LOCATION, "Name": "Generated Med Spa", "TimeZone": zone},
        "Services": services, "Employees": employees, "Appointments": appointments,
        "Customers": customers if draw(st.booleans()) else [
            {"Page": 1, "Rows": 100, "DataTotalRows": len(customers), "DataTotalPages": 1,
             "Data": customers}],
        "Products": products,
        "Coverage": {"From": (days[0] - timedelta(days=3)).isoformat(),
                     "To": (days[-1] + timedelta(days=1)).isoformat(),
                     "FetchedAt": fetched.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
    }
    return doc


def _days(doc: Mapping[str, Any]) -> list[date]:
    found = {date.fromisoformat(w["Date"]) for e in doc["Employees"]
             for w in e.get("WorkSchedule") or []}
    return sorted(found) or [date.fromisoformat(doc["Coverage"]["From"])]


def _rows(doc: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in doc.get(key) or []:
        out.extend(item["Data"] if "Data" in item and "Page" in item else [item])
    return out


@st.composite
def pne_appointments(draw: st.DrawFn, doc: Mapping[str, Any], *,
                     exact_minutes: bool = True) -> dict[str, Any]:
    """A ``POST /appointments`` body for ``doc`` (see the module docstring)."""
    svc = draw(st.sampled_from(doc["Services"]))
    minutes = [svc["InitialMinutes"], svc["ProcessMinutes"], svc["CompleteMinutes"]]
    if not exact_minutes and draw(st.booleans()):
        minutes[0] = draw(st.sampled_from((15, 30, 60)))
    day = draw(st.sampled_from(_days(doc)))
    return {
        "CompanyId": doc["Company"]["CompanyId"],
        "CustomerId": draw(st.sampled_from([c["CustomerId"]
                                            for c in _rows(doc, "Customers")])),
        "EmployeeId": draw(st.sampled_from([e["EmployeeId"] for e in doc["Employees"]])),
        "ServiceId": svc["ServiceId"],
        "StartDate": _wall(day, draw(st.integers(7 * 4, 20 * 4)) * 15),
        "Init": minutes[0], "Delay": minutes[1], "Complete": minutes[2],
        "Notes": "generated", "BookedOnline": draw(st.booleans()),
    }


@st.composite
def pne_orders(draw: st.DrawFn, doc: Mapping[str, Any], *,
               consistent: bool | None = None) -> dict[str, Any]:
    """A ``POST /orders`` body for ``doc`` (see the module docstring)."""
    location = doc["Company"]["CompanyId"]
    customer = draw(st.sampled_from([c["CustomerId"] for c in _rows(doc, "Customers")]))
    employee = draw(st.sampled_from([e["EmployeeId"] for e in doc["Employees"]]))
    lines, subtotal = [], 0
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()) or not doc["Services"]:
            product = draw(st.sampled_from(doc["Products"]))
            price = next(round(d["Price"] * 100) for d in product["ProductDetails"]
                         if d["CompanyId"] == location)
            item, kind = product["ProductId"], "R"
        else:
            item, kind = draw(st.sampled_from(doc["Services"]))["ServiceId"], "S"
            price = draw(st.integers(50, 400)) * 100
        qty = draw(st.integers(1, 3))
        lines.append({"CompanyId": location, "CustomerId": customer, "EmployeeId": employee,
                      "ItemId": item, "InvType": kind, "Qty": qty,
                      "RetailPrice": _money(price), "ExtendedPrice": _money(qty * price)})
        subtotal += qty * price
    tax = draw(st.sampled_from((0, 0, 165, 1000)))
    total = subtotal + tax
    split = draw(st.integers(0, total)) if draw(st.booleans()) else total
    payments = [{"CompanyId": location, "PaymentType": draw(st.sampled_from((1, 4, 5, 18))),
                 "Amount": _money(split), "PaymentDate": "2025-09-08T14:04:00"}]
    if split < total:
        payments.append({"CompanyId": location, "PaymentType": 1,
                         "Amount": _money(total - split),
                         "PaymentDate": "2025-09-08T14:04:00"})
    body: dict[str, Any] = {
        "CompanyId": location, "CustomerId": customer, "EmployeeId": employee,
        "OrderDate": "2025-09-08T14:04:04", "SubTotal": _money(subtotal),
        "Total": _money(total), "LineItems": lines, "Payments": payments}
    if consistent is True or (consistent is None and draw(st.booleans())):
        return body
    line = draw(st.sampled_from(lines))
    flaw = draw(st.sampled_from(("extended", "subtotal", "total", "payment", "quantity",
                                 "inv_type", "payment_type", "string")))
    off = _money(draw(st.sampled_from((1, 5, 100, 2000))))
    if flaw == "extended":
        line["ExtendedPrice"] = round(line["ExtendedPrice"] + off, 2)
    elif flaw == "subtotal":
        body["SubTotal"] = round(body["SubTotal"] + off, 2)
    elif flaw == "total":
        body["Total"] = round(body["SubTotal"] - off, 2)
    elif flaw == "payment":
        payments[0]["Amount"] = round(max(0.0, payments[0]["Amount"] - off), 2)
    elif flaw == "quantity":
        line["Qty"] = -line["Qty"]
    elif flaw == "inv_type":
        line["InvType"] = draw(st.sampled_from(("Retail", "r", "X", None)))
    elif flaw == "payment_type":
        payments[0]["PaymentType"] = draw(st.sampled_from((8, 0, "1", "Cash")))
    else:
        line["RetailPrice"] = f"{line['RetailPrice']:.2f}"
    return body
