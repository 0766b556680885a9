"""The ``booking-rules`` parser: one module per command, registered in ``COMMANDS``.

Adding a command is one module with ``add_arguments(subparsers)`` (which adds its parser
and sets ``func`` to a function of the parsed flags returning the exit code) and one line
here. A module of another package registers the same way (``booking_rules.sync.cli``).
"""

from __future__ import annotations

import argparse
import importlib

from ._common import HelpFormatter, add_color

# In the order `booking-rules --help` lists them. Modules are imported when the parser is
# built; each imports what its command runs only when it runs.
COMMANDS: tuple[str, ...] = (
    "booking_rules.cli.check",
    "booking_rules.cli.slots",
    "booking_rules.cli.explain",
    "booking_rules.cli.rules",
    "booking_rules.cli.sandbox",
    "booking_rules.cli.sync",
)

DESCRIPTION = """\
Check a booking before it is sent to the Phorest API (or an appointment or an order to
PatientNow Essentials: --platform pne), explain the API's refusal, and find the times that
would pass, from a snapshot of one branch's data."""

EPILOG = """\
`booking-rules COMMAND --help` describes each command, with examples and its exit codes.
Exit codes shared by every command: 2 unusable input, a bad flag or output that cannot
be written (a full disk), 70 an internal error, 130 interrupted; a closed pipe (`| head`) ends
quietly with 141. Without a command, this help is printed on stderr and the exit code
is 2."""


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(prog="booking-rules", description=DESCRIPTION,
                                     epilog=EPILOG, formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version",
                        version=f"booking-rules {__version__}")
    add_color(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).add_arguments(sub)
    return parser
