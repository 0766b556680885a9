"""The canonical bodies of the writes that are not bookings (``model.Request.payload``):
a client, a client course, a purchase, a voucher, a CSV export job. Neutral: a platform
reads its own bodies into these, and says in ``locations`` where each part sits in the
body it read (a JSON path), so a rule's finding points at the body the caller wrote.

Values a rule judges (a date that may not be one, an email) are kept as written beside
their parsed form, so a bad one is a finding with its fix, not unusable input. Every
instant is an aware UTC ``datetime``; money and quantities are exact ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, slots=True)
class Located:
    """A part of the body the rules report on by place: its JSON path and its text."""

    location: str
    text: str


class _Locatable:
    """``at(name)``: where a part of the payload sits in the body (its own name if the
    platform did not say)."""

    __slots__ = ()

    locations: Mapping[str, str]

    def at(self, name: str) -> str:
        return self.locations.get(name, name)


@dataclass(frozen=True, slots=True)
class ClientWrite(_Locatable):
    """Creating or updating a client (business-level)."""

    target_id: str | None = None  # the client the request addresses (an update's path)
    body_id: str | None = None  # the client id the body itself sends
    version: int | None = None
    version_sent: bool = False
    creating_branch_id: str | None = None
    email: str | None = None
    birth_date: Located | None = None  # as written
    numeric_phones: tuple[Located, ...] = ()  # phone numbers sent as JSON numbers
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClientCourseWrite(_Locatable):
    """Updating one course a client bought."""

    target_id: str | None = None
    body_id: str | None = None
    expiry: Located | None = None  # as written
    expiry_date: date | None = None  # when ``expiry`` is a plain date
    archived: bool | None = None
    locations: Mapping[str, str] = field(default_factory=dict)


# What a purchase item sells, by the id it names.
ItemKind = Literal["appointment", "service", "product", "course", "voucher"]


@dataclass(frozen=True, slots=True)
class PurchaseItem:
    index: int
    location: str
    kinds: tuple[ItemKind, ...]  # every kind of id the item names (one is expected)
    ref: str | None = None  # the id of its (first) kind
    # An id sent under a name the platform does not read for it (a product's own id where
    # the branch product id is expected): (its location, the name expected there).
    misnamed: tuple[str, str] | None = None
    price: Decimal | None = None  # per unit
    quantity: Decimal | None = None
    quantity_sent: bool = False


@dataclass(frozen=True, slots=True)
class Payment:
    index: int
    location: str
    method: str | None = None  # the payment type as sent ("CREDIT", "OTHER", ...)
    amount: Decimal | None = None
    custom_type_id: str | None = None
    custom_fields: tuple[str, ...] = ()  # the fields naming a custom payment type


@dataclass(frozen=True, slots=True)
class PurchaseWrite(_Locatable):
    """A sale at one branch: appointments, products, courses."""

    branch_id: str
    number: str | None = None  # the caller's own number for this request
    client_id: str | None = None
    purchased: Located | None = None  # the purchase date as written, when one is sent
    purchase_date: date | None = None  # ... read as a branch-local date
    items: tuple[PurchaseItem, ...] = ()
    payments: tuple[Payment, ...] = ()
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VoucherWrite(_Locatable):
    """Creating a voucher (business-level)."""

    voucher_id: str | None = None
    serial: str | None = None
    client_id: str | None = None
    creating_branch_id: str | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    original_balance: Decimal | None = None
    remaining_balance: Decimal | None = None
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportJobWrite(_Locatable):
    """Asking a branch for a CSV export."""

    branch_id: str
    job_type: str | None = None
    start: Located | None = None  # the filter dates as written
    finish: Located | None = None
    start_date: date | None = None
    finish_date: date | None = None
    output_fields: tuple[Located, ...] = ()  # fields of a job's answer sent in the request
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportJobRead(_Locatable):
    """A CSV export job as read back: its status and the download link it carries."""

    branch_id: str
    job_id: str | None = None
    status: str | None = None
    finished: datetime | None = None
    url: str | None = None
    url_signed_at: datetime | None = None  # when the link was signed, if it says
    url_lifetime_seconds: int | None = None  # how long it lives from then, if it says
    locations: Mapping[str, str] = field(default_factory=dict)
