"""What every command shares: exit codes, reading files (``-`` is standard input), flags
that hold instants, the help layout, and the terminal (colour, width, a closed pipe).

Commands print through :func:`emit` only, so a closed pipe or a full disk is noticed at
the one place that can say so, and the colour and wrapping rules hold for every command.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal, TextIO

from .._errors import BookingRulesError
from .._time import format_local, parse_instant

# --- exit codes ------------------------------------------------------------------------------

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_INPUT = 2  # unusable input or a bad flag: one line on stderr
EXIT_UNKNOWN = 3
EXIT_INTERNAL = 70  # a bug (sysexits EX_SOFTWARE)
# Output that cannot be written (a full disk, an I/O error) is exit 2 as unusable input is:
# issue 12 puts "a full output device" in that class; the stderr line says which it was.
EXIT_OUTPUT = EXIT_INPUT
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as a shell reports it
EXIT_PIPE = 141  # the reader went away (`| head`): 128 + SIGPIPE, as a shell reports it
VERDICT_EXIT = {"PASS": EXIT_OK, "FAIL": EXIT_FAIL, "UNKNOWN": EXIT_UNKNOWN}

STDIN = "-"
STDIN_NAME = "<stdin>"

# The exit codes every command shares, for the end of each --help.
COMMON_EXITS = """\
  2    unusable input, a bad flag or output that cannot be written (a full disk):
       one line on stderr naming the file, the flag or the output
  70   an internal error (a bug; BOOKING_RULES_DEBUG=1 shows the traceback)
  130  interrupted (Ctrl-C)"""


class UsageError(BookingRulesError):
    """A flag the command cannot use, named as the user typed it."""

    def __init__(self, flag: str, expected: str, got: object = None) -> None:
        self.flag = flag
        detail = f"{flag}: expected {expected}"
        if got is not None:
            shown = repr(got)
            detail += f", got {shown if len(shown) <= 80 else shown[:77] + '...'}"
        super().__init__(detail)


class OutputError(Exception):
    """Standard output could not be written (a full disk, an I/O error)."""


class PipeClosed(Exception):
    """The reader of standard output went away."""


# --- the terminal -----------------------------------------------------------------------------

ColorChoice = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class Terminal:
    """How output is shown: in colour or not, wrapped to a width or not.

    Colour only on a terminal (or ``--color always``), never when ``NO_COLOR`` is set to
    anything (no-color.org) unless ``--color always`` says so, never on ``TERM=dumb``.
    Wrapping only on a terminal: a pipe or a file gets the lines as they are, so they can
    be searched and compared."""

    color: bool = False
    width: int | None = None

    @classmethod
    def for_stream(cls, stream: TextIO, choice: ColorChoice = "auto") -> Terminal:
        tty = _isatty(stream)
        if choice == "always":
            color = True
        elif choice == "never":
            color = False
        else:
            color = (tty and not os.environ.get("NO_COLOR")
                     and os.environ.get("TERM") != "dumb")
        width = shutil.get_terminal_size((100, 24)).columns if tty else None
        return cls(color, width)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


_TERMINAL = Terminal()


def set_terminal(terminal: Terminal) -> None:
    global _TERMINAL
    _TERMINAL = terminal


def terminal() -> Terminal:
    return _TERMINAL


_STYLES = {"PASS": "32;1", "FAIL": "31;1", "UNKNOWN": "33;1", "error": "31", "warning": "33",
           "unknown": "33", "warn": "33"}
# The words coloured: a verdict opening a report, a severity opening a finding's line.
_STYLED = re.compile(r"^(PASS|FAIL|UNKNOWN)(?=\s)|^(error|warning|unknown)(?=\s)", re.M)


def paint(text: str, term: Terminal | None = None) -> str:
    """``text`` with its verdict and severity words coloured, when colour is on."""
    if not (term or _TERMINAL).color:
        return text
    return _STYLED.sub(lambda m: f"\x1b[{_STYLES[m.group(0)]}m{m.group(0)}\x1b[0m", text)


def wrap(text: str, width: int | None) -> str:
    """Each line longer than ``width`` folded at spaces, continuation lines indented like
    the line they continue (the reports indent a finding's message and fix)."""
    if width is None or width < 20:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip(" "))]
        if line.lstrip().startswith("fix: "):
            indent += "     "
        out.extend(textwrap.wrap(line, width, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False) or [line])
    return "\n".join(out)


