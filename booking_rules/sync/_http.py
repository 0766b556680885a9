"""Talking to the Phorest API: base URLs, retries, the request budget, HAL paging.

Retries come from stamina (exponential backoff with jitter, bounded attempts and total
time; off in tests with ``stamina.set_testing``): a 429 waits what its ``Retry-After``
asks (bounded), a 5xx, a timeout or a dropped connection backs off. Every request sent,
retries included, counts against the poll's budget.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import msgspec
import stamina

from ._credentials import Credentials
from ._errors import AuthError, BudgetExhausted, SetupError, StreamError

_PATH = "/third-party-api-server/api/business"
BASE_URLS: dict[str, str] = {
    # phorest_api.md §1.1: api-gateway-{eu,us} and platform(-us) are aliases.
    "eu": f"https://api-gateway-eu.phorest.com{_PATH}",
    "us": f"https://api-gateway-us.phorest.com{_PATH}",
    "dev": f"https://api-gateway-dev.phorest.com{_PATH}",
}
DEFAULT_BASE_URL = BASE_URLS["eu"]


def resolve_base_url(text: str) -> str:
    """``eu``/``us``/``dev`` or a URL (a sandbox); one clear SetupError otherwise."""
    named = BASE_URLS.get(text.strip().lower())
    if named is not None:
        return named
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SetupError(f"--base-url: expected eu, us, dev or an http(s) URL such as "
                         f"{DEFAULT_BASE_URL}, got {_safe_url(text)!r}")
    if parts.username is not None or parts.password is not None:
        # Never echo it: the part before @ may be the password.
        raise SetupError("--base-url: credentials do not go in the URL; use "
                         "PHOREST_USERNAME/PHOREST_PASSWORD or --credentials-file")
    if parts.query or parts.fragment:
        raise SetupError(f"--base-url: expected a URL without ?query or #fragment, got "
                         f"{_safe_url(text)!r}")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise SetupError("--base-url: plain http would send the password in clear; use "
                         "https (http is accepted for localhost/127.0.0.1 only)")
    return text.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _safe_url(text: str) -> str:
    parts = urlsplit(text)
    if "@" in parts.netloc:
        return text.replace(parts.netloc, "***@" + parts.netloc.rsplit("@", 1)[1])
    return text


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds of the retries of one request."""

    attempts: int = 6
    timeout: float = 180.0  # seconds of retrying one request, in all
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    max_retry_after: float = 120.0  # a longer Retry-After is capped to this


class _Retryable(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


def _retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(slots=True)
class Page:
    """One page of a list: the items' raw JSON (as received) and decoded."""

    number: int
    raws: list[bytes]
    items: list[Any]
    last: bool


_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw] | list[msgspec.Raw])
_EMBEDDED = msgspec.json.Decoder(dict[str, msgspec.Raw] | list[msgspec.Raw])
_ROWS = msgspec.json.Decoder(list[msgspec.Raw])
_ANY = msgspec.json.Decoder()


