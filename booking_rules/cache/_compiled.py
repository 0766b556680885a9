"""A stream's appointment rows compiled into the engine's columns, stored as one blob.

Building a snapshot of a million cached appointments from their raw JSON means reading a
million rows out of SQLite and decoding each one again (seconds). The loader's own result,
the history table (``core.appointments.AppointmentTable``: ids, integer arrays, repeated ids
stored once), is kept instead, as of a change marker; a snapshot reads it and lays the rows
changed since over it (an overlay), so the raw rows are decoded only when written.

The blob is msgpack (msgspec), never pickle: a cache file may come from elsewhere, and
reading it must not run code. Columns are packed by what they hold, not by name, so a column
the core adds later is packed too; the format string names every column and the byte
order, so a blob of another layout is ignored (and rebuilt), never misread.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import fields
from typing import Any

import msgspec

from ._adapter import AppointmentTable, m

_NOTICE_FIELDS = tuple(f.name for f in fields(m.Notice))
# Bumped when the packing below changes; the rest of the format follows the table itself.
_VERSION = "1"
FORMAT = (f"table-{_VERSION}:{sys.byteorder}:" + ",".join(AppointmentTable.__slots__)
          + ":" + ",".join(_NOTICE_FIELDS))

_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(dict[str, list[Any]])


class CannotCompile(ValueError):
    """A table this packing does not know how to keep (a column of an unknown kind)."""


def _pool_codes(column: list[Any]) -> tuple[list[Any], bytes]:
    pool: dict[Any, int] = {}
    codes = array("i", [pool.setdefault(v, len(pool)) for v in column])
    return list(pool), codes.tobytes()


def pack(table: AppointmentTable) -> bytes:
    """The table as one blob (``unpack`` reads it back equal, column by column)."""
    out: dict[str, list[Any]] = {}
    for name in AppointmentTable.__slots__:
        if name == "row_of":  # recomputed from the ids: smaller to store that way
            continue
        value = getattr(table, name)
        if name == "notices":
            out[name] = ["n", [[row, [getattr(n, f) for f in _NOTICE_FIELDS]]
                               for row, n in value]]
        elif isinstance(value, array):
            out[name] = ["a", value.typecode, value.tobytes()]
        elif isinstance(value, bytes):
            out[name] = ["b", value]
        elif isinstance(value, dict):  # a sparse column: row -> id
            rows = array("q", value)
            pool, codes = _pool_codes(list(value.values()))
            out[name] = ["d", rows.tobytes(), pool, codes]
        elif isinstance(value, list):
            pool, codes = _pool_codes(value) if all(
                v is None or isinstance(v, str) for v in value) else ([], b"")
            if pool and len(pool) * 2 < len(value):  # few distinct ids, repeated
                out[name] = ["s", pool, codes]
            elif all(v is None or isinstance(v, str | int | float) for v in value):
                out[name] = ["l", value]
            else:  # e.g. quarantined rows: tuples would come back as lists; not kept
                raise CannotCompile(f"column {name} holds {type(value[0]).__name__}")
        else:
            raise CannotCompile(f"column {name} holds {type(value).__name__}")
    try:
        return _ENCODER.encode(out)
    except (TypeError, msgspec.EncodeError) as exc:  # e.g. a notice with odd evidence
        raise CannotCompile(str(exc)) from None


def unpack(blob: bytes) -> AppointmentTable:
    """The table a blob of ``FORMAT`` holds."""
    cols = _DECODER.decode(blob)
    table = object.__new__(AppointmentTable)
    for name, packed in cols.items():
        kind = packed[0]
        value: Any
        if kind == "a":
            value = array(packed[1])
            value.frombytes(packed[2])
        elif kind == "b":
            value = bytes(packed[1])
        elif kind == "d":
            rows, pool = array("q"), packed[2]
            rows.frombytes(packed[1])
            codes = array("i")
            codes.frombytes(packed[3])
            value = dict(zip(rows, map(pool.__getitem__, codes), strict=True))
        elif kind == "s":
            pool = packed[1]
            codes = array("i")
            codes.frombytes(packed[2])
            value = list(map(pool.__getitem__, codes))
        elif kind == "l":
            value = packed[1]
        elif kind == "n":
            value = [(row, m.Notice(**dict(zip(_NOTICE_FIELDS, given, strict=True))))
                     for row, given in packed[1]]
        else:
            raise ValueError(f"unknown column kind {kind!r}")
        setattr(table, name, value)
    table.row_of = dict(zip(table.ids, range(len(table.ids)), strict=True))
    return table
