"""Slot search: the times a booking would pass, decided by the same rules as ``check``.

    slots = find_slots(snap, ["svc_cut"], start=..., end=..., now=...)
    slots_to_json(slots), slots_to_phorest(slots, client_id), slots_to_text(slots, snap)

How it works, and why it is sound and complete by construction:

1. **Candidates.** For each staff member, their *free windows*: the working windows of the
   snapshot (roster minus time off minus breaks, ``Snapshot.working_windows``) minus the main
   blocks of their blocking appointments (the same appointments ``STAFF_DOUBLE_BOOKED``
   reads, through the engine's ``Context``). Candidate starts lie on a grid: every
   ``step_minutes`` (default 15) of elapsed time from the start of each free window, so a
   free window that starts 10:45 local offers 10:45, 11:00, ... Across a DST change the grid
   keeps stepping in elapsed time: no real instant is skipped or offered twice (both 01:00
   EDT and 01:00 EST on a fall-back night). A start is a candidate when it lies in
   ``[start, end)`` (the window bounds the *start*, like Phorest's availability search) and
   the service's main block fits inside that free window.

   For online searches where ``ONLINE_OFF_SLOT_GRID`` is in force, the grid is that rule's:
   every ``step_minutes`` (default: the rule's ``interval_minutes``) of local wall clock
   from local midnight, so the search offers exactly the times an online booking may use.

2. **Pruning.** Free windows only remove starts that ``STAFF_NOT_WORKING`` or
   ``STAFF_DOUBLE_BOOKED`` would refuse, and each of them is used only when the ruleset
   runs that rule at error severity. Nothing else is pruned.

3. **Verification.** Each candidate is checked by the engine's ``Checker`` (the code
   ``check`` runs) as the canonical request ``check`` reads from the createBooking body
   ``Slot.booking`` returns (built directly, not re-read from a body: ``_request``). A
   candidate passes when no rule reports an error and nothing is UNKNOWN; no report is
   rendered. With no ``client_id`` the booking is made for a placeholder client that is
   not in the snapshot, and ``UNKNOWN_CLIENT`` about that placeholder is ignored (it is a
   warning in ``phorest``, an error in ``strict``).

   The rules a rule module declares ``timeless`` (qualification, unknown ids, archived,
   online flags, ...) answer the same at every start, so they run once per combination of
   services, staff, rooms and machines; the others run for every candidate. The two parts
   partition the rules, so a candidate passes exactly when ``check`` passes it.
   tests/test_rule_shortcuts.py holds each declaration (and each ``silent_unless``
   condition the engine skips a rule on) to the rule's real answer.

4. **Resources and chains.** A service listing ``roomIds``/``machineIds`` is tried with
   each listed room (in listed order), and within it each listed machine; the first
   combination that passes is the slot's. Several services are a back-to-back chain for
   one client: service *k* starts when service *k-1* is over (main block, gap, finish).
   Staff for each service: the requested ``staff_id`` for all, else the qualified staff by
   id. Per start and per first-service staff member, combinations are tried in that
   stable order and the first whole chain that passes (checked as one createBooking) is
   returned.

``max_slots_per_day`` (Phorest's online setting) trims after verification: it is the only
case where a start that passes is left out.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import Any

from ._errors import InputError
from ._gc import no_collection
from ._time import UTC, format_span, format_utc, local_date, wall_to_utc
from .core import model as m
from .core.context import Context
from .core.engine import Checker, clients_without_appointments, resolve, snapshot_for
from .core.guard import require_bool, require_instant, require_optional_str, require_snapshot
from .core.index import merge, subtract
from .core.report import COVERAGE_FIX, coverage_dates
from .core.rule import Finding, Rule, Unknown
from .core.ruleset import Ruleset
from .core.snapshot import Snapshot

__all__ = [
    "PLACEHOLDER_CLIENT",
    "Blocker",
    "Slot",
    "SlotSchedule",
    "Slots",
    "Undecided",
    "find_slots",
    "slots_to_json",
    "slots_to_phorest",
    "slots_to_text",
]

PLACEHOLDER_CLIENT = "(new client)"
MAX_WINDOW = timedelta(days=31)
DEFAULT_STEP = 15
# The longest back-to-back chain a search takes, and the most candidate bookings one
# search verifies (README "Input limits"): a chain's combinations multiply with its length,
# and a search that would verify more says so instead of running for minutes.
MAX_CHAIN = 8
MAX_CHECKS = 500_000
# Rules whose answer for a schedule depends on the request's *later* schedules (an add-on
# is fine once a main service follows it). Every other rule answers a chain's first k
# schedules the same whatever follows, so a prefix that fails on them cannot be completed.
_READS_LATER = frozenset({"addon_booked_alone"})
SOURCE = "slots"
_NOT_WORKING = "staff_not_working"
_DOUBLE_BOOKED = "staff_double_booked"
_SLOT_GRID = "online_off_slot_grid"
_UNKNOWN_CLIENT = "unknown_client"


@dataclass(frozen=True, slots=True)
class SlotSchedule:
    """One service of a slot: who, when (the service is over at ``end``: main block, gap
    and finish), and the room and machine it was verified with."""

    service_id: str
    staff_id: str
    start: datetime
    end: datetime
    room_id: str | None = None
    machine_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"serviceId": self.service_id, "staffId": self.staff_id,
                               "startTime": format_utc(self.start),
                               "endTime": format_utc(self.end)}
        if self.room_id is not None:
            out["roomId"] = self.room_id
        if self.machine_id is not None:
            out["machineId"] = self.machine_id
        return out

    def request_schedule(self) -> dict[str, Any]:
        """This service as a createBooking ``serviceSchedules[]`` item (no ``endTime``:
        Phorest and the engine take it from the service's duration)."""
        out: dict[str, Any] = {"serviceId": self.service_id, "staffId": self.staff_id,
                               "startTime": format_utc(self.start)}
        if self.room_id is not None:
            out["roomId"] = self.room_id
        if self.machine_id is not None:
            out["machineId"] = self.machine_id
        return out


@dataclass(frozen=True, slots=True)
class Slot:
    """A start that passes: the first service's staff, room and machine, and the whole
    chain (one schedule per requested service, in order)."""

    start: datetime
    end: datetime
    staff_id: str
    room_id: str | None
    machine_id: str | None
    schedules: tuple[SlotSchedule, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``json`` format entry; ``schedules`` only for a chain of several services."""
        out: dict[str, Any] = {"startTime": format_utc(self.start),
                               "endTime": format_utc(self.end), "staffId": self.staff_id}
        if self.room_id is not None:
            out["roomId"] = self.room_id
        if self.machine_id is not None:
            out["machineId"] = self.machine_id
        if len(self.schedules) > 1:
            out["schedules"] = [s.to_dict() for s in self.schedules]
        return out

    def booking(self, client_id: str | None = None) -> dict[str, Any]:
        """The createBooking body this slot was verified as (for ``client_id``, or the
        placeholder client when none is given)."""
        return _body(client_id or PLACEHOLDER_CLIENT,
                     [s.request_schedule() for s in self.schedules])


@dataclass(frozen=True, slots=True)
class Undecided:
    """A part of the search the snapshot cannot answer, for one reason: the local dates
    it concerns, the codes of the rules it stopped, the reason (as ``check`` words it) and
    its fix. ``starts``: how many candidate starts it left undecided (0 when whole days
    were left out of the search)."""

    codes: tuple[str, ...]
    reason: str
    fix: str
    first: date
    last: date
    starts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"codes": list(self.codes), "reason": self.reason, "fix": self.fix,
                "from": str(self.first), "to": str(self.last), "starts": self.starts}


@dataclass(frozen=True, slots=True)
class Blocker:
    """A reason no time can pass whatever the start (an add-on booked alone, an archived
    service, staff not qualified, not bookable online, hidden from online booking, an
    unknown client, ...): the rule's code, the staff it stops (every one considered), and
    the rule's own message and fix for the first of them."""

    code: str
    rule: str
    staff_ids: tuple[str, ...]
    message: str
    fix: str
    every: bool = False  # it stops every staff member the search considered

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rule": self.rule, "staffIds": list(self.staff_ids),
                "everyStaff": self.every, "message": self.message, "fix": self.fix}


class Slots(list[Slot]):
    """The slots found (a list, sorted by start then staff), and what the search could
    not decide: ``undecided`` (parts of the window outside what the snapshot holds, or
    starts a rule answered UNKNOWN for; the slots are those of the part it knows) and,
    when nothing passes, ``blockers`` (reasons that hold at every start)."""

    undecided: tuple[Undecided, ...]
    blockers: tuple[Blocker, ...]
    searched: tuple[date, date] | None  # the local dates searched, None when none were

    def __init__(self, slots: Sequence[Slot] = (), *, undecided: Sequence[Undecided] = (),
                 blockers: Sequence[Blocker] = (),
                 searched: tuple[date, date] | None = None) -> None:
        super().__init__(slots)
        self.undecided = tuple(undecided)
        self.blockers = tuple(blockers)
        self.searched = searched

    @property
    def complete(self) -> bool:
        """Whether every start of the window was decided."""
        return not self.undecided


# --- the search --------------------------------------------------------------------------


def find_slots(
    snapshot: Snapshot,
    service_ids: Sequence[str],
    *,
    start: datetime,
    end: datetime,
    staff_id: str | None = None,
    client_id: str | None = None,
    online: bool = False,
    step_minutes: int | None = None,
    now: datetime,
    ruleset: Ruleset,
    max_slots_per_day: int | None = None,
) -> Slots:
    """Every start in ``[start, end)`` on the grid at which booking ``service_ids`` (one
    service, or a back-to-back chain) passes ``check``, one slot per start and per staff
    member of the first service, sorted by start then staff id.

    ``client_id``: the client booking (their own appointments count); None books for a
    placeholder client the snapshot does not hold. ``online``: an online booking (also when
    the ruleset says so). ``step_minutes``: the grid step (default 15, or the online slot
    interval). ``max_slots_per_day``: keep only the slots at the first N distinct start
    times of each local day; applied after verification, it is the only thing that leaves
    out a start that passes.

    The answer is a :class:`Slots` list. Local days of the window the snapshot does not
    hold (outside its declared ``coverage``, or else outside the dates of its rosters) are
    not searched: the slots are those of the days it holds, and ``undecided`` names the
    others with the reason and its fix; so are starts a rule answered UNKNOWN for. When
    nothing passes for a reason that holds at every start (add-on only, archived, not
    qualified, not bookable online, hidden online, unknown client), ``blockers`` says so
    with the rule's code.

    Raises :class:`InputError` for an unknown service or staff id, an empty or reversed
    window, a window longer than 31 days, a ``now`` that is not an aware datetime, and
    for a step or per-day limit below 1.
    """
    now = _aware(now, "now")
    require_snapshot(snapshot)
    if not isinstance(ruleset, Ruleset):
        raise InputError(SOURCE, "ruleset", "a Ruleset", type(ruleset).__name__)
    require_optional_str(staff_id, "staff_id")
    require_optional_str(client_id, "client_id")
    require_bool(online, "online")
    rs = ruleset
    snap = snapshot_for(snapshot, rs)
    online = online or rs.online
    services = _services(snap, service_ids)
    if staff_id is not None and staff_id not in snap.staff:
        raise InputError(SOURCE, "staff_id", f"a staffId the snapshot holds ({_some(snap.staff)})",
                         staff_id)
    start, end = _window(start, end)
    known, undecided = _known(snap, rs, online, start, end)
    if step_minutes is not None and (isinstance(step_minutes, bool) or not isinstance(
            step_minutes, int) or not 1 <= step_minutes <= m.MAX_MINUTES):
        raise InputError(SOURCE, "step_minutes", "a whole number of minutes, from 1 to "
                         f"{m.MAX_MINUTES}", step_minutes)
    if max_slots_per_day is not None and (isinstance(max_slots_per_day, bool) or not
                                          isinstance(max_slots_per_day, int)
                                          or max_slots_per_day < 1):
        raise InputError(SOURCE, "max_slots_per_day", "a whole number, at least 1",
                         max_slots_per_day)
    client = client_id or _placeholder(snap)
    if known is None:
        return Slots(undecided=undecided)
    search = _Search(snap, rs, services, known[0], known[1], staff_id, client,
                     client_id is None, online, step_minutes, now)
    # Thousands of short-lived requests and contexts, no cycles among them: a collection
    # half-way would walk every object of the snapshot for nothing.
    with no_collection():
        found = sorted(search.run(), key=_BY_START)
    if max_slots_per_day is not None:
        found = _trim_per_day(found, max_slots_per_day, snap)
    blockers = search.blockers() if not found else []
    zone = snap.zone
    return Slots(found, undecided=[*undecided, *search.undecided()], blockers=blockers,
                 searched=(local_date(known[0], zone), local_date(known[1] - _TICK, zone)))


def _aware(value: object, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InputError(SOURCE, name, "an aware datetime (an instant with a UTC offset, "
                         "e.g. datetime(2026, 12, 1, 14, tzinfo=UTC))", value)
    return require_instant(value, name)  # and in the input years


class _Search:
    def __init__(self, snap: Snapshot, rs: Ruleset, services: list[m.Service],
                 start: datetime, end: datetime, staff_id: str | None, client: str,
                 placeholder: bool, online: bool, step_minutes: int | None,
                 now: datetime) -> None:
        self.snap, self.rs, self.services = snap, rs, services
        self.start, self.end, self.now = start, end, now
        self.client, self.placeholder, self.online = client, placeholder, online
        self.prune_roster = self._in_force(_NOT_WORKING)
        self.prune_booked = self._in_force(_DOUBLE_BOOKED)
        grid_rule = self._in_force(_SLOT_GRID)
        self.midnight_grid = grid_rule is not None
        interval = DEFAULT_STEP
        if grid_rule is not None:
            interval = int(rs.options_for(grid_rule).get("interval_minutes", DEFAULT_STEP))
        self.step = timedelta(minutes=step_minutes or interval)
        # How far after `end` a chain may reach: every service at its longest, with finish.
        reach = sum(max([s.duration, *s.user_durations.values()]) + s.gap_time
                    + max([s.finish_duration, *s.user_finish_durations.values()])
                    for s in services)
        self.lo = start - timedelta(days=1)
        self.hi = end + timedelta(minutes=reach) + timedelta(days=1)
        self.last = end + timedelta(minutes=reach)  # no service of a chain starts after it
        self.ctx = Context(snap, m.Request("create", ()), now, online, rs)
        self.staff_for = [[staff_id] if staff_id else self._qualified(s) for s in services]
        self._free: dict[str, list[m.Interval]] = {}
        self._grid: list[datetime] | None = None
        self._timeless: dict[tuple[_Part, ...], bool] = {}
        self._option_cache: dict[tuple[int, str], tuple[int, timedelta, list[_Part]]] = {}
        self._instants: dict[datetime, tuple[datetime, datetime]] = {}
        quiet = clients_without_appointments(snap, [client])
        # With no client given, the placeholder is not in the snapshot: not a reason to fail.
        ignore = frozenset({_UNKNOWN_CLIENT}) if placeholder else frozenset()
        self.checker = Checker(snap, rs, now, online, quiet_clients=quiet, ignore=ignore)
        # A chain's prefix is checked with the rules that read later schedules left out.
        self.prefix_checker = Checker(snap, rs, now, online, quiet_clients=quiet,
                                      ignore=ignore | _READS_LATER)
        self._prefix_timeless: dict[tuple[_Part, ...], bool] = {}
        self.checks = 0
        self.staff_id = staff_id
        # UNKNOWN answers met while verifying, by (code, reason less its dates): the
        # first reason as worded, its fix, and the local dates of the starts it left open.
        self._unknown: dict[tuple[str, str], tuple[str, str, list[date]]] = {}

    def _in_force(self, name: str) -> Rule | None:
        """The rule ``name`` when this ruleset runs it at error severity, else None."""
        for rule in self.rs.rules:
            if rule.name == name and self.rs.severity_of(rule) == "error" and (
                    self.online or not rule.online_only):
                return rule
        return None

    def _qualified(self, service: m.Service) -> list[str]:
        return sorted(
            st.id for st in self.snap.staff.values()
            if service.id not in st.disqualified_services
            and st.id not in service.disqualified_staff and not st.archived
            and not (self.online and st.hide_from_online))

    # --- free windows and the grid ------------------------------------------------------

    def free(self, staff_id: str) -> list[m.Interval]:
        """Where a main block of ``staff_id`` may lie without being refused by
        STAFF_NOT_WORKING or STAFF_DOUBLE_BOOKED (each only when in force)."""
        if staff_id in self._free:
            return self._free[staff_id]
        if self.prune_roster:
            # A window that ends before the first start or begins after the last instant
            # a chain may start at holds no start, and windows are cut independently.
            base = [w for w in merge(self.snap.working_windows(staff_id, self.lo, self.hi))
                    if w[1] >= self.start and w[0] < self.last]
        else:
            base = [(_local_midnight(self.start, self.snap), self.hi)]
        holes: list[m.Interval] = []
        if self.prune_booked and base:
            # Only appointments overlapping a window can cut it.
            holes = [(a.start, a.end) for a in self.ctx.staff_appointments(
                staff_id, base[0][0], base[-1][1])]
        windows = subtract(base, holes)
        self._free[staff_id] = windows
        return windows

    def fits(self, staff_id: str, at: datetime, minutes: int) -> bool:
        windows = self.free(staff_id)
        i = bisect_right(windows, (at, datetime.max.replace(tzinfo=UTC))) - 1
        return i >= 0 and windows[i][0] <= at and at + timedelta(minutes=minutes) <= \
            windows[i][1]

    def starts(self, staff_id: str, minutes: int) -> Iterator[datetime]:
        """Grid starts in ``[start, end)`` whose main block of ``minutes`` fits."""
        if self.midnight_grid:
            if self._grid is None:
                self._grid = list(_midnight_grid(self.start, self.end, self.step, self.snap))
            for at in self._grid:
                if self.fits(staff_id, at, minutes):
                    yield at
            return
        length = timedelta(minutes=minutes)
        for ws, we in self.free(staff_id):
            k = 0 if ws >= self.start else math.ceil((self.start - ws) / self.step)
            at = ws + k * self.step
            while at < self.end and at + length <= we:
                yield at
                at += self.step

    # --- chains and verification --------------------------------------------------------

    def run(self) -> Iterator[Slot]:
        single = len(self.services) == 1
        for staff_id in self.staff_for[0]:
            minutes, length, parts = self._options(0, staff_id)
            seen: set[datetime] = set()
            for at in self.starts(staff_id, minutes):
                if at in seen:
                    continue
                seen.add(at)
                if single:
                    # What ``chains`` yields for one service, without its generators: the
                    # search spends most of its time on this loop.
                    over = at + length
                    for part in parts:
                        head = SlotSchedule(part[0], staff_id, at, over, part[2], part[3])
                        if self.passes([head], (part,)):
                            yield Slot(at, over, staff_id, part[2], part[3], (head,))
                            break
                    continue
                chain = self.first_chain(0, at, staff_id, [], ())
                if chain is not None:
                    yield Slot(at, chain[-1].end, staff_id, chain[0].room_id,
                               chain[0].machine_id, tuple(chain))

    def first_chain(self, k: int, at: datetime, first_staff: str,
                    prefix: list[SlotSchedule], key: tuple[_Part, ...]
                    ) -> list[SlotSchedule] | None:
        """The first chain in the stable order that passes, extending ``prefix`` (whose
        combination is ``key``) with service ``k`` on, starting ``at``; None if none does.

        Staff whose main block cannot fit are skipped (the pruning rules refuse them), and
        so is every extension of a prefix that already fails on rules that do not read
        later schedules: such a chain fails whatever follows. The first passing chain is
        the one a plain walk through every combination would find, at a cost that grows
        with the prefixes that pass, not with every combination."""
        last = k + 1 == len(self.services)
        for staff_id in ([first_staff] if k == 0 else self.staff_for[k]):
            minutes, length, parts = self._options(k, staff_id)
            if k > 0 and not self.fits(staff_id, at, minutes):
                continue
            over = at + length
            for part in parts:
                chain = [*prefix, SlotSchedule(part[0], staff_id, at, over, part[2], part[3])]
                combo = (*key, part)
                if last:
                    if self.passes(chain, combo):
                        return chain
                    continue
                if not self.passes(chain, combo, prefix=True):
                    continue
                found = self.first_chain(k + 1, over, first_staff, chain, combo)
                if found is not None:
                    return found
        return None

    def _options(self, k: int, staff_id: str) -> tuple[int, timedelta, list[_Part]]:
        """Service ``k`` with ``staff_id``: the main block in minutes, how long until it is
        over (main block, gap, finish), and its (service, staff, room, machine) in stable
        order."""
        key = (k, staff_id)
        found = self._option_cache.get(key)
        if found is None:
            service, staff = self.services[k], self.snap.staff[staff_id]
            minutes = service.duration_for(staff)
            finish = service.finish_for(staff)
            over = minutes + (service.gap_time + finish if finish > 0 else 0)
            rooms: list[str | None] = list(service.room_ids) or [None]
            machines: list[str | None] = list(service.machine_ids) or [None]
            found = self._option_cache[key] = (
                minutes, timedelta(minutes=over),
                [(service.id, staff_id, r, mc) for r, mc in itertools.product(rooms, machines)])
        return found

    def passes(self, chain: list[SlotSchedule], key: tuple[_Part, ...], *,
               prefix: bool = False) -> bool:
        """Whether ``check`` passes the booking ``Slot.booking`` writes for ``chain``, whose
        combination (service, staff, room, machine of each schedule) is ``key``.

        The rules declared timeless answer the same at every start, so they run once per
        combination (and client: one per search); the others run for each start. Both
        parts are ``core.engine.Checker.outcomes``, the code ``check`` runs. ``prefix``:
        ``chain`` is the start of a longer chain, checked without the rules that read later
        schedules.

        Raises InputError once the search has verified ``MAX_CHECKS`` candidates."""
        checker = self.prefix_checker if prefix else self.checker
        timeless = self._prefix_timeless if prefix else self._timeless
        fixed = timeless.get(key)
        if fixed is False:
            return False
        self.checks += 1
        if self.checks > MAX_CHECKS:
            raise InputError(SOURCE, "service_ids", f"a search of at most {MAX_CHECKS:,} "
                             "candidate bookings: name the staff, shorten the window or the "
                             "chain", f"{len(self.services)} services")
        req = _request(self.client, chain, self._instants)
        items = [resolve(s, self.snap, req) for s in req.schedules]
        if fixed is None:
            fixed = timeless[key] = self._passes(checker, req, items, True)
            if not fixed:
                return False
        return self._passes(checker, req, items, False)

    def _passes(self, checker: Checker, req: m.Request, items: list[Any], timeless: bool
                ) -> bool:
        """``checker.passes``, noting an UNKNOWN that alone keeps a start out (an error
        found later decides the start: it fails whatever the unknown data holds)."""
        severity_of, ignore = self.rs.severity_of, checker.ignore
        unknown: list[tuple[Rule, Unknown]] = []
        for rule, outcome, _, _ in checker.outcomes(req, items, timeless,
                                                     errors_only=True):
            if isinstance(outcome, Unknown):
                unknown.append((rule, outcome))
            elif severity_of(rule) == "error" and rule.name not in ignore:
                return False
        if not unknown:
            return True
        day = local_date(req.schedules[0].start, self.snap.zone)
        for rule, outcome in unknown:
            code = self.rs.code_of(rule)
            key = (code, _DATES.sub("…", outcome.reason))
            found = self._unknown.get(key)
            if found is None:
                fix = COVERAGE_FIX if "coverage" in outcome.evidence else ""
                found = self._unknown[key] = (outcome.reason, fix, [])
            found[2].append(day)
        return False

    def undecided(self) -> list[Undecided]:
        """The UNKNOWN answers met, one per reason: the codes it stopped, and the span of
        local dates and the number of the starts it left undecided."""
        by_reason: dict[str, tuple[list[str], str, str, list[date]]] = {}
        for (code, general), (reason, fix, days) in self._unknown.items():
            group = by_reason.setdefault(general.replace(code, "\0"), ([], reason, fix, []))
            group[0].append(code)
            group[3].extend(days)
        out = []
        for codes, reason, fix, days in by_reason.values():
            if len(codes) > 1:
                reason = reason.replace(codes[0], "these rules")
            out.append(Undecided(tuple(codes), reason, fix, min(days), max(days), len(days)))
        return out

    def blockers(self) -> list[Blocker]:
        """When no start passes: the reasons that hold at every start, if every
        combination of staff, room and machine meets one (else time decides, and there is
        no such reason). Each with its code and the staff it stops."""
        staff = [self.staff_id] if self.staff_id else sorted(self.snap.staff)
        if not staff:
            return []
        combos = 1
        options: list[list[tuple[str, _Part]]] = []
        for k in range(len(self.services)):
            per = [(sid, part) for sid in staff for part in self._options(k, sid)[2]]
            options.append(per)
            combos *= len(per)
        if combos > _BLOCKER_COMBOS:
            return []
        severity_of, ignore = self.rs.severity_of, self.checker.ignore
        found: dict[str, tuple[Rule, list[str], Finding]] = {}
        for combo in itertools.product(*options):
            chain, at = [], self.start
            for k, (sid, part) in enumerate(combo):
                over = at + self._options(k, sid)[1]
                chain.append(SlotSchedule(part[0], sid, at, over, part[2], part[3]))
                at = over
            req = _request(self.client, chain)
            items = [resolve(sc, self.snap, req) for sc in req.schedules]
            errors = [(rule, outcome) for rule, outcome, _, _ in self.checker.outcomes(
                req, items, True) if isinstance(outcome, Finding)
                and severity_of(rule) == "error" and rule.name not in ignore]
            if not errors:
                return []  # this combination is refused, if at all, for its time
            first = combo[0][0]
            for rule, outcome in errors:
                entry = found.setdefault(self.rs.code_of(rule), (rule, [], outcome))
                if first not in entry[1]:
                    entry[1].append(first)
        # The reasons that stop every staff member first: they are the answer.
        out = [Blocker(code, rule.name, tuple(sids), outcome.message, outcome.fix,
                       len(sids) == len(staff))
               for code, (rule, sids, outcome) in found.items()]
        return sorted(out, key=lambda b: not b.every)


_BY_START = attrgetter("start", "staff_id")
_BLOCKER_COMBOS = 2000  # beyond this many combinations, no blocker is looked for
_DATES = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?Z?)?")

# One schedule of a chain without its times: service, staff, room, machine.
_Part = tuple[str, str, str | None, str | None]


def _request(client_id: str, chain: Sequence[SlotSchedule],
             instants: dict[datetime, tuple[datetime, datetime]] | None = None) -> m.Request:
    """The request ``parse_request`` reads from ``_body(client_id, ...)`` (the body
    ``Slot.booking`` writes), built directly: the search checks hundreds of them.
    tests/test_slots.py compares the two. ``raw`` stays empty: rules read the raw body of
    an update only (``rules._body.body_sent``). ``instants`` memoizes each start as the
    body carries it and as its wall clock (many staff share the grid's starts)."""
    schedules = []
    for k, sc in enumerate(chain):
        pair = instants.get(sc.start) if instants is not None else None
        if pair is None:
            # The body carries the start as whole seconds in UTC (``_z``).
            start = sc.start.astimezone(UTC).replace(microsecond=0)
            pair = (start, start.replace(tzinfo=None))
            if instants is not None:
                instants[sc.start] = pair
        location = (_LOCATIONS[k] if k < len(_LOCATIONS)
                    else f"clientAppointmentSchedules[0].serviceSchedules[{k}]")
        schedules.append(m.Schedule(
            k, location, client_id, sc.service_id, sc.staff_id, pair[0], None, sc.room_id,
            sc.machine_id, start_wall=pair[1]))
    return m.Request("create", tuple(schedules), client_id)


_LOCATIONS = tuple(f"clientAppointmentSchedules[0].serviceSchedules[{k}]" for k in range(8))


def _body(client_id: str, schedules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"clientId": client_id,
            "clientAppointmentSchedules": [{"clientId": client_id,
                                            "serviceSchedules": schedules}]}


def _midnight_grid(start: datetime, end: datetime, step: timedelta, snap: Snapshot
                   ) -> Iterator[datetime]:
    """Every real instant in ``[start, end)`` whose local wall clock is a multiple of
    ``step`` after local midnight, in order (both readings of a repeated hour, none of a
    skipped one)."""
    zone = snap.zone
    day = local_date(start, zone) - timedelta(days=1)
    last = local_date(end, zone) + timedelta(days=1)
    minutes = max(1, int(step.total_seconds() // 60))
    out: list[datetime] = []
    while day <= last:
        for k in range(0, 24 * 60, minutes):
            wall = datetime.combine(day, time(0)) + timedelta(minutes=k)
            for fold in (0, 1):
                instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                if instant.astimezone(zone).replace(tzinfo=None) == wall and (
                        start <= instant < end):
                    out.append(instant)
        day += timedelta(days=1)
    yield from sorted(set(out))


def _local_midnight(instant: datetime, snap: Snapshot) -> datetime:
    return wall_to_utc(local_date(instant, snap.zone), time(0), snap.zone).instant


def _trim_per_day(slots: list[Slot], limit: int, snap: Snapshot) -> list[Slot]:
    """Keep, per local date, the slots at the first ``limit`` distinct start times."""
    starts: dict[date, list[datetime]] = {}
    out = []
    for s in slots:
        day = starts.setdefault(local_date(s.start, snap.zone), [])
        if s.start not in day:
            if len(day) >= limit:
                continue
            day.append(s.start)
        out.append(s)
    return out


# --- input ---------------------------------------------------------------------------------


def _services(snap: Snapshot, service_ids: Sequence[str]) -> list[m.Service]:
    if isinstance(service_ids, str):
        ids: list[object] = [service_ids]
    elif isinstance(service_ids, Sequence):
        ids = list(service_ids)
    else:
        raise InputError(SOURCE, "service_ids", "a list of serviceIds",
                         type(service_ids).__name__)
    if not ids:
        raise InputError(SOURCE, "service_ids", "at least one serviceId", [])
    if len(ids) > MAX_CHAIN:
        raise InputError(SOURCE, "service_ids", f"a chain of at most {MAX_CHAIN} services",
                         f"{len(ids)} services")
    out = []
    for i, sid in enumerate(ids):
        service = snap.services.get(sid) if isinstance(sid, str) else None
        if service is None:
            raise InputError(SOURCE, f"service_ids[{i}]",
                             f"a serviceId the snapshot holds ({_some(snap.services)})", sid)
        out.append(service)
    return out


def _some(ids: Any) -> str:
    names = sorted(ids)
    if not names:
        return "it holds none"
    shown = ", ".join(names[:8])
    return shown + (f", ... {len(names)} in all" if len(names) > 8 else "")


def _window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = _aware(start, "start"), _aware(end, "end")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise InputError(SOURCE, "end", f"an end after the start {format_utc(start)} (the window "
                         "is half-open: [start, end))", format_utc(end))
    if end - start > MAX_WINDOW:
        raise InputError(SOURCE, "end", f"a window of at most 31 days (like Phorest's "
                         f"date-range limit); {format_utc(start)} to {format_utc(end)} is "
                         f"{_days(end - start)}", format_utc(end))
    return start, end


def _known(snap: Snapshot, rs: Ruleset, online: bool, start: datetime, end: datetime
           ) -> tuple[tuple[datetime, datetime] | None, list[Undecided]]:
    """The part of ``[start, end)`` on the local days the snapshot holds (its declared
    ``coverage``, else the dates of its rosters), or None; and the days it leaves out,
    with the reason."""
    zone = snap.zone
    first_day, last_day = local_date(start, zone), local_date(end - _TICK, zone)
    cov = snap.coverage
    if cov.start is not None or cov.end is not None:
        lo_day = first_day
        if cov.start is not None:
            lo_day = max(first_day, local_date(cov.start, zone))
            if snap.day_bounds(lo_day)[0] < cov.start:  # coverage starts inside that day
                lo_day += timedelta(days=1)
        hi_day = last_day
        if cov.end is not None:
            hi_day = min(last_day, local_date(cov.end - _TICK, zone))
            if snap.day_bounds(hi_day)[1] > cov.end:
                hi_day -= timedelta(days=1)
        history = [rs.code_of(r) for r in rs.runnable(online) if r.history
                   and rs.severity_of(r) == "error"]
        named = history[0] if len(history) == 1 else "these rules"
        reason = (f"the snapshot does not cover {{days}} (coverage "
                  f"{coverage_dates(cov, zone)}), so {named} cannot be decided")
        return _clip(snap, start, end, first_day, last_day, lo_day, hi_day, tuple(history),
                     reason, COVERAGE_FIX)
    span = snap.roster_range
    rostered = ("staff_not_working",)
    codes = tuple(rs.code_of(r) for r in rs.rules if r.name in rostered)
    if span is None:
        return None, [Undecided(codes, "the snapshot holds no rosters (workTimeTables) and "
                                "declares no coverage, so no day is known to be covered",
                                _ROSTER_FIX, first_day, last_day)]
    reason = (f"the snapshot's rosters cover {span[0]} to {span[1]} (local dates, "
              f"{zone.key}) and it declares no coverage, so {{days}} cannot be searched")
    return _clip(snap, start, end, first_day, last_day, max(first_day, span[0]),
                 min(last_day, span[1]), codes, reason, _ROSTER_FIX)


_ROSTER_FIX = ("fetch the rosters (workTimeTables), appointments and breaks of those days, "
               "or declare the snapshot's coverage (docs/snapshot-format.md, `coverage`)")


def _clip(snap: Snapshot, start: datetime, end: datetime, first_day: date, last_day: date,
          lo_day: date, hi_day: date, codes: tuple[str, ...], reason: str, fix: str
          ) -> tuple[tuple[datetime, datetime] | None, list[Undecided]]:
    def left_out(a: date, b: date) -> Undecided:
        days = str(a) if a == b else f"{a} to {b}"
        return Undecided(codes, reason.format(days=days), fix, a, b)

    if lo_day > hi_day:
        return None, [left_out(first_day, last_day)]
    out = []
    if lo_day > first_day:
        out.append(left_out(first_day, lo_day - timedelta(days=1)))
    if hi_day < last_day:
        out.append(left_out(hi_day + timedelta(days=1), last_day))
    known = (max(start, snap.day_bounds(lo_day)[0]), min(end, snap.day_bounds(hi_day)[1]))
    return known, out


_TICK = timedelta(microseconds=1)


def _days(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 24 else f"{hours:g} h"


def _placeholder(snap: Snapshot) -> str:
    name = PLACEHOLDER_CLIENT
    while name in snap.clients:
        name += "'"
    return name


# --- formats --------------------------------------------------------------------------------


def slots_to_json(slots: Sequence[Slot]) -> list[dict[str, Any]]:
    """The ``json`` format: ``[{"startTime", "endTime", "staffId", "roomId"?,
    "machineId"?, "schedules"? (chains only)}]``, UTC ``Z`` instants, by start then staff."""
    return [s.to_dict() for s in sorted(slots, key=lambda s: (s.start, s.staff_id))]


def slots_document(slots: Sequence[Slot], snapshot: Snapshot, *, now: datetime,
                   ruleset: str | Ruleset, start: datetime, end: datetime,
                   services: Sequence[str]) -> dict[str, Any]:
    """The ``json`` format of the command line (docs/schemas/slots.schema.json): the slots
    (``slots_to_json``) beside what they were searched in: the snapshot (branch, zone,
    age), ``now``, the ruleset, the window and services, and what could not be decided."""
    from .core.report import SCHEMA_VERSION

    fetched = snapshot.coverage.fetched_at
    undecided = getattr(slots, "undecided", ())
    blockers = getattr(slots, "blockers", ())
    return {
        "schemaVersion": SCHEMA_VERSION,
        "slots": slots_to_json(slots),
        "complete": not undecided,
        "undecided": [u.to_dict() for u in undecided],
        "blockers": [b.to_dict() for b in blockers],
        "services": list(services),
        "from": format_utc(start),
        "to": format_utc(end),
        "ruleset": ruleset.name if isinstance(ruleset, Ruleset) else str(ruleset),
        "snapshot": {"branch": snapshot.branch.name, "timeZone": snapshot.zone.key,
                     "fetchedAt": format_utc(fetched) if fetched else None,
                     "ageSeconds": int((now - fetched).total_seconds()) if fetched else None},
        "now": format_utc(now),
    }


def slots_to_phorest(slots: Sequence[Slot], client_id: str | None = None) -> dict[str, Any]:
    """The ``phorest`` format: the shape of Phorest's availability response (one ``data``
    entry per time and staff member)."""
    data = []
    for s in sorted(slots, key=lambda s: (s.start, s.staff_id)):
        schedules = []
        for sc in s.schedules:
            item: dict[str, Any] = {"serviceId": sc.service_id, "staffId": sc.staff_id,
                                    "startTime": format_utc(sc.start),
                                    "endTime": format_utc(sc.end)}
            if sc.room_id is not None:
                item["roomId"] = sc.room_id
            if sc.machine_id is not None:
                item["machineId"] = sc.machine_id
            item["staffRequest"] = False
            item["alternativeStaffMember"] = False
            schedules.append(item)
        data.append({"startTime": format_utc(s.start),
                     "clientSchedules": [{"clientId": client_id,
                                          "serviceSchedules": schedules}]})
    return {"data": data, "links": []}


def slots_to_text(slots: Sequence[Slot], snapshot: Snapshot) -> str:
    """The ``text`` format: local times in the branch zone, grouped by staff member (by
    name), one line per slot; ``no times pass`` when there are none."""
    zone = snapshot.zone
    tail = _not_decided(slots, snapshot)
    if not slots:
        return "no times pass" + _searched(slots) + "\n" + tail

    def staff_name(sid: str) -> str:
        st = snapshot.staff.get(sid)
        return st.name if st else sid

    def extras(sc: SlotSchedule) -> str:
        parts = []
        if sc.room_id is not None:
            room = snapshot.rooms.get(sc.room_id)
            parts.append(f"room {room.name if room else sc.room_id} ({sc.room_id})")
        if sc.machine_id is not None:
            mach = snapshot.machines.get(sc.machine_id)
            parts.append(f"machine {mach.name if mach else sc.machine_id} ({sc.machine_id})")
        return ", ".join(parts)

    count = len(slots)
    lines = [f"{count} {'slot' if count == 1 else 'slots'} at {snapshot.branch.name} "
             f"({zone.key}), local times:"]
    by_staff: dict[str, list[Slot]] = {}
    for s in slots:
        by_staff.setdefault(s.staff_id, []).append(s)
    for sid in sorted(by_staff, key=lambda i: (staff_name(i), i)):
        lines.append(f"{staff_name(sid)} ({sid})")
        for s in sorted(by_staff[sid], key=lambda s: s.start):
            line = f"  {s.start.astimezone(zone):%a} {format_span(s.start, s.end, zone)}"
            if len(s.schedules) == 1:
                more = extras(s.schedules[0])
                lines.append(line + (f"  {more}" if more else ""))
                continue
            steps = []
            for sc in s.schedules:
                service = snapshot.services.get(sc.service_id)
                what = service.name if service else sc.service_id
                more = extras(sc)
                steps.append(f"{what} with {staff_name(sc.staff_id)} "
                             f"{sc.start.astimezone(zone):%H:%M}-"
                             f"{sc.end.astimezone(zone):%H:%M}" + (f" ({more})" if more
                                                                     else ""))
            lines.append(line + "  " + "; then ".join(steps))
    return "\n".join(lines) + "\n" + tail


def _searched(slots: Sequence[Slot]) -> str:
    searched = getattr(slots, "searched", None)
    if searched is None:
        return ""
    a, b = searched
    return f" on {a}" if a == b else f" from {a} to {b}"


def _not_decided(slots: Sequence[Slot], snapshot: Snapshot) -> str:
    """What the text format says after the slots: each reason no time can pass (with
    its code), and each part of the window left undecided (with its fix)."""
    lines = []
    for b in getattr(slots, "blockers", ()):
        who = "every staff member" if b.every else "staff " + ", ".join(b.staff_ids)
        lines += ["", f"error    {b.code}  (at every time, for {who})",
                  f"         {b.message}"]
        if b.fix:
            lines.append(f"         fix: {b.fix}")
    for u in getattr(slots, "undecided", ()):
        days = str(u.first) if u.first == u.last else f"{u.first} to {u.last}"
        what = f"{u.starts} starts on {days}" if u.starts else days
        lines += ["", f"unknown  {', '.join(u.codes) or 'slots'}  ({what} undecided)",
                  f"         {u.reason}"]
        if u.fix:
            lines.append(f"         fix: {u.fix}")
    return "\n".join(lines) + "\n" if lines else ""


