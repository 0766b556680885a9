"""A small in-process Phorest for the sync's tests: HAL pages from a snapshot document.

It serves the read endpoints of SANDBOX.md (same paths, snake_case filters, 0-based
``page``, ``size`` ≤ 100, 31-day windows, ``fetch_canceled``/``fetch_deleted``, Basic auth),
stamps every appointment with ``version`` and ``updatedAt``, and injects faults on demand.
The lead will swap it for the real sandbox; its whole interface is ``FakePhorest(doc, ...)``
(or ``make_transport(doc, ...)``), the mutators, ``faults`` and ``log``.
"""

from __future__ import annotations

import base64
import copy
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

BUSINESS = "biz_qs"
USERNAME = "global/owner@queenst.example"
PASSWORD = "pw-Zq8-sekret-4711"  # distinctive, so a leak is found by grep
BASE_URL = "https://fake-phorest.example/third-party-api-server/api/business"
PREFIX = "/third-party-api-server/api/business"

# stream (snapshot key) -> path under the branch (None: business level), _embedded key
_LISTS: dict[str, tuple[str | None, str]] = {
    "staff": ("staff", "staffs"),
    "services": ("service", "services"),
    "rooms": ("room", "rooms"),
    "machines": ("machine", "machines"),
    "specialOffers": ("service-special-offer", "specialOffers"),
    "courses": ("course", "courses"),
    "clientCourses": (None, "clientCourses"),
    "clients": (None, "clients"),
}
_BUSINESS_PATHS = {"clientcourse": "clientCourses", "client": "clients"}


class Killed(Exception):
    """Raised by the transport to stand for a sync killed mid-way (not retried)."""


@dataclass
class Faults:
    """What goes wrong, counted over every request the fake receives."""

    rate_limit_next: int = 0  # the next N requests answer 429 (a storm)
    rate_limit_every: int = 0  # every Nth request answers 429
    retry_after: str = "2"
    server_error_every: int = 0  # every Nth request answers 503
    drop_every: int = 0  # every Nth request: the connection drops mid-page
    kill_after: int | None = None  # request N+1 raises Killed
    kill_on: tuple[str, int] | None = None  # asking for (path end, page) raises Killed
    bad_pages: dict[tuple[str, int], bytes] = field(default_factory=dict)  # (path end, page)


@dataclass
class Logged:
    path: str
    params: dict[str, str]
    status: int | str


