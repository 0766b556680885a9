"""The roster and break fast paths of ``load_snapshot`` (issue 17) read exactly what the
model path reads: the same slots, breaks, notices and quarantine, on days with and without
a UTC offset change, slots past midnight, empty slots, and rows the fast path hands back
to the model (an unknown key, a null, a number, a time that does not read)."""

from __future__ import annotations

import copy
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import booking_rules as br
from booking_rules._time import LocalDays
from booking_rules.platforms.phorest import document, writes

from .conftest import salon_doc

# Toronto's and Dublin's transition days, their neighbours, and a plain winter day.
DAYS = ("2026-03-07", "2026-03-08", "2026-03-09", "2026-03-29", "2026-10-25",
        "2026-11-01", "2026-11-02", "2026-12-01")
SLOTS = [("09:00:00", "17:30:00", "13:00:00", "13:30:00"), ("22:00:00", "02:00:00", None, None),
         ("00:00:00", "03:30:00", "02:00:00", "02:30:00"), ("01:30:00", "02:30"),
         ("09:00:00", "09:00:00", None, None), ("12:00", "12:00:00.250", "12:00", "12:00")]


def _doc(zone: str) -> dict[str, Any]:
    doc = salon_doc()
    doc["branch"]["timeZone"] = zone
    staff = [s["staffId"] for s in doc["staff"]]
    tables = []
    for k, sid in enumerate(staff):
        slots: list[dict[str, Any]] = []
        for day in DAYS:
            for j, shape in enumerate(SLOTS):
                if (k + j) % 2:
                    continue
                slot: dict[str, Any] = {"date": day, "startTime": shape[0],
                                        "endTime": shape[1], "type": "WORKING"}
                if len(shape) == 4 and shape[2] is not None:
                    slot["timeOffStartTime"], slot["timeOffEndTime"] = shape[2], shape[3]
                slots.append(slot)
        tables.append({"staffId": sid, "timeSlots": slots})
    # Rows the fast path must hand back: each reads as the model reads it.
    odd = tables[0]["timeSlots"]
    odd += [{"date": "2026-12-01", "startTime": "10:00:00", "endTime": "11:00:00",
             "type": "WORKING", "colour": "red"},
            {"date": "2026-12-01", "startTime": "10:00:00", "endTime": "11:00:00",
             "type": "WORKING", "timeOffStartTime": None, "timeOffEndTime": None},
            {"date": "2026-12-01", "startTime": 900, "endTime": "11:00:00",
             "type": "WORKING"},
            {"date": "2026-12-01", "startTime": "25:00:00", "endTime": "11:00:00",
             "type": "WORKING"},
            {"date": "2026-12-32", "startTime": "10:00:00", "endTime": "11:00:00"},
            {"date": "2026-12-01", "startTime": "10:00:00", "endTime": "11:00:00",
             "type": "NON_WORKING"}]
    breaks = doc.setdefault("breaks", [])
    for day in DAYS:
        breaks += [{"breakId": f"b{day}", "breakDate": day, "startTime": "01:45:00",
                    "endTime": "02:15:00", "staffId": staff[0], "label": "night"},
                   {"breakDate": day, "startTime": "23:00:00", "endTime": "01:00:00",
                    "roomId": "room_a"}]
    breaks += [{"breakId": None, "breakDate": "2026-12-01", "startTime": "10:00:00",
                "endTime": "10:30:00", "staffId": staff[0]},
               {"breakId": "bx", "breakDate": "2026-12-01", "startTime": "10:00:00",
                "endTime": "10:30:00", "staffId": 7},
               {"breakId": "by", "breakDate": "2026-12-01", "startTime": "10:00:00",
                "endTime": "10:30:00", "machineId": "m", "extra": 1}]
    return doc


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    class Never(LocalDays):
        def plain(self, ordinal: int) -> int | None:
            return None

    monkeypatch.setattr(document._PlainRows, "slot", lambda self, raw: None)
    monkeypatch.setattr(document._PlainRows, "break_", lambda self, raw: None)
    monkeypatch.setattr(document, "LocalDays", Never)


@pytest.mark.parametrize("zone", ["America/Toronto", "Europe/Dublin", "Australia/Lord_Howe",
                                  "UTC"])
def test_fast_paths_read_what_the_model_reads(zone: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _doc(zone)
    fast = br.load_snapshot(copy.deepcopy(doc))
    with monkeypatch.context() as mp:
        _slow(mp)
        slow = br.load_snapshot(copy.deepcopy(doc))
    assert len(fast.roster) > 50 and len(fast.breaks) > 10
    assert fast.roster == slow.roster
    assert fast.breaks == slow.breaks
    assert fast.notices == slow.notices
    assert fast.quarantined == slow.quarantined
    # Instants stay aware UTC.
    assert all(r.start.utcoffset() is not None and r.start.tzinfo is r.end.tzinfo
               for r in fast.roster)
    assert {n.rule for n in fast.notices} >= {"unknown_field", "null_field"}


# --- clients: tens of thousands of rows, the plain ones read without pydantic ----------

_NAME = st.none() | st.sampled_from(["Mary", "", "O'Neil"]) | st.integers(0, 3) | \
    st.booleans() | st.just(["x"])
_CLIENT_ID = st.sampled_from(["cli_mary", "cli_new", "cli_a", "", "cli_b"])


@st.composite
def _client(draw: st.DrawFn) -> object:
    """Mostly rows a load accepts (an id string the records read), each with at most
    one oddity the plain read must hand to the models: a name of another type, a null,
    an unknown key, an empty id, an id of another type, no id, a row that is no object."""
    row: dict[str, object] = {"clientId": draw(_CLIENT_ID)}
    for key in ("firstName", "lastName", "version", "creatingBranchId", "email"):
        if draw(st.booleans()):
            row[key] = draw(st.sampled_from(["Ann", "Lee", None]) if key != "version"
                            else st.integers(0, 5) | st.none())
    odd = draw(st.integers(0, 9))
    if odd == 0:
        row[draw(st.sampled_from(["firstName", "lastName", "version"]))] = draw(_NAME)
    elif odd == 1:
        row[draw(st.sampled_from(["firstname", "colour", "clientID"]))] = "x"
    elif odd == 2:
        return draw(st.sampled_from([None, "cli_x", 7, [], {"clientId": 7}, {}]))
    return row


def _read(doc: dict[str, Any]) -> object:
    try:
        snap = br.load_snapshot(copy.deepcopy(doc))
    except br.InputError as exc:
        return str(exc)
    return (snap.clients, snap.notices, snap.unreadable, snap.quarantined,
            snap.records.clients)


@settings(max_examples=200, deadline=None)
@given(st.lists(_client(), max_size=6))
def test_plain_client_rows_read_what_the_models_read(clients: list[object]) -> None:
    doc = salon_doc()
    doc["clients"] = clients
    fast = _read(doc)
    with mock.patch.object(document, "plain_client", lambda raw: None), \
            mock.patch.object(writes, "plain_client", lambda raw: None):
        slow = _read(doc)
    assert fast == slow
