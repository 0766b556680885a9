"""Peak occupancy of a shared resource, for the capacity rules: the engine's own sweep
(``core.occupancy``), which also decides the room or machine an unnamed schedule takes."""

from __future__ import annotations

from ..core.occupancy import peak, usage

__all__ = ["peak", "usage"]
