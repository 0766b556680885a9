"""How ``room_over_capacity`` is provoked (EXCEEDED_ROOM_CAPACITY at Phorest).

A room with no place left at some instant of the booking: a break of the room, or as
many appointments in it as its capacity. The request names the room, or the service
lists it.
Built as the machine rule is: :func:`._resources.overbook`.
"""

from __future__ import annotations

from .._view import Request
from ._build import Build
from ._resources import overbook


def provoke(b: Build) -> Request:
    return overbook(b, "room")
