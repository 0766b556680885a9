"""A ruleset that surely runs the online policy rules (short notice, slot grid, minimum gap),
whether or not the registry lists them yet, with chosen options."""

from __future__ import annotations

import dataclasses
from typing import Any

import booking_rules as br
from booking_rules.platforms.phorest import TABLE
from booking_rules.rules import online_gap_too_small, online_off_slot_grid, online_short_notice

ONLINE_RULES = (online_short_notice.RULE, online_off_slot_grid.RULE, online_gap_too_small.RULE)


def with_online_rules(base: str = "phorest", **options: dict[str, Any]) -> br.Ruleset:
    """``base`` plus the three online rules; ``options`` by code, e.g.
    ``ONLINE_MIN_GAP={"minutes": 15}``."""
    rs = br.load_ruleset(base)
    have = {r.name for r in rs.rules}
    rules = rs.rules + tuple(r for r in ONLINE_RULES if r.name not in have)
    rule_options = {code: dict(opts) for code, opts in rs.rule_options.items()}
    for rule in ONLINE_RULES:
        merged = {k: o.default for k, o in rule.options.items()}
        merged.update(rule_options.get(rule.name, {}))
        merged.update(options.get(TABLE.code_of(rule), {}))
        rule_options[rule.name] = merged
    return dataclasses.replace(rs, rules=rules, rule_options=rule_options,
                               name=f"{rs.name}+online-rules")
