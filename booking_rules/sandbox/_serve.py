"""Running the sandbox on a loopback port: ``serve`` (blocking), ``running`` (a thread,
for tests and benchmarks), and ``run_cli`` (``booking-rules sandbox``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn

import booking_rules as br

from ._adapter import parse_instant
from ._app import create_app
from ._bench import API_ROOT, DroppedConnection
from ._clock import SandboxClock, real_clock
from ._config import DEFAULT_CREDENTIALS, Credentials, SandboxConfig, load_config
from ._store import SandboxState

DEFAULT_PORT = 8787


class _QuietDrops(logging.Filter):
    """The dropped-connection fault is on purpose: no traceback in the server log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


def _loopback(host: str) -> str:
    """Only loopback addresses: the sandbox is a local test bench, never a public server."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise br.InputError("--host", "", "a loopback address such as 127.0.0.1 (the sandbox "
                        "never listens beyond this machine)", host)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for a
    # socket whose protocol says TCP, and without it every keep-alive answer after the
    # first waits ~40 ms for the client's delayed acknowledgement.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise br.InputError("--port", "", f"a free port on {host} ({exc.strerror})", port
                            ) from None
    sock.listen(2048)
    return sock


def _server(app: Any, log_level: str) -> uvicorn.Server:
    logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off",
                            loop="asyncio", http="h11")
    return uvicorn.Server(config)


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


@contextlib.contextmanager
def running(app: Any, *, host: str = "127.0.0.1", port: int = 0,
            log_level: str = "warning", timeout: float = 10.0) -> Iterator[str]:
    """Serve ``app`` under uvicorn in a thread for the ``with`` block; yields the root
    URL (``http://127.0.0.1:PORT``; port 0 takes a free one). Stopped on exit."""
    sock = _bind(_loopback(host), port)
    server = _server(app, log_level)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              name="booking-rules-sandbox", daemon=True)
    thread.start()
    try:
        waited = 0.0
        while not server.started:
            if not thread.is_alive() or waited > timeout:
                raise RuntimeError("the sandbox server did not start")
            threading.Event().wait(0.01)
            waited += 0.01
        yield _url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


def serve(app: Any, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          log_level: str = "warning", announce: Any = None) -> None:
    """Serve ``app`` under uvicorn until interrupted. ``announce(root_url)`` is called
    once the socket is bound, before serving."""
    sock = _bind(_loopback(host), port)
    try:
        if announce is not None:
            announce(_url(sock))
        _server(app, log_level).run(sockets=[sock])
    finally:
        sock.close()


def run_cli(args: argparse.Namespace | Mapping[str, Any] | None = None, /, **kwargs: Any
            ) -> int:
    """``booking-rules sandbox --snapshot FILE [--host H] [--port N] [--business ID]
    [--username U --password P] [--now ISO] [--config FILE]``.

    Takes the parsed flags (a Namespace, a mapping or keywords; a flag left ``None``
    falls back to the config file, then to the default). Prints the base URL and the
    credentials, serves until interrupted; returns the exit code (2 on unusable input).
    """
    opts: dict[str, Any] = dict(vars(args) if isinstance(args, argparse.Namespace)
                                else (args or {}))
    opts.update(kwargs)
    # PNE and VISH are served by their own app (sandbox/_pne.py): --platform, or a PNE
    # snapshot (a top-level Company).
    from ..platforms import infer

    platform = opts.get("platform") or (infer(opts["snapshot"]) if opts.get("snapshot")
                                        else "phorest")
    if platform in ("pne", "vish"):
        from ._pne import run_pne_cli

        return run_pne_cli(opts, vish=platform == "vish", serve=serve, loopback=_loopback,
                           default_port=DEFAULT_PORT)
    try:
        state, app, host, port, credentials, clock_note = _prepare(opts)
        business = state.business_id

        def announce(root: str) -> None:
            print(f"Phorest sandbox: {', '.join(sorted(state.branches))} "
                  f"(business {business}), {clock_note}")
            print(f"  base URL  {root}{API_ROOT}")
            print(f"  user      {credentials.username}")
            if opts.get("password") is None and credentials is DEFAULT_CREDENTIALS:
                # A sandbox holds no real data; its default password is printed on purpose.
                print(f"  password  {credentials.password}")
            print(f"  controls  {root}/_sandbox  (Ctrl-C stops)", flush=True)

        serve(app, host=host, port=port, announce=announce)
    except br.InputError as exc:
        print(f"booking-rules sandbox: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0


def _prepare(opts: Mapping[str, Any]) -> tuple[SandboxState, Any, str, int, Credentials, str]:
    file = load_config(opts["config"]) if opts.get("config") else None
    config = file.config if file else SandboxConfig()
    if opts.get("business"):
        config = replace(config, business_id=str(opts["business"]))
    snapshots: list[Path] = [Path(opts["snapshot"])] if opts.get("snapshot") else []
    if not snapshots and file is not None:
        snapshots = list(file.snapshots)
    if not snapshots:
        raise br.InputError("--snapshot", "", "a snapshot file (or `snapshot` in --config)")
    username = opts.get("username") or (file.username if file else None)
    password = opts.get("password") or (file.password if file else None)
    if (username is None) != (password is None):
        raise br.InputError("--username/--password", "", "both, or neither (then the "
                            "default credentials are used)")
    credentials = (Credentials(username, password) if username is not None
                   and password is not None else DEFAULT_CREDENTIALS)
    now_text = opts.get("now") or (file.now if file else None)
    if now_text is not None:
        try:
            at, naive = parse_instant(str(now_text))
        except ValueError:
            raise br.InputError("--now", "", "an ISO-8601 instant such as "
                                "2026-11-01T12:00:00Z", now_text) from None
        if naive:
            raise br.InputError("--now", "", "an instant with its offset (Z or +hh:mm)",
                                now_text)
        moving = bool(file and file.moving_clock)
        clock = SandboxClock(at, moving=moving)
        note = f"clock {'moving from' if moving else 'fixed at'} {now_text}"
    else:
        clock = SandboxClock(source=real_clock)
        note = "clock: the machine's"
    host = str(opts.get("host") or (file.host if file and file.host else "127.0.0.1"))
    port_opt = opts.get("port")
    port = int(port_opt if port_opt is not None else (
        file.port if file and file.port is not None else DEFAULT_PORT))
    state = SandboxState.from_files(snapshots, now=clock(), business_id=config.business_id,
                                    seed=config.seed)
    app = create_app(state, clock=clock, credentials=credentials, config=config)
    return state, app, _loopback(host), port, credentials, note
