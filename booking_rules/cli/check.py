"""``booking-rules check``: every reason the API would refuse one request."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import (
    VERDICT_EXIT,
    add_platform,
    command,
    emit,
    one_stdin,
    parse_now,
    read_json,
    ruleset_arg,
    snapshot_and_platform,
    source_name,
)

DESCRIPTION = """\
Check a createBooking or updateAppointment request against a branch snapshot, before it
is sent: every reason the API would refuse it, each with its evidence and a fix, and the
one code the API would most likely answer. `-` for --snapshot or --request reads that
file from standard input."""

EXAMPLES = """\
  booking-rules check --snapshot docs/examples/queen_st_toronto.json \\
      --request docs/examples/requests/mary_two_services.json --now 2026-11-01T12:00:00Z
  cat request.json | booking-rules check --snapshot branch.json --request - --format json
  booking-rules check --snapshot docs/examples/pne_location.json \\
      --request docs/examples/pne/order_recipe.json --now 2025-09-01T12:00:00Z   # PNE"""

EXITS = """\
  0    PASS: nothing the API would refuse
  1    FAIL: at least one error
  3    UNKNOWN: no error, but the snapshot lacks data a rule needs (the report says which)"""


def add_arguments(subparsers: Any) -> None:
    p = command(subparsers, "check", summary="check a createBooking or updateAppointment "
                "request", description=DESCRIPTION, examples=EXAMPLES, exits=EXITS)
    p.add_argument("--snapshot", required=True, metavar="FILE",
                   help="the branch snapshot (JSON; - reads standard input)")
    p.add_argument("--branch", metavar="ID",
                   help="the branchId to read from a cache (--snapshot cache.db or "
                   "sqlite:///cache.db), or when the snapshot's branch is a page of several")
    p.add_argument("--request", required=True, metavar="FILE",
                   help='the request: {"kind": ..., "body": ...} or a bare body (JSON; - '
                   "reads standard input)")
    p.add_argument("--now", metavar="ISO", help="the instant the check runs at (ISO-8601 "
                   "with Z or an offset); default: the clock")
    p.add_argument("--online", action="store_true",
                   help="an online booking (default ruleset becomes phorest-online)")
    p.add_argument("--ruleset", metavar="NAME|PATH",
                   help="a bundled ruleset name or a TOML path (default: phorest)")
    from ..platforms.phorest.requests import KINDS as PHOREST_KINDS
    from ..platforms.pne.requests import KINDS as PNE_KINDS

    p.add_argument("--kind", choices=[*PHOREST_KINDS, *PNE_KINDS],
                   help="the request kind, when the body alone does not say (PNE: "
                   "appointment or order)")
    add_platform(p)
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default) or json (docs/schemas/check.schema.json)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..platforms import get

    one_stdin(args, "--snapshot", "--request")
    now = parse_now(args.now)
    snapshot, platform, _ = snapshot_and_platform(args)
    now.warn_if_naive(snapshot.zone)
    request = read_json(args.request, what="request")
    report = get(platform).check(snapshot, request, now=now.at, online=args.online,
                                 ruleset=ruleset_arg(args, platform),
                                 source=source_name(args.request), kind=args.kind)
    if args.format == "json":
        emit(report.to_json() + "\n", styled=False)
    else:
        emit(report.to_text())
    return VERDICT_EXIT[report.verdict]
