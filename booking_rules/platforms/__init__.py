"""Platforms: one package per booking API, holding everything that API knows (wire models,
reading snapshots and bodies, its code table, error bodies, advice), loaded by name from one
explicit table, as sqlalchemy loads a dialect. The core and the rules import none of them.

Each platform package exposes ``TABLE`` (its :class:`~booking_rules.core.codes.CodeTable`),
``load_snapshot``, ``parse_request``, ``check`` and ``EXPLAIN`` (its side of explain: an
:class:`~booking_rules.explain.ExplainPlatform`).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING

from .._errors import InputError
from ..core.codes import CodeTable

if TYPE_CHECKING:
    from ..explain import ExplainPlatform

# name -> module; the only list of platforms.
_PLATFORMS = {"phorest": f"{__name__}.phorest"}
NAMES = tuple(_PLATFORMS)


def get(name: str) -> ModuleType:
    """The platform package of ``name``."""
    module = _PLATFORMS.get(name)
    if module is None:
        raise InputError("--platform", "", f"one of {', '.join(NAMES)}", name)
    return import_module(module)


def table(name: str) -> CodeTable:
    """The code table of platform ``name``."""
    found: CodeTable = get(name).TABLE
    return found


def explainer(name: str) -> ExplainPlatform:
    """Platform ``name``'s side of explain."""
    found: ExplainPlatform = get(name).EXPLAIN
    return found
