"""Hypothesis strategies for booking_rules: realistic salons, requests, and refusals.

Integrators have no Phorest sandbox. These strategies stand in for one: they generate
branch snapshots (the document of ``cases/FORMAT.md``), booking requests against them,
requests that pass, and, for each of the nineteen Phorest codes, scenarios that Phorest
would refuse with that code::

    from hypothesis import given
    from booking_rules import testing as brt

    @given(brt.snapshots().flatmap(brt.passing_requests))
    def test_my_widget_only_sends_what_phorest_accepts(request): ...

Hypothesis is an optional dependency (the ``test`` extra): ``import booking_rules`` never
imports it, this package does.

What each strategy guarantees (sound, not complete: every value is valid, not every valid
value can be drawn):

* :func:`snapshots` -- a dict ``load_snapshot`` always reads without error or notice, whose
  every reference resolves (appointments name existing staff, services, clients, rooms,
  machines, offers and course items; services name existing rooms and machines; ...). It
  always has a walk-in client with no appointment, and a first service its first staff
  member can do in the first hour of their first working day (see :func:`passing_requests`).
* :func:`requests` -- a ``{"kind", "body"}`` createBooking or updateAppointment request that
  the engine parses (no ``InputError``), naming only the snapshot's ids, each client's
  first service starting on the quarter-hour grid (local wall clock, DST gaps and folds
  included) of a roster day.
* :func:`passing_requests` -- a request ``check`` answers ``PASS`` for, drawn from
  :func:`booking_rules.find_slots`; never filtered, so it never gives up on a snapshot
  :func:`snapshots` made.
* :func:`violations` -- a :class:`Scenario` that ``check`` refuses with the given code at
  error severity, built so by construction (a base salon plus the conflicting data). The
  code is a Phorest code or the neutral name of the rule behind it.

Everything shrinks toward the smallest salon: one staff member, one day, one service, no
appointment.

Layout (each module small enough to read at once; all private but this one):

* ``_salon``: :func:`snapshots`; ``_requests``: :func:`requests`; ``_passing``:
  :func:`passing_requests`; ``_scenarios``: :class:`Scenario` and :func:`violations`.
* ``_violations``: how each rule is provoked, one module per rule named after the rule's
  neutral name (``_violations/staff_double_booked.py``), and the registry ``PROVOKE`` keyed
  by that name; ``violations(code)`` finds the rule through Phorest's code table.
* ``pne``: PatientNow Essentials locations, appointments and orders
  (:func:`pne_locations`, :func:`pne_appointments`, :func:`pne_orders`, :func:`now_for_pne`).
* ``_view`` (what the strategies read from a snapshot document, :func:`now_for`),
  ``_clock`` (wall-clock arithmetic), ``_draws`` (small shared draws), and ``_adapter``
  (everything taken from the rest of booking_rules, in one place).
"""

from __future__ import annotations

from hypothesis import strategies as st

from ._passing import passing_requests
from ._requests import requests
from ._salon import DEFAULT_ZONES, WALK_IN, snapshots
from ._scenarios import Scenario, any_scenario, violations
from ._view import now_for
from .pne import now_for_pne, pne_appointments, pne_locations, pne_orders

__all__ = [
    "DEFAULT_ZONES",
    "WALK_IN",
    "Scenario",
    "now_for",
    "now_for_pne",
    "passing_requests",
    "pne_appointments",
    "pne_locations",
    "pne_orders",
    "requests",
    "snapshots",
    "violations",
]


# Defined last on purpose: ``booking_rules._hypothesis_plugin`` reads a package without
# ``_register`` as one still being imported (the first import of hypothesis, above, runs
# the plugin mid-way), and leaves the registration to the call below.
def _register() -> None:
    """``st.from_type(Scenario)``: a scenario for any of the nineteen codes."""
    st.register_type_strategy(Scenario, any_scenario())


_register()