def emit(text: str, *, styled: bool = True) -> None:
    """Write ``text`` to standard output as this terminal shows it, and flush, so a closed
    pipe or a full disk is raised here (as :class:`PipeClosed` / :class:`OutputError`)."""
    term = _TERMINAL
    if styled:
        text = paint(wrap(text, term.width), term)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed from None
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc)) from None


def warn(message: str) -> None:
    """One warning line on stderr."""
    word = "\x1b[33mwarning\x1b[0m" if _TERMINAL.color and _isatty(sys.stderr) else "warning"
    print(f"booking-rules: {word}: {message}", file=sys.stderr)


# --- input -------------------------------------------------------------------------------------


def source_name(path: str) -> str:
    return STDIN_NAME if path == STDIN else path


def read_bytes(path: str, *, what: str = "JSON", limit: int | None = None) -> bytes:
    """A file's bytes, or standard input's for ``-``, read with a bound (README "Input
    limits"): a directory, FIFO or device is refused before reading, and no more than
    ``limit`` bytes are read (default: a request's or error body's); an InputError names
    the file."""
    from .. import _json
    from .._errors import InputError

    bound = _json.MAX_DOCUMENT_BYTES if limit is None else limit
    if path == STDIN:
        data = sys.stdin.buffer.read(bound + 1)
        if len(data) > bound:
            raise InputError(STDIN_NAME, "", f"at most {_json.size_text(bound)} of {what}")
        return data
    return _json.read_bytes(path, what=what, limit=bound)


def read_json(path: str, *, what: str = "JSON", limit: int | None = None) -> Any:
    """A JSON file (``-``: standard input), or an InputError naming the file and where it
    went wrong: read with a bound and held to the JSON limits (depth, integer size, finite
    numbers, no lone surrogate) by the one reader, ``booking_rules._json``."""
    from .. import _json

    return _json.loads(read_bytes(path, what=what, limit=limit), source_name(path))


def read_snapshot_stdin() -> Any:
    """``--snapshot -``: standard input, bounded as a snapshot file is."""
    from .. import _json

    return read_json(STDIN, what="snapshot", limit=_json.MAX_SNAPSHOT_BYTES)


def load_snapshot_arg(path: str, doc: Any = None, branch: str | None = None,
                      platform: str = "phorest") -> Any:
    """``--snapshot``: a file (memory-mapped by the loader) or ``-`` (``doc``: standard
    input read already), read by ``platform``; ``branch`` (``--branch``): the branch of a
    page of several (Phorest)."""
    from .. import load_snapshot
    from .._errors import InputError
    from ..platforms import get
    from ..platforms.phorest import read_document

    if path != STDIN:
        return load_snapshot(path, branch=branch) if platform == "phorest" else get(
            platform).load_snapshot(path)
    if doc is None:
        doc = read_snapshot_stdin()
    if not isinstance(doc, dict):
        raise InputError(STDIN_NAME, "", "a snapshot document (a JSON object)",
                         type(doc).__name__)
    if platform != "phorest":
        return get(platform).read_document(doc, STDIN_NAME)
    return read_document(doc, STDIN_NAME, branch=branch)


def add_platform(p: argparse.ArgumentParser) -> None:
    """``--platform``: the booking API, inferred from the snapshot when not given."""
    from ..platforms import NAMES

    p.add_argument("--platform", choices=list(NAMES),
                   help="the booking API (default: inferred from the snapshot: one with a "
                   "top-level Company is PNE's, else Phorest's); vish: PNE's read-mostly "
                   "subset, which refuses every appointment write")


