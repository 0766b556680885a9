"""A plain linear-scan reading of the main Phorest rules: the baseline of the benchmark.

It is what a first implementation would do: for every schedule of the request, scan every
appointment the snapshot holds (and every roster slot and break) and test each one against
the rule. No index, no sort, no cache between calls. It reads the snapshot's *canonical
model* (``Snapshot.appointments``, ``.roster``, ``.breaks``: UTC instants already parsed),
never its indexes, so the comparison measures the indexes and not JSON parsing.

The rules (RULES.md §2-§3), with the engine's own decisions for ``phorest``:

- ``STAFF_UNQUALIFIED``: service in the staff's ``disqualifiedServices`` or staff in the
  service's ``disqualifiedStaff``;
- ``STAFF_NOT_WORKING``: a staff block not covered by the staff's WORKING slots, or hit by
  a slot's time off or one of the staff's breaks;
- ``STAFF_DOUBLE_BOOKED``, ``CLIENT_ALREADY_BOOKED_THIS_TIME``: overlap with a blocking
  appointment of the same staff (blocks) or client (span);
- ``EXCEEDED_ROOM_CAPACITY``, ``MACHINE_DOUBLE_BOOKED``: peak occupancy of the span (breaks
  take the whole room or machine) against ``capacity`` / ``quantity``; with no id given,
  every room (machine) the service lists must be full (``any`` mode);
- ``SERVICE_ALREADY_BOOKED_THIS_DAY``, ``INTERNET_BOOKING_ALREADY_BOOKED`` (online only):
  the client's blocking appointments on the same local date;
- ``SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED``, ``SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED``.

Blocking = not deleted and not ``CANCELED`` (``RESERVED`` blocks). Schedule *i* also sees
schedules ``0..i-1`` of the same request. Only createBooking bodies are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from booking_rules.core import model as m

LINEAR_CODES = (
    "STAFF_UNQUALIFIED",
    "STAFF_NOT_WORKING",
    "STAFF_DOUBLE_BOOKED",
    "CLIENT_ALREADY_BOOKED_THIS_TIME",
    "EXCEEDED_ROOM_CAPACITY",
    "MACHINE_DOUBLE_BOOKED",
    "SERVICE_ALREADY_BOOKED_THIS_DAY",
    "INTERNET_BOOKING_ALREADY_BOOKED",
    "SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED",
    "SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED",
)
_CANCELED = m.ACTIVATION_CANCELED
_RESERVED = m.ACTIVATION_RESERVED


@dataclass
class Data:
    """What the linear reading scans: plain lists and id lookups, no index."""

    zone: Any
    staff: Mapping[str, m.Staff]
    services: Mapping[str, m.Service]
    rooms: Mapping[str, m.Room]
    machines: Mapping[str, m.Machine]
    offers: Mapping[str, m.SpecialOffer]
    appointments: list[m.Appointment]
    roster: list[m.RosterSlot]
    breaks: list[m.Break]
    reserved_blocks: bool = True

    @classmethod
    def from_snapshot(cls, snap: Any) -> Data:
        return cls(snap.zone, snap.staff, snap.services, snap.rooms, snap.machines,
                   snap.offers, list(snap.appointments.values()), list(snap.roster),
                   list(snap.breaks))

    def window(self, lo: datetime, hi: datetime) -> Data:
        """Only what touches ``[lo, hi)``: a small copy, to search for requests quickly."""
        return Data(self.zone, self.staff, self.services, self.rooms, self.machines,
                    self.offers, [a for a in self.appointments if a.start < hi and a.end > lo],
                    [r for r in self.roster if r.start < hi and r.end > lo],
                    [b for b in self.breaks if b.start < hi and b.end > lo],
                    self.reserved_blocks)


@dataclass
class _Held:
    """A schedule of the request already checked, as later schedules see it."""

    staff_id: str | None
    client_id: str | None
    service_id: str | None
    room_id: str | None
    machine_id: str | None
    offer_id: str | None
    blocks: list[tuple[datetime, datetime]]
    span: tuple[datetime, datetime]
    local_date: Any
    source: str | None = None


def _schedules(body: Mapping[str, Any]) -> Iterable[tuple[str | None, Mapping[str, Any]]]:
    for group in body.get("clientAppointmentSchedules") or ():
        for ss in group.get("serviceSchedules") or ():
            yield ss.get("clientId") or group.get("clientId") or body.get("clientId"), ss
    for ss in body.get("schedules") or ():
        yield ss.get("clientId") or body.get("clientId"), ss


def _instant(text: str) -> datetime:
    """An ISO-8601 write instant; without an offset it is UTC (as Phorest documents)."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def peak(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> int:
    """The most intervals open at once inside ``[start, end)`` (ends before starts)."""
    events: list[tuple[datetime, int]] = []
    for s, e in intervals:
        s, e = max(s, start), min(e, end)
        if s < e:
            events.append((s, 1))
            events.append((e, -1))
    events.sort()
    best = level = 0
    for _, delta in events:
        level += delta
        best = max(best, level)
    return best


def _covered(windows: list[tuple[datetime, datetime]], s: datetime, e: datetime) -> bool:
    """Whether the union of ``windows`` covers all of ``[s, e)``."""
    at = s
    for ws, we in sorted(windows):
        if ws > at:
            return False
        if we > at:
            at = we
        if at >= e:
            return True
    return at >= e


