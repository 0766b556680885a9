"""The cache's one reach into the core's and the Phorest platform's internals.

Everything the cache needs below the public face is imported here and nowhere else, so a
module that moves is repointed in one place. (The cache may not import the face itself:
``booking_rules.load_snapshot`` opens caches, so that would be an import cycle.)
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..core import model as m
from ..core.appointments import AppointmentTable
from ..core.snapshot import Snapshot, row_appointment
from ..platforms.phorest.history import table_from_value
from ..platforms.phorest.load import _no_collection as no_collection
from ..platforms.phorest.load import load_snapshot, read_document, read_raw_history
from ..platforms.pne.load import load_snapshot as load_pne_snapshot

__all__ = ["AppointmentTable", "Snapshot", "appointments_of", "load_pne_snapshot",
           "load_snapshot", "m",
           "no_collection",
           "snapshot_from_raw_history", "snapshot_from_table", "table_of"]


def snapshot_from_raw_history(doc: dict[str, Any], history: list[bytes],
                              source: str) -> Snapshot:
    """``load_snapshot({**doc, "appointments": history})``, with the history given as the
    raw JSON of its rows, so the loader decodes it in msgspec batches (as it does a file)
    instead of walking a list of dicts."""
    return read_raw_history(doc, history, source)


def snapshot_from_table(doc: dict[str, Any], table: AppointmentTable, source: str
                        ) -> Snapshot:
    """The same snapshot, the history given as the table it was read into already."""
    # The key is present (its rows given apart): absent would read "not loaded".
    return read_document({**doc, "appointments": []}, source, appointments=table)


def table_of(snapshot: Snapshot) -> AppointmentTable:
    """The history table a snapshot (not an overlay) was built from: what is compiled."""
    table: AppointmentTable = snapshot._table  # the one reach into a private field
    return table


_ROWS = msgspec.json.Decoder(list[Any])


def appointments_of(rows: list[bytes], snapshot: Snapshot, source: str
                    ) -> tuple[list[m.Appointment], bool]:
    """Raw appointment rows as the canonical appointments an overlay of ``snapshot`` takes,
    and whether reading them gave notices (a duplicate id, a wall time in a DST gap, an
    unknown field, ...): notices name a row's position in a whole document, which an
    overlay cannot reproduce, so the caller rebuilds instead."""
    items = _ROWS.decode(b"[" + b",".join(rows) + b"]")
    table = table_from_value(items, source, frozenset(snapshot.offers))
    zone = snapshot.zone
    starts, ends, notes = table.to_utc(zone if snapshot.appointment_times != "utc" else None)
    made = [row_appointment(table, row, starts, ends, zone) for row in range(len(table))
            if table.row_of[table.ids[row]] == row]
    return made, bool(notes or table.notices or table.quarantined)
