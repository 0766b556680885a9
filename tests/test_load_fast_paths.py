"""The roster and break fast paths of ``load_snapshot`` (issue 17) read exactly what the
model path reads: the same slots, breaks, notices and quarantine, on days with and without
a UTC offset change, slots past midnight, empty slots, and rows the fast path hands back
to the model (an unknown key, a null, a number, a time that does not read)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import booking_rules as br
from booking_rules._time import LocalDays
from booking_rules.platforms.phorest import document

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
