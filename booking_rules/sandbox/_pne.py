"""A local PatientNow Essentials (and VISH): PNE's booking paths and shapes, a location
seeded from a PNE snapshot, every write decided by the same engine as ``check``.

    app = create_pne_app(doc, clock=clock)          # an ASGI app: uvicorn, or in-process
    with LocalPneSandbox("docs/examples/pne_location.json", now=now) as sb:
        sb.client.get("/services", params={"CompanyId": "co_lakeside"})

Paths under ``/api/v1`` (PNE's base ``https://api.envisiongo.com/api/v1``), each needing
the gateway key as the ``apikey`` query parameter **and** HTTP Basic credentials (401
otherwise, naming which was wrong: the real body is not documented). Lists page with
``Page`` (1-based) and ``Rows`` (at most 100), with ``DataTotalRows``/``DataTotalPages``
headers and a bare JSON array body.

- ``GET /status``; ``GET /companies`` (the one location); ``GET /services``,
  ``/employees``, ``/products``, ``/customers`` (the
  customer search fields), ``/appointments``, ``/orders``, ``/orders/{id}``;
- ``GET /appointments/ShowAvailable`` (all four parameters required), computed by
  ``booking_rules.find_slots`` with the PNE ruleset;
- ``POST /appointments``, ``POST /orders``: checked by ``pne.check`` at the sandbox clock.
  A refusal is a 409 when every error is a conflict with another appointment (the
  employee or the customer already booked), else a 400; the body is the sandbox's own
  (PNE's is not published): ``{"Message", "Errors": [{"Code", "Field", "Message"}]}``,
  with the codes in ``X-Booking-Rules-Codes``. Accepted: 200 ``{"id": "..."}``, stored at
  once (an overlay of the snapshot), so the same slot is refused the second time;
- ``POST /customers/{id}/Appointments`` (``StartDate``/``EndDate``) and ``/Purchases``:
  reads that are POSTs, as PNE's are.

VISH mode (``vish=True``): ``POST /appointments`` is a 405 naming the subset;
``ShowAvailable``, customers and products are 404. ``daily_budget``: the gateway's request
budget per (sandbox clock) day; over it, 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import copy
import hmac
import itertools
import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

import booking_rules as br
from booking_rules.platforms import pne  # the platform's package face, as Phorest's _adapter

from .. import _json as _reader  # the bounded file reader (README "Input limits")
from ._clock import SandboxClock
from ._transport import transport

PNE_ROOT = "/api/v1"
_CONFLICTS = frozenset({"EMPLOYEE_DOUBLE_BOOKED", "CUSTOMER_ALREADY_BOOKED"})
Row = dict[str, Any]


@dataclass(frozen=True)
class PneCredentials:
    """The gateway key and the Basic user the sandbox accepts. Neither secret appears in
    a repr, a log entry or an error message."""

    apikey: str = field(default="sandbox-key", repr=False)
    username: str = "sandbox"
    password: str = field(default="sandbox", repr=False)


DEFAULT_PNE_CREDENTIALS = PneCredentials()


class PneState:
    """One location: its snapshot document, the overlay snapshot the engine checks
    against, and the appointments and orders written to it (guarded by one lock)."""

    def __init__(self, doc: Mapping[str, Any], *, source: str = "snapshot") -> None:
        self.doc = copy.deepcopy(dict(doc))
        self.base = pne.load_snapshot(self.doc)
        self.snapshot = self.base
        self.location = self.base.branch.id
        self.lock = threading.Lock()
        self.orders: list[Row] = []
        self._seq = itertools.count(1)
        self.source = source

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_sbx_{next(self._seq):04d}"

    def rows(self, key: str) -> list[Row]:
        value = self.doc.get(key) or []
        out: list[Row] = []
        for item in value:
            if isinstance(item, dict) and "Data" in item and "Page" in item:
                out.extend(item["Data"])
            else:
                out.append(item)
        return out

    def add_appointment(self, row: Row) -> None:
        """Store an accepted appointment: in the document and in the overlay at once."""
        made = pne.read_appointments([row], self.snapshot, "stored appointment")
        self.doc["Appointments"] = [*self.rows("Appointments"), row]
        self.snapshot = self.snapshot.with_changes(made)


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None,
                 errors: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.headers = dict(headers or {})
        self.errors = list(errors)


def _json(body: object, status: int = 200, headers: Mapping[str, str] | None = None
          ) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status_code=status,
                    headers=dict(headers or {}), media_type="application/json")


def _page(request: Request, rows: Sequence[Row]) -> Response:
    q = request.query_params
    page = _int(q.get("Page"), "Page", 1, 1, None)
    size = _int(q.get("Rows"), "Rows", 100, 1, 100)
    total = len(rows)
    pages = math.ceil(total / size)
    chunk = list(rows[(page - 1) * size:page * size])
    return _json(chunk, headers={"DataTotalRows": str(total), "DataTotalPages": str(pages)})


def _int(value: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _Refused(400, f"{name} must be a whole number, got {value!r}") from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _Refused(400, f"{name} must be {bound}, got {number}")
    return number


def _active(request: Request, rows: Sequence[Row]) -> list[Row]:
    wanted = request.query_params.get("IsActive")
    if wanted is None:
        return list(rows)
    flag = wanted.strip().lower() == "true"
    return [r for r in rows if bool(r.get("IsActive", True)) is flag]


def _company(request: Request, state: PneState) -> None:
    given = request.query_params.get("CompanyId")
    if given is not None and given != state.location:
        raise _Refused(404, f"Company {given} not found")


class _Api:
    def __init__(self, state: PneState, clock: Callable[[], datetime], vish: bool) -> None:
        self.state, self.clock, self.vish = state, clock, vish

    async def status(self, request: Request) -> Response:
        return _json({"Status": "OK", "Sandbox": True, "Api": "VISH" if self.vish else "PNE"})

    def listing(self, key: str, pne_only: bool = False) -> Callable[[Request], Any]:
        async def read(request: Request) -> Response:
            if pne_only and self.vish:
                raise _Refused(404, f"/{key.lower()} is not part of VISH")
            _company(request, self.state)
            return _page(request, _active(request, self.state.rows(key)))
        return read

    async def companies(self, request: Request) -> Response:
        # The one location this sandbox holds, as PNE lists the companies a key reads.
        return _page(request, [self.state.doc["Company"]])

    async def customers(self, request: Request) -> Response:
        if self.vish:
            raise _Refused(404, "/customers is not part of VISH")
        q = request.query_params
        rows = [r for r in self.state.rows("Customers")
                if all(str(r.get(k, "")).lower() == q[k].lower()
                       for k in ("FirstName", "LastName", "Email", "MobilePhone") if k in q)]
        return _page(request, rows)

    async def appointments(self, request: Request) -> Response:
        _company(request, self.state)
        q = request.query_params
        rows = [r for r in self.state.rows("Appointments")
                if all(r.get(k) == q[k] for k in ("EmployeeId", "CustomerId") if k in q)]
        return _page(request, rows)

    async def show_available(self, request: Request) -> Response:
        if self.vish:
            raise _Refused(404, "ShowAvailable is not part of VISH")
        q = request.query_params
        missing = [k for k in ("CompanyId", "EmployeeId", "ServiceId", "StartDate")
                   if not q.get(k)]
        if missing:
            raise _Refused(400, f"ShowAvailable needs {', '.join(missing)} (all four of "
                           "CompanyId, EmployeeId, ServiceId and StartDate are required)")
        snap = self.state.snapshot
        for key, known in (("EmployeeId", snap.staff), ("ServiceId", snap.services)):
            if q[key] not in known:
                raise _Refused(404, f"{key} {q[key]} not found")
        try:
            found = pne.show_available(
                snap, employee_id=q["EmployeeId"], service_id=q["ServiceId"],
                start_date=q["StartDate"], now=self.clock(), company_id=q["CompanyId"])
        except br.InputError as exc:
            raise _Refused(400, f"{exc.path}: expected {exc.expected}") from None
        return _json(found)

    async def book(self, request: Request) -> Response:
        if self.vish:
            raise _Refused(405, f"{pne.VISH_NOTE}: this API is VISH")
        body = await _body(request)
        with self.state.lock:
            report = self._check(body, "appointment")
            row = {k: body.get(k) for k in pne.APPOINTMENT_FIELDS if k in body}
            appointment_id = self.state.new_id("ap")
            row = {"AppointmentId": appointment_id, **row, "Status": "Booked"}
            wall = pne.read_wall(body.get("StartDate"), self.state.snapshot.zone)
            assert wall is not None  # the check passed, so the start was read
            row["StartDate"] = wall.wall.strftime("%Y-%m-%dT%H:%M:%S")
            self.state.add_appointment(row)
        return _json({"id": appointment_id}, headers=_verdict(report))

    async def order(self, request: Request) -> Response:
        body = await _body(request)
        with self.state.lock:
            report = self._check(body, "order")
            order_id = self.state.new_id("ord")
            stored = {"OrderId": order_id, "OrderNumber": str(len(self.state.orders) + 1),
                      **copy.deepcopy(body)}
            self.state.orders.append(stored)
        return _json({"id": order_id}, headers=_verdict(report))

    def _check(self, body: Mapping[str, Any], kind: str) -> br.Report:
        try:
            report = pne.check(self.state.snapshot, {"kind": kind, "body": body},
                               now=self.clock(), source="request body")
        except br.InputError as exc:
            path = exc.path.removeprefix("body.").removeprefix("body")
            raise _Refused(400, f"{path or 'the body'}: expected {exc.expected}") from None
        if report.verdict == "PASS":
            return report
        errors = [*report.violations, *report.unknowns]
        codes = [v.code for v in errors]
        status = 409 if codes and set(codes) <= _CONFLICTS else 400
        raise _Refused(status, "The request is invalid." if status == 400 else
                       "The time is not available.",
                       {"X-Booking-Rules-Verdict": report.verdict,
                        "X-Booking-Rules-Codes": ",".join(dict.fromkeys(codes))},
                       [{"Code": v.code, "Field": v.location, "Message": v.message}
                        for v in errors])

    async def orders(self, request: Request) -> Response:
        q = request.query_params
        rows = [o for o in self.state.orders
                if all(o.get(k) == q[k] for k in ("CustomerId", "CompanyId") if k in q)]
        return _page(request, rows)

    async def order_by_id(self, request: Request) -> Response:
        wanted = request.path_params["order_id"]
        for o in self.state.orders:
            if o["OrderId"] == wanted:
                return _json(o)
        raise _Refused(404, f"Order {wanted} not found")

    async def customer_appointments(self, request: Request) -> Response:
        customer = self._customer(request)
        q = request.query_params
        lo, hi = _day(q.get("StartDate"), date.min), _day(q.get("EndDate"), date.max)
        snap = self.state.snapshot
        out = []
        for r in self.state.rows("Appointments"):
            wall = pne.read_wall(r.get("StartDate"), snap.zone)
            if r.get("CustomerId") != customer or wall is None or str(
                    r.get("Status") or "").strip().lower() in pne.CANCELLED_STATUSES:
                continue  # cancelled ones are /CancelledAppointments' (not served)
            if not lo <= wall.wall.date() <= hi:
                continue
            svc, emp = snap.services.get(r.get("ServiceId") or ""), snap.staff.get(
                r.get("EmployeeId") or "")
            out.append({"AppointmentId": r["AppointmentId"], "StartDate": r["StartDate"],
                        "Service": svc.name if svc else r.get("ServiceId"),
                        "Employee": emp.name if emp else r.get("EmployeeId"),
                        "ServiceId": r.get("ServiceId"), "EmployeeId": r.get("EmployeeId")})
        return _page(request, sorted(out, key=lambda x: str(x["StartDate"])))

    async def customer_purchases(self, request: Request) -> Response:
        customer = self._customer(request)
        products = self.state.snapshot.records.products
        services = self.state.snapshot.services
        out = []
        for o in self.state.orders:
            if o.get("CustomerId") != customer:
                continue
            for line in o.get("LineItems") or []:
                item = str(line.get("ItemId"))
                name = (products[item].name if item in products else
                        services[item].name if item in services else item)
                out.append({"OrderId": o["OrderId"], "OrderNumber": o["OrderNumber"],
                            "Item": name, "OrderDate": o.get("OrderDate"),
                            "Qty": line.get("Qty"), "Amount": line.get("ExtendedPrice")})
        return _page(request, out)

    def _customer(self, request: Request) -> str:
        if self.vish:
            raise _Refused(404, "/customers is not part of VISH")
        customer = str(request.path_params["customer_id"])
        if customer not in {str(r.get("CustomerId")) for r in self.state.rows("Customers")}:
            raise _Refused(404, f"Customer {customer} not found")
        return customer


def _day(value: str | None, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise _Refused(400, f"expected a date yyyy-MM-dd, got {value!r}") from None


def _verdict(report: br.Report) -> dict[str, str]:
    codes = ",".join(dict.fromkeys(v.code for v in report.warnings))
    return {"X-Booking-Rules-Verdict": report.verdict, **(
        {"X-Booking-Rules-Codes": codes} if codes else {})}


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        raise _Refused(400, "the body is empty: expected a JSON object")
    try:
        body = _reader.loads(raw, "request body")  # bounded: depth, integers, key length
    except br.InputError as exc:
        raise _Refused(400, f"the body is not usable JSON ({exc})") from None
    if not isinstance(body, dict):
        raise _Refused(400, "expected a JSON object")
    return body


class _Gate:
    """Auth (apikey + Basic), the daily budget, and the last-resort handler: every
    answer is JSON, never a traceback."""

    def __init__(self, app: ASGIApp, credentials: PneCredentials,
                 clock: Callable[[], datetime], daily_budget: int | None) -> None:
        self.app, self.credentials, self.clock = app, credentials, clock
        self.daily_budget = daily_budget
        self._day: date | None = None
        self._used = 0
        self._lock = threading.Lock()
        token = f"{credentials.username}:{credentials.password}".encode()
        self._basic = b"Basic " + base64.b64encode(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._refusal(scope)
        if refused is not None:
            await _send(send, refused)
            return
        try:
            await self.app(scope, receive, send)
        except Exception:
            await _send(send, _json({"Message": "Internal sandbox error"}, 500))

    def _refusal(self, scope: Scope) -> Response | None:
        if not str(scope.get("path", "")).startswith(PNE_ROOT):
            return _json({"Message": f"No such path: {scope.get('path')}"}, 404)
        query = httpx.QueryParams(scope.get("query_string", b"").decode("latin-1"))
        key = query.get("apikey") or ""
        if not hmac.compare_digest(key.encode(), self.credentials.apikey.encode()):
            return _json({"Message": "Invalid or missing apikey (the gateway key, on the "
                          "query string)"}, 401)
        given = dict(scope.get("headers", [])).get(b"authorization", b"")
        if not hmac.compare_digest(given, self._basic):
            return _json({"Message": "Authorization has been denied for this request (the "
                          "user: HTTP Basic)"}, 401,
                         {"WWW-Authenticate": 'Basic realm="Envision"'})
        if self.daily_budget is not None:
            now = self.clock()
            with self._lock:
                if self._day != now.date():
                    self._day, self._used = now.date(), 0
                if self._used >= self.daily_budget:
                    tomorrow = datetime.combine(now.date() + timedelta(days=1),
                                                datetime.min.time(), now.tzinfo)
                    wait = max(1, int((tomorrow - now).total_seconds()))
                    return _json({"Message": "Quota exceeded: the gateway key's daily "
                                  f"budget of {self.daily_budget} requests is spent"}, 429,
                                 {"Retry-After": str(wait)})
                self._used += 1
        return None


async def _send(send: Send, response: Response) -> None:
    async def no_body() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    await response({"type": "http"}, no_body, send)


def create_pne_app(state: PneState, *, clock: Callable[[], datetime] | None = None,
                   credentials: PneCredentials = DEFAULT_PNE_CREDENTIALS,
                   vish: bool = False, daily_budget: int | None = None) -> ASGIApp:
    """The PNE sandbox as an ASGI app over ``state``; ``clock`` gives the ``now`` writes
    are checked at (a ``SandboxClock``, or any callable returning an aware datetime)."""
    the_clock: Callable[[], datetime] = clock if clock is not None else SandboxClock()
    api = _Api(state, the_clock, vish)

    def guarded(fn: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                response: Response = await fn(request)
                return response
            except _Refused as exc:
                body: dict[str, Any] = {"Message": exc.message}
                if exc.errors:
                    body["Errors"] = exc.errors
                return _json(body, exc.status, exc.headers)
        return run

    r = PNE_ROOT
    routes = [
        Route(f"{r}/status", guarded(api.status), methods=["GET"]),
        Route(f"{r}/companies", guarded(api.companies), methods=["GET"]),
        Route(f"{r}/services", guarded(api.listing("Services")), methods=["GET"]),
        Route(f"{r}/employees", guarded(api.listing("Employees")), methods=["GET"]),
        Route(f"{r}/products", guarded(api.listing("Products", pne_only=True)),
              methods=["GET"]),
        Route(f"{r}/customers", guarded(api.customers), methods=["GET"]),
        Route(f"{r}/customers/{{customer_id}}/Appointments",
              guarded(api.customer_appointments), methods=["POST"]),
        Route(f"{r}/customers/{{customer_id}}/Purchases", guarded(api.customer_purchases),
              methods=["POST"]),
        Route(f"{r}/appointments/ShowAvailable", guarded(api.show_available),
              methods=["GET"]),
        Route(f"{r}/appointments", guarded(api.appointments), methods=["GET"]),
        Route(f"{r}/appointments", guarded(api.book), methods=["POST"]),
        Route(f"{r}/orders", guarded(api.orders), methods=["GET"]),
        Route(f"{r}/orders", guarded(api.order), methods=["POST"]),
        Route(f"{r}/orders/{{order_id}}", guarded(api.order_by_id), methods=["GET"]),
    ]
    return _Gate(Starlette(routes=routes), credentials, the_clock, daily_budget)


class LocalPneSandbox:
    """The PNE sandbox in this process over ``snapshot`` (a path or a document), with
    ``client``: an ``httpx.Client`` on ``.../api/v1`` that sends the key and the user."""

    def __init__(self, snapshot: str | Path | Mapping[str, Any], *, now: datetime | None,
                 credentials: PneCredentials = DEFAULT_PNE_CREDENTIALS, vish: bool = False,
                 daily_budget: int | None = None) -> None:
        if isinstance(snapshot, Mapping):
            doc: Mapping[str, Any] = snapshot
        else:
            pne.load_snapshot(snapshot)  # a bad file's InputError names the file and path
            doc = _reader.read_json(snapshot, what="snapshot",
                                    limit=_reader.MAX_SNAPSHOT_BYTES)
        self.clock = SandboxClock(now)
        self.state = PneState(doc)
        self.app = create_pne_app(self.state, clock=self.clock, credentials=credentials,
                                  vish=vish, daily_budget=daily_budget)
        self.transport = transport(self.app)
        self.client = httpx.Client(transport=self.transport,
                                   base_url=f"http://sandbox{PNE_ROOT}",
                                   params={"apikey": credentials.apikey},
                                   auth=(credentials.username, credentials.password))

    def close(self) -> None:
        self.client.close()
        self.transport.close()

    def __enter__(self) -> LocalPneSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_pne_cli(opts: Mapping[str, Any], *, vish: bool, serve: Callable[..., None],
                loopback: Callable[[str], str], default_port: int) -> int:
    """``booking-rules sandbox --platform pne|vish --snapshot FILE [--host H] [--port N]
    [--username U --password P] [--apikey K] [--now ISO]``: serve until interrupted.
    ``serve``, ``loopback`` and ``default_port`` are ``_serve``'s (passed in, so this
    module does not import the one that imports it)."""
    import sys

    try:
        snapshot = opts.get("snapshot")
        if not snapshot:
            raise br.InputError("--snapshot", "", "a PNE snapshot file")
        pne.load_snapshot(snapshot)  # a bad file's InputError names the file and path
        doc = _reader.read_json(str(snapshot), what="snapshot",
                                limit=_reader.MAX_SNAPSHOT_BYTES)
        username, password = opts.get("username"), opts.get("password")
        if (username is None) != (password is None):
            raise br.InputError("--username/--password", "", "both, or neither")
        creds = PneCredentials(
            apikey=str(opts.get("apikey") or DEFAULT_PNE_CREDENTIALS.apikey),
            username=str(username or DEFAULT_PNE_CREDENTIALS.username),
            password=str(password or DEFAULT_PNE_CREDENTIALS.password))
        now_text = opts.get("now")
        if now_text is not None:
            try:
                at = datetime.fromisoformat(str(now_text).replace("Z", "+00:00"))
            except ValueError:
                at = None
            if at is None or at.tzinfo is None:
                raise br.InputError("--now", "", "an instant with its offset, such as "
                                    "2025-09-01T12:00:00Z", now_text)
            clock = SandboxClock(at)
            note = f"clock fixed at {now_text}"
        else:
            clock = SandboxClock()
            note = "clock: the machine's"
        state = PneState(doc, source=str(snapshot))
        app = create_pne_app(state, clock=clock, credentials=creds, vish=vish)
        host = loopback(str(opts.get("host") or "127.0.0.1"))
        port = int(opts["port"]) if opts.get("port") is not None else default_port
        default = opts.get("password") is None and opts.get("apikey") is None

        def announce(root: str) -> None:
            print(f"{'VISH' if vish else 'PNE'} sandbox: location {state.location} "
                  f"({state.base.branch.name}), {note}")
            print(f"  base URL  {root}{PNE_ROOT}")
            print(f"  user      {creds.username}")
            if default:
                # A sandbox holds no real data; its default secrets are printed on purpose.
                print(f"  password  {creds.password}")
                print(f"  apikey    {creds.apikey}  (on the query string)")
            print("  Ctrl-C stops", flush=True)

        serve(app, host=host, port=port, announce=announce)
    except br.InputError as exc:
        print(f"booking-rules sandbox: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
