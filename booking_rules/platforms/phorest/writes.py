"""Phorest's writes beside bookings: the wire shapes of their bodies and of the snapshot
lists their rules read, and their reading into canonical requests and records.

Request kinds (Phorest's names, the endpoint, and the canonical subject and kind):

| kind | endpoint | subject, kind |
|---|---|---|
| createClient | POST /client | client, create |
| updateClient | PUT /client/{clientId} | client, update |
| updateClientCourse | PUT /clientcourse/{id} | client_course, update |
| createPurchase | POST /branch/{branchId}/purchase | purchase, create |
| createVoucher | POST /voucher | voucher, create |
| createCsvExportJob | POST /branch/{branchId}/csvexportjob | export_job, create |
| readCsvExportJob | GET /branch/{branchId}/csvexportjob/{jobId} | export_job, read |

A request file may carry the path's ids: ``{"kind", "path": {"clientId": ...}, "body"}``.

Snapshot lists read here (beside ``read.py``'s): ``products`` (GET /branch/{branchId}/
product), ``vouchers`` (GET /voucher/{voucherId} rows), ``purchases`` (the answers of POST
/purchase: Phorest lists no purchases, so a cache keeps what it was answered), and the
fields of ``clients`` (``version``, ``creatingBranchId``) and ``clientCourses``
(``purchaseDate``) that only these rules read. Shapes Phorest has not published are
marked ASSUMED.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

from pydantic import BeforeValidator, Field

from ..._errors import InputError
from ..._time import UTC, parse_instant
from ...core import model as m
from ...core import payloads as p
from ...core.records import (
    ClientCourseRecord,
    ClientRecord,
    Product,
    Purchase,
    RecordList,
    Records,
    Voucher,
)
from .read import _page_items, _Wire, join, validate

# --- field types -------------------------------------------------------------------------


def _number(value: object) -> Decimal:
    """A JSON number as the exact decimal it was written as (a float's shortest repr
    round-trips to the literal that made it)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("a number")
    try:
        out = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError("a finite number") from None
    if not out.is_finite():
        raise ValueError("a finite number")
    return out


def _text_id(value: object) -> str:
    """An id Phorest returns as a string but accepts as a number (a voucher serial, a
    transaction number): its text."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("a string (or a whole number)")
    text = str(value)
    if not text:
        raise ValueError("a non-empty string")
    return text


def _instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("an ISO-8601 instant such as 2026-12-01T15:00:00Z")
    try:
        return parse_instant(value)[0]
    except ValueError:
        raise ValueError("an ISO-8601 instant such as 2026-12-01T15:00:00Z") from None


def _iso_date(value: object) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("a date yyyy-MM-dd")


Money = Annotated[Decimal, BeforeValidator(_number)]
TextId = Annotated[str, BeforeValidator(_text_id)]
Instant = Annotated[datetime, BeforeValidator(_instant)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


# ``read._Wire``: unknown fields are kept (model_extra), and a request's are named in an
# UNKNOWN_FIELD notice.
W = TypeVar("W", bound=_Wire)

# --- snapshot lists ------------------------------------------------------------------------


class ClientRowIn(_Wire):
    clientId: str
    version: int | None = None
    creatingBranchId: str | None = None


class ClientCourseRowIn(_Wire):
    clientCourseId: str
    clientId: str | None = None
    courseId: str | None = None
    purchaseDate: IsoDate | None = None
    expiryDate: IsoDate | None = None
    archived: bool = False


class ProductIn(_Wire):
    # GET /branch/{branchId}/product: its productId is what a purchase sends as
    # branchProductId (Phorest's support notes).
    productId: str
    name: str | None = None
    archived: bool = False


class VoucherIn(_Wire):  # GET /voucher/{voucherId} (a list endpoint's shape: ASSUMED)
    voucherId: str
    serialNumber: TextId | None = None
    clientId: str | None = None
    creatingBranchId: str | None = None
    issueDate: Instant | None = None
    expiryDate: Instant | None = None
    originalBalance: Money | None = None
    remainingBalance: Money | None = None


class PurchaseRowIn(_Wire):
    """A purchase as POST /purchase answered it, or as a client's log kept it. ``branchId``
    is not in the answer (the path had it): a row without one is the snapshot's branch."""

    purchaseId: str | None = None
    number: TextId | None = None
    transactionNumber: TextId | None = None
    clientId: str | None = None
    branchId: str | None = None
    createdAt: Instant | None = None  # ASSUMED: when the sale was made, if kept


