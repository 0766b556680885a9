"""``booking-rules sync`` and ``booking-rules cache status``, as functions to register.

    from booking_rules.sync.cli import add_arguments
    add_arguments(subparsers)      # adds "sync" and "cache status", each with its func

Exit codes: 0 done; 1 a stream stopped or the budget ran out (the cache is consistent,
only incomplete: run again); 2 bad setup (one line on stderr: no credentials, unknown
branch, a base URL that does not answer like Phorest, an unusable cache, a bad flag).
Progress goes to stderr (a rich display on a terminal, plain lines otherwise); the
one-line summary of each poll to stdout. Credentials never appear in either.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TextIO

import httpx

from .. import BookingRulesError
from ..cache import COMPILED_LAG, DEFAULT_URL, Cache, open_cache
from ._credentials import from_environment, from_file
from ._errors import SetupError
from ._http import resolve_base_url
from ._syncer import PollSummary, StreamResult, Syncer

EXIT_OK, EXIT_INCOMPLETE, EXIT_SETUP = 0, 1, 2


SYNC_DESCRIPTION = """\
Fetch one branch of the Phorest API into the local cache (one SQLite file), page by page,
windows of at most 31 days, appointments incrementally by their update time. Credentials
come from PHOREST_USERNAME (global/<email>) and PHOREST_PASSWORD, or --credentials-file;
they never appear in output, logs or the cache (docs/sync.md)."""

SYNC_EXAMPLES = """\
  booking-rules sync --business demo --branch br_tor --cache sqlite:///cache.db \\
      --base-url http://127.0.0.1:8765/third-party-api-server/api/business
  booking-rules sync --business BUSINESS --branch BRANCH --watch 60"""

SYNC_EXITS = """\
  0    every stream synced
  1    a stream stopped or the request budget ran out: the cache is consistent but
       incomplete; run again"""

STATUS_DESCRIPTION = """\
Show what the local cache holds: per business, branch and stream, the rows, the window
covered and how long ago it was fetched."""

STATUS_EXAMPLES = """\
  booking-rules cache status --cache sqlite:///cache.db
  booking-rules cache status --format json"""

STATUS_EXITS = """\
  0    the status was printed"""

Command = Callable[..., argparse.ArgumentParser]


def add_arguments(subparsers: Any, command: Command | None = None) -> None:
    """Register ``sync`` and ``cache status`` on an argparse subparsers object.

    ``command``: the CLI's parser factory (``command(subparsers, name, summary=,
    description=, examples=, exits=)``), which gives each ``--help`` its examples and
    exit codes; plain parsers without it."""
    def make(where: Any, name: str, summary: str, description: str, examples: str,
             exits: str) -> argparse.ArgumentParser:
        if command is not None:
            return command(where, name, summary=summary, description=description,
                           examples=examples, exits=exits)
        made: argparse.ArgumentParser = where.add_parser(name, help=summary,
                                                         description=description)
        return made

    p = make(subparsers, "sync", "poll a branch from the Phorest API into the cache",
             SYNC_DESCRIPTION, SYNC_EXAMPLES, SYNC_EXITS)
    p.add_argument("--platform", choices=["phorest", "pne"], default="phorest",
                   help="phorest (default) or pne: one PNE location (docs/pne.md)")
    p.add_argument("--business", help="the Phorest business id (Phorest: required)")
    p.add_argument("--branch", "--location", dest="branch", required=True,
                   help="the Phorest branch id, or the PNE location (CompanyId)")
    p.add_argument("--cache", default=DEFAULT_URL, help=f"cache URL (default {DEFAULT_URL})")
    p.add_argument("--base-url", default=None,
                   help="eu (Phorest's default), us, dev, or a URL such as a local "
                   "sandbox's (PNE's default: its API)")
    p.add_argument("--from", dest="from_", metavar="DATE",
                   help="first local date to cover (yyyy-mm-dd; default 30 days ago)")
    p.add_argument("--to", metavar="DATE",
                   help="last local date to cover (yyyy-mm-dd; default in 90 days)")
    p.add_argument("--watch", type=float, metavar="SECONDS",
                   help="poll again every SECONDS until interrupted")
    p.add_argument("--credentials-file", metavar="FILE",
                   help='JSON {"username", "password"} or PHOREST_USERNAME=/PHOREST_PASSWORD= '
                   "lines")
    p.add_argument("--budget", type=int, default=None, metavar="N",
                   help="Phorest: at most N requests per poll (default 5000); PNE: per UTC "
                   "day across polls, counted in the cache (default 1000)")
    p.set_defaults(func=run_sync)

    p = make(subparsers, "cache", "inspect the local cache", STATUS_DESCRIPTION,
             "  booking-rules cache status --cache sqlite:///cache.db", STATUS_EXITS)
    sub = p.add_subparsers(dest="cache_command", required=True)
    s = make(sub, "status", "per stream: rows, covered window, age", STATUS_DESCRIPTION,
             STATUS_EXAMPLES, STATUS_EXITS)
    s.add_argument("--cache", default=DEFAULT_URL, help=f"cache URL (default {DEFAULT_URL})")
    s.add_argument("--business", help="only this business")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=run_cache_status)


def _date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SetupError(f"{flag}: expected a date such as 2026-11-01, got {text!r}") from None


def _clock() -> datetime:
    return datetime.now(UTC)  # the CLI is the edge: the clock is read here only


class _Plain:
    """Progress as plain lines (not a terminal): one per stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def stream_started(self, stream: str, what: str) -> None:
        pass

    def page_done(self, stream: str, page: int, rows: int, changed: int) -> None:
        pass

    def stream_done(self, result: StreamResult) -> None:
        if result.outcome == "skipped" and not result.requests:
            return
        line = (f"  {result.stream}: {result.outcome}, {result.rows_changed} changed, "
                f"{result.rows_gone} gone, {result.requests} requests")
        if result.quarantined:
            line += f", {result.quarantined} odd rows quarantined"
        if result.message:
            line += f" ({result.message})"
        print(line, file=self.out, flush=True)


