"""Requests ``check`` passes: :func:`passing_requests`.

Never filtered: the free times come from :func:`booking_rules.find_slots`, and when the
drawn client, service, staff member and day have none, the others are tried in turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._adapter import Ruleset, Snapshot, check, find_slots, load_snapshot
from ._clock import read_times, wall
from ._draws import rarely
from ._salon import WALK_IN
from ._view import Request, View, items_of, now_for


def passing_requests(snapshot: Mapping[str, Any], *, now: datetime | None = None,
                     online: bool = False, ruleset: str | Path | Ruleset = "phorest",
                     kinds: Iterable[str] = ("createBooking", "updateAppointment"),
                     ) -> st.SearchStrategy[Request]:
    """Requests ``check(load_snapshot(snapshot), r, now=now, online=online)`` answers PASS.

    Drawn from :func:`booking_rules.find_slots` (one day, one service or a back-to-back
    pair, one staff member or any, for a client of the snapshot), never filtered: when the
    drawn combination has no free time, the others are tried in turn, down to the placeholder
    client of ``find_slots``. An update moves a blocking appointment to a free time of its
    own staff member and is kept only when ``check`` passes it; else a createBooking is
    drawn (with ``kinds=("updateAppointment",)`` alone, ``InvalidArgument`` is raised
    instead). ``now`` defaults to :func:`now_for`. Raises ``InvalidArgument`` when no time
    of the snapshot passes (never for a snapshot :func:`snapshots` made, at its default
    ``now``)."""
    when = now if now is not None else now_for(snapshot)
    if when.tzinfo is None:
        raise InvalidArgument("now must be an aware datetime")
    wanted = tuple(kinds)
    if not wanted or set(wanted) - {"createBooking", "updateAppointment"}:
        raise InvalidArgument(f"kinds must name createBooking and/or updateAppointment, got "
                              f"{wanted!r}")
    view = View(snapshot)
    if not view.working_days:
        raise InvalidArgument("the snapshot has no WORKING roster slot, so no time passes")
    snap = load_snapshot(snapshot)
    return _passing(view, snap, when, online, ruleset, wanted)


@st.composite
def _passing(draw: st.DrawFn, view: View, snap: Snapshot, now: datetime, online: bool,
             ruleset: str | Path | Ruleset, kinds: tuple[str, ...]) -> Request:
    services, staff, days = sorted(view.services), sorted(view.staff), view.working_days
    clients = [c for c in view.clients if c in {x["clientId"] for x in items_of(
        view.doc, "clients")}] or view.clients
    if "updateAppointment" in kinds and ("createBooking" not in kinds
                                         or draw(st.booleans())):
        moved = _passing_update(draw, view, snap, now, online, ruleset)
        if moved is not None:
            return moved
        if "createBooking" not in kinds:
            raise InvalidArgument("no appointment of the snapshot can be moved to a time "
                                  "that passes")
    client_i = draw(st.integers(0, len(clients) - 1))
    service_i = draw(st.integers(0, len(services) - 1))
    staff_i = draw(st.integers(0, len(staff)))  # len(staff): any staff member
    day_i = draw(st.integers(0, len(days) - 1))
    pair = draw(rarely)

    def rotate(seq: Sequence[Any], i: int) -> list[Any]:
        return [*seq[i:], *seq[:i]]

    def search(client: str | None, chain: list[str], staff_id: str | None, day: date
               ) -> list[Any]:
        start = wall(view.zone, day, 0)
        end = wall(view.zone, day + timedelta(days=1), 0)
        return find_slots(snap, chain, start=start, end=end, staff_id=staff_id,
                          client_id=client, online=online, now=now, ruleset=ruleset)

    first_service = services[service_i]
    chain = [first_service, draw(st.sampled_from(services))] if pair else [first_service]
    attempts: list[tuple[str | None, list[str], str | None, date]] = [
        (clients[client_i], chain, staff[staff_i] if staff_i < len(staff) else None,
         days[day_i])]
    for client in (clients[client_i], WALK_IN if WALK_IN in clients else None, None):
        for day in rotate(days, day_i):
            for service in rotate(services, service_i):
                attempts.append((client, [service], None, day))
    seen: set[tuple[str | None, tuple[str, ...], str | None, date]] = set()
    for client, services_, staff_id, day in attempts:
        key = (client, tuple(services_), staff_id, day)
        if key in seen:
            continue
        seen.add(key)
        found = search(client, services_, staff_id, day)
        if found:
            slot = draw(st.sampled_from(found))
            body = slot.booking(client)
            for group in body["clientAppointmentSchedules"]:
                for sched in group["serviceSchedules"]:
                    if draw(st.booleans()):  # the same instant, written with local offset
                        sched["startTime"] = datetime.fromisoformat(
                            sched["startTime"]).astimezone(view.zone).isoformat(
                            timespec="seconds")
            return {"kind": "createBooking", "body": body}
    raise InvalidArgument(f"no time of the snapshot passes check at now={now.isoformat()} "
                          "(every staff member is busy, off or unqualified on every roster "
                          "day, or the days are before now)")


def _passing_update(draw: st.DrawFn, view: View, snap: Snapshot, now: datetime,
                    online: bool, ruleset: str | Path | Ruleset) -> Request | None:
    movable = [a for a in view.appointments if not a.get("deleted")
               and a.get("activationState", "ACTIVE") != "CANCELED"
               and a.get("staffId") in view.staff and a.get("serviceId") in view.services
               and a.get("version") is not None]
    if not movable:
        return None
    appt = draw(st.sampled_from(movable))
    day = draw(st.sampled_from(view.working_days))
    found = find_slots(snap, [appt["serviceId"]], start=wall(view.zone, day, 0),
                       end=wall(view.zone, day + timedelta(days=1), 0),
                       staff_id=appt["staffId"], client_id=appt.get("clientId"),
                       online=online, now=now, ruleset=ruleset)
    if not found:
        return None
    slot = draw(st.sampled_from(found))
    main = view.minutes(appt["serviceId"], appt["staffId"])[0]
    times = read_times(view.zone, view.utc, slot.start,
                        slot.start + timedelta(minutes=main))
    body = {"appointmentId": appt["appointmentId"], "version": appt["version"], **times,
            "staffId": appt["staffId"]}
    request = {"kind": "updateAppointment", "body": body}
    if check(snap, request, now=now, online=online, ruleset=ruleset).verdict == "PASS":
        return request
    return None
