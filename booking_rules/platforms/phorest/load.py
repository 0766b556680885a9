"""Phorest snapshot documents, from a file or a dict, into a canonical ``Snapshot``."""

from __future__ import annotations

import contextlib
import json
import mmap
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import msgspec

from ..._errors import InputError
from ..._gc import no_collection
from ...core import model as m
from ...core.appointments import AppointmentTable
from ...core.snapshot import Snapshot, row_appointment
from .._files import read_json_file
from .document import read_snapshot_doc, split_snapshot_json
from .history import table_from_value
from .writes import read_records


def read_document(doc: Mapping[str, Any], source: str, default_times: m.Times = "local", *,
                  appointments: AppointmentTable | msgspec.Raw | list[msgspec.Raw] | None
                  = None, branch: str | None = None) -> Snapshot:
    """A snapshot document made canonical and indexed. ``appointments`` stands for the
    document's history when it was decoded apart (from a file's bytes) or read already;
    ``branch``: the branch to read when the document's ``branch`` is a page of several."""
    branch_row, read_times, declared, parts = read_snapshot_doc(
        doc, source, default_times, appointments, branch)
    times: m.Times = "utc" if read_times == "utc" else "local"  # ConventionsIn allows these
    parts.records, notices = read_records(doc, source, branch_row.id)
    parts.notices += notices
    # The document minus its history, which the table holds: enough to read the same
    # document under the other appointment-time convention without decoding it again
    # (an empty list marks the history present; the table stands for its rows).
    rest = {k: ([] if k == "appointments" and v is not None else v) for k, v in doc.items()}
    table = parts.table

    def reread(other: m.Times) -> Snapshot:
        return read_document(rest, source, other, appointments=table, branch=branch)

    return Snapshot(branch_row, parts, source, appointment_times=times,
                    times_declared=declared, reread=reread)


def read_appointments(rows: object, snapshot: Snapshot, source: str = "<appointments>"
                      ) -> list[m.Appointment]:
    """Phorest appointment rows (a list, a HAL page or pages) made canonical the way
    ``snapshot`` read its own (its zone and appointment-time convention): what an overlay
    (``Snapshot.with_changes``) takes from a write or a sync's delta."""
    table = table_from_value(rows, source, frozenset(snapshot.offers))
    zone = snapshot.zone
    starts, ends, _ = table.to_utc(zone if snapshot.appointment_times != "utc" else None)
    return [row_appointment(table, row, starts, ends, zone) for row in range(len(table))
            if table.row_of[table.ids[row]] == row]  # the later of two rows with one id


# The collector's switch is shared with the slot search (``booking_rules._gc``).
_no_collection = no_collection


def read_raw_history(doc: Mapping[str, Any], history: list[bytes], source: str
                     ) -> Snapshot:
    """``load_snapshot({**doc, "appointments": history})`` with the history given as the
    raw JSON of its rows (a cache's), decoded in msgspec batches as a file's is."""
    with _no_collection():
        # The key is present (its rows given apart): absent would read "not loaded".
        return read_document({**doc, "appointments": []}, source,
                             appointments=[msgspec.Raw(raw) for raw in history])


def load_snapshot(source: str | Path | Mapping[str, Any], *,
                  appointment_times: m.Times = "local", branch: str | None = None
                  ) -> Snapshot:
    """Read a Phorest snapshot document (a path or a dict) and build its indexes once.

    ``appointment_times`` is the read-time convention used when the document does not
    declare ``conventions.appointmentTimes``. ``branch``: the branch to read when the
    document's ``branch`` is a page of several (else its top-level ``branchId`` names it).
    """
    with _no_collection():
        if isinstance(source, Mapping):
            return read_document(source, "<snapshot>", appointment_times, branch=branch)
        if not isinstance(source, str | Path):
            raise InputError("<snapshot>", "", "a snapshot document (a dict) or the path of "
                             "one", type(source).__name__)
        return _load_file(source, appointment_times, branch)


def _load_file(source: str | Path, appointment_times: m.Times, branch: str | None = None
               ) -> Snapshot:
    path = Path(source)
    name = str(source)
    try:
        with path.open("rb") as f:
            # Mapped, not read: the text of a long history is as big as the snapshot.
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, ValueError):  # an empty file cannot be mapped; a directory, ...
        return _load_text(path, name, appointment_times, branch)  # for its precise message
    try:
        # The history is decoded straight from the bytes into table rows, without a dict
        # per row; the other keys are small and read as usual.
        doc, history = split_snapshot_json(data)
    except (msgspec.DecodeError, UnicodeDecodeError, json.JSONDecodeError):
        history = _UNREAD
    try:
        if history is _UNREAD:
            return _load_text(path, name, appointment_times, branch)
        return read_document(doc, name, appointment_times, appointments=cast(
            "msgspec.Raw | list[msgspec.Raw] | None", history), branch=branch)
    finally:
        history = None
        with contextlib.suppress(BufferError):  # a traceback still holds a view: GC closes
            data.close()


_UNREAD = object()


def _load_text(path: Path, name: str, appointment_times: m.Times, branch: str | None = None
               ) -> Snapshot:
    doc = read_json_file(path, name)
    return read_document(doc, name, appointment_times, branch=branch)
