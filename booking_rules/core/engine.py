"""The engine: resolves each schedule of a request, runs the selected rules, builds a Report.

A request with several schedules is checked in order: schedule *i* is checked against the
snapshot plus schedules ``0..i-1`` of the same request (RULES.md §2). An update is checked as
the moved appointment, which never conflicts with itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from .._errors import InputError
from .._time import UTC, format_utc, require_instant
from . import model as m
from .context import Context, Item
from .occupancy import has_spare
from .report import Report, Violation, coverage_dates
from .rule import Finding, Rule, Unknown
from .ruleset import Ruleset
from .snapshot import Snapshot


def resolve(schedule: m.Schedule, snapshot: Snapshot, request: m.Request) -> Item:
    service = snapshot.services.get(schedule.service_id or "")
    staff = snapshot.staff.get(schedule.staff_id or "")
    existing = (snapshot.appointments.get(request.appointment_id or "")
                if request.kind == "update" else None)
    start = schedule.start
    duration = service.duration_for(staff) if service else None
    stated = schedule.minutes
    if stated is not None and stated[0] <= 0:
        stated = None  # not a block: the service's minutes are used (a rule reports it)
    if schedule.end is not None:
        end: datetime | None = schedule.end
    elif stated is not None:
        end = start + _minutes(stated[0])
    elif duration is not None:
        end = start + _minutes(duration)
    else:
        end = None
    finish = None
    if stated is not None and end is not None:
        if stated[2] > 0:
            fs = end + _minutes(stated[1])
            finish = (fs, fs + _minutes(stated[2]))
    elif service is not None and end is not None:
        length = service.finish_for(staff)
        if length > 0:
            fs = end + _minutes(service.gap_time)
            finish = (fs, fs + _minutes(length))
    return Item(schedule, service, staff, existing, start, end, finish,
                start.astimezone(snapshot.zone).date(), duration)


def _minutes(n: int) -> timedelta:
    """``timedelta(minutes=n)``, built once per length (a branch has a few dozen)."""
    found = _MINUTES.get(n)
    if found is None:
        found = timedelta(minutes=n)
        if len(_MINUTES) < 4096:  # pure, and bounded: it cannot go stale or grow
            found = _MINUTES.setdefault(n, found)
    return found


_MINUTES: dict[int, timedelta] = {}


# --- running ---------------------------------------------------------------------------


def snapshot_for(snapshot: Snapshot, rs: Ruleset) -> Snapshot:
    """The variant of ``snapshot`` a ruleset reads: its appointment-time convention, and
    its rows held with their finish when ``expand_existing_finish`` (RULES.md §2)."""
    return snapshot.with_times(rs.appointment_times).with_finish(rs.expand_existing_finish)


def run(snap: Snapshot, req: m.Request, *, now: datetime, online: bool, rs: Ruleset
        ) -> Report:
    """Check a canonical request against ``snap`` (already the variant the ruleset reads:
    ``snapshot_for``) at ``now``."""
    now = require_instant(now, "now")
    if len(req.schedules) > m.MAX_SCHEDULES:
        raise InputError("<request>", "schedules", f"at most {m.MAX_SCHEDULES} schedules "
                         f"in one request; this one holds {len(req.schedules):,}")
    checker = Checker(snap, rs, now, online)
    items = [resolve(s, snap, req) for s in req.schedules]
    found: list[Violation] = []
    unknowns: list[Violation] = []
    severity_of = rs.severity_of
    code_of, is_api = rs.table.code_of, rs.table.is_api
    needed: set[str] = set()
    for rule, outcome, item, location in checker.outcomes(req, items, needed=needed):
        sched = item.schedule.index if item is not None else None
        if isinstance(outcome, Unknown):
            unknowns.append(Violation(code_of(rule), "unknown", outcome.reason, location, sched,
                                      dict(outcome.evidence), "", is_api(rule), rule.name))
        else:
            # Worded when read: a verdict, its codes and the predicted code need no message.
            found.append(Violation.of(code_of(rule), severity_of(rule), outcome,
                                      outcome.location or location, sched, is_api(rule),
                                      rule.name))
    repeats = _repeats(req.schedules)
    if repeats:
        found, unknowns = _fold(found, repeats), _fold(unknowns, repeats)
    coverage = snap.coverage
    return Report.build(found, unknowns, rs, snap, now, streams=tuple(
        (name, coverage.fetched(name)) for name in m.LIST_NAMES if name in needed))


# --- a schedule repeated in one request ---------------------------------------------------
#
# The same schedule sent k times collides with each earlier copy, so its findings grow as
# k squared (a hundred copies: ~5,000 findings of one kind). The report says it once: the
# first repeat (the second copy) is reported in full, and each later copy's findings of a
# rule the first repeat already reports are folded into it (evidence ``repeatedAt``, and a
# sentence in its message). A finding of a later copy that the first repeat does not have
# (the third copy over a room's capacity of two) is kept as it is, so the verdict and the
# predicted code are exactly those of the unfolded report.


def _same(s: m.Schedule) -> tuple[object, ...]:
    return (s.client_id, s.service_id, s.staff_id, s.start, s.end, s.room_id, s.machine_id,
            s.offer_id, s.course_item_id, s.staff_request, s.start_naive, s.start_wall,
            tuple((n.rule, n.message, n.location) for n in s.notices))


def _repeats(schedules: tuple[m.Schedule, ...]) -> dict[int, int]:
    """Each third or later copy of a schedule -> the index of its first repeat."""
    if len(schedules) < 3 or len({(s.start, s.staff_id, s.service_id) for s in schedules}
                                 ) == len(schedules):
        return {}  # no two alike (the common case, decided without the full keys)
    copies: dict[tuple[object, ...], list[int]] = {}
    out: dict[int, int] = {}
    for s in schedules:
        seen = copies.setdefault(_same(s), [])
        if len(seen) >= 2:
            out[s.index] = seen[1]
        seen.append(s.index)
    return out


_SHOWN_REPEATS = 5


def _fold(violations: list[Violation], repeats: dict[int, int]) -> list[Violation]:
    at_first: dict[tuple[int, str, str], int] = {}  # (schedule, rule, severity) -> position
    for i, v in enumerate(violations):
        if v.schedule is not None and v.schedule in repeats.values():
            at_first.setdefault((v.schedule, v.rule, v.severity), i)
    folded: dict[int, list[str]] = {}
    out: list[Violation | None] = list(violations)
    for i, v in enumerate(violations):
        first = repeats.get(v.schedule) if v.schedule is not None else None
        target = at_first.get((first, v.rule, v.severity)) if first is not None else None
        if target is None:
            continue
        out[i] = None
        where = folded.setdefault(target, [])
        if v.location not in where:
            where.append(v.location)
    for target, where in folded.items():
        v = violations[target]
        shown = ", ".join(where[:_SHOWN_REPEATS]) + (
            f" and {len(where) - _SHOWN_REPEATS} more" if len(where) > _SHOWN_REPEATS else "")
        out[target] = replace(
            v, message=f"{v.message} The same schedule is repeated {len(where)} more "
            f"{'time' if len(where) == 1 else 'times'} in this request ({shown}); each "
            "copy is refused the same way.",
            evidence={**v.evidence, "repeatedAt": {"count": len(where),
                                                   "locations": where[:_SHOWN_REPEATS]}})
    return [v for v in out if v is not None]


class Checker:
    """Runs the rules of one ruleset against one snapshot at one ``now``: every outcome
    ``run`` reports (``outcomes``), or only whether a request would pass (``passes``).
    ``snap`` is the snapshot variant the ruleset reads (``Snapshot.with_times``) and
    ``online`` already includes the ruleset's own. The slot search keeps one for all its
    candidates.

    ``quiet_clients``: clients the caller found no blocking appointment of in ``snap``
    (``clients_without_appointments``): the rules silent unless the client may have one
    are not run for them. ``ignore``: rules (by neutral name) whose findings ``passes``
    does not count.
    """

    __slots__ = ("_cov_end", "_cov_start", "_stale", "ignore", "now", "online",
                 "quiet_clients", "rs", "snap")

    def __init__(self, snap: Snapshot, rs: Ruleset, now: datetime, online: bool, *,
                 quiet_clients: frozenset[str] = frozenset(),
                 ignore: frozenset[str] = frozenset()) -> None:
        self.snap, self.rs, self.now, self.online = snap, rs, now, online
        self.quiet_clients, self.ignore = quiet_clients, ignore
        self._cov_start, self._cov_end = snap.coverage.start, snap.coverage.end
        self._stale = _stale_lists(snap.coverage, now, rs.max_age) if rs.max_age else {}

    def passes(self, req: m.Request, items: list[Item], timeless: bool | None = None
               ) -> bool:
        """Whether ``run`` would give PASS: no finding at error severity (but those of
        ``ignore``) and nothing UNKNOWN. The outcomes are ``outcomes``', less those that
        cannot fail (``Ruleset.steps(errors_only=True)``); it stops at the first that
        fails and renders nothing.

        With ``timeless`` True only the rules declared timeless (and the snapshot's own
        notices) are run, with False only the others (and the request's notices): the
        two parts partition the outcomes, so the request passes when both parts pass.
        """
        severity_of, ignore = self.rs.severity_of, self.ignore
        for rule, outcome, _, _ in self.outcomes(req, items, timeless, errors_only=True):
            if isinstance(outcome, Unknown):
                return False
            if severity_of(rule) == "error" and rule.name not in ignore:
                return False
        return True

    def outcomes(self, req: m.Request, items: list[Item], timeless: bool | None = None, *,
                 errors_only: bool = False, needed: set[str] | None = None
                 ) -> Iterator[tuple[Rule, Finding | Unknown, Item | None, str]]:
        """Every outcome of checking ``req``, in report order: (rule, outcome, the
        schedule's item or None for the request, the schedule's location). ``timeless``:
        see ``passes``; ``errors_only``: see ``Ruleset.steps``. ``needed``, when given,
        collects the lists the rules run read (``model.LIST_NAMES``), for the report's
        per-list ages."""
        snap, rs = self.snap, self.rs
        notice_rule = rs.notice_rule
        if timeless is not False:
            for notice in snap.notices:
                rule = notice_rule(notice.rule)
                if rule is not None:
                    yield rule, Finding(notice.message, notice.evidence, notice.fix), None, \
                        notice.location
        if timeless is not True:
            for notice in req.notices:
                rule = notice_rule(notice.rule)
                if rule is not None:
                    yield rule, Finding(notice.message, notice.evidence, notice.fix), None, \
                        notice.location
            for it in items:
                if not it.schedule.notices:
                    continue
                for notice in it.schedule.notices:
                    rule = notice_rule(notice.rule)
                    if rule is not None:
                        yield (rule, Finding(notice.message, notice.evidence, notice.fix),
                               it, notice.location)

        if req.subject != "booking":
            # A request of another subject: each of its rules reads the whole request.
            ctx = Context(snap, req, self.now, self.online, rs)
            for step in rs.subject_steps(req.subject):
                ctx.options = step.options
                for outcome in step.check(req, ctx):
                    yield step.rule, outcome, None, ""
            return
        # Each schedule sees the branch as a rebuilt snapshot would: without the
        # appointment an update moves, plus the request's earlier schedules (an overlay).
        view = snap
        if req.appointment_id and req.appointment_id in snap.appointments:
            view = snap.with_changes(removed=(req.appointment_id,))
        cov_start, cov_end = self._cov_start, self._cov_end
        stale = self._stale
        update = req.kind == "update"
        absent, hidden = snap.absent, bool(snap.quarantined)
        expired_rule = notice_rule("expired_hold") if timeless is not True else None
        reported: set[str] = set()
        for i, item in enumerate(items):
            if i and items[i - 1].end is not None:
                view = view.with_changes((self._held(items[i - 1], view, req),))
            uncovered = False
            # Only a snapshot that declares coverage can leave a day uncovered. A history
            # rule reads the booking's local day, stretched to its span.
            if cov_start is not None or cov_end is not None:
                day_start, day_end = snap.day_bounds(item.local_date)
                uncovered = (cov_start is not None and day_start < cov_start) or (
                    cov_end is not None and max(day_end, item.span[1]) > cov_end)
            quiet = False
            if self.quiet_clients:
                client = item.schedule.client_id
                quiet = client in self.quiet_clients and not (i and any(
                    p.schedule.client_id == client for p in items[:i]))
            steps = rs.steps(self.online, _present(item, snap, update, quiet), timeless,
                             uncovered, errors_only)
            if not steps:
                continue
            ctx = Context(view, req, self.now, self.online, rs)
            location = item.schedule.location
            reads = rs.lists_read(steps)
            if needed is not None:
                needed |= reads
            offer = item.schedule.offer_id
            if not (uncovered or hidden or (absent and reads & absent)
                    or (stale and reads & stale.keys()) or (offer and offer not in snap.offers)):
                # The common case, kept tight: no step below would answer UNKNOWN before
                # its rule runs (each of those tests reads only lists in ``reads``). Asked
                # only for a verdict, a warning rule that cannot answer UNKNOWN is not run.
                for step in rs.verdict_steps(steps) if errors_only else steps:
                    ctx.options = step.options
                    for outcome in step.check(item, ctx):
                        yield step.rule, outcome, item, location
                if ctx.expired and expired_rule is not None:
                    yield from self._expired(ctx, expired_rule, reported, item, location)
                continue
            for step in steps:
                ctx.options = step.options
                if uncovered and step.history:
                    yield step.rule, Unknown(
                        f"the snapshot does not cover {item.local_date} (coverage "
                        f"{_cov(snap)}), so {step.code} cannot be decided",
                        {"coverage": _cov(snap)}), item, location
                    continue
                if absent and step.lists & absent:
                    yield step.rule, _absent(snap, step.lists & absent, step.code), item, \
                        location
                    continue
                # Freshness (RULES.md §6, ruleset option max_age), beside coverage.
                too_old = sorted(step.read_lists & stale.keys()) if stale else None
                if too_old:
                    yield step.rule, _too_old(too_old, stale, self.rs.max_age, step.code
                                              ), item, location
                    continue
                if "offer" in step.rule.silent_unless and item.schedule.offer_id and (
                        item.schedule.offer_id not in snap.offers):
                    yield step.rule, _unheld_offer(item, step.code), item, location
                    continue
                if hidden and step.reads:
                    found = _quarantined(snap, step.reads, item)
                    if found is not None:
                        yield step.rule, Unknown(
                            f"{found.location} could not be read ({found.reason}) and may "
                            f"hold what this booking needs on {item.local_date}, so "
                            f"{step.code} cannot be decided",
                            {"quarantined": found.location, "reason": found.reason}
                        ), item, location
                        continue
                for outcome in step.check(item, ctx):
                    yield step.rule, outcome, item, location
            if ctx.expired and expired_rule is not None:
                yield from self._expired(ctx, expired_rule, reported, item, location)

    @staticmethod
    def _expired(ctx: Context, rule: Rule, reported: set[str], item: Item, location: str
                 ) -> Iterator[tuple[Rule, Finding | Unknown, Item | None, str]]:
        """The RESERVED holds this schedule's rules took as expired, each said once."""
        for a in ctx.expired.values():
            if a.id not in reported:
                reported.add(a.id)
                yield rule, _expired(a, ctx), item, location

    def _held(self, prior: Item, view: Snapshot, req: m.Request) -> m.Appointment:
        """An earlier schedule as the later ones see it: with no room (machine) named and
        a service that lists some, it takes one unit of the first listed with spare
        capacity over its span (RULES.md §2, ``assign_unnamed_resources``)."""
        room = machine = None
        service, s = prior.service, prior.schedule
        if self.rs.assign_unnamed_resources and service is not None and (
                (not s.room_id and service.room_ids)
                or (not s.machine_id and service.machine_ids)):
            ctx = Context(view, req, self.now, self.online, self.rs)
            start, end = prior.span
            if not s.room_id:
                room = next((r for r in service.room_ids if r in view.rooms and has_spare(
                    ctx.room_appointments(r, start, end), view.room_breaks(r, start, end),
                    view.rooms[r].capacity, start, end)), None)
            if not s.machine_id:
                machine = next((x for x in service.machine_ids if x in view.machines
                                and has_spare(ctx.machine_appointments(x, start, end),
                                              view.machine_breaks(x, start, end),
                                              view.machines[x].quantity, start, end)), None)
        return prior.as_appointment(prior.location, room, machine)


def _absent(snap: Snapshot, lists: frozenset[str], code: str) -> Unknown:
    names = sorted(snap.list_names.get(name, name) for name in lists)
    return Unknown(
        f"the snapshot does not hold {' or '.join(names)} (the key is absent: not loaded, "
        f"which is not the same as empty), so {code} cannot be decided",
        {"missing": names})


def _unheld_offer(item: Item, code: str) -> Unknown:
    offer = item.schedule.offer_id
    return Unknown(
        f"the offer link {offer!r} names no special offer the snapshot holds (it may be a "
        f"service group that is not an offer, or an offer missing from the snapshot), so "
        f"{code} cannot be decided", {"offerLink": offer})


def _quarantined(snap: Snapshot, reads: frozenset[str], item: Item) -> m.Quarantined | None:
    """A row the snapshot could not read that may hold what ``reads`` names of this
    schedule on its local date (or the date its span ends on)."""
    s, service = item.schedule, item.service
    days = {item.local_date, item.span[1].astimezone(snap.zone).date()}
    for what in reads:
        base, _, scope = what.partition("@")
        kind = base.split(".", 1)[1]
        if kind == "staff":
            keys: tuple[str | None, ...] = (s.staff_id,)
        elif kind == "client":
            keys = (s.client_id,)
        elif kind == "offer":
            keys = (s.offer_id,)
        elif kind == "room":
            keys = (s.room_id,) if s.room_id else (service.room_ids if service else ())
        else:
            keys = (s.machine_id,) if s.machine_id else (
                service.machine_ids if service else ())
        for key in keys:
            for day in (None,) if scope == "any" else sorted(days):
                found = snap.quarantined_for(base, key, day)
                if found is not None:
                    return found
    return None


def _expired(a: m.Appointment, ctx: Context) -> Finding:
    minutes = ctx.ruleset.reserved_hold_minutes
    created = format_utc(a.created_at) if a.created_at else "?"
    return Finding(
        f"the RESERVED hold {ctx.label(a)} {ctx.when(a.start, a.span[1])} was created at "
        f"{created}, more than {minutes} min before now, so it is taken to have expired "
        "and does not block (ruleset option reserved_hold_minutes)",
        {"hold": ctx.describe(a), "createdAt": created, "reservedHoldMinutes": minutes})


def _stale_lists(coverage: m.Coverage, now: datetime, max_age: int) -> dict[str, str]:
    """The lists fetched more than ``max_age`` seconds before ``now`` (or at a time the
    snapshot does not say), each with its age in words."""
    out: dict[str, str] = {}
    for name in m.LIST_NAMES:
        at = coverage.fetched(name)
        if at is None:
            out[name] = "at a time the snapshot does not say"
        elif (now - at).total_seconds() > max_age:
            out[name] = (f"{_age((now - at).total_seconds())} before now (at "
                         f"{format_utc(at)})")
    return out


def _age(seconds: float) -> str:
    whole = int(seconds)
    if whole < 120:
        return f"{whole} s"
    if whole < 7200:
        return f"{whole // 60} min"
    if whole < 172800:
        return f"{whole // 3600} h {whole % 3600 // 60} min"
    return f"{whole // 86400} days"


def _too_old(names: list[str], stale: dict[str, str], max_age: int, code: str) -> Unknown:
    said = "; ".join(f"{name} fetched {stale[name]}" for name in names)
    return Unknown(f"{said}: older than the ruleset's max_age of {_age(max_age)}, so {code} "
                   "cannot be decided on data that may have changed since",
                   {"maxAgeSeconds": max_age, "stale": {n: stale[n] for n in names}})


def clients_without_appointments(snap: Snapshot, client_ids: Iterable[str | None]
                                 ) -> frozenset[str]:
    """Those of ``client_ids`` that hold no blocking appointment in ``snap``, at any time:
    for ``outcomes(quiet_clients=...)``."""
    return frozenset(c for c in client_ids if c is not None and next(
        iter(snap.client_appointments(c, _ALL_TIME[0], _ALL_TIME[1])), None) is None)


_ALL_TIME = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


def _present(item: Item, snap: Snapshot, update: bool, quiet: bool) -> frozenset[str]:
    """Which ``needs`` (``rule.NEEDS``) and conditions (``rule.CONDITIONS``) of the
    rules this schedule meets; ``quiet``: its client holds no blocking appointment."""
    s, service, staff = item.schedule, item.service, item.staff
    key = (update << 5) | (not quiet) << 8
    if service is not None:
        key |= 1 | bool(service.room_ids) << 6 | bool(service.machine_ids) << 7 | (
            service.archived << 9 | service.addon_only << 10
            | (not service.internet_enabled) << 13)
    if staff is not None:
        key |= 2 | staff.archived << 9 | staff.hide_from_online << 13
    if item.end is not None:
        key |= 4
    # An offer link the snapshot cannot resolve while it holds offers (or does not hold
    # the list) still runs the offer rules: the engine answers them UNKNOWN (RULES.md §4).
    if s.offer_id and (s.offer_id in snap.offers or snap.offers or "offers" in snap.absent):
        key |= 8
    if (s.course_item_id or "") in snap.course_items:
        key |= 16
    if s.room_id:
        key |= 64
    if s.machine_id:
        key |= 128
    if s.start_naive:
        key |= 2048
    if s.end is not None:
        key |= 4096
    found = _PRESENT.get(key)
    if found is None:
        found = _PRESENT.setdefault(key, frozenset(
            name for bit, name in enumerate(_NAMES) if key >> bit & 1))
    return found


# The bits of ``_present``'s key, in order.
_NAMES = ("service", "staff", "time", "offer", "course", "update", "room", "machine",
          "client", "archived", "addon", "naive", "end", "not_online")
_PRESENT: dict[int, frozenset[str]] = {}


def _cov(snap: Snapshot) -> str:
    # In local dates, as the snapshot gave them: that is how its author wrote them.
    return coverage_dates(snap.coverage, snap.zone)

