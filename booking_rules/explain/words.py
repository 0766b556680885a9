"""Small wording helpers shared by explain's modules (and by a platform's advice)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from ..core import model as m

EXCERPT = 300  # characters of a body quoted in a sentence

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen", "twenty")


def and_(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cut(text: str, limit: int = EXCERPT) -> str:
    """``text``, or its first ``limit`` characters ending in ``...``."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def count(n: int) -> str:
    """``nineteen``: a count as a word (digits beyond twenty)."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def shift(delta: timedelta) -> str:
    """``15 min later``, ``1 day 2 h earlier``."""
    later = delta >= timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts) + (" later" if later else " earlier")


def windows(offer: m.SpecialOffer) -> str:
    """A special offer's allowed times: ``Mon/Tue 09:00-12:00, Sat 10:00-14:00``."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(
        f"{'/'.join(names[d] for d in sorted(w.weekdays))} {w.start:%H:%M}-{w.end:%H:%M}"
        for w in offer.allowed_times)
