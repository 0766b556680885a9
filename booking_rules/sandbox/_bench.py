"""The test bench around the API: Basic auth, faults, the request log, and the last-resort
error handler. A plain ASGI middleware, so a fault can also cut a response half-way.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

import anyio
import httpx
import msgspec
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._config import Credentials, Faults
from ._store import z_millis

API_ROOT = "/third-party-api-server/api/business"
LOG = logging.getLogger("booking_rules.sandbox")


# Headers worth keeping in the log; Authorization never is.
_LOGGED_HEADERS = ("content-type", "x-sandbox-dry-run", "x-sandbox-online",
                   "x-booking-rules-verdict", "x-booking-rules-codes", "retry-after")
_LOG_BODY_LIMIT = 64_000


class DroppedConnection(httpx.RemoteProtocolError):
    """The connection was dropped half-way through a response (a sandbox fault).

    In-process, the client sees this (an ``httpx.RemoteProtocolError``, as on a real
    dropped connection); under uvicorn the server closes the socket mid-body.
    """


class RequestLog:
    """The last ``limit`` exchanges on the API paths, for assertions (``GET /_sandbox/log``).
    Credentials are never recorded."""

    def __init__(self, limit: int) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)
        self._seq = 0
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)

    def entries(self, since: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            found = [e for e in self._entries if e["seq"] > since]
        return found if limit is None else found[:limit]

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class FaultState:
    """The faults in force and what they have counted so far. Each kind of fault draws
    from its own seeded generator, so turning one on does not shift another's draws."""

    def __init__(self, faults: Faults, monotonic: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self.set(faults)

    def set(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._errors = random.Random(f"{faults.seed}:errors")
            self._drops = random.Random(f"{faults.seed}:drops")
            self._window_start: float | None = None
            self._count = 0
            self.competing_left = faults.competing_bookings

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            out = self.faults.to_dict()
            out["competing_bookings_left"] = self.competing_left
        return out

    def rate_limited(self) -> int | None:
        """Seconds to wait when this request is over the limit, else None (and counted)."""
        with self._lock:
            rate = self.faults.rate_limit
            if rate is None:
                return None
            now = self._monotonic()
            if self._window_start is None or now - self._window_start >= rate.window_seconds:
                self._window_start, self._count = now, 0
            if self._count >= rate.requests:
                return max(1, math.ceil(self._window_start + rate.window_seconds - now))
            self._count += 1
            return None

    def server_error(self) -> int | None:
        with self._lock:
            f = self.faults
            if f.error_rate > 0 and self._errors.random() < f.error_rate:
                return f.error_status
            return None

    def drop(self) -> bool:
        with self._lock:
            rate = self.faults.drop_rate
            return rate > 0 and self._drops.random() < rate

    def take_competitor(self) -> bool:
        with self._lock:
            if self.competing_left <= 0:
                return False
            self.competing_left -= 1
            return True


def error_body(status: int, detail: str, error_code: str, error_id: str) -> bytes:
    """Phorest's error shape (phorest_api.md §9.1)."""
    return msgspec.json.encode({"statusCode": status, "id": error_id, "detail": detail,
                                "errorCode": error_code})


class Bench:
    """The middleware. API paths (under ``API_ROOT``) get auth, faults and the log;
    every path gets the last-resort handler: an exception becomes a JSON 500 without a
    traceback, and the server keeps serving."""

    def __init__(self, app: ASGIApp, *, credentials: Credentials, faults: FaultState,
                 log: RequestLog, clock: Callable[[], datetime],
                 error_id: Callable[[], str]) -> None:
        self.app = app
        self.credentials = credentials
        self.faults = faults
        self.log = log
        self.clock = clock
        self.error_id = error_id
        token = f"{credentials.username}:{credentials.password}".encode()
        self._expected = b"Basic " + base64.b64encode(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not scope["path"].startswith(API_ROOT):
            await self._guarded(scope, receive, send, [])
            return
        started = time.perf_counter()
        at = self.clock()
        request_body: list[bytes] = []
        fault = self._before(scope)
        if fault is not None:
            status, headers, body, name = fault
            await _drain(receive, request_body)
            self._record(scope, at, started, request_body, status, headers, body, name)
            await _send_whole(send, status, headers, body)
            return
        latency = self.faults.faults.latency_ms
        if latency > 0:
            await anyio.sleep(latency / 1000)

        async def recv() -> Message:
            message: Message = await receive()
            if message["type"] == "http.request":
                request_body.append(message.get("body", b""))
            return message

        out: list[Message] = []

        async def capture(message: Message) -> None:
            out.append(message)

        await self._guarded(scope, recv, capture, [])
        start = out[0]
        status = int(start["status"])
        headers = list(start.get("headers", []))
        body = b"".join(m.get("body", b"") for m in out[1:] if m["type"] == "http.response.body")
        drop = (scope["method"] == "GET" and status == 200 and b'"page"' in body
                and self.faults.drop())
        self._record(scope, at, started, request_body, status, headers, body,
                     "drop" if drop else None)
        if drop:
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body[: len(body) // 2],
                        "more_body": True})
            raise DroppedConnection("the sandbox dropped the connection mid-page (fault)")
        await _send_whole(send, status, headers, body)

    def _before(self, scope: Scope) -> tuple[int, list[tuple[bytes, bytes]], bytes, str] | None:
        """Auth, then the rate limit, then a 5xx: what answers before the API does."""
        given = dict(scope.get("headers", [])).get(b"authorization", b"")
        if not _same(given, self._expected):
            detail = "Full authentication is required to access this resource"
            if given.startswith(b"Basic ") and not _user_of(given).startswith("global/"):
                detail = "Bad credentials (the username must be global/<email>)"
            return (401, [(b"www-authenticate", b'Basic realm="Phorest"')],
                    error_body(401, detail, "UNAUTHORIZED", self.error_id()), "unauthorized")
        wait = self.faults.rate_limited()
        if wait is not None:
            return (429, [(b"retry-after", str(wait).encode())],
                    error_body(429, "Request rate limit exceeded (sandbox fault)",
                               "TOO_MANY_REQUESTS", self.error_id()), "rate_limit")
        status = self.faults.server_error()
        if status is not None:
            return (status, [], error_body(status, "The service is unavailable (sandbox fault)",
                                           "SERVICE_UNAVAILABLE", self.error_id()),
                    "server_error")
        return None

    async def _guarded(self, scope: Scope, receive: Receive, send: Send,
                       started: list[bool]) -> None:
        """Run the app; an exception it lets out becomes a JSON 500 (when nothing was
        sent yet), logged with its traceback on the server side only."""

        async def tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(True)
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except DroppedConnection:
            raise
        except Exception:
            LOG.exception("sandbox: unexpected error on %s %s", scope.get("method"),
                          scope.get("path"))
            if started:
                raise
            body = error_body(500, "Internal sandbox error; it was logged and the sandbox "
                              "keeps serving", "INTERNAL_SERVER_ERROR", self.error_id())
            await _send_whole(send, 500, [], body)

    def _record(self, scope: Scope, at: datetime, started: float, request_body: list[bytes],
                status: int, headers: list[tuple[bytes, bytes]], body: bytes,
                fault: str | None) -> None:
        req_headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                       for k, v in scope.get("headers", [])}
        resp_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
        self.log.add({
            "at": z_millis(at),
            "method": scope["method"],
            "path": scope["path"],
            "query": scope.get("query_string", b"").decode("latin-1"),
            "requestHeaders": {k: v for k, v in req_headers.items() if k in _LOGGED_HEADERS},
            "requestBody": _readable(b"".join(request_body)),
            "status": status,
            "responseHeaders": {k: v for k, v in resp_headers.items()
                                if k in _LOGGED_HEADERS},
            "responseBody": _readable(body),
            "fault": fault,
            "ms": round((time.perf_counter() - started) * 1000, 3),
        })


def _same(given: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(given, expected)


def _user_of(header: bytes) -> str:
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0]


def _readable(body: bytes) -> Any:
    """A body for the log: JSON as JSON, else text, cut at a bound."""
    if not body:
        return None
    if len(body) > _LOG_BODY_LIMIT:
        return body[:_LOG_BODY_LIMIT].decode("utf-8", "replace") + "...(cut)"
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's stack
        return body.decode("utf-8", "replace")


async def _drain(receive: Receive, into: list[bytes]) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        into.append(message.get("body", b""))
        if not message.get("more_body"):
            return


async def _send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                      body: bytes) -> None:
    headers = [(k, v) for k, v in headers
               if k.lower() not in (b"content-length", b"content-type")]
    headers += [(b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
