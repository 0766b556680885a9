"""``booking-rules sandbox``: a local, stateful Phorest API (booking_rules.sandbox)."""

from __future__ import annotations

import argparse
from typing import Any

from ._common import add_platform, command

DESCRIPTION = """\
Serve a local, stateful Phorest API on a loopback address, its branches seeded from a
snapshot, every write decided by the same engine as `check` (docs/sandbox.md). It runs
until interrupted."""

EXAMPLES = """\
  booking-rules sandbox --snapshot docs/examples/queen_st_toronto.json \\
      --now 2026-11-01T12:00:00Z --port 8765"""

EXITS = """\
  0    stopped"""


def add_arguments(subparsers: Any) -> None:
    p = command(subparsers, "sandbox", summary="a local, stateful Phorest API on 127.0.0.1, "
                "writes decided by the engine (docs/sandbox.md)", description=DESCRIPTION,
                examples=EXAMPLES, exits=EXITS)
    p.add_argument("--snapshot", metavar="FILE",
                   help="the branch snapshot to serve (or `snapshot` in --config)")
    p.add_argument("--host", help="the loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="the port (default 8765; 0 picks a free one)")
    p.add_argument("--business", help="the business id in the paths (default: demo)")
    p.add_argument("--username", help="the Basic-auth user (default printed at start)")
    p.add_argument("--password", help="the Basic-auth password")
    p.add_argument("--now", metavar="ISO",
                   help="fix the sandbox clock at this instant (default: the real clock)")
    p.add_argument("--config", metavar="FILE",
                   help="a TOML file of sandbox settings (docs/sandbox.md)")
    p.add_argument("--apikey", help="PNE: the gateway key the sandbox expects (default "
                   "printed at start)")
    add_platform(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sandbox import run_cli

    return run_cli(args)
