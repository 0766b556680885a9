"""The guarded client: check against the cache, send only what passes, explain refusals.

    from booking_rules.phorest import Client, RefusedLocally
    with Client(base_url, credentials, cache="sqlite:///cache.db", business="biz",
                branch="br_tor") as phorest:
        try:
            sent = phorest.create_booking(body)
        except RefusedLocally as exc:
            print(exc.report.to_text())          # not sent: Phorest would refuse it
        else:
            if not sent.ok:
                print(sent.explanation.to_text())  # Phorest refused: why, and what passes

Before each write the client brings its snapshot of the branch up to what the cache holds
(``Cache.refresh``: the cost of what changed), checks the body at ``now``, and refuses
locally (``RefusedLocally``, carrying the report) unless the verdict is PASS or the caller
forces it. An answer that is not 2xx is explained (``booking_rules.explain``: the
diagnosis, the evidence, alternatives that pass) and filed as a corpus entry
(docs/explain.md, "Corpus mode") so ``booking-rules explain --corpus DIR`` scores it.

Only a 429 is retried (it was not processed; ``Retry-After`` is honoured): a write that
met a 5xx, a timeout or a dropped connection may have been applied, so it is answered, not
sent again. The credentials never appear in a message, a log or a corpus entry.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx
import stamina

import booking_rules as br

from ..cache import Cache, LiveSnapshot, open_cache
from ..core.records import Purchase
from ._credentials import Credentials
from ._errors import AuthError, SyncError
from ._http import DEFAULT_BASE_URL, RetryPolicy, _retry_after

Kind = Literal["createBooking", "updateAppointment", "createClient", "updateClient",
               "updateClientCourse", "createPurchase", "createVoucher",
               "createCsvExportJob", "readCsvExportJob"]

# The writes beside bookings (platforms/phorest/writes.py): method, path under the
# business ({b} the branch, {id} the path id) and the path id's name.
_WRITES: dict[str, tuple[str, str, str | None]] = {
    "createClient": ("POST", "client", None),
    "updateClient": ("PUT", "client/{id}", "clientId"),
    "updateClientCourse": ("PUT", "clientcourse/{id}", "clientCourseId"),
    "createPurchase": ("POST", "branch/{b}/purchase", None),
    "createVoucher": ("POST", "voucher", None),
    "createCsvExportJob": ("POST", "branch/{b}/csvexportjob", None),
    "readCsvExportJob": ("GET", "branch/{b}/csvexportjob/{id}", "jobId"),
}
_BRANCH_PATHS = frozenset({"createPurchase", "createCsvExportJob", "readCsvExportJob"})


class RefusedLocally(SyncError):
    """The check against the cache did not pass, so the write was not sent.

    ``report`` is the check's ``Report`` (its verdict FAIL, or UNKNOWN when the cache
    lacks or has too old data a rule needs). Send it anyway with ``force=True``.
    """

    def __init__(self, report: br.Report, kind: str) -> None:
        self.report = report
        self.kind = kind
        codes = ", ".join(v.code for v in (*report.violations, *report.unknowns)) or "-"
        super().__init__(f"{kind} not sent: the check against the cache says "
                         f"{report.verdict} ({codes}); force=True sends it anyway")


class SendError(SyncError):
    """The write could not be completed (no connection, or the connection dropped after
    it was sent: it may have been applied; read the appointments before retrying)."""


@dataclass(frozen=True)
class Sent:
    """A write that was sent: the answer, the local check it was sent after and, when
    the API refused it, the explanation and where the exchange was filed."""

    kind: str
    status: int
    body: Any  # the answer's JSON, or its text when it is not JSON
    report: br.Report  # the check against the cache, before sending
    explanation: br.Explanation | None = None  # None when accepted
    filed: Path | None = None  # the corpus entry written for a refusal
    forced: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _Guard:
    """What the sync and the async client share: the snapshot, the check, the filing."""

    def __init__(self, base_url: str, credentials: Credentials | tuple[str, str],
                 cache: Cache | str, *, business: str, branch: str,
                 ruleset: str | Path | br.Ruleset, online: bool,
                 corpus: str | Path | None, clock: Callable[[], datetime] | None,
                 retry: RetryPolicy | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = (credentials if isinstance(credentials, Credentials)
                            else Credentials.of(*credentials))
        self._own_cache = not isinstance(cache, Cache)
        self.cache = open_cache(cache) if isinstance(cache, str) else cache
        self.business, self.branch = business, branch
        self.ruleset, self.online = ruleset, online
        self.clock = clock or (lambda: datetime.now(UTC))
        self.retry = retry or RetryPolicy()
        self.corpus = Path(corpus) if corpus is not None else _default_corpus(self.cache)
        self._live: LiveSnapshot | None = None
        # What this client was answered (issue 18): each client's latest version, and
        # the purchases it made, keyed (branchId, transactionNumber) as Phorest numbers
        # them per branch. Phorest lists no purchases, so this log is laid over the
        # snapshot before a purchase is checked: a retry reusing a number is caught.
        self.client_versions: dict[str, int] = {}
        self.purchases: list[Purchase] = []

    def snapshot(self) -> br.Snapshot:
        """The branch as the cache holds it now (refreshed at the cost of the change)."""
        if self._live is None:
            self._live = self.cache.live(self.branch, business=self.business)
            return self._live.snapshot
        return self._live.refresh()

    def path(self, kind: Kind, body: Mapping[str, Any], appointment_id: str | None) -> str:
        root = f"{self.base_url}/{self.business}/branch/{self.branch}"
        if kind == "createBooking":
            return f"{root}/booking"
        target = appointment_id or body.get("appointmentId")
        if not isinstance(target, str) or not target:
            raise br.InputError("updateAppointment", "appointmentId",
                                "the id of the appointment to update (in the body or as "
                                "appointment_id=)")
        return f"{root}/appointment/{target}"

    def request(self, kind: Kind, body: Mapping[str, Any], path_id: str | None
                ) -> tuple[str, str, dict[str, Any]]:
        """(method, URL, the ``{"kind", "path", "body"}`` request checked) of a write."""
        if kind in ("createBooking", "updateAppointment"):
            url = self.path(kind, body, path_id)
            return ("POST" if kind == "createBooking" else "PUT", url,
                    {"kind": kind, "body": dict(body)})
        method, template, id_name = _WRITES[kind]
        ids: dict[str, str] = {}
        if kind in _BRANCH_PATHS:
            ids["branchId"] = self.branch
        if id_name is not None:
            target = path_id or body.get(id_name)
            if not isinstance(target, str) or not target:
                raise br.InputError(kind, id_name, f"the {id_name} of the path (in the "
                                    "body or given as an argument)", target)
            ids[id_name] = target
        url = (f"{self.base_url}/{self.business}/" + template.format(
            b=self.branch, id=ids.get(id_name or "", "")))
        return method, url, {"kind": kind, "path": ids, "body": dict(body)}

    def check(self, request: Mapping[str, Any], now: datetime | None
              ) -> tuple[br.Snapshot, br.Report, datetime]:
        when = now or self.clock()
        if when.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        snap = self.snapshot()
        if request["kind"] == "createPurchase":
            snap = snap.with_records(snap.records.with_purchases(self.purchases))
        elif request["kind"] == "updateClient" and self.client_versions:
            # The version this client was answered is current until a sync says more.
            held = snap.records.clients
            clients = {**held, **{cid: dataclasses.replace(held[cid], version=v)
                                  for cid, v in self.client_versions.items()
                                  if cid in held and (held[cid].version or 0) < v}}
            snap = snap.with_records(snap.records.replaced(clients=clients))
        report = br.check(snap, dict(request), now=when, online=self.online,
                          ruleset=self.ruleset)
        return snap, report, when

    def keep(self, kind: str, request: Mapping[str, Any], now: datetime,
             answer: Any) -> None:
        """Keep what an accepted write's answer says that a later check needs."""
        if not isinstance(answer, Mapping):
            return
        if kind in ("createClient", "updateClient"):
            cid, version = answer.get("clientId"), answer.get("version")
            if isinstance(cid, str) and isinstance(version, int):
                self.client_versions[cid] = version
        elif kind == "createPurchase":
            body = request["body"]
            number, transaction = answer.get("number", body.get("number")), answer.get(
                "transactionNumber")
            self.purchases.append(Purchase(
                self.branch, None if number is None else str(number),
                None if transaction is None else str(transaction),
                _text(answer.get("purchaseId")), _text(body.get("clientId")), now,
                source="log"))

    def job_read(self, job_id: str, response: httpx.Response, now: datetime | None,
                 force: bool) -> Sent:
        """A read export job: a 2xx answer is checked as ``readCsvExportJob`` (its link's
        lifetime at ``now``) before the caller may use the link; else it is answered
        (explained and filed) as a refused write is."""
        request: dict[str, Any] = {"kind": "readCsvExportJob",
                                   "path": {"branchId": self.branch, "jobId": job_id},
                                   "body": {}}
        try:
            answer: Any = response.json()
        except ValueError:
            answer = None
        if 200 <= response.status_code < 300 and isinstance(answer, Mapping):
            request["body"] = dict(answer)
            snap, report, when = self.check(request, now)
            if report.verdict != "PASS" and not force:
                raise RefusedLocally(report, "readCsvExportJob")
            return self.answered(request, snap, report, when, response,
                                 force and report.verdict != "PASS")
        snap, report, when = self.check(request, now)
        return self.answered(request, snap, report, when, response, False)

    def answered(self, request: Mapping[str, Any], snap: br.Snapshot,
                 report: br.Report, now: datetime, response: httpx.Response,
                 forced: bool) -> Sent:
        kind = str(request["kind"])
        status = response.status_code
        if status == 401:
            raise AuthError(f"{kind}: HTTP 401: Phorest refused the username and password "
                            f"from {self.credentials.source}")
        if status == 403:
            raise AuthError(f"{kind}: HTTP 403: the credentials from "
                            f"{self.credentials.source} may not write to business "
                            f"{self.business}")
        try:
            parsed: Any = response.json()
        except ValueError:
            parsed = response.text
        if 200 <= status < 300:
            self.keep(kind, request, now, parsed)
            return Sent(kind, status, parsed, report, forced=forced)
        why = br.explain(response.content, dict(request), snap, status=status, now=now,
                         online=self.online, ruleset=self.ruleset)
        filed = (self._file(dict(request), response, snap, report, now) if self.corpus
                 else None)
        return Sent(kind, status, parsed, report, why, filed, forced)

    def _file(self, request: dict[str, Any], response: httpx.Response, snap: br.Snapshot,
              report: br.Report, now: datetime) -> Path:
        """One corpus entry (docs/explain.md): the snapshot the request was checked
        against (trimmed to what the check reads when the trim gives the same report),
        the request, the raw answer and its status, time and mode."""
        assert self.corpus is not None
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.corpus.mkdir(parents=True, exist_ok=True)
        # Entries are read in name order: time, then a sequence (several a second), and
        # a short random part so two processes filing at once never collide.
        seq = sum(1 for _ in self.corpus.iterdir())
        while True:
            entry = self.corpus / (f"{stamp}_{seq:05d}_{request['kind']}_"
                                   f"{response.status_code}_{uuid.uuid4().hex[:6]}")
            try:
                entry.mkdir()
                break
            except FileExistsError:
                seq += 1
        doc, _ = self.cache.document(self.branch, business=self.business)
        kept = _trimmed(doc, request, now, self.online, self.ruleset)
        (entry / "snapshot.json").write_text(json.dumps(kept, ensure_ascii=False))
        (entry / "request.json").write_text(json.dumps(request, indent=2,
                                                       ensure_ascii=False))
        name = "response.json" if _is_json(response.content) else "response.txt"
        (entry / name).write_bytes(response.content)
        (entry / "meta.json").write_text(json.dumps({
            "status": response.status_code,
            "now": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "online": self.online}, indent=2))
        # The check the client ran before sending (corpus mode ignores other files).
        (entry / "check.json").write_text(report.to_json())
        return entry

    def close(self) -> None:
        if self._own_cache:
            self.cache.close()


