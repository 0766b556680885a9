"""booking_rules: check a booking before it is sent, explain its refusal, find the times
that pass.

    import booking_rules as br
    snap = br.load_snapshot("queen_st.json")
    report = br.check(snap, request, now=now)
    report.verdict, report.violations, report.predicted_api_code

This module is the public face; everything behind it is private. The house, top to bottom
(each layer imports only those below it): the CLI (``cli``); the platforms (``platforms``:
Phorest's wire shapes, codes and error bodies), the sandbox, sync and cache; the slot
search (``_slots``) and ``explain``; the rules (``rules``: one module each) and the engine;
the canonical core (``core``: model, indexes, snapshots and their overlays); time
(``_time``). The core knows no platform: a platform reads its payloads into canonical parts
and names the rules with its own codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import _json
from ._errors import BookingRulesError, InputError, RulesetError
from .core.report import Report, Violation
from .core.rule import Rule
from .core.ruleset import Ruleset
from .core.snapshot import Snapshot
from .explain import CorpusReport, Explanation

# Imported here, before the wrappers below: ``booking_rules.explain`` then names the wrapper
# (the platform chosen by name), not the subpackage, as it always has.
from .explain import explain as _explain
from .explain import explain_corpus as _explain_corpus
from .platforms.phorest import load_snapshot as _load_document

if TYPE_CHECKING:
    from ._slots import Slots

__version__ = "0.1.0"

__all__ = [
    "BookingRulesError",
    "CorpusReport",
    "Explanation",
    "InputError",
    "Report",
    "Rule",
    "Ruleset",
    "RulesetError",
    "Snapshot",
    "Violation",
    "__version__",
    "check",
    "explain",
    "explain_corpus",
    "find_slots",
    "load_ruleset",
    "load_snapshot",
    "registry",
]


def check(snapshot: Snapshot | str | Path, request: Any, *, now: datetime,
          online: bool = False, ruleset: str | Path | Ruleset | None = None,
          kind: str | None = None, platform: str = "phorest") -> Report:
    """Every reason the platform would refuse ``request``, checked against ``snapshot``.

    ``snapshot`` is a loaded :class:`Snapshot` or the path of a snapshot file (loaded for
    this one check: load it once with ``load_snapshot`` to check many requests).
    ``request`` is a createBooking or updateAppointment body, or ``{"kind", "body"}``
    (PNE: a ``POST /appointments`` or ``POST /orders`` body).
    ``now`` is the instant the check runs at: an aware ``datetime``, never read from the
    clock; anything else is an :class:`InputError`. ``ruleset``: the platform's default
    (``phorest``, ``pne``) when not given.
    """
    _require_aware(now, "check")
    plat = _platform(platform)
    if isinstance(snapshot, Snapshot):
        pass
    elif isinstance(snapshot, _PATHS):
        snapshot = plat.load_snapshot(snapshot)
    else:
        raise InputError("check", "snapshot", "a Snapshot (from load_snapshot) or the path "
                         "of a snapshot file", type(snapshot).__name__)
    found: Report = plat.check(snapshot, request, now=now, online=online,
                               ruleset=ruleset or _default_ruleset(plat), kind=kind)
    return found


_SQLITE_HEADER = b"SQLite format 3\x00"


def load_snapshot(source: str | Path | Mapping[str, Any], *,
                  appointment_times: Literal["local", "utc"] = "local",
                  branch: str | None = None,
                  business: str | None = None) -> Snapshot:
    """A branch's snapshot, its indexes built once: from a snapshot document (a JSON
    file's path, or a dict), or from a cache that ``booking-rules sync`` fills (a
    ``sqlite:///path`` URL, or the path of the SQLite file itself).

    ``branch``: the branch to read (a cache may hold several; one it holds alone may go
    unnamed); for a document, the branch to read from a page of several (or the one it
    must hold). ``business``: for a cache holding
    one branch id under several businesses. ``appointment_times``: the read-time
    convention when the document does not declare ``conventions.appointmentTimes``
    (a cache's rows are read as Phorest gives them: branch-local).
    """
    url = _cache_url(source)
    if url is not None:
        from .cache import open_cache

        with open_cache(url) as cache:
            if branch is None:
                branch = cache.only_branch(business)
            return cache.snapshot(branch, business=business)
    return _load_document(source, appointment_times=appointment_times, branch=branch)


def _cache_url(source: object) -> str | None:
    """The cache URL ``source`` names: a ``sqlite:`` URL, or an SQLite file's path (by
    its header, so a snapshot file is never mistaken for one); else None."""
    if isinstance(source, str) and source.lower().startswith("sqlite:"):
        return source
    if not isinstance(source, str | Path):
        return None
    # Read without blocking on a FIFO or reading a device (``_json``): a path that is
    # not a regular file is the document loader's to word.
    header = _json.read_head(source, len(_SQLITE_HEADER))
    if header != _SQLITE_HEADER:
        return None
    return f"sqlite:///{source}"


# A tuple, not ``str | Path``: a union in ``isinstance`` is built again on every call.
_PATHS = (str, Path)


def _platform(name: str) -> Any:
    """``platforms.get(name)``, imported on first use (the platforms import this face's
    siblings) and then called directly: every check asks."""
    global _get_platform
    if _get_platform is None:
        from .platforms import get

        _get_platform = get
    return _get_platform(name)


_get_platform: Any = None


def _default_ruleset(module: Any) -> str:
    return str(getattr(module, "DEFAULT_RULESET", "phorest"))


def _require_aware(value: object, source: str, name: str = "now") -> None:
    """``now``: an aware datetime, or an InputError that says how to make one."""
    if not isinstance(value, datetime):
        raise InputError(source, name, "an aware datetime such as datetime(2026, 11, 1, 12, "
                         "tzinfo=UTC) (a string is not parsed: use "
                         "datetime.fromisoformat('2026-11-01T12:00:00+00:00'))",
                         value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(source, name, "an aware datetime (with tzinfo, e.g. tzinfo=UTC); a "
                         "naive one names no instant", value.isoformat())


def load_ruleset(name_or_path: str | Path, *, platform: str = "phorest") -> Ruleset:
    """A bundled ruleset by name (``phorest``, ``phorest-online``, ``strict``) or a TOML
    path, read with the platform's rule codes."""
    from .core.ruleset import load_ruleset as load
    from .platforms import table

    return load(name_or_path, table(platform))


