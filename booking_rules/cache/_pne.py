"""A PNE location's snapshot document, rebuilt from what ``booking-rules sync --platform
pne`` stored: the ``Company`` row and each list fetched whole at least once (a list never
fetched is absent, not empty), in PNE's own shapes, with ``Coverage.FetchedAt`` the oldest
of their fetches. ``booking_rules.platforms.pne`` reads it (the file format of docs/pne.md).
"""

from __future__ import annotations

import json
from typing import Any

from ._errors import CacheError
from ._model import Reader, StreamKey, iso_z

PNE_BUSINESS = "pne"  # as booking_rules.sync._pne keys it
PNE_LISTS = ("Services", "Employees", "Appointments", "Customers", "Products")


def pne_document(r: Reader, url: str, location: str) -> dict[str, Any]:
    company_key = StreamKey(PNE_BUSINESS, location, "Company")
    state = r.state(company_key, counts=False)
    rows = r.raw_rows(company_key) if state is not None and state.fetched_at else []
    if not rows:
        held = sorted({s.key.branch for s in r.states(PNE_BUSINESS)
                       if s.key.stream == "Company" and s.fetched_at is not None})
        raise CacheError(url, f"no PNE location {location!r} in the cache (held: "
                         f"{', '.join(held) or 'none'}); run booking-rules sync --platform "
                         "pne first")
    doc: dict[str, Any] = {"Company": json.loads(rows[0])}
    fetched = [state.fetched_at] if state is not None and state.fetched_at else []
    for name in PNE_LISTS:
        key = StreamKey(PNE_BUSINESS, location, name)
        st = r.state(key, counts=False)
        if st is None or st.fetched_at is None:
            continue
        doc[name] = [json.loads(raw) for raw in r.raw_rows(key)]
        fetched.append(st.fetched_at)
    doc["Coverage"] = {"FetchedAt": iso_z(min(fetched))}
    return doc