class _Rich(_Plain):
    """A live display on a terminal: one line per stream with pages and rows."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  TimeElapsedColumn(), console=Console(file=out),
                                  transient=False)
        self._tasks: dict[str, Any] = {}
        self._progress.start()

    def stream_started(self, stream: str, what: str) -> None:
        if stream not in self._tasks:
            self._tasks[stream] = self._progress.add_task(f"{stream}: {what}", total=None)
        else:
            self._progress.update(self._tasks[stream], description=f"{stream}: {what}")

    def page_done(self, stream: str, page: int, rows: int, changed: int) -> None:
        task = self._tasks.get(stream)
        if task is not None:
            self._progress.update(task, description=f"{stream}: page {page}, {rows} rows, "
                                  f"{changed} changed")

    def stream_done(self, result: StreamResult) -> None:
        task = self._tasks.get(result.stream)
        text = (f"{result.stream}: {result.outcome}, {result.rows_changed} changed, "
                f"{result.requests} requests" + (f" ({result.message})" if result.message
                                                 else ""))
        if task is None:
            if result.outcome != "skipped" or result.requests:
                self._progress.console.print("  " + text)
            return
        self._progress.update(task, description=text, total=1, completed=1)

    def stop(self) -> None:
        self._progress.stop()


def run_sync(args: argparse.Namespace, *, transport: httpx.BaseTransport | None = None,
             clock: Callable[[], datetime] = _clock, environ: Mapping[str, str] | None = None,
             out: TextIO | None = None, err: TextIO | None = None,
             sleep: Callable[[float], None] = time.sleep, max_polls: int | None = None
             ) -> int:
    """``booking-rules sync``. The keyword arguments are for tests (an in-process
    transport, a fixed clock, the environment, the streams, a bounded watch)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if getattr(args, "platform", "phorest") == "pne":
        from ._pne_cli import run_pne_sync  # PNE's sync is imported only when asked

        return run_pne_sync(args, transport=transport, clock=clock, environ=environ,
                            out=out, err=err, sleep=sleep, max_polls=max_polls)
    if args.business is None:
        print("booking-rules: sync: --business is required (the Phorest business id)",
              file=err)
        return EXIT_SETUP
    if args.budget is None:
        args.budget = 5000
    progress: _Plain | None = None
    cache = None
    syncer = None
    try:
        window_from, window_to = _date("--from", args.from_), _date("--to", args.to)
        if (window_from is None) != (window_to is None):
            raise SetupError("--from and --to go together")
        if args.watch is not None and args.watch <= 0:
            raise SetupError("--watch: expected a number of seconds above 0")
        if args.budget is not None and args.budget < 1:
            raise SetupError("--budget: expected at least 1 request")
        base_url = resolve_base_url(args.base_url or "eu")
        credentials = (from_file(args.credentials_file) if args.credentials_file
                       else from_environment(environ))
        cache = open_cache(args.cache, create=True)
        window = (window_from, window_to) if window_from and window_to else None
        progress = _Rich(err) if err.isatty() else _Plain(err)
        syncer = Syncer(args.business, args.branch, credentials=credentials,
                        store=cache.store, clock=clock, base_url=base_url,
                        transport=transport, window=window, budget=args.budget,
                        progress=progress)
        polls = 0
        status = EXIT_OK
        while True:
            summary = syncer.poll(refresh_all=polls == 0)
            polls += 1
            print(summary, file=out, flush=True)
            _compile_if_due(cache, args.business, args.branch, summary)
            status = EXIT_OK if summary.ok else EXIT_INCOMPLETE
            if args.watch is None or (max_polls is not None and polls >= max_polls):
                return status
            sleep(args.watch)
    except KeyboardInterrupt:
        print("booking-rules: sync stopped (every committed page is kept)", file=err)
        return EXIT_OK
    except BookingRulesError as exc:
        print(f"booking-rules: {exc}", file=err)
        return EXIT_SETUP
    finally:
        if isinstance(progress, _Rich):
            progress.stop()
        if syncer is not None:
            syncer.close()
        if cache is not None:
            cache.close()


