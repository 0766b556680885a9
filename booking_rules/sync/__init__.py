"""The polling sync from the Phorest API into the local cache (SYNC.md).

    from booking_rules.cache import open_cache
    from booking_rules.sync import Syncer, from_environment
    cache = open_cache("sqlite:///cache.db", create=True)
    with Syncer("biz_1", "br_1", credentials=from_environment(), store=cache.store,
                clock=lambda: datetime.now(UTC)) as syncer:
        summary = syncer.poll(refresh_all=True)
        print(summary)   # one line: rows changed, requests spent, time

The CLI (``booking-rules sync``, ``booking-rules cache status``) is in
``booking_rules.sync.cli``. Errors: see ``booking_rules.sync._errors``.
"""

from __future__ import annotations

from ._credentials import Credentials, Secret, from_environment, from_file
from ._errors import AuthError, BudgetExhausted, SetupError, StreamError, SyncError
from ._http import BASE_URLS, DEFAULT_BASE_URL, RetryPolicy, resolve_base_url
from ._syncer import PollSummary, ProgressSink, StreamResult, Syncer, month_chunks

__all__ = [
    "BASE_URLS",
    "DEFAULT_BASE_URL",
    "AuthError",
    "BudgetExhausted",
    "Credentials",
    "PollSummary",
    "ProgressSink",
    "RetryPolicy",
    "Secret",
    "SetupError",
    "StreamError",
    "StreamResult",
    "SyncError",
    "Syncer",
    "from_environment",
    "from_file",
    "month_chunks",
    "resolve_base_url",
]
