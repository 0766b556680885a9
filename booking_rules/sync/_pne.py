"""The PNE sync: one PatientNow Essentials location into the cache, within a daily budget.

    with PneSyncer("co_lakeside", credentials=pne_from_environment(), store=cache.store,
                   clock=clock, budget=1000) as syncer:
        summary = syncer.poll()       # one line; summary.budget_spent when it stopped

PNE's gateway plan allows about a thousand requests a day per key (docs/pne.md), so the
budget is counted in the cache (``budget`` table), per ``pne``/location and UTC day, one
write *before* each request is sent (retries included): polls in one day, in one process
or several, never send more than the budget in total, and a process killed after counting
a request it never sent only errs on the safe side. Each list is fetched whole (every
``Page``) and then written in one transaction, so a poll stopped by the budget or a
failing list leaves every list as its last complete fetch.

The HTTP is the Phorest sync's ``Api`` (stamina retries, ``Retry-After``, transport
injection) with PNE's addressing: the gateway key as the ``apikey`` query parameter and
the user as HTTP Basic. None of the three secrets is printed, logged or stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec

from ..cache import Row, Store, StreamKey
from ._credentials import Credentials, Secret, read_credentials_text
from ._errors import AuthError, SetupError, StreamError, SyncError
from ._http import Api, RetryPolicy

PNE_BASE_URL = "https://api.envisiongo.com/api/v1"
PNE_BUSINESS = "pne"  # the cache's business part of a PNE key: the location is the branch
DEFAULT_DAILY_BUDGET = 1000
ENV_APIKEY, ENV_USERNAME, ENV_PASSWORD = "PNE_APIKEY", "PNE_USERNAME", "PNE_PASSWORD"
PAGE_ROWS = 100  # PNE's cap on Rows

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PneList:
    """One list of the location: the snapshot key, the path, the id field."""

    key: str
    path: str
    id_field: str
    by_company: bool = True  # sent CompanyId=<location>


# Cheapest and most needed first: a poll stopped by the budget has the reference lists.
PNE_LISTS: tuple[PneList, ...] = (
    PneList("Company", "companies", "CompanyId", by_company=False),
    PneList("Services", "services", "ServiceId"),
    PneList("Employees", "employees", "EmployeeId"),
    PneList("Products", "products", "ProductId"),
    PneList("Customers", "customers", "CustomerId"),
    PneList("Appointments", "appointments", "AppointmentId"),
)


@dataclass(frozen=True)
class PneCredentials:
    """The gateway key and the Basic user; ``source`` names where they came from."""

    apikey: Secret = field(repr=False)
    user: Credentials = field(repr=False)

    @property
    def source(self) -> str:
        return self.user.source

    @classmethod
    def of(cls, apikey: str, username: str, password: str,
           source: str = "the caller") -> PneCredentials:
        return cls(Secret(apikey), Credentials.of(username, password, source))


def pne_from_environment(environ: Mapping[str, str] | None = None) -> PneCredentials:
    env = os.environ if environ is None else environ
    names = (ENV_APIKEY, ENV_USERNAME, ENV_PASSWORD)
    missing = [n for n in names if not env.get(n)]
    if missing:
        raise SetupError(f"no PNE credentials: set {', '.join(missing)} (or name a file "
                         "with --credentials-file)")
    return PneCredentials.of(env[ENV_APIKEY], env[ENV_USERNAME], env[ENV_PASSWORD],
                             f"the environment ({'/'.join(names)})")


def pne_from_file(path: str | Path) -> PneCredentials:
    """A JSON object ``{"apikey", "username", "password"}``, or ``PNE_APIKEY=`` /
    ``PNE_USERNAME=`` / ``PNE_PASSWORD=`` lines (a ``.env`` file)."""
    name = str(path)
    text = read_credentials_text(path)
    values: dict[str, str] = {}
    if text.strip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            # A JSON error's message quotes the text around it: a secret.
            raise SetupError(f"credentials file {name}: not valid JSON") from None
        if isinstance(data, dict):
            values = {str(k).lower(): v for k, v in data.items() if isinstance(v, str)}
        found = (values.get("apikey"), values.get("username"), values.get("password"))
        expected = 'a JSON object {"apikey": ..., "username": ..., "password": ...}'
    else:
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, _, v = line.removeprefix("export ").partition("=")
                values[k.strip()] = v.strip().strip("'\"")
        found = (values.get(ENV_APIKEY), values.get(ENV_USERNAME), values.get(ENV_PASSWORD))
        expected = f"lines {ENV_APIKEY}=, {ENV_USERNAME}= and {ENV_PASSWORD}="
    apikey, user, password = found
    if not apikey or not user or not password:
        raise SetupError(f"credentials file {name}: expected {expected}")
    return PneCredentials.of(apikey, user, password, f"the file {name}")


class DailyBudgetSpent(SyncError):
    """Today's (UTC) request budget of the location is spent, or would be by the list
    under way: the poll stops, the lists fetched whole before it are kept."""

    def __init__(self, used: int, limit: int, note: str = "") -> None:
        self.used, self.limit = used, limit
        super().__init__(f"budget for today spent: {used} of {limit}"
                         + (f" ({note})" if note else "") + "; the rest waits for the "
                         "next UTC day")


class DailyBudget:
    """The location's requests of the UTC day, counted in the cache before each is sent."""

    def __init__(self, store: Store, location: str, limit: int, clock: Clock) -> None:
        self.store, self.location, self.limit, self.clock = store, location, limit, clock

    def used(self) -> int:
        with self.store.read() as r:
            return r.spent(PNE_BUSINESS, self.location, self.clock().date())

    def spend(self) -> None:
        day = self.clock().date()
        with self.store.write() as w:
            counted = w.spend(PNE_BUSINESS, self.location, day, self.limit)
        if counted is None:
            raise DailyBudgetSpent(self.limit, self.limit)


