"""The ``booking-rules`` command. It only translates: files and flags in, reports out.

Exit codes: 0 PASS, 1 FAIL, 3 UNKNOWN, 2 unusable input (one message on stderr, never a
traceback), 70 an internal error (a bug: set BOOKING_RULES_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import BookingRulesError, InputError
from .._time import parse_instant

EXIT = {"PASS": 0, "FAIL": 1, "UNKNOWN": 3}
EXIT_INPUT = 2
EXIT_INTERNAL = 70


def read_json(path: str) -> Any:
    """A JSON file, or an InputError naming the file and where it went wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "", "an existing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, "", f"a readable UTF-8 file ({exc.__class__.__name__})"
                         ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None


def parse_now(text: str | None) -> datetime:
    """``--now``; the clock is read here, at the edge, only when it is not given."""
    if text is None:
        return datetime.now(UTC)
    try:
        instant, _ = parse_instant(text)
    except ValueError:
        raise InputError("--now", "", "an ISO-8601 instant such as 2026-11-01T12:00:00Z",
                         text) from None
    return instant


def _cmd_check(args: argparse.Namespace) -> int:
    from .. import load_snapshot
    from ..platforms.phorest import check as run

    snapshot = load_snapshot(args.snapshot, branch=args.branch)
    request = read_json(args.request)
    ruleset = args.ruleset or ("phorest-online" if args.online else "phorest")
    report = run(snapshot, request, now=parse_now(args.now), online=args.online,
                 ruleset=ruleset, source=args.request, kind=args.kind)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else report.to_text())
    return EXIT[report.verdict]


def _cmd_slots(args: argparse.Namespace) -> int:
    from .. import find_slots, load_snapshot
    from .._slots import slots_to_json, slots_to_phorest, slots_to_text

    snapshot = load_snapshot(args.snapshot, branch=args.branch)
    ruleset = args.ruleset or ("phorest-online" if args.online else "phorest")
    start = parse_when("--from", args.from_)
    end = parse_when("--to", args.to)
    slots = find_slots(snapshot, args.service, start=start, end=end, staff_id=args.staff,
                       client_id=args.client, online=args.online, step_minutes=args.step,
                       now=parse_now(args.now), ruleset=ruleset,
                       max_slots_per_day=args.max_per_day)
    if args.format == "json":
        print(json.dumps(slots_to_json(slots), indent=2))
    elif args.format == "phorest":
        print(json.dumps(slots_to_phorest(slots, args.client), indent=2))
    else:
        sys.stdout.write(slots_to_text(slots, snapshot))
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from .. import explain, explain_corpus, load_snapshot
    from ..explain import load_error

    ruleset = args.ruleset or ("phorest-online" if args.online else "phorest")
    if args.corpus:
        # Each entry's own `now` wins; --now only when given (never the clock here).
        now = parse_now(args.now) if args.now else None
        corpus = explain_corpus(args.corpus, now=now, ruleset=ruleset)
        sys.stdout.write(corpus.to_text() if args.format == "text"
                         else json.dumps(corpus.to_dict(), indent=2) + "\n")
        return 0
    missing = [f for f in ("snapshot", "request", "error") if not getattr(args, f)]
    if missing:
        raise InputError("explain", "", "--" + ", --".join(missing) + " (or --corpus DIR)")
    result = explain(load_error(args.error), read_json(args.request),
                     load_snapshot(args.snapshot, branch=args.branch), status=args.status,
                     now=parse_now(args.now), online=args.online, ruleset=ruleset,
                     request_source=args.request)
    sys.stdout.write(result.to_json() + "\n" if args.format == "json" else result.to_text())
    return 0


def _cmd_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import run_cli

    return run_cli(args)


def parse_when(flag: str, text: str) -> datetime:
    try:
        return parse_instant(text)[0]
    except ValueError:
        raise InputError(flag, "", "an ISO-8601 instant such as 2026-12-01T14:00:00Z",
                         text) from None


