"""What a business holds beside its diary, as the rules of its other writes read it:
clients with their versions, the courses clients bought, the branch's products, vouchers,
and the purchases already made. Canonical and neutral (no platform field names); every
instant is an aware UTC ``datetime``; money is an exact ``Decimal``.

A list the snapshot does not hold is not the same as an empty one: ``Records.holds(name)``
says which lists were loaded, so a rule that needs one the snapshot lacks answers UNKNOWN
instead of guessing (RULES.md §6).

Purchases are keyed per branch: a transaction number is unique within its branch only, so
the key is ``(branch_id, transaction_number)``, never the number alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

# The lists a snapshot may hold for these rules, by neutral name.
RecordList = Literal["clients", "client_courses", "products", "vouchers", "purchases"]
RECORD_LISTS: tuple[RecordList, ...] = ("clients", "client_courses", "products", "vouchers",
                                        "purchases")


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """A client as a write about it needs: its optimistic-lock version."""

    id: str
    version: int | None = None
    creating_branch_id: str | None = None


@dataclass(frozen=True, slots=True)
class ClientCourseRecord:
    """One course bought by one client (not the course template)."""

    id: str
    client_id: str | None = None
    course_id: str | None = None
    purchase_date: date | None = None
    expiry_date: date | None = None
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Product:
    """A product as the branch sells it (its id is the one a purchase names)."""

    id: str
    name: str
    archived: bool = False
    # The branch's own catalogue price, when the platform gives one per branch (PNE's
    # ProductDetails); None when it gives none for this branch.
    price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Voucher:
    id: str
    serial: str | None = None
    client_id: str | None = None
    creating_branch_id: str | None = None
    issued: datetime | None = None
    expires: datetime | None = None
    original_balance: Decimal | None = None
    remaining_balance: Decimal | None = None


PurchaseKey = tuple[str, str]  # (branch id, transaction number)


@dataclass(frozen=True, slots=True)
class Purchase:
    """A purchase already made, as its answer (or a client's log of it) records it.
    ``transaction_number`` is None for a purchase sent whose answer was never read."""

    branch_id: str
    number: str | None = None  # the caller's own number for the request
    transaction_number: str | None = None
    purchase_id: str | None = None
    client_id: str | None = None
    made_at: datetime | None = None
    source: str = "snapshot"  # where the rule found it: "snapshot" or a client's "log"

    @property
    def key(self) -> PurchaseKey | None:
        if self.transaction_number is None:
            return None
        return (self.branch_id, self.transaction_number)


@dataclass(frozen=True)
class Records:
    """The business's records a snapshot holds, with the look-ups the rules make."""

    held: frozenset[RecordList] = frozenset()
    clients: Mapping[str, ClientRecord] = field(default_factory=dict)
    client_courses: Mapping[str, ClientCourseRecord] = field(default_factory=dict)
    products: Mapping[str, Product] = field(default_factory=dict)
    vouchers: Mapping[str, Voucher] = field(default_factory=dict)
    purchases: tuple[Purchase, ...] = ()
    # Built once, here: a snapshot is shared by the threads of a server.
    _by_serial: dict[str, list[Voucher]] = field(default_factory=dict, init=False,
                                                 repr=False, compare=False)
    _by_number: dict[str, list[Purchase]] = field(default_factory=dict, init=False,
                                                  repr=False, compare=False)
    _by_key: dict[PurchaseKey, Purchase] = field(default_factory=dict, init=False,
                                                 repr=False, compare=False)

    def __post_init__(self) -> None:
        by_serial: dict[str, list[Voucher]] = defaultdict(list)
        for v in self.vouchers.values():
            if v.serial is not None:
                by_serial[v.serial].append(v)
        self._by_serial.update(by_serial)
        by_number: dict[str, list[Purchase]] = defaultdict(list)
        for p in self.purchases:
            if p.number is not None:
                by_number[p.number].append(p)
            if p.key is not None:
                self._by_key[p.key] = p
        self._by_number.update(by_number)

    def holds(self, name: RecordList) -> bool:
        """Whether the snapshot loaded this list (an empty one counts: it was fetched)."""
        return name in self.held

    def vouchers_with_serial(self, serial: str) -> list[Voucher]:
        return list(self._by_serial.get(serial, ()))

    def purchases_with_number(self, number: str) -> list[Purchase]:
        return list(self._by_number.get(number, ()))

    def purchase(self, branch_id: str, transaction_number: str) -> Purchase | None:
        """The purchase of one branch's transaction number (unique per branch only)."""
        return self._by_key.get((branch_id, transaction_number))

    def with_purchases(self, extra: Iterable[Purchase]) -> Records:
        """These records plus purchases known elsewhere (a guarded client's log of the
        purchases it sent): a purchase of the same (branch, transaction number) is
        replaced, so one sale never counts twice."""
        added = list(extra)
        keys = {p.key for p in added if p.key is not None}
        kept = tuple(p for p in self.purchases if p.key is None or p.key not in keys)
        return Records(self.held | {"purchases"}, self.clients, self.client_courses,
                       self.products, self.vouchers, kept + tuple(added))

    def replaced(self, *, clients: Mapping[str, ClientRecord] | None = None,
                 client_courses: Mapping[str, ClientCourseRecord] | None = None,
                 products: Mapping[str, Product] | None = None,
                 vouchers: Mapping[str, Voucher] | None = None,
                 purchases: tuple[Purchase, ...] | None = None) -> Records:
        """These records with the lists given replaced (each then counts as held)."""
        given: dict[RecordList, object] = {
            "clients": clients, "client_courses": client_courses, "products": products,
            "vouchers": vouchers, "purchases": purchases}
        held = self.held | {name for name, value in given.items() if value is not None}
        return Records(
            held, self.clients if clients is None else clients,
            self.client_courses if client_courses is None else client_courses,
            self.products if products is None else products,
            self.vouchers if vouchers is None else vouchers,
            self.purchases if purchases is None else purchases)


EMPTY = Records()
