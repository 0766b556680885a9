"""The Phorest API paths the sandbox serves (SANDBOX.md), and its ``/_sandbox`` controls."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import booking_rules as br

from ._adapter import Placed, body_object, parse_instant, place, slots_to_phorest
from ._bench import API_ROOT, LOG, Bench, FaultState, RequestLog, error_body
from ._clock import SandboxClock
from ._config import DEFAULT_CREDENTIALS, Credentials, Faults, SandboxConfig
from ._store import (
    BranchState,
    Row,
    SandboxState,
    booking_rows,
    changed_row,
    competitor_row,
    updated_row,
)
from ._writes import Writes

PREFIX = API_ROOT + "/{business_id}"
BRANCH = PREFIX + "/branch/{branch_id}"
MAX_DAYS = 31
_INVALID_BOOKING = "Booking data is invalid, unable to create a booking"

Handler = Callable[[Request], Awaitable[Response]]


class ApiError(Exception):
    """An answer other than success: status, Phorest-shaped detail, and extra headers."""

    def __init__(self, status: int, detail: str, error_code: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.error_code = error_code or _ERROR_CODES.get(status, "BAD_REQUEST")
        self.headers = dict(headers or {})


# Phorest's only observed errorCode is SLOT_UNAVAILABLE (rule refusals); the others are the
# sandbox's own names for the statuses, so a client can tell them apart.
_ERROR_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 404: "NOT_FOUND",
                405: "METHOD_NOT_ALLOWED", 409: "CONFLICT", 500: "INTERNAL_SERVER_ERROR"}


def _json(body: object, status: int = 200, headers: Mapping[str, str] | None = None
          ) -> Response:
    return Response(msgspec.json.encode(body), status_code=status, headers=headers,
                    media_type="application/json")


class Sandbox:
    """The handlers, over one state, clock, config, fault state and log."""

    def __init__(self, state: SandboxState, clock: SandboxClock, config: SandboxConfig,
                 faults: FaultState, log: RequestLog) -> None:
        self.state = state
        self.clock = clock
        self.config = config
        self.faults = faults
        self.log = log
        # Called after a reset: state kept beside the branches' documents (export jobs).
        self.reset_hooks: list[Callable[[], None]] = []

    # --- plumbing ------------------------------------------------------------------

    def handler(self, fn: Handler) -> Handler:
        """Every endpoint answers JSON: an ApiError or InputError as a 4xx, anything
        unexpected as a 500 without a traceback (logged server-side)."""

        async def wrapped(request: Request) -> Response:
            try:
                return await fn(request)
            except ApiError as exc:
                return self.error(exc.status, exc.detail, exc.error_code, exc.headers)
            except br.InputError as exc:
                return self.error(400, _worded(exc), "BAD_REQUEST")
            except Exception:
                LOG.exception("sandbox: unexpected error on %s %s", request.method,
                              request.url.path)
                return self.error(500, "Internal sandbox error; it was logged and the "
                                  "sandbox keeps serving", "INTERNAL_SERVER_ERROR")

        return wrapped

    def error(self, status: int, detail: str, error_code: str,
              headers: Mapping[str, str] | None = None) -> Response:
        return Response(error_body(status, detail, error_code, self.state.error_id()),
                        status_code=status, headers=headers, media_type="application/json")

    def branch(self, request: Request) -> BranchState:
        self._business(request)
        branch_id = request.path_params["branch_id"]
        found = self.state.branch(branch_id)
        if found is None:
            raise ApiError(404, f"Branch {branch_id} not found")
        return found

    def _business(self, request: Request) -> None:
        business = request.path_params["business_id"]
        if business != self.state.business_id:
            raise ApiError(404, f"Business {business} not found")

    # --- reads -----------------------------------------------------------------------

    async def branches(self, request: Request) -> Response:
        self._business(request)
        rows = [b.current.doc["branch"] for b in self.state.branches.values()]
        return _page(request, "branches", rows)

    def _list(self, key: str, embedded: str, max_size: int = 100,
              keep: Callable[[Request, Row], bool] | None = None) -> Handler:
        async def read(request: Request) -> Response:
            rows = self.branch(request).current.doc.get(key) or []
            if keep is not None:
                rows = [r for r in rows if keep(request, r)]
            return _page(request, embedded, rows, max_size)

        return read

    async def worktimetable(self, request: Request) -> Response:
        branch = self.branch(request)
        q = request.query_params
        start, end = _date_range(q, "from_date", "to_date", required=True,
                                 limit="Max date range allowed is one month")
        assert start is not None and end is not None
        staff = q.get("staff_id")
        out = []
        for table in branch.current.doc.get("workTimeTables") or []:
            if staff is not None and table.get("staffId") != staff:
                continue
            slots = [s for s in table.get("timeSlots") or []
                     if start <= _day(s.get("date")) <= end]
            out.append({**table, "timeSlots": slots})
        # All rows at once (documented unpaged); the page block is there for the clients
        # that page it anyway (phorest_api.md §16).
        return _json({"_embedded": {"workTimeTables": out},
                      "page": {"size": len(out), "totalElements": len(out),
                               "totalPages": 1 if out else 0, "number": 0}})

    async def breaks(self, request: Request) -> Response:
        branch = self.branch(request)
        q = request.query_params
        start, end = _date_range(q, "from_date", "to_date", required=True)
        assert start is not None and end is not None
        filters = [(k, q[p]) for p, k in (("staff_id", "staffId"), ("room_id", "roomId"),
                                          ("machine_id", "machineId")) if p in q]
        rows = [r for r in branch.current.doc.get("breaks") or []
                if start <= _day(r.get("breakDate")) <= end
                and all(r.get(k) == v for k, v in filters)]
        return _page(request, "breaks", rows)

    async def appointments(self, request: Request) -> Response:
        branch = self.branch(request)
        q = request.query_params
        # Snake_case only: a camelCase filter (clientId=, fromDate=) is not read at all,
        # as the real API silently ignores it (phorest_api.md §16).
        start, end = _date_range(q, "from_date", "to_date", required=False)
        upd_from, upd_to = _instant_range(q)
        if start is None and upd_from is None:
            raise ApiError(400, "from_date and to_date are required (or updated_from and "
                           "updated_to)")
        fetch_canceled = _flag(q, "fetch_canceled")
        fetch_deleted = _flag(q, "fetch_deleted")
        filters = [(k, q[p]) for p, k in (("staff_id", "staffId"), ("client_id", "clientId"),
                                          ("room_id", "roomId"), ("machine_id", "machineId"))
                   if p in q]
        rows = []
        for r in branch.current.doc["appointments"]:
            if r.get("deleted") and not fetch_deleted:
                continue
            if r.get("activationState") == "CANCELED" and not fetch_canceled:
                continue
            if start is not None and end is not None and not (
                    start <= _day(r.get("appointmentDate")) <= end):
                continue
            if upd_from is not None and upd_to is not None and not (
                    upd_from <= _updated(r) <= upd_to):
                continue
            if all(r.get(k) == v for k, v in filters):
                rows.append(r)
        rows.sort(key=lambda r: (str(r.get("appointmentDate")), str(r.get("startTime")),
                                 str(r.get("appointmentId"))))
        return _page(request, "appointments", rows)

    async def appointment(self, request: Request) -> Response:
        branch = self.branch(request)
        return _json(_row(branch, request.path_params["appointment_id"]))

    async def clients(self, request: Request) -> Response:
        self._business(request)
        return _page(request, "clients", list(self._clients().values()))

    async def client(self, request: Request) -> Response:
        self._business(request)
        client_id = request.path_params["client_id"]
        found = self._clients().get(client_id)
        if found is None:
            raise ApiError(404, f"Client {client_id} not found")
        return _json(found)

    def _clients(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for b in self.state.branches.values():
            for row in b.current.doc.get("clients") or []:
                out.setdefault(str(row.get("clientId")), row)
        return out

    async def client_courses(self, request: Request) -> Response:
        self._business(request)
        q = request.query_params
        archived = _flag(q, "includeArchived")  # the one camelCase filter seen (§11)
        rows = []
        for bid, b in self.state.branches.items():
            if "branch_id" in q and q["branch_id"] != bid:
                continue
            for row in b.current.doc.get("clientCourses") or []:
                if "client_id" in q and row.get("clientId") != q["client_id"]:
                    continue
                if row.get("archived") and not archived:
                    continue
                rows.append(row)
        return _page(request, "clientCourses", rows)

    async def availability(self, request: Request) -> Response:
        branch = self.branch(request)
        body = await _body(request)
        src = "request body"
        start = _body_instant(body, "startTime")
        end = _body_instant(body, "endTime")
        selections = body.get("clientServiceSelections")
        if not isinstance(selections, list) or len(selections) != 1 or not isinstance(
                selections[0], Mapping):
            raise br.InputError(src, "clientServiceSelections",
                                "a list with one client's selections (Phorest accepts "
                                "one client)")
        items = selections[0].get("serviceSelections")
        if not isinstance(items, list) or not items or not all(
                isinstance(i, Mapping) and isinstance(i.get("serviceId"), str) for i in items):
            raise br.InputError(src, "clientServiceSelections[0].serviceSelections",
                                "a non-empty list of {serviceId, staffId?}")
        staff = items[0].get("staffId")
        client = body.get("clientId") or selections[0].get("clientId")
        online = body.get("isOnlineAvailability") is True or self._online(request)
        slots = br.find_slots(branch.current.snapshot, [i["serviceId"] for i in items],
                              start=start, end=end,
                              staff_id=staff if isinstance(staff, str) else None,
                              client_id=client if isinstance(client, str) else None,
                              online=online, now=self.clock(), ruleset=self.config.ruleset)
        return _json(slots_to_phorest(slots, client if isinstance(client, str) else None))

    # --- writes ----------------------------------------------------------------------

    def _online(self, request: Request) -> bool:
        return self.config.online or _true(request.headers.get("x-sandbox-online"))

    def _check(self, snapshot: br.Snapshot, body: Mapping[str, Any], kind: str,
               request: Request) -> tuple[br.Report, dict[str, str]]:
        report = br.check(snapshot, {"kind": kind, "body": body}, now=self.clock(),
                          online=self._online(request), ruleset=self.config.ruleset)
        headers: dict[str, str] = {"X-Booking-Rules-Verdict": report.verdict}
        if report.codes:
            headers["X-Booking-Rules-Codes"] = ",".join(report.codes)
        if _true(request.headers.get("x-sandbox-dry-run")):
            headers["X-Sandbox-Dry-Run"] = "true"
        return report, headers

    @staticmethod
    def _refusal(report: br.Report, headers: dict[str, str]) -> ApiError:
        code = report.predicted_api_code
        if code is not None:
            return ApiError(400, code, "SLOT_UNAVAILABLE", headers)
        # Only the engine's own codes (an unknown id, an archived service...): Phorest
        # names no code for these and answers its generic message (phorest_api.md §2.1).
        return ApiError(400, _INVALID_BOOKING, "BAD_REQUEST", headers)

    async def booking(self, request: Request) -> Response:
        branch = self.branch(request)
        body = await _body(request)
        force = _flag(request.query_params, "force_selected_time")
        dry = _true(request.headers.get("x-sandbox-dry-run"))
        with branch.lock:
            if self.faults.take_competitor():
                self._compete(branch, body)
            snap = branch.current.snapshot
            report, headers = self._check(snap, body, "createBooking", request)
            if report.verdict == "FAIL" and not force:
                raise self._refusal(report, headers)
            placed = place(snap, body, "createBooking")
            booking_id, rows = booking_rows(self.state, branch, placed, body, self.clock())
            if not dry:
                self.state.commit(branch, rows)
        return _json(_booking_response(booking_id, body, placed, rows), 201, headers)

    def _compete(self, branch: BranchState, body: Mapping[str, Any]) -> None:
        """The other receptionist books the request's first slot at the salon, just
        before this request is decided (a fault). An unusable body meets no competitor."""
        try:
            placed = place(branch.current.snapshot, body, "createBooking")
        except br.InputError:
            return
        row = competitor_row(self.state, branch, placed[0],
                             self.config.competitor_client_id, self.clock())
        self.state.commit(branch, [row])

    async def update(self, request: Request) -> Response:
        branch = self.branch(request)
        appointment_id = request.path_params["appointment_id"]
        body = await _body(request)
        _row(branch, appointment_id)  # an unknown appointment is a 404 before anything else
        if "appointmentId" in body and str(body["appointmentId"]) != appointment_id:
            raise br.InputError("request body", "appointmentId",
                                f"the appointment of the path, {appointment_id!r}",
                                body["appointmentId"])
        dry = _true(request.headers.get("x-sandbox-dry-run"))
        force = _flag(request.query_params, "force_selected_time")
        with branch.lock:
            row = _row(branch, appointment_id)
            version = body.get("version")
            if isinstance(version, int) and not isinstance(version, bool) and (
                    version != row.get("version")):
                raise ApiError(409, f"Appointment {appointment_id} was changed: its current "
                               f"version is {row.get('version')}, the update was built from "
                               f"version {version}; read it again")
            snap = branch.current.snapshot
            report, headers = self._check(snap, body, "updateAppointment", request)
            if report.verdict == "FAIL" and not force:
                raise self._refusal(report, headers)
            (placed,) = place(snap, body, "updateAppointment")
            new = updated_row(row, placed, body, snap, self.clock())
            if not dry:
                self.state.commit(branch, [new])
        return _json(new, 200, headers)

    def _state_change(self, **fields: Any) -> Handler:
        """cancel / confirm, by path (``/appointment/{id}/cancel``) or by query
        (``/appointment/cancel?appointment_id=``, the form live clients use)."""

        async def change(request: Request) -> Response:
            branch = self.branch(request)
            ids = request.path_params.get("appointment_id")
            ids_list = [ids] if ids else request.query_params.getlist("appointment_id")
            if not ids_list:
                raise ApiError(400, "appointment_id is required")
            dry = _true(request.headers.get("x-sandbox-dry-run"))
            out = []
            with branch.lock:
                changed = []
                for appointment_id in ids_list:
                    row = _row(branch, appointment_id)
                    new = changed_row(row, self.clock(), **fields)
                    if new is not None:
                        changed.append(new)
                    out.append(new or row)
                if changed and not dry:
                    self.state.commit(branch, changed)
            headers = {"X-Sandbox-Dry-Run": "true"} if dry else None
            return _json({"_embedded": {"appointments": out}}, 200, headers)

        return change

    # --- the bench's controls ----------------------------------------------------------

    async def info(self, request: Request) -> Response:
        return _json({
            "business": self.state.business_id,
            "branches": {bid: {"name": b.current.doc["branch"].get("name"),
                               "timeZone": b.zone_key,
                               "appointments": len(b.current.doc["appointments"])}
                         for bid, b in self.state.branches.items()},
            "clock": self.clock.state(),
            "faults": self.faults.to_dict(),
            "online": self.config.online,
            "ruleset": self.config.ruleset,
            "log": {"entries": self.log.last_seq},
        })

    async def get_clock(self, request: Request) -> Response:
        return _json(self.clock.state())

    async def set_clock(self, request: Request) -> Response:
        body = await _body(request)
        at: datetime | None = None
        if body.get("now") is not None:
            at = _body_instant(body, "now")
        mode = body.get("mode", "fixed" if at is not None else "source")
        if mode not in ("fixed", "moving", "source"):
            raise br.InputError("request body", "mode", "'fixed', 'moving' or 'source'", mode)
        if mode != "source" and at is None:
            raise br.InputError("request body", "now", f"an ISO-8601 instant for mode {mode}")
        self.clock.set(None if mode == "source" else at, moving=mode == "moving")
        return _json(self.clock.state())

    async def get_faults(self, request: Request) -> Response:
        return _json(self.faults.to_dict())

    async def set_faults(self, request: Request) -> Response:
        self.faults.set(Faults.from_dict(await _body(request), "request body"))
        return _json(self.faults.to_dict())

    async def reset(self, request: Request) -> Response:
        self.state.reset()
        self.log.clear()
        for hook in self.reset_hooks:
            hook()
        return _json({"reset": True, "branches": sorted(self.state.branches)})

    async def get_state(self, request: Request) -> Response:
        wanted = request.query_params.get("branch")
        if wanted is None:
            if len(self.state.branches) != 1:
                raise ApiError(400, "this sandbox holds several branches: name one with "
                               f"?branch= ({', '.join(sorted(self.state.branches))})")
            wanted = next(iter(self.state.branches))
        if wanted not in self.state.branches:
            raise ApiError(404, f"Branch {wanted} not found")
        return _json(self.state.branches[wanted].current.doc)

    async def put_state(self, request: Request) -> Response:
        branch = self.state.load(await _body(request), self.clock())
        return _json({"branchId": branch.id,
                      "appointments": len(branch.current.doc["appointments"])})

    async def get_log(self, request: Request) -> Response:
        q = request.query_params
        since = _int(q, "since", 0, 0, None)
        limit = _int(q, "limit", 1000, 1, 100_000)
        entries = self.log.entries(since, limit)
        return _json({"entries": entries, "last": self.log.last_seq})

    async def clear_log(self, request: Request) -> Response:
        self.log.clear()
        return _json({"cleared": True})


def create_app(state: SandboxState, *, clock: Callable[[], datetime] | None = None,
               credentials: Credentials = DEFAULT_CREDENTIALS,
               config: SandboxConfig | None = None,
               monotonic: Callable[[], float] = time.monotonic) -> Bench:
    """The sandbox as an ASGI app over ``state``.

    ``clock`` gives the ``now`` writes are checked at: a ``SandboxClock`` (settable with
    ``POST /_sandbox/clock``), or any callable returning an aware datetime, which is then
    the clock's source. ``monotonic`` times the rate-limit windows.
    """
    config = config or SandboxConfig(business_id=state.business_id)
    if clock is None:
        sandbox_clock = SandboxClock()
    elif isinstance(clock, SandboxClock):
        sandbox_clock = clock
    else:
        sandbox_clock = SandboxClock(source=clock)
    faults = FaultState(config.faults, monotonic)
    log = RequestLog(config.log_limit)
    sb = Sandbox(state, sandbox_clock, config, faults, log)
    h = sb.handler

    def archived_hidden(flag: str) -> Callable[[Request, Row], bool]:
        def keep(request: Request, row: Row) -> bool:
            return not row.get("archived") or _flag(request.query_params, flag)
        return keep

    def by_category(request: Request, row: Row) -> bool:
        wanted = request.query_params.get("category_id")
        return wanted is None or row.get("categoryId") == wanted

    routes = [
        Route(PREFIX + "/branch", h(sb.branches), methods=["GET"]),
        Route(BRANCH + "/staff", h(sb._list("staff", "staffs",
                                            keep=archived_hidden("fetch_archived"))),
              methods=["GET"]),
        Route(BRANCH + "/staff/worktimetable", h(sb.worktimetable), methods=["GET"]),
        Route(BRANCH + "/service", h(sb._list("services", "services", keep=by_category)),
              methods=["GET"]),
        Route(BRANCH + "/room", h(sb._list("rooms", "rooms",
                                           keep=archived_hidden("includeArchived"))),
              methods=["GET"]),
        Route(BRANCH + "/machine", h(sb._list("machines", "machines",
                                              keep=archived_hidden("includeArchived"))),
              methods=["GET"]),
        # Special offers page up to 200 (phorest_api.md §10).
        Route(BRANCH + "/service-special-offer",
              h(sb._list("specialOffers", "serviceSpecialOffers", 200)), methods=["GET"]),
        Route(BRANCH + "/break", h(sb.breaks), methods=["GET"]),
        Route(BRANCH + "/appointment", h(sb.appointments), methods=["GET"]),
        Route(BRANCH + "/appointment/cancel",
              h(sb._state_change(activationState="CANCELED")), methods=["POST"]),
        Route(BRANCH + "/appointment/confirm", h(sb._state_change(confirmed=True)),
              methods=["POST"]),
        Route(BRANCH + "/appointment/{appointment_id}", h(sb.appointment), methods=["GET"]),
        Route(BRANCH + "/appointment/{appointment_id}", h(sb.update), methods=["PUT"]),
        Route(BRANCH + "/appointment/{appointment_id}/cancel",
              h(sb._state_change(activationState="CANCELED")), methods=["POST"]),
        Route(BRANCH + "/appointment/{appointment_id}/confirm",
              h(sb._state_change(confirmed=True)), methods=["POST"]),
        Route(BRANCH + "/booking", h(sb.booking), methods=["POST"]),
        Route(BRANCH + "/appointments/availability", h(sb.availability), methods=["POST"]),
        Route(PREFIX + "/client", h(sb.clients), methods=["GET"]),
        Route(PREFIX + "/client/{client_id}", h(sb.client), methods=["GET"]),
        Route(PREFIX + "/clientcourse", h(sb.client_courses), methods=["GET"]),
        # Clients, client courses, products, purchases, vouchers, CSV export jobs.
        *Writes(sb).routes(),
        Route("/_sandbox", h(sb.info), methods=["GET"]),
        Route("/_sandbox/clock", h(sb.get_clock), methods=["GET"]),
        Route("/_sandbox/clock", h(sb.set_clock), methods=["POST"]),
        Route("/_sandbox/faults", h(sb.get_faults), methods=["GET"]),
        Route("/_sandbox/faults", h(sb.set_faults), methods=["POST"]),
        Route("/_sandbox/reset", h(sb.reset), methods=["POST"]),
        Route("/_sandbox/state", h(sb.get_state), methods=["GET"]),
        Route("/_sandbox/state", h(sb.put_state), methods=["POST"]),
        Route("/_sandbox/log", h(sb.get_log), methods=["GET"]),
        Route("/_sandbox/log", h(sb.clear_log), methods=["DELETE"]),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = {404: f"No such path: {request.url.path}",
                  405: f"Method {request.method} is not allowed on {request.url.path}"}.get(
                      status, "The request could not be served")
        return sb.error(status, detail, _ERROR_CODES.get(status, "BAD_REQUEST"))

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    bench = Bench(app, credentials=credentials, faults=faults, log=log, clock=sandbox_clock,
                  error_id=state.error_id)
    bench.sandbox = sb  # type: ignore[attr-defined]
    return bench


def _worded(exc: br.InputError) -> str:
    """The engine names a request ``<request>`` and its body ``body``: here it is the
    request body, so its paths read as the client wrote them."""
    if exc.source != "<request>":
        return str(exc)
    path = exc.path
    path = "" if path == "body" else path.removeprefix("body.")
    return str(br.InputError("request body", path, exc.expected, exc.got))


# --- request reading -----------------------------------------------------------------------


async def _body(request: Request) -> dict[str, Any]:
    return body_object(await request.body())


def _body_instant(body: Mapping[str, Any], key: str) -> datetime:
    value = body.get(key)
    if not isinstance(value, str):
        raise br.InputError("request body", key, "an ISO-8601 instant such as "
                            "2026-12-01T15:00:00Z", value)
    try:
        return parse_instant(value)[0]
    except ValueError:
        raise br.InputError("request body", key, "an ISO-8601 instant such as "
                            "2026-12-01T15:00:00Z", value) from None


def _true(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


def _flag(q: Mapping[str, str], name: str) -> bool:
    value = q.get(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise ApiError(400, f"{name} must be true or false, got {value!r}")
    return value.lower() == "true"


def _int(q: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    value = q.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"{name} must be a whole number, got {value!r}") from None
    if number < low:
        raise ApiError(400, f"{name} must be at least {low}, got {number}")
    if high is not None and number > high:
        raise ApiError(400, f"{name} must be at most {high}, got {number}")
    return number


def _date_range(q: Mapping[str, str], lo: str, hi: str, *, required: bool,
                limit: str = "Max date range allowed is 31 days"
                ) -> tuple[date | None, date | None]:
    if lo not in q and hi not in q and not required:
        return None, None
    if lo not in q or hi not in q:
        raise ApiError(400, f"{lo} and {hi} are required together")
    try:
        start, end = date.fromisoformat(q[lo]), date.fromisoformat(q[hi])
    except ValueError:
        raise ApiError(400, f"{lo} and {hi} must be dates yyyy-MM-dd") from None
    if end < start:
        raise ApiError(400, f"{hi} must not be before {lo}")
    if (end - start).days > MAX_DAYS:
        raise ApiError(400, limit)
    return start, end


def _instant_range(q: Mapping[str, str]) -> tuple[datetime | None, datetime | None]:
    if "updated_from" not in q and "updated_to" not in q:
        return None, None
    if "updated_from" not in q or "updated_to" not in q:
        raise ApiError(400, "updated_from and updated_to are required together")
    try:
        start, _ = parse_instant(q["updated_from"])
        end, _ = parse_instant(q["updated_to"])
    except ValueError:
        raise ApiError(400, "updated_from and updated_to must be ISO-8601 instants such as "
                       "2026-11-01T00:00:00.000Z") from None
    if end < start:
        raise ApiError(400, "updated_to must not be before updated_from")
    if end - start > timedelta(days=MAX_DAYS):
        raise ApiError(400, "Max date range allowed is 31 days")
    return start, end


def _day(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return date.min  # a row the seed let through with an odd date: in no window


def _updated(row: Row) -> datetime:
    try:
        return parse_instant(str(row.get("updatedAt")))[0]
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _row(branch: BranchState, appointment_id: str) -> Row:
    cur = branch.current
    at = cur.positions.get(appointment_id)
    if at is None:
        raise ApiError(404, f"Appointment {appointment_id} not found")
    row: Row = cur.doc["appointments"][at]
    return row


def _page(request: Request, key: str, rows: Sequence[Row], max_size: int = 100) -> Response:
    """One HAL page of ``rows`` (phorest_api.md §1.3): ``page`` 0-based, ``size`` default
    20, at most ``max_size`` (more is a 400)."""
    q = request.query_params
    size = _int(q, "size", 20, 1, max_size)
    number = _int(q, "page", 0, 0, None)
    total = len(rows)
    pages = math.ceil(total / size)
    links: dict[str, Any] = {"self": {"href": str(request.url)}}
    if number + 1 < pages:
        links["next"] = {"href": str(request.url.include_query_params(page=number + 1))}
    return _json({"_embedded": {key: list(rows[number * size:(number + 1) * size])},
                  "page": {"size": size, "totalElements": total, "totalPages": pages,
                           "number": number},
                  "_links": links})


def _booking_response(booking_id: str, body: Mapping[str, Any], placed: Sequence[Placed],
                      rows: Iterable[Row]) -> dict[str, Any]:
    """createBooking's 201 body (phorest_api.md §2.1): the appointment ids are only in
    ``clientAppointmentSchedules[].serviceSchedules[]``; times are UTC instants."""
    main = [r for r in rows if not r.get("isFinishAppointment")]
    by_client: dict[str | None, list[dict[str, Any]]] = {}
    for p, r in zip(placed, main, strict=True):
        by_client.setdefault(p.client_id, []).append({
            "appointmentId": r["appointmentId"], "serviceId": p.service_id,
            "staffId": p.staff_id, "startTime": _z(p.start), "endTime": _z(p.end)})
    return {"bookingId": booking_id, "bookingStatus": body.get("bookingStatus") or "ACTIVE",
            "clientId": body.get("clientId"),
            "clientAppointmentSchedules": [{"clientId": c, "serviceSchedules": s}
                                           for c, s in by_client.items()],
            "schedules": [], "links": []}


def _z(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
