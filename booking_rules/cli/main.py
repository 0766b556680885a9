"""The ``booking-rules`` command. It only translates: files and flags in, reports out.

``main(argv)`` parses, runs the command and turns every way a run can end into an exit
code and at most one line on stderr: 2 unusable input (naming the file and JSON path, or
the flag) or output that cannot be written (a full disk), 70 an internal error (a bug: set
BOOKING_RULES_DEBUG=1 for the traceback), 130 Ctrl-C, 141 a reader that went away
(`| head`), quietly.
Each command documents its own codes (0, 1, 3, ...) in its ``--help``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .._errors import BookingRulesError
from ._common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_PIPE,
    OutputError,
    PipeClosed,
    Terminal,
    set_terminal,
)
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("booking-rules: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (PipeClosed, BrokenPipeError):
        _quiet_stdout()
        return EXIT_PIPE


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        # Bare `booking-rules` (or a command group without its subcommand): the help, as a
        # usage error, on stderr.
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    set_terminal(Terminal.for_stream(sys.stdout, getattr(args, "color", "auto")))
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except BookingRulesError as exc:
        print(f"booking-rules: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OutputError as exc:
        _quiet_stdout()
        print(f"booking-rules: cannot write the output: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except (KeyboardInterrupt, PipeClosed, BrokenPipeError):
        raise
    except OSError as exc:
        if _stdout_failed(exc):
            _quiet_stdout()
            print(f"booking-rules: cannot write the output: {exc.strerror}", file=sys.stderr)
            return EXIT_OUTPUT
        return _internal(exc)
    except Exception as exc:
        return _internal(exc)


def _internal(exc: Exception) -> int:
    if os.environ.get("BOOKING_RULES_DEBUG"):
        raise exc
    print(f"booking-rules: internal error ({exc.__class__.__name__}: {exc}); this is a bug, "
          "please report it with the input (BOOKING_RULES_DEBUG=1 shows the traceback)",
          file=sys.stderr)
    return EXIT_INTERNAL


def _stdout_failed(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of what is
    still buffered cannot fail again and print a traceback on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
