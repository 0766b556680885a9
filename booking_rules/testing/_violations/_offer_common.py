"""What the special-offer rules' provocations share: a fresh offer on one service."""

from __future__ import annotations

from typing import Any

from ._build import Build


def new_offer(b: Build, service: str, **fields: Any) -> str:
    """A fresh special offer on ``service`` with ``fields``; its id."""
    offer = b.fresh("so")
    b.add("specialOffers", {"specialOfferId": offer, "name": f"Offer {offer}",
                            "serviceIds": [service], **fields})
    return offer