# Snapshot key -> (neutral list name, `_embedded` names). ``read.py`` accepts the keys.
SNAPSHOT_LISTS: dict[str, tuple[RecordList, tuple[str, ...]]] = {
    "clients": ("clients", ("clients",)),
    "clientCourses": ("client_courses", ("clientCourses",)),
    "products": ("products", ("products", "branchProducts")),
    "vouchers": ("vouchers", ("vouchers",)),
    "purchases": ("purchases", ("purchases",)),
}


def _rows(doc: Mapping[str, Any], key: str, model: type[W], source: str) -> Iterator[W]:
    """The rows of list ``key`` as ``model``, one at a time: 30,000 clients validated at
    once were the peak of a load."""
    raw = _page_items(doc[key], key, source, key)
    return (validate(model, item, source, f"{key}[{i}]") for i, item in enumerate(raw))


def plain_client(raw: object) -> ClientRecord | None:
    """A client row of the plain shape (exact types, which pydantic reads as they are)
    read without pydantic: a branch holds tens of thousands. None for any other row,
    which ``ClientRowIn`` validates, for its message."""
    if type(raw) is not dict:
        return None
    cid, version, made = raw.get("clientId"), raw.get("version"), raw.get("creatingBranchId")
    if type(cid) is str and (version is None or type(version) is int) and (
            made is None or type(made) is str):
        return ClientRecord(cid, version, made)
    return None


def read_records(doc: Mapping[str, Any], source: str, branch_id: str
                 ) -> tuple[Records, list[m.Notice]]:
    """The business records of a snapshot document, and the notices reading them raised
    (a duplicate voucher, a transaction number twice in one branch)."""
    notices: list[m.Notice] = []
    held = frozenset(name for key, (name, _) in SNAPSHOT_LISTS.items()
                     if doc.get(key) is not None)
    clients: dict[str, ClientRecord] = {}
    courses: dict[str, ClientCourseRecord] = {}
    products: dict[str, Product] = {}
    vouchers: dict[str, Voucher] = {}
    purchases: list[Purchase] = []
    if doc.get("clients") is not None:
        for i, raw in enumerate(_page_items(doc["clients"], "clients", source, "clients")):
            record = plain_client(raw)
            if record is None:
                c = validate(ClientRowIn, raw, source, f"clients[{i}]")
                record = ClientRecord(c.clientId, c.version, c.creatingBranchId)
            clients[record.id] = record
    if doc.get("clientCourses") is not None:
        for cc in _rows(doc, "clientCourses", ClientCourseRowIn, source):
            courses[cc.clientCourseId] = ClientCourseRecord(
                cc.clientCourseId, cc.clientId, cc.courseId, cc.purchaseDate, cc.expiryDate,
                cc.archived)
    if doc.get("products") is not None:
        for i, pr in enumerate(_rows(doc, "products", ProductIn, source)):
            if pr.productId in products:
                notices.append(_duplicate("product", pr.productId, f"products[{i}]"))
            products[pr.productId] = Product(pr.productId, pr.name or pr.productId,
                                             pr.archived)
    if doc.get("vouchers") is not None:
        for i, v in enumerate(_rows(doc, "vouchers", VoucherIn, source)):
            if v.voucherId in vouchers:
                notices.append(_duplicate("voucher", v.voucherId, f"vouchers[{i}]"))
            vouchers[v.voucherId] = Voucher(
                v.voucherId, v.serialNumber, v.clientId, v.creatingBranchId, v.issueDate,
                v.expiryDate, v.originalBalance, v.remainingBalance)
    if doc.get("purchases") is not None:
        seen: set[tuple[str, str]] = set()
        for i, row in enumerate(_rows(doc, "purchases", PurchaseRowIn, source)):
            made = Purchase(row.branchId or branch_id, row.number, row.transactionNumber,
                            row.purchaseId, row.clientId, row.createdAt)
            if made.key is not None:
                if made.key in seen:  # unique per branch: the pair, never the number
                    notices.append(m.Notice(
                        "duplicate_id", f"transaction {made.key[1]} of branch "
                        f"{made.key[0]} appears twice; the later entry is used",
                        f"purchases[{i}]"))
                    purchases = [q for q in purchases if q.key != made.key]
                seen.add(made.key)
            purchases.append(made)
    return Records(held, clients, courses, products, vouchers, tuple(purchases)), notices