def snapshot_and_platform(args: argparse.Namespace) -> tuple[Any, str, Any]:
    """``--snapshot`` read by ``--platform`` (or the platform the snapshot is for):
    (snapshot, platform, the document when read from standard input)."""
    from ..platforms import infer

    doc = read_snapshot_stdin() if args.snapshot == STDIN else None
    platform = getattr(args, "platform", None) or infer(
        doc if doc is not None else args.snapshot)
    return (load_snapshot_arg(args.snapshot, doc, getattr(args, "branch", None), platform),
            platform, doc)


def one_stdin(args: argparse.Namespace, *flags: str) -> None:
    """At most one of ``flags`` may read standard input."""
    given = [f for f in flags if getattr(args, f.lstrip("-").replace("-", "_"), None) == STDIN]
    if len(given) > 1:
        raise UsageError(" and ".join(given), "at most one file read from standard input "
                         "(`-`)")


@dataclass(frozen=True)
class Instant:
    """A flag's instant, and whether it was written without an offset (read as UTC)."""

    flag: str
    text: str
    at: datetime
    naive: bool

    def warn_if_naive(self, zone: tzinfo | None = None) -> None:
        """The warning a request time without an offset gets (TIME_WITHOUT_OFFSET)."""
        if not self.naive:
            return
        read = format_local(self.at, zone) if zone is not None else self.at.strftime(
            "%Y-%m-%d %H:%M UTC")
        warn(f"{self.flag} {self.text!r} has no offset, so it is read as UTC ({read}); "
             "add Z or an offset such as -05:00 to say which instant you mean")


def parse_instant_flag(flag: str, text: str, example: str = "2026-11-01T12:00:00Z"
                       ) -> Instant:
    try:
        at, naive = parse_instant(text)
    except ValueError as exc:
        # An instant off the input years says which years; any other, what one looks like.
        need = str(exc) if str(exc).startswith("an instant from") else (
            f"an ISO-8601 instant such as {example}")
        raise UsageError(flag, need, text) from None
    return Instant(flag, text, at, naive)


def parse_now(text: str | None) -> Instant:
    """``--now``; the clock is read here, at the edge, only when it is not given."""
    if text is None:
        return Instant("--now", "", datetime.now(UTC), False)
    return parse_instant_flag("--now", text)


def ruleset_arg(args: argparse.Namespace, platform: str = "phorest") -> str:
    if args.ruleset:
        return str(args.ruleset)
    if platform != "phorest":
        return "pne"  # PNE and VISH read PNE's rulesets
    return "phorest-online" if args.online else "phorest"


# --- help ----------------------------------------------------------------------------------------


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose to the terminal, keeps indented blocks (examples, exit codes) as
    written."""

    def __init__(self, prog: str) -> None:
        width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 2
        super().__init__(prog, max_help_position=30, width=max(width, 40))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for block in text.strip("\n").split("\n\n"):
            if block.startswith(" ") or "\n " in block:
                out.append(block)
            else:
                out.append(textwrap.fill(" ".join(block.split()), width,
                                         initial_indent=indent, subsequent_indent=indent))
        return "\n\n".join(out) + "\n"


def command(subparsers: Any, name: str, *, summary: str, description: str, examples: str,
            exits: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` has its description, examples and exit codes."""
    epilog = f"examples:\n{examples.rstrip()}\n\nexit codes:\n{exits.rstrip()}\n{COMMON_EXITS}"
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=description, epilog=epilog,
        formatter_class=HelpFormatter)
    add_color(parser)
    return parser


def add_color(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: given before or after the command, the one given wins.
    parser.add_argument("--color", choices=["auto", "always", "never"],
                        default=argparse.SUPPRESS,
                        help="colour the verdict and severities: auto (default: on a "
                        "terminal, unless NO_COLOR is set), always, never")
