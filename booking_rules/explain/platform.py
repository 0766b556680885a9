"""What explain needs of a platform, and what it hands the platform: the one seam.

Explain diagnoses on canonical requests, the engine's report and the platform's
:class:`~booking_rules.core.codes.CodeTable`. Everything that depends on the platform's wire
comes through an :class:`ExplainPlatform` given by the caller (``booking_rules.explain``
never imports ``booking_rules.platforms``):

- reading its answers: :meth:`ExplainPlatform.parse_response` gives a :class:`Response`;
- its advice: for answers that are not about the booking (credentials, throttling, server
  errors, ...) :meth:`~ExplainPlatform.advise`, and per rule, where to look
  (:meth:`~ExplainPlatform.rule_remedies`), both reading a :class:`Situation`;
- its request bodies: loading a snapshot, reading a request, and writing the alternatives'
  bodies through a :class:`RequestEditor`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from ..core import model as m
from ..core.codes import CodeTable
from ..core.context import Item
from ..core.report import Report, Violation
from ..core.snapshot import Snapshot

# {"action": what to do, "endpoint": where to look (optional)}
Remedy = Mapping[str, str]


class Response(Protocol):
    """A platform's answer as read from its body, whatever its form."""

    @property
    def code(self) -> str | None:
        """The platform's rule code, or a code-like value it does not model."""

    @property
    def source_field(self) -> str | None:
        """Where the code was found: a field name (``detail``), or ``text``, ``html`` or
        ``body`` (anywhere in a plain-text body, an HTML page, a JSON body)."""

    @property
    def status(self) -> int | None:
        """The HTTP status used: the one given, else what the body says."""

    @property
    def text(self) -> str:
        """The body as text, whitespace collapsed."""

    @property
    def category(self) -> str | None:
        """A broad category the body names beside the specific code, if the platform
        sends one."""

    @property
    def error_id(self) -> str | None:
        """The platform's id of this error, if the body carries one."""

    def describe(self) -> str:
        """What the body is, as a sentence fragment: ``the response body is empty``."""

    def to_dict(self) -> dict[str, Any]:
        """The body's parts, for ``Explanation.to_dict()["response"]``."""


@dataclass(frozen=True)
class Situation:
    """The case being explained, as a platform's advice reads it."""

    snapshot: Snapshot  # read in the ruleset's appointment-time convention
    request: m.Request
    items: tuple[Item, ...]  # the request's schedules, resolved against the snapshot
    report: Report  # the check of the request against the snapshot
    what: str  # "booking" or "appointment update"
    age: str  # a sentence on the snapshot's age at the request

    def violations(self, rule: str, *, unknowns: bool = False,
                   warnings: bool = False) -> list[Violation]:
        """The report's violations of ``rule`` (a neutral name), errors first."""
        report = self.report
        found = (*report.violations, *(report.unknowns if unknowns else ()),
                 *(report.warnings if warnings else ()))
        return [v for v in found if v.rule == rule]


@dataclass(frozen=True)
class Advice:
    """A platform's reading of an answer that is not about the booking."""

    text: str  # sentences following "<Platform> answered the booking with ...;"
    remedies: Sequence[Remedy] = ()
    evidence: Sequence[Violation] = ()  # the violations of the check that bear on it


class RequestEditor(Protocol):
    """Writes the alternatives' requests: each method returns a new request, as the
    platform takes it, with one change to the request explained (never edited itself)."""

    def moved(self, items: Sequence[Item], delta: timedelta) -> dict[str, Any] | None:
        """``items`` moved by ``delta``; None when a new time cannot be written (a wall
        clock that would not read back as the same instant)."""

    def with_staff(self, item: Item, staff_id: str) -> dict[str, Any]: ...

    def with_room(self, item: Item, room_id: str) -> dict[str, Any]: ...

    def with_machine(self, item: Item, machine_id: str) -> dict[str, Any]: ...

    def without_offer(self, item: Item) -> dict[str, Any] | None:
        """Without the special offer; None when the request cannot drop it."""


class ExplainPlatform(Protocol):
    """A platform, as explain uses it. ``booking_rules.platforms.<name>.EXPLAIN``."""

    @property
    def table(self) -> CodeTable: ...

    @property
    def rule_status(self) -> int:
        """The HTTP status the platform's API sends its rule codes with."""

    @property
    def categories(self) -> Mapping[str, str]:
        """Broad categories the API sends without naming a rule, with what each is."""

    def load_snapshot(self, source: str | Path | Mapping[str, Any]) -> Snapshot: ...

    def parse_request(self, request: object, snapshot: Snapshot) -> m.Request:
        """A request as given made canonical, or an InputError."""

    def parse_response(self, error: str | bytes | Mapping[str, Any] | None,
                       status: int | None) -> Response:
        """Read a body in any form; never raises for a malformed body (an InputError
        only for arguments of the wrong type)."""

    def advise(self, response: Response, situation: Situation) -> Advice | None:
        """The reading of an answer that is not about the booking (credentials, a
        missing id, a conflict, throttling, a server error, ...), or None."""

    def rule_remedies(self, rule: str, situation: Situation, item: Item
                      ) -> list[Remedy]:
        """Where to look when the API answers the code of ``rule`` for ``item``."""

    def editor(self, request: object, canonical: m.Request, snapshot: Snapshot
               ) -> RequestEditor | None:
        """An editor of ``request`` (None when it has no body to edit)."""