def _duplicate(what: str, key: str, where: str) -> m.Notice:
    return m.Notice("duplicate_id", f"{what} id {key!r} appears twice; the later entry is "
                    "used", where)


def client_of(row: Mapping[str, Any]) -> m.Client:
    """A client row's canonical client (its name for messages), as ``read.py`` names it."""
    cid = str(row.get("clientId"))
    name = " ".join(str(row[k]) for k in ("firstName", "lastName") if row.get(k))
    return m.Client(cid, name or cid)


# --- request bodies ------------------------------------------------------------------------


class ClientBodyIn(_Wire):
    clientId: str | None = None
    version: int | None = None
    creatingBranchId: str | None = None
    email: str | None = None
    birthDate: Any = None
    mobile: Any = None
    landLine: Any = None
    firstName: str | None = None
    lastName: str | None = None


# Fields of Phorest's client shape (its create body and its answers): known, not checked.
_CLIENT_OTHER = frozenset({
    "address", "archived", "banned", "clientCategoryIds", "clientSince", "createdAt",
    "creditAccount", "deleted", "emailMarketingConsent", "emailReminderConsent", "gender",
    "notes", "smsMarketingConsent", "smsReminderConsent", "updatedAt", "preferredStaffId",
})


class ClientCourseBodyIn(_Wire):
    clientCourseId: str | None = None
    expiryDate: Any = None
    archived: bool | None = None


class PurchaseItemIn(_Wire):
    appointmentId: str | None = None
    serviceId: str | None = None
    branchProductId: str | None = None
    productId: str | None = None  # the product list's name for it: not read by /purchase
    courseId: str | None = None
    voucherId: str | None = None  # not sold by /purchase (support notes)
    voucherSerialNumber: TextId | None = None
    staffId: str | None = None
    price: Money | None = None
    quantity: Money | None = None


_ITEM_OTHER = frozenset({"description", "discount", "clientId"})


class PaymentIn(_Wire):
    type: str | None = None
    amount: Money | None = None
    paymentTypeId: str | None = None
    customPaymentTypeId: str | None = None
    customTypeCode: str | None = None
    customTypeName: str | None = None
    paymentId: str | None = None


class PurchaseBodyIn(_Wire):
    number: TextId | None = None
    clientId: str | None = None
    items: list[PurchaseItemIn] = Field(default_factory=list)
    payments: list[PaymentIn] = Field(default_factory=list)
    # ASSUMED: the purchase date a caller may set ("changing the purchase date on the API
    # request won't move the actual purchase"; the field's name is not published).
    purchaseDate: Any = None


class VoucherBodyIn(_Wire):
    voucherId: str | None = None
    serialNumber: TextId | None = None
    clientId: str | None = None
    creatingBranchId: str | None = None
    issueDate: Instant | None = None
    expiryDate: Instant | None = None
    originalBalance: Money | None = None
    remainingBalance: Money | None = None


class ExportJobBodyIn(_Wire):
    jobType: str | None = None
    startFilter: Any = None
    finishFilter: Any = None


# The fields of a job's answer: Phorest's own example body sends them all, and ignores them.
_JOB_OUTPUT = ("jobId", "jobStatus", "started", "finished", "failureReason", "totalRows",
               "succeededRows", "tempCsvExternalUrl")


class ExportJobReadIn(_Wire):
    jobId: str | None = None
    jobType: str | None = None
    jobStatus: str | None = None
    finished: Instant | None = None
    tempCsvExternalUrl: str | None = None


