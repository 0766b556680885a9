"""``booking-rules explain``: why the API refused a request, and what would pass."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ._common import (
    EXIT_OK,
    STDIN,
    UsageError,
    add_platform,
    command,
    emit,
    one_stdin,
    parse_now,
    read_bytes,
    read_json,
    ruleset_arg,
    snapshot_and_platform,
    source_name,
)

# The exit code of each diagnosis (docs/explain.md): a script can tell "the snapshot
# agrees with the API" from "the snapshot is stale" without parsing the output.
DIAGNOSIS_EXIT = {
    "confirmed": 0,
    "other-code": 1,
    "undecided": 3,
    "not-reproduced": 4,
    "unmodelled": 5,
    "not-a-rule-code": 6,
}

DESCRIPTION = """\
Explain the API's answer to a request: read the response body (JSON, plain text, HTML or
empty), re-run the rules on the request and the snapshot, and say whether the snapshot
confirms the code, does not reproduce it, or predicts others; with the endpoints to check
and alternatives that pass. --save DIR also writes the case as a corpus entry. --corpus
DIR scores every logged entry of DIR instead. `-` reads one of the files from standard
input."""

EXAMPLES = """\
  booking-rules explain --snapshot branch.json --request request.json --error response.json \\
      --status 400 --now 2026-11-30T14:05:00Z
  booking-rules explain ... --save corpus/            # and keep the case
  booking-rules explain --corpus corpus/"""

EXITS = """\
  by diagnosis (docs/explain.md):
  0    confirmed: the snapshot confirms the API's code (also: --corpus printed its table)
  1    other-code: the check finds other codes than the API's
  3    undecided: the snapshot does not hold the data the API's rule needs
  4    not-reproduced: the check passes: a stale snapshot or a race
  5    unmodelled: the body holds a code this library does not model
  6    not-a-rule-code: 401, 404, 409, 429, 5xx, HTML, an empty body, ..."""


def add_arguments(subparsers: Any) -> None:
    p = command(subparsers, "explain", summary="explain an API error and offer what would pass",
                description=DESCRIPTION, examples=EXAMPLES, exits=EXITS)
    p.add_argument("--snapshot", metavar="FILE",
                   help="the branch snapshot used when the request was sent (- : stdin)")
    p.add_argument("--branch", metavar="ID",
                   help="the branchId to read from a cache (--snapshot cache.db or "
                   "sqlite:///cache.db), or when the snapshot's branch is a page of several")
    p.add_argument("--request", metavar="FILE", help="the request that was refused (JSON; "
                   "- : stdin)")
    p.add_argument("--error", metavar="FILE", help="the response body, as received (JSON, "
                   "text, HTML or empty; - : stdin)")
    p.add_argument("--status", type=int, metavar="N",
                   help="the HTTP status, when the body lacks it")
    p.add_argument("--corpus", metavar="DIR",
                   help="explain every logged (snapshot, request, response) entry of DIR and "
                   "print how often the predicted code matched (docs/explain.md)")
    p.add_argument("--save", metavar="DIR",
                   help="also write this case into the corpus DIR: request, response, status, "
                   "now, and a trimmed copy of the snapshot holding what the rules read")
    p.add_argument("--save-snapshot", choices=["trim", "link", "copy"], default="trim",
                   help="how --save keeps the snapshot: trim (default: only what this request "
                   "reads, verified to explain the same), link (a symbolic link to the file), "
                   "copy (the whole file); from stdin, a whole copy stands for link and copy")
    p.add_argument("--now", metavar="ISO", help="the instant of the request (ISO-8601); "
                   "default: the clock")
    p.add_argument("--online", action="store_true", help="the request was an online booking")
    p.add_argument("--ruleset", metavar="NAME|PATH", help="a bundled ruleset name or a TOML "
                   "path")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="text (default) or json (docs/schemas/explain.schema.json)")
    add_platform(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import explain, explain_corpus

    ruleset = ruleset_arg(args, getattr(args, "platform", None) or "phorest")
    if args.corpus:
        if args.save:
            raise UsageError("--save", "a single case (--snapshot, --request, --error), not "
                             "--corpus")
        # Each entry's own `now` wins; --now only when given (never the clock here).
        now = parse_now(args.now) if args.now else None
        if now is not None:
            now.warn_if_naive()
        corpus = explain_corpus(args.corpus, now=now.at if now else None, ruleset=ruleset)
        if args.format == "text":
            emit(corpus.to_text())
        else:
            emit(json.dumps(corpus.to_dict(), indent=2, ensure_ascii=False) + "\n",
                 styled=False)
        return EXIT_OK
    missing = [f for f in ("snapshot", "request", "error") if not getattr(args, f)]
    if missing:
        raise UsageError("explain", "--" + ", --".join(missing) + " (or --corpus DIR)")
    one_stdin(args, "--snapshot", "--request", "--error")
    now = parse_now(args.now)
    # The document read from standard input is kept: --save trims it.
    snapshot, platform, doc = snapshot_and_platform(args)
    ruleset = ruleset_arg(args, platform)
    now.warn_if_naive(snapshot.zone)
    request = read_json(args.request, what="request")
    error = read_bytes(args.error, what="error body")
    result = explain(error, request, snapshot, status=args.status, now=now.at,
                     online=args.online, ruleset=ruleset,
                     request_source=source_name(args.request), platform=platform)
    if args.save and platform != "phorest":
        raise UsageError("--save", "a Phorest case (the corpus is Phorest's)")
    if args.save:
        from ._save import save_entry

        save_entry(args.save, doc=doc, snapshot=snapshot,
                   snapshot_path=None if args.snapshot == STDIN else args.snapshot,
                   request=request, error=error, status=args.status, now=now.at,
                   online=args.online, ruleset=ruleset, explanation=result,
                   how=args.save_snapshot)
    if args.format == "json":
        emit(result.to_json() + "\n", styled=False)
    else:
        emit(result.to_text())
    return DIAGNOSIS_EXIT.get(result.diagnosis, EXIT_OK)
