"""What the sandbox holds: per branch, a snapshot document (its raw rows, as Phorest
returns them) and the ``Snapshot`` the engine checks against, kept in step.

Rows are never changed in place: a write builds new rows and a new document, remakes the
``Snapshot`` (``_rebuild``) and only then swaps both in, under the branch's lock. A reader
takes ``BranchState.current`` once and sees one consistent state, without a lock.
"""

from __future__ import annotations

import copy
import random
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import booking_rules as br

from .. import _json
from ._adapter import LIST_KEYS, Placed, page_items, read_appointments

Row = dict[str, Any]


class Current(NamedTuple):
    """One consistent state of a branch: its document, the engine's Snapshot of it, and
    where each appointment row sits in ``doc["appointments"]``."""

    doc: dict[str, Any]
    snapshot: br.Snapshot
    positions: dict[str, int]


class BranchState:
    """One branch: its current state and the lock that serializes its writes."""

    def __init__(self, doc: dict[str, Any], snapshot: br.Snapshot) -> None:
        self.id: str = str(doc["branch"]["branchId"])
        self.lock = threading.Lock()
        self.current = Current(doc, snapshot, _positions(doc))

    @property
    def zone_key(self) -> str:
        return self.current.snapshot.zone.key


def _positions(doc: Mapping[str, Any]) -> dict[str, int]:
    return {str(row["appointmentId"]): i for i, row in enumerate(doc["appointments"])}


# An overlay's changes past this many are folded into a fresh load of the document, so a
# long session's queries do not scan an ever longer list of written appointments.
_COMPACT_AFTER = 2_000


def _rebuild(doc: dict[str, Any], previous: br.Snapshot, changed: Sequence[Row]) -> br.Snapshot:
    """Where a branch's Snapshot is remade after a write: the only call site.

    ``doc`` is the new document, ``previous`` the Snapshot before the write and
    ``changed`` exactly the appointment rows the write added or replaced (same
    ``appointmentId`` = replaced). The write becomes an overlay of ``previous``, which
    answers as the reloaded document would at the cost of the change; a long overlay is
    folded into a fresh load now and then.
    """
    if len(previous.delta.upserts) + len(changed) > _COMPACT_AFTER:
        return br.load_snapshot(doc)
    return previous.with_changes(read_appointments(changed, previous, "sandbox write"))


