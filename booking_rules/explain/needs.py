"""What the platform must have seen for a rule to fire, when the snapshot says it should
not have: the data that would have had to differ, per rule (by its neutral name) and per
schedule. Read by the ``not-reproduced``, ``other-code`` and ``undecided`` diagnoses.

Each wording reads one schedule; it is None when the rule cannot concern that schedule
(``WHY_NOT`` then says why none of the request's schedules is concerned).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core import model as m
from ..core.context import Item
from .case import Case
from .words import windows

Wording = Callable[[Case, Item], str | None]


def needs(case: Case, rule: str, code: str) -> str:
    """The data that would have had to differ for ``rule`` (answered as ``code``) to fire,
    over the request's schedules."""
    found = [n for it in case.items for n in [for_item(case, rule, it)] if n]
    if not found:
        why = WHY_NOT.get(rule, "no schedule of it applies").format(code=code)
        return f"something this request does not show ({why})"
    return "; or ".join(dict.fromkeys(found))


def for_item(case: Case, rule: str, item: Item) -> str | None:
    wording = _BY_RULE.get(rule)
    return wording(case, item) if wording is not None else None


def _names(case: Case, it: Item) -> tuple[str, str, str]:
    s = it.schedule
    ctx = case.ctx
    return ctx.staff_name(s.staff_id), ctx.client_name(s.client_id), \
        ctx.service_name(s.service_id)


def _unqualified(case: Case, it: Item) -> str | None:
    staff, _, service = _names(case, it)
    return (f"{staff} disqualified from {service} (in the staff member's "
            "disqualifiedServices or the service's disqualifiedStaff), which the "
            "snapshot's lists do not say")


def _requested(case: Case, it: Item) -> str | None:
    ctx, ex = case.ctx, it.existing
    if case.req.kind != "update" or ex is None:
        return None
    if not ex.staff_request:
        return (f"{ctx.name_of(ex)} marked as requested (staffRequest) for "
                f"{ctx.staff_name(ex.staff_id)}, while the snapshot holds it without "
                "the flag")
    return (f"{ctx.name_of(ex)} with a requested staff member other than "
            f"{_names(case, it)[0]} (the snapshot holds it with "
            f"{ctx.staff_name(ex.staff_id)})")


def _client_booked(case: Case, it: Item) -> str | None:
    return (f"an appointment of {_names(case, it)[1]} overlapping {case.span(it)} that the "
            "snapshot does not hold")


def _not_working(case: Case, it: Item) -> str | None:
    return (f"a roster of {_names(case, it)[0]} on {case.day(it)} that does not cover "
            f"{case.blocks(it)} (a changed work timetable, new time off, or a break "
            "the snapshot does not hold)")


def _double_booked(case: Case, it: Item) -> str | None:
    return (f"an appointment of {_names(case, it)[0]} overlapping {case.blocks(it)} that "
            "the snapshot does not hold")


def _full(room: bool) -> Wording:
    """A room over capacity, or every unit of a machine in use."""
    kind, key = ("room", "roomIds") if room else ("machine", "machineIds")

    def wording(case: Case, it: Item) -> str | None:
        s, snap = it.schedule, case.snap
        rid = s.room_id if room else s.machine_id
        listed = (it.service.room_ids if room else it.service.machine_ids) \
            if it.service else ()
        if rid:
            thing = (snap.rooms if room else snap.machines).get(rid)
            size = (thing.capacity if isinstance(thing, m.Room) else
                    thing.quantity if isinstance(thing, m.Machine) else None)
            name = getattr(thing, "name", rid)
            lower = f" (or a lower {'capacity' if room else 'quantity'} than its " \
                    f"{size})" if size is not None else ""
            return (f"more bookings or a break in the {kind} {name} ({rid}) overlapping "
                    f"{case.span(it)}{lower} than the snapshot holds")
        if listed:
            return (f"every {kind} {_names(case, it)[2]} can use ({', '.join(listed)}) full "
                    f"over {case.span(it)}, which the snapshot does not show")
        return (f"{_names(case, it)[2]} needing a {kind}: the snapshot lists none for it "
                f"({key})")
    return wording


def _unsuitable(room: bool) -> Wording:
    kind, key = ("room", "roomIds") if room else ("machine", "machineIds")

    def wording(case: Case, it: Item) -> str | None:
        rid = it.schedule.room_id if room else it.schedule.machine_id
        service = _names(case, it)[2]
        listed = (it.service.room_ids if room else it.service.machine_ids) \
            if it.service else ()
        if not rid:
            return (f"a {kind} assigned to {service} that does not suit it, though the "
                    f"request names none")
        have = ", ".join(listed) if listed else "empty: any " + kind
        return (f"{service}'s suitable {kind}s ({key}) not including {rid} (the "
                f"snapshot's list: {have})")
    return wording


def _service_twice(case: Case, it: Item) -> str | None:
    _, client, service = _names(case, it)
    return (f"another appointment of {client} for {service} on {case.day(it)} that "
            "the snapshot does not hold")


