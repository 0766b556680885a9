"""How ``second_online_booking_same_day`` is provoked (INTERNET_BOOKING_ALREADY_BOOKED at Phorest).

An online booking for a client who already has an online booking that day (the
scenario is always checked as an online booking).
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """A second online booking the same day."""
    b.online = True  # the rule is about online bookings: never drawn offline
    client = b.any_client()
    other = b.at(b.day, 15 * b.draw(st.integers(32, 72)))
    held = b.appointment(other, 30, client=client, staff=b.staff(), service=b.any_service())
    for a in b.doc["appointments"]:
        if a["appointmentId"] == held:
            a["source"] = "ONLINE"
    b.about.append(f"online booking {held} the same day")
    return b.move_or_create(client, b.any_service(), b.any_staff(), b.start)
