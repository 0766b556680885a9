"""What every reader of Phorest payloads shares: JSON paths, validation into one clear
``InputError``, HAL pages, and the field audit that reports unknown fields and ``null``s
once per name (RULES.md §4, §6; issue 12: no silent typos)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from ..._errors import InputError
from ...core import model as m
from .wire import UNUSED, Wire, defaults, known_names, nested

W = TypeVar("W", bound=Wire)

# Snapshot keys and the `_embedded` keys the API is known to use for them.
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "staff": ("staff", "staffs"),
    "services": ("services",),
    "workTimeTables": ("workTimeTables",),
    "breaks": ("breaks",),
    "appointments": ("appointments",),
    "rooms": ("rooms",),
    "machines": ("machines",),
    "specialOffers": ("specialOffers", "serviceSpecialOffers"),
    "courses": ("courses",),
    "clientCourses": ("clientCourses",),
    "clients": ("clients",),
}


def join(path: str, *parts: str) -> str:
    """``body`` + ``schedules[0]`` -> ``body.schedules[0]``; no leading dot at the top."""
    return ".".join(p for p in (path, *parts) if p)


def path_of(prefix: str, loc: Sequence[int | str]) -> str:
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _expected(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "this field (it is required)"
    msg = str(err.get("msg", "a valid value"))
    msg = msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else "a valid value"


def first_error(exc: ValidationError, path: str) -> tuple[str, str, object]:
    """(JSON path, what was expected, the value given) of a validation error's first."""
    err = exc.errors()[0]
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    got = err.get("input") if err["type"] != "missing" else None
    if isinstance(got, dict | list):
        got = None
    return path_of(path, loc), _expected(err), got