def _compile_if_due(cache: Cache, business: str, branch: str, summary: PollSummary) -> None:
    """Compile the branch's history again when it has none or lags by many rows, so the
    next snapshot (a check) reads the compiled history, not every raw row. A cache it
    cannot compile (locked, read-only, rows the loader refuses) is left as it is: the
    snapshot then reads the raw rows, and says what is wrong if anything is."""
    if not summary.streams.get("appointments") or not summary.streams[
            "appointments"].rows_changed:
        return
    lag = cache.compiled_lag(branch, business=business)
    if lag is None or lag > COMPILED_LAG // 4:
        with contextlib.suppress(BookingRulesError):
            cache.compile(branch, business=business)


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def run_cache_status(args: argparse.Namespace, *, clock: Callable[[], datetime] = _clock,
                     out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``booking-rules cache status``: per stream, rows, window, age."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with open_cache(args.cache) as cache:
            rows = cache.status(clock(), business=args.business)
    except BookingRulesError as exc:
        print(f"booking-rules: {exc}", file=err)
        return EXIT_SETUP
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in rows], indent=2), file=out)
        return EXIT_OK
    if not rows:
        print(f"{args.cache}: empty (run booking-rules sync)", file=out)
        return EXIT_OK
    print(f"{'business':<12} {'branch':<12} {'stream':<15} {'rows':>8} {'gone':>6} "
          f"{'window':<23} {'age':>8}  note", file=out)
    for r in rows:
        window = f"{r.window[0]}..{r.window[1]}" if r.window else "-"
        note = r.last_error or ""
        if r.quarantined:
            note = f"{r.quarantined} quarantined; " + note
        print(f"{r.business:<12} {r.branch or '(business)':<12} {r.stream:<15} "
              f"{r.rows:>8} {r.gone:>6} {window:<23} {_age(r.age_seconds):>8}  {note}",
              file=out)
    return EXIT_OK