Subject = Literal["client", "client_course", "purchase", "voucher", "export_job"]
# Phorest kind -> (subject, canonical kind, the path ids it takes).
WRITE_KINDS: dict[str, tuple[Subject, m.Kind, tuple[str, ...]]] = {
    "createClient": ("client", "create", ()),
    "updateClient": ("client", "update", ("clientId",)),
    "updateClientCourse": ("client_course", "update", ("clientCourseId",)),
    "createPurchase": ("purchase", "create", ("branchId",)),
    "createVoucher": ("voucher", "create", ()),
    "createCsvExportJob": ("export_job", "create", ("branchId",)),
    "readCsvExportJob": ("export_job", "read", ("branchId", "jobId")),
}
_CLIENT_HINTS = frozenset({"firstName", "lastName", "email", "mobile", "landLine",
                           "birthDate"})


def infer_write_kind(body: Mapping[str, Any], path: Mapping[str, Any]) -> str | None:
    """Which of these writes a body is, where its fields (and the path's ids) say so
    unambiguously; ``None`` otherwise (``--kind`` then decides)."""
    if "clientId" in path and "clientCourseId" not in path:
        return "updateClient"
    if "clientCourseId" in path or ("clientCourseId" in body and "items" not in body):
        return "updateClientCourse"
    if "items" in body or "payments" in body:
        return "createPurchase"
    if "serialNumber" in body or "originalBalance" in body:
        return "createVoucher"
    if "jobType" in body or "startFilter" in body or "finishFilter" in body:
        return "createCsvExportJob"
    if _CLIENT_HINTS & body.keys() and "clientId" not in body:
        # A client body that names no client is a create: an update names the one it
        # changes. One that names a client may be either (a create that kept its id is
        # exactly what CLIENT_ID_ON_CREATE catches), so --kind decides.
        return "createClient"
    return None


