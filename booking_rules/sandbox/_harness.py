"""A sandbox in this process, with a client that reaches it without a socket."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from .. import _json
from ._app import create_app
from ._bench import API_ROOT
from ._clock import SandboxClock
from ._config import DEFAULT_CREDENTIALS, Credentials, SandboxConfig
from ._store import SandboxState
from ._transport import transport


class LocalSandbox:
    """The sandbox app over ``snapshots`` (paths or documents), its state and clock, and
    ``client``: an ``httpx.Client`` whose base URL is the business
    (``.../third-party-api-server/api/business/{id}``) and that sends the credentials.

    ``now``: the clock is fixed there (``None``: the machine's clock). ``controls`` is a
    client for ``/_sandbox/...``. Use it as a context manager, or call ``close()``.
    """

    def __init__(self, *snapshots: str | Path | Mapping[str, Any], now: datetime | None,
                 business_id: str = "demo", credentials: Credentials = DEFAULT_CREDENTIALS,
                 config: SandboxConfig | None = None) -> None:
        self.clock = SandboxClock(now)
        config = config or SandboxConfig(business_id=business_id)
        docs, sources = [], []
        for s in snapshots:
            if isinstance(s, Mapping):
                docs.append(s)
                sources.append("snapshot")
            else:
                docs.append(_read(s))
                sources.append(str(s))
        self.state = SandboxState(docs, now=self.clock(), business_id=config.business_id,
                                  sources=sources, seed=config.seed)
        self.app = create_app(self.state, clock=self.clock, credentials=credentials,
                              config=config)
        self.transport = transport(self.app)
        self.base_url = f"http://sandbox{API_ROOT}/{config.business_id}"
        self.client = httpx.Client(transport=self.transport, base_url=self.base_url,
                                   auth=(credentials.username, credentials.password))
        self.controls = httpx.Client(transport=self.transport,
                                     base_url="http://sandbox/_sandbox")

    def log(self, since: int = 0) -> list[dict[str, Any]]:
        """The request log's entries after ``since``."""
        entries: list[dict[str, Any]] = self.controls.get(
            "/log", params={"since": since}).raise_for_status().json()["entries"]
        return entries

    def set_faults(self, **faults: Any) -> dict[str, Any]:
        """Replace the faults in force (``Faults`` fields as keywords)."""
        answer: dict[str, Any] = self.controls.post("/faults", json=faults
                                                    ).raise_for_status().json()
        return answer

    def export(self, branch_id: str | None = None) -> dict[str, Any]:
        """A branch's state as a snapshot document."""
        params = {"branch": branch_id} if branch_id else {}
        doc: dict[str, Any] = self.controls.get("/state", params=params
                                                ).raise_for_status().json()
        return doc

    def close(self) -> None:
        self.client.close()
        self.controls.close()
        self.transport.close()

    def __enter__(self) -> LocalSandbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _read(path: str | Path) -> dict[str, Any]:
    import booking_rules as br

    br.load_snapshot(path)  # a bad file's InputError names it, the JSON path and the need
    doc: dict[str, Any] = _json.read_json(path, what="snapshot", limit=_json.MAX_SNAPSHOT_BYTES)
    return doc
