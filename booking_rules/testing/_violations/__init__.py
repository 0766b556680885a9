"""How each rule is provoked: one module per rule, named after the rule's neutral name
(``staff_double_booked.py`` for ``booking_rules.rules.staff_double_booked``), each with a
``provoke(b)`` that extends a base salon (:class:`Build`) with the data the request then
conflicts with, and returns that request.

:data:`PROVOKE` is the registry, keyed by the neutral name, in documentation order: the
rules behind the nineteen codes Phorest's API answers. The building blocks are
``_build`` (the toolkit), ``_resources`` (rooms and machines), ``_course_common`` and
``_offer_common``. To provoke a new rule: write its module and add it here.
"""

from __future__ import annotations

from . import (
    client_already_booked,
    course_session_too_late,
    course_session_too_soon,
    machine_double_booked,
    machine_unsuitable,
    offer_after_end_date,
    offer_before_start_date,
    offer_max_concurrent,
    offer_max_per_day,
    offer_outside_allowed_time,
    offer_staff_excluded,
    requested_staff_changed,
    room_over_capacity,
    room_unsuitable,
    second_online_booking_same_day,
    service_twice_same_day,
    staff_double_booked,
    staff_not_working,
    staff_unqualified,
)
from ._build import Build, Provoke

__all__ = ["PROVOKE", "Build", "Provoke"]

#: The provocation of each rule, by the rule's neutral name (the key is its module's name).
PROVOKE: dict[str, Provoke] = {
    "staff_unqualified": staff_unqualified.provoke,
    "requested_staff_changed": requested_staff_changed.provoke,
    "client_already_booked": client_already_booked.provoke,
    "staff_not_working": staff_not_working.provoke,
    "staff_double_booked": staff_double_booked.provoke,
    "room_over_capacity": room_over_capacity.provoke,
    "room_unsuitable": room_unsuitable.provoke,
    "machine_double_booked": machine_double_booked.provoke,
    "machine_unsuitable": machine_unsuitable.provoke,
    "service_twice_same_day": service_twice_same_day.provoke,
    "second_online_booking_same_day": second_online_booking_same_day.provoke,
    "course_session_too_soon": course_session_too_soon.provoke,
    "course_session_too_late": course_session_too_late.provoke,
    "offer_before_start_date": offer_before_start_date.provoke,
    "offer_after_end_date": offer_after_end_date.provoke,
    "offer_outside_allowed_time": offer_outside_allowed_time.provoke,
    "offer_max_concurrent": offer_max_concurrent.provoke,
    "offer_max_per_day": offer_max_per_day.provoke,
    "offer_staff_excluded": offer_staff_excluded.provoke,
}