def check(data: Data, request: Mapping[str, Any], *, online: bool = False
          ) -> list[tuple[int, str]]:
    """(schedule index, code) for every main rule the createBooking ``request`` breaks."""
    body = request.get("body", request)
    zone = data.zone
    found: list[tuple[int, str]] = []
    held: list[_Held] = []
    for index, (client_id, ss) in enumerate(_schedules(body)):
        codes: set[str] = set()
        service = data.services.get(ss.get("serviceId") or "")
        staff = data.staff.get(ss.get("staffId") or "")
        if service is None or staff is None:
            continue
        start = _instant(ss["startTime"])
        end = _instant(ss["endTime"]) if ss.get("endTime") else (
            start + timedelta(minutes=service.duration_for(staff)))
        blocks = [(start, end)]
        finish = service.finish_for(staff)
        if finish > 0:
            fs = end + timedelta(minutes=service.gap_time)
            blocks.append((fs, fs + timedelta(minutes=finish)))
        span = (start, blocks[-1][1])
        day = start.astimezone(zone).date()
        staff_id, service_id = staff.id, service.id
        room_id, machine_id = ss.get("roomId"), ss.get("machineId")
        offer_id = ss.get("specialOfferId")

        if service_id in staff.disqualified_services or staff_id in service.disqualified_staff:
            codes.add("STAFF_UNQUALIFIED")

        # Roster: scan every slot and every break of the snapshot.
        windows: list[tuple[datetime, datetime]] = []
        holes: list[tuple[datetime, datetime]] = []
        for r in data.roster:
            if r.staff_id == staff_id:
                windows.append((r.start, r.end))
                if r.time_off is not None:
                    holes.append(r.time_off)
        rooms_want = [room_id] if room_id else list(service.room_ids)
        rooms_want = [r for r in rooms_want if r in data.rooms]
        machines_want = [machine_id] if machine_id else list(service.machine_ids)
        machines_want = [x for x in machines_want if x in data.machines]
        room_use: dict[str, list[tuple[datetime, datetime]]] = {r: [] for r in rooms_want}
        machine_use: dict[str, list[tuple[datetime, datetime]]] = {x: [] for x in
                                                                   machines_want}
        for b in data.breaks:
            if b.staff_id == staff_id:
                holes.append((b.start, b.end))
            if b.room_id in room_use and b.start < span[1] and span[0] < b.end:
                room_use[b.room_id] += [(b.start, b.end)] * max(data.rooms[b.room_id].capacity, 1)
            if b.machine_id in machine_use and b.start < span[1] and span[0] < b.end:
                machine_use[b.machine_id] += [(b.start, b.end)] * max(
                    data.machines[b.machine_id].quantity, 1)
        for s, e in blocks:
            if not _covered(windows, s, e) or any(hs < e and s < he for hs, he in holes):
                codes.add("STAFF_NOT_WORKING")
                break

        # Appointments: scan every one the snapshot holds, then this request's own.
        offer_spans: list[tuple[datetime, datetime]] = []
        offer_today = 0
        others: Iterable[Any] = data.appointments
        for source_list in (others, held):
            for a in source_list:
                if isinstance(a, m.Appointment):
                    if a.deleted or a.activation_state == _CANCELED or (
                            a.activation_state == _RESERVED and not data.reserved_blocks):
                        continue
                    a_blocks: list[tuple[datetime, datetime]] = [(a.start, a.end)]
                    a_span = (a.start, a.end)
                    a_source = a.source
                    own = False
                else:
                    a_blocks, a_span, a_source, own = a.blocks, a.span, a.source, True
                if a.staff_id == staff_id and any(
                        bs < e and s < be for bs, be in a_blocks for s, e in blocks):
                    codes.add("STAFF_DOUBLE_BOOKED")
                overlaps = a_span[0] < span[1] and span[0] < a_span[1]
                if client_id and a.client_id == client_id:
                    if overlaps:
                        codes.add("CLIENT_ALREADY_BOOKED_THIS_TIME")
                    if a.local_date == day:
                        if a.service_id == service_id:
                            codes.add("SERVICE_ALREADY_BOOKED_THIS_DAY")
                        if online and not own and a_source == m.SOURCE_ONLINE:
                            codes.add("INTERNET_BOOKING_ALREADY_BOOKED")
                if overlaps and a.room_id in room_use:
                    room_use[a.room_id].append(a_span)
                if overlaps and a.machine_id in machine_use:
                    machine_use[a.machine_id].append(a_span)
                if offer_id and a.offer_id == offer_id:
                    if overlaps:
                        offer_spans.append(a_span)
                    if a.local_date == day:
                        offer_today += 1

        if rooms_want and all(peak(room_use[r], *span) >= data.rooms[r].capacity
                              for r in rooms_want):
            codes.add("EXCEEDED_ROOM_CAPACITY")
        if machines_want and all(peak(machine_use[x], *span) >= data.machines[x].quantity
                                 for x in machines_want):
            codes.add("MACHINE_DOUBLE_BOOKED")
        offer = data.offers.get(offer_id or "")
        if offer is not None:
            if offer.max_concurrent is not None and peak(offer_spans, *span) >= \
                    offer.max_concurrent:
                codes.add("SPECIAL_OFFER_MAX_CONCURRENT_EXCEEDED")
            if offer.max_per_day is not None and offer_today >= offer.max_per_day:
                codes.add("SPECIAL_OFFER_MAX_PER_DAY_EXCEEDED")

        found += [(index, code) for code in LINEAR_CODES if code in codes]
        held.append(_Held(staff_id, client_id, service_id, room_id, machine_id, offer_id,
                          blocks, span, day))
    return found


def codes(data: Data, request: Mapping[str, Any], *, online: bool = False) -> set[str]:
    """The distinct codes of :func:`check`."""
    return {code for _, code in check(data, request, online=online)}