class SandboxState:
    """The branches of one business, seeded from snapshot documents.

    ``now`` stamps ``updatedAt`` on every seeded row that has none (and ``version`` 1 on
    rows without one), so every row the sandbox serves carries both. ``seed`` makes the
    ids the sandbox hands out reproducible.
    """

    def __init__(self, docs: Sequence[Mapping[str, Any]], *, now: datetime,
                 business_id: str = "demo", sources: Sequence[str] | None = None,
                 seed: int = 0) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        if not docs:
            raise br.InputError("sandbox", "snapshots", "at least one snapshot document")
        self.business_id = business_id
        self._seed_number = seed
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._lock = threading.Lock()  # guards the branch table itself (load, reset)
        self._seed: dict[str, dict[str, Any]] = {}
        self.branches: dict[str, BranchState] = {}
        names = list(sources) if sources is not None else [
            f"snapshot {i}" for i in range(len(docs))]
        for doc, source in zip(docs, names, strict=True):
            branch = self._make(doc, source, now)
            if branch.id in self.branches:
                raise br.InputError(source, "branch.branchId",
                                    "a branch no other snapshot holds", branch.id)
            self.branches[branch.id] = branch
            self._seed[branch.id] = copy.deepcopy(branch.current.doc)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path], *, now: datetime,
                   business_id: str = "demo", seed: int = 0) -> SandboxState:
        """Seed from snapshot files; a file that is not a usable snapshot raises
        ``br.InputError`` naming it (the CLI's exit 2)."""
        docs: list[Mapping[str, Any]] = []
        sources = []
        for path in paths:
            br.load_snapshot(path)  # its InputError names the file, the path and the need
            docs.append(_json.read_json(path, what="snapshot", limit=_json.MAX_SNAPSHOT_BYTES))
            sources.append(str(path))
        return cls(docs, now=now, business_id=business_id, sources=sources, seed=seed)

    @staticmethod
    def _make(doc: Mapping[str, Any], source: str, now: datetime) -> BranchState:
        if not isinstance(doc, Mapping):
            raise br.InputError(source, "", "a JSON object (the snapshot document)")
        br.load_snapshot(doc)  # validates, with the JSON path of any error
        norm = normalize(doc, source, now)
        return BranchState(norm, br.load_snapshot(norm))

    # --- the branch table ------------------------------------------------------------

    def branch(self, branch_id: str) -> BranchState | None:
        return self.branches.get(branch_id)

    def reset(self) -> None:
        """Every branch back to its seeded state (branches loaded later are dropped), and
        the ids it hands out back to the start of their seeded sequence."""
        with self._rng_lock:
            self._rng = random.Random(self._seed_number)
        with self._lock:
            fresh = {bid: BranchState(copy.deepcopy(doc), br.load_snapshot(doc))
                     for bid, doc in self._seed.items()}
            for bid, branch in fresh.items():
                old = self.branches.get(bid)
                if old is not None:  # keep the lock object: writers may be waiting on it
                    with old.lock:
                        old.current = branch.current
                    fresh[bid] = old
            self.branches = fresh

    def load(self, doc: object, now: datetime, source: str = "request body") -> BranchState:
        """Replace (or add) the branch ``doc`` holds with ``doc``."""
        if not isinstance(doc, Mapping):
            raise br.InputError(source, "", "a JSON object (the snapshot document)")
        made = self._make(doc, source, now)
        with self._lock:
            old = self.branches.get(made.id)
            if old is None:
                self.branches = {**self.branches, made.id: made}
                return made
            with old.lock:
                old.current = made.current
            return old

    def export(self, branch_id: str) -> dict[str, Any]:
        """The branch's state as a snapshot document ``load_snapshot`` reads."""
        return copy.deepcopy(self.branches[branch_id].current.doc)

    # --- writes (the caller holds branch.lock) -----------------------------------------

    def commit(self, branch: BranchState, rows: Sequence[Row]) -> None:
        """Add or replace appointment rows (by ``appointmentId``), then remake the
        Snapshot. Nothing is swapped in unless the new Snapshot was built."""
        cur = branch.current
        appointments = list(cur.doc["appointments"])
        positions = dict(cur.positions)
        for row in rows:
            key = str(row["appointmentId"])
            at = positions.get(key)
            if at is None:
                positions[key] = len(appointments)
                appointments.append(row)
            else:
                appointments[at] = row
        doc = {**cur.doc, "appointments": appointments}
        snapshot = _rebuild(doc, cur.snapshot, rows)
        branch.current = Current(doc, snapshot, positions)

    def new_id(self, prefix: str, taken: Mapping[str, Any] | None = None) -> str:
        """An opaque id, reproducible under the state's seed."""
        with self._rng_lock:
            while True:
                made = f"{prefix}{self._rng.getrandbits(64):016x}"
                if taken is None or made not in taken:
                    return made

    def error_id(self) -> str:
        with self._rng_lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


# --- documents ---------------------------------------------------------------------------


def normalize(doc: Mapping[str, Any], source: str, now: datetime) -> dict[str, Any]:
    """A snapshot document in the shape the sandbox keeps: every list as plain rows (not
    HAL pages), the branch as one object, ``appointments`` present, and every row with
    ``version`` and ``updatedAt``."""
    stamp = z_millis(now)
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if key in LIST_KEYS and value is not None:
            out[key] = [_stamped(dict(item), stamp)  # type: ignore[call-overload]
                        for item in page_items(value, key, source)]
        elif key == "branch":
            branch = value
            if isinstance(value, Mapping) and "_embedded" in value:
                branch = page_items(value, "branches", source)[0]
            out[key] = _stamped(dict(branch), stamp)
        else:
            out[key] = copy.deepcopy(value)
    out.setdefault("appointments", [])
    branch_id = out["branch"]["branchId"]
    for row in out["appointments"]:
        row.setdefault("branchId", branch_id)
    return out


def _stamped(row: Row, stamp: str) -> Row:
    if row.get("version") is None:
        row["version"] = 1
    if row.get("updatedAt") is None:
        row["updatedAt"] = stamp
    return row


def z_millis(instant: datetime) -> str:
    """``2026-11-01T12:00:00.000Z``: how Phorest writes ``updatedAt``."""
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def wall(instant: datetime, snapshot: br.Snapshot) -> tuple[str, str]:
    """An instant as an appointment row holds it: (appointmentDate, HH:mm:ss), in the
    document's convention (branch-local wall clock unless it declares UTC)."""
    local = instant.astimezone(UTC if snapshot.appointment_times == "utc" else snapshot.zone)
    return local.date().isoformat(), local.strftime("%H:%M:%S")