def _second_online(case: Case, it: Item) -> str | None:
    if not case.online:
        return ("an online booking: this explanation checked a salon booking "
                "(online=False), and the rule applies to online bookings only; explain "
                "again with online=True")
    return (f"an online appointment of {_names(case, it)[1]} on {case.day(it)} that the "
            "snapshot does not hold")


def _course(too_soon: bool) -> Wording:
    def wording(case: Case, it: Item) -> str | None:
        snap = case.snap
        item = snap.course_items.get(it.schedule.course_item_id or "")
        if item is None:
            return None
        course = snap.courses.get(item.course_id or "")
        cname = course.name if course else (item.course_id or item.client_course_id)
        client = _names(case, it)[1]
        if too_soon:
            limit = course.min_days if course else None
            if not limit:
                return (f"a minimum number of days between sessions for {cname}, which "
                        "the snapshot's course does not set")
            return (f"another session of {client}'s course {cname} fewer than {limit} "
                    f"days from {case.day(it)} (or a larger minDaysBetweenSessions than "
                    f"{limit}) that the snapshot does not hold")
        limit = course.max_days if course else None
        if not limit:
            return (f"a maximum number of days between sessions for {cname}, which the "
                    "snapshot's course does not set")
        return (f"the previous session of {client}'s course {cname} more than {limit} "
                f"days before {case.day(it)}: a session the snapshot holds may have been "
                f"cancelled or moved since, or maxDaysBetweenSessions is smaller than "
                f"{limit}")
    return wording


def _offer(says: Callable[[Case, Item, m.SpecialOffer, str], str]) -> Wording:
    """A special-offer rule's wording, for a schedule whose offer the snapshot holds."""
    def wording(case: Case, it: Item) -> str | None:
        offer = case.snap.offers.get(it.schedule.offer_id or "")
        if offer is None:
            return None
        return says(case, it, offer, f"'{offer.name}' ({offer.id})")
    return wording


def _offer_not_started(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    return (f"the special offer {name} starting after {case.day(it)} (the snapshot says "
            f"{offer.start_date or 'no start date'})")


def _offer_ended(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    return (f"the special offer {name} ending before {case.day(it)} (the snapshot says "
            f"{offer.end_date or 'no end date'})")


def _offer_time(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    local = it.start.astimezone(case.snap.zone)
    return (f"allowed times of the special offer {name} that exclude {local:%A} "
            f"{local:%H:%M} (the snapshot says {windows(offer) or 'any time'})")


def _offer_concurrent(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    return (f"other bookings on the special offer {name} overlapping {case.span(it)} (or a "
            f"lower maxConcurrent than {offer.max_concurrent}) that the snapshot does not "
            "hold")


def _offer_per_day(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    return (f"other bookings on the special offer {name} on {case.day(it)} (or a lower "
            f"maxPerDay than {offer.max_per_day}) that the snapshot does not hold")


def _offer_staff(case: Case, it: Item, offer: m.SpecialOffer, name: str) -> str:
    return (f"{_names(case, it)[0]} among the staff excluded from the special offer {name}, "
            "which the snapshot's excludedStaffIds do not list")


_BY_RULE: dict[str, Wording] = {
    "staff_unqualified": _unqualified,
    "requested_staff_changed": _requested,
    "client_already_booked": _client_booked,
    "staff_not_working": _not_working,
    "staff_double_booked": _double_booked,
    "room_over_capacity": _full(room=True),
    "room_unsuitable": _unsuitable(room=True),
    "machine_double_booked": _full(room=False),
    "machine_unsuitable": _unsuitable(room=False),
    "service_twice_same_day": _service_twice,
    "second_online_booking_same_day": _second_online,
    "course_session_too_soon": _course(too_soon=True),
    "course_session_too_late": _course(too_soon=False),
    "offer_before_start_date": _offer(_offer_not_started),
    "offer_after_end_date": _offer(_offer_ended),
    "offer_outside_allowed_time": _offer(_offer_time),
    "offer_max_concurrent": _offer(_offer_concurrent),
    "offer_max_per_day": _offer(_offer_per_day),
    "offer_staff_excluded": _offer(_offer_staff),
}

_NO_OFFER = "no schedule uses a special offer the snapshot holds"
_NO_COURSE = "no schedule books a course session the snapshot knows"
# Why no schedule of the request concerns the rule ({code}: the code the API answered).
WHY_NOT: dict[str, str] = {
    "requested_staff_changed": "{code} concerns moving an existing appointment to another "
                               "staff member, and this request moves none",
    "course_session_too_soon": _NO_COURSE,
    "course_session_too_late": _NO_COURSE,
    "offer_before_start_date": _NO_OFFER,
    "offer_after_end_date": _NO_OFFER,
    "offer_outside_allowed_time": _NO_OFFER,
    "offer_max_concurrent": _NO_OFFER,
    "offer_max_per_day": _NO_OFFER,
    "offer_staff_excluded": _NO_OFFER,
}
