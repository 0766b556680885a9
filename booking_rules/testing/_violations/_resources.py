"""Provoking the room and machine rules, which differ only in their field names:
``room_over_capacity`` and ``machine_double_booked`` (:func:`overbook`),
``room_unsuitable`` and ``machine_unsuitable`` (:func:`unsuitable`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from hypothesis import strategies as st

from .._clock import QUARTER
from .._view import Request
from ._build import Build

Resource = Literal["room", "machine"]


def overbook(b: Build, kind: Resource) -> Request:
    """A room (``kind="room"``) or machine (``"machine"``) with no place left at some
    instant of the booking: a break of it, or as many appointments in it as its capacity
    (a room) or quantity (a machine)."""
    key, list_key, size_key, listed_key = (
        ("roomId", "rooms", "capacity", "roomIds") if kind == "room"
        else ("machineId", "machines", "quantity", "machineIds"))
    size = b.draw(st.sampled_from((1, 2, 3)))
    resource = b.fresh("room" if kind == "room" else "mach")
    b.add(list_key, {key: resource, "name": f"{kind} {resource}", size_key: size})
    named = b.draw(st.booleans())  # the request names the resource, or the service lists it
    service = b.service(**{listed_key: [resource]})
    staff, client = b.any_staff(), b.client()
    span = b.span(service, staff)
    if b.draw(st.booleans()):
        length = b.draw(st.sampled_from((15, 30, 60)))
        start = b.overlapping(b.start, span, length)
        b.add("breaks", {"breakId": b.fresh("brk"),
                         "breakDate": start.astimezone(b.zone).date().isoformat(),
                         "startTime": start.astimezone(b.zone).strftime("%H:%M:%S"),
                         "endTime": (start + timedelta(minutes=length)).astimezone(
                             b.zone).strftime("%H:%M:%S"), key: resource,
                         "label": "Maintenance"})
        b.about.append(f"a break of {resource}")
    else:
        # `size` appointments in it, all holding one common instant of the request's span
        instant = b.start + QUARTER * b.draw(st.integers(0, (span - 1) // 15))
        for _ in range(size):
            before = b.draw(st.integers(0, 3))
            length = 15 * (before + b.draw(st.integers(1, 4)))
            b.appointment(instant - QUARTER * before, length, client=b.client(),
                          staff=b.staff(), service=service, **{key: resource})
        b.about.append(f"{size} appointments in {resource} (size {size})")
    links = {key: resource} if named else {}
    b.about.append("named in the request" if named else "listed by the service")
    return b.move_or_create(client, service, staff, b.start, **links)


def unsuitable(b: Build, kind: Resource) -> Request:
    """A room or machine the service does not list (``roomIds``/``machineIds``), named in
    the request."""
    key, list_key, size_key, listed_key = (
        ("roomId", "rooms", "capacity", "roomIds") if kind == "room"
        else ("machineId", "machines", "quantity", "machineIds"))
    suitable, other = b.fresh(kind), b.fresh(kind)
    for rid in (suitable, other):
        b.add(list_key, {key: rid, "name": f"{kind} {rid}", size_key: 2})
    service = b.service(**{listed_key: [suitable]})
    b.about.append(f"{other} is not in the service's {listed_key}")
    return b.move_or_create(b.any_client(), service, b.any_staff(), b.start, **{key: other})
