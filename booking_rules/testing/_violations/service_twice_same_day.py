"""How ``service_twice_same_day`` is provoked (SERVICE_ALREADY_BOOKED_THIS_DAY at Phorest).

The client has the same service the same day: twice in one request, an existing
appointment, or a move that changes an appointment's service to the one already booked.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """The same service twice for one client on one day."""
    client, service, staff = b.any_client(), b.any_service(), b.any_staff()
    if b.draw(st.booleans()):
        b.about.append("twice in one request")
        later = b.start + timedelta(minutes=b.span(service, staff) + 15 * b.draw(
            st.integers(0, 8)))
        return b.create(client, b.schedule(service, staff, b.start),
                        b.schedule(service, b.staff(), later))
    other = b.at(b.day, 15 * b.draw(st.integers(32, 72)))
    held = b.appointment(other, b.main(service, staff), client=client, staff=b.staff(),
                         service=service)
    b.about.append(f"same service same day in {held}")
    if b.draw(st.booleans()):  # a move that changes the service to the one booked
        moved = b.appointment(b.elsewhere(), 30, client=client, staff=staff,
                              service=b.service(), state="ACTIVE")
        b.about.append(f"move of {moved} with serviceId")
        return b.update(moved, b.start, staff, serviceId=service)
    return b.move_or_create(client, service, staff, b.start)
