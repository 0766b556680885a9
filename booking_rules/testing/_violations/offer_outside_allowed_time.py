"""How ``offer_outside_allowed_time`` is provoked (SPECIAL_OFFER_NOT_ALLOWED_TIME at Phorest).

A booking on a special offer outside its ``allowedTimes``: windows on other weekdays,
or on this weekday ending by the start or beginning after it.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .._clock import WEEKDAYS, hms
from .._view import Request
from ._build import Build
from ._offer_common import new_offer


def provoke(b: Build) -> Request:
    """An offer booked outside its windows."""
    service = b.any_service()
    weekday = b.day.weekday()
    windows = []
    for _ in range(b.draw(st.integers(1, 2))):
        if b.draw(st.booleans()):  # another weekday, any time
            others = [d for d in WEEKDAYS if d != WEEKDAYS[weekday]]
            days = b.draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
            start = 15 * b.draw(st.integers(28, 60))
            end = start + 60 * b.draw(st.integers(1, 6))
        else:  # this weekday, a window that ends by the start or begins after it
            days = [WEEKDAYS[weekday]]
            if b.draw(st.booleans()):
                end = b.minute - 15 * b.draw(st.integers(0, 8))
                start = end - 60 * b.draw(st.integers(1, 3))
            else:
                start = b.minute + 15 * b.draw(st.integers(1, 8))
                end = start + 60 * b.draw(st.integers(1, 3))
        windows.append({"days": sorted(days, key=WEEKDAYS.index), "startTime": hms(start),
                        "endTime": hms(end)})
    offer = new_offer(b, service, allowedTimes=windows)
    b.about.append(f"{offer} windows {windows}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start,
                            specialOfferId=offer)
