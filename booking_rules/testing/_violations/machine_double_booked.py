"""How ``machine_double_booked`` is provoked (MACHINE_DOUBLE_BOOKED at Phorest).

A machine with none left at some instant of the booking: a break of the machine, or as
many appointments on it as its quantity. The request names the machine, or the service
lists it.
Built as the room rule is: :func:`._resources.overbook`.
"""

from __future__ import annotations

from .._view import Request
from ._build import Build
from ._resources import overbook


def provoke(b: Build) -> Request:
    return overbook(b, "machine")
