"""The public face is small and pinned (httpx style): a change here is a deliberate act."""

from __future__ import annotations

from pathlib import Path

import booking_rules as br
from booking_rules._docs import stale_docs
from booking_rules.platforms.phorest import TABLE
from booking_rules.rules import REGISTRY

from .conftest import ROOT


def test_all_is_pinned() -> None:
    assert br.__all__ == sorted(br.__all__)
    assert set(br.__all__) >= {"check", "load_snapshot", "Report", "Violation",
                               "InputError", "Snapshot"}
    for name in br.__all__:
        assert hasattr(br, name)


def test_every_module_in_the_registry_exists_and_has_its_own_code() -> None:
    from booking_rules import rules as registry

    modules = registry._MODULES
    assert len(modules) == len(set(modules)) == len(REGISTRY)
    assert [r.name for r in REGISTRY.values()] == list(modules)
    assert len(TABLE.api) == 19
    # Phorest runs every rule but the ones only PNE runs, in registry order.
    from booking_rules.platforms import pne

    assert list(TABLE.rules) == [m for m in modules if m in TABLE.rules]
    assert set(modules) == set(TABLE.rules) | set(pne.TABLE.rules)


def test_rule_pages_are_not_stale() -> None:
    docs = ROOT / "docs" / "rules"
    assert stale_docs(Path(docs), TABLE) == [], (
        "run `booking-rules rules --write-docs docs/rules`")
