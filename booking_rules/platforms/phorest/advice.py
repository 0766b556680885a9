"""Phorest's advice: what an answer that is not about the booking means (credentials, a
missing id, a conflict, throttling, a server error, the 31-day list limit), and, per rule,
where to look, from Phorest's own "endpoints when those errors can come up"
(phorest_api.md). The branch, staff, client and local date are filled in from the request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from ...core.context import Item
from ...explain.platform import Advice, Remedy, Response, Situation

_BASE = "/business/{businessId}/branch/"
_RANGE_31 = re.compile(r"max(?:imum)?\s+date\s+range\s+allowed\s+is\s+31\s+days", re.I)


def endpoint(situation: Situation, tail: str, name: str = "", method: str = "GET") -> str:
    """``GET /business/{businessId}/branch/<branch>/<tail> (<name>)``."""
    return (f"{method} {_BASE}{situation.snapshot.branch.id}/{tail}"
            + (f" ({name})" if name else ""))


def _remedies(*pairs: tuple[str, str | None]) -> list[Remedy]:
    return [{"action": a, "endpoint": e} if e else {"action": a} for a, e in pairs]


# --- answers that are not about the booking ---------------------------------------------


def advise(response: Response, sit: Situation) -> Advice | None:
    """The reading of an answer that names no rule code, by what it says, then its status;
    None when Phorest's notes say nothing about it (explain then reads it itself)."""
    st = response.status
    if _RANGE_31.search(response.text):
        return _date_range(sit)
    if st in (401, 403):
        return _credentials(sit, st)
    if st == 404:
        return _not_found(sit)
    if st == 409:
        return _conflict(sit)
    if st == 429:
        return _throttled()
    if st is not None and 500 <= st <= 599:
        return _server_error(sit)
    return None


def _date_range(sit: Situation) -> Advice:
    return Advice(
        "That is the 31-day limit of Phorest's list endpoints (appointments, work "
        "timetables, breaks): the read that fetched the data asked for a longer range; the "
        "booking itself was not judged.",
        _remedies(("split the range into windows of at most 31 days (to_date is inclusive: "
                   "2026-12-01 to 2026-12-31 is 31 days)",
                   endpoint(sit, "appointment?from_date=...&to_date=...", "getAppointments")),
                  ("work timetables allow at most one month per call",
                   endpoint(sit, "staff/worktimetable?from_date=...&to_date=...")),
                  ("breaks allow at most one month per call",
                   endpoint(sit, "break?from_date=...&to_date=..."))))


def _credentials(sit: Situation, status: int) -> Advice:
    if status == 401:
        text = ("Phorest did not accept the credentials, so it did not look at the "
                "booking.")
    else:
        text = ("The credentials were accepted but may not reach this business or branch, "
                "so Phorest did not look at the booking.")
    remedies = _remedies(
        ("send HTTP Basic auth on every request, with the username global/<email> (without "
         "the global/ prefix Phorest answers 401) and the password Phorest issued", None),
        ("there is no OAuth and no token exchange in this API: credentials come only from "
         "Phorest Support", None))
    if status == 403:
        remedies += _remedies((f"check the businessId and the branchId "
                               f"({sit.snapshot.branch.id}) in the path; ask Phorest Support "
                               "for access", None))
    return Advice(text, remedies)


def _not_found(sit: Situation) -> Advice:
    found = (sit.violations("unknown_id", unknowns=True)
             + sit.violations("unknown_client", warnings=True))
    branch = sit.snapshot.branch.id
    if found:
        named = "; ".join(v.message for v in found)
        text = ("Phorest did not find something the request names, and the snapshot does "
                f"not hold it either: {named}")
        remedies: list[Remedy] = [{"action": f}
                                   for f in dict.fromkeys(v.fix for v in found if v.fix)]
    else:
        text = (f"Every id in the request is known to the snapshot (branch {branch}), so the "
                "id may belong to another branch (check the branchId in the path) or was "
                f"deleted after the snapshot was fetched. {sit.age}")
        remedies = _remedies((f"check that the path's branchId is {branch}, the snapshot's "
                              "branch", None),
                             ("refresh the snapshot and explain again", None))
    if sit.request.kind == "update":
        remedies += _remedies((
            "if GET .../appointment/{appointmentId} itself answers 404 (one tenant saw it "
            "always do), list the appointment with updated_from/updated_to instead",
            endpoint(sit, "appointment?updated_from=...&updated_to=...", "getAppointments")))
    return Advice(text, remedies, found)


def _conflict(sit: Situation) -> Advice:
    stale = sit.violations("stale_version")
    text = ("A conflict: the appointment changed since it was read (its `version` is stale) "
            "or another write got there first.")
    if stale:
        text += f" The snapshot agrees: {stale[0].message}"
    appointment = sit.request.appointment_id or "{appointmentId}"
    return Advice(text, _remedies(
        ("read the appointment again and rebuild the request from it, with its current "
         "version; then send it once more", endpoint(sit, f"appointment/{appointment}")),
        ("do not retry the same body: it will conflict again", None)), stale)


def _throttled() -> Advice:
    return Advice(
        "Phorest throttled the request (too many requests); it did not look at the booking.",
        _remedies(("back off and retry: exponential backoff with jitter, honouring a "
                   "Retry-After header when one is sent", None),
                  ("do not hard-code a rate: Phorest's published limit (100 requests a "
                   "second) and one integration's observed limit (500 requests per 1000 s "
                   "window) disagree", None),
                  ("make fewer calls: read from a cached snapshot and check bookings before "
                   "sending them", None)))