class Api:
    """One business on one base URL, with credentials, retries and a request budget."""

    def __init__(self, base_url: str, business: str, credentials: Credentials, *,
                 transport: httpx.BaseTransport | None = None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0,
                 clock: Any = None, query: Mapping[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.business = business
        self.credentials = credentials
        self.retry = retry or RetryPolicy()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._client = httpx.Client(auth=credentials.auth(), transport=transport,
                                    timeout=timeout, follow_redirects=False,
                                    headers={"Accept": "application/json"},
                                    params=dict(query or {}))
        self.requests = 0  # every request sent, retries included
        self.retried = 0
        self.waited_for_retry_after = 0.0  # seconds asked by 429s (not slept in tests)
        self.budget: int | None = None

    def close(self) -> None:
        self._client.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.business}/{path}"

    def label(self, path: str) -> str:
        """The endpoint as messages name it: never the base URL's query (a key)."""
        return f"/{self.business}/{path}"

    def _retry_on(self, exc: Exception) -> bool | float:
        if isinstance(exc, _Retryable):
            self.retried += 1
            if exc.retry_after is not None:
                wait = min(exc.retry_after, self.retry.max_retry_after)
                self.waited_for_retry_after += wait
                return wait
            return True
        if isinstance(exc, httpx.TransportError):  # timeouts, dropped connections, ...
            self.retried += 1
            return True
        return False

    def get(self, path: str, params: Mapping[str, Any], *, page: int | None,
            retry: RetryPolicy | None = None) -> httpx.Response:
        """One GET, retried; the response has a status below 400 (or 404)."""
        policy = retry or self.retry
        label = self.label(path)
        try:
            for attempt in stamina.retry_context(
                    on=self._retry_on, attempts=policy.attempts, timeout=policy.timeout,
                    wait_initial=policy.wait_initial, wait_max=policy.wait_max,
                    wait_jitter=policy.wait_jitter):
                with attempt:
                    self._before_request()
                    self.requests += 1
                    response = self._client.get(self.url(path), params=dict(params))
                    if response.status_code == 429 or response.status_code >= 500:
                        response.close()
                        raise _Retryable(response.status_code, _retry_after(
                            response.headers.get("Retry-After"), self._clock()))
        except _Retryable as exc:
            raise StreamError(label, page, f"HTTP {exc.status} after {policy.attempts} "
                              "attempts (retries exhausted)") from None
        except httpx.TimeoutException as exc:
            raise StreamError(label, page, f"timed out after {policy.attempts} attempts "
                              f"({exc.__class__.__name__})") from None
        except httpx.TransportError as exc:
            raise StreamError(label, page, f"connection failed after {policy.attempts} "
                              f"attempts ({exc.__class__.__name__})") from None
        status = response.status_code
        refused = self._auth_error(status, label)
        if refused is not None:
            raise refused
        if 300 <= status < 400:
            raise StreamError(label, page, f"HTTP {status} redirect (not followed: the "
                              "base URL may be wrong)")
        if status >= 400 and status != 404:
            raise StreamError(label, page, f"HTTP {status}: {_detail(response)}")
        return response

    def _before_request(self) -> None:
        """Called before every request sent, retries included: the budget's gate (a
        platform with a budget kept elsewhere overrides it)."""
        if self.budget is not None and self.requests >= self.budget:
            raise BudgetExhausted(self.budget)

    def _auth_error(self, status: int, label: str) -> AuthError | None:
        """What a 401/403 means, naming where the credentials came from, never them."""
        if status == 401:
            hint = self.credentials.username_hint
            return AuthError(
                f"GET {label}: HTTP 401: Phorest refused the username and password from "
                f"{self.credentials.source}" + (f"; {hint}" if hint else
                                                "; check the password"))
        if status == 403:
            return AuthError(
                f"GET {label}: HTTP 403: the credentials from {self.credentials.source} "
                f"were accepted but may not read business {self.business} (ask Phorest "
                "support to grant this API user access)")
        return None

    def pages(self, path: str, params: Mapping[str, Any], keys: tuple[str, ...], *,
              start: int = 0, size: int = 100, paged: bool = True) -> Iterator[Page]:
        """The pages of a list from page ``start``, each checked for its shape."""
        label = f"/{self.business}/{path}"
        number = start
        while True:
            query = {**params, "page": number, "size": size} if paged else dict(params)
            response = self.get(path, query, page=number)
            if response.status_code == 404:
                raise StreamError(label, number, "HTTP 404 (not served here)")
            page = read_page(response.content, keys, label, number, size)
            yield page
            if page.last or not paged:
                return
            number += 1


def _detail(response: httpx.Response) -> str:
    """A short, safe reading of an error body (Phorest's ``detail``/``message``)."""
    try:
        body = response.json()
    except ValueError:
        return "a non-JSON error body"
    if isinstance(body, dict):
        for name in ("detail", "message", "errorCode"):
            value = body.get(name)
            if isinstance(value, str):
                return value[:200]
    return "an error body without detail"


def read_page(content: bytes, keys: tuple[str, ...], label: str, number: int,
              size: int) -> Page:
    """A HAL page's items, or a StreamError naming the endpoint, the page and the need.

    ``_embedded.<key>`` (any of ``keys``, or the only key present), a bare ``_embedded``
    array (older changelogs), no ``_embedded`` on an empty page (Spring omits it), or a
    bare list (the unpaged work timetable). The last page: ``page.number >= totalPages-1``,
    else no ``_links.next``, else a short page.
    """
    def bad(need: str) -> StreamError:
        return StreamError(label, number, f"the response is not {need}")

    try:
        top = _TOP.decode(content)
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise bad("JSON") from None
    if isinstance(top, list):
        raws = [bytes(r) for r in top]
        return Page(number, raws, [_ANY.decode(r) for r in raws], True)
    info = _ANY.decode(top["page"]) if "page" in top else None
    if info is not None and not isinstance(info, dict):
        raise bad("a HAL page (page is not an object)")
    if "_embedded" not in top:
        if info is None:
            raise bad(f"a HAL page (no _embedded.{keys[0]} and no page)")
        return Page(number, [], [], True)
    try:
        embedded = _EMBEDDED.decode(top["_embedded"])
    except msgspec.DecodeError:
        raise bad("a HAL page (_embedded is neither an object nor a list)") from None
    if isinstance(embedded, dict):
        name = next((k for k in keys if k in embedded), None)
        if name is None and len(embedded) == 1:
            name = next(iter(embedded))
        if name is None:
            if not embedded:
                return Page(number, [], [], True)
            raise bad(f"a HAL page with _embedded.{' or _embedded.'.join(keys)}")
        try:
            rows = _ROWS.decode(embedded[name])
        except msgspec.DecodeError:
            raise bad(f"a HAL page (_embedded.{name} is not a list)") from None
    else:
        rows = embedded
    raws = [bytes(r) for r in rows]
    items = [_ANY.decode(r) for r in raws]
    links = _ANY.decode(top["_links"]) if "_links" in top else None
    has_next = isinstance(links, dict) and isinstance(links.get("next"), dict)
    last: bool
    if info is not None and isinstance(info.get("totalPages"), int) and isinstance(
            info.get("number"), int):
        last = info["number"] >= info["totalPages"] - 1
    elif links is not None:
        last = not has_next
    else:
        last = len(rows) < size
    return Page(number, raws, items, last)
