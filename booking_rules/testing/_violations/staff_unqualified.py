"""How ``staff_unqualified`` is provoked (STAFF_UNQUALIFIED at Phorest).

The staff member is disqualified from the service: listed in their
``disqualifiedServices``, the service's ``disqualifiedStaff``, or both.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """A fresh service the staff member may not do, booked with them."""
    staff = b.any_staff()
    service = b.service()
    how = b.draw(st.sampled_from(("disqualifiedServices", "disqualifiedStaff", "both")))
    if how in ("disqualifiedServices", "both"):
        member = next(s for s in b.doc["staff"] if s["staffId"] == staff)
        member["disqualifiedServices"] = [*member.get("disqualifiedServices", []), service]
    if how in ("disqualifiedStaff", "both"):
        listed = next(s for s in b.doc["services"] if s["serviceId"] == service)
        listed["disqualifiedStaff"] = [staff]
    b.refresh()
    b.about.append(f"{staff} in {how}")
    return b.move_or_create(b.any_client(), service, staff, b.start)
