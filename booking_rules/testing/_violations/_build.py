"""The toolkit a provocation builds a scenario with: :class:`Build`, a base salon from
:func:`snapshots` being extended with fresh staff, services, clients, rosters and
appointments (times written in the salon's convention), and the requests against it
(createBooking, or a move of an appointment booked far away).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from .._adapter import format_utc
from .._clock import QUARTER, read_times, wall
from .._view import Doc, Request, View, items_of


class Build:
    """A base salon being extended into a scenario: fresh ids, times in its convention."""

    def __init__(self, doc: Doc, day: date, minute: int, draw: st.DrawFn) -> None:
        self.doc = doc
        self.draw = draw
        self.view = View(doc)
        self.zone, self.utc = self.view.zone, self.view.utc
        self.day, self.minute = day, minute
        self.start = wall(self.zone, day, minute)
        self.count = 0
        self.about: list[str] = []
        # Whether the scenario is checked as an online booking: None lets the scenario draw
        # it; a rule that only online bookings break sets True.
        self.online: bool | None = None

    # time
    def at(self, day: date, minute: int) -> datetime:
        return wall(self.zone, day, minute)

    def refresh(self) -> None:
        self.view = View(self.doc)

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}_v{self.count}"

    # entities
    def add(self, key: str, item: dict[str, Any]) -> dict[str, Any]:
        self.doc.setdefault(key, []).append(item)
        self.refresh()
        return item

    def service(self, **fields: Any) -> str:
        sid = self.fresh("svc")
        self.add("services", {"serviceId": sid, "name": f"Service {sid}",
                              "duration": self.draw(st.sampled_from((30, 45, 60, 15))),
                              "internetEnabled": True, **fields})
        return sid

    def any_service(self) -> str:
        """A service of the base salon (no rooms or machines), or a fresh one."""
        plain = [s["serviceId"] for s in items_of(self.doc, "services")
                 if not s.get("roomIds") and not s.get("machineIds")]
        if bool(plain) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(sorted(plain))))
        return self.service()

    def staff(self) -> str:
        sid = self.fresh("stf")
        self.add("staff", {"staffId": sid, "userId": f"usr_{sid}", "firstName": "Vera",
                           "lastName": sid, "disqualifiedServices": []})
        return sid

    def any_staff(self) -> str:
        base = sorted(self.view.staff)
        if bool(base) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(base)))
        return self.staff()

    def client(self) -> str:
        cid = self.fresh("cli")
        self.add("clients", {"clientId": cid, "firstName": "Val", "lastName": cid})
        return cid

    def any_client(self) -> str:
        base = [c["clientId"] for c in items_of(self.doc, "clients")]
        if bool(base) and self.draw(st.booleans()):
            return str(self.draw(st.sampled_from(base)))
        return self.client()

    def roster(self, staff_id: str, slot: dict[str, Any]) -> None:
        for table in self.doc.setdefault("workTimeTables", []):
            if table.get("staffId") == staff_id:
                table.setdefault("timeSlots", []).append(slot)
                return
        self.add("workTimeTables", {"staffId": staff_id, "timeSlots": [slot]})

    def appointment(self, start: datetime, minutes: int, *, client: str, staff: str,
                    service: str, state: str | None = None, **links: Any) -> str:
        aid = self.fresh("ap")
        if state is None:
            state = self.draw(st.sampled_from(("ACTIVE", "RESERVED")))
        self.add("appointments", {
            "appointmentId": aid, "version": 1,
            **read_times(self.zone, self.utc, start, start + timedelta(minutes=minutes)),
            "clientId": client, "staffId": staff, "serviceId": service,
            "activationState": state, "deleted": False, "staffRequest": False,
            "source": "API", **links})
        return aid

    # what a requested service occupies (RULES.md §2), as the engine computes it
    def main(self, service: str, staff: str) -> int:
        return self.view.minutes(service, staff)[0]

    def span(self, service: str, staff: str) -> int:
        return self.view.span_minutes(service, staff)

    def overlapping(self, target: datetime, target_minutes: int, own_minutes: int
                    ) -> datetime:
        """A quarter-hour start for an interval of ``own_minutes`` that overlaps
        ``[target, target + target_minutes)``."""
        k = self.draw(st.integers(-((own_minutes - 1) // 15), (target_minutes - 1) // 15))
        return target + QUARTER * k

    # requests
    def schedule(self, service: str, staff: str, start: datetime, **extra: Any
                 ) -> dict[str, Any]:
        return {"serviceId": service, "staffId": staff, "startTime": format_utc(start), **extra}

    def create(self, client: str, *schedules: dict[str, Any]) -> Request:
        return {"kind": "createBooking", "body": {
            "clientId": client, "clientAppointmentSchedules": [
                {"clientId": client, "serviceSchedules": list(schedules)}]}}

    def update(self, appointment_id: str, start: datetime, staff: str, **extra: Any
               ) -> Request:
        appt = next(a for a in items_of(self.doc, "appointments")
                    if a["appointmentId"] == appointment_id)
        service = str(extra.get("serviceId") or appt["serviceId"])
        end = start + timedelta(minutes=self.main(service, staff))
        times = read_times(self.zone, self.utc, start, end)
        body = {"appointmentId": appointment_id, "version": appt["version"], **times,
                "staffId": staff, **extra}
        if self.draw(st.booleans()):
            del body["endTime"]
        return {"kind": "updateAppointment", "body": body}

    def elsewhere(self) -> datetime:
        """A start far from the scenario's day, for an appointment about to be moved."""
        return self.at(self.day + timedelta(days=self.draw(st.integers(200, 300))),
                       self.minute)

    def move_or_create(self, client: str, service: str, staff: str, start: datetime,
                       **links: Any) -> Request:
        """createBooking of ``service`` at ``start``, or a move there of an appointment of
        the same client and service booked far away (which carries ``links``)."""
        if self.draw(st.booleans()):
            self.about.append("createBooking")
            return self.create(client, self.schedule(service, staff, start, **links))
        moved = self.appointment(self.elsewhere(), self.main(service, staff), client=client,
                                 staff=staff, service=service, state="ACTIVE",
                                 **{k: v for k, v in links.items()
                                    if k in ("specialOfferId", "clientCourseItemId")})
        extra = {k: v for k, v in links.items() if k in ("roomId", "machineId")}
        if self.draw(st.booleans()):
            extra["clientId"] = client
        self.about.append(f"move of {moved}")
        return self.update(moved, start, staff, **extra)


#: A rule's provocation: extends the base salon of ``b`` and returns the request that the
#: extended salon refuses with the rule's code.
Provoke = Callable[[Build], Request]
