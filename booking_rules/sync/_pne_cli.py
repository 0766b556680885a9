"""``booking-rules sync --platform pne --location CompanyId``: the PNE sync's CLI.

Exit codes as the Phorest sync's: 0 every list synced; 1 the day's budget is spent or a
list failed (the cache keeps every list's last complete fetch: run again, tomorrow for the
budget); 2 bad setup. The summary line goes to stdout, problems to stderr; neither ever
holds the key, the username or the password.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TextIO

import httpx

from .. import BookingRulesError
from ..cache import open_cache
from ._errors import SetupError
from ._http import resolve_base_url
from ._pne import (
    DEFAULT_DAILY_BUDGET,
    PNE_BASE_URL,
    PneSyncer,
    pne_from_environment,
    pne_from_file,
)

EXIT_OK, EXIT_INCOMPLETE, EXIT_SETUP = 0, 1, 2


def run_pne_sync(args: argparse.Namespace, *, transport: httpx.BaseTransport | None,
                 clock: Callable[[], datetime], environ: Mapping[str, str] | None,
                 out: TextIO, err: TextIO, sleep: Callable[[float], None],
                 max_polls: int | None) -> int:
    cache = None
    syncer = None
    try:
        if args.from_ is not None or args.to is not None:
            raise SetupError("--from/--to: a PNE sync reads the location's whole lists "
                             "(PNE's appointment listing takes no window)")
        if args.watch is not None and args.watch <= 0:
            raise SetupError("--watch: expected a number of seconds above 0")
        budget = DEFAULT_DAILY_BUDGET if args.budget is None else args.budget
        if budget < 1:
            raise SetupError("--budget: expected at least 1 request")
        base_url = (PNE_BASE_URL if args.base_url in (None, "pne")
                    else resolve_base_url(args.base_url))
        credentials = (pne_from_file(args.credentials_file) if args.credentials_file
                       else pne_from_environment(environ))
        cache = open_cache(args.cache, create=True)
        syncer = PneSyncer(args.branch, credentials=credentials, store=cache.store,
                           clock=clock, base_url=base_url, transport=transport,
                           budget=budget)
        polls = 0
        while True:
            summary = syncer.poll()
            polls += 1
            print(summary, file=out, flush=True)
            if summary.stopped:
                print(f"booking-rules: {summary.stopped}", file=err, flush=True)
            for key, message in summary.failed.items():
                print(f"booking-rules: {key}: {message}", file=err, flush=True)
            status = EXIT_OK if summary.ok else EXIT_INCOMPLETE
            if summary.stopped or args.watch is None or (
                    max_polls is not None and polls >= max_polls):
                return status
            sleep(args.watch)
    except KeyboardInterrupt:
        print("booking-rules: sync stopped (every list fetched whole is kept)", file=err)
        return EXIT_OK
    except BookingRulesError as exc:
        print(f"booking-rules: {exc}", file=err)
        return EXIT_SETUP
    finally:
        if syncer is not None:
            syncer.close()
        if cache is not None:
            cache.close()
