"""The house's shape (ARCHITECTURE.md, round 2): layers import downward only, no import
cycle anywhere in the package, the core and the rules know no platform, and a rule of a new
subject runs without any change to the engine."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import booking_rules as br
from booking_rules.core import model as m
from booking_rules.core.codes import CodeTable
from booking_rules.core.engine import run
from booking_rules.core.rule import Finding, Rule
from booking_rules.platforms.phorest import TABLE, load_snapshot

PACKAGE = Path(br.__file__).parent
EXAMPLE = PACKAGE.parent / "docs" / "examples" / "queen_st_toronto.json"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` sits under ``if TYPE_CHECKING:`` (an annotation, not an import)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def import_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports at run time (at
    module level or inside a function), resolved to the module, not a name in it."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(tree):
            if _type_only(node, parents):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[: len(here) - (node.level - 1)]
                    base = ".".join([*here, *([base] if base else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            found.update(t for t in targets if t in modules and t != name)
        graph[name] = found
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its nodes in order, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_cycle_finder_finds_cycles() -> None:
    """So a green run above means there is none, not that the finder is blind."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
    # And the graph holds function-level imports: the platform calls the engine.
    assert "booking_rules.core.engine" in import_graph()["booking_rules.platforms.phorest"]


def test_the_core_and_the_rules_know_no_platform() -> None:
    graph = import_graph()
    offenders = {(a, b) for a, deps in graph.items() for b in deps
                 if a.startswith(("booking_rules.core", "booking_rules.rules"))
                 and b.startswith("booking_rules.platforms")}
    assert not offenders, sorted(offenders)


def test_the_core_imports_nothing_above_it() -> None:
    graph = import_graph()
    allowed = ("booking_rules.core", "booking_rules._time", "booking_rules._errors")
    offenders = {(a, b) for a, deps in graph.items() for b in deps
                 if a.startswith("booking_rules.core") and not b.startswith(allowed)}
    assert not offenders, sorted(offenders)


# --- subjects: a rule of a new subject touches no engine code -----------------------------

def _voucher_check(req: m.Request, ctx: Any) -> Any:
    payload = req.payload
    if payload["remaining"] > payload["original"]:
        yield Finding(f"remaining balance {payload['remaining']} is above the original "
                      f"{payload['original']}", {"remaining": payload["remaining"]},
                      fix="send a remaining balance at most the original",
                      location="remainingBalance")


def test_a_rule_of_a_new_subject_runs_without_engine_changes() -> None:
    rule = Rule(check=_voucher_check, doc="VOUCHER_X: x", module="tests.voucher_balance",
                subject="voucher")
    table = CodeTable("phorest", "Phorest", {**TABLE.rules, rule.name: rule},
                      {**TABLE.codes, rule.name: "VOUCHER_BALANCE"})
    rs = replace(br.load_ruleset("phorest"), table=table, rules=(*TABLE.rules.values(), rule))
    snap = load_snapshot(EXAMPLE)
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)

    def voucher(original: int, remaining: int) -> m.Request:
        return m.Request("create", (), subject="voucher",
                         payload={"original": original, "remaining": remaining})

    bad = run(snap, voucher(50, 80), now=now, online=False, rs=rs)
    assert bad.verdict == "FAIL"
    assert [(v.code, v.location, v.rule) for v in bad.violations] == [
        ("VOUCHER_BALANCE", "remainingBalance", "voucher_balance")]
    good = run(snap, voucher(50, 20), now=now, online=False, rs=rs)
    assert good.verdict == "PASS" and not good.violations
    # The booking rules do not run on a voucher, nor the voucher rule on a booking.
    booking = br.check(snap, {"clientId": "cli_new", "clientAppointmentSchedules": [
        {"serviceSchedules": [{"serviceId": "svc_cut", "staffId": "stf_lisa",
                               "startTime": "2026-12-01T20:00:00Z"}]}]}, now=now, ruleset=rs)
    assert "VOUCHER_BALANCE" not in {v.code for v in booking.violations}
