"""How ``staff_not_working`` is provoked (STAFF_NOT_WORKING at Phorest).

The staff member is not working then: a day off, time off inside the shift, a break,
past the end or before the start of the shift, a ``NON_WORKING``/``NOT_SPECIFIED`` slot,
or no roster at all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from .._clock import hms
from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """A booking outside the staff member's working time, one way of seven."""
    service = b.any_service()
    how = b.draw(st.sampled_from(("day off", "time off", "break", "past the end",
                                  "before the start", "non-working slot", "no roster")))
    b.about.append(how)
    if how == "day off":
        staff = str(b.draw(st.sampled_from(sorted(b.view.staff))))
        day = max(b.view.days) + timedelta(days=b.draw(st.integers(1, 20)))
        return b.move_or_create(b.any_client(), service, staff, b.at(day, b.minute))
    staff = b.staff()
    if how == "no roster":
        return b.move_or_create(b.any_client(), service, staff, b.start)
    main = b.main(service, staff)
    if how == "non-working slot":
        b.roster(staff, {"date": b.day.isoformat(), "startTime": "07:00:00",
                         "endTime": "21:00:00",
                         "type": b.draw(st.sampled_from(("NON_WORKING", "NOT_SPECIFIED")))})
        return b.move_or_create(b.any_client(), service, staff, b.start)
    opens, closes = b.minute - 120, b.minute + 240
    slot: dict[str, Any] = {"date": b.day.isoformat(), "startTime": hms(opens),
                            "endTime": hms(closes), "type": "WORKING"}
    hole = b.at(b.day, b.minute + 60)
    hole_minutes = b.draw(st.sampled_from((15, 30, 60)))
    if how == "time off":
        slot["timeOffStartTime"] = hms(b.minute + 60)
        slot["timeOffEndTime"] = hms(b.minute + 60 + hole_minutes)
    b.roster(staff, slot)
    if how == "break":
        b.add("breaks", {"breakId": b.fresh("brk"), "breakDate": b.day.isoformat(),
                         "startTime": hms(b.minute + 60),
                         "endTime": hms(b.minute + 60 + hole_minutes), "staffId": staff,
                         "label": "Lunch"})
    if how in ("time off", "break"):
        start = b.overlapping(hole, hole_minutes, main)
    elif how == "past the end":
        start = b.overlapping(b.at(b.day, closes), 60, main)
    else:
        start = b.overlapping(b.at(b.day, opens - 60), 60, main)
    return b.move_or_create(b.any_client(), service, staff, start)