def _send_error(kind: str, exc: httpx.TransportError) -> SendError:
    return SendError(f"{kind}: {exc.__class__.__name__}: the write may or may not have "
                     "been applied; read the branch's data before retrying")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _is_json(content: bytes) -> bool:
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


def _default_corpus(cache: Cache) -> Path | None:
    """Beside the cache file: ``<its folder>/corpus``; none for an in-memory cache."""
    path = getattr(cache.store, "path", None)
    if not isinstance(path, str) or path == ":memory:":
        return None
    return Path(path).resolve().parent / "corpus"


def _trimmed(doc: dict[str, Any], request: dict[str, Any], now: datetime, online: bool,
             ruleset: str | Path | br.Ruleset) -> dict[str, Any]:
    """``doc`` with only the appointments on the request's local days (±1), of its
    client, or the one it updates, when that gives the same report; else ``doc``."""
    rows = doc.get("appointments")
    if not isinstance(rows, list):
        return doc
    zone = br.load_snapshot({"branch": doc["branch"]}).zone
    body = request["body"]
    days: set[str] = set()
    clients = {body.get("clientId")}
    for group in body.get("clientAppointmentSchedules") or []:
        clients.add(group.get("clientId"))
        for s in group.get("serviceSchedules") or []:
            days |= _days_around(s.get("startTime"), zone)
    for s in body.get("schedules") or []:
        days |= _days_around(s.get("startTime"), zone)
    if body.get("appointmentDate"):
        days |= _days_around(f"{body['appointmentDate']}T12:00:00", zone)
    target = body.get("appointmentId")
    kept = [r for r in rows if r.get("appointmentDate") in days
            or r.get("clientId") in clients or r.get("appointmentId") == target]
    if len(kept) == len(rows):
        return doc
    trimmed = {**doc, "appointments": kept}
    full = br.check(br.load_snapshot(doc), request, now=now, online=online, ruleset=ruleset)
    small = br.check(br.load_snapshot(trimmed), request, now=now, online=online,
                     ruleset=ruleset)
    return trimmed if small.to_json() == full.to_json() else doc


