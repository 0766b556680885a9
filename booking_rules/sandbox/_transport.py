"""httpx transports over the sandbox's ASGI app: a test talks to it with no socket."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal


def async_transport(app: Any) -> httpx.ASGITransport:
    """For ``httpx.AsyncClient(transport=..., base_url="http://sandbox")``."""
    return httpx.ASGITransport(app=app)


class SyncASGITransport(httpx.BaseTransport):
    """For ``httpx.Client``: runs the ASGI app on one event loop in a helper thread (an
    anyio blocking portal), so every request of every thread meets the same app state.

    An exception the app lets out reaches the caller, as with ``httpx.ASGITransport``:
    the sandbox's dropped-connection fault arrives as ``httpx.RemoteProtocolError``.
    ``close()`` (or closing the client) stops the helper thread.
    """

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._lock = threading.Lock()
        self._stack: contextlib.ExitStack | None = None
        self._portal: BlockingPortal | None = None

    def _get_portal(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                stack = contextlib.ExitStack()
                self._portal = stack.enter_context(start_blocking_portal())
                self._stack = stack
            return self._portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()  # a sync stream: read here, replayed on the app's loop
        replay = httpx.Request(request.method, request.url, headers=request.headers,
                               content=content, extensions=request.extensions)
        status, headers, body, extensions = self._get_portal().call(self._send, replay)
        return httpx.Response(status, headers=headers, content=body, request=request,
                              extensions=extensions)

    async def _send(self, request: httpx.Request) -> tuple[int, Any, bytes, Any]:
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        return response.status_code, response.headers, body, response.extensions

    def close(self) -> None:
        with self._lock:
            stack, self._stack, self._portal = self._stack, None, None
        if stack is not None:
            stack.close()


def transport(app: Any) -> SyncASGITransport:
    """For ``httpx.Client(transport=..., base_url="http://sandbox")``."""
    return SyncASGITransport(app)
