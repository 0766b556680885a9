"""PNE's rule reference: its pages are generated from the rule docstrings under PNE's codes
(docs/rules/pne/), and go stale when a docstring or the code table changes."""

from __future__ import annotations

import pytest

from booking_rules._docs import stale_docs
from booking_rules.core.rule import REQUIRED_SECTIONS, examples
from booking_rules.platforms import pne
from booking_rules.platforms.phorest import TABLE as PHOREST

from ..conftest import ROOT

ONLY_PNE = [r for name, r in pne.TABLE.rules.items() if name not in PHOREST.rules]


def test_pne_rule_pages_are_not_stale() -> None:
    docs = ROOT / "docs" / "rules" / "pne"
    assert stale_docs(docs, pne.TABLE, pne.DOCS_NOTE) == [], (
        "run `booking-rules rules --platform pne --write-docs docs/rules/pne`")


def test_pne_publishes_no_codes_so_none_is_predicted() -> None:
    assert pne.TABLE.api == frozenset()
    assert pne.TABLE.api_codes == ()


@pytest.mark.parametrize("rule", ONLY_PNE, ids=lambda r: r.name)
def test_a_rule_only_pne_runs_is_documented_under_its_pne_code(rule: object) -> None:
    from booking_rules.core.rule import Rule

    assert isinstance(rule, Rule)
    code = pne.TABLE.code_of(rule)
    assert rule.doc.startswith(f"{code}: "), "the first line is 'CODE: summary'"
    sections = rule.sections()
    for heading in REQUIRED_SECTIONS:
        assert sections.get(heading, "").strip(), f"{code} lacks '## {heading}'"
    found = examples(rule)
    assert any(e.expect_fail for e in found) and any(not e.expect_fail for e in found)