def read_path(value: object, source: str) -> dict[str, str]:
    """The path ids of a request file (``"path": {"clientId": ...}``)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(source, "path", "an object of the path's ids, such as "
                         "{\"clientId\": \"...\"}", value)
    out: dict[str, str] = {}
    for key, v in value.items():
        if not isinstance(v, str) or not v:
            raise InputError(source, f"path.{key}", "a non-empty string id", v)
        out[str(key)] = v
    return out


def read_write(kind: str, body: Mapping[str, Any], path_ids: Mapping[str, str],
               branch: m.Branch, source: str, at: str) -> m.Request:
    """A body of one of ``WRITE_KINDS`` made canonical; ``at`` is the body's JSON path in
    the request file ("body", or "" for a bare body)."""
    subject, canonical, takes = WRITE_KINDS[kind]
    for key in path_ids:
        if key not in takes:
            raise InputError(source, f"path.{key}", f"only the ids of {kind}'s path "
                             f"({', '.join(takes) or 'none'})", key)
    branch_id = path_ids.get("branchId", branch.id)
    if "branchId" in takes and branch_id != branch.id:
        raise InputError(source, "path.branchId", f"the snapshot's branch {branch.id!r} "
                         "(a branch's write is checked against that branch's snapshot)",
                         branch_id)
    raw = dict(body)
    payload: object
    notices: list[m.Notice]
    if kind == "updateClient" and "clientId" not in path_ids and not isinstance(
            body.get("clientId"), str):
        raise InputError(source, join(at, "clientId"), "the client's id, here or in the "
                         "request file's path (\"path\": {\"clientId\": ...})")
    if subject == "client":
        payload, notices = _client(body, path_ids, source, at)
    elif subject == "client_course":
        payload, notices = _client_course(body, path_ids, source, at)
    elif subject == "purchase":
        payload, notices = _purchase(body, branch, source, at)
    elif subject == "voucher":
        payload, notices = _voucher(body, source, at)
    elif canonical == "create":
        payload, notices = _export_job(body, branch_id, source, at)
    else:
        payload, notices = _export_read(body, branch_id, path_ids, source, at)
    client_id = getattr(payload, "client_id", None)
    return m.Request(canonical, (), client_id, notices=tuple(notices), raw=raw,
                     subject=subject, payload=payload)


def _unknown(model: _Wire, known: frozenset[str], where: str) -> list[m.Notice]:
    fields = frozenset(type(model).model_fields) | known
    return [m.Notice("unknown_field", f"field {name!r} is not a known Phorest field here; "
                     "it was kept and sent as is, but not checked", join(where, name))
            for name in sorted(model.model_extra or {}) if name not in fields]


def _client(body: Mapping[str, Any], path_ids: Mapping[str, str], source: str, at: str
            ) -> tuple[p.ClientWrite, list[m.Notice]]:
    b = validate(ClientBodyIn, body, source, at)
    phones = []
    for name in ("mobile", "landLine"):
        value = getattr(b, name)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(source, join(at, name), "a phone number as a string", value)
        phones.append(p.Located(name, repr(value)))
    birth = None
    if b.birthDate is not None:
        birth = p.Located("birthDate", b.birthDate if isinstance(b.birthDate, str)
                          else repr(b.birthDate))
    payload = p.ClientWrite(
        target_id=path_ids.get("clientId"), body_id=b.clientId, version=b.version,
        version_sent="version" in b.model_fields_set, creating_branch_id=b.creatingBranchId,
        email=b.email, birth_date=birth, numeric_phones=tuple(phones),
        locations={"target_id": "path.clientId", "body_id": "clientId",
                   "version": "version", "creating_branch_id": "creatingBranchId",
                   "email": "email"})
    return payload, _unknown(b, _CLIENT_OTHER, "")


def _client_course(body: Mapping[str, Any], path_ids: Mapping[str, str], source: str,
                   at: str) -> tuple[p.ClientCourseWrite, list[m.Notice]]:
    b = validate(ClientCourseBodyIn, body, source, at)
    expiry = expiry_date = None
    if b.expiryDate is not None:
        text = b.expiryDate if isinstance(b.expiryDate, str) else repr(b.expiryDate)
        expiry = p.Located("expiryDate", text)
        try:
            expiry_date = _iso_date(b.expiryDate)
        except ValueError:
            expiry_date = None
    if path_ids.get("clientCourseId") is None and b.clientCourseId is None:
        raise InputError(source, join(at, "clientCourseId"), "the client course's id, here "
                         "or in the request file's path (\"path\": {\"clientCourseId\": ...})")
    payload = p.ClientCourseWrite(
        target_id=path_ids.get("clientCourseId", b.clientCourseId), body_id=b.clientCourseId,
        expiry=expiry, expiry_date=expiry_date, archived=b.archived,
        locations={"target_id": "path.clientCourseId", "body_id": "clientCourseId"})
    return payload, _unknown(b, frozenset(), "")


_ITEM_KINDS: tuple[tuple[str, p.ItemKind], ...] = (
    ("appointmentId", "appointment"), ("serviceId", "service"),
    ("branchProductId", "product"), ("productId", "product"), ("courseId", "course"),
    ("voucherId", "voucher"), ("voucherSerialNumber", "voucher"))


def _purchase(body: Mapping[str, Any], branch: m.Branch, source: str, at: str
              ) -> tuple[p.PurchaseWrite, list[m.Notice]]:
    b = validate(PurchaseBodyIn, body, source, at)
    notices = _unknown(b, frozenset(), "")
    items = []
    for i, it in enumerate(b.items):
        where = f"items[{i}]"
        notices += _unknown(it, _ITEM_OTHER, where)
        kinds: list[p.ItemKind] = []
        ref = None
        for name, kind in _ITEM_KINDS:
            value = getattr(it, name)
            if value is not None:
                if kind not in kinds:
                    kinds.append(kind)
                ref = ref if ref is not None else str(value)
        misnamed = None
        if it.productId is not None and it.branchProductId is None:
            misnamed = (f"{where}.productId", "branchProductId")
        items.append(p.PurchaseItem(
            i, where, tuple(kinds), ref, misnamed, it.price, it.quantity,
            "quantity" in it.model_fields_set and it.quantity is not None))
    payments = []
    for i, pay in enumerate(b.payments):
        where = f"payments[{i}]"
        notices += _unknown(pay, frozenset(), where)
        custom = tuple(name for name in ("customPaymentTypeId", "customTypeCode",
                                         "customTypeName") if getattr(pay, name) is not None)
        payments.append(p.Payment(i, where, pay.type, pay.amount, pay.customPaymentTypeId,
                                  custom))
    purchased = purchase_date = None
    if b.purchaseDate is not None:
        value = b.purchaseDate
        purchased = p.Located("purchaseDate", value if isinstance(value, str) else repr(value))
        try:
            purchase_date = _iso_date(value)
        except ValueError:
            try:
                purchase_date = _instant(value).astimezone(branch.zone).date()
            except ValueError:
                raise InputError(source, join(at, "purchaseDate"), "a date yyyy-MM-dd or an "
                                 "ISO-8601 instant", value) from None
    payload = p.PurchaseWrite(
        branch_id=branch.id, number=b.number, client_id=b.clientId, purchased=purchased,
        purchase_date=purchase_date, items=tuple(items), payments=tuple(payments),
        locations={"number": "number", "client_id": "clientId", "items": "items",
                   "payments": "payments"})
    return payload, notices


def _voucher(body: Mapping[str, Any], source: str, at: str
             ) -> tuple[p.VoucherWrite, list[m.Notice]]:
    b = validate(VoucherBodyIn, body, source, at)
    payload = p.VoucherWrite(
        voucher_id=b.voucherId, serial=b.serialNumber, client_id=b.clientId,
        creating_branch_id=b.creatingBranchId, issued=b.issueDate, expires=b.expiryDate,
        original_balance=b.originalBalance, remaining_balance=b.remainingBalance,
        locations={"serial": "serialNumber", "client_id": "clientId",
                   "creating_branch_id": "creatingBranchId", "issued": "issueDate",
                   "expires": "expiryDate", "original_balance": "originalBalance",
                   "remaining_balance": "remainingBalance"})
    return payload, _unknown(b, frozenset(), "")


def _export_job(body: Mapping[str, Any], branch_id: str, source: str, at: str
                ) -> tuple[p.ExportJobWrite, list[m.Notice]]:
    b = validate(ExportJobBodyIn, body, source, at)
    if b.jobType is None:
        raise InputError(source, join(at, "jobType"), "the job type (TRANSACTIONS_CSV, "
                         "SUNDRIES_CSV, DATEV_CSV or CLIENT_COURSES_CSV)")
    filters: dict[str, tuple[p.Located | None, date | None]] = {}
    for name in ("startFilter", "finishFilter"):
        value = getattr(b, name)
        if value is None:
            filters[name] = (None, None)
            continue
        located = p.Located(name, value if isinstance(value, str) else repr(value))
        try:
            filters[name] = (located, _iso_date(value))
        except ValueError:
            filters[name] = (located, None)
    output = tuple(p.Located(name, repr(body[name])) for name in _JOB_OUTPUT if name in body)
    payload = p.ExportJobWrite(
        branch_id=branch_id, job_type=b.jobType, start=filters["startFilter"][0],
        finish=filters["finishFilter"][0], start_date=filters["startFilter"][1],
        finish_date=filters["finishFilter"][1], output_fields=output,
        locations={"job_type": "jobType", "start": "startFilter",
                   "finish": "finishFilter"})
    return payload, _unknown(b, frozenset(_JOB_OUTPUT), "")


def _export_read(body: Mapping[str, Any], branch_id: str, path_ids: Mapping[str, str],
                 source: str, at: str) -> tuple[p.ExportJobRead, list[m.Notice]]:
    b = validate(ExportJobReadIn, body, source, at)
    signed, lifetime = url_signature(b.tempCsvExternalUrl)
    payload = p.ExportJobRead(
        branch_id=branch_id, job_id=path_ids.get("jobId", b.jobId), status=b.jobStatus,
        finished=b.finished, url=b.tempCsvExternalUrl, url_signed_at=signed,
        url_lifetime_seconds=lifetime,
        locations={"url": "tempCsvExternalUrl", "status": "jobStatus"})
    known = frozenset({*_JOB_OUTPUT, "startFilter", "finishFilter"})
    return payload, _unknown(b, known, "")


def url_signature(url: str | None) -> tuple[datetime | None, int | None]:
    """When a pre-signed S3 link was signed and how many seconds it lives, from its own
    query (``X-Amz-Date=20211021T142757Z``, ``X-Amz-Expires=1799``); None for each part
    the link does not say."""
    if not url:
        return None, None
    query = parse_qs(urlsplit(url).query)
    signed = lifetime = None
    stamp = query.get("X-Amz-Date", [""])[0]
    if stamp:
        try:
            signed = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            signed = None
    expires = query.get("X-Amz-Expires", [""])[0]
    if expires and expires.isdigit():
        lifetime = int(expires)
    return signed, lifetime
