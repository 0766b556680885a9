"""A salon's diary driven through the engine: book, move, cancel, and never hold a conflict.

The model is a plain list of appointment dicts that becomes the snapshot's
``appointments``. A booking (createBooking) or a move (updateAppointment) is applied to the
model only when ``check`` passes it, as an integration would send it to Phorest only then;
a cancel always goes through. The invariant: the diary never holds a conflict the engine
would have refused. Every held appointment, re-checked as an update of itself, earns no
STAFF_DOUBLE_BOOKED and no CLIENT_ALREADY_BOOKED_THIS_TIME, and no two blocking
appointments of one staff member (or of one client) overlap.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import booking_rules as br
from booking_rules import testing as brt

from . import reference
from .conftest import scaled

CONFLICTS = {"STAFF_DOUBLE_BOOKED", "CLIENT_ALREADY_BOOKED_THIS_TIME"}


def blocking(a: dict[str, Any]) -> bool:
    return reference.blocking(a)


class Diary(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.base: dict[str, Any] = {}
        self.appointments: list[dict[str, Any]] = []
        self.now = datetime.now(UTC)
        self.online = False
        self.count = 0

    # --- the model ---------------------------------------------------------------------

    def doc(self) -> dict[str, Any]:
        return {**self.base, "appointments": copy.deepcopy(self.appointments)}

    def salon(self) -> reference.Salon:
        return reference.Salon(self.doc())

    def send(self, request: dict[str, Any]) -> bool:
        verdict = br.check(br.load_snapshot(self.doc()), request, now=self.now,
                           online=self.online).verdict
        event(f"{request['kind']} {verdict}")
        return verdict == "PASS"

    def written(self, start: datetime, end: datetime) -> dict[str, str] | None:
        """The read times of ``[start, end)`` in the snapshot's convention, or None when
        they cannot say it (the second 01:30 of a fall-back night, in local wall clock)."""
        salon = self.salon()
        tz = UTC if salon.utc_reads else salon.zone
        s, e = start.astimezone(tz), end.astimezone(tz)
        times = {"appointmentDate": s.date().isoformat(), "startTime": s.strftime("%H:%M:%S"),
                 "endTime": e.strftime("%H:%M:%S")}
        back = salon.read_span(s.date(), times["startTime"], times["endTime"])
        return times if back == (start, end) else None

    def book(self, body: dict[str, Any]) -> None:
        salon = self.salon()
        new = []
        for group in body["clientAppointmentSchedules"]:
            for s in group["serviceSchedules"]:
                start = reference.instant(s["startTime"])
                if s.get("endTime"):
                    end = reference.instant(s["endTime"])
                else:
                    service = salon.services[s["serviceId"]]
                    end = start + timedelta(minutes=salon.duration(service, s["staffId"]))
                times = self.written(start, end)
                if times is None:
                    event("booking not representable in local wall clock: not kept")
                    return
                self.count += 1
                appt = {
                    "appointmentId": f"ap_m{self.count}", "version": 1, **times,
                    "clientId": s.get("clientId") or group.get("clientId") or body["clientId"],
                    "staffId": s["staffId"], "serviceId": s["serviceId"],
                    "activationState": body.get("bookingStatus", "ACTIVE"), "deleted": False,
                    "staffRequest": bool(s.get("staffRequest")),
                    "source": "ONLINE" if self.online else "API",
                }
                for key in ("roomId", "machineId", "specialOfferId", "clientCourseItemId"):
                    if s.get(key):
                        appt[key] = s[key]
                new.append(appt)
        self.appointments.extend(new)

    def move(self, body: dict[str, Any]) -> None:
        salon = self.salon()
        appt = next(a for a in self.appointments
                    if a["appointmentId"] == body["appointmentId"])
        day = date.fromisoformat(body["appointmentDate"])
        service_id = body.get("serviceId") or appt["serviceId"]
        if body.get("endTime"):
            start, end = salon.read_span(day, body["startTime"], body["endTime"])
        else:
            start = salon.read(day, body["startTime"])
            end = start + timedelta(minutes=salon.duration(salon.services[service_id],
                                                           body["staffId"]))
        times = self.written(start, end)
        assert times is not None, "a move is written in the snapshot's own convention"
        appt.update(times)
        appt.update(staffId=body["staffId"], serviceId=service_id,
                    version=appt["version"] + 1)
        for key in ("roomId", "machineId", "clientId"):
            if key in body:
                appt[key] = body[key]

    def apply(self, request: dict[str, Any]) -> None:
        if self.send(request):
            if request["kind"] == "createBooking":
                self.book(request["body"])
            else:
                self.move(request["body"])

    def held(self) -> list[dict[str, Any]]:
        return [a for a in self.appointments if blocking(a)]

    # --- the steps ---------------------------------------------------------------------

    @initialize(doc=brt.snapshots(max_appointments=0, finish_durations=False),
                online=st.booleans())
    def open_the_salon(self, doc: dict[str, Any], online: bool) -> None:
        self.base, self.online = doc, online
        self.now = brt.now_for(doc)

    @rule(data=st.data())
    def book_anything(self, data: st.DataObject) -> None:
        """Mostly refused: any createBooking."""
        self.apply(data.draw(brt.requests(self.doc(), kinds=("createBooking",))))

    @rule(data=st.data())
    def book_or_move_to_a_free_time(self, data: st.DataObject) -> None:
        """A request drawn from the free times (a booking, or a move when one passes)."""
        try:
            request = data.draw(brt.passing_requests(self.doc(), now=self.now,
                                                     online=self.online))
        except InvalidArgument:  # the diary is full: no time passes any more
            event("salon fully booked")
            return
        assert self.send(request), "passing_requests drew a request check refuses"
        self.apply(request)

    @precondition(lambda self: bool(self.appointments))
    @rule(data=st.data())
    def move_anywhere(self, data: st.DataObject) -> None:
        """Mostly refused: any move of a held appointment."""
        self.apply(data.draw(brt.requests(self.doc(), kinds=("updateAppointment",))))

    @precondition(lambda self: bool(self.held()))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        appt = data.draw(st.sampled_from(self.held()))
        if data.draw(st.booleans()):
            appt["activationState"] = "CANCELED"
        else:
            appt["deleted"] = True

    # --- what must always hold ---------------------------------------------------------

    @invariant()
    def no_held_appointment_conflicts_with_another(self) -> None:
        if not self.base:
            return
        held = self.held()
        snap = br.load_snapshot(self.doc())
        for a in held:
            request = {"kind": "updateAppointment", "body": {
                "appointmentId": a["appointmentId"], "version": a["version"],
                "appointmentDate": a["appointmentDate"], "startTime": a["startTime"],
                "endTime": a["endTime"], "staffId": a["staffId"],
                "serviceId": a["serviceId"]}}
            codes = set(br.check(snap, request, now=self.now, online=self.online).codes)
            assert not codes & CONFLICTS, (a["appointmentId"], codes)
        salon = self.salon()
        spans = [(a, salon.appointment(a).span) for a in held]
        for i, (a, sa) in enumerate(spans):
            for b, sb in spans[i + 1:]:
                if reference.overlaps(sa, sb):
                    assert a["staffId"] != b["staffId"], ("staff double booked", a, b)
                    assert a["clientId"] != b["clientId"], ("client double booked", a, b)

    @invariant()
    def versions_only_grow(self) -> None:
        assert all(a["version"] >= 1 for a in self.appointments)


Diary.TestCase.settings = settings(max_examples=scaled(0.25))
TestDiary = Diary.TestCase


def test_the_model_reads_local_wall_clock_like_the_engine() -> None:
    """The model's own time reading, spot-checked against the engine on a fall-back night:
    01:30 happens twice in Toronto on 2026-11-01; the read takes the first (EDT)."""
    doc = {"branch": {"branchId": "b", "timeZone": "America/Toronto"},
           "appointments": [{"appointmentId": "a", "appointmentDate": "2026-11-01",
                             "startTime": "01:30:00", "endTime": "02:00:00",
                             # RULES.md §6 (round 2): a row without staff is unreadable
                             "staffId": "s"}]}
    engine = br.load_snapshot(doc).appointments["a"]
    model = reference.Salon(doc).appointment(doc["appointments"][0])
    assert (engine.start, engine.end) == (model.start, model.end)
    assert model.start == datetime.combine(date(2026, 11, 1), time(5, 30), tzinfo=UTC)
