"""Everything the strategies use from the rest of booking_rules, in one place: the public
face where it has the name, the platform's code table, and the one UTC formatter. When a
module moves, it is repointed here only.
"""

from __future__ import annotations

from .. import Report, Ruleset, Snapshot, check, find_slots, load_snapshot
from .._time import format_utc
from ..platforms.phorest import API_CODES
from ..platforms.phorest import TABLE as PHOREST

__all__ = ["API_CODES", "PHOREST", "Report", "Ruleset", "Snapshot", "check", "find_slots",
           "format_utc", "load_snapshot"]
