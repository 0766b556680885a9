"""Platforms: one package per booking API, holding everything that API knows (wire models,
reading snapshots and bodies, its code table, error bodies, advice), loaded by name from one
explicit table, as sqlalchemy loads a dialect. The core and the rules import none of them.

Each platform package exposes ``TABLE`` (its :class:`~booking_rules.core.codes.CodeTable`),
``load_snapshot``, ``parse_request``, ``check`` and ``EXPLAIN`` (its side of explain: an
:class:`~booking_rules.explain.ExplainPlatform`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from .. import _json
from .._errors import InputError
from ..core.codes import CodeTable

if TYPE_CHECKING:
    from ..explain import ExplainPlatform

# name -> module; the only list of platforms.
# "vish" is PNE in the mode that refuses every appointment write (its read-mostly subset).
_PLATFORMS = {"phorest": f"{__name__}.phorest", "pne": f"{__name__}.pne",
              "vish": f"{__name__}.pne.vish"}
NAMES = tuple(_PLATFORMS)


def get(name: str) -> ModuleType:
    """The platform package of ``name``."""
    if not isinstance(name, str):
        raise InputError("--platform", "", f"one of {', '.join(NAMES)}", name)
    found = _LOADED.get(name)  # every check asks: a look-up, not an import machinery call
    if found is not None:
        return found
    module = _PLATFORMS.get(name)
    if module is None:
        raise InputError("--platform", "", f"one of {', '.join(NAMES)}", name)
    found = _LOADED[name] = import_module(module)
    return found


_LOADED: dict[str, ModuleType] = {}


def infer(source: object) -> str:
    """The platform a snapshot is for: a document (or a file whose first keys show it)
    with a top-level ``Company`` is PNE's; anything else is Phorest's. A file is not read
    whole: its first 256 KB are searched for the first top-level key of either."""
    if isinstance(source, Mapping):
        return "pne" if "Company" in source and "branch" not in source else "phorest"
    if not isinstance(source, str | os.PathLike):
        return "phorest"  # the platform's own reading gives the precise error
    raw = _json.read_head(source, 262_144)  # never blocks on a FIFO, never reads a device
    if raw is None:
        return "phorest"  # the platform's own reading gives the precise error
    found = _FIRST_KEY.search(raw.decode("utf-8", "replace"))
    return "pne" if found is not None and found.group(1) == "Company" else "phorest"


_FIRST_KEY = re.compile(r'"(Company|branch)"\s*:')


def table(name: str) -> CodeTable:
    """The code table of platform ``name``."""
    found: CodeTable = get(name).TABLE
    return found


def explainer(name: str) -> ExplainPlatform:
    """Platform ``name``'s side of explain."""
    found: ExplainPlatform = get(name).EXPLAIN
    return found
