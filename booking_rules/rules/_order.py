"""Helpers shared by the order rules (not a rule itself): the canonical order of a request,
and amounts as people read them. Money is compared as exact decimals in whole cents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..core import model as m
from ..core.context import Context

CENT = Decimal("0.01")


def order_of(ctx: Context) -> m.Order | None:
    """The request's canonical order, or None for a request that holds none."""
    payload = ctx.request.payload
    return payload if isinstance(payload, m.Order) else None


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half up to whole cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal) -> str:
    """``20.00``: an amount in a message, always with its cents."""
    return f"{cents(value):.2f}"


def usable(*amounts: m.Amount) -> bool:
    """Whether every amount was read as a number (an unreadable one is reported by
    ``order_number_invalid``, and the sums that need it are not checked)."""
    return all(a.value is not None for a in amounts)
