"""How ``staff_double_booked`` is provoked (STAFF_DOUBLE_BOOKED at Phorest).

The staff member already has an appointment then: an existing one, another schedule of
the same request, or an existing one overlapping the service's finish block (after its
processing gap).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from .._view import Request
from ._build import Build


def provoke(b: Build) -> Request:
    """The staff member held twice at one instant."""
    staff = b.any_staff()
    how = b.draw(st.sampled_from(("existing", "two schedules", "finish block")))
    b.about.append(how)
    if how == "finish block":
        service = b.service(finishDuration=b.draw(st.sampled_from((15, 30))),
                            gapTime=b.draw(st.sampled_from((15, 30, 45))))
        main, gap, finish = b.view.minutes(service, staff)
        target, target_minutes = b.start + timedelta(minutes=main + gap), finish
    else:
        service = b.any_service()
        target, target_minutes = b.start, b.main(service, staff)
    if how == "two schedules":
        second = b.any_service()
        later = b.overlapping(target, target_minutes, b.main(second, staff))
        return b.create(b.client(), b.schedule(service, staff, b.start),
                        b.schedule(second, staff, later))
    length = b.draw(st.sampled_from((15, 30, 45, 60)))
    held = b.appointment(b.overlapping(target, target_minutes, length), length,
                         client=b.client(), staff=staff, service=b.any_service())
    b.about.append(f"staff already in {held}")
    return b.move_or_create(b.client(), service, staff, b.start)
