"""How ``offer_max_per_day`` is provoked (SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED at Phorest).

A booking on a special offer already used ``maxPerDay`` times that day.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build
from ._offer_common import new_offer


def provoke(b: Build) -> Request:
    """One booking on an offer more than it allows a day."""
    service, staff = b.any_service(), b.any_staff()
    limit = b.draw(st.integers(1, 3))
    offer = new_offer(b, service, maxPerDay=limit)
    for _ in range(limit):
        b.appointment(b.at(b.day, 15 * b.draw(st.integers(32, 72))), 30, client=b.client(),
                      staff=b.staff(), service=service, specialOfferId=offer)
    b.about.append(f"{limit} bookings on {offer} that day (max {limit})")
    return b.move_or_create(b.client(), service, staff, b.start, specialOfferId=offer)
