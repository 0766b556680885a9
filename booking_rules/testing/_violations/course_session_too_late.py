"""How ``course_session_too_late`` is provoked (MAX_DAYS_BETWEEN_SESSIONS_EXCEEDED at Phorest).

A course session more than the course's ``maxDaysBetweenSessions`` after the previous
one: an existing session or the first schedule of the same request.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from .._view import Request
from ._build import Build
from ._course_common import new_course, session_item_of


def provoke(b: Build) -> Request:
    """A session more than the maximum days after the previous one."""
    maximum = b.draw(st.integers(0, 42))
    client, item, other, service = new_course(b, maxDaysBetweenSessions=maximum)
    staff = b.any_staff()
    gap = maximum + 1 + b.draw(st.integers(0, 20))
    when = b.at(b.day - timedelta(days=gap), 15 * b.draw(st.integers(32, 68)))
    if b.draw(st.booleans()):
        b.about.append(f"two sessions {gap} days apart in one request (max {maximum})")
        return b.create(client, b.schedule(service, b.staff(), when, clientCourseItemId=item),
                        b.schedule(service, staff, b.start, clientCourseItemId=item))
    session_item, session_service = session_item_of(b, item, other)
    held = b.appointment(when, 30, client=client, staff=b.staff(), service=session_service,
                         clientCourseItemId=session_item)
    b.about.append(f"previous session {held} {gap} days before (max {maximum})")
    return b.move_or_create(client, service, staff, b.start, clientCourseItemId=item)