def _days_around(value: object, zone: Any) -> set[str]:
    if not isinstance(value, str):
        return set()
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return set()
    day = (instant.astimezone(zone) if instant.tzinfo else instant).date()
    return {(day + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}


def _retrying(policy: RetryPolicy) -> Any:
    """Retries of a write: only a 429 (not processed), waiting what Retry-After asks."""

    def on(exc: Exception) -> bool | float:
        if isinstance(exc, _TooMany):
            return True if exc.wait is None else min(exc.wait, policy.max_retry_after)
        return isinstance(exc, httpx.ConnectError)  # never reached the server

    return stamina.retry_context(on=on, attempts=policy.attempts, timeout=policy.timeout,
                                 wait_initial=policy.wait_initial, wait_max=policy.wait_max,
                                 wait_jitter=policy.wait_jitter)


class _TooMany(Exception):
    def __init__(self, response: httpx.Response, wait: float | None) -> None:
        self.response = response
        self.wait = wait


class Client(_Guard):
    """The guarded Phorest client (httpx, synchronous). ``base_url``: as for the sync
    (``DEFAULT_BASE_URL``, a sandbox's); ``cache``: a ``Cache`` or its URL; ``transport``:
    an httpx transport (tests: the sandbox in-process); ``corpus``: where refusals are
    filed (default: ``corpus/`` beside the cache file); ``clock``: ``now`` when a call
    gives none."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL,
                 credentials: Credentials | tuple[str, str] | None = None, *,
                 cache: Cache | str, business: str, branch: str,
                 transport: httpx.BaseTransport | None = None,
                 ruleset: str | Path | br.Ruleset = "phorest", online: bool = False,
                 corpus: str | Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0) -> None:
        if credentials is None:
            raise br.InputError("Client", "credentials", "the API user's (username, "
                                "password), or booking_rules.sync.from_environment()")
        super().__init__(base_url, credentials, cache, business=business, branch=branch,
                         ruleset=ruleset, online=online, corpus=corpus, clock=clock,
                         retry=retry)
        self._http = httpx.Client(auth=self.credentials.auth(), transport=transport,
                                  timeout=timeout, headers={"Accept": "application/json"})

    def create_booking(self, body: Mapping[str, Any], now: datetime | None = None,
                       force: bool = False) -> Sent:
        """Check ``body`` (a createBooking body) against the cache at ``now``; refuse it
        locally (``RefusedLocally``) unless it passes or ``force``; else send it."""
        return self._write("createBooking", body, None, now, force)

    def update_appointment(self, body: Mapping[str, Any], now: datetime | None = None,
                           force: bool = False, *, appointment_id: str | None = None) -> Sent:
        """The same for an updateAppointment body (``appointmentId`` in the body, or
        given), sent as ``PUT .../appointment/{id}``."""
        return self._write("updateAppointment", body, appointment_id, now, force)

    def create_client(self, body: Mapping[str, Any], now: datetime | None = None,
                      force: bool = False) -> Sent:
        """``POST /client``, checked as ``createClient``."""
        return self._write("createClient", body, None, now, force)

    def update_client(self, client_id: str, body: Mapping[str, Any],
                      now: datetime | None = None, force: bool = False) -> Sent:
        """``PUT /client/{clientId}``, checked as ``updateClient`` (its ``version``
        against the cache's, or the one this client was last answered)."""
        return self._write("updateClient", body, client_id, now, force)

    def update_client_course(self, client_course_id: str, body: Mapping[str, Any],
                             now: datetime | None = None, force: bool = False) -> Sent:
        """``PUT /clientcourse/{clientCourseId}``, checked as ``updateClientCourse``."""
        return self._write("updateClientCourse", body, client_course_id, now, force)

    def create_purchase(self, body: Mapping[str, Any], now: datetime | None = None,
                        force: bool = False) -> Sent:
        """``POST /branch/{branchId}/purchase``, checked as ``createPurchase`` with this
        client's own purchases laid over the cache (a reused ``number`` is refused)."""
        return self._write("createPurchase", body, None, now, force)

    def create_voucher(self, body: Mapping[str, Any], now: datetime | None = None,
                       force: bool = False) -> Sent:
        """``POST /voucher``, checked as ``createVoucher``."""
        return self._write("createVoucher", body, None, now, force)

    def create_csv_export_job(self, body: Mapping[str, Any], now: datetime | None = None,
                              force: bool = False) -> Sent:
        """``POST /branch/{branchId}/csvexportjob``, checked as ``createCsvExportJob``."""
        return self._write("createCsvExportJob", body, None, now, force)

    def read_csv_export_job(self, job_id: str, now: datetime | None = None,
                            force: bool = False) -> Sent:
        """``GET .../csvexportjob/{jobId}``, the answer checked as ``readCsvExportJob``
        at ``now`` before it is returned: a download link that has expired (or will
        before it can be used) raises ``RefusedLocally`` unless ``force``."""
        method, url, _ = self.request("readCsvExportJob", {}, job_id)
        response = self._send("readCsvExportJob", method, url, None)
        return self.job_read(job_id, response, now, force)

    def _write(self, kind: Kind, body: Mapping[str, Any], path_id: str | None,
               now: datetime | None, force: bool) -> Sent:
        method, url, request = self.request(kind, body, path_id)
        snap, report, when = self.check(request, now)
        if report.verdict != "PASS" and not force:
            raise RefusedLocally(report, kind)
        response = self._send(kind, method, url, request["body"])
        return self.answered(request, snap, report, when, response,
                             force and report.verdict != "PASS")

    def _send(self, kind: str, method: str, url: str, body: Any) -> httpx.Response:
        try:
            for attempt in _retrying(self.retry):
                with attempt:
                    response = self._http.request(method, url, json=body)
                    if response.status_code == 429:
                        raise _TooMany(response, _retry_after(
                            response.headers.get("Retry-After"), self.clock()))
        except _TooMany as exc:
            response = exc.response
        except httpx.TransportError as exc:
            raise _send_error(kind, exc) from None
        return response

    def close(self) -> None:
        self._http.close()
        super().close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Guard):
    """``Client``'s async twin (``httpx.AsyncClient``): the same arguments (an
    ``httpx.AsyncBaseTransport``), the same checks. The check and the cache read run on
    the event loop's thread: they cost microseconds and milliseconds, and the cache's
    SQLite connection belongs to the thread that opened it."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL,
                 credentials: Credentials | tuple[str, str] | None = None, *,
                 cache: Cache | str, business: str, branch: str,
                 transport: httpx.AsyncBaseTransport | None = None,
                 ruleset: str | Path | br.Ruleset = "phorest", online: bool = False,
                 corpus: str | Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 retry: RetryPolicy | None = None, timeout: float = 30.0) -> None:
        if credentials is None:
            raise br.InputError("AsyncClient", "credentials", "the API user's (username, "
                                "password), or booking_rules.sync.from_environment()")
        super().__init__(base_url, credentials, cache, business=business, branch=branch,
                         ruleset=ruleset, online=online, corpus=corpus, clock=clock,
                         retry=retry)
        self._http = httpx.AsyncClient(auth=self.credentials.auth(), transport=transport,
                                       timeout=timeout,
                                       headers={"Accept": "application/json"})

    async def create_booking(self, body: Mapping[str, Any], now: datetime | None = None,
                             force: bool = False) -> Sent:
        return await self._write("createBooking", body, None, now, force)

    async def update_appointment(self, body: Mapping[str, Any], now: datetime | None = None,
                                 force: bool = False, *, appointment_id: str | None = None
                                 ) -> Sent:
        return await self._write("updateAppointment", body, appointment_id, now, force)

    async def create_client(self, body: Mapping[str, Any], now: datetime | None = None,
                            force: bool = False) -> Sent:
        return await self._write("createClient", body, None, now, force)

    async def update_client(self, client_id: str, body: Mapping[str, Any],
                            now: datetime | None = None, force: bool = False) -> Sent:
        return await self._write("updateClient", body, client_id, now, force)

    async def update_client_course(self, client_course_id: str, body: Mapping[str, Any],
                                   now: datetime | None = None, force: bool = False
                                   ) -> Sent:
        return await self._write("updateClientCourse", body, client_course_id, now, force)

    async def create_purchase(self, body: Mapping[str, Any], now: datetime | None = None,
                              force: bool = False) -> Sent:
        return await self._write("createPurchase", body, None, now, force)

    async def create_voucher(self, body: Mapping[str, Any], now: datetime | None = None,
                             force: bool = False) -> Sent:
        return await self._write("createVoucher", body, None, now, force)

    async def create_csv_export_job(self, body: Mapping[str, Any],
                                    now: datetime | None = None, force: bool = False
                                    ) -> Sent:
        return await self._write("createCsvExportJob", body, None, now, force)

    async def read_csv_export_job(self, job_id: str, now: datetime | None = None,
                                  force: bool = False) -> Sent:
        method, url, _ = self.request("readCsvExportJob", {}, job_id)
        response = await self._send("readCsvExportJob", method, url, None)
        return self.job_read(job_id, response, now, force)

    async def _write(self, kind: Kind, body: Mapping[str, Any], path_id: str | None,
                     now: datetime | None, force: bool) -> Sent:
        method, url, request = self.request(kind, body, path_id)
        snap, report, when = self.check(request, now)
        if report.verdict != "PASS" and not force:
            raise RefusedLocally(report, kind)
        response = await self._send(kind, method, url, request["body"])
        return self.answered(request, snap, report, when, response,
                             force and report.verdict != "PASS")

    async def _send(self, kind: str, method: str, url: str, body: Any) -> httpx.Response:
        try:
            async for attempt in _retrying(self.retry):
                with attempt:
                    response = await self._http.request(method, url, json=body)
                    if response.status_code == 429:
                        raise _TooMany(response, _retry_after(
                            response.headers.get("Retry-After"), self.clock()))
        except _TooMany as exc:
            response = exc.response
        except httpx.TransportError as exc:
            raise _send_error(kind, exc) from None
        return response

    async def aclose(self) -> None:
        await self._http.aclose()
        self.close_cache()

    def close_cache(self) -> None:
        _Guard.close(self)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
