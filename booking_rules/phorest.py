"""The guarded Phorest client: check against the local cache, send only what passes,
explain what Phorest refuses (docs/sync.md, "The guarded client").

    from booking_rules.phorest import Client, RefusedLocally
    with Client(base_url, ("global/me@salon.example", password), cache="sqlite:///cache.db",
                business="biz", branch="br_tor") as phorest:
        sent = phorest.create_booking(body)      # raises RefusedLocally(report) if it fails

``AsyncClient`` is the same over ``httpx.AsyncClient``. Both take ``transport=`` (httpx),
so tests talk to ``booking_rules.sandbox`` in-process.
"""

from __future__ import annotations

from .sync._client import AsyncClient, Client, RefusedLocally, SendError, Sent
from .sync._credentials import Credentials, from_environment, from_file
from .sync._http import BASE_URLS, DEFAULT_BASE_URL

__all__ = ["BASE_URLS", "DEFAULT_BASE_URL", "AsyncClient", "Client", "Credentials",
           "RefusedLocally", "SendError", "Sent", "from_environment", "from_file"]
