"""Helpers shared by the special-offer rules (``SPECIAL_OFFER_*``): not a rule itself.

The offer a schedule uses, how an offer and its windows read in a sentence, the evidence
every offer finding carries, and the peak-overlap sweep of the max-concurrent rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..core import model as m
from ..core.context import Context, Item

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

ZERO_MEANS_UNLIMITED_DOC = (
    "Read a limit of 0 as 'no limit' instead of 'no booking at all'. Phorest does not say "
    "what 0 means; the default reads it literally.")


def offer_of(item: Item, ctx: Context) -> m.SpecialOffer | None:
    """The special offer the schedule uses, or None (no offer, or an unknown id, which
    another rule reports)."""
    offer_id = item.schedule.offer_id
    if not offer_id:
        return None
    return ctx.snapshot.offers.get(offer_id)


def offer_label(offer: m.SpecialOffer) -> str:
    """``special offer 'Weekday morning cut' (so_morning)``."""
    return f"special offer '{offer.name}' ({offer.id})"


def format_days(weekdays: Iterable[int]) -> str:
    """``Mon-Fri``, ``Mon, Wed, Sat-Sun``: weekdays (Monday = 0) with runs joined."""
    days = sorted(set(weekdays))
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_DAY_NAMES[run[0]]}-{_DAY_NAMES[run[-1]]}")
        else:
            parts.extend(_DAY_NAMES[d] for d in run)
    return ", ".join(parts) or "no day"


def format_window(window: m.AllowedTime) -> str:
    """``Mon-Fri 09:00-12:00`` (local wall clock)."""
    return f"{format_days(window.weekdays)} {window.start:%H:%M}-{window.end:%H:%M}"


def window_matches(window: m.AllowedTime, wall: datetime) -> bool:
    """Whether local wall clock ``wall`` starts inside ``window``: start inclusive, end
    exclusive. A window whose end is before its start runs past midnight into the next
    day (RULES.md §1 reads every wall-clock interval the same way), so ``Fri 22:00-02:00``
    also holds Saturday 01:00; one whose end equals its start is empty."""
    clock, day = wall.time().replace(tzinfo=None), wall.weekday()
    if window.start == window.end:
        return False
    if window.start < window.end:
        return day in window.weekdays and window.start <= clock < window.end
    return (day in window.weekdays and clock >= window.start) or (
        (day - 1) % 7 in window.weekdays and clock < window.end)


def offer_evidence(offer: m.SpecialOffer) -> dict[str, Any]:
    """What every offer finding shows about the offer itself."""
    out: dict[str, Any] = {
        "specialOfferId": offer.id, "offer": offer.name,
        "startDate": offer.start_date.isoformat() if offer.start_date else None,
        "endDate": offer.end_date.isoformat() if offer.end_date else None,
    }
    if offer.allowed_times:
        out["allowedTimes"] = [format_window(w) for w in offer.allowed_times]
    if offer.max_concurrent is not None:
        out["maxConcurrent"] = offer.max_concurrent
    if offer.max_per_day is not None:
        out["maxPerDay"] = offer.max_per_day
    return out


def limit_of(value: int | None, ctx: Context) -> int | None:
    """An offer limit as the rule applies it: None means no limit (nor does 0, when the
    rule's ``zero_means_unlimited`` option is set)."""
    if value is None or (value == 0 and ctx.options.get("zero_means_unlimited", False)):
        return None
    return value
