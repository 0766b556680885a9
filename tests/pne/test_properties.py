"""Properties of the PNE platform over generated locations (booking_rules.testing.pne).

* Slots are sound and complete against the PNE check: every slot ``find_slots`` offers on
  a PNE snapshot, written as a ``POST /appointments`` body, passes ``pne.check``; and
  every start (every 5 minutes of elapsed time, the grid all the generated minutes lie
  on) whose body passes is offered. DST days included: a start PNE's ``StartDate`` cannot
  say (the second pass of a repeated hour) is neither offered nor counted.
* Order arithmetic agrees with a plain reading of PNE's rule ("SubTotal/Total should equal
  the sum of its line items, and the Payments should cover the Total") done in integer
  cents from the JSON floats, on orders that reconcile and on orders with one flaw.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import booking_rules as br
import booking_rules.testing as brt
from booking_rules._time import wall_to_utc
from booking_rules.platforms import pne

PROPERTY = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STEP = timedelta(minutes=5)


def _day_window(snap: br.Snapshot, day: Any) -> tuple[datetime, datetime]:
    return (wall_to_utc(day, time(0), snap.zone).instant,
            wall_to_utc(day + timedelta(days=1), time(0), snap.zone).instant)


@PROPERTY
@given(st.data())
def test_every_pne_slot_passes_and_every_passing_start_is_a_slot(data: st.DataObject) -> None:
    doc = data.draw(brt.pne_locations())
    snap = pne.load_snapshot(doc)
    now = brt.now_for_pne(doc)
    service = data.draw(st.sampled_from(sorted(snap.services)))
    employee = data.draw(st.sampled_from(sorted(snap.staff)))
    customer = data.draw(st.sampled_from(sorted(snap.clients)))
    days = sorted({s.local_date for s in snap.roster}) or [now.date()]
    day = data.draw(st.sampled_from(days))
    start, end = _day_window(snap, day)
    slots = br.find_slots(snap, [service], start=start, end=end, staff_id=employee,
                          client_id=customer, now=now, step_minutes=5, platform="pne")
    offered = {s.start for s in slots}
    for slot in slots:
        body = pne.body_for(snap, slot, customer)
        report = pne.check(snap, body, now=now)
        assert report.verdict == "PASS", (body, report.to_text())
    at = start
    while at < end:
        wall = at.astimezone(snap.zone)
        back = wall_to_utc(wall.date(), wall.time().replace(tzinfo=None), snap.zone)
        if back.instant == at:  # a start PNE's StartDate can say
            svc = snap.services[service]
            body = {"CompanyId": snap.branch.id, "CustomerId": customer,
                    "EmployeeId": employee, "ServiceId": service,
                    "StartDate": wall.strftime("%Y-%m-%dT%H:%M:%S"),
                    "Init": svc.duration, "Delay": svc.gap_time,
                    "Complete": svc.finish_duration}
            if pne.check(snap, body, now=now).verdict == "PASS":
                assert at in offered, (body, sorted(offered))
        at += STEP


_ARITHMETIC = {"EXTENDED_PRICE_MISMATCH", "SUBTOTAL_MISMATCH", "TOTAL_BELOW_SUBTOTAL",
               "PAYMENTS_BELOW_TOTAL", "NEGATIVE_QUANTITY", "UNKNOWN_INV_TYPE",
               "UNKNOWN_PAYMENT_TYPE", "INVALID_NUMBER"}


def _plain(body: dict[str, Any]) -> set[str]:
    """PNE's order rule read plainly: JSON floats to integer cents, then compare."""
    found: set[str] = set()

    def number(x: object) -> bool:
        return isinstance(x, (int, float)) and not isinstance(x, bool)

    def cents(x: Any) -> int:
        return round(x * 100)

    money = [body["SubTotal"], body["Total"]] + [
        v for line in body["LineItems"] for v in (line["RetailPrice"], line["ExtendedPrice"])
    ] + [p["Amount"] for p in body["Payments"]]
    if not all(number(x) for x in money) or not all(
            number(line["Qty"]) for line in body["LineItems"]):
        found.add("INVALID_NUMBER")
    for line in body["LineItems"]:
        qty, price, ext = line["Qty"], line["RetailPrice"], line["ExtendedPrice"]
        if number(qty) and qty < 0:
            found.add("NEGATIVE_QUANTITY")
        if line["InvType"] not in ("R", "S", "P", "O", "G"):
            found.add("UNKNOWN_INV_TYPE")
        if number(qty) and number(price) and number(ext) and round(
                qty * cents(price)) != cents(ext):
            found.add("EXTENDED_PRICE_MISMATCH")
    exts = [line["ExtendedPrice"] for line in body["LineItems"]]
    if all(number(x) for x in [*exts, body["SubTotal"]]) and sum(
            cents(x) for x in exts) != cents(body["SubTotal"]):
        found.add("SUBTOTAL_MISMATCH")
    if number(body["Total"]) and number(body["SubTotal"]) and cents(body["Total"]) < cents(
            body["SubTotal"]):
        found.add("TOTAL_BELOW_SUBTOTAL")
    amounts = [p["Amount"] for p in body["Payments"]]
    if all(number(x) for x in [*amounts, body["Total"]]) and sum(
            cents(x) for x in amounts) < cents(body["Total"]):
        found.add("PAYMENTS_BELOW_TOTAL")
    for p in body["Payments"]:
        t = p["PaymentType"]
        if isinstance(t, bool) or t not in (1, 2, 3, 4, 5, 6, 7, 18) or not isinstance(t, int):
            found.add("UNKNOWN_PAYMENT_TYPE")
    return found


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_order_arithmetic_agrees_with_a_plain_reading(data: st.DataObject) -> None:
    doc = data.draw(brt.pne_locations())
    body = data.draw(brt.pne_orders(doc))
    report = pne.check(pne.load_snapshot(doc), {"kind": "order", "body": body},
                       now=brt.now_for_pne(doc))
    engine = {v.code for v in (*report.violations, *report.warnings)} & _ARITHMETIC
    assert engine == _plain(body), (body, report.to_text())


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_an_order_that_reconciles_passes_without_a_warning(data: st.DataObject) -> None:
    doc = data.draw(brt.pne_locations())
    body = data.draw(brt.pne_orders(doc, consistent=True))
    report = pne.check(pne.load_snapshot(doc), body, now=brt.now_for_pne(doc))
    assert report.verdict == "PASS" and not report.warnings, report.to_text()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_minutes_differ_is_timeless_as_declared(data: st.DataObject) -> None:
    """The slot search runs timeless rules once per combination: MINUTES_DIFFER_FROM_SERVICE
    must answer the same whenever the appointment starts."""
    import dataclasses

    doc = data.draw(brt.pne_locations())
    snap = pne.load_snapshot(doc)
    body = data.draw(brt.pne_appointments(doc, exact_minutes=False))
    rule = pne.TABLE.rules["block_minutes_differ"]
    assert rule.timeless
    only = dataclasses.replace(br.load_ruleset("pne", platform="pne"), rules=(rule,))
    first = [(v.code, v.location) for v in pne.check(snap, body, now=brt.now_for_pne(doc),
                                                      ruleset=only).warnings]
    for hours in (-30, 5, 49):
        moved = dict(body)
        start = datetime.fromisoformat(body["StartDate"]) + timedelta(hours=hours)
        moved["StartDate"] = start.strftime("%Y-%m-%dT%H:%M:%S")
        again = pne.check(snap, moved, now=brt.now_for_pne(doc), ruleset=only)
        assert [(v.code, v.location) for v in again.warnings] == first
