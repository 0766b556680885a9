"""How ``room_unsuitable`` is provoked (ROOM_UNSUITABLE at Phorest).

The request names a room the service does not list in its ``roomIds``.
Built as the machine rule is: :func:`._resources.unsuitable`.
"""

from __future__ import annotations

from .._view import Request
from ._build import Build
from ._resources import unsuitable


def provoke(b: Build) -> Request:
    return unsuitable(b, "room")
