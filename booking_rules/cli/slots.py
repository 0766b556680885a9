"""``booking-rules slots``: the times that would pass, decided by the same rules."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from .._errors import InputError
from ._common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_UNKNOWN,
    UsageError,
    add_platform,
    command,
    emit,
    parse_instant_flag,
    parse_now,
    ruleset_arg,
    snapshot_and_platform,
)

DESCRIPTION = """\
Every start on the grid in [--from, --to) at which booking the service (or the
back-to-back chain of services, in order) passes `check`, per qualified staff member,
from the snapshot alone. Days the snapshot does not hold are not searched and are named,
with the reason; when nothing passes for a reason that holds at every time (an add-on
booked alone, an archived service, staff not qualified or hidden online, ...), the rule's
code says why."""

EXAMPLES = """\
  booking-rules slots --snapshot docs/examples/queen_st_toronto.json --service svc_cut \\
      --from 2026-12-01T14:00:00Z --to 2026-12-01T17:00:00Z --now 2026-11-01T12:00:00Z
  booking-rules slots ... --service svc_cut --service svc_colour --client cli_mary
  booking-rules slots ... --format phorest      # Phorest's availability response shape"""

EXITS = """\
  0    at least one slot (days the snapshot does not hold are named on stderr)
  1    no time passes in the window (the reason, when it holds at every time)
  3    no slot found, and part of the window could not be decided (UNKNOWN)"""

# find_slots' parameter names, as the flags the user typed.
_FLAGS = {"start": "--from", "end": "--to", "start..end": "--from/--to", "staff_id": "--staff",
          "client_id": "--client", "service_ids": "--service", "step_minutes": "--step",
          "max_slots_per_day": "--max-per-day", "now": "--now"}


def add_arguments(subparsers: Any) -> None:
    p = command(subparsers, "slots", summary="the times that would pass, by the same rules",
                description=DESCRIPTION, examples=EXAMPLES, exits=EXITS)
    p.add_argument("--snapshot", required=True, metavar="FILE",
                   help="the branch snapshot (JSON; - reads standard input)")
    p.add_argument("--branch", metavar="ID",
                   help="the branchId to read from a cache (--snapshot cache.db or "
                   "sqlite:///cache.db), or when the snapshot's branch is a page of several")
    p.add_argument("--service", required=True, action="append", metavar="ID",
                   help="a service id; repeat for a back-to-back chain, in order")
    p.add_argument("--staff", metavar="ID",
                   help="only this staff member (default: every qualified one)")
    p.add_argument("--client", metavar="ID", help="the client (default: a new client)")
    p.add_argument("--from", dest="from_", required=True, metavar="ISO",
                   help="window start (ISO-8601 with Z or an offset)")
    p.add_argument("--to", required=True, metavar="ISO",
                   help="window end (ISO-8601); starts lie before it")
    p.add_argument("--step", type=int, metavar="MIN", help="grid step in minutes (default 15)")
    p.add_argument("--max-per-day", type=int, metavar="N",
                   help="keep the first N start times a day")
    p.add_argument("--now", metavar="ISO", help="the instant the search runs at (ISO-8601); "
                   "default: the clock")
    p.add_argument("--online", action="store_true",
                   help="online booking (default ruleset becomes phorest-online)")
    p.add_argument("--ruleset", metavar="NAME|PATH", help="a bundled ruleset name or a TOML "
                   "path")
    p.add_argument("--format", choices=["text", "json", "phorest", "pne"], default="text",
                   help="text (default), json (docs/schemas/slots.schema.json), phorest "
                   "(the shape of Phorest's availability response), or pne (the shape of "
                   "PNE's ShowAvailable)")
    add_platform(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import find_slots
    from .._slots import slots_document, slots_to_phorest, slots_to_text

    now = parse_now(args.now)
    start = parse_instant_flag("--from", args.from_, "2026-12-01T14:00:00Z")
    end = parse_instant_flag("--to", args.to, "2026-12-01T17:00:00Z")
    snapshot, platform, _ = snapshot_and_platform(args)
    for flag in (now, start, end):
        flag.warn_if_naive(snapshot.zone)
    ruleset = ruleset_arg(args, platform)
    try:
        slots = find_slots(snapshot, args.service, start=start.at, end=end.at,
                           staff_id=args.staff, client_id=args.client, online=args.online,
                           step_minutes=args.step, now=now.at, ruleset=ruleset,
                           max_slots_per_day=args.max_per_day, platform=platform)
    except InputError as exc:
        raise _as_flag(exc) from None
    if args.format == "pne":
        from ..platforms.pne import slots_to_pne

        emit(json.dumps(slots_to_pne(slots, snapshot), indent=2) + "\n", styled=False)
        _undecided_to_stderr(slots)
    elif args.format == "json":
        doc = slots_document(slots, snapshot, now=now.at, ruleset=ruleset, start=start.at,
                             end=end.at, services=args.service)
        emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", styled=False)
    elif args.format == "phorest":
        emit(json.dumps(slots_to_phorest(slots, args.client), indent=2) + "\n", styled=False)
        _undecided_to_stderr(slots)
    else:
        emit(slots_to_text(slots, snapshot))
    if slots:
        return EXIT_OK
    return EXIT_UNKNOWN if slots.undecided else EXIT_FAIL


def _undecided_to_stderr(slots: Any) -> None:
    """The phorest shape has no place for what was not decided: say it on stderr."""
    import sys

    for u in slots.undecided:
        print(f"booking-rules: undecided {u.first} to {u.last}: {u.reason}", file=sys.stderr)


def _as_flag(exc: InputError) -> Exception:
    """find_slots' InputError, naming the flag the user typed instead of the parameter."""
    if exc.source != "slots":
        return exc
    name = re.sub(r"\[\d+\]$", "", exc.path)
    flag = _FLAGS.get(name)
    if flag is None:
        return exc
    return UsageError(flag, exc.expected.replace("a serviceId", "a service id").replace(
        "a staffId", "a staff id"), exc.got)
