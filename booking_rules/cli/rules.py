"""``booking-rules rules``: the rule reference, from the rule docstrings."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import Any

from ._common import EXIT_FAIL, EXIT_OK, UsageError, add_platform, command, emit

DESCRIPTION = """\
List every rule (code, whether the API itself answers it, default severity, summary), or
print one rule's page: what it checks, why the API refuses it, an example, the fix and its
options. A code or a rule's neutral name, in any case."""

EXAMPLES = """\
  booking-rules rules
  booking-rules rules STAFF_DOUBLE_BOOKED
  booking-rules rules --check-docs docs/rules"""

EXITS = """\
  0    printed (or the pages are current)
  1    --check-docs: some pages are stale"""


def add_arguments(subparsers: Any) -> None:
    p = command(subparsers, "rules", summary="print the rule reference",
                description=DESCRIPTION, examples=EXAMPLES, exits=EXITS)
    p.add_argument("code", nargs="?", metavar="CODE", help="one rule code (or neutral name)")
    p.add_argument("--write-docs", metavar="DIR", help="write the docs/rules pages to DIR")
    p.add_argument("--check-docs", metavar="DIR", help="exit 1 when DIR's pages are stale")
    add_platform(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from .._docs import render_rule, stale_docs, write_docs
    from ..platforms import get

    plat = get(args.platform or "phorest")
    TABLE = plat.TABLE  # the platform's code table
    note = getattr(plat, "DOCS_NOTE", None)  # where the platform's page examples run
    registry = TABLE.by_code()
    if args.write_docs:
        written = write_docs(Path(args.write_docs), TABLE, note)
        emit(f"wrote {len(written)} pages to {args.write_docs}\n")
        return EXIT_OK
    if args.check_docs:
        stale = stale_docs(Path(args.check_docs), TABLE, note)
        if stale:
            print(f"booking-rules: stale rule pages in {args.check_docs}: {', '.join(stale)}; "
                  f"run `booking-rules rules --write-docs {args.check_docs}`", file=sys.stderr)
            return EXIT_FAIL
        return EXIT_OK
    if args.code:
        rule = TABLE.rule(args.code.upper()) or TABLE.rule(args.code)
        if rule is None:
            close = difflib.get_close_matches(args.code.upper(), list(registry), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError("CODE", f"a rule code{hint}; `booking-rules rules` lists them",
                             args.code)
        emit(render_rule(rule, TABLE), styled=False)
        return EXIT_OK
    width = max(len(c) for c in registry)
    lines = []
    for code, rule in registry.items():
        kind = TABLE.platform if TABLE.is_api(rule) else ("notice " if rule.notice else "engine ")
        lines.append(f"{code:<{width}}  {kind}  {rule.severity:<7}  {rule.summary}")
    # One line per rule, never wrapped: it is read with grep and cut.
    emit("\n".join(lines) + "\n", styled=False)
    return EXIT_OK
