"""A local Phorest sandbox: Phorest's paths and shapes, branches seeded from snapshots,
every write decided by the booking_rules engine (docs/sandbox.md).

    from booking_rules import sandbox
    with sandbox.LocalSandbox("salon.json", now=now) as sb:           # in-process
        sb.client.get("/branch/br_tor/appointment", params={...})
    app = sandbox.create_app(state, clock=clock)                       # any ASGI server
    httpx.Client(transport=sandbox.transport(app), base_url="http://sandbox")
"""

from __future__ import annotations

from ._app import create_app
from ._bench import API_ROOT, DroppedConnection
from ._clock import SandboxClock, real_clock
from ._config import (
    DEFAULT_CREDENTIALS,
    Credentials,
    Faults,
    RateLimit,
    SandboxConfig,
    load_config,
)
from ._harness import LocalSandbox
from ._pne import (
    DEFAULT_PNE_CREDENTIALS,
    LocalPneSandbox,
    PneCredentials,
    PneState,
    create_pne_app,
)
from ._serve import run_cli, running, serve
from ._store import SandboxState
from ._transport import SyncASGITransport, async_transport, transport

__all__ = [
    "API_ROOT",
    "DEFAULT_CREDENTIALS",
    "DEFAULT_PNE_CREDENTIALS",
    "Credentials",
    "DroppedConnection",
    "Faults",
    "LocalPneSandbox",
    "LocalSandbox",
    "PneCredentials",
    "PneState",
    "RateLimit",
    "SandboxClock",
    "SandboxConfig",
    "SandboxState",
    "SyncASGITransport",
    "async_transport",
    "create_app",
    "create_pne_app",
    "load_config",
    "real_clock",
    "run_cli",
    "running",
    "serve",
    "transport",
]
