"""How ``client_already_booked`` is provoked (CLIENT_ALREADY_BOOKED_THIS_TIME at Phorest).

The client is already booked at that time: by an appointment with another staff
member, or by another schedule of the same request.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """The client held twice at one instant."""
    client, staff = b.any_client(), b.any_staff()
    service = b.any_service()
    own = b.span(service, staff)
    if b.draw(st.booleans()):  # two schedules of one request
        second_staff, second_service = b.staff(), b.any_service()
        b.about.append("two overlapping schedules of one request")
        later = b.overlapping(b.start, own, b.span(second_service, second_staff))
        return b.create(client, b.schedule(service, staff, b.start),
                        b.schedule(second_service, second_staff, later))
    other_staff, other_service = b.staff(), b.any_service()
    length = b.draw(st.sampled_from((30, 45, 60, 90)))
    held = b.appointment(b.overlapping(b.start, own, length), length, client=client,
                         staff=other_staff, service=other_service)
    b.about.append(f"client already in {held}")
    return b.move_or_create(client, service, staff, b.start)
