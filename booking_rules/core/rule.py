"""What a rule is: a code, a check function, options, and its docstring as documentation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, get_args

from .model import Subject

if TYPE_CHECKING:
    from .context import Context

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
# What a rule checks (``model.Subject``). The engine runs a request's rules of its subject
# only; a rule for a new subject (an order, a purchase, a client update, ...) is a new
# module, not an engine change: the platform reads the request into a canonical one of
# that subject, and the rule's check takes ``(request, ctx)`` instead of ``(item, ctx)``.
SUBJECTS: tuple[Subject, ...] = get_args(Subject)
REQUIRED_SECTIONS = ("What it checks", "Why the API refuses it", "Example", "Fix")


# The bounds of an integer option unless it says its own: minutes up to a year (README
# "Input limits"), so no option can push an instant off the calendar.
OPTION_MIN, OPTION_MAX = 0, 525_600


@dataclass(frozen=True, slots=True)
class Option:
    """A per-rule option a ruleset may set; an integer one lies in ``[minimum, maximum]``."""

    default: Any
    doc: str
    minimum: int = OPTION_MIN
    maximum: int = OPTION_MAX

    def accepts(self, value: object) -> bool:
        kind = type(self.default)
        if kind is bool:
            return isinstance(value, bool)
        if kind is int:
            return isinstance(value, int) and not isinstance(value, bool) and (
                self.minimum <= value <= self.maximum)
        if kind is list:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        return isinstance(value, kind)

    def expected(self) -> str:
        """What ``accepts`` takes, for a message."""
        kind = type(self.default)
        if kind is int:
            return f"a whole number from {self.minimum} to {self.maximum:,}"
        if kind is list:
            return "a list of strings"
        return {bool: "true or false", str: "a string"}.get(kind, f"a {kind.__name__}")


class Finding:
    """One reason a schedule would be refused, with what a person needs to act on it.

    ``message`` and ``evidence`` are given built, or as ``build``: a function returning
    both, called the first time either is read. Most refusals are only counted (a verdict,
    a code, a slot search, a pre-flight that stops at the first error), and wording a
    message with its times costs more than deciding it; ``build`` must read only what the
    check already decided, so the words are the same whenever they are read. Immutable
    once built, as a frozen dataclass; two findings are equal when their fields are.
    """

    __slots__ = ("_build", "_evidence", "_message", "fix", "location")

    def __init__(self, message: str = "", evidence: Mapping[str, Any] | None = None,
                 fix: str = "", location: str | None = None, *,
                 build: Callable[[], tuple[str, Mapping[str, Any]]] | None = None) -> None:
        self._message = message
        self._evidence: Mapping[str, Any] = {} if evidence is None else evidence
        self._build = build
        self.fix = fix
        self.location = location  # defaults to the schedule's own location

    def _force(self) -> None:
        build = self._build
        if build is not None:
            # Stored before ``_build`` is cleared: a reader on another thread that sees it
            # cleared sees the words too.
            self._message, self._evidence = build()
            self._build = None

    @property
    def message(self) -> str:
        if self._build is not None:
            self._force()
        return self._message

    @property
    def evidence(self) -> Mapping[str, Any]:
        if self._build is not None:
            self._force()
        return self._evidence

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.message, self.evidence, self.fix, self.location) == (
            other.message, other.evidence, other.fix, other.location)

    __hash__ = None  # type: ignore[assignment]  # evidence is a mapping: not hashable

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild it worded: a ``build`` may not pickle.
        return (Finding, (self.message, self.evidence, self.fix, self.location))

    def __repr__(self) -> str:
        return (f"Finding(message={self.message!r}, evidence={self.evidence!r}, "
                f"fix={self.fix!r}, location={self.location!r})")


@dataclass(frozen=True, slots=True)
class Unknown:
    """The rule cannot decide from the snapshot (RULES.md §6): never a silent pass."""

    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


Outcome = Finding | Unknown
# A booking rule checks one schedule (``Item``); a rule of another subject checks the
# whole request (``model.Request``, its ``payload`` canonical for that subject).
Check = Callable[[Any, "Context"], Iterable[Outcome]]

# What a rule may list in ``needs``: the engine runs it on a schedule only when each holds.
NEEDS: dict[str, str] = {
    "service": "the schedule's serviceId is one the snapshot holds",
    "staff": "the schedule's staffId is one the snapshot holds",
    "time": "the main block's end is known (from an endTime or the service's duration)",
}
# What a rule may list in ``silent_unless``: conditions without which its check yields
# nothing, so the engine need not call it (a history rule still answers UNKNOWN on a day
# the snapshot does not cover: that answer comes before the check).
CONDITIONS: dict[str, str] = {
    "offer": "the schedule names a specialOfferId the snapshot holds",
    "course": "the schedule names a clientCourseItemId the snapshot holds",
    "update": "the request is an updateAppointment",
    "room": "the schedule names a roomId, or its service lists roomIds",
    "machine": "the schedule names a machineId, or its service lists machineIds",
    "archived": "the service or the staff member is archived",
    "addon": "the service can only be booked as an add-on",
    "naive": "the startTime was sent without an offset",
    "end": "the schedule gives an explicit endTime",
    "not_online": "the service is not enabled for online booking, or the staff member is "
                  "hidden from it",
    # Both client indexes of the snapshot (by time and by local date) hold the same blocking
    # appointments, so a client absent from one is absent from the other.
    "client": "the schedule's client may have a blocking appointment: it is not one the "
              "caller found none for in the snapshot, or an earlier schedule of the "
              "request is for the same client",
}
# What a rule may list in ``alternatives``: the changes to a refused request that can make
# it stop firing. Explain searches along the axes its rules list for requests that pass
# instead, and checks each before offering it, so a change listed in vain costs only the
# search, while a change left out is never tried. A change of staff counts for a rule that
# reads the time a service takes: a staff member's own duration can change it.
ALTERNATIVES: dict[str, str] = {
    "same-staff-other-time": "the same staff member at another start (the failing schedule "
                             "moved alone, else the whole booking)",
    "same-time-other-staff": "another staff member at the same start",
    "other-room": "another room, when the schedule names one",
    "other-machine": "another machine, when the schedule names one",
    "course-date": "a course session on the nearest dates its course's spacing allows",
    "without-special-offer": "the same booking without its special offer",
}
# The alternatives that move a schedule in time: a timeless rule lists none of them.
MOVES_IN_TIME = frozenset({"same-staff-other-time", "course-date"})


# What a rule may list in ``lists``: the canonical lists of a snapshot it reads. A list the
# snapshot does not hold (its key absent, not empty) makes the rule answer UNKNOWN for the
# schedules it would run on, naming the list (RULES.md §6: absent is not empty).
LISTS: dict[str, str] = {
    "roster": "the staff members' work timetables",
    "breaks": "the breaks of staff members, rooms and machines",
    "appointments": "the appointment history",
    "rooms": "the rooms with their capacity",
    "machines": "the machines with their quantity",
    "offers": "the special offers",
    "courses": "the course templates with their session spacing",
    "course_items": "the client courses with their items",
}
# What a rule may list in ``reads``: what a row the snapshot could not read may have held
# (``Quarantined.holds``) that changes the rule's answer. Such a row on the schedule's
# local date makes the rule answer UNKNOWN (RULES.md §6). ``...@any`` ignores the date.
READS: dict[str, str] = {
    "appointments.staff": "appointments of the schedule's staff member",
    "appointments.client": "appointments of the schedule's client",
    "appointments.client@any": "appointments of the schedule's client, on any date",
    "appointments.room": "appointments in the schedule's room (or its service's rooms)",
    "appointments.machine": "appointments on the schedule's machine (or its service's)",
    "appointments.offer": "appointments on the schedule's special offer",
    "roster.staff": "the staff member's roster slots",
    "breaks.staff": "the staff member's breaks",
    "breaks.room": "breaks of the schedule's room (or its service's rooms)",
    "breaks.machine": "breaks of the schedule's machine (or its service's machines)",
}


@dataclass(frozen=True)
class Rule:
    """A rule: declared in its own module, listed once in the registry.

    Its identity is neutral, its module's name (``staff_double_booked``). Each platform
    names it with a code of its own in one table (``booking_rules.core.codes``), as
    ruff keys each upstream linter's codes: ``STAFF_DOUBLE_BOOKED`` for Phorest.
    """

    check: Check
    doc: str
    module: str
    severity: Severity = "error"
    subject: Subject = "booking"
    options: Mapping[str, Option] = field(default_factory=dict)
    # What the rule needs resolved before it can run: a known service, staff, the time blocks.
    needs: frozenset[str] = frozenset({"service", "staff"})
    online_only: bool = False
    history: bool = False  # reads appointments or rosters over time: coverage applies
    notice: bool = False  # reports notices raised while reading input, checks nothing else
    # Conditions (``CONDITIONS``) without which the check yields nothing: a shortcut the
    # engine takes, never a change in what a check reports (tests/test_rule_shortcuts.py).
    silent_unless: frozenset[str] = frozenset()
    # Whether the check may yield an Unknown (its return type admits one); when not, a
    # rule at warning severity cannot change a verdict, and a pass/fail search skips it.
    may_be_unknown: bool = False
    # Whether it reports anything (a finding or an unknown) does not depend on when the
    # schedules are: it reads no start, end, block, span, local date, ``now``, appointment,
    # roster or break, only ids and what the snapshot says about them (its messages may
    # still quote the time). The slot search runs such a rule once per combination of
    # client, services, staff, rooms and machines instead of once per candidate start.
    timeless: bool = False
    # The snapshot lists it reads (``LISTS``), and what of an unreadable row it reads
    # (``READS``): the engine answers UNKNOWN for it when one is missing or may be hidden.
    lists: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    # The changes (``ALTERNATIVES``) that can make the rule stop firing, which explain tries.
    alternatives: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name, given, known in (("needs", self.needs, NEEDS),
                                   ("silent_unless", self.silent_unless, CONDITIONS),
                                   ("lists", self.lists, LISTS),
                                   ("reads", self.reads, READS),
                                   ("alternatives", self.alternatives, ALTERNATIVES)):
            if not given <= known.keys():
                raise ValueError(f"{self.name}: unknown {name} {sorted(given - known.keys())}")
        if self.timeless and (self.history or "time" in self.needs or self.reads):
            raise ValueError(f"{self.name}: a timeless rule cannot read history or time")
        if self.timeless and self.alternatives & MOVES_IN_TIME:
            raise ValueError(f"{self.name}: moving a timeless rule's schedule cannot fix it")
        if self.subject not in SUBJECTS:
            raise ValueError(f"{self.name}: unknown subject {self.subject!r}")
        if self.subject != "booking":
            if self.history or self.timeless or self.online_only or self.silent_unless:
                raise ValueError(f"{self.name}: history, timeless, online_only and "
                                 "silent_unless describe booking rules only")
            # ``needs`` names parts of a schedule: a rule of another subject has none.
            object.__setattr__(self, "needs", frozenset())

    @cached_property
    def name(self) -> str:
        # Asked on every finding and every severity look-up: computed once, kept in the
        # instance's dict (a frozen dataclass's fields are untouched).
        return self.module.rsplit(".", 1)[-1]

    @property
    def summary(self) -> str:
        first = self.doc.strip().splitlines()[0]
        return first.split(":", 1)[1].strip() if ":" in first else first

    def sections(self) -> dict[str, str]:
        """The docstring's ``## Heading`` sections, by heading."""
        out: dict[str, str] = {}
        parts = re.split(r"^## +(.+?)\s*$", self.doc, flags=re.M)
        for heading, body in zip(parts[1::2], parts[2::2], strict=True):
            out[heading.strip()] = body.strip("\n")
        return out


_EXAMPLE = re.compile(r"^```json ([a-z ]+)\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True, slots=True)
class Example:
    expect_fail: bool
    online: bool
    source: str


def examples(rule: Rule) -> list[Example]:
    """The failing and passing examples of a rule's docstring (```json fails|passes```)."""
    out = []
    for info, body in _EXAMPLE.findall(rule.sections().get("Example", "")):
        words = info.split()
        out.append(Example("fails" in words, "online" in words, body))
    return out