def _cmd_rules(args: argparse.Namespace) -> int:
    from .._docs import render_rule, stale_docs, write_docs
    from ..platforms.phorest import TABLE

    registry = TABLE.by_code()
    if args.write_docs:
        written = write_docs(Path(args.write_docs), TABLE)
        print(f"wrote {len(written)} pages to {args.write_docs}")
        return 0
    if args.check_docs:
        stale = stale_docs(Path(args.check_docs), TABLE)
        if stale:
            print(f"stale rule pages in {args.check_docs}: {', '.join(stale)}; run "
                  f"`booking-rules rules --write-docs {args.check_docs}`", file=sys.stderr)
            return 1
        return 0
    if args.code:
        rule = TABLE.rule(args.code.upper()) or TABLE.rule(args.code)
        if rule is None:
            import difflib

            close = difflib.get_close_matches(args.code.upper(), list(registry), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise InputError("rules", "CODE", f"a rule code{hint}; `booking-rules rules` "
                             "lists them", args.code)
        sys.stdout.write(render_rule(rule, TABLE))
        return 0
    width = max(len(c) for c in registry)
    for code, rule in registry.items():
        kind = "phorest" if TABLE.is_api(rule) else ("notice " if rule.notice else "engine ")
        print(f"{code:<{width}}  {kind}  {rule.severity:<7}  {rule.summary}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="booking-rules",
        description="Check a Phorest booking before it is sent; explain the rules.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check a createBooking or updateAppointment request")
    p.add_argument("--snapshot", required=True, help="the branch snapshot (JSON), or a cache "
                   "(cache.db, sqlite:///cache.db) with --branch")
    p.add_argument("--branch", help="the branchId to read when the snapshot's branch is a "
                   "page of several branches")
    p.add_argument("--request", required=True,
                   help="the request: {\"kind\": ..., \"body\": ...} or a bare body (JSON)")
    p.add_argument("--now", help="the instant the check runs at (ISO-8601); default: now")
    p.add_argument("--online", action="store_true",
                   help="an online booking (default ruleset becomes phorest-online)")
    p.add_argument("--ruleset", help="a bundled ruleset name or a TOML path "
                   "(default: phorest)")
    p.add_argument("--kind", choices=["createBooking", "updateAppointment"],
                   help="the request kind, when the body alone does not say")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("slots", help="the times that would pass, by the same rules")
    p.add_argument("--snapshot", required=True, help="the branch snapshot (JSON), or a cache "
                   "(cache.db, sqlite:///cache.db) with --branch")
    p.add_argument("--branch", help="the branchId to read when the snapshot's branch is a "
                   "page of several branches")
    p.add_argument("--service", required=True, action="append",
                   help="a service id; repeat for a back-to-back chain, in order")
    p.add_argument("--staff", help="only this staff member (default: every qualified one)")
    p.add_argument("--client", help="the client (default: a new client)")
    p.add_argument("--from", dest="from_", required=True, help="window start (ISO-8601)")
    p.add_argument("--to", required=True, help="window end (ISO-8601); starts before it")
    p.add_argument("--step", type=int, help="grid step in minutes (default 15)")
    p.add_argument("--max-per-day", type=int, help="keep the first N start times a day")
    p.add_argument("--now", help="the instant the search runs at (ISO-8601); default: now")
    p.add_argument("--online", action="store_true",
                   help="online booking (default ruleset becomes phorest-online)")
    p.add_argument("--ruleset", help="a bundled ruleset name or a TOML path")
    p.add_argument("--format", choices=["text", "json", "phorest"], default="text")
    p.set_defaults(func=_cmd_slots)

    p = sub.add_parser("explain", help="explain a Phorest error and offer what would pass")
    p.add_argument("--snapshot", help="the branch snapshot used when the request was sent")
    p.add_argument("--branch", help="the branchId to read when the snapshot's branch is a "
                   "page of several branches")
    p.add_argument("--request", help="the request that was refused (JSON)")
    p.add_argument("--error", help="the response body, as received (JSON, text, HTML or empty)")
    p.add_argument("--status", type=int, help="the HTTP status, when the body lacks it")
    p.add_argument("--corpus", metavar="DIR",
                   help="explain every logged (snapshot, request, response) entry of DIR and "
                   "print how often the predicted code matched (see docs/explain.md)")
    p.add_argument("--now", help="the instant of the request (ISO-8601); default: now")
    p.add_argument("--online", action="store_true", help="the request was an online booking")
    p.add_argument("--ruleset", help="a bundled ruleset name or a TOML path")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser(
        "sandbox", help="a local, stateful Phorest API on 127.0.0.1, writes decided by "
        "the engine (docs/sandbox.md)")
    p.add_argument("--snapshot", help="the branch snapshot to serve (or `snapshot` in "
                   "--config)")
    p.add_argument("--host", help="the loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="the port (default 8765; 0 picks a free one)")
    p.add_argument("--business", help="the business id in the paths (default: demo)")
    p.add_argument("--username", help="the Basic-auth user (default printed at start)")
    p.add_argument("--password", help="the Basic-auth password")
    p.add_argument("--now", help="fix the sandbox clock at this instant (default: the "
                   "real clock)")
    p.add_argument("--config", help="a TOML file of sandbox settings (docs/sandbox.md)")
    p.set_defaults(func=_cmd_sandbox)

    from ..sync.cli import add_arguments as add_sync

    add_sync(sub)  # sync, cache status

    p = sub.add_parser("rules", help="print the rule reference")
    p.add_argument("code", nargs="?", help="one rule code")
    p.add_argument("--write-docs", metavar="DIR", help="write docs/rules pages")
    p.add_argument("--check-docs", metavar="DIR", help="exit 1 when DIR's pages are stale")
    p.set_defaults(func=_cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BookingRulesError as exc:
        print(f"booking-rules: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        if os.environ.get("BOOKING_RULES_DEBUG"):
            raise
        print(f"booking-rules: internal error ({exc.__class__.__name__}: {exc}); this is a "
              "bug, please report it with the input (BOOKING_RULES_DEBUG=1 shows the "
              "traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