def _ms(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{instant.microsecond // 1000:03d}Z"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _items(value: Any, key: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, dict):
        embedded = value.get("_embedded") or {}
        return list(embedded.get(key) or next(iter(embedded.values()), []))
    return list(value)


class FakePhorest:
    """One business with one branch, seeded from a snapshot document."""

    def __init__(self, doc: dict[str, Any], *, clock: Callable[[], datetime],
                 business: str = BUSINESS, username: str = USERNAME,
                 password: str = PASSWORD, faults: Faults | None = None,
                 other_branches: int = 1) -> None:
        doc = copy.deepcopy(doc)
        self.clock = clock
        self.business = business
        self.faults = faults or Faults()
        self.log: list[Logged] = []
        self._auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.branch: dict[str, Any] = {**doc["branch"], "currencyCode": "CAD"}
        self.branch_id: str = self.branch["branchId"]
        # Another branch of the same business, so "unknown branch" is told from "one".
        self.branches = [self.branch] + [
            {"branchId": f"br_other_{i}", "name": f"Other {i}", "timeZone": "UTC"}
            for i in range(other_branches)]
        stamp = _ms(clock() - timedelta(days=30))
        self.lists: dict[str, list[dict[str, Any]]] = {
            name: _items(doc.get(name), _LISTS[name][1]) for name in _LISTS if name in doc}
        self.timetables = _items(doc.get("workTimeTables"), "workTimeTables")
        self.breaks = _items(doc.get("breaks"), "breaks")
        self.appointments: dict[str, dict[str, Any]] = {}
        for row in _items(doc.get("appointments"), "appointments"):
            row.setdefault("version", 1)
            row.setdefault("updatedAt", stamp)
            self.appointments[row["appointmentId"]] = row
        self.conventions = doc.get("conventions")
        self.transport = httpx.MockTransport(self.handle)
        self._count = 0
        self._changes = 0  # bumped by every write, so memoized queries are dropped
        self._memo: dict[tuple[tuple[str, str], ...], tuple[Any, list[dict[str, Any]]]] = {}

    # --- what the tests change ---------------------------------------------------------

    def _stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        self._changes += 1
        row["version"] = int(row.get("version") or 0) + 1
        row["updatedAt"] = _ms(self.clock())
        return row

    def put_appointment(self, row: dict[str, Any]) -> dict[str, Any]:
        """Book (a new id) or change an appointment: its version grows, updatedAt is now."""
        old = self.appointments.get(row["appointmentId"], {})
        new = self._stamp({**old, **row, "version": old.get("version", 0)})
        self.appointments[row["appointmentId"]] = new
        return new

    def put_raw(self, row: dict[str, Any]) -> None:
        """Serve ``row`` exactly as given (no new version or stamp): a lagging replica."""
        self._changes += 1
        self.appointments[row["appointmentId"]] = row

    def move(self, appointment_id: str, day: str, start: str, end: str,
             staff_id: str | None = None) -> dict[str, Any]:
        row = dict(self.appointments[appointment_id], appointmentDate=day, startTime=start,
                   endTime=end)
        if staff_id:
            row["staffId"] = staff_id
        return self.put_appointment(row)

    def cancel(self, appointment_id: str) -> dict[str, Any]:
        return self.put_appointment({**self.appointments[appointment_id],
                                     "activationState": "CANCELED"})

    def delete(self, appointment_id: str) -> dict[str, Any]:
        return self.put_appointment({**self.appointments[appointment_id], "deleted": True})

    def state(self) -> dict[str, Any]:
        """The business's current data as a snapshot document (the sandbox's export)."""
        doc: dict[str, Any] = {"branch": copy.deepcopy(self.branch)}
        if self.conventions is not None:
            doc["conventions"] = self.conventions
        doc.update({k: copy.deepcopy(v) for k, v in self.lists.items()})
        doc["workTimeTables"] = copy.deepcopy(self.timetables)
        doc["breaks"] = copy.deepcopy(self.breaks)
        doc["appointments"] = [copy.deepcopy(a) for a in self.appointments.values()]
        return doc

    # --- the HTTP side -----------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self._count += 1
        n = self._count
        path = request.url.path
        params = dict(request.url.params)
        f = self.faults

        def logged(status: int | str) -> None:
            self.log.append(Logged(path, params, status))

        if f.kill_after is not None and n > f.kill_after:
            logged("killed")
            raise Killed(f"sync killed at request {n}")
        if f.kill_on is not None and path.endswith(f.kill_on[0]) and params.get(
                "page") == str(f.kill_on[1]):
            logged("killed")
            raise Killed(f"sync killed asking for {path} page {f.kill_on[1]}")
        if f.drop_every and n % f.drop_every == 0:
            logged("dropped")
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body", request=request)
        if f.rate_limit_next > 0 or (f.rate_limit_every and n % f.rate_limit_every == 0):
            f.rate_limit_next = max(0, f.rate_limit_next - 1)
            logged(429)
            return httpx.Response(429, headers={"Retry-After": f.retry_after}, json={
                "statusCode": 429, "detail": "Request rate limit exceeded"})
        if f.server_error_every and n % f.server_error_every == 0:
            logged(503)
            return httpx.Response(503, text="upstream unavailable")
        if request.headers.get("Authorization") != self._auth:
            logged(401)
            return httpx.Response(401, json={"statusCode": 401, "detail": "Unauthorized"})
        for (end, page), body in f.bad_pages.items():
            if path.endswith(end) and params.get("page", "0") == str(page):
                logged("bad")
                return httpx.Response(200, content=body,
                                      headers={"Content-Type": "text/html"})
        try:
            response = self._route(path, params)
        except _Refused as exc:
            response = httpx.Response(exc.status, json={"statusCode": exc.status,
                                                        "detail": exc.detail})
        logged(response.status_code)
        return response

    def _route(self, path: str, params: dict[str, str]) -> httpx.Response:
        if not path.startswith(f"{PREFIX}/{self.business}/"):
            raise _Refused(404, "Not Found")
        parts = path[len(f"{PREFIX}/{self.business}/"):].strip("/").split("/")
        if parts == ["branch"]:
            return self._page(self.branches, "branches", params)
        if len(parts) == 1 and parts[0] in _BUSINESS_PATHS:
            stream = _BUSINESS_PATHS[parts[0]]
            return self._page(self.lists.get(stream, []), _LISTS[stream][1], params)
        if len(parts) < 3 or parts[0] != "branch" or parts[1] not in {
                b["branchId"] for b in self.branches}:
            raise _Refused(404, "Not Found")
        if parts[1] != self.branch_id:
            return self._page([], "appointments", params)
        rest = "/".join(parts[2:])
        if rest == "appointment":
            return self._appointments(params)
        if rest == "break":
            lo, hi = self._dates(params, required=True)
            rows = [b for b in self.breaks if lo <= b["breakDate"] <= hi]
            for name, fld in (("staff_id", "staffId"), ("room_id", "roomId"),
                              ("machine_id", "machineId")):
                if name in params:
                    rows = [b for b in rows if b.get(fld) == params[name]]
            return self._page(sorted(rows, key=lambda b: (b["breakDate"], b["breakId"])),
                              "breaks", params)
        if rest == "staff/worktimetable":
            lo, hi = self._dates(params, required=True)
            rows = []
            for t in self.timetables:
                slots = [s for s in t.get("timeSlots", []) if lo <= s["date"] <= hi]
                rows.append({**t, "timeSlots": slots})
            # Documented as unpaged: every row, one page.
            return httpx.Response(200, json={"_embedded": {"workTimeTables": rows}, "page": {
                "size": len(rows), "totalElements": len(rows), "totalPages": 1, "number": 0}})
        for stream, (sub, key) in _LISTS.items():
            if sub == rest:
                rows = self.lists.get(stream)
                if rows is None:
                    raise _Refused(404, "Not Found")
                if stream == "staff" and params.get("fetch_archived") != "true":
                    rows = [r for r in rows if not r.get("archived")]
                return self._page(rows, key, params)
        raise _Refused(404, "Not Found")

    def _dates(self, params: dict[str, str], *, required: bool) -> tuple[str, str]:
        if "from_date" not in params or "to_date" not in params:
            if required:
                raise _Refused(400, "from_date and to_date are required")
            return "", "9999"
        try:
            lo, hi = date.fromisoformat(params["from_date"]), date.fromisoformat(
                params["to_date"])
        except ValueError:
            raise _Refused(400, "dates are yyyy-MM-dd") from None
        if hi < lo or (hi - lo).days > 31:
            raise _Refused(400, "Max date range allowed is 31 days")
        return lo.isoformat(), hi.isoformat()

    def _appointments(self, params: dict[str, str]) -> httpx.Response:
        # The filtered list of a query is kept while the data and the filters stay the
        # same, so paging through a 100k branch does not filter it once per page.
        query = tuple(sorted((k, v) for k, v in params.items() if k not in ("page", "size")))
        state = (len(self.appointments), self._changes)
        memo = self._memo.get(query)
        if memo is None or memo[0] != state:
            memo = self._memo[query] = (state, self._filter(params))
            if len(self._memo) > 8:
                self._memo.pop(next(iter(self._memo)))
        return self._page(memo[1], "appointments", params)

    def _filter(self, params: dict[str, str]) -> list[dict[str, Any]]:
        rows = list(self.appointments.values())
        if "updated_from" in params or "updated_to" in params:
            try:
                lo, hi = _instant(params["updated_from"]), _instant(params["updated_to"])
            except (KeyError, ValueError):
                raise _Refused(400, "updated_from and updated_to are date-times") from None
            if hi < lo or hi - lo > timedelta(days=31):
                raise _Refused(400, "Max date range allowed is 31 days")
            rows = [a for a in rows if lo <= _instant(a["updatedAt"]) <= hi]
            rows.sort(key=lambda a: (a["updatedAt"], a["appointmentId"]))
        elif "from_date" in params:
            d0, d1 = self._dates(params, required=True)
            rows = [a for a in rows if d0 <= a["appointmentDate"] <= d1]
            rows.sort(key=lambda a: (a["appointmentDate"], a["startTime"],
                                     a["appointmentId"]))
        else:
            raise _Refused(400, "from_date/to_date or updated_from/updated_to are required")
        if params.get("fetch_canceled") != "true":
            rows = [a for a in rows if a.get("activationState") != "CANCELED"]
        if params.get("fetch_deleted") != "true":
            rows = [a for a in rows if not a.get("deleted")]
        for name, fld in (("staff_id", "staffId"), ("client_id", "clientId")):
            if name in params:
                rows = [a for a in rows if a.get(fld) == params[name]]
        return rows

    def _page(self, rows: list[dict[str, Any]], key: str,
              params: dict[str, str]) -> httpx.Response:
        try:
            number, size = int(params.get("page", "0")), int(params.get("size", "20"))
        except ValueError:
            raise _Refused(400, "page and size are numbers") from None
        if size > 100 or size < 1 or number < 0:
            raise _Refused(400, "size is at most 100")
        total = len(rows)
        pages = max(1, math.ceil(total / size))
        chunk = rows[number * size:(number + 1) * size]
        body: dict[str, Any] = {
            "page": {"size": size, "totalElements": total, "totalPages": pages,
                     "number": number},
            "_links": {"self": {"href": f"?page={number}&size={size}"}},
        }
        if chunk:  # Spring HATEOAS leaves _embedded out of an empty page
            body["_embedded"] = {key: chunk}
        if number < pages - 1:
            body["_links"]["next"] = {"href": f"?page={number + 1}&size={size}"}
        return httpx.Response(200, content=json.dumps(body).encode(),
                              headers={"Content-Type": "application/hal+json"})


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status, self.detail = status, detail
        super().__init__(detail)


def make_transport(doc: dict[str, Any], *, clock: Callable[[], datetime],
                   **knobs: Any) -> httpx.MockTransport:
    """A transport serving ``doc`` as Phorest would (knobs: see ``FakePhorest``)."""
    return FakePhorest(doc, clock=clock, **knobs).transport
