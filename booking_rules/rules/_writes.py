"""Helpers shared by the rules of the writes beside bookings (not a rule itself): the
request's payload of the expected type, and money and dates worded the same way in every
message."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from .._time import format_utc
from ..core import model as m
from ..core.context import Context

T = TypeVar("T")


def payload(request: m.Request, kind: type[T]) -> T | None:
    """The request's canonical payload when it is a ``kind`` (a rule of a subject only
    ever sees that subject's payloads; a request built by hand may hold another)."""
    found = request.payload
    return found if isinstance(found, kind) else None


def money(amount: Decimal) -> str:
    """An amount as written, with at least two decimals: ``800.00``, ``47.125``."""
    return f"{amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else str(amount)


def today(ctx: Context) -> date:
    """``now``'s date at the branch (the day a salon calls today)."""
    return ctx.now.astimezone(ctx.zone).date()


def instant(ctx: Context, at: datetime) -> str:
    """An instant as a message gives it: the branch's wall clock, then UTC."""
    return f"{ctx.when(at)}"


__all__ = ["format_utc", "instant", "money", "payload", "today"]