class PneApi(Api):
    """``Api`` addressed as PNE: ``{base}/{path}``, the key on the query string, the user
    as Basic, and the daily budget as the gate before every request."""

    def __init__(self, base_url: str, credentials: PneCredentials, budget: DailyBudget, *,
                 transport: httpx.BaseTransport | None = None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0,
                 clock: Clock | None = None) -> None:
        super().__init__(base_url, PNE_BUSINESS, credentials.user, transport=transport,
                         retry=retry, timeout=timeout, clock=clock,
                         query={"apikey": credentials.apikey.reveal()})
        self.daily = budget

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def label(self, path: str) -> str:
        return f"/{path}"

    def _before_request(self) -> None:
        self.daily.spend()

    def _auth_error(self, status: int, label: str) -> AuthError | None:
        if status == 401:
            return AuthError(f"GET {label}: HTTP 401: PNE refused the gateway key or the "
                             f"user from {self.credentials.source} (check PNE_APIKEY, "
                             "then the username and password)")
        if status == 403:
            return AuthError(f"GET {label}: HTTP 403: the credentials from "
                             f"{self.credentials.source} were accepted but may not read "
                             "this location")
        return None


_ROWS = msgspec.json.Decoder(list[msgspec.Raw])
_ANY = msgspec.json.Decoder()


@dataclass
class PnePollSummary:
    location: str
    lists: dict[str, int] = field(default_factory=dict)  # rows changed per list synced
    failed: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None  # the budget's message
    requests: int = 0
    used: int = 0
    limit: int = DEFAULT_DAILY_BUDGET

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None

    def __str__(self) -> str:
        done = ", ".join(f"{k} {n} changed" for k, n in self.lists.items()) or "nothing"
        line = (f"sync pne/{self.location}: {done}; {self.requests} requests, "
                f"{self.used} of {self.limit} today (UTC)")
        for key, message in self.failed.items():
            line += f"; {key} failed: {message}"
        if self.stopped:
            line += f"; {self.stopped}"
        return line


