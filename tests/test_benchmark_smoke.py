"""Smoke test of the benchmark (``benchmarks/``): the generator is deterministic and gives a
snapshot the engine loads, and the runner, at a tiny size with few iterations, writes every
figure. No timing is asserted: the figures of a smoke run mean nothing."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import booking_rules as br

from .conftest import ROOT

BENCH = ROOT / "benchmarks"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_loads() -> None:
    gen = _module("generate")
    doc, meta = gen.generate(1500, seed=5)
    again, _ = gen.generate(1500, seed=5)
    other, _ = gen.generate(1500, seed=6)
    assert json.dumps(doc) == json.dumps(again)
    assert json.dumps(doc) != json.dumps(other)
    appts = doc["appointments"]
    assert len(appts) == meta["appointments"] == 1500
    assert {a["activationState"] for a in appts} >= {"ACTIVE", "RESERVED", "CANCELED"}
    assert any(a["deleted"] for a in appts)
    assert doc["conventions"] == {"appointmentTimes": "local"}
    assert doc["branch"]["timeZone"] == "America/Toronto"
    assert len([s for s in doc["staff"] if not s["archived"]]) == 50
    types = {slot["type"] for t in doc["workTimeTables"] for slot in t["timeSlots"]}
    assert types == {"WORKING", "NON_WORKING"}
    for key in ("rooms", "machines", "breaks", "specialOffers", "courses", "clientCourses",
                "clients"):
        assert doc[key], key
    snap = br.load_snapshot(doc)
    assert len(snap.appointments) == 1500
    assert snap.notices == ()
    assert gen.parse_size("10k") == 10_000 and gen.parse_size("1M") == 1_000_000


def _figures(size: dict[str, Any]) -> list[Any]:
    out: list[Any] = [size["appointments"], size["file_bytes"]]
    for kind in ("one_schedule", "three_schedule"):
        check, lin = size["check"][kind], size["linear"][kind]
        out += [check["p50_us"], check["p99_us"], check["calls"], check["requests"],
                lin["p50_us"], lin["p99_us"], lin["calls"], size["speedup_vs_linear"][kind],
                size["engine_over_linear"][kind], size["linear_agreement"][kind]["agree"]]
        assert check["engine_verdicts"].get("PASS", 0) > 0, kind
        assert check["engine_verdicts"].get("FAIL", 0) > 0, kind
        assert size["linear_agreement"][kind]["agree"] == check["requests"], (
            size["linear_agreement"][kind]["disagreements"])
    heavy = size["check"]["fail_heavy"]
    out += [heavy["p50_us"], heavy["p99_us"], heavy["fail_p50_us"], heavy["fail_p99_us"],
            heavy["pass_p50_us"], heavy["pass_p99_us"], size["linear_agreement"]["fail_heavy"][
                "agree"]]
    # The failing-heavy pool is mostly refused, and the linear reading agrees on every
    # request it can read (the special-offer ones are chosen by the engine's verdict).
    assert heavy["engine_verdicts"].get("FAIL", 0) > heavy["engine_verdicts"].get("PASS", 0)
    agreement = size["linear_agreement"]["fail_heavy"]
    assert agreement["agree"] == agreement["total"] > 0, agreement["disagreements"]
    assert heavy["kinds"].get("SPECIAL_OFFER", 0) > 0, heavy["missing_kinds"]
    render = size["render"]
    out += [render["check_us"], render["check_text_us"], render["check_json_us"]]
    http = size["http"]
    out += [http["get_branch"]["p50_us"], http["dry_run_booking"]["p50_us"],
            http["as_shipped"]["get_branch"]["p50_us"], size["check_over_http"]]
    out += [size["load_dense"]["seconds"], size["load_dense"]["json_parse_seconds"]]
    for span in ("day", "week"):
        out += [size["find_slots"][span]["p50_ms"], size["find_slots"][span]["slots"]]
    load = size["load"]
    out += [load["seconds"], load["json_parse_seconds"], load["peak_bytes_per_appointment"],
            load["retained_bytes_per_appointment"], load["tracemalloc_peak_bytes"]]
    if Path("/proc/self/status").exists():
        out += [load["rss_peak_bytes_per_appointment"]]
    return out


def test_runner_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "2k", "--quick", "--out", str(out),
         "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(out.read_text())
    assert list(doc["sizes"]) == ["2k"]
    figures = _figures(doc["sizes"]["2k"])
    assert all(isinstance(f, int | float) and f >= 0 for f in figures), figures
    names = [t["target"] for t in doc["targets"]]
    assert len(names) == 13, names
    assert all("met" in t and "value" in t for t in doc["targets"])
    assert "| check 1-schedule p50 / p99 (µs) |" in proc.stdout
    assert "MISSED" in proc.stdout or "met" in proc.stdout
    assert list((tmp_path / "cache").glob("branch_2k_*.json"))
    assert list((tmp_path / "cache").glob("branch_2k_*_r3000.json"))  # the roster-dense one
