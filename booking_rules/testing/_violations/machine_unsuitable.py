"""How ``machine_unsuitable`` is provoked (MACHINE_UNSUITABLE at Phorest).

The request names a machine the service does not list in its ``machineIds``.
Built as the room rule is: :func:`._resources.unsuitable`.
"""

from __future__ import annotations

from .._view import Request
from ._build import Build
from ._resources import unsuitable


def provoke(b: Build) -> Request:
    return unsuitable(b, "machine")