class PneSyncer:
    """Polls one PNE location into a store, within ``budget`` requests per UTC day."""

    def __init__(self, location: str, *, credentials: PneCredentials, store: Store,
                 clock: Clock, base_url: str = PNE_BASE_URL,
                 transport: httpx.BaseTransport | None = None,
                 budget: int = DEFAULT_DAILY_BUDGET, retry: RetryPolicy | None = None,
                 timeout: float = 30.0, rows: int = PAGE_ROWS) -> None:
        if budget < 1:
            raise SetupError("--budget: expected at least 1 request")
        self.location, self.store, self.clock = location, store, clock
        self.rows = rows
        self.budget = DailyBudget(store, location, budget, clock)
        self.api = PneApi(base_url, credentials, self.budget, transport=transport,
                          retry=retry, timeout=timeout, clock=clock)

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> PneSyncer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poll(self) -> PnePollSummary:
        """Fetch every list whole and store it; stop cleanly when the budget is spent."""
        summary = PnePollSummary(self.location, limit=self.budget.limit)
        before = self.api.requests
        try:
            for spec in PNE_LISTS:
                try:
                    summary.lists[spec.key] = self._sync(spec)
                except StreamError as exc:
                    summary.failed[spec.key] = str(exc)
                    with self.store.write() as w:
                        w.fail(self._key(spec), str(exc))
                    if spec.key == "Company":
                        break  # nothing else can be read as this location's
        except DailyBudgetSpent as exc:
            summary.stopped = str(exc)
        summary.requests = self.api.requests - before
        summary.used = self.budget.used()
        return summary

    def _key(self, spec: PneList) -> StreamKey:
        return StreamKey(PNE_BUSINESS, self.location, spec.key)

    def _pages(self, spec: PneList) -> list[bytes]:
        params: dict[str, Any] = {"CompanyId": self.location} if spec.by_company else {}
        raws: list[bytes] = []
        page = 1
        while True:
            response = self.api.get(spec.path, {**params, "Page": page, "Rows": self.rows},
                                    page=page)
            label = self.api.label(spec.path)
            if response.status_code == 404:
                raise StreamError(label, page, "HTTP 404 (not served here)")
            try:
                rows = [bytes(r) for r in _ROWS.decode(response.content)]
            except (msgspec.DecodeError, UnicodeDecodeError):
                raise StreamError(label, page, "the response is not a JSON array (a PNE "
                                  "page)") from None
            raws.extend(rows)
            pages = _header_int(response, "DataTotalPages")
            if len(rows) < self.rows or (pages is not None and page >= pages):
                return raws
            if pages is not None:
                # Stop before spending on a list the day's budget cannot finish.
                left = self.budget.limit - self.budget.used()
                if pages - page > left:
                    raise DailyBudgetSpent(
                        self.budget.used(), self.budget.limit,
                        f"{spec.key} needs {pages - page} more pages")
            page += 1

    def _sync(self, spec: PneList) -> int:
        raws = self._pages(spec)
        at = self.clock()
        key = self._key(spec)
        rows: list[Row] = []
        odd: list[tuple[int, bytes]] = []
        for i, raw in enumerate(raws):
            item = _ANY.decode(raw)
            ident = item.get(spec.id_field) if isinstance(item, dict) else None
            if not isinstance(ident, str | int) or isinstance(ident, bool) or ident == "":
                odd.append((i, raw))
            elif spec.key != "Company" or str(ident) == self.location:
                rows.append(Row(str(ident), raw))
        if spec.key == "Company" and not rows:
            raise SetupError(f"no PNE location {self.location!r} among the {len(raws)} "
                             "companies these credentials read (--location is a CompanyId)")
        with self.store.write() as w:
            changed = w.upsert(key, rows, at)
            w.mark_gone(key, {r.id for r in rows}, at)
            for i, raw in odd:
                w.quarantine(key, f"GET /{spec.path} row {i}", f"no {spec.id_field}", raw,
                             at)
            w.finish(key, at)
        return changed


def _header_int(response: httpx.Response, name: str) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return None
