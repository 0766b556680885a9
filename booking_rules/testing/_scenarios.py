"""Bookings the platform refuses with a given code: :class:`Scenario` and
:func:`violations`.

A scenario is a small base salon from :func:`snapshots` and a start on its grid, handed to
the provocation of the rule behind the code (``_violations/<rule>.py``), which adds the
conflicting data and returns the request. The rule is found by its Phorest code through
Phorest's code table, or by its neutral name.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._adapter import API_CODES, PHOREST, Report, Ruleset, check, load_snapshot
from ._salon import snapshots
from ._view import Doc, Request, View
from ._violations import PROVOKE, Build, Provoke


@dataclass(frozen=True)
class Scenario:
    """A booking Phorest would refuse with ``code``: the snapshot document, the request
    (``{"kind", "body"}``), the instant of the check and whether it is an online booking.
    ``about`` says in one line how the scenario was built."""

    code: str
    snapshot: Doc
    request: Request
    now: datetime
    online: bool
    about: str = ""

    def check(self, ruleset: str | Path | Ruleset = "phorest") -> Report:
        """``check`` of this scenario, as its properties promise it."""
        return check(load_snapshot(self.snapshot), self.request, now=self.now,
                     online=self.online, ruleset=ruleset)


def violations(code: str) -> st.SearchStrategy[Scenario]:
    """Scenarios ``check`` refuses with the Phorest ``code`` at error severity (default
    ``phorest`` ruleset). ``code`` may also be the neutral name of the rule behind it
    (``staff_double_booked`` for ``STAFF_DOUBLE_BOOKED``); the scenario's ``code`` is the
    Phorest code either way. Each is built by construction: a salon from :func:`snapshots`,
    plus the data that makes the request conflict (an overlapping appointment, a full room,
    a disqualification, a session too close, an offer out of its dates, ...), in several
    variants: createBooking, a move (updateAppointment), or a conflict between two
    schedules of the same request. Other codes may fire too."""
    rule = PHOREST.rule(code)
    provoke = PROVOKE.get(rule.name) if rule is not None else None
    if rule is None or provoke is None:
        raise InvalidArgument(
            f"{code!r} is not one of the nineteen Phorest codes (or the name of its rule): "
            f"{', '.join(API_CODES)}")
    return _scenario(PHOREST.codes[rule.name], provoke)


def any_scenario() -> st.SearchStrategy[Scenario]:
    """A scenario for any of the nineteen codes: what ``st.from_type(Scenario)`` draws."""
    return st.sampled_from(API_CODES).flatmap(violations)


@st.composite
def _scenario(draw: st.DrawFn, code: str, provoke: Provoke) -> Scenario:
    doc = copy.deepcopy(draw(snapshots(max_staff=2, max_days=2, max_services=3,
                                       max_appointments=4)))
    view = View(doc)
    day = draw(st.sampled_from(view.days))
    minute = 15 * draw(st.integers(32, 68))  # 08:00-17:00: clear of every DST change
    b = Build(doc, day, minute, draw)
    request = provoke(b)
    online = b.online if b.online is not None else draw(st.booleans())
    now = b.at(day, 0) - timedelta(days=draw(st.integers(1, 30)))
    return Scenario(code, b.doc, request, now, online, f"{code}: " + "; ".join(b.about))
