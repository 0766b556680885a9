"""The sandbox's settings: credentials, faults, and the config file that holds them.

A config file is TOML (see docs/sandbox.md); flags override it, and the faults can be
changed again at run time (``POST /_sandbox/faults``). Bad values are ``br.InputError``s
naming the file, the key and what was expected.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import booking_rules as br


@dataclass(frozen=True, slots=True)
class Credentials:
    """HTTP Basic credentials the sandbox accepts. The password never appears in a repr,
    a log entry or an error message."""

    username: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        # Phorest answers 401 to a user without the global/ prefix (phorest_api.md §1.2):
        # a sandbox accepting one would let a client bug through.
        if not self.username.startswith("global/") or len(self.username) <= len("global/"):
            raise br.InputError("credentials", "username",
                                "a Phorest API user 'global/<email>'", self.username)
        if not self.password:
            raise br.InputError("credentials", "password", "a non-empty password")


# Printed at start; a sandbox holds no real data, so a well-known default is a convenience.
DEFAULT_CREDENTIALS = Credentials("global/sandbox@example.com", "sandbox")


@dataclass(frozen=True, slots=True)
class RateLimit:
    requests: int
    window_seconds: float


@dataclass(frozen=True, slots=True)
class Faults:
    """What goes wrong on purpose, on the API paths only (never on ``/_sandbox``).

    ``rate_limit``: after ``requests`` calls in a window of ``window_seconds``, 429 with
    ``Retry-After`` until the window ends. ``latency_ms``: added before every answer.
    ``error_rate``: share of calls answered ``error_status`` (a 5xx) without being handled.
    ``drop_rate``: share of HAL pages whose connection is dropped half-way through the
    body. ``competing_bookings``: how many of the next createBookings find their first
    slot just taken by another receptionist. ``seed``: the random draws are seeded, so a
    test sees the same faults on every run.
    """

    rate_limit: RateLimit | None = None
    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    drop_rate: float = 0.0
    competing_bookings: int = 0
    seed: int = 0

    @classmethod
    def from_dict(cls, data: object, source: str = "faults", where: str = "") -> Faults:
        """Fault settings from a JSON or TOML object; ``where`` prefixes the paths named
        in errors (``faults`` in a config file)."""

        def at(key: str) -> str:
            return f"{where}.{key}" if where else key

        if not isinstance(data, Mapping):
            raise br.InputError(source, where, "an object of fault settings")
        _known(data, {f.name for f in fields(cls)}, source, where)
        rate: RateLimit | None = None
        raw_rate = data.get("rate_limit")
        if raw_rate is not None:
            if not isinstance(raw_rate, Mapping):
                raise br.InputError(source, at("rate_limit"),
                                    "an object {requests, window_seconds} or null")
            _known(raw_rate, {"requests", "window_seconds"}, source, at("rate_limit"))
            rate = RateLimit(
                _int(raw_rate.get("requests"), source, at("rate_limit.requests"), 1),
                _number(raw_rate.get("window_seconds", 1.0), source,
                        at("rate_limit.window_seconds"), 0.001, 86_400.0))
        status = _int(data.get("error_status", 503), source, at("error_status"), 500)
        if status > 599:
            raise br.InputError(source, at("error_status"), "a 5xx status", status)
        return cls(
            rate_limit=rate,
            latency_ms=_number(data.get("latency_ms", 0.0), source, at("latency_ms"), 0.0,
                               60_000.0),
            error_rate=_number(data.get("error_rate", 0.0), source, at("error_rate"), 0.0, 1.0),
            error_status=status,
            drop_rate=_number(data.get("drop_rate", 0.0), source, at("drop_rate"), 0.0, 1.0),
            competing_bookings=_int(data.get("competing_bookings", 0), source,
                                    at("competing_bookings"), 0),
            seed=_int(data.get("seed", 0), source, at("seed"), 0),
        )

    def to_dict(self) -> dict[str, Any]:
        rate = None if self.rate_limit is None else {
            "requests": self.rate_limit.requests,
            "window_seconds": self.rate_limit.window_seconds}
        return {"rate_limit": rate, "latency_ms": self.latency_ms,
                "error_rate": self.error_rate, "error_status": self.error_status,
                "drop_rate": self.drop_rate, "competing_bookings": self.competing_bookings,
                "seed": self.seed}


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """How the app behaves (the server's address and its data are the runner's business).

    ``online``: every write is checked as an online booking (a request can also say so
    with the ``X-Sandbox-Online: true`` header). ``ruleset``: the ruleset writes are
    decided with. ``log_limit``: the request log keeps the last N exchanges. ``seed``:
    for the ids the sandbox makes. ``competitor_client_id``: the client of the bookings
    the ``competing_bookings`` fault injects.
    """

    business_id: str = "demo"
    online: bool = False
    ruleset: str = "phorest"
    faults: Faults = field(default_factory=Faults)
    log_limit: int = 10_000
    seed: int = 0
    competitor_client_id: str = "cli_sandbox_competitor"


@dataclass(frozen=True, slots=True)
class FileSettings:
    """Everything a config file may set, each ``None`` when the file does not say."""

    config: SandboxConfig
    snapshots: tuple[Path, ...] = ()
    host: str | None = None
    port: int | None = None
    now: str | None = None
    moving_clock: bool = False
    username: str | None = None
    password: str | None = None


_FILE_KEYS = {"business", "snapshot", "snapshots", "host", "port", "now", "clock", "online",
              "ruleset", "username", "password", "log_limit", "seed", "competitor_client_id",
              "faults"}


def load_config(path: str | Path) -> FileSettings:
    """Read a sandbox TOML file. Relative snapshot paths are read from the file's folder."""
    source = str(path)
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise br.InputError(source, "", "an existing TOML config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise br.InputError(source, "", f"a readable UTF-8 file ({exc.__class__.__name__})"
                            ) from None
    except tomllib.TOMLDecodeError as exc:
        raise br.InputError(source, "", f"valid TOML ({exc})") from None
    _known(data, _FILE_KEYS, source, "")
    snaps: list[Path] = []
    if "snapshot" in data:
        snaps.append(p.parent / _str(data["snapshot"], source, "snapshot"))
    for i, s in enumerate(data.get("snapshots", [])):
        snaps.append(p.parent / _str(s, source, f"snapshots[{i}]"))
    clock = data.get("clock", "fixed")
    if clock not in ("fixed", "moving"):
        raise br.InputError(source, "clock", "'fixed' or 'moving'", clock)
    online = data.get("online", False)
    if not isinstance(online, bool):
        raise br.InputError(source, "online", "true or false", online)
    config = SandboxConfig(
        business_id=_str(data.get("business", "demo"), source, "business"),
        online=online,
        ruleset=_str(data.get("ruleset", "phorest"), source, "ruleset"),
        faults=Faults.from_dict(data.get("faults", {}), source, "faults"),
        log_limit=_int(data.get("log_limit", 10_000), source, "log_limit", 1),
        seed=_int(data.get("seed", 0), source, "seed", 0),
        competitor_client_id=_str(data.get("competitor_client_id",
                                           "cli_sandbox_competitor"), source,
                                  "competitor_client_id"),
    )
    port = data.get("port")
    return FileSettings(
        config=config, snapshots=tuple(snaps),
        host=_str(data["host"], source, "host") if "host" in data else None,
        port=None if port is None else _int(port, source, "port", 0),
        now=_str(data["now"], source, "now") if "now" in data else None,
        moving_clock=clock == "moving",
        username=_str(data["username"], source, "username") if "username" in data else None,
        password=_str(data["password"], source, "password") if "password" in data else None,
    )


# --- small validators ---------------------------------------------------------------------


def _known(data: Mapping[str, Any], known: set[str], source: str, where: str) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise br.InputError(source, f"{where}.{key}" if where else str(key),
                                f"one of {', '.join(sorted(known))}{hint}")


def _int(value: object, source: str, where: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise br.InputError(source, where, f"a whole number, at least {low}", value)
    return value


def _number(value: object, source: str, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value) or not low <= value <= high:
        raise br.InputError(source, where, f"a number from {low:g} to {high:g}", value)
    return float(value)


def _str(value: object, source: str, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise br.InputError(source, where, "a non-empty string", value)
    return value
