"""The engine against the plain reading (``reference.py``) on what RULES.md round 2 changed.

``booking_rules.testing`` draws branches as the contract stood before round 2, and it is
not this suite's to change. So the generated snapshots and requests are mutated here into
the shapes live tenants send: zero-length rows, ``ARCHIVED`` and undocumented states,
``WIDGET``/``PHOREST`` sources, offer links under ``serviceGroupId`` /
``parentServiceGroupId`` (appointments) and ``branchServiceGroupId`` (bookings), sessions
named by ``clientCourseId``, roster slots and offer windows that run past midnight or are
empty, and lists left out (absent is not empty). Both sides must still agree on the set
of Phorest codes at error severity.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from booking_rules import testing as brt

from . import reference
from .test_differential import engine_codes

_OPTIONAL_LISTS = ("breaks", "rooms", "machines", "specialOffers", "courses",
                   "clientCourses", "workTimeTables", "appointments")


def _round2(data: st.DataObject, doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    items = {it["clientCourseItemId"]: cc["clientCourseId"]
             for cc in doc.get("clientCourses") or () for it in cc["clientCourseItems"]}
    for a in doc.get("appointments") or ():
        change = data.draw(st.sampled_from(
            ("none", "none", "zero", "state", "source", "offer", "course")), label="row")
        if change == "zero":
            a["endTime"] = a["startTime"]
        elif change == "state":
            a["activationState"] = data.draw(st.sampled_from(("ARCHIVED", "PENDING")))
        elif change == "source":
            a["source"] = data.draw(st.sampled_from(("WIDGET", "PHOREST", "API")))
        elif change == "offer" and a.get("specialOfferId"):
            a[data.draw(st.sampled_from(("serviceGroupId", "parentServiceGroupId")))] = (
                a.pop("specialOfferId"))
        elif change == "course" and a.get("clientCourseItemId"):
            a["clientCourseId"] = items[a.pop("clientCourseItemId")]
        event(f"row: {change}")
    for table in doc.get("workTimeTables") or ():
        for slot in table["timeSlots"]:
            if slot.get("type") == "WORKING" and data.draw(st.booleans(), label="slot"):
                slot["endTime"] = data.draw(st.sampled_from(
                    (slot["startTime"], "00:00:00", "01:30:00")), label="slot end")
    for offer in doc.get("specialOffers") or ():
        for window in offer.get("allowedTimes") or ():
            if data.draw(st.booleans(), label="window"):
                window["endTime"] = data.draw(st.sampled_from(
                    (window["startTime"], "02:00:00", "00:00:00")), label="window end")
    for key in _OPTIONAL_LISTS:
        if data.draw(st.integers(0, 9), label=f"drop {key}") == 0:
            doc.pop(key, None)
            event(f"absent: {key}")
    return doc


def _request(data: st.DataObject, request: dict[str, Any]) -> dict[str, Any]:
    request = copy.deepcopy(request)
    if request["kind"] == "createBooking":
        for group in request["body"]["clientAppointmentSchedules"]:
            for s in group["serviceSchedules"]:
                if s.get("specialOfferId") and data.draw(st.booleans(), label="group link"):
                    s["branchServiceGroupId"] = s.pop("specialOfferId")
                    event("branchServiceGroupId")
    return request


@given(data=st.data())
def test_engine_agrees_with_reference_on_live_shapes(data: st.DataObject) -> None:
    base = data.draw(brt.snapshots(), label="snapshot")
    request = _request(data, data.draw(brt.requests(base), label="request"))
    doc = _round2(data, base)
    online = data.draw(st.booleans(), label="online")
    expected = reference.phorest_codes(doc, request, online=online)
    for code in sorted(expected):
        event(code)
    assert engine_codes(doc, request, now=brt.now_for(base), online=online) == expected
