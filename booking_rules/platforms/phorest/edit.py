"""Phorest request bodies rewritten for explain's alternatives: one change each, on a copy.

A createBooking carries UTC instants (``startTime``, ``endTime``); an updateAppointment
carries ``appointmentDate``, ``startTime`` and ``endTime`` as wall clock in the snapshot's
read convention (branch-local by default, or UTC), with its ``appointmentId`` and
``version`` kept.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from ..._time import UTC, format_utc, wall_to_utc
from ...core import model as m
from ...core.context import Item
from ...core.snapshot import Snapshot
from .read import PhorestKind

_SEGMENT = re.compile(r"([A-Za-z_]+)\[(\d+)\]")


def editor(request: object, canonical: m.Request, snapshot: Snapshot) -> BodyEditor | None:
    """An editor of ``request`` (``{"kind", "body"}`` or a bare body); None for a canonical
    Request or an empty body: there is nothing to edit."""
    body: Any = request
    if isinstance(request, Mapping) and "body" in request and (
            "kind" in request or len(request) == 1):
        body = request["body"]
    if not isinstance(body, Mapping) or not body:
        return None
    # The alternatives are bodies the user sends: Phorest's name for the write.
    wire: PhorestKind = "updateAppointment" if canonical.kind == "update" else "createBooking"
    return BodyEditor(dict(body), wire, snapshot)


class BodyEditor:
    """Writes ``{"kind", "body"}`` requests, each a copy of ``body`` with one change."""

    def __init__(self, body: dict[str, Any], kind: PhorestKind, snapshot: Snapshot) -> None:
        self.body = copy.deepcopy(body)
        self.kind = kind
        self.zone = snapshot.zone
        self.times = snapshot.appointment_times

    def _request(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"kind": self.kind, "body": body}

    def _node(self, body: dict[str, Any], item: Item) -> dict[str, Any]:
        """The dict of ``item``'s schedule inside ``body``."""
        if not item.location:
            return body
        here: Any = body
        for name, index in _SEGMENT.findall(item.location):
            here = here[name][int(index)]
        if not isinstance(here, dict):
            raise TypeError(f"no schedule at {item.location}")
        return here

    def moved(self, items: Sequence[Item], delta: timedelta) -> dict[str, Any] | None:
        """The body with ``items`` moved by ``delta`` (None when a local time would not
        read back as the same instant: a fall-back fold)."""
        body = copy.deepcopy(self.body)
        for it in items:
            node = self._node(body, it)
            start = it.start + delta
            end = it.schedule.end + delta if it.schedule.end is not None else None
            if self.kind == "createBooking":
                node["startTime"] = format_utc(start)
                if node.get("endTime") is not None and end is not None:
                    node["endTime"] = format_utc(end)
                continue
            wall = self._wall(start)
            if wall is None:
                return None
            node["appointmentDate"] = wall.date().isoformat()
            node["startTime"] = f"{wall:%H:%M:%S}"
            if node.get("endTime") is not None and end is not None:
                end_wall = self._wall(end)
                if end_wall is None:
                    return None
                node["endTime"] = f"{end_wall:%H:%M:%S}"
        return self._request(body)

    def _wall(self, instant: datetime) -> datetime | None:
        if self.times == "utc":
            return instant.astimezone(UTC).replace(tzinfo=None)
        local = instant.astimezone(self.zone).replace(tzinfo=None)
        back = wall_to_utc(local.date(), local.time(), self.zone).instant
        return local if back == instant else None

    def _with(self, item: Item, key: str, value: str | None) -> dict[str, Any]:
        body = copy.deepcopy(self.body)
        node = self._node(body, item)
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
        return self._request(body)

    def with_staff(self, item: Item, staff_id: str) -> dict[str, Any]:
        return self._with(item, "staffId", staff_id)

    def with_room(self, item: Item, room_id: str) -> dict[str, Any]:
        return self._with(item, "roomId", room_id)

    def with_machine(self, item: Item, machine_id: str) -> dict[str, Any]:
        return self._with(item, "machineId", machine_id)

    def without_offer(self, item: Item) -> dict[str, Any] | None:
        """Only a createBooking names a special offer."""
        if self.kind != "createBooking":
            return None
        return self._with(item, "specialOfferId", None)
