"""Alternatives: requests that would pass instead, along the axes the rules involved declare
(``Rule.alternatives``), each checked before it is offered (one that does not pass is
dropped). The platform's :class:`~.platform.RequestEditor` writes them.

- ``same-staff-other-time``: :func:`~booking_rules._slots.find_slots` for the failing
  schedule's service and staff member, the same local day first, then the days after and
  before, nearest first; the schedule moves alone, else the whole booking moves.
- ``same-time-other-staff``: every other staff member, by name, at the same start.
- ``other-room`` / ``other-machine``: the rooms or machines the service lists (all the
  branch's when it lists none), when the schedule names one.
- ``course-date``: the nearest dates on which the same wall clock no longer trips the rules
  that asked for it, each with the same staff member's passing start nearest that time.
- ``without-special-offer``: the same request without its special offer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from .._errors import InputError
from .._slots import find_slots
from .._time import format_local, wall_to_utc
from ..core import model as m
from ..core.context import Item
from ..core.rule import ALTERNATIVES
from ..core.snapshot import Snapshot
from .case import Case
from .platform import RequestEditor
from .words import shift

AXES: tuple[str, ...] = tuple(ALTERNATIVES)
PER_AXIS = 3  # alternatives per axis, at most
DAYS_AROUND = 7  # same-staff-other-time looks this many local days either side
COURSE_DAYS = 90  # course-date looks this many local days either side

Alternative = dict[str, Any]  # {"change", "description", "request"}


def alternatives(case: Case, rules: Collection[str], target: Item) -> list[Alternative]:
    """Passing requests for ``target``'s schedule, along the axes ``rules`` (neutral names:
    the rule the API answered and those the check finds) declare, in ``AXES`` order."""
    editor = case.platform.editor(case.request, case.req, case.snap)
    if editor is None or target.service is None or target.staff is None:
        return []
    declared = [case.table.rules[r] for r in rules if r in case.table.rules]
    axes = {axis for rule in declared for axis in rule.alternatives}
    search = _Search(case, editor, target)
    out: list[Alternative] = []
    for axis in AXES:
        if axis in axes:
            out += _AXES[axis](search)
    return out


class _Search:
    """The alternatives of one schedule of one case."""

    def __init__(self, case: Case, editor: RequestEditor, target: Item) -> None:
        self.case = case
        self.editor = editor
        self.target = target
        self.zone = case.snap.zone
        self._search: Snapshot | None = None

    @property
    def search_snapshot(self) -> Snapshot:
        """The snapshot the slot search reads: an update never conflicts with the
        appointment it moves."""
        if self._search is None:
            snap = self.case.snap_given
            aid = self.case.req.appointment_id
            self._search = snap
            if self.case.req.kind == "update" and aid and aid in snap.appointments:
                self._search = snap.without_appointment(aid)
        return self._search

    def alt(self, change: str, description: str, request: dict[str, Any]) -> Alternative:
        return {"change": change, "description": description, "request": request}

    def move_passing(self, delta: timedelta) -> tuple[dict[str, Any], bool] | None:
        """The target moved by ``delta`` (else the whole booking), if it passes; and
        whether the whole booking moved."""
        request = self.editor.moved([self.target], delta)
        if request is not None and self.case.passes(request):
            return request, False
        if len(self.case.items) > 1:
            request = self.editor.moved(self.case.items, delta)
            if request is not None and self.case.passes(request):
                return request, True
        return None

    def day_starts(self, day: date, staff_id: str) -> list[datetime]:
        """Passing starts of ``staff_id`` on local ``day`` for the target's service, found
        with find_slots (empty when the snapshot does not cover that day)."""
        lo = wall_to_utc(day, time(0), self.zone).instant
        hi = wall_to_utc(day + timedelta(days=1), time(0), self.zone).instant
        case = self.case
        try:
            slots = find_slots(self.search_snapshot, [self.target.schedule.service_id or ""],
                               start=lo, end=hi, staff_id=staff_id,
                               client_id=self.target.schedule.client_id, online=case.online,
                               now=case.now, ruleset=case.rs)
        except InputError:
            return []
        return [s.start for s in slots]

    # --- the axes ------------------------------------------------------------------------

    def other_time(self) -> list[Alternative]:
        out: list[Alternative] = []
        target = self.target
        staff_id = target.schedule.staff_id or ""
        for day in _days_around(target.local_date, DAYS_AROUND):
            starts = sorted((s for s in self.day_starts(day, staff_id) if s != target.start),
                            key=lambda s: (abs(s - target.start), s))
            for start in starts:
                found = self.move_passing(start - target.start)
                if found is None:
                    continue
                request, whole = found
                what = "the whole booking moved: " if whole else ""
                out.append(self.alt(
                    "same-staff-other-time",
                    f"{what}{self.case.ctx.staff_name(staff_id)} at "
                    f"{format_local(start, self.zone)}, {shift(start - target.start)}",
                    request))
                if len(out) >= PER_AXIS:
                    return out
        return out

    def other_staff(self) -> list[Alternative]:
        out: list[Alternative] = []
        target, ctx = self.target, self.case.ctx
        staff = sorted(self.case.snap.staff.values(), key=lambda st: (st.name, st.id))
        for st in staff:
            if st.id == target.schedule.staff_id:
                continue
            request = self.editor.with_staff(target, st.id)
            if self.case.passes(request):
                out.append(self.alt(
                    "same-time-other-staff",
                    f"{st.name} ({st.id}) instead of {ctx.staff_name(target.schedule.staff_id)}"
                    f", same time ({format_local(target.start, self.zone)})", request))
                if len(out) >= PER_AXIS:
                    break
        return out

    def other_room(self) -> list[Alternative]:
        service = self.target.service
        return self.other_resource("room", self.target.schedule.room_id, self.case.snap.rooms,
                                   service.room_ids if service else (), self.editor.with_room)

    def other_machine(self) -> list[Alternative]:
        service = self.target.service
        return self.other_resource("machine", self.target.schedule.machine_id,
                                   self.case.snap.machines,
                                   service.machine_ids if service else (),
                                   self.editor.with_machine)

    def other_resource(self, kind: str, current: str | None,
                       things: Mapping[str, m.Room] | Mapping[str, m.Machine],
                       listed: tuple[str, ...],
                       edit: Callable[[Item, str], dict[str, Any]]) -> list[Alternative]:
        if current is None:
            return []
        out: list[Alternative] = []
        candidates = [i for i in (listed or sorted(things)) if i in things and i != current]
        now_name = things[current].name if current in things else current
        for rid in candidates:
            request = edit(self.target, rid)
            if self.case.passes(request):
                out.append(self.alt(
                    f"other-{kind}",
                    f"{kind} {things[rid].name} ({rid}) instead of {now_name} ({current}), "
                    f"same time and staff", request))
                if len(out) >= PER_AXIS:
                    break
        return out

    def course_date(self) -> list[Alternative]:
        """The nearest local dates the course's spacing allows (the same wall clock time
        there no longer trips the rules that ask for a course date), each with the passing
        start of the same staff member nearest that time of day."""
        target, case = self.target, self.case
        if not target.schedule.course_item_id:
            return []
        out: list[Alternative] = []
        staff_id = target.schedule.staff_id or ""
        local = target.start.astimezone(self.zone)
        spacing = {r.name for r in case.table.rules.values() if "course-date" in r.alternatives}
        for day in _days_around(target.local_date, COURSE_DAYS):
            if day == target.local_date:
                continue
            same_clock = wall_to_utc(day, local.time().replace(tzinfo=None),
                                     self.zone).instant
            probe = self.editor.moved([target], same_clock - target.start)
            if probe is None:
                continue
            report = case.check(probe)[1]
            if spacing & {v.rule for v in (*report.violations, *report.unknowns)}:
                continue
            starts = sorted(self.day_starts(day, staff_id),
                            key=lambda s: (abs(s - same_clock), s))
            for start in starts:
                found = self.move_passing(start - target.start)
                if found is None:
                    continue
                request, whole = found
                what = "the whole booking moved: " if whole else ""
                days = (day - target.local_date).days
                out.append(self.alt(
                    "course-date",
                    f"{what}{case.ctx.staff_name(staff_id)} at "
                    f"{format_local(start, self.zone)}, {abs(days)} day"
                    f"{'s' if abs(days) != 1 else ''} {'later' if days > 0 else 'earlier'}: a "
                    "date the course's spacing allows", request))
                break
            if len(out) >= PER_AXIS:
                break
        return out

    def without_offer(self) -> list[Alternative]:
        target = self.target
        if not target.schedule.offer_id:
            return []
        request = self.editor.without_offer(target)
        if request is None or not self.case.passes(request):
            return []
        offer = self.case.snap.offers.get(target.schedule.offer_id)
        name = f"'{offer.name}' ({offer.id})" if offer else repr(target.schedule.offer_id)
        return [self.alt("without-special-offer",
                         f"the same booking without the special offer {name} (at the "
                         "service's normal price)", request)]


_AXES: dict[str, Callable[[_Search], list[Alternative]]] = {
    "same-staff-other-time": _Search.other_time,
    "same-time-other-staff": _Search.other_staff,
    "other-room": _Search.other_room,
    "other-machine": _Search.other_machine,
    "course-date": _Search.course_date,
    "without-special-offer": _Search.without_offer,
}
if set(_AXES) != set(AXES):
    raise RuntimeError("every alternative a rule may declare needs a search here")


def _days_around(day: date, reach: int) -> Iterator[date]:
    """``day``, then the days after and before it, nearest first (later first on a tie)."""
    yield day
    for k in range(1, reach + 1):
        yield day + timedelta(days=k)
        yield day - timedelta(days=k)
