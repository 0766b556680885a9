"""How ``requested_staff_changed`` is provoked (STAFF_REQUESTED at Phorest).

An appointment whose client asked for its staff member (``staffRequest``) is moved to
another staff member.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """A requested appointment moved to someone else, near its own time."""
    requested = b.any_staff()
    other = b.staff()
    client, service = b.any_client(), b.any_service()
    state = b.draw(st.sampled_from(("ACTIVE", "RESERVED", "CANCELED")))
    appt = b.appointment(b.start, b.main(service, requested), client=client,
                         staff=requested, service=service, state=state)
    for a in b.doc["appointments"]:
        if a["appointmentId"] == appt:
            a["staffRequest"] = True
    when = b.at(b.day, b.minute + 15 * b.draw(st.integers(-4, 8)))
    b.about.append(f"{appt} requested {requested}, moved to {other}")
    return b.update(appt, when, other)
