"""PatientNow Essentials (PNE, the Envision API) and its read-mostly subset VISH:
everything the core must not know about them.

- ``assumed``: the shapes PNE has not published (the location's zone, employee work
  schedules and qualified services, appointment status), each marked ASSUMED, in one
  module (docs/pne.md, "Assumed shapes");
- ``read``: the wire models (pydantic, PascalCase) of a PNE snapshot, its ``Page``/``Rows``
  pages, and the reading into canonical parts;
- ``load``: snapshot documents from a file or a dict;
- ``requests``: ``POST /appointments`` and ``POST /orders`` bodies made canonical;
- ``codes``: PNE's code for every rule it runs (PNE publishes none: all are the engine's);
- ``slots``: ``find_slots`` in ``ShowAvailable``'s shape;
- ``errors``, ``advice``: PNE's answers read (status first, no codes) and explained;
- ``vish``: the same platform in the VISH mode, which refuses every appointment write.
"""

from __future__ import annotations

from ._check import DEFAULT_RULESET, check, ruleset
from .assumed import CANCELLED_STATUSES
from .codes import TABLE
from .explain import EXPLAIN
from .load import load_snapshot
from .read import read_appointments, read_document, read_wall
from .requests import APPOINTMENT_FIELDS, KINDS, VISH_NOTE, infer_kind, parse_request
from .slots import body_for, bookable, show_available, slots_to_pne

__all__ = [
    "APPOINTMENT_FIELDS",
    "CANCELLED_STATUSES",
    "DEFAULT_RULESET",
    "DOCS_NOTE",
    "EXPLAIN",
    "KINDS",
    "TABLE",
    "VISH_NOTE",
    "body_for",
    "bookable",
    "check",
    "infer_kind",
    "load_snapshot",
    "parse_request",
    "read_appointments",
    "read_document",
    "read_wall",
    "ruleset",
    "show_available",
    "slots_to_pne",
]

NAME = "pne"


# Where the examples of PNE's rule pages run (``booking-rules rules --platform pne``).
DOCS_NOTE = (
    "PatientNow Essentials publishes no error codes, so every code here is the engine's "
    "own (docs/pne.md). The examples of the rules only PNE runs are checked against the "
    "example location (`docs/examples/pne_location.json`, Lakeside Med Spa, Chicago) at "
    "now = 2025-09-01T12:00:00Z by the test suite. The booking rules PNE shares with "
    "Phorest (`EMPLOYEE_*`, `CUSTOMER_ALREADY_BOOKED`, `UNKNOWN_ID`, `UNKNOWN_CUSTOMER`, "
    "`INACTIVE_*`, `START_IN_PAST`, the local-time and input notices) keep their neutral "
    "docstring, written with Phorest's field names and checked against the Phorest example "
    "salon: at a PNE location staffId is `EmployeeId`, clientId `CustomerId`, serviceId "
    "`ServiceId`, a staff member's roster its `WorkSchedule`, and disqualification the "
    "services missing from its `QualifiedServices`; `docs/examples/pne/` holds PNE requests "
    "that fail and pass each of them.")