def _server_error(sit: Situation) -> Advice:
    req = sit.request
    item = sit.items[0] if sit.items else None
    check_first: dict[str, str] = {"action": "before retrying, check whether it was made: "
                                             "list the client's appointments that day"}
    if item is not None:
        day = item.local_date.isoformat()
        check_first["endpoint"] = endpoint(
            sit, f"appointment?client_id={item.schedule.client_id}&from_date={day}"
                 f"&to_date={day}", "getAppointments")
    remedies: list[Remedy] = [check_first]
    if req.kind == "update":
        remedies += _remedies(("read the appointment: a new version means the update went "
                               "through", endpoint(sit, f"appointment/{req.appointment_id}")))
    remedies += _remedies(("then retry with exponential backoff (and jitter); do not retry a "
                           "createBooking that already exists", None))
    return Advice(f"A server or gateway error, usually transient. The {sit.what} may or may "
                  "not have been made: check before retrying.", remedies)


# --- per rule: where to look -----------------------------------------------------------

_Look = Callable[[Situation, Item, str], list[Remedy]]


def rule_remedies(rule: str, sit: Situation, item: Item) -> list[Remedy]:
    """Where to look when Phorest answers the code of ``rule`` (a neutral name)."""
    look = _BY_RULE.get(rule)
    if look is None:
        return []
    day = item.local_date.isoformat()
    return look(sit, item, f"from_date={day}&to_date={day}")


def _services(sit: Situation) -> str:
    return endpoint(sit, "service", "getBranchServices")


def _availability(sit: Situation) -> str:
    return endpoint(sit, "appointments/availability", "findAvailableAppointmentTimes", "POST")


def _qualification(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    return _remedies(("check who may perform the service: its disqualifiedStaff",
                      _services(sit)),
                     ("check the staff member's disqualifiedServices",
                      endpoint(sit, f"staff/{it.schedule.staff_id}")))


def _requested(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    appointment = sit.request.appointment_id or "{appointmentId}"
    return _remedies(("keep the requested staff member and move only the time, or ask the "
                      "client first (the salon can clear the request flag in Phorest)", None),
                     ("read the appointment's staffRequest flag",
                      endpoint(sit, f"appointment/{appointment}")))


def _client_day(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    return _remedies(("list the client's appointments that day",
                      endpoint(sit, f"appointment?client_id={it.schedule.client_id}&{by_day}",
                               "getAppointments")))


def _roster(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    return _remedies(("check the staff member's roster that day",
                      endpoint(sit, f"staff/worktimetable?{by_day}")),
                     ("check their breaks",
                      endpoint(sit, f"break?{by_day}&staff_id={it.schedule.staff_id}")),
                     (f"send startTime as a UTC instant: Phorest reads booking times in UTC, "
                      f"and the branch is in {sit.snapshot.zone.key}", None))


def _staff_bookings(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    return _remedies(("ask Phorest for free times before booking", _availability(sit)),
                     ("see the staff member's bookings that day",
                      endpoint(sit, f"appointment?staff_id={it.schedule.staff_id}&{by_day}",
                               "getAppointments")))


def _resource_bookings(kind: str) -> _Look:
    def look(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
        return _remedies(("check the rooms and machines set for the service", _services(sit)),
                         (f"see the bookings holding the {kind} that day",
                          endpoint(sit, f"appointment?{by_day}", "getAppointments")),
                         ("ask Phorest for free times before booking", _availability(sit)))
    return look


def _resource_list(kind: str) -> _Look:
    def look(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
        return _remedies(("check the rooms and machines set for the service", _services(sit)),
                         (f"list the branch's {kind}s", endpoint(sit, kind)))
    return look


def _course(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
    client = it.schedule.client_id
    lo, hi = it.local_date - timedelta(days=15), it.local_date + timedelta(days=15)
    return _remedies(("read the client's course",
                      f"GET /business/{{businessId}}/clientcourse?client_id={client}"),
                     ("list the client's sessions around that date (at most 31 days per "
                      "call)", endpoint(sit, f"appointment?client_id={client}&from_date={lo}"
                                             f"&to_date={hi}", "getAppointments")))


def _offer(counted: bool) -> _Look:
    def look(sit: Situation, it: Item, by_day: str) -> list[Remedy]:
        out = _remedies(("check the special offer's settings before booking",
                         endpoint(sit, "service-special-offer", "getServiceSpecialOffers")))
        if counted:
            out += _remedies(("see the offer's bookings that day",
                              endpoint(sit, f"appointment?{by_day}", "getAppointments")))
        return out
    return look


_BY_RULE: dict[str, _Look] = {
    "staff_unqualified": _qualification,
    "requested_staff_changed": _requested,
    "client_already_booked": _client_day,
    "service_twice_same_day": _client_day,
    "second_online_booking_same_day": _client_day,
    "staff_not_working": _roster,
    "staff_double_booked": _staff_bookings,
    "room_over_capacity": _resource_bookings("room"),
    "machine_double_booked": _resource_bookings("machine"),
    "room_unsuitable": _resource_list("room"),
    "machine_unsuitable": _resource_list("machine"),
    "course_session_too_soon": _course,
    "course_session_too_late": _course,
    "offer_before_start_date": _offer(counted=False),
    "offer_after_end_date": _offer(counted=False),
    "offer_outside_allowed_time": _offer(counted=False),
    "offer_max_concurrent": _offer(counted=True),
    "offer_max_per_day": _offer(counted=True),
    "offer_staff_excluded": _offer(counted=False),
}
