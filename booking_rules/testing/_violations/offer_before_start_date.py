"""How ``offer_before_start_date`` is provoked (SPECIAL_OFFER_BEFORE_START_DATE at Phorest).

A booking on a special offer whose ``startDate`` is 1-30 days after the booking's day
(with an ``endDate`` two months later, or none).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from .._view import Request
from ._build import Build
from ._offer_common import new_offer


def provoke(b: Build) -> Request:
    service = b.any_service()
    days = b.draw(st.integers(1, 30))
    fields = {"startDate": (b.day + timedelta(days=days)).isoformat()}
    if b.draw(st.booleans()):
        fields["endDate"] = (b.day + timedelta(days=days + 60)).isoformat()
    offer_id = new_offer(b, service, **fields)
    b.about.append(f"{offer_id} {fields}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start,
                            specialOfferId=offer_id)
