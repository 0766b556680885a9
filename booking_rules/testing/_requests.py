"""Requests against a snapshot document, most of which some rule refuses: :func:`requests`.

A createBooking draws one or two clients with one to three services each; an
updateAppointment moves one of the snapshot's appointments. Starts lie on the local
quarter-hour grid of a roster day, often inside a shift or next to an existing appointment,
and are written in every ISO-8601 offset style (none included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._adapter import format_utc
from ._clock import hms, read_times, wall
from ._draws import maybe, rarely
from ._view import Request, View


def requests(snapshot: Mapping[str, Any], *,
             kinds: Iterable[str] = ("createBooking", "updateAppointment"),
             ) -> st.SearchStrategy[Request]:
    """Any ``{"kind", "body"}`` request against ``snapshot``: createBooking (one or two
    clients, one to three services each, back to back or not, with or without rooms,
    machines, special offers, course items and explicit end times, in every ISO-8601
    offset style including none) or updateAppointment (a move of one of its appointments,
    to another time, staff member, service or room). Ids come from the snapshot; starts
    lie on the quarter-hour grid of a roster day (local wall clock), often near an
    existing appointment (a back-to-back service starts when the one before it ends).
    Most requests fail some rule: that is the point."""
    view = View(snapshot)
    wanted = tuple(kinds)
    unknown = set(wanted) - {"createBooking", "updateAppointment"}
    if unknown or not wanted:
        raise InvalidArgument(f"kinds must name createBooking and/or updateAppointment, got "
                              f"{wanted!r}")
    if not view.services or not view.staff:
        raise InvalidArgument("the snapshot needs at least one service and one staff member")
    options: list[st.SearchStrategy[Request]] = []
    if "createBooking" in wanted:
        options.append(_create_booking(view))
    if "updateAppointment" in wanted and view.appointments:
        options.append(_update_appointment(view))
    if not options:
        raise InvalidArgument("updateAppointment requests need a snapshot with appointments")
    return st.one_of(options)


def _start_instant(draw: st.DrawFn, view: View, staff_id: str | None = None
                   ) -> tuple[date, int, datetime]:
    """A roster day, a wall-clock minute on the quarter-hour grid, and its instant: inside
    a WORKING slot of ``staff_id``, near an existing appointment, or anywhere that day
    (night hours included, so DST gaps and folds are reached)."""
    how = draw(st.sampled_from(("slot", "near", "any")))
    slots = view.slots.get(staff_id or "", [])
    if how == "slot" and slots:
        day, lo, hi = draw(st.sampled_from(slots))
        minutes = lo + 15 * draw(st.integers(0, max(0, (hi - lo) // 15 - 1)))
    elif how != "any" and view.near:
        day, at = draw(st.sampled_from(view.near))
        minutes = min(max(at + 15 * draw(st.integers(-4, 4)), 0), 1425)
    else:
        day = draw(st.sampled_from(view.days))
        minutes = 15 * draw(st.one_of(st.integers(28, 79), st.integers(0, 95)))
    day += timedelta(days=minutes // 1440)
    minutes %= 1440
    return day, minutes, wall(view.zone, day, minutes)


def _instant_text(draw: st.DrawFn, view: View, instant: datetime) -> str:
    style = draw(st.sampled_from(("Z", "local", "millis", "+00:00", "naive")))
    if style == "local":
        return instant.astimezone(view.zone).isoformat(timespec="seconds")
    if style == "millis":
        return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if style == "+00:00":
        return instant.astimezone(UTC).isoformat(timespec="seconds")
    if style == "naive":  # read as UTC, with a warning: the most common integration bug
        return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return format_utc(instant)


@st.composite
def _create_booking(draw: st.DrawFn, view: View) -> Request:
    client = draw(st.sampled_from(view.clients))
    services, staff = sorted(view.services), sorted(view.staff)
    groups = []
    for g in range(draw(st.integers(1, 2))):
        group_client = client if g == 0 else draw(st.sampled_from(view.clients))
        chain = draw(st.booleans())
        schedules: list[dict[str, Any]] = []
        previous_end: datetime | None = None
        for _ in range(draw(st.integers(1, 3))):
            service_id = draw(st.sampled_from(services))
            staff_id = draw(st.sampled_from(staff))
            if chain and previous_end is not None:
                start = previous_end
            else:
                start = _start_instant(draw, view, staff_id)[2]
            main, gap, finish = view.minutes(service_id, staff_id)
            previous_end = start + timedelta(minutes=main + gap + finish)
            sched: dict[str, Any] = {"serviceId": service_id, "staffId": staff_id,
                                     "startTime": _instant_text(draw, view, start)}
            if draw(rarely):
                extra = draw(st.sampled_from((0, 15, -15)))
                sched["endTime"] = format_utc(start + timedelta(minutes=max(main + extra, 15)))
            listed = view.services[service_id]
            for key, pool in (("roomId", list(dict.fromkeys(
                    [*listed.get("roomIds", []), *view.rooms]))),
                    ("machineId", list(dict.fromkeys(
                        [*listed.get("machineIds", []), *view.machines]))),
                    ("specialOfferId", view.offers),
                    ("clientCourseItemId", view.course_items)):
                chosen = maybe(draw, pool)
                if chosen is not None:
                    sched[key] = chosen
            if draw(rarely):
                sched["staffRequest"] = True
            schedules.append(sched)
        group: dict[str, Any] = {"serviceSchedules": schedules}
        if g > 0 or draw(st.booleans()):
            group["clientId"] = group_client
        groups.append(group)
    body: dict[str, Any] = {"clientId": client, "clientAppointmentSchedules": groups}
    status = draw(st.sampled_from((None, "ACTIVE", "RESERVED")))
    if status is not None:
        body["bookingStatus"] = status
    return {"kind": "createBooking", "body": body}


@st.composite
def _update_appointment(draw: st.DrawFn, view: View) -> Request:
    appt = draw(st.sampled_from(view.appointments))
    staff_id = draw(st.one_of(st.just(str(appt.get("staffId") or sorted(view.staff)[0])),
                              st.sampled_from(sorted(view.staff))))
    service_id = draw(st.one_of(st.none(), st.just(appt.get("serviceId")),
                                st.sampled_from(sorted(view.services))))
    day, minutes, start = _start_instant(draw, view, staff_id)
    version = int(appt.get("version") or 1) + draw(st.sampled_from((0, 0, 0, 1, -1)))
    body: dict[str, Any] = {"appointmentId": appt["appointmentId"], "version": version}
    main = view.minutes(service_id or appt.get("serviceId"), staff_id)[0]
    end = start + timedelta(minutes=main + draw(st.sampled_from((0, 0, 15))))
    if view.utc:
        times = read_times(view.zone, True, start, end)
    else:  # local wall clock as written, DST gaps and folds included
        times = {"appointmentDate": day.isoformat(), "startTime": hms(minutes),
                 "endTime": hms(minutes + (end - start) // timedelta(minutes=1))}
    body["appointmentDate"] = times["appointmentDate"]
    body["startTime"] = times["startTime"]
    if draw(st.booleans()):
        body["endTime"] = times["endTime"]
    body["staffId"] = staff_id
    if service_id is not None:
        body["serviceId"] = service_id
    for key, pool in (("roomId", view.rooms), ("machineId", view.machines)):
        if bool(pool) and draw(rarely):
            body[key] = draw(st.sampled_from(pool))
    if appt.get("clientId") and draw(st.booleans()):
        body["clientId"] = appt["clientId"]
    return {"kind": "updateAppointment", "body": body}
