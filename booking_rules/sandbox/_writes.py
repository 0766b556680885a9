"""The writes beside bookings, served by the sandbox (issue 18): clients, client courses,
purchases, vouchers and CSV export jobs, each decided by the same rules as
``booking-rules check`` and answered in the shapes of Phorest's own examples.

- ``POST /client`` and ``PUT /client/{clientId}``: the client with ``version`` (1 for a new
  one, the current plus one after an update), phone numbers as strings.
- ``PUT /clientcourse/{clientCourseId}``: the client course with its new expiry/archived.
- ``POST /branch/{branchId}/purchase``: ``purchaseId``, ``transactionNumber`` (the branch's
  next: numbers are per branch), ``payments[]``, ``items[]`` with ``details``.
- ``POST /voucher``, ``GET /voucher``, ``GET /voucher/{voucherId}``.
- ``POST /branch/{branchId}/csvexportjob``: a job ``SCHEDULED`` now, ``DONE`` from
  ``JOB_SECONDS`` later on the sandbox clock; ``GET .../csvexportjob/{jobId}`` signs a
  download link that lives ``LINK_SECONDS`` (Phorest's: 1799 s) and that
  ``/_sandbox/csvexport/...`` serves until then (403 after, as the storage does).
- ``GET /branch/{branchId}/product``.

Clients and vouchers are business-level: every branch's document holds the business's
list, and a write changes them all. The sandbox is the whole business, so a list it does
not hold is empty, not unknown. A refusal answers Phorest's error shape with the engine's
code and message in ``detail`` (every code in ``X-Booking-Rules-Codes``, warnings in
``X-Booking-Rules-Warnings``); a stale client version is a 409, as a stale appointment
version is. An UNKNOWN verdict is accepted, as for bookings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import booking_rules as br

from ._adapter import body_object, client_of, parse_instant, read_records
from ._bench import API_ROOT
from ._store import BranchState, Current, Row, SandboxState, z_millis

PREFIX = API_ROOT + "/{business_id}"
BRANCH = PREFIX + "/branch/{branch_id}"
JOB_SECONDS = 30  # how long a scheduled export takes on the sandbox clock
LINK_SECONDS = 1799  # Phorest's links: X-Amz-Expires=1799
_TWO = Decimal("0.01")
_NO_PATH: dict[str, str] = {}

Handler = Callable[[Request], Awaitable[Response]]


class _Sandbox(Protocol):
    """What the writes use of ``_app.Sandbox`` (passed in, so this module imports none of
    it: ``_app`` mounts this one)."""

    @property
    def state(self) -> SandboxState: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    @property
    def config(self) -> Any: ...

    @property
    def reset_hooks(self) -> list[Callable[[], None]]: ...

    def handler(self, fn: Handler) -> Handler: ...

    def error(self, status: int, detail: str, error_code: str,
              headers: Mapping[str, str] | None = None) -> Response: ...

    def branch(self, request: Request) -> BranchState: ...

    def _business(self, request: Request) -> None: ...


class WriteError(Exception):
    """An answer other than success, in Phorest's error shape."""

    def __init__(self, status: int, detail: str, error_code: str = "BAD_REQUEST",
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.error_code = status, detail, error_code
        self.headers = dict(headers or {})


@dataclass
class Job:
    branch_id: str
    job_id: str
    job_type: str
    start: str
    finish: str
    created: datetime


class Writes:
    """The handlers of the writes beside bookings, over the sandbox's state and clock."""

    def __init__(self, sb: _Sandbox) -> None:
        self.sb = sb
        self.jobs: dict[str, Job] = {}
        sb.reset_hooks.append(self.jobs.clear)

    def routes(self) -> list[Route]:
        h = self._handler
        return [
            Route(PREFIX + "/client", h(self.create_client), methods=["POST"]),
            Route(PREFIX + "/client/{client_id}", h(self.update_client), methods=["PUT"]),
            Route(PREFIX + "/clientcourse/{client_course_id}", h(self.update_client_course),
                  methods=["PUT"]),
            Route(BRANCH + "/product", h(self.products), methods=["GET"]),
            Route(BRANCH + "/purchase", h(self.create_purchase), methods=["POST"]),
            Route(PREFIX + "/voucher", h(self.create_voucher), methods=["POST"]),
            Route(PREFIX + "/voucher", h(self.vouchers), methods=["GET"]),
            Route(PREFIX + "/voucher/{voucher_id}", h(self.voucher), methods=["GET"]),
            Route(BRANCH + "/csvexportjob", h(self.create_job), methods=["POST"]),
            Route(BRANCH + "/csvexportjob/{job_id}", h(self.read_job), methods=["GET"]),
            Route("/_sandbox/csvexport/{branch_id}/{job_file}", h(self.download),
                  methods=["GET"]),
        ]

    def _handler(self, fn: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            try:
                return await fn(request)
            except WriteError as exc:
                return self.sb.error(exc.status, exc.detail, exc.error_code, exc.headers)

        return self.sb.handler(wrapped)

    # --- deciding ------------------------------------------------------------------------

    def _decide(self, snapshot: br.Snapshot, kind: str, path: Mapping[str, str],
                body: Mapping[str, Any], request: Request) -> dict[str, str]:
        """Check the write with the same rules as ``check``; a FAIL is raised as a
        refusal, else the verdict headers are returned."""
        records = snapshot.records
        # The sandbox is the whole business: what it does not hold does not exist.
        complete = snapshot.with_records(records.replaced(
            clients=None if records.holds("clients") else {},
            client_courses=None if records.holds("client_courses") else {},
            products=None if records.holds("products") else {},
            vouchers=None if records.holds("vouchers") else {},
            purchases=None if records.holds("purchases") else ()))
        report = br.check(complete, {"kind": kind, "path": dict(path), "body": body},
                          now=self.sb.clock(), ruleset=self.sb.config.ruleset)
        headers: dict[str, str] = {"X-Booking-Rules-Verdict": report.verdict}
        if report.codes:
            headers["X-Booking-Rules-Codes"] = ",".join(report.codes)
        warnings = list(dict.fromkeys(w.code for w in report.warnings))
        if warnings:  # e.g. VOUCHER_RECORDS_NO_SALE: accepted, with something to know
            headers["X-Booking-Rules-Warnings"] = ",".join(warnings)
        if report.verdict == "FAIL":
            first = report.violations[0]
            status = 409 if first.code == "CLIENT_VERSION_STALE" else 400
            raise WriteError(status, f"{first.code}: {first.message}",
                             "CONFLICT" if status == 409 else "BAD_REQUEST", headers)
        return headers

    def _dry(self, request: Request) -> bool:
        value = request.headers.get("x-sandbox-dry-run")
        return value is not None and value.strip().lower() == "true"

    # --- business-level lists, kept in every branch's document --------------------------

    @contextmanager
    def _all_branches(self) -> Iterator[list[BranchState]]:
        """Every branch, locked in one order (a business-level write changes them all)."""
        branches = [self.sb.state.branches[k] for k in sorted(self.sb.state.branches)]
        with ExitStack() as stack:
            for b in branches:
                stack.enter_context(b.lock)
            yield branches

    def _first(self) -> BranchState:
        return self.sb.state.branches[sorted(self.sb.state.branches)[0]]

    def _rows(self, key: str, id_key: str) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for k in sorted(self.sb.state.branches):
            for row in self.sb.state.branches[k].current.doc.get(key) or []:
                out.setdefault(str(row.get(id_key)), row)
        return out

    def _put(self, branches: Sequence[BranchState], key: str, id_key: str, row: Row,
             *, every: bool = True) -> None:
        """Add or replace ``row`` (by ``id_key``) in ``key`` of the branches' documents:
        all of them (``every``), or those already holding it; then remake their
        snapshots' records."""
        rid = row[id_key]
        for branch in branches:
            cur = branch.current
            rows = list(cur.doc.get(key) or [])
            at = next((i for i, r in enumerate(rows) if r.get(id_key) == rid), None)
            if at is None and not every:
                continue
            if at is None:
                rows.append(row)
            else:
                rows[at] = row
            self._commit(branch, {**cur.doc, key: rows})

    def _commit(self, branch: BranchState, doc: dict[str, Any]) -> None:
        """Swap in ``doc`` with its snapshot's records remade (its appointments, overlay
        included, are the snapshot's own and do not change here)."""
        cur = branch.current
        records, _ = read_records(doc, "sandbox write", branch.id)
        clients = {str(r.get("clientId")): client_of(r) for r in doc.get("clients") or []}
        snapshot = cur.snapshot.with_records(records, clients)
        branch.current = Current(doc, snapshot, cur.positions)

    # --- clients -------------------------------------------------------------------------

    async def create_client(self, request: Request) -> Response:
        self.sb._business(request)
        body = await _body(request)
        with self._all_branches() as branches:
            headers = self._decide(self._first().current.snapshot, "createClient", _NO_PATH,
                                   body, request)
            now = z_millis(self.sb.clock())
            taken = self._rows("clients", "clientId")
            row = {**_client_row(body), "clientId": self.sb.state.new_id("cli_sbx_", taken),
                   "version": 1, "createdAt": now, "updatedAt": now}
            if not self._dry(request):
                self._put(branches, "clients", "clientId", row)
        return _json(row, 201, headers)

    async def update_client(self, request: Request) -> Response:
        self.sb._business(request)
        client_id = request.path_params["client_id"]
        body = await _body(request)
        with self._all_branches() as branches:
            current = self._rows("clients", "clientId").get(client_id)
            if current is None:
                raise WriteError(404, f"Client {client_id} not found", "NOT_FOUND")
            headers = self._decide(self._first().current.snapshot, "updateClient",
                                   {"clientId": client_id}, body, request)
            changes = _client_row(body)
            changes.pop("creatingBranchId", None)  # the branch it was created at stays
            row = {**current, **changes, "clientId": client_id,
                   "version": int(current.get("version") or 0) + 1,
                   "updatedAt": z_millis(self.sb.clock())}
            if not self._dry(request):
                self._put(branches, "clients", "clientId", row, every=False)
        return _json(row, 200, headers)

    async def update_client_course(self, request: Request) -> Response:
        self.sb._business(request)
        course_id = request.path_params["client_course_id"]
        body = await _body(request)
        with self._all_branches() as branches:
            current = self._rows("clientCourses", "clientCourseId").get(course_id)
            if current is None:
                raise WriteError(404, f"Client course {course_id} not found", "NOT_FOUND")
            headers = self._decide(self._first().current.snapshot, "updateClientCourse",
                                   {"clientCourseId": course_id}, body, request)
            changes: Row = {k: body[k] for k in ("expiryDate", "archived") if k in body}
            row = {**current, **changes, "clientCourseId": course_id}
            if not self._dry(request):
                self._put(branches, "clientCourses", "clientCourseId", row, every=False)
        return _json(row, 200, headers)

    # --- products and purchases (branch-level) -------------------------------------------

    async def products(self, request: Request) -> Response:
        branch = self.sb.branch(request)
        rows = [r for r in branch.current.doc.get("products") or []
                if not r.get("archived") or request.query_params.get(
                    "includeArchived", "").lower() == "true"]
        return _page(request, "products", rows)

    async def create_purchase(self, request: Request) -> Response:
        branch = self.sb.branch(request)
        body = await _body(request)
        with branch.lock:
            cur = branch.current
            # A number is checked against the whole business's purchases: the other
            # branches' are laid over this one's, each keyed by its own branch.
            others = [p for bid, b in sorted(self.sb.state.branches.items()) if bid != branch.id
                      for p in b.current.snapshot.records.purchases if p.branch_id == bid]
            snapshot = cur.snapshot.with_records(cur.snapshot.records.with_purchases(others))
            headers = self._decide(snapshot, "createPurchase", {"branchId": branch.id}, body,
                                   request)
            answer, row = _purchase(self.sb.state, branch, body, self.sb.clock())
            if not self._dry(request):
                self._commit(branch, {**cur.doc, "purchases": [
                    *(cur.doc.get("purchases") or []), row]})
        return _json(answer, 201, headers)

    # --- vouchers (business-level) ----------------------------------------------------------

    async def create_voucher(self, request: Request) -> Response:
        self.sb._business(request)
        body = await _body(request)
        creating = body.get("creatingBranchId")
        if creating is not None and creating not in self.sb.state.branches:
            raise WriteError(400, f"Branch {creating} not found in business "
                             f"{self.sb.state.business_id}")
        with self._all_branches() as branches:
            decide_at = (self.sb.state.branches[creating] if isinstance(creating, str)
                         else self._first())
            headers = self._decide(decide_at.current.snapshot, "createVoucher", _NO_PATH,
                                   body, request)
            taken = self._rows("vouchers", "voucherId")
            row = _voucher_row(body, self.sb.state.new_id("vch_sbx_", taken))
            if not self._dry(request):
                self._put(branches, "vouchers", "voucherId", row)
        return _json(row, 201, headers)

    async def vouchers(self, request: Request) -> Response:
        self.sb._business(request)
        return _page(request, "vouchers", list(self._rows("vouchers", "voucherId").values()))

    async def voucher(self, request: Request) -> Response:
        self.sb._business(request)
        voucher_id = request.path_params["voucher_id"]
        found = self._rows("vouchers", "voucherId").get(voucher_id)
        if found is None:
            raise WriteError(404, f"Voucher {voucher_id} not found", "NOT_FOUND")
        return _json(found)

    # --- CSV export jobs (branch-level) --------------------------------------------------

    async def create_job(self, request: Request) -> Response:
        branch = self.sb.branch(request)
        body = await _body(request)
        headers = self._decide(branch.current.snapshot, "createCsvExportJob",
                               {"branchId": branch.id}, body, request)
        job = Job(branch.id, self.sb.state.new_id("job_sbx_", self.jobs),
                  str(body["jobType"]), str(body["startFilter"]), str(body["finishFilter"]),
                  self.sb.clock())
        if not self._dry(request):
            self.jobs[job.job_id] = job
        return _json(self._job(job, request), 201, headers)

    async def read_job(self, request: Request) -> Response:
        branch = self.sb.branch(request)
        job = self.jobs.get(request.path_params["job_id"])
        if job is None or job.branch_id != branch.id:
            raise WriteError(404, f"Csv export job {request.path_params['job_id']} not "
                             "found", "NOT_FOUND")
        return _json(self._job(job, request))

    def _job(self, job: Job, request: Request) -> dict[str, Any]:
        """The job as Phorest answers it at the sandbox's now: SCHEDULED, then DONE with
        its counts and a download link signed now."""
        now = self.sb.clock()
        out: dict[str, Any] = {"jobId": job.job_id, "jobType": job.job_type,
                               "jobStatus": "SCHEDULED", "startFilter": job.start,
                               "finishFilter": job.finish}
        finished = job.created + timedelta(seconds=JOB_SECONDS)
        if now < finished:
            return out
        rows = self._export_rows(job)
        signed = now.strftime("%Y%m%dT%H%M%SZ")
        link = request.url.replace(
            path=f"/_sandbox/csvexport/{job.branch_id}/{job.job_id}.csv",
            query=f"X-Amz-Date={signed}&X-Amz-Expires={LINK_SECONDS}")
        out.update({"jobStatus": "DONE", "finished": z_millis(finished),
                    "totalRows": len(rows), "succeededRows": len(rows),
                    "tempCsvExternalUrl": str(link)})
        if not rows:
            out["failureReason"] = "No records found"
        return out

    def _export_rows(self, job: Job) -> list[dict[str, Any]]:
        doc = self.sb.state.branches[job.branch_id].current.doc
        if job.job_type == "TRANSACTIONS_CSV":
            return [r for r in doc.get("purchases") or []
                    if r.get("branchId", job.branch_id) == job.branch_id
                    and job.start <= str(r.get("createdAt", ""))[:10] <= job.finish]
        if job.job_type == "CLIENT_COURSES_CSV":
            return [r for r in doc.get("clientCourses") or []
                    if job.start <= str(r.get("purchaseDate", "")) <= job.finish]
        return []  # the sandbox keeps no petty cash sales and no DATEV ledger

    async def download(self, request: Request) -> Response:
        """The pre-signed link: the CSV until the link expires, then 403."""
        name = request.path_params["job_file"].removesuffix(".csv")
        job = self.jobs.get(name)
        if job is None or job.branch_id != request.path_params["branch_id"]:
            raise WriteError(404, f"No export {name}", "NOT_FOUND")
        q = request.query_params
        try:
            signed = datetime.strptime(q.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
            lifetime = int(q.get("X-Amz-Expires", ""))
        except ValueError:
            raise WriteError(403, "Request is not signed", "FORBIDDEN") from None
        expires = signed.replace(tzinfo=self.sb.clock().tzinfo) + timedelta(
            seconds=lifetime)
        if self.sb.clock() >= expires:
            raise WriteError(403, "Request has expired", "FORBIDDEN")
        rows = self._export_rows(job)
        out = io.StringIO()
        fields = sorted({k for r in rows for k in r}) or ["empty"]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv")


# --- answers --------------------------------------------------------------------------------


def _client_row(body: Mapping[str, Any]) -> Row:
    """A client body as Phorest's answers hold it: phone numbers as strings."""
    row = {k: v for k, v in body.items() if k not in ("clientId", "version")}
    for key in ("mobile", "landLine"):
        value = row.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            row[key] = str(value)
    return row


def _money(value: object) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return Decimal(0)


def _num(amount: Decimal) -> float:
    """An amount as Phorest's answers write it: a JSON number with two decimals."""
    return float(amount.quantize(_TWO))


_ITEM_IDS = ("appointmentId", "serviceId", "branchProductId", "courseId")


def _purchase(state: SandboxState, branch: BranchState, body: Mapping[str, Any],
              now: datetime) -> tuple[dict[str, Any], Row]:
    """The answer of an accepted purchase (Phorest's example shape) and the row the
    branch keeps of it. The transaction number is the branch's next: unique per branch."""
    doc = branch.current.doc
    numbers = [int(r["transactionNumber"]) for r in doc.get("purchases") or []
               if r.get("branchId", branch.id) == branch.id
               and str(r.get("transactionNumber", "")).isdigit()]
    transaction = str(max(numbers, default=0) + 1)
    names = {**{str(r.get("productId")): r.get("name") for r in doc.get("products") or []},
             **{str(r.get("courseId")): r.get("name") for r in doc.get("courses") or []},
             **{str(r.get("serviceId")): r.get("name") for r in doc.get("services") or []}}
    items, total = [], Decimal(0)
    for item in body.get("items") or []:
        price = _money(item.get("price"))
        quantity = _money(item["quantity"]) if item.get("quantity") is not None else (
            Decimal(1))
        line = price * quantity
        total += line
        ref = next((k for k in _ITEM_IDS if item.get(k) is not None), None)
        detail = {"totalAmount": _num(line), "taxAmount": 0.0, "taxIncluded": False,
                  "taxRates": []}
        items.append({"purchaseItemId": state.new_id("pi_sbx_"),
                      "description": names.get(str(item.get(ref))) if ref else None,
                      "price": _num(price), **({ref: item[ref]} if ref else {}),
                      "staffId": item.get("staffId"), "details": detail,
                      "childPurchaseItems": [], "quantity": int(quantity)})
    payments, paid = [], Decimal(0)
    for pay in body.get("payments") or []:
        amount = _money(pay.get("amount"))
        paid += amount
        payments.append({"paymentId": state.new_id("pay_sbx_"), "type": pay.get("type"),
                         "amount": _num(amount)})
    purchase_id = state.new_id("pur_sbx_")
    answer = {"purchaseId": purchase_id, "number": body.get("number"),
              "transactionNumber": transaction, "clientId": body.get("clientId"),
              "payments": payments, "items": items,
              "details": {"totalAmount": _num(total), "taxAmount": 0.0,
                          "changeAmount": _num(max(paid - total, Decimal(0))),
                          "taxes": []}}
    row = {"purchaseId": purchase_id, "number": body.get("number"),
           "transactionNumber": transaction, "branchId": branch.id,
           "clientId": body.get("clientId"), "createdAt": z_millis(now)}
    return answer, row


def _voucher_row(body: Mapping[str, Any], voucher_id: str) -> Row:
    """A voucher as ``GET /voucher/{voucherId}`` answers it: Phorest's own id (the body's
    ``voucherId`` is not kept), the serial as a string, instants to the second, and the
    remaining balance equal to the original, as Phorest's example answer shows."""
    original = _money(body.get("originalBalance"))

    def instant(key: str) -> str | None:
        value = body.get(key)
        if not isinstance(value, str):
            return None
        return z_millis(parse_instant(value)[0].replace(microsecond=0))

    serial = body.get("serialNumber")
    return {"voucherId": voucher_id, "serialNumber": None if serial is None else str(serial),
            "issueDate": instant("issueDate"), "expiryDate": instant("expiryDate"),
            "clientId": body.get("clientId"), "creatingBranchId": body.get("creatingBranchId"),
            "originalBalance": _num(original), "remainingBalance": _num(original)}


# --- plumbing (as ``_app``'s, which this module does not import) ---------------------------


async def _body(request: Request) -> dict[str, Any]:
    return body_object(await request.body())


def _json(body: object, status: int = 200, headers: Mapping[str, str] | None = None
          ) -> Response:
    return Response(msgspec.json.encode(body), status_code=status, headers=headers,
                    media_type="application/json")


def _page(request: Request, key: str, rows: Sequence[Row]) -> Response:
    q = request.query_params
    try:
        size = int(q.get("size", "20"))
        number = int(q.get("page", "0"))
    except ValueError:
        raise WriteError(400, "page and size must be whole numbers") from None
    if not 1 <= size <= 100 or number < 0:
        raise WriteError(400, "size must be 1 to 100 and page at least 0")
    pages = -(-len(rows) // size)
    return _json({"_embedded": {key: list(rows[number * size:(number + 1) * size])},
                  "page": {"size": size, "totalElements": len(rows), "totalPages": pages,
                           "number": number}})