def booking_rows(state: SandboxState, branch: BranchState, placed: Sequence[Placed],
                 body: Mapping[str, Any], now: datetime) -> tuple[str, list[Row]]:
    """The appointment rows an accepted createBooking becomes: one per service schedule,
    plus a finish row (``isFinishAppointment``) for a service with a finish block, as
    Phorest splits them. Returns (bookingId, rows)."""
    cur = branch.current
    snap = cur.snapshot
    stamp = z_millis(now)
    services = {str(s.get("serviceId")): s for s in cur.doc.get("services") or []}
    booking_id = state.new_id("bk_sbx_")
    status = body.get("bookingStatus") or "ACTIVE"
    taken: dict[str, int] = dict(cur.positions)
    rows: list[Row] = []
    for p in placed:
        service = snap.services.get(p.service_id or "")
        raw_service = services.get(p.service_id or "", {})
        price = p.raw.get("price", raw_service.get("price"))
        parts = [(p.start, p.end, False)]
        if p.finish is not None:
            parts.append((p.finish[0], p.finish[1], True))
        for start, end, finish in parts:
            day, start_t = wall(start, snap)
            _, end_t = wall(end, snap)
            appointment_id = state.new_id("ap_sbx_", taken)
            taken[appointment_id] = -1
            rows.append({
                "appointmentId": appointment_id, "version": 1, "branchId": branch.id,
                "appointmentDate": day, "startTime": start_t, "endTime": end_t,
                "clientId": p.client_id, "staffId": p.staff_id, "serviceId": p.service_id,
                "serviceName": service.name if service else None,
                "roomId": p.room_id, "machineId": p.machine_id,
                "price": price if isinstance(price, int | float) else None,
                "confirmed": False, "state": "BOOKED", "activationState": status,
                "deleted": False, "staffRequest": p.staff_request, "preferredStaff": False,
                "bookingId": booking_id, "source": "API", "isFinishAppointment": finish,
                "specialOfferId": None if finish else p.offer_id,
                "clientCourseItemId": None if finish else p.course_item_id,
                "createdAt": stamp, "updatedAt": stamp,
            })
    return booking_id, rows


def updated_row(row: Row, p: Placed, body: Mapping[str, Any], snapshot: br.Snapshot,
                now: datetime) -> Row:
    """An appointment row after an accepted updateAppointment: moved to where the engine
    placed it, the fields the body sets, ``version`` + 1, ``updatedAt`` now."""
    day, start_t = wall(p.start, snapshot)
    _, end_t = wall(p.end, snapshot)
    new = {**row, "appointmentDate": day, "startTime": start_t, "endTime": end_t,
           "staffId": p.staff_id, "version": int(row.get("version") or 0) + 1,
           "updatedAt": z_millis(now)}
    if body.get("serviceId"):
        new["serviceId"] = body["serviceId"]
        service = snapshot.services.get(str(body["serviceId"]))
        new["serviceName"] = service.name if service else None
    for key in ("roomId", "machineId", "price", "confirmed", "clientId"):
        if key in body:
            new[key] = body[key]
    return new


def changed_row(row: Row, now: datetime, **fields: Any) -> Row | None:
    """``row`` with ``fields`` set, ``version`` + 1 and ``updatedAt`` now; ``None`` when
    nothing would change (a repeated cancel or confirm bumps nothing)."""
    if all(row.get(k) == v for k, v in fields.items()):
        return None
    return {**row, **fields, "version": int(row.get("version") or 0) + 1,
            "updatedAt": z_millis(now)}


def competitor_row(state: SandboxState, branch: BranchState, p: Placed, client_id: str,
                   now: datetime) -> Row:
    """The other receptionist's appointment: the same staff and time as ``p``, booked
    at the salon (source PHOREST), not checked by anyone."""
    snap = branch.current.snapshot
    day, start_t = wall(p.start, snap)
    _, end_t = wall(p.end, snap)
    stamp = z_millis(now)
    return {
        "appointmentId": state.new_id("ap_sbx_", branch.current.positions), "version": 1,
        "branchId": branch.id, "appointmentDate": day, "startTime": start_t,
        "endTime": end_t, "clientId": client_id, "staffId": p.staff_id,
        "serviceId": p.service_id, "activationState": "ACTIVE", "state": "BOOKED",
        "deleted": False, "staffRequest": False, "confirmed": False,
        "bookingId": state.new_id("bk_sbx_"), "source": "PHOREST",
        "createdAt": stamp, "updatedAt": stamp,
    }
