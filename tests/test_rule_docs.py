"""Every rule's docstring is its documentation, and its examples are tests.

The examples run against the example salon (docs/examples/queen_st_toronto.json) at
now = 2026-11-01T12:00:00Z; a rule only PNE runs runs its examples against the PNE example
location instead (tests/pne/location.py): a ```json fails``` example must report the rule's code, a
```json passes``` example must not report it at any severity. An example may carry
``"addToSalon": {"<snapshot list>": [entries]}`` beside its request: entries added to the
example salon for that example only (how a snapshot problem is shown), and
``"ruleOptions": {"CODE": {"option": value}}``: options set for that example only (how a
rule that is off by default is shown), and ``"engineOptions": {"option": value}``: the
ruleset's ``[options]`` for that example only.
"""

from __future__ import annotations

import pytest

import booking_rules as br
from booking_rules.core.rule import REQUIRED_SECTIONS, examples
from booking_rules.platforms import pne
from booking_rules.platforms.phorest import TABLE
from booking_rules.rules import REGISTRY

from .conftest import NOW, all_codes, example_setup, run
from .pne import location as pne_location

# Each rule under the code of the platform whose example it runs against: Phorest's when
# Phorest runs it, else PNE's.
RULES = {**br.registry(), **{pne.TABLE.code_of(r): r for r in REGISTRY.values()
                             if r.name not in TABLE.rules}}
CASES = [
    pytest.param(rule, ex, id=f"{code}-{i}-{'fails' if ex.expect_fail else 'passes'}")
    for code, rule in RULES.items() for i, ex in enumerate(examples(rule))
]


@pytest.mark.parametrize("code", list(RULES))
def test_docstring_has_the_required_sections(code: str) -> None:
    rule = RULES[code]
    assert rule.doc.startswith(f"{code}: "), "the first line is 'CODE: summary'"
    sections = rule.sections()
    for heading in REQUIRED_SECTIONS:
        assert sections.get(heading, "").strip(), f"{code} lacks '## {heading}'"


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_has_a_failing_and_a_passing_example(code: str) -> None:
    found = examples(RULES[code])
    assert any(e.expect_fail for e in found), f"{code} has no ```json fails``` example"
    assert any(not e.expect_fail for e in found), f"{code} has no ```json passes``` example"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_docstring_example(rule: br.Rule, example: object) -> None:
    from booking_rules.core.rule import Example

    assert isinstance(example, Example)
    if rule.name not in TABLE.rules:
        req, location, rs, vish = pne_location.example_setup(example.source)
        found = pne_location.all_codes(pne_location.run_pne(req, location, ruleset=rs,
                                                            vish=vish))
        assert (pne.TABLE.code_of(rule) in found) is example.expect_fail, found
        return
    request, doc, ruleset = example_setup(example.source)
    report = run(request, doc, now=NOW, online=example.online, ruleset=ruleset)
    if example.expect_fail:
        assert TABLE.code_of(rule) in all_codes(report), report.to_text()
    else:
        assert TABLE.code_of(rule) not in all_codes(report), report.to_text()
