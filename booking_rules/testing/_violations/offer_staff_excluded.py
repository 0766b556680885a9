"""How ``offer_staff_excluded`` is provoked (SPECIAL_OFFER_STAFF_EXCLUDED at Phorest).

A booking on a special offer with a staff member in its ``excludedStaffIds``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._view import Request
from ._build import Build
from ._offer_common import new_offer


def provoke(b: Build) -> Request:
    """An offer booked with an excluded staff member."""
    service, staff = b.any_service(), b.any_staff()
    others = b.draw(st.lists(st.sampled_from(sorted(b.view.staff)), unique=True))
    offer = new_offer(b, service, excludedStaffIds=sorted({staff, *others}))
    b.about.append(f"{staff} excluded from {offer}")
    return b.move_or_create(b.any_client(), service, staff, b.start, specialOfferId=offer)
