"""Numbers of PNE bodies as exact decimals: money is never a float inside.

JSON numbers arrive as Python ``int`` or ``float`` (``json.loads``); a float's shortest
``repr`` is the decimal literal the JSON held (up to 15 significant digits), so
``Decimal(repr(x))`` recovers it exactly: ``19.99`` is ``Decimal("19.99")``, never
``19.989999999999998436805981327779591083526611328125``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ...core import model as m

CENT = Decimal("0.01")


def exact(value: object) -> tuple[Decimal | None, str | None]:
    """``value`` as an exact decimal, or None and why not."""
    if isinstance(value, bool):
        return None, "a boolean, not a number"
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "not a finite number"
        return Decimal(repr(value)), None
    if isinstance(value, Decimal):
        return (value, None) if value.is_finite() else (None, "not a finite number")
    if value is None:
        return None, "missing"
    if isinstance(value, str):
        try:
            Decimal(value.strip())
        except InvalidOperation:
            return None, "a string, not a number"
        return None, "a number sent as a string (send the JSON number)"
    return None, f"a {type(value).__name__}, not a number"


def money(path: str, value: object) -> m.Amount:
    """A money field: an exact decimal of whole cents."""
    found, problem = exact(value)
    if found is not None and found != found.quantize(CENT, rounding=ROUND_HALF_UP):
        return m.Amount(path, value, None, f"{found} is not a whole number of cents")
    return m.Amount(path, value, found, problem)


def quantity(path: str, value: object) -> m.Amount:
    """A quantity: any exact decimal (a negative one is a rule's finding, not a reading
    error)."""
    found, problem = exact(value)
    return m.Amount(path, value, found, problem)


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half up to whole cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal | None) -> str:
    """``20.00``: an amount in a message, always with its cents."""
    return "?" if value is None else f"{cents(value):.2f}"
