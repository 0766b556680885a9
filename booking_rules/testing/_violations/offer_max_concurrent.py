"""How ``offer_max_concurrent`` is provoked (SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED at Phorest).

A booking on a special offer already used ``maxConcurrent`` times at one instant of the
booking.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._clock import QUARTER
from .._view import Request
from ._build import Build
from ._offer_common import new_offer


def provoke(b: Build) -> Request:
    """One booking on an offer more than it allows at once."""
    service, staff = b.any_service(), b.any_staff()
    limit = b.draw(st.integers(1, 3))
    offer = new_offer(b, service, maxConcurrent=limit)
    span = b.span(service, staff)
    instant = b.start + QUARTER * b.draw(st.integers(0, (span - 1) // 15))
    for _ in range(limit):
        before = b.draw(st.integers(0, 3))
        b.appointment(instant - QUARTER * before, 15 * (before + b.draw(st.integers(1, 4))),
                      client=b.client(), staff=b.staff(), service=service,
                      specialOfferId=offer)
    b.about.append(f"{limit} bookings on {offer} at one instant (max {limit})")
    return b.move_or_create(b.client(), service, staff, b.start, specialOfferId=offer)