def find_slots(snapshot: Snapshot, service_ids: Sequence[str], *, start: datetime,
               end: datetime, staff_id: str | None = None, client_id: str | None = None,
               online: bool = False, step_minutes: int | None = None, now: datetime,
               ruleset: str | Path | Ruleset | None = None,
               max_slots_per_day: int | None = None, platform: str = "phorest") -> Slots:
    """Every start on the grid in ``[start, end)`` that ``check`` would pass, per staff.

    Sound and complete against ``check``: the same rules decide every slot. The answer is
    a list of ``Slot`` that also says what it could not decide (``.undecided``: days the
    snapshot does not hold, searched around rather than refused) and, when nothing
    passes, why at every time (``.blockers``). On PNE, only the starts a ``StartDate``
    can say (``platforms.pne.slots.bookable``); VISH has no slot search.
    """
    _require_aware(now, "slots")
    from ._slots import find_slots as _find
    from .core.ruleset import resolve_ruleset
    from .platforms import get, table

    plat = get(platform)
    refuse = getattr(plat, "refuse_slots", None)
    if refuse is not None:
        refuse()
    found = _find(snapshot, service_ids, start=start, end=end, staff_id=staff_id,
                  client_id=client_id, online=online, step_minutes=step_minutes, now=now,
                  ruleset=resolve_ruleset(ruleset or _default_ruleset(plat),
                                          table(platform)),
                  max_slots_per_day=max_slots_per_day)
    keep = getattr(plat, "bookable", None)
    if keep is None:
        return found
    return type(found)([s for s in found if keep(snapshot, s)], undecided=found.undecided,
                       blockers=found.blockers, searched=found.searched)


def explain(error: str | bytes | Mapping[str, Any] | None, request: Any,
            snapshot: Snapshot | str | Path | Mapping[str, Any], *, status: int | None = None,
            now: datetime, online: bool = False, ruleset: str | Path | Ruleset = "phorest",
            request_source: str = "<request>", platform: str = "phorest") -> Explanation:
    """Why the platform refused ``request`` (its answer: ``error``, a raw body or a parsed
    dict; ``status``), against ``snapshot``, and what would pass instead (docs/explain.md).

    ``now`` is the instant the request was sent (aware). A malformed body never raises; an
    unusable request or snapshot raises :class:`InputError`, as ``check`` does.
    """
    from .platforms import explainer

    return _explain(error, request, snapshot, platform=explainer(platform), ruleset=ruleset,
                    status=status, now=now, online=online, request_source=request_source)


def explain_corpus(directory: str | Path, *, now: datetime | None = None,
                   ruleset: str | Path | Ruleset = "phorest",
                   platform: str = "phorest") -> CorpusReport:
    """Explain every logged (snapshot, request, response) entry of ``directory`` and score
    the predicted codes against the API's (docs/explain.md, "Corpus mode")."""
    from .platforms import explainer

    return _explain_corpus(directory, platform=explainer(platform), now=now, ruleset=ruleset)


def registry(platform: str = "phorest") -> dict[str, Rule]:
    """Every rule the platform runs, by the platform's code, in documentation order."""
    from .platforms import table

    return table(platform).by_code()
