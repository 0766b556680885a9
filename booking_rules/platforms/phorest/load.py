"""Phorest snapshot documents, from a file or a dict, into a canonical ``Snapshot``."""

from __future__ import annotations

import contextlib
import gc
import json
import mmap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import msgspec

from ..._errors import InputError
from ...core.appointments import AppointmentTable
from ...core.snapshot import Snapshot
from .document import read_snapshot_doc, split_snapshot_json


def read_document(doc: Mapping[str, Any], source: str, default_times: str = "local", *,
                  appointments: AppointmentTable | msgspec.Raw | list[msgspec.Raw] | None
                  = None, branch: str | None = None) -> Snapshot:
    """A snapshot document made canonical and indexed. ``appointments`` stands for the
    document's history when it was decoded apart (from a file's bytes) or read already;
    ``branch``: the branch to read when the document's ``branch`` is a page of several."""
    branch_row, times, declared, parts = read_snapshot_doc(doc, source, default_times,
                                                           appointments, branch)
    # The document minus its history, which the table holds: enough to read the same
    # document under the other appointment-time convention without decoding it again
    # (an empty list marks the history present; the table stands for its rows).
    rest = {k: ([] if k == "appointments" and v is not None else v) for k, v in doc.items()}
    table = parts.table

    def reread(other: str) -> Snapshot:
        return read_document(rest, source, other, appointments=table, branch=branch)

    return Snapshot(branch_row, parts, source, appointment_times=times,
                    times_declared=declared, reread=reread)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    # A million-row load allocates millions of objects that all live: collecting them
    # half-way through (several times) finds nothing and costs a fifth of the load. The
    # collector is switched back on whatever happens, and only if it was on.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_snapshot(source: str | Path | Mapping[str, Any], *,
                  appointment_times: str = "local", branch: str | None = None) -> Snapshot:
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


def _load_file(source: str | Path, appointment_times: str, branch: str | None = None
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


def _load_text(path: Path, name: str, appointment_times: str, branch: str | None = None
               ) -> Snapshot:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(name, "", "an existing snapshot file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, "", f"a readable UTF-8 JSON file ({exc.__class__.__name__})"
                         ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"line {exc.lineno} column {exc.colno}",
                         f"valid JSON ({exc.msg})") from None
    return read_document(doc, name, appointment_times, branch=branch)