def validate(model: type[W], data: object, source: str, path: str) -> W:
    """``data`` as ``model``, or one InputError naming the file, the JSON path and the need."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where, expected, got = first_error(exc, path)
        raise InputError(source, where, expected, got) from None


def page_items(value: object, key: str, source: str, path: str) -> list[object]:
    """A list, one HAL page, or a list of HAL pages: the items, in order."""
    if isinstance(value, dict):
        embedded = value.get("_embedded")
        if embedded is None:
            if value.get("page", {}).get("totalElements") == 0 if isinstance(
                value.get("page"), dict
            ) else False:
                return []
            raise InputError(source, path, "a list of items or a HAL page with _embedded")
        if isinstance(embedded, list):  # older changelogs describe a bare array
            return list(embedded)
        if not isinstance(embedded, dict):
            raise InputError(source, f"{path}._embedded", "an object or a list")
        for name in LIST_KEYS.get(key, (key,)):
            if name in embedded:
                items = embedded[name]
                if not isinstance(items, list):
                    raise InputError(source, f"{path}._embedded.{name}", "a list of items")
                return list(items)
        if len(embedded) == 1:
            only = next(iter(embedded))
            items = embedded[only]
            if isinstance(items, list):
                return list(items)
        if not embedded:
            return []
        raise InputError(
            source, f"{path}._embedded", f"a key {' or '.join(LIST_KEYS.get(key, (key,)))}"
        )
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "_embedded" in v for v in value):
            out: list[object] = []
            for i, page in enumerate(value):
                out.extend(page_items(page, key, source, f"{path}[{i}]"))
            return out
        return list(value)
    raise InputError(source, path, "a list of items or a HAL page", value)


def suggest(name: str, known: Sequence[str] | frozenset[str]) -> str | None:
    """The known name closest to ``name``, when one is close (a likely typo)."""
    pool = sorted(known)
    lowered = {k.lower(): k for k in pool}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
    return close[0] if close else None


class Audit:
    """Unknown fields and ``null``s of the rows read, each said once per name and place
    (``staff[].disqualifiedService``), with the first JSON path, the count and, for an
    unknown field, the closest known name (RULES.md §4, §6)."""

    def __init__(self, fate: str = "it was not read") -> None:
        self.fate = fate  # what became of an unknown field, for the notice
        # (row path template, field) -> [first JSON path, count, known names or default]
        self.unknown: dict[tuple[str, str], list[Any]] = {}
        self.nulls: dict[tuple[str, str], list[Any]] = {}

    def unknown_field(self, template: str, name: str, path: str,
                      known: frozenset[str]) -> None:
        found = self.unknown.get((template, name))
        if found is None:
            self.unknown[(template, name)] = [path, 1, known]
        else:
            found[1] += 1

    def null(self, template: str, name: str, path: str, default: object) -> None:
        found = self.nulls.get((template, name))
        if found is None:
            self.nulls[(template, name)] = [path, 1, default]
        else:
            found[1] += 1

    def row(self, model: type[Wire], data: object, template: str, path: str) -> object:
        """``data`` ready for ``model``: its ``null``s where ``model`` has a default
        dropped (so the default applies), its unknown fields noted. Nested rows too."""
        if not isinstance(data, dict):
            return data
        known, dflt, inner = _SHAPES[model]
        keys = data.keys()
        if keys <= known and (not dflt or None not in data.values()):
            # Every key known and no null: only the nested rows can hold a finding (the
            # common case of a request, checked by set operations in C).
            if not inner or keys.isdisjoint(inner):
                return data
            return self._nested(data, inner, template, path)
        out: dict[str, Any] | None = None
        for key, value in data.items():
            if key not in known:
                self.unknown_field(template, str(key), join(path, str(key)), known)
            elif value is None and key in dflt:
                self.null(template, key, join(path, key), dflt[key])
                if out is None:
                    out = dict(data)
                del out[key]
            elif key in inner and isinstance(value, list):
                rows = [self.row(inner[key], v, f"{template}.{key}[]", f"{join(path, key)}[{i}]")
                        for i, v in enumerate(value)]
                if any(a is not b for a, b in zip(rows, value, strict=True)):
                    if out is None:
                        out = dict(data)
                    out[key] = rows
        return data if out is None else out

    def _nested(self, data: dict[str, Any], inner: Mapping[str, type[Wire]], template: str,
                path: str) -> object:
        """``row`` of a row whose own keys are all known and not null: its nested rows."""
        out: dict[str, Any] | None = None
        for key, value in data.items():  # in the row's order, as the full walk
            model = inner.get(key)
            if model is None or not isinstance(value, list):
                continue
            known, dflt, nested_rows = _SHAPES[model]
            where: tuple[str, str] | None = None  # worded only for a row with a finding
            rows: list[object] | None = None  # copied only when a row changes
            for i, v in enumerate(value):
                if type(v) is dict and v.keys() <= known and (
                        not dflt or None not in v.values()) and (
                        not nested_rows or v.keys().isdisjoint(nested_rows)):
                    continue  # a clean row without rows of its own: nothing to note
                if where is None:
                    where = (f"{template}.{key}[]", f"{path}.{key}" if path else key)
                row = self.row(model, v, where[0], f"{where[1]}[{i}]")
                if row is not v:
                    if rows is None:
                        rows = list(value)
                    rows[i] = row
            if rows is not None:
                if out is None:
                    out = dict(data)
                out[key] = rows
        return data if out is None else out

    def notices(self, totals: Mapping[str, int] | None = None) -> list[m.Notice]:
        """One notice per unknown field and per ``null`` read as a default; ``totals``:
        how many rows each place (``appointments[]``) holds, for the counts."""
        out: list[m.Notice] = []
        for (template, name), (path, count, known) in self.unknown.items():
            close = suggest(name, known)
            hint = f" (did you mean {close!r}?)" if close else ""
            where = template or "the snapshot's top level"
            total = (totals or {}).get(template)
            out.append(m.Notice(
                "unknown_field",
                f"field {name!r} is not a known field of {where}{hint}; {self.fate}"
                + (f" ({count} of {total} rows have it)" if total is not None else
                   f" ({count} rows have it)" if count > 1 else ""),
                path, {"field": name, "didYouMean": close, "rows": count}))
        for (template, name), (path, count, default) in self.nulls.items():
            out.append(m.Notice(
                "null_field",
                f"field {name!r} of {template} is null"
                + (f" in {count} rows" if count > 1 else "")
                + f"; read as its default {_show(default)}",
                path, {"field": name, "rows": count, "default": default}))
        return out


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    return str(value)


# Built once at import, for every wire model: the audit is shared by threads.
_SHAPES: dict[type[Wire], tuple[frozenset[str], dict[str, Any], dict[str, type[Wire]]]] = {
    model: (known_names(model), defaults(model), nested(model)) for model in UNUSED}
