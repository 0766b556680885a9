"""How ``course_session_too_soon`` is provoked (MIN_DAYS_BETWEEN_SESSIONS_NOT_EXCEEDED at Phorest).

A course session closer than the course's ``minDaysBetweenSessions`` to another
session: an existing one (of either item of the client's course) or a second schedule of
the same request.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from .._view import Request
from ._build import Build
from ._course_common import new_course, session_item_of


def provoke(b: Build) -> Request:
    """A session fewer than the minimum days from another."""
    minimum = b.draw(st.integers(1, 14))
    client, item, other, service = new_course(b, minDaysBetweenSessions=minimum)
    staff = b.any_staff()
    delta = b.draw(st.integers(-(minimum - 1), minimum - 1))
    when = b.at(b.day + timedelta(days=delta), 15 * b.draw(st.integers(32, 68)))
    if b.draw(st.booleans()) and delta > 0:
        b.about.append(f"two sessions {delta} days apart in one request (min {minimum})")
        return b.create(client, b.schedule(service, staff, b.start, clientCourseItemId=item),
                        b.schedule(service, b.staff(), when, clientCourseItemId=item))
    session_item, session_service = session_item_of(b, item, other)
    held = b.appointment(when, 30, client=client, staff=b.staff(), service=session_service,
                         clientCourseItemId=session_item)
    b.about.append(f"session {held} {delta} days away (min {minimum})")
    return b.move_or_create(client, service, staff, b.start, clientCourseItemId=item)
